#include "cli_util.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QSaveFile>

#include <algorithm>
#include <cmath>
#include <csignal>
#include <cstring>
#include <limits>
#include <map>

#include "activity.h"
#include "maas/app/textinput.h"
#include "maas/engine/dataset.h"
#include "maas/engine/error.h"
#include "maas/engine/limits.h"
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
        { "output", "--output" }, { "onnx", "--onnx" }, { "opset", "--opset" }, { "patience", "--patience" },
        { "top_k", "--top-k" }, { "image_size", "--image-size" }, { "tolerance", "--tolerance" },
        { "engine", "--engine" }, { "max_drop", "--max-drop" }, { "dtype", "--dtype" }, { "sparsity", "--sparsity" },
        { "steps", "--steps" }, { "temperature", "--temperature" }, { "alpha", "--alpha" }, { "mode", "--static" },
        { "calibration", "--calibration" }, { "lite", "--lite" }, { "trace", "--trace" }, { "folded", "--folded" },
        { "batch", "--batch" }, { "threads", "--threads" }, { "duration", "--duration" },
        { "iterations", "--iterations" }, { "warmup", "--warmup" }, { "runs", "--runs" } };
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
namespace {

// The parser's help with the subcommand's name ("maas inspect") where Qt puts the program's path.
QString helpText(const QCommandLineParser& parser, const QStringList& arguments)
{
    QString text = parser.helpText();
    const QString program = QCoreApplication::arguments().value(0);
    if (const auto at = text.indexOf(program); !program.isEmpty() && at >= 0)
        text.replace(at, program.size(), arguments.value(0));
    return text;
}

maas::engine::CancelToken g_interrupt;

// A signal handler may only touch lock-free atomics: cancel() would take the token's mutex, which the
// engine's thread may hold. A second Ctrl-C ends the process, for a step that does not check the token.
void onInterrupt(int)
{
    g_interrupt.cancelFromSignal();
    std::signal(SIGINT, SIG_DFL);
}

} // namespace

InterruptScope::InterruptScope() { std::signal(SIGINT, onInterrupt); }
InterruptScope::~InterruptScope() { std::signal(SIGINT, SIG_DFL); }
maas::engine::CancelToken* InterruptScope::token() { return &g_interrupt; }

void checkUsage(const std::function<void()>& check)
{
    try {
        check();
    } catch (const maas::engine::Error& e) {
        // Only a value found wrong is the command line's mistake; memory, files and LibTorch failures are not.
        const bool aboutAValue
            = e.kind() == maas::engine::ErrorKind::InvalidInput || e.kind() == maas::engine::ErrorKind::InvalidCard;
        if (!aboutAValue || e.field().empty())
            throw;
        throw UsageError(errorMessage(e));
    }
}

std::int64_t wholeNumber(const QCommandLineParser& parser, const QCommandLineOption& option, std::int64_t fallback,
    std::int64_t minimum, std::int64_t maximum)
{
    if (!parser.isSet(option))
        return fallback;
    bool ok = false;
    const qlonglong v = parser.value(option).trimmed().toLongLong(&ok);
    if (ok && v >= minimum && v <= maximum)
        return v;
    const QString flag = option.names().constLast();
    if (maximum == std::numeric_limits<std::int64_t>::max())
        throw UsageError(QCoreApplication::translate("Cli", "--%1 must be a whole number of at least %2, not '%3'.")
                             .arg(flag)
                             .arg(minimum)
                             .arg(parser.value(option)));
    throw UsageError(QCoreApplication::translate("Cli", "--%1 must be a whole number from %2 to %3, not '%4'.")
                         .arg(flag)
                         .arg(minimum)
                         .arg(maximum)
                         .arg(parser.value(option)));
}

double realNumber(const QCommandLineParser& parser, const QCommandLineOption& option, double fallback)
{
    if (!parser.isSet(option))
        return fallback;
    bool ok = false;
    const double v = parser.value(option).trimmed().toDouble(&ok);
    if (!ok || !std::isfinite(v))
        throw UsageError(QCoreApplication::translate("Cli", "--%1 must be a number, such as 0.5, not '%2'.")
                             .arg(option.names().constLast(), parser.value(option)));
    return v;
}

std::vector<int> wholeNumbers(const QCommandLineParser& parser, const QCommandLineOption& option,
    const std::vector<int>& fallback, int minimum, int maximum)
{
    if (!parser.isSet(option))
        return fallback;
    const QString text = parser.values(option).join(QLatin1Char(','));
    if (auto values = maas::app::parseWholeNumbers(text, minimum, maximum))
        return *values;
    throw UsageError(QCoreApplication::translate(
        "Cli", "--%1 takes whole numbers from %2 to %3 separated by commas, such as 1,2,4, not '%4'.")
                         .arg(option.names().constLast())
                         .arg(minimum)
                         .arg(maximum)
                         .arg(text));
}

double timeSpan(
    const QCommandLineParser& parser, const QCommandLineOption& option, double fallback, const QString& bareUnit)
{
    if (!parser.isSet(option))
        return fallback;
    QString text = parser.value(option).trimmed().toLower();
    double scale = bareUnit == QLatin1String("s") ? 1000.0 : 1.0;
    for (const auto& [suffix, factor] :
        { std::pair { "ms", 1.0 }, { "s", 1000.0 }, { "m", 60000.0 }, { "h", 3600000.0 } })
        if (text.endsWith(QLatin1String(suffix))) {
            text.chop(static_cast<int>(std::strlen(suffix)));
            scale = factor;
            break;
        }
    bool ok = false;
    const double v = text.trimmed().toDouble(&ok);
    if (!ok || !std::isfinite(v) || v <= 0 || v * scale > 24 * 3600 * 1000.0)
        throw UsageError(QCoreApplication::translate(
            "Cli", "--%1 must be a time above 0 and under a day, such as 5s, 500ms, 2m or 1h, not '%2'.")
                             .arg(option.names().constLast(), parser.value(option)));
    return v * scale;
}

