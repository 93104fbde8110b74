// `maas train`: train or fine-tune a model, with checkpoints and resume.
#include <QCommandLineParser>
#include <QFileInfo>
#include <QTextStream>

#include <cmath>
#include <limits>
#include <optional>

#include "activity.h"
#include "cli_util.h"
#include "commands.h"
#include "maas/app/format.h"
#include "maas/engine/architectures.h"
#include "maas/engine/card.h"
#include "maas/engine/error.h"
#include "maas/engine/output.h"
#include "maas/engine/training.h"

namespace maas::cli {

namespace {

// Unqualified in the signatures below: lupdate takes a qualified return type for the function's scope.
using maas::engine::TrainResult;

// The options of `maas train`, besides the data set's and the common ones.
struct TrainFlags {
    QCommandLineOption output { { QStringLiteral("o"), QStringLiteral("output") },
        Cli::tr("Where to write the trained model (.pt)."), QStringLiteral("FILE") };
    QCommandLineOption arch { QStringLiteral("arch"),
        Cli::tr("Build a new mlp, cnn, rnn or text model for the data instead of MODEL."), QStringLiteral("ARCH") };
    QCommandLineOption epochs { QStringLiteral("epochs"), Cli::tr("Passes over the data (default 10)."),
        QStringLiteral("N") };
    QCommandLineOption batch { QStringLiteral("batch-size"), Cli::tr("Samples per step (default 128)."),
        QStringLiteral("N") };
    QCommandLineOption optimizer { QStringLiteral("optimizer"), Cli::tr("sgd, adam or adamw (default adam)."),
        QStringLiteral("NAME") };
    QCommandLineOption lr { QStringLiteral("lr"), Cli::tr("Learning rate (default 0.001; 0.01 for text classifiers)."),
        QStringLiteral("RATE") };
    QCommandLineOption momentum { QStringLiteral("momentum"), Cli::tr("SGD momentum (default 0.9)."),
        QStringLiteral("M") };
    QCommandLineOption nesterov { QStringLiteral("nesterov"), Cli::tr("SGD with Nesterov momentum.") };
    QCommandLineOption decay { QStringLiteral("weight-decay"), Cli::tr("Weight decay (default 0)."),
        QStringLiteral("W") };
    QCommandLineOption schedule { QStringLiteral("schedule"),
        Cli::tr("Learning-rate schedule: none, step, cosine or onecycle."), QStringLiteral("NAME") };
    QCommandLineOption stepEpochs { QStringLiteral("step-epochs"),
        Cli::tr("Step schedule: epochs between steps (default 5)."), QStringLiteral("N") };
    QCommandLineOption gamma { QStringLiteral("gamma"), Cli::tr("Step schedule: factor per step (default 0.1)."),
        QStringLiteral("G") };
    QCommandLineOption validation { QStringLiteral("validation"),
        Cli::tr("Fraction held out for validation (default 0.1)."), QStringLiteral("F") };
    QCommandLineOption seed { QStringLiteral("seed"),
        Cli::tr("Random seed: the same seed repeats the same run (default 42)."), QStringLiteral("N") };
    QCommandLineOption patience { QStringLiteral("patience"),
        Cli::tr("Stop after N epochs without better validation accuracy and keep the best epoch."),
        QStringLiteral("N") };
    QCommandLineOption checkpoint { QStringLiteral("checkpoint"), Cli::tr("Write a checkpoint here after every epoch."),
        QStringLiteral("FILE") };
    QCommandLineOption resume { QStringLiteral("resume"), Cli::tr("Continue from --checkpoint.") };
    QCommandLineOption freeze { QStringLiteral("freeze"),
        Cli::tr("Keep parameters whose names start with PREFIX as they are (repeatable)."), QStringLiteral("PREFIX") };
    DataFlags data;
    Common common;

