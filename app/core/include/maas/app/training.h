#pragma once

#include <QMetaType>
#include <QString>

#include <memory>
#include <optional>

#include "maas/app/jobs.h"
#include "maas/app/library.h"
#include "maas/engine/training.h"

namespace maas::app {

/// A training run as the workbench asks for it: a new architecture or a library model, a data set.
struct TrainRequest {
    QString libraryFolder;
    QString dataPath;
    QString architecture; ///< "mlp", "cnn", "rnn", "text"; ignored when modelPath is set
    std::optional<QString> modelPath; ///< a library model to fine-tune
    qint64 sampleLimit = 0; ///< 0: all samples
    maas::engine::TrainOptions options;
};

/// A finished run, ready for Library::commitImport and Library::addRun on the UI thread.
struct TrainedModel {
    PreparedImport model;
    QString historyJson;
    QString optionsJson;
    /// Scored on the run's validation split: [true class][predicted class], with the class names.
    QList<QList<qint64>> confusion;
    QStringList classes;
    double validationAccuracy = qQNaN();
};

/// Trains as `request` says; meant to run inside a job (on a worker thread). Returns nothing when the
/// job was cancelled; throws maas::engine::Error when data or model do not fit.
std::optional<TrainedModel> runTraining(const TrainRequest& request, const JobContext& context);

} // namespace maas::app

Q_DECLARE_METATYPE(std::shared_ptr<maas::app::TrainedModel>)
