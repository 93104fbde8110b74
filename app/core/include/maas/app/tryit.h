#pragma once

#include <QList>
#include <QMetaType>
#include <QString>
#include <QStringList>

namespace maas::engine {
class CancelToken;
}

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

/// Runs a model that takes rows of numbers on rows typed as CSV ("5.1, 3.5, 1.4, 0.2"): raw values, the
/// card's preprocessing applies as for a CSV file. Each result's source is its row.
PredictionResult runPredictionOnRows(const QString& modelPath, const QStringList& rows, int k = 5);

/// Runs a model published on an endpoint (by name there) on the same kinds of inputs: files, typed rows
/// (`rows`), or texts; latencyMs is the round trip. Throws maas::engine::Error with the endpoint's sentence.
PredictionResult runRemotePrediction(const QString& endpoint, const QString& model, const QStringList& inputs,
    bool rows, int k = 5, const maas::engine::CancelToken* cancel = nullptr);

} // namespace maas::app

Q_DECLARE_METATYPE(maas::app::PredictionResult)
