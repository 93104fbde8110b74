#pragma once

#include <QListWidget>

#include "maas/app/training.h"

class QImage;

namespace maas::widgets {

/// The samples behind a cell of a confusion matrix: images as enlarged thumbnails, texts as lines.
class SampleBrowser : public QListWidget {
    Q_OBJECT
public:
    explicit SampleBrowser(QWidget* parent = nullptr);
    void setSamples(const QList<maas::app::SampleView>& samples);
};

/// The sample's pixels as an image (gray or RGB); a null image for texts.
QImage sampleImage(const maas::app::SampleView& sample);

} // namespace maas::widgets
