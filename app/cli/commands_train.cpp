// `maas new`, `maas train` and `maas eval`: building, training and scoring models.
#include <QCommandLineParser>
#include <QFile>

#include <cmath>
#include <csignal>
#include <optional>

#include "activity.h"
#include "cli_util.h"
#include "commands.h"
#include "maas/app/format.h"
#include "maas/engine/architectures.h"
#include "maas/engine/card.h"
#include "maas/engine/error.h"
#include "maas/engine/training.h"

namespace maas::cli {

namespace {

using maas::engine::Dataset;
using maas::engine::DataOptions;
using nlohmann::json;

maas::engine::CancelToken g_interrupt;

// Ctrl-C stops training after the current batch, so the last checkpoint stays whole. A signal handler
// may only touch lock-free atomics: cancel() would take the token's mutex, which the training thread
// holds on every batch.
void onInterrupt(int) { g_interrupt.cancelFromSignal(); }

// Options that say how to read a data set, shared by new, train and eval.
struct DataFlags {
    QCommandLineOption data { QStringLiteral("data"),
        QCoreApplication::translate("Cli", "The data set: an IDX folder, an image folder (one subfolder per class) or a CSV file."),
        QStringLiteral("PATH") };
    QCommandLineOption labelColumn { QStringLiteral("label-column"),
        QCoreApplication::translate("Cli", "CSV: the column holding the class (default: label, else the last column)."),
        QStringLiteral("NAME") };
    QCommandLineOption textColumn { QStringLiteral("text-column"),
        QCoreApplication::translate("Cli", "CSV: the column holding the text of a text data set (default: text)."),
        QStringLiteral("NAME") };
    QCommandLineOption split { QStringLiteral("split"),
        QCoreApplication::translate("Cli", "IDX folders: train or test (the t10k files)."), QStringLiteral("NAME") };
    QCommandLineOption limit { QStringLiteral("limit"),
        QCoreApplication::translate("Cli", "Use only the first N samples (for quick runs)."), QStringLiteral("N") };
    QCommandLineOption imageSize { QStringLiteral("image-size"),
        QCoreApplication::translate("Cli", "Image folders: resize every image to WxH (default: the first image's size)."),
        QStringLiteral("WxH") };

    void addTo(QCommandLineParser& parser) const
    {
        parser.addOptions({ data, labelColumn, textColumn, split, limit, imageSize });
    }

