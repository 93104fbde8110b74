#include "maas/widgets/samplebrowser.h"

#include <QImage>
#include <QPixmap>

namespace maas::widgets {

QImage sampleImage(const maas::app::SampleView& s)
{
    const qsizetype plane = static_cast<qsizetype>(s.width) * s.height;
    if (plane == 0 || s.pixels.size() < plane * s.channels)
        return {};
    const auto* bytes = reinterpret_cast<const uchar*>(s.pixels.constData());
    if (s.channels == 1) {
        QImage gray(s.width, s.height, QImage::Format_Grayscale8);
        for (int y = 0; y < s.height; ++y)
            std::copy_n(bytes + static_cast<qsizetype>(y) * s.width, s.width, gray.scanLine(y));
        return gray;
    }
    QImage rgb(s.width, s.height, QImage::Format_RGB888); // planar [C, H, W] to interleaved rows
    for (int y = 0; y < s.height; ++y) {
        uchar* row = rgb.scanLine(y);
        for (int x = 0; x < s.width; ++x)
            for (int c = 0; c < 3; ++c)
                row[x * 3 + c] = bytes[std::min(c, s.channels - 1) * plane + static_cast<qsizetype>(y) * s.width + x];
    }
    return rgb;
}

SampleBrowser::SampleBrowser(QWidget* parent)
    : QListWidget(parent)
{
    setSelectionMode(QAbstractItemView::NoSelection);
    setResizeMode(QListView::Adjust);
    setWordWrap(true);
}

void SampleBrowser::setSamples(const QList<maas::app::SampleView>& samples)
{
    clear();
    const bool images = !samples.isEmpty() && samples.front().width > 0;
    setViewMode(images ? QListView::IconMode : QListView::ListMode);
    const int side = 84;
    setIconSize(QSize(side, side));
    for (const auto& s : samples) {
        auto* item = new QListWidgetItem(this);
        if (images) {
            item->setIcon(
                QPixmap::fromImage(sampleImage(s).scaled(side, side, Qt::KeepAspectRatio, Qt::FastTransformation)));
            item->setToolTip(tr("sample %1").arg(s.index));
        } else {
            item->setText(s.text);
            item->setToolTip(tr("sample %1").arg(s.index));
        }
    }
}

} // namespace maas::widgets
