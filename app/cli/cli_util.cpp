#include "cli_util.h"

#include <QCoreApplication>

#include <cmath>
#include <map>

#include "activity.h"
#include "maas/engine/dataset.h"
#include "maas/engine/error.h"
#include "maas/engine/runtime.h"

namespace maas::cli {

QTextStream& out()
{
    static QTextStream stream(stdout);
    return stream;
}

QString errorMessage(const maas::engine::Error& error)
{
    // The engine's field ids and the flags that set them. "arch" stays the engine's sentence: it also
    // names spec fields given with --set and --spec.
    static const std::map<std::string, const char*> flags { { "epochs", "--epochs" }, { "batch_size", "--batch-size" },
        { "learning_rate", "--lr" }, { "validation_fraction", "--validation" }, { "weight_decay", "--weight-decay" },
        { "momentum", "--momentum" }, { "step_epochs", "--step-epochs" }, { "gamma", "--gamma" },
        { "checkpoint", "--checkpoint" }, { "freeze", "--freeze" }, { "classes", "--classes" },
        { "input_shape", "--input-shape" }, { "label_column", "--label-column" }, { "set", "--set" },
        { "output", "--output" } };
    const auto flag = flags.find(error.field());
    if (flag == flags.end())
        return QString::fromStdString(error.what());
    return QCoreApplication::translate("Cli", "%1 %2", "a command-line flag, then what is wrong with its value")
        .arg(QLatin1String(flag->second), QString::fromStdString(error.detail()));
}

int fail(const QString& message, int code)
{
    out().flush();
    QTextStream err(stderr);
    err << QCoreApplication::translate("Cli", "maas: error: %1").arg(message) << Qt::endl;
    return code;
}
std::optional<int> parse(
    QCommandLineParser& parser, const QStringList& arguments, const Common& common, int minimumPositionals)
{
    parser.setSingleDashWordOptionMode(QCommandLineParser::ParseAsLongOptions);
    const QCommandLineOption help(
        { QStringLiteral("h"), QStringLiteral("help") }, QCoreApplication::translate("Cli", "Show this help."));
    parser.addOption(help);
    parser.addOption(common.json);
    parser.addOption(common.threads);
    if (!parser.parse(arguments))
        return fail(parser.errorText() + QLatin1Char('\n') + parser.helpText(), Usage);
    if (parser.isSet(help)) {
        out() << parser.helpText();
        return Success;
    }
    if (parser.positionalArguments().size() < minimumPositionals)
        return fail(
            QCoreApplication::translate("Cli", "missing arguments.") + QLatin1Char('\n') + parser.helpText(), Usage);
    if (parser.isSet(common.threads)) {
        bool ok = false;
        const int n = parser.value(common.threads).toInt(&ok);
        if (!ok || n < 1 || n > 1024)
            return fail(QCoreApplication::translate("Cli", "--threads must be a whole number from 1 to 1024, not '%1'.")
                            .arg(parser.value(common.threads)),
                Usage);
        maas::engine::configureThreads(n);
    }
    return std::nullopt;
}

std::vector<std::int64_t> parseShape(const QString& text, bool* ok)
{
    std::vector<std::int64_t> shape;
    *ok = !text.isEmpty();
    for (const QString& part : text.split(QLatin1Char(','), Qt::SkipEmptyParts)) {
        bool good = false;
        const qlonglong d = part.toLongLong(&good);
        if (!good || d <= 0)
            *ok = false;
        shape.push_back(d);
    }
    return shape;
}

std::optional<maas::engine::InputShape> parseInputShape(const QString& text)
{
    const auto colon = text.indexOf(QLatin1Char(':'));
    bool ok = false;
    maas::engine::InputShape input { parseShape(colon < 0 ? text : text.left(colon), &ok), std::nullopt };
    if (!ok)
        return std::nullopt;
    if (colon >= 0) {
        input.dtype = maas::engine::parseDataType(text.mid(colon + 1).trimmed().toUpper().toStdString());
        if (!input.dtype || *input.dtype == maas::engine::DataType::Bytes)
            return std::nullopt;
    }
    return input;
}

QCommandLineOption inputShapeOption(const QString& purpose)
{
    return QCommandLineOption(QStringLiteral("input-shape"),
        QCoreApplication::translate("Cli",
            "%1 Sizes separated by commas, with the batch first, and optionally a datatype after a colon: "
            "1,3,224,224 or 1,32:INT64 (token ids). Without one, the card's datatype. Once per model input.")
            .arg(purpose),
        QStringLiteral("SHAPE[:TYPE]"));
}

std::optional<int> readInputShapes(
    const QCommandLineParser& parser, const QCommandLineOption& option, std::vector<maas::engine::InputShape>& shapes)
{
    for (const QString& text : parser.values(option)) {
        auto input = parseInputShape(text);
        if (!input)
            return fail(QCoreApplication::translate("Cli",
                            "--input-shape '%1' is not a shape; write positive sizes separated by commas, "
                            "optionally with a datatype after a colon, e.g. 1,3,224,224 or 1,32:INT64 (one of "
                            "BOOL, UINT8, INT8, INT16, INT32, INT64, FP16, FP32, FP64).")
                            .arg(text),
                Usage);
        shapes.push_back(std::move(*input));
    }
    return std::nullopt;
}

maas::engine::Dataset DataFlags::open(
    const QCommandLineParser& parser, const QString& defaultSplit, const std::vector<std::string>& classes) const
{
    maas::engine::DataOptions o;
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
            throw maas::engine::Error(
                maas::engine::ErrorKind::InvalidInput, "--limit must be a positive whole number.");
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
    auto dataset = maas::engine::Dataset::open(parser.value(data).toStdString(), o);
    if (dataset.skipped() > 0)
        QTextStream(stderr) << QCoreApplication::translate("Cli", "maas: skipped %1 unreadable samples (first: %2)")
                                   .arg(dataset.skipped())
                                   .arg(QString::fromStdString(dataset.firstSkipReason()))
                            << Qt::endl;
    return dataset;
}

maas::engine::Model loadModel(const QString& path)
{
    Activity activity(QCoreApplication::translate("Cli", "loading %1").arg(path));
    return maas::engine::Model::load(path.toStdString());
}

void warnAboutCard(const maas::engine::Model& model)
{
    const std::string warning = maas::engine::labelsWarning(model);
    if (warning.empty())
        return;
    out().flush();
    QTextStream err(stderr);
    err << QCoreApplication::translate("Cli", "maas: warning: %1").arg(QString::fromStdString(warning)) << Qt::endl;
}

void printJson(const nlohmann::json& json) { out() << QString::fromStdString(json.dump(2)) << Qt::endl; }

QString percent(double v)
{
    return std::isnan(v) ? QStringLiteral("-") : QString::number(v * 100.0, 'f', 1) + QLatin1Char('%');
}

QString shapeText(const std::vector<std::int64_t>& shape)
{
    return QString::fromStdString(maas::engine::shapeToString(shape));
}

} // namespace maas::cli