    // Reads the data set named by --data; `classes` fixes the class order (a trained model's labels).
    Dataset open(const QCommandLineParser& parser, const QString& defaultSplit, const std::vector<std::string>& classes) const
    {
        DataOptions o;
        if (parser.isSet(labelColumn))
            o.labelColumn = parser.value(labelColumn).toStdString();
        if (parser.isSet(textColumn))
            o.textColumn = parser.value(textColumn).toStdString();
        o.split = (parser.isSet(split) ? parser.value(split) : defaultSplit).toStdString();
        if (o.split != "train" && o.split != "test")
            throw maas::engine::Error(maas::engine::ErrorKind::InvalidInput, "--split must be train or test.");
        if (parser.isSet(limit)) {
            bool ok = false;
            o.limit = parser.value(limit).toLongLong(&ok);
            if (!ok || o.limit < 1)
                throw maas::engine::Error(maas::engine::ErrorKind::InvalidInput, "--limit must be a positive whole number.");
        }
        if (parser.isSet(imageSize)) {
            const auto parts = parser.value(imageSize).split(QLatin1Char('x'));
            const int w = parts.value(0).toInt(), h = parts.value(1).toInt();
            if (parts.size() != 2 || w < 1 || h < 1)
                throw maas::engine::Error(maas::engine::ErrorKind::InvalidInput, "--image-size must look like 28x28.");
            o.imageWidth = w;
            o.imageHeight = h;
        }
        o.classes = classes;
        Activity activity(QCoreApplication::translate("Cli", "reading %1").arg(parser.value(data)));
        auto dataset = Dataset::open(parser.value(data).toStdString(), o);
        if (dataset.skipped() > 0)
            QTextStream(stderr) << QCoreApplication::translate("Cli", "maas: skipped %1 unreadable samples (first: %2)")
                                       .arg(dataset.skipped())
                                       .arg(QString::fromStdString(dataset.firstSkipReason()))
                                << Qt::endl;
        return dataset;
    }
};

QString percent(double v) { return std::isnan(v) ? QStringLiteral("-") : QString::number(v * 100.0, 'f', 1) + QLatin1Char('%'); }

} // namespace

int Cli::newModel(const QStringList& arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(tr("Builds a new model as TorchScript: an MLP, a CNN, an RNN (LSTM or GRU) or a text "
                                        "classifier. Give the architecture's fields with --set or a JSON --spec file, and "
                                        "the classes and input shape directly or from a data set with --data."));
    const QCommandLineOption arch(QStringLiteral("arch"), tr("mlp, cnn, rnn or text."), QStringLiteral("ARCH"));
    const QCommandLineOption spec(QStringLiteral("spec"), tr("A JSON file with the spec (see the fields below)."), QStringLiteral("FILE"));
    const QCommandLineOption set(QStringLiteral("set"),
        tr("Set a spec field, e.g. --set hidden=256,128 --set dropout=0.2 (repeatable)."), QStringLiteral("KEY=VALUE"));
    const QCommandLineOption classes(QStringLiteral("classes"), tr("Number of classes."), QStringLiteral("N"));
    const QCommandLineOption labels(QStringLiteral("labels"), tr("Class names, comma separated."), QStringLiteral("NAMES"));
    const QCommandLineOption shape(QStringLiteral("input-shape"), tr("Shape of one sample, e.g. 1,28,28."), QStringLiteral("SHAPE"));
    const QCommandLineOption output({ QStringLiteral("o"), QStringLiteral("output") }, tr("Where to write the model (.pt)."),
        QStringLiteral("FILE"));
    parser.addOptions({ arch, spec, set, classes, labels, shape, output });
    const DataFlags data;
    data.addTo(parser);
    const Common common;
    if (auto code = parse(parser, arguments, common, 0))
        return *code;
    if (!parser.isSet(output))
        return fail(tr("give the file to write with -o FILE.pt."), Usage);

    json s = json::object();
    if (parser.isSet(spec)) {
        QFile file(parser.value(spec));
        if (!file.open(QIODevice::ReadOnly))
            return fail(tr("%1 cannot be read; check the path.").arg(parser.value(spec)));
        const std::string text = file.readAll().toStdString();
        if (!json::accept(text))
            return fail(tr("%1 is not valid JSON.").arg(parser.value(spec)));
        s = json::parse(text);
        if (!s.is_object())
            return fail(tr("%1 must hold a JSON object, such as {\"arch\": \"mlp\"}.").arg(parser.value(spec)));
    }
    if (parser.isSet(arch))
        s["arch"] = parser.value(arch).toStdString();
    for (const QString& assignment : parser.values(set)) {
        std::string key, value;
        if (!maas::engine::splitSetting(assignment.toStdString(), key, value))
            return fail(tr("--set '%1' needs KEY=VALUE, e.g. --set hidden=256,128.").arg(assignment), Usage);
        s[key] = maas::engine::parseSettingValue(value);
    }
    if (parser.isSet(classes))
        s["classes"] = parser.value(classes).toLongLong();
    if (parser.isSet(labels))
        s["labels"] = maas::engine::parseSettingValue(
            (parser.value(labels) + (parser.value(labels).contains(QLatin1Char(',')) ? QString() : QStringLiteral(","))).toStdString());
    if (s.contains("labels") && s["labels"].is_array() && !s["labels"].empty() && s["labels"].back() == "")
        s["labels"].erase(s["labels"].size() - 1);
    if (parser.isSet(shape)) {
        bool ok = false;
        s["input_shape"] = parseShape(parser.value(shape), &ok);
        if (!ok)
            return fail(tr("--input-shape '%1' is not a shape; write positive sizes separated by commas.").arg(parser.value(shape)), Usage);
    }
    if (parser.isSet(data.data))
        s = maas::engine::completeSpec(s, data.open(parser, QStringLiteral("train"), {}));
    const auto model = maas::engine::buildModel(s);
    model.save(parser.value(output).toStdString());
    const auto report = model.inspect();
    if (parser.isSet(common.json)) {
        printJson({ { "model", parser.value(output).toStdString() }, { "parameters", report.totalParameters },
            { "card", model.card().toJson() } });
    } else {
        out() << tr("%1: a new %2 with %3 parameters, %4 classes, written to %5")
                     .arg(QString::fromStdString(model.card().name), QString::fromStdString(s["arch"].get<std::string>()),
                         maas::app::formatCount(report.totalParameters))
                     .arg(model.card().labels.size())
                     .arg(parser.value(output))
              << Qt::endl;
    }
    return Success;
}

int Cli::train(const QStringList& arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(tr("Trains a model on a data set and writes the trained model. MODEL is a model "
                                        "file (one from maas new, or an imported TorchScript model to fine-tune); or "
                                        "leave it out and give --arch to build one for the data. Ctrl-C stops after the "
                                        "current batch; with --checkpoint, --resume continues exactly where it stopped."));
    parser.addPositionalArgument(QStringLiteral("MODEL"), tr("The model to train (.pt)."), QStringLiteral("[MODEL]"));
    const QCommandLineOption output({ QStringLiteral("o"), QStringLiteral("output") }, tr("Where to write the trained model (.pt)."),
        QStringLiteral("FILE"));
    const QCommandLineOption arch(QStringLiteral("arch"), tr("Build a new mlp, cnn, rnn or text model for the data instead of MODEL."),
        QStringLiteral("ARCH"));
    const QCommandLineOption epochs(QStringLiteral("epochs"), tr("Passes over the data (default 10)."), QStringLiteral("N"));
    const QCommandLineOption batch(QStringLiteral("batch-size"), tr("Samples per step (default 128)."), QStringLiteral("N"));
    const QCommandLineOption optimizer(QStringLiteral("optimizer"), tr("sgd, adam or adamw (default adam)."), QStringLiteral("NAME"));
    const QCommandLineOption lr(QStringLiteral("lr"), tr("Learning rate (default 0.001; 0.01 for text classifiers)."), QStringLiteral("RATE"));
    const QCommandLineOption momentum(QStringLiteral("momentum"), tr("SGD momentum (default 0.9)."), QStringLiteral("M"));
    const QCommandLineOption nesterov(QStringLiteral("nesterov"), tr("SGD with Nesterov momentum."));
    const QCommandLineOption decay(QStringLiteral("weight-decay"), tr("Weight decay (default 0)."), QStringLiteral("W"));
    const QCommandLineOption schedule(QStringLiteral("schedule"), tr("Learning-rate schedule: none, step, cosine or onecycle."),
        QStringLiteral("NAME"));
    const QCommandLineOption stepEpochs(QStringLiteral("step-epochs"), tr("Step schedule: epochs between steps (default 5)."),
        QStringLiteral("N"));
    const QCommandLineOption gamma(QStringLiteral("gamma"), tr("Step schedule: factor per step (default 0.1)."), QStringLiteral("G"));
    const QCommandLineOption validation(QStringLiteral("validation"), tr("Fraction held out for validation (default 0.1)."),
        QStringLiteral("F"));
    const QCommandLineOption seed(QStringLiteral("seed"), tr("Random seed: the same seed repeats the same run (default 42)."),
        QStringLiteral("N"));
    const QCommandLineOption patience(QStringLiteral("patience"),
        tr("Stop after N epochs without better validation accuracy and keep the best epoch."), QStringLiteral("N"));
    const QCommandLineOption checkpoint(QStringLiteral("checkpoint"), tr("Write a checkpoint here after every epoch."),
        QStringLiteral("FILE"));
    const QCommandLineOption resume(QStringLiteral("resume"), tr("Continue from --checkpoint."));
    const QCommandLineOption freeze(QStringLiteral("freeze"), tr("Keep parameters whose names start with PREFIX as they are (repeatable)."),
        QStringLiteral("PREFIX"));
    parser.addOptions({ output, arch, epochs, batch, optimizer, lr, momentum, nesterov, decay, schedule, stepEpochs, gamma,
        validation, seed, patience, checkpoint, resume, freeze });
    const DataFlags data;
    data.addTo(parser);
    const Common common;
    if (auto code = parse(parser, arguments, common, 0))
        return *code;
    if (!parser.isSet(data.data))
        return fail(tr("give the data set with --data PATH."), Usage);
    if (!parser.isSet(output))
        return fail(tr("give the file to write with -o FILE.pt."), Usage);
    if (parser.positionalArguments().isEmpty() == !parser.isSet(arch))
        return fail(tr("give either a MODEL file or --arch to build one, not both or neither."), Usage);

    maas::engine::TrainOptions o;
    const auto number = [&](const QCommandLineOption& option, auto& target) -> bool {
        if (!parser.isSet(option))
            return true;
        bool ok = false;
        const double v = parser.value(option).toDouble(&ok);
        if (!ok)
            return false;
        target = static_cast<std::remove_reference_t<decltype(target)>>(v);
        return true;
    };
    if (!number(epochs, o.epochs) || !number(batch, o.batchSize) || !number(lr, o.learningRate) || !number(momentum, o.momentum)
        || !number(decay, o.weightDecay) || !number(stepEpochs, o.stepEpochs) || !number(gamma, o.gamma)
        || !number(validation, o.validationFraction) || !number(seed, o.seed) || !number(patience, o.patience))
        return fail(tr("a numeric option has a value that is not a number; see maas train --help."), Usage);
    if (parser.isSet(optimizer)) {
        const auto named = maas::engine::optimizerFromString(parser.value(optimizer).toStdString());
        if (!named)
            return fail(tr("--optimizer '%1' is not known; use sgd, adam or adamw.").arg(parser.value(optimizer)), Usage);
        o.optimizer = *named;
    }
    if (parser.isSet(schedule)) {
        const auto named = maas::engine::scheduleFromString(parser.value(schedule).toStdString());
        if (!named)
            return fail(tr("--schedule '%1' is not known; use none, step, cosine or onecycle.").arg(parser.value(schedule)), Usage);
        o.schedule = *named;
    }
    o.nesterov = parser.isSet(nesterov);
    o.checkpoint = parser.value(checkpoint).toStdString();
    o.resume = parser.isSet(resume);
    for (const auto& prefix : parser.values(freeze))
        o.freeze.push_back(prefix.toStdString());

    // A model file fixes the class order; a model built here takes the data's.
    std::optional<maas::engine::Model> loaded;
    if (!parser.isSet(arch))
        loaded = loadModel(parser.positionalArguments().first());
    auto dataset = data.open(parser, QStringLiteral("train"), loaded ? loaded->card().labels : std::vector<std::string> {});
    auto model = loaded ? *loaded
                        : maas::engine::buildModel(maas::engine::completeSpec({ { "arch", parser.value(arch).toStdString() } }, dataset));

    const bool json = parser.isSet(common.json);
    QTextStream lines(json ? stderr : stdout);
    lines << tr("training %1 on %2 (%3)")
                 .arg(QString::fromStdString(model.card().name), parser.value(data.data), QString::fromStdString(dataset.describe()))
          << Qt::endl;
    Activity activity(tr("training"));
    std::signal(SIGINT, onInterrupt);
    namespace metric = maas::engine::metric;
    const auto result = maas::engine::train(model, dataset, o,
        [&](const maas::engine::Progress& p) {
            const auto m = [&](const char* key) { return p.metrics.count(key) ? p.metrics.at(key) : NAN; };
            if (!p.epochEnd) {
                activity.update(tr("epoch %1/%2 batch %3/%4 loss %5 %6 samples/s ETA %7")
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
            lines << tr("epoch %1/%2  loss %3  accuracy %4  validation loss %5  accuracy %6  %7 samples/s  %8")
                         .arg(m(metric::kEpoch))
                         .arg(o.epochs)
                         .arg(m(metric::kLoss), 0, 'f', 4)
                         .arg(percent(m(metric::kAccuracy)))
                         .arg(m(metric::kValidationLoss), 0, 'f', 4)
                         .arg(percent(m(metric::kValidationAccuracy)))
                         .arg(maas::app::formatExact(static_cast<std::int64_t>(m(metric::kSamplesPerSecond))))
                         .arg(maas::app::formatSeconds(m(metric::kSeconds)))
                  << Qt::endl;
        },
        &g_interrupt);
    std::signal(SIGINT, SIG_DFL);
    if (result.cancelled) {
        const int done = result.history.empty() ? 0 : result.history.back().epoch;
        return fail(o.checkpoint.empty()
                ? tr("training cancelled after %1 epochs; nothing was written.").arg(done)
                : tr("training cancelled; %1 holds epoch %2: continue with --resume.").arg(QString::fromStdString(o.checkpoint)).arg(done),
            130);
    }
    model.save(parser.value(output).toStdString());
    if (json) {
        auto j = maas::engine::toJson(result);
        j["model"] = parser.value(output).toStdString();
        j["card"] = model.card().toJson();
        printJson(j);
    } else {
        if (result.stoppedEarly)
            lines << tr("stopped early: no better validation accuracy for %1 epochs; kept epoch %2.")
                         .arg(o.patience)
                         .arg(result.bestEpoch)
                  << Qt::endl;
        if (result.stillImproving)
            lines << tr("the model was still improving at the end: more epochs would probably help (--epochs %1, "
                        "or --resume with a --checkpoint).")
                         .arg(o.epochs * 2)
                  << Qt::endl;
        lines << tr("trained model written to %1").arg(parser.value(output)) << Qt::endl;
    }
    return Success;
}

int Cli::eval(const QStringList& arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(tr("Scores a model on a labelled data set: loss, accuracy, top-k accuracy, per-class "
                                        "precision, recall and F1, and the confusion matrix. IDX folders use their test "
                                        "split unless --split says otherwise."));
    parser.addPositionalArgument(QStringLiteral("MODEL"), tr("A TorchScript model (.pt)."));
    const QCommandLineOption topK(QStringLiteral("top-k"), tr("K for top-k accuracy (default 5)."), QStringLiteral("K"),
        QStringLiteral("5"));
    parser.addOption(topK);
    const DataFlags data;
    data.addTo(parser);
    const Common common;
    if (auto code = parse(parser, arguments, common, 1))
        return *code;
    if (!parser.isSet(data.data))
        return fail(tr("give the data set with --data PATH."), Usage);
    bool ok = false;
    const int k = parser.value(topK).toInt(&ok);
    if (!ok || k < 1)
        return fail(tr("--top-k must be a positive whole number."), Usage);

    const auto model = loadModel(parser.positionalArguments().first());
    auto dataset = data.open(parser, QStringLiteral("test"), model.card().labels);
    maas::engine::Evaluation e;
    {
        Activity activity(tr("evaluating"));
        e = maas::engine::evaluate(model, dataset, k, [&](const maas::engine::Progress& p) { activity.update(tr("evaluating"), p.fraction); });
    }
    if (parser.isSet(common.json)) {
        printJson(maas::engine::toJson(e));
        return Success;
    }
    QTextStream& o = out();
    o << tr("%1 samples  loss %2  accuracy %3  top-%4 accuracy %5")
             .arg(maas::app::formatExact(e.samples))
             .arg(e.loss, 0, 'f', 4)
             .arg(percent(e.accuracy))
             .arg(e.k)
             .arg(percent(e.topK))
          << "\n\n";
    o << QStringLiteral("%1 %2 %3 %4 %5\n")
             .arg(tr("class").leftJustified(16), tr("precision").rightJustified(10), tr("recall").rightJustified(10),
                 tr("F1").rightJustified(10), tr("support").rightJustified(10));
    for (const auto& c : e.perClass)
        o << QStringLiteral("%1 %2 %3 %4 %5\n")
                 .arg(QString::fromStdString(c.label).left(16).leftJustified(16), percent(c.precision).rightJustified(10),
                     percent(c.recall).rightJustified(10), percent(c.f1).rightJustified(10),
                     maas::app::formatExact(c.support).rightJustified(10));
    o << '\n' << tr("confusion matrix (rows: true class, columns: predicted)") << '\n';
    for (std::size_t r = 0; r < e.confusion.size(); ++r) {
        o << QString::fromStdString(e.perClass[r].label).left(16).leftJustified(16);
        for (auto v : e.confusion[r])
            o << QString::number(v).rightJustified(7);
        o << '\n';
    }
    o.flush();
    return Success;
}

} // namespace maas::cli
