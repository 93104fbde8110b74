#include "maas/app/tryit.h"

#include <QCoreApplication>
#include <QElapsedTimer>

#include "maas/engine/inputs.h"
#include "maas/engine/model.h"

namespace maas::app {

PredictionResult runPrediction(const QString& modelPath, const QStringList& inputs, int k)
{
    const auto model = maas::engine::Model::load(modelPath.toStdString());
    std::vector<std::string> sources;
    for (const auto& input : inputs)
        sources.push_back(input.toStdString());
    const auto tensors = maas::engine::loadInputs(model.card(), sources);
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

} // namespace maas::app
