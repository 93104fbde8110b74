// `maas new`: build a new model from an architecture spec.
#include <QCommandLineParser>
#include <QTextStream>

#include <limits>
#include <optional>

#include "cli_util.h"
#include "commands.h"
#include "maas/app/format.h"
#include "maas/engine/architectures.h"
#include "maas/engine/card.h"
#include "maas/engine/output.h"

namespace maas::cli {

using nlohmann::json;

int Cli::newModel(const QStringList& arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        tr("Builds a new model as TorchScript: an MLP, a CNN, an RNN (LSTM or GRU) or a text "
           "classifier. Give the architecture's fields with --set or a JSON --spec file, and "
           "the classes and input shape directly or from a data set with --data."));
    const QCommandLineOption arch(QStringLiteral("arch"), tr("mlp, cnn, rnn or text."), QStringLiteral("ARCH"));
    const QCommandLineOption spec(
        QStringLiteral("spec"), tr("A JSON file with the spec (see the fields below)."), QStringLiteral("FILE"));
    const QCommandLineOption set(QStringLiteral("set"),
        tr("Set a spec field, e.g. --set hidden=256,128 --set dropout=0.2 (repeatable)."), QStringLiteral("KEY=VALUE"));
    const QCommandLineOption classes(QStringLiteral("classes"), tr("Number of classes."), QStringLiteral("N"));
    const QCommandLineOption labels(
        QStringLiteral("labels"), tr("Class names, comma separated."), QStringLiteral("NAMES"));
    const QCommandLineOption shape(
        QStringLiteral("input-shape"), tr("Shape of one sample, e.g. 1,28,28."), QStringLiteral("SHAPE"));
    const QCommandLineOption output({ QStringLiteral("o"), QStringLiteral("output") },
        tr("Where to write the model (.pt)."), QStringLiteral("FILE"));
    parser.addOptions({ arch, spec, set, classes, labels, shape, output });
    const DataFlags data;
    data.addTo(parser);
    const Common common;
    if (auto code = parse(parser, arguments, common, 0, 0))
        return *code;
    if (!parser.isSet(output))
        return fail(tr("give the file to write with -o FILE.pt."), Usage);
    const auto dataOptions = data.options(parser, QStringLiteral("train"));
    maas::engine::checkOutput(parser.value(output).toStdString(),
        { parser.value(data.data).toStdString(), parser.value(spec).toStdString() });

    json s = parser.isSet(spec) ? maas::engine::readModelSpec(parser.value(spec).toStdString()) : json::object();
    if (parser.isSet(arch))
        s["arch"] = parser.value(arch).toStdString();
    if (s.contains("arch") && s["arch"].is_string())
        checkUsage([&] { maas::engine::checkArchitecture(s["arch"].get<std::string>()); });
    for (const QString& assignment : parser.values(set)) {
        std::string key, value;
        if (!maas::engine::splitSetting(assignment.toStdString(), key, value))
            return fail(tr("--set '%1' needs KEY=VALUE, e.g. --set hidden=256,128.").arg(assignment), Usage);
        s[key] = maas::engine::parseSettingValue(value);
    }
    if (parser.isSet(classes))
        s["classes"] = wholeNumber(parser, classes, 0, 1, std::numeric_limits<std::int64_t>::max());
    if (parser.isSet(labels)) {
        try {
            s["labels"] = maas::engine::parseLabels(parser.value(labels).toStdString());
        } catch (const maas::engine::Error& e) {
            throw UsageError(QStringLiteral("--labels %1").arg(QString::fromStdString(e.detail())));
        }
    }
    if (parser.isSet(shape)) {
        bool ok = false;
        s["input_shape"] = parseShape(parser.value(shape), &ok);
        if (!ok)
            return fail(tr("--input-shape '%1' is not a shape; write positive sizes separated by commas.")
                            .arg(parser.value(shape)),
                Usage);
    }
    if (parser.isSet(data.data))
        s = maas::engine::completeSpec(s, data.open(parser, dataOptions, {}));
    // The spec is the command line's (its flags, --set and --spec): a field it gets wrong is a usage error.
    std::optional<maas::engine::Model> built;
    checkUsage([&] { built = maas::engine::buildModel(s); });
    const auto& model = *built;
    model.save(parser.value(output).toStdString());
    const auto report = model.inspect();
    if (parser.isSet(common.json)) {
        printJson({ { "model", parser.value(output).toStdString() }, { "parameters", report.totalParameters },
            { "card", model.card().toJson() } });
    } else {
        out() << tr("%1: a new %2 with %3 parameters, %4 classes, written to %5")
                     .arg(QString::fromStdString(model.card().name),
                         QString::fromStdString(s["arch"].get<std::string>()),
                         maas::app::formatCount(report.totalParameters))
                     .arg(model.card().labels.size())
                     .arg(parser.value(output))
              << Qt::endl;
    }
    return Success;
}

} // namespace maas::cli