    void addTo(QCommandLineParser& parser) const
    {
        parser.setApplicationDescription(
            Cli::tr("Trains a model on a data set and writes the trained model. MODEL is a model "
                    "file (one from maas new, or an imported TorchScript model to fine-tune); or "
                    "leave it out and give --arch to build one for the data. Ctrl-C stops after the "
                    "current batch; with --checkpoint, --resume continues exactly where it stopped."));
        parser.addPositionalArgument(
            QStringLiteral("MODEL"), Cli::tr("The model to train (.pt)."), QStringLiteral("[MODEL]"));
        parser.addOptions({ output, arch, epochs, batch, optimizer, lr, momentum, nesterov, decay, schedule, stepEpochs,
            gamma, validation, seed, patience, checkpoint, resume, freeze });
        data.addTo(parser);
    }
};

// Checks which files the command names and reads the training options; a mistake is a UsageError.
void readTrainOptions(const QCommandLineParser& parser, const TrainFlags& f, maas::engine::TrainOptions& o)
{
    if (!parser.isSet(f.data.data))
        throw UsageError(Cli::tr("give the data set with --data PATH."));
    if (!parser.isSet(f.output))
        throw UsageError(Cli::tr("give the file to write with -o FILE.pt."));
    if (parser.positionalArguments().isEmpty() == !parser.isSet(f.arch))
        throw UsageError(Cli::tr("give either a MODEL file or --arch to build one, not both or neither."));
    if (parser.isSet(f.arch))
        checkUsage([&] { maas::engine::checkArchitecture(parser.value(f.arch).toStdString()); });
    using maas::engine::kMaxEpochs;
    o.epochs = static_cast<int>(wholeNumber(parser, f.epochs, o.epochs, 1, kMaxEpochs));
    o.batchSize = wholeNumber(parser, f.batch, o.batchSize, 1, maas::engine::kMaxBatchSize);
    o.stepEpochs = static_cast<int>(wholeNumber(parser, f.stepEpochs, o.stepEpochs, 1, kMaxEpochs));
    o.patience = static_cast<int>(wholeNumber(parser, f.patience, o.patience, 0, kMaxEpochs));
    o.seed = static_cast<std::uint64_t>(
        wholeNumber(parser, f.seed, static_cast<std::int64_t>(o.seed), 0, std::numeric_limits<std::int64_t>::max()));
    if (parser.isSet(f.lr))
        o.learningRate = realNumber(parser, f.lr, 0);
    o.momentum = realNumber(parser, f.momentum, o.momentum);
    o.weightDecay = realNumber(parser, f.decay, o.weightDecay);
    o.gamma = realNumber(parser, f.gamma, o.gamma);
    o.validationFraction = realNumber(parser, f.validation, o.validationFraction);
    if (parser.isSet(f.optimizer)) {
        const auto named = maas::engine::optimizerFromString(parser.value(f.optimizer).toStdString());
        if (!named)
            throw UsageError(
                Cli::tr("--optimizer '%1' is not known; use sgd, adam or adamw.").arg(parser.value(f.optimizer)));
        o.optimizer = *named;
    }
    if (parser.isSet(f.schedule)) {
        const auto named = maas::engine::scheduleFromString(parser.value(f.schedule).toStdString());
        if (!named)
            throw UsageError(Cli::tr("--schedule '%1' is not known; use none, step, cosine or onecycle.")
                                 .arg(parser.value(f.schedule)));
        o.schedule = *named;
    }
    o.nesterov = parser.isSet(f.nesterov);
    o.checkpoint = parser.value(f.checkpoint).toStdString();
    o.resume = parser.isSet(f.resume);
    for (const auto& prefix : parser.values(f.freeze))
        o.freeze.push_back(prefix.toStdString());
    checkUsage([&] { maas::engine::checkTrainOptions(o); });
}

// One progress report: within an epoch it updates the activity line; an epoch's end prints a line.
void reportProgress(
    const maas::engine::Progress& p, const maas::engine::TrainOptions& o, Activity& activity, QTextStream& lines)
{
    namespace metric = maas::engine::metric;
    const auto m = [&](const char* key) { return p.metrics.count(key) ? p.metrics.at(key) : NAN; };
    if (!p.epochEnd) {
        activity.update(Cli::tr("epoch %1/%2 batch %3/%4 loss %5 %6 samples/s ETA %7")
                            .arg(m(metric::kEpoch))
                            .arg(o.epochs)
                            .arg(m(metric::kBatch))
                            .arg(m(metric::kBatches))
                            .arg(m(metric::kLoss), 0, 'f', 4)
                            .arg(maas::app::formatExact(static_cast<std::int64_t>(m(metric::kSamplesPerSecond))))
                            .arg(maas::app::formatSeconds(m(metric::kEtaSeconds))),
            p.fraction);
        return;
    }
    lines << Cli::tr("epoch %1/%2  loss %3  accuracy %4  validation loss %5  accuracy %6  %7 samples/s  %8")
                 .arg(m(metric::kEpoch))
                 .arg(o.epochs)
                 .arg(m(metric::kLoss), 0, 'f', 4)
                 .arg(percent(m(metric::kAccuracy)))
                 .arg(m(metric::kValidationLoss), 0, 'f', 4)
                 .arg(percent(m(metric::kValidationAccuracy)))
                 .arg(maas::app::formatExact(static_cast<std::int64_t>(m(metric::kSamplesPerSecond))))
                 .arg(maas::app::formatSeconds(m(metric::kSeconds)))
          << Qt::endl;
}

// Trains with Ctrl-C wired to stop after the current batch, so the last checkpoint stays whole.
TrainResult runTraining(
    maas::engine::Model& model, maas::engine::Dataset& dataset, const maas::engine::TrainOptions& o, QTextStream& lines)
{
    Activity activity(Cli::tr("training"));
    InterruptScope interrupt;
    return maas::engine::train(
        model, dataset, o, [&](const maas::engine::Progress& p) { reportProgress(p, o, activity, lines); },
        interrupt.token());
}

// The closing lines of a finished run, in text.
void printTrained(
    const TrainResult& result, const maas::engine::TrainOptions& o, const QString& output, QTextStream& lines)
{
    if (result.stoppedEarly)
        lines << Cli::tr("stopped early: no better validation accuracy for %1 epochs; kept epoch %2.")
                     .arg(o.patience)
                     .arg(result.bestEpoch)
              << Qt::endl;
    if (result.stillImproving)
        lines << Cli::tr("the model was still improving at the end: more epochs would probably help (--epochs %1, "
                         "or --resume with a --checkpoint).")
                     .arg(o.epochs * 2)
              << Qt::endl;
    lines << Cli::tr("trained model written to %1").arg(output) << Qt::endl;
}

} // namespace

int Cli::train(const QStringList& arguments)
{
    QCommandLineParser parser;
    const TrainFlags flags;
    flags.addTo(parser);
    if (auto code = parse(parser, arguments, flags.common, 0, 1))
        return *code;
    maas::engine::TrainOptions o;
    readTrainOptions(parser, flags, o);
    const auto dataOptions = flags.data.options(parser, QStringLiteral("train"));
    // Outputs are checked before the data is read: a mistake costs nothing, and no input is overwritten.
    const std::string data = parser.value(flags.data.data).toStdString();
    const std::string start = parser.positionalArguments().value(0).toStdString();
    maas::engine::checkOutput(parser.value(flags.output).toStdString(), { data, start, o.checkpoint });
    if (!o.checkpoint.empty())
        maas::engine::checkOutput(o.checkpoint, { data, start }, "checkpoint");

    // A model file fixes the class order; a model built here takes the data's.
    std::optional<maas::engine::Model> loaded;
    if (!parser.isSet(flags.arch))
        loaded = loadModel(parser.positionalArguments().first());
    auto dataset = flags.data.open(parser, dataOptions, loaded ? loaded->card().labels : std::vector<std::string> {});
    auto model = loaded ? *loaded
                        : maas::engine::buildModel(maas::engine::completeSpec(
                            { { "arch", parser.value(flags.arch).toStdString() } }, dataset));

    const bool json = parser.isSet(flags.common.json);
    QTextStream lines(json ? stderr : stdout);
    lines << tr("training %1 on %2 (%3)")
                 .arg(QString::fromStdString(model.card().name), parser.value(flags.data.data),
                     QString::fromStdString(dataset.describe()))
          << Qt::endl;
    const auto result = runTraining(model, dataset, o, lines);
    if (result.cancelled) {
        const int done = result.history.empty() ? 0 : result.history.back().epoch;
        // A checkpoint is written at an epoch's end: before the first one ends there is none to resume.
        const bool resumable = !o.checkpoint.empty() && QFileInfo::exists(QString::fromStdString(o.checkpoint));
        return fail(!resumable ? tr("training cancelled after %1 epochs; nothing was written.").arg(done)
                               : tr("training cancelled; %1 holds epoch %2: continue with --resume.")
                                     .arg(QString::fromStdString(o.checkpoint))
                                     .arg(done),
            Interrupted);
    }
    const QString output = parser.value(flags.output);
    model.save(output.toStdString());
    if (!json) {
        printTrained(result, o, output, lines);
        return Success;
    }
    auto j = maas::engine::toJson(result);
    j["model"] = output.toStdString();
    j["card"] = model.card().toJson();
    printJson(j);
    return Success;
}

} // namespace maas::cli
