#include "maas/app/tryit.h"

#include <QCoreApplication>
#include <QElapsedTimer>

#include "maas/app/remote.h"
#include "maas/engine/error.h"
#include "maas/engine/inputs.h"
#include "maas/engine/model.h"

namespace maas::app {

namespace {

// Runs the model on loaded inputs and ranks each sample's classes; `sources` name the samples when
// there is one per sample.
PredictionResult predict(const maas::engine::Model& model, const std::vector<maas::engine::Tensor>& tensors,
    const QStringList& inputs, int k)
{
    QElapsedTimer timer;
    timer.start();
    const auto outputs = model.predict(tensors);
    PredictionResult result;
    result.latencyMs = static_cast<double>(timer.nsecsElapsed()) / 1e6;
    if (outputs.empty())
        return result;
    const auto& labels = model.card().labels;
    const auto ranked = maas::engine::topClasses(outputs.front(), k);
    for (std::size_t row = 0; row < ranked.size(); ++row) {
        RankedSample sample;
        sample.source = ranked.size() == static_cast<std::size_t>(inputs.size()) ? inputs[static_cast<int>(row)]
                                                                                 : QString::number(row + 1);
        for (const auto& c : ranked[row])
            sample.classes.append({ c.index < static_cast<int>(labels.size())
                    ? QString::fromStdString(labels[static_cast<std::size_t>(c.index)])
                    : QCoreApplication::translate("TryIt", "class %1").arg(c.index),
                c.score });
        result.samples.append(sample);
    }
    return result;
}

} // namespace

PredictionResult runPrediction(const QString& modelPath, const QStringList& inputs, int k)
{
    const auto model = maas::engine::Model::load(modelPath.toStdString());
    std::vector<std::string> sources;
    for (const auto& input : inputs)
        sources.push_back(input.toStdString());
    return predict(model, maas::engine::loadInputs(model.card(), sources), inputs, k);
}

PredictionResult runPredictionOnRows(const QString& modelPath, const QStringList& rows, int k)
{
    // Typed rows are CSV text: the engine parses them as it parses a file, and its errors name "your input".
    const auto model = maas::engine::Model::load(modelPath.toStdString());
    const std::string source = QCoreApplication::translate("TryIt", "your input").toStdString();
    const auto tensors = std::vector<maas::engine::Tensor> { maas::engine::loadTypedRows(
        model.card(), rows.join(QLatin1Char('\n')).toStdString(), source) };
    return predict(model, tensors, rows, k);
}

PredictionResult runRemotePrediction(const QString& endpoint, const QString& model, const QStringList& inputs,
    bool rows, int k, const maas::engine::CancelToken* cancel)
{
    RemoteOptions options;
    options.cancel = cancel;
    auto client = connectTo(endpoint, options);
    const auto remote = remoteInfer(*client, model, inputs, rows, k);
    PredictionResult result;
    result.latencyMs = remote.roundTripMs;
    for (const auto& s : remote.samples)
        result.samples.append({ s.source, s.classes });
    return result;
}

} // namespace maas::app
