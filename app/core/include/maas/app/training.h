#pragma once

#include <QMap>
#include <QMetaType>
#include <QPair>
#include <QString>

#include <memory>
#include <optional>

#include "maas/app/jobs.h"
#include "maas/app/library.h"
#include "maas/engine/dataset.h"
#include "maas/engine/training.h"

namespace maas::app {

/// The keys of a training job's metrics (Job::metrics, Job::stepEnded), as the engine reports them.
namespace metric = maas::engine::metric;

/// A training run as the workbench asks for it: a new architecture or a library model, a data set.
struct TrainRequest {
    QString libraryFolder;
    QString dataPath;
    /// The architecture of a new model ("mlp", "cnn", "rnn", "text"); used only when modelPath is not set.
    QString architecture;
    /// More fields of the architecture's spec (see maas::engine::buildModel), e.g. {"hidden": [256, 128]}.
    nlohmann::json spec = nlohmann::json::object();
    std::optional<QString> modelPath; ///< a library model to fine-tune
    qint64 sampleLimit = 0; ///< 0: all samples
    maas::engine::TrainOptions options;
};

/// One sample to show people: an image as raw pixels, or a text (texts, and table rows as numbers).
struct SampleView {
    qint64 index = 0; ///< in the data set
    QString text;
    int width = 0, height = 0, channels = 0;
    QByteArray pixels; ///< planar [channels, height, width] bytes
};

/// Reads sample `index` of `data` for display.
SampleView sampleView(const maas::engine::Dataset& data, qint64 index);

/// A finished run, ready for Library::commitImport and Library::addRun on the UI thread.
struct TrainedModel {
    PreparedImport model;
    QString historyJson;
    QString optionsJson;
    /// Scored on the run's validation split: [true class][predicted class], with the class names.
    QList<QList<qint64>> confusion;
    QStringList classes;
    double validationAccuracy = qQNaN();
    /// The last epoch was still clearly better than the one before: more epochs would probably help.
    bool stillImproving = false;
    /// Validation samples behind each cell of the confusion matrix, keyed by (true, predicted) class:
    /// the first kExamplesPerCell of each (the confusion matrix has the full counts).
    static constexpr int kExamplesPerCell = 24;
    QMap<QPair<int, int>, QList<SampleView>> examples;
};

/// Trains as `request` says; meant to run inside a job (on a worker thread). Throws maas::engine::Error:
/// of kind Cancelled when the job was cancelled (a run without its model has nothing partial to give),
/// of another kind when data or model do not fit.
TrainedModel runTraining(const TrainRequest& request, const JobContext& context);

} // namespace maas::app

Q_DECLARE_METATYPE(std::shared_ptr<maas::app::TrainedModel>)
