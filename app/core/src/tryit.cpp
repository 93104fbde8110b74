#include "maas/app/tryit.h"

#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QTemporaryFile>

#include "maas/engine/error.h"
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

PredictionResult runPredictionOnRows(const QString& modelPath, const QStringList& rows, int k)
{
    // The engine reads rows from CSV files, so typed rows become one (with a header, as files have).
    QTemporaryFile csv(QDir::temp().filePath(QStringLiteral("maas-rows-XXXXXX.csv")));
    if (!csv.open())
        throw maas::engine::Error(maas::engine::ErrorKind::Io,
            QCoreApplication::translate("TryIt", "cannot write a temporary file in %1.").arg(QDir::tempPath()).toStdString());
    const int columns = rows.isEmpty() ? 0 : static_cast<int>(rows.front().split(QLatin1Char(',')).size());
    QStringList header;
    for (int c = 0; c < columns; ++c)
        header << QStringLiteral("c%1").arg(c + 1);
    csv.write((header.join(QLatin1Char(',')) + QLatin1Char('\n') + rows.join(QLatin1Char('\n')) + QLatin1Char('\n')).toUtf8());
    csv.close();
    PredictionResult result;
    try {
        result = runPrediction(modelPath, { csv.fileName() }, k);
    } catch (const maas::engine::Error& e) {
        // The temporary file means nothing to the person who typed the rows.
        const QString typed = QCoreApplication::translate("TryIt", "your input");
        const auto words = [&](const std::string& text) { return QString::fromStdString(text).replace(csv.fileName(), typed).toStdString(); };
        throw maas::engine::Error(e.kind(), words(e.what()), e.field(), words(e.detail()));
    }
    for (int i = 0; i < result.samples.size() && i < rows.size(); ++i)
        result.samples[i].source = rows[i];
    return result;
}

} // namespace maas::app
