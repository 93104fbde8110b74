#pragma once

#include <QList>
#include <QMetaType>
#include <QString>
#include <QStringList>

namespace maas::app {

/// One sample's k most likely classes, best first.
struct RankedSample {
    QString source; ///< the file or text it came from
    QList<QPair<QString, double>> classes; ///< (label, probability)
};

struct PredictionResult {
    QList<RankedSample> samples;
    double latencyMs = 0.0; ///< the model's forward, without loading and preprocessing
};

/// Runs a model on files (images, CSV rows, tensors) or, for a text model, on texts. Meant for a job's
/// worker thread; throws maas::engine::Error with the engine's sentence when the input does not fit.
PredictionResult runPrediction(const QString& modelPath, const QStringList& inputs, int k = 5);

} // namespace maas::app

Q_DECLARE_METATYPE(maas::app::PredictionResult)
