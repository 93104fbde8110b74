// `maas predict`: run a model on files or text and show its top classes or outputs.
#include <QCommandLineParser>
#include <QElapsedTimer>
#include <QStringList>
#include <QTextStream>

#include <algorithm>

#include "activity.h"
#include "cli_util.h"
#include "commands.h"
#include "maas/app/format.h"
#include "maas/engine/inputs.h"
#include "maas/engine/model.h"
#include "maas/engine/output.h"
#include "maas/engine/runtime.h"

namespace maas::cli {

namespace {

using Ranked = std::vector<std::vector<maas::engine::ScoredClass>>;

struct PredictRequest {
    QString model;
    std::vector<std::string> sources; ///< input files, or strings for a text model
    int k = 5;
    QString save; ///< .npy for the first output; empty: none
    bool json = false;
};

struct Prediction {
    std::vector<maas::engine::Tensor> outputs;
    Ranked ranked; ///< for classifiers: each sample's top k; else empty
    double seconds = 0;
};

// Reads the command line into `request`; returns an exit code when the command ends here.
std::optional<int> parsePredict(const QStringList& arguments, PredictRequest& request)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        Cli::tr("Runs a model on inputs: image files (.png, .jpg), CSV files of numeric rows, tensor files (.npy, or a "
                "tensor saved with torch.save), or text for text models. Inputs are preprocessed and checked as the "
                "model card says."));
    parser.addPositionalArgument(QStringLiteral("MODEL"), Cli::tr("A TorchScript model (.pt)."));
    parser.addPositionalArgument(
        QStringLiteral("INPUT"), Cli::tr("Input files, or strings for a text model."), QStringLiteral("INPUT..."));
    const QCommandLineOption topK(QStringLiteral("top-k"), Cli::tr("Show the K most likely classes (default 5)."),
        QStringLiteral("K"), QStringLiteral("5"));
    const QCommandLineOption save(QStringLiteral("output"),
        Cli::tr("Also write the first output tensor to FILE (.npy)."), QStringLiteral("FILE"));
    parser.addOption(topK);
    parser.addOption(save);
    const Common common;
    if (auto code = parse(parser, arguments, common, 2, -1))
        return code;
    request.k = static_cast<int>(wholeNumber(parser, topK, 5, 1, 1000000));
    if (parser.isSet(save) && !parser.value(save).endsWith(QLatin1String(".npy")))
        return fail(Cli::tr("--output must name a .npy file, not '%1'.").arg(parser.value(save)), Usage);
    const QStringList positional = parser.positionalArguments();
    request.model = positional.first();
    for (const QString& s : positional.mid(1))
        request.sources.push_back(s.toStdString());
    request.save = parser.value(save);
    if (!request.save.isEmpty())
        maas::engine::checkOutput(request.save.toStdString(), [&] {
            auto inputs = request.sources;
            inputs.push_back(request.model.toStdString());
            return inputs;
        }());
    request.json = parser.isSet(common.json);
    return std::nullopt;
}

// Loads the inputs, runs the model once (timed) and ranks classifier scores.
Prediction runPrediction(const maas::engine::Model& model, const PredictRequest& request)
{
    const auto inputs = maas::engine::loadInputs(model.card(), request.sources);
    Prediction p;
    QElapsedTimer timer;
    {
        Activity activity(Cli::tr("running %1").arg(QString::fromStdString(model.card().name)));
        timer.start();
        p.outputs = model.predict(inputs);
    }
    p.seconds = static_cast<double>(timer.nsecsElapsed()) / 1e9;
    if (!request.save.isEmpty() && !p.outputs.empty())
        maas::engine::writeNpy(request.save.toStdString(), p.outputs.front());
    // Classification: rows of scores become labelled top-k lists.
    if (!p.outputs.empty())
        p.ranked = maas::engine::topClasses(p.outputs.front(), request.k);
    return p;
}

QString classLabel(const maas::engine::ModelCard& card, int index)
{
    return index < static_cast<int>(card.labels.size())
        ? QString::fromStdString(card.labels[static_cast<std::size_t>(index)])
        : Cli::tr("class %1").arg(index);
}

void printPredictionJson(const maas::engine::ModelCard& card, const PredictRequest& request, const Prediction& p)
{
    const auto threads = maas::engine::currentThreads();
    nlohmann::json json = { { "model", request.model.toStdString() }, { "latency_ms", p.seconds * 1e3 },
        { "threads",
            { { "budget", threads.budget }, { "openmp", threads.intraOp }, { "blas", threads.blas },
                { "source", threads.source } } } };
    json["outputs"] = nlohmann::json::array();
    for (std::size_t i = 0; i < p.outputs.size(); ++i) {
        const auto& t = p.outputs[i];
        const std::string name = i < card.outputs.size() ? card.outputs[i].name : "output_" + std::to_string(i);
        json["outputs"].push_back({ { "name", name }, { "datatype", maas::engine::dataTypeName(t.dtype) },
            { "shape", t.shape }, { "data", t.toDoubles() } });
    }
    json["predictions"] = nlohmann::json::array();
    for (const auto& row : p.ranked) {
        nlohmann::json list = nlohmann::json::array();
        for (const auto& c : row)
            list.push_back(
                { { "index", c.index }, { "label", classLabel(card, c.index).toStdString() }, { "score", c.score } });
        json["predictions"].push_back(list);
    }
    printJson(json);
}

void printPredictionText(const maas::engine::ModelCard& card, const PredictRequest& request, const Prediction& p)
{
    QTextStream& o = out();
    if (!p.ranked.empty()) {
        for (std::size_t r = 0; r < p.ranked.size(); ++r) {
            const QString source = request.sources.size() == p.ranked.size()
                ? QString::fromStdString(request.sources[r])
                : QString::number(r + 1);
            o << Cli::tr("sample %1").arg(source) << '\n';
            for (const auto& c : p.ranked[r])
                o << QStringLiteral("  %1 %2%\n")
                         .arg(classLabel(card, c.index).leftJustified(24),
                             QString::number(c.score * 100.0, 'f', 1).rightJustified(5));
        }
    } else {
        for (std::size_t i = 0; i < p.outputs.size(); ++i) {
            const auto values = p.outputs[i].toDoubles();
            QStringList head;
            for (std::size_t v = 0; v < std::min<std::size_t>(values.size(), 8); ++v)
                head << QString::number(values[v], 'g', 6);
            o << Cli::tr("output %1 %2: %3%4")
                     .arg(i)
                     .arg(shapeText(p.outputs[i].shape), head.join(QStringLiteral(", ")),
                         values.size() > 8 ? QStringLiteral(", …") : QString())
              << '\n';
        }
    }
    o << Cli::tr("latency %1").arg(maas::app::formatSeconds(p.seconds)) << '\n';
    o.flush();
}

} // namespace

int Cli::predict(const QStringList& arguments)
{
    PredictRequest request;
    if (auto code = parsePredict(arguments, request))
        return *code;
    const auto model = loadModel(request.model);
    warnAboutCard(model);
    const Prediction prediction = runPrediction(model, request);
    if (request.json)
        printPredictionJson(model.card(), request, prediction);
    else
        printPredictionText(model.card(), request, prediction);
    return Success;
}

} // namespace maas::cli
