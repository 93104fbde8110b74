// `maas new`: build a new model from an architecture spec.
#include <QCommandLineParser>
#include <QTextStream>

#include <limits>
#include <optional>

#include "cli_util.h"
#include "commands.h"
#include "maas/app/format.h"
#include "maas/app/textinput.h"
#include "maas/engine/architectures.h"
#include "maas/engine/card.h"
#include "maas/engine/output.h"

namespace maas::cli {

using nlohmann::json;

namespace {

// The options of `maas new`, besides the data set's and the common ones.
struct NewFlags {
    QCommandLineOption arch { QStringLiteral("arch"), Cli::tr("mlp, cnn, rnn or text."), QStringLiteral("ARCH") };
    QCommandLineOption spec { QStringLiteral("spec"), Cli::tr("A JSON file with the spec (see the fields below)."),
        QStringLiteral("FILE") };
    QCommandLineOption set { QStringLiteral("set"),
        Cli::tr("Set a spec field, e.g. --set hidden=256,128 --set dropout=0.2 (repeatable)."),
        QStringLiteral("KEY=VALUE") };
    QCommandLineOption classes { QStringLiteral("classes"), Cli::tr("Number of classes."), QStringLiteral("N") };
    QCommandLineOption labels { QStringLiteral("labels"), Cli::tr("Class names, comma separated."),
        QStringLiteral("NAMES") };
    QCommandLineOption shape { QStringLiteral("input-shape"), Cli::tr("Shape of one sample, e.g. 1,28,28."),
        QStringLiteral("SHAPE") };
    QCommandLineOption output { { QStringLiteral("o"), QStringLiteral("output") },
        Cli::tr("Where to write the model (.pt)."), QStringLiteral("FILE") };
    DataFlags data;
    Common common;

    void addTo(QCommandLineParser& parser) const
    {
        parser.setApplicationDescription(
            Cli::tr("Builds a new model as TorchScript: an MLP, a CNN, an RNN (LSTM or GRU) or a text "
                    "classifier. Give the architecture's fields with --set or a JSON --spec file, and "
                    "the classes and input shape directly or from a data set with --data."));
        parser.addOptions({ arch, spec, set, classes, labels, shape, output });
        data.addTo(parser);
    }
};

// The spec the flags give (--spec, then --arch, --set, --classes, --labels, --input-shape over it); a
// mistake in them is a UsageError, found before any data is read.
json specFromFlags(const QCommandLineParser& parser, const NewFlags& f)
{
    json s = parser.isSet(f.spec) ? maas::engine::readModelSpec(parser.value(f.spec).toStdString()) : json::object();
    if (parser.isSet(f.arch))
        s["arch"] = parser.value(f.arch).toStdString();
    if (s.contains("arch") && s["arch"].is_string())
        checkUsage([&] { maas::engine::checkArchitecture(s["arch"].get<std::string>()); });
    for (const QString& assignment : parser.values(f.set)) {
        std::string key, value;
        if (!maas::engine::splitSetting(assignment.toStdString(), key, value))
            throw UsageError(Cli::tr("--set '%1' needs KEY=VALUE, e.g. --set hidden=256,128.").arg(assignment));
        s[key] = maas::engine::parseSettingValue(value);
    }
    if (parser.isSet(f.classes))
        s["classes"] = wholeNumber(parser, f.classes, 0, 1, std::numeric_limits<std::int64_t>::max());
    if (parser.isSet(f.labels)) {
        try {
            s["labels"] = maas::engine::parseLabels(parser.value(f.labels).toStdString());
        } catch (const maas::engine::Error& e) {
            throw UsageError(QStringLiteral("--labels %1").arg(QString::fromStdString(e.detail())));
        }
    }
    if (parser.isSet(f.shape)) {
        bool ok = false;
        s["input_shape"] = maas::app::parseShape(parser.value(f.shape), &ok);
        if (!ok)
            throw UsageError(Cli::tr("--input-shape '%1' is not a shape; write positive sizes separated by commas.")
                                 .arg(parser.value(f.shape)));
    }
    return s;
}

} // namespace

int Cli::newModel(const QStringList& arguments)
{
    QCommandLineParser parser;
    const NewFlags flags;
    flags.addTo(parser);
    if (auto code = parse(parser, arguments, flags.common, 0, 0))
        return *code;
    if (!parser.isSet(flags.output))
        return fail(tr("give the file to write with -o FILE.pt."), Usage);
    const QString output = parser.value(flags.output);
    const auto dataOptions = flags.data.options(parser, QStringLiteral("train"));
    maas::engine::checkOutput(
        output.toStdString(), { parser.value(flags.data.data).toStdString(), parser.value(flags.spec).toStdString() });

    json s = specFromFlags(parser, flags);
    if (parser.isSet(flags.data.data))
        s = maas::engine::completeSpec(s, flags.data.open(parser, dataOptions, {}));
    // The spec is the command line's (its flags, --set and --spec): a field it gets wrong is a usage error.
    std::optional<maas::engine::Model> built;
    checkUsage([&] { built = maas::engine::buildModel(s); });
    const auto& model = *built;
    model.save(output.toStdString());
    const auto report = model.inspect();
    if (parser.isSet(flags.common.json)) {
        printJson({ { "model", output.toStdString() }, { "parameters", report.totalParameters },
            { "card", model.card().toJson() } });
        return Success;
    }
    out() << tr("%1: a new %2 with %3 parameters, %4 classes, written to %5")
                 .arg(QString::fromStdString(model.card().name), QString::fromStdString(s["arch"].get<std::string>()),
                     maas::app::formatCount(report.totalParameters))
                 .arg(model.card().labels.size())
                 .arg(output)
          << Qt::endl;
    return Success;
}

} // namespace maas::cli
