#include "maas/widgets/varianttable.h"

#include <QHeaderView>

#include <cmath>

#include "maas/app/format.h"
#include "maas/app/optimize.h"

namespace maas::widgets {

VariantTable::VariantTable(QWidget* parent)
    : QTableWidget(7, 3, parent)
{
    setColumns(tr("Before"), tr("After"));
    setVerticalHeaderLabels({ tr("Size"), tr("Size, gzip"), tr("Weights"), tr("Nonzero weights"),
        tr("Latency, batch 1"), tr("Latency, batch 16"), tr("Accuracy") });
    setEditTriggers(QAbstractItemView::NoEditTriggers);
    horizontalHeader()->setSectionResizeMode(QHeaderView::Stretch);
    hide();
}

void VariantTable::setColumns(const QString& first, const QString& second)
{
    setHorizontalHeaderLabels({ first, second, tr("Change") });
}

void VariantTable::showNumbers(const maas::app::VariantNumbers& a, const maas::app::VariantNumbers& b)
{
    using maas::app::formatBytes;
    using maas::app::formatChange;
    using maas::app::formatCount;
    const auto ms = [](double v) { return tr("%1 ms").arg(v, 0, 'f', 2); };
    const auto percent
        = [](double v) { return std::isnan(v) ? tr("not measured") : QStringLiteral("%1%").arg(v * 100.0, 0, 'f', 1); };
    const auto row = [this](int r, const QString& first, const QString& second, const QString& change) {
        setItem(r, 0, new QTableWidgetItem(first));
        setItem(r, 1, new QTableWidgetItem(second));
        setItem(r, 2, new QTableWidgetItem(change));
    };
    row(0, formatBytes(a.fileBytes), formatBytes(b.fileBytes),
        formatChange(double(a.fileBytes), double(b.fileBytes), tr("smaller"), tr("larger")));
    row(1, formatBytes(a.gzipBytes), formatBytes(b.gzipBytes),
        formatChange(double(a.gzipBytes), double(b.gzipBytes), tr("smaller"), tr("larger")));
    row(2, formatCount(a.weights), formatCount(b.weights), QString());
    row(3, formatCount(a.nonzero), formatCount(b.nonzero),
        formatChange(double(a.nonzero), double(b.nonzero), tr("fewer"), tr("more")));
    row(4, ms(a.latencyBatch1Ms), ms(b.latencyBatch1Ms),
        formatChange(a.latencyBatch1Ms, b.latencyBatch1Ms, tr("faster"), tr("slower")));
    row(5, ms(a.latencyBatch16Ms), ms(b.latencyBatch16Ms),
        formatChange(a.latencyBatch16Ms, b.latencyBatch16Ms, tr("faster"), tr("slower")));
    row(6, percent(a.accuracy), percent(b.accuracy),
        std::isnan(a.accuracy) || std::isnan(b.accuracy)
            ? QString()
            : tr("%1 points").arg((b.accuracy - a.accuracy) * 100.0, 0, 'f', 2));
    // Every row in view at its text's height: what is below takes the rest of the page.
    verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    verticalHeader()->setDefaultSectionSize(fontMetrics().height() + 8);
    setFixedHeight(horizontalHeader()->sizeHint().height() + rowCount() * verticalHeader()->defaultSectionSize()
        + 2 * frameWidth());
    show();
}

} // namespace maas::widgets
