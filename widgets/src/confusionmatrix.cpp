#include "maas/widgets/confusionmatrix.h"

#include <QHeaderView>
#include <QLocale>

#include "maas/app/format.h"

namespace maas::widgets {

namespace {

// Columns share the width, so long class names are cut to a few letters; the header's tooltip and every
// cell's tooltip give the whole name.
QString abbreviated(const QString& name)
{
    constexpr int kLetters = 7;
    return name.size() <= kLetters + 1 ? name : name.left(kLetters).trimmed() + QStringLiteral("…");
}

} // namespace

ConfusionMatrix::ConfusionMatrix(QWidget* parent)
    : QTableWidget(parent)
{
    setEditTriggers(QAbstractItemView::NoEditTriggers);
    horizontalHeader()->setSectionResizeMode(QHeaderView::Stretch);
    verticalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    setToolTip(tr("Rows: true class. Columns: predicted class."));
}

void ConfusionMatrix::setMatrix(const QList<QList<qint64>>& counts, const QStringList& classes)
{
    clear();
    setRowCount(static_cast<int>(counts.size()));
    setColumnCount(static_cast<int>(counts.size()));
    for (int c = 0; c < classes.size() && c < counts.size(); ++c) {
        auto* header = new QTableWidgetItem(abbreviated(classes[c]));
        header->setToolTip(tr("predicted: %1").arg(classes[c]));
        setHorizontalHeaderItem(c, header);
    }
    setVerticalHeaderLabels(classes);
    for (int r = 0; r < counts.size(); ++r) {
        qint64 rowTotal = 0;
        for (auto v : counts[r])
            rowTotal += v;
        for (int c = 0; c < counts[r].size(); ++c) {
            const double share = rowTotal ? static_cast<double>(counts[r][c]) / static_cast<double>(rowTotal) : 0.0;
            auto* item = new QTableWidgetItem(maas::app::formatExact(counts[r][c]));
            item->setTextAlignment(Qt::AlignCenter);
            // Blue for the diagonal (right), red off it (confusions); transparent at zero, so both
            // light and dark themes keep their text readable.
            const QColor hue = r == c ? QColor(25, 118, 210) : QColor(198, 40, 40);
            item->setBackground(QColor(hue.red(), hue.green(), hue.blue(), static_cast<int>(share * 200)));
            item->setToolTip(tr("%1 taken for %2: %3 of %4")
                                 .arg(classes.value(r), classes.value(c))
                                 .arg(counts[r][c])
                                 .arg(rowTotal));
            setItem(r, c, item);
        }
    }
}

qint64 ConfusionMatrix::total() const
{
    qint64 sum = 0;
    for (int r = 0; r < rowCount(); ++r)
        for (int c = 0; c < columnCount(); ++c)
            if (const auto* cell = item(r, c))
                sum += QLocale().toLongLong(cell->text());
    return sum;
}

} // namespace maas::widgets