std::optional<int> parse(QCommandLineParser& parser, const QStringList& arguments, const Common& common,
    int minimumPositionals, int maximumPositionals)
{
    parser.setSingleDashWordOptionMode(QCommandLineParser::ParseAsLongOptions);
    const QCommandLineOption help(
        { QStringLiteral("h"), QStringLiteral("help") }, QCoreApplication::translate("Cli", "Show this help."));
    parser.addOption(help);
    parser.addOption(common.json);
    parser.addOption(common.threads);
    if (!parser.parse(arguments))
        return fail(parser.errorText() + QLatin1Char('\n') + helpText(parser, arguments), Usage);
    if (parser.isSet(help)) {
        out() << helpText(parser, arguments);
        return Success;
    }
    const auto given = parser.positionalArguments().size();
    if (given < minimumPositionals)
        return fail(
            QCoreApplication::translate("Cli", "missing arguments.") + QLatin1Char('\n') + helpText(parser, arguments),
            Usage);
    if (maximumPositionals >= 0 && given > maximumPositionals)
        return fail(QCoreApplication::translate("Cli", "'%1' is one argument too many; see `%2 --help`.")
                        .arg(parser.positionalArguments().value(maximumPositionals), arguments.value(0)),
            Usage);
    if (parser.isSet(common.threads)) {
        if (!common.threadsList) // a list is the command's to sweep
            maas::engine::configureThreads(
                static_cast<int>(wholeNumber(parser, common.threads, 0, 1, maas::engine::kMaxThreads)));
    } else if (const auto problem = maas::engine::threadsEnvironmentProblem(); !problem.empty())
        throw UsageError(QString::fromStdString(problem)); // the budget would come from it
    return std::nullopt;
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
        auto input = maas::app::parseInputShape(text);
        if (!input)
            return fail(QCoreApplication::translate("Cli",
                            "--input-shape '%1' is not a shape; write positive sizes separated by commas, "
                            "optionally with a datatype after a colon, e.g. 1,3,224,224 or 1,32:INT64 (one of "
                            "BOOL, UINT8, INT8, INT16, INT32, INT64, FP16, FP32, FP64).")
                            .arg(text),
                Usage);
        // Sized before any memory is taken (a product past the limit may overflow: divide instead).
        std::int64_t left = maas::engine::limits::kSampleElements;
        for (const auto d : input->shape)
            left = d > 0 ? left / d : 0;
        if (left < 1)
            throw UsageError(QCoreApplication::translate(
                "Cli", "--input-shape '%1' has more than the limit of %2 values; give a smaller shape.")
                                 .arg(text)
                                 .arg(maas::engine::limits::kSampleElements));
        shapes.push_back(std::move(*input));
    }
    return std::nullopt;
}

maas::engine::DataOptions DataFlags::options(const QCommandLineParser& parser, const QString& defaultSplit) const
{
    maas::engine::DataOptions o;
    if (parser.isSet(labelColumn))
        o.labelColumn = parser.value(labelColumn).toStdString();
    if (parser.isSet(textColumn))
        o.textColumn = parser.value(textColumn).toStdString();
    o.split = (parser.isSet(split) ? parser.value(split) : defaultSplit).toStdString();
    if (o.split != "train" && o.split != "test")
        throw UsageError(
            QCoreApplication::translate("Cli", "--split must be train or test, not '%1'.").arg(parser.value(split)));
    o.limit = wholeNumber(parser, limit, 0, 1, std::numeric_limits<std::int64_t>::max());
    if (parser.isSet(imageSize)) {
        const auto parts = parser.value(imageSize).split(QLatin1Char('x'));
        bool wOk = false, hOk = false;
        const int w = parts.value(0).toInt(&wOk), h = parts.value(1).toInt(&hOk);
        if (parts.size() != 2 || !wOk || !hOk || w < 1 || h < 1)
            throw UsageError(QCoreApplication::translate("Cli", "--image-size must look like 28x28, not '%1'.")
                                 .arg(parser.value(imageSize)));
        namespace limits = maas::engine::limits;
        if (w > limits::kImageSide || h > limits::kImageSide || qint64(w) * h > limits::kImagePixels)
            throw UsageError(QCoreApplication::translate("Cli",
                "--image-size %1 is past the limit of %2 pixels a side and %3 pixels in all; give a smaller size.")
                                 .arg(parser.value(imageSize))
                                 .arg(limits::kImageSide)
                                 .arg(limits::kImagePixels));
        o.imageWidth = w;
        o.imageHeight = h;
    }
    return o;
}

maas::engine::Dataset DataFlags::open(
    const QCommandLineParser& parser, maas::engine::DataOptions o, const std::vector<std::string>& classes) const
{
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

// Text read from a file (an ONNX model's names, say) may not be UTF-8: such bytes print as U+FFFD.
void printJson(const nlohmann::json& json)
{
    out() << QString::fromStdString(json.dump(2, ' ', false, nlohmann::json::error_handler_t::replace)) << Qt::endl;
}

QString printable(QString text)
{
    for (auto& c : text)
        if (c.category() == QChar::Other_Control)
            c = QChar::ReplacementCharacter;
    return text;
}

QString percent(double v)
{
    return std::isnan(v) ? QStringLiteral("-") : QString::number(v * 100.0, 'f', 1) + QLatin1Char('%');
}

QString shapeText(const std::vector<std::int64_t>& shape)
{
    return QString::fromStdString(maas::engine::shapeToString(shape));
}

} // namespace maas::cli
