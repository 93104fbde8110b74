#pragma once

#include <QCommandLineOption>
#include <QCommandLineParser>
#include <QCoreApplication>
#include <QTextStream>

#include <functional>
#include <optional>
#include <stdexcept>

#include <nlohmann/json.hpp>

#include "commands.h"
#include "maas/engine/dataset.h"
#include "maas/engine/error.h"
#include "maas/engine/model.h"
#include "maas/engine/progress.h"

namespace maas::cli {

/// The program's standard output.
QTextStream& out();

/// Prints "maas: error: MESSAGE" on stderr and returns `code`.
int fail(const QString& message, int code = Failure);

/// An engine error in the command line's words: an error about one option names its flag
/// ("--epochs must be at least 1."); others are the engine's sentence.
QString errorMessage(const maas::engine::Error& error);

/// A mistake on the command line: exit 2, before any file is read. Option readers throw it; dispatch
/// prints it. what() is the translated sentence in UTF-8.
class UsageError : public std::runtime_error {
public:
    explicit UsageError(const QString& message)
        : std::runtime_error(message.toStdString())
    {
    }
};

/// Runs an engine check of options (engine::checkTrainOptions, ...) and turns its Error into a UsageError
/// naming the flag.
void checkUsage(const std::function<void()>& check);

/// The value of a whole-number option from `minimum` to `maximum`, or `fallback` when it is not given.
/// Anything else ("1.5", "-1", "many", a number past the range) is a UsageError naming the flag and range.
std::int64_t wholeNumber(const QCommandLineParser& parser, const QCommandLineOption& option, std::int64_t fallback,
    std::int64_t minimum, std::int64_t maximum);

/// A comma-separated list of whole numbers ("1,8,32"), each from `minimum` to `maximum`, or `fallback` when
/// the option is not given; anything else is a UsageError naming the flag and the range.
std::vector<int> wholeNumbers(const QCommandLineParser& parser, const QCommandLineOption& option,
    const std::vector<int>& fallback, int minimum, int maximum);
/// A span of time in milliseconds: "5s", "500ms", "2m", or a bare number in `bareUnit` ("s" or "ms"); it
/// must be above 0. `fallback` when the option is not given; anything else is a UsageError.
double timeSpan(
    const QCommandLineParser& parser, const QCommandLineOption& option, double fallback, const QString& bareUnit);

/// The value of a real-number option, or `fallback` when it is not given; "nan", "inf" and words are a
/// UsageError (ranges are the engine's to check: see checkUsage).
double realNumber(const QCommandLineParser& parser, const QCommandLineOption& option, double fallback);

/// While one lives, the first Ctrl-C (SIGINT) cancels token() instead of killing the process, so a long
/// engine call stops at its next check and the command ends cleanly (exit 130); a second one kills it, as
/// usual. One at a time.
class InterruptScope {
public:
    InterruptScope();
    ~InterruptScope();
    InterruptScope(const InterruptScope&) = delete;
    InterruptScope& operator=(const InterruptScope&) = delete;
    maas::engine::CancelToken* token();
};

/// Options every subcommand shares.
struct Common {
    QCommandLineOption json { QStringLiteral("json"),
        QCoreApplication::translate("Cli", "Print JSON instead of text.") };
    QCommandLineOption threads { QStringLiteral("threads"),
        QCoreApplication::translate("Cli", "Use N LibTorch threads (default: one per core; or set MAAS_THREADS)."),
        QStringLiteral("N") };
    /// The command reads --threads itself (a list to sweep) instead of setting the budget from it.
    bool threadsList = false;
};

/// Options that say how to read a data set, shared by new, train and eval.
struct DataFlags {
    QCommandLineOption data { QStringLiteral("data"),
        QCoreApplication::translate(
            "Cli", "The data set: an IDX folder, an image folder (one subfolder per class) or a CSV file."),
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
        QCoreApplication::translate(
            "Cli", "Image folders: resize every image to WxH (default: the first image's size)."),
        QStringLiteral("WxH") };

    void addTo(QCommandLineParser& parser) const
    {
        parser.addOptions({ data, labelColumn, textColumn, split, limit, imageSize });
    }

    /// How to read the data set, from the flags (a mistake is a UsageError); call it before reading anything.
    maas::engine::DataOptions options(const QCommandLineParser& parser, const QString& defaultSplit) const;
    /// Reads the data set named by --data; `classes` fixes the class order (a trained model's labels).
    maas::engine::Dataset open(const QCommandLineParser& parser, maas::engine::DataOptions options,
        const std::vector<std::string>& classes) const;
};

/// Parses a subcommand's options (adding --help, --json, --threads); returns an exit code when the
/// command should end here (help shown, or a mistake reported), nothing when it should go on. More than
/// `maximumPositionals` arguments (when it is not -1) is a mistake, not something to ignore.
std::optional<int> parse(QCommandLineParser& parser, const QStringList& arguments, const Common& common,
    int minimumPositionals, int maximumPositionals);

/// The --input-shape option of inspect and bench, with its help text.
QCommandLineOption inputShapeOption(const QString& purpose);

/// Reads every --input-shape given; an exit code (2, with the sentence printed) when one is wrong.
std::optional<int> readInputShapes(
    const QCommandLineParser& parser, const QCommandLineOption& option, std::vector<maas::engine::InputShape>& shapes);

/// Loads a model with a progress line on a terminal.
maas::engine::Model loadModel(const QString& path);

/// Prints "maas: warning: ..." on stderr when the model's stored card has labels that are not one per
/// output (the commands that show labels call it; the run goes on).
void warnAboutCard(const maas::engine::Model& model);

void printJson(const nlohmann::json& json);
/// Text read from a file (an ONNX model's names) with its control characters shown as U+FFFD, so it
/// cannot move the cursor or recolour the terminal.
QString printable(QString text);

/// 0.953 -> "95.3%"; NaN (no value) -> "-".
QString percent(double v);
QString shapeText(const std::vector<std::int64_t>& shape);

} // namespace maas::cli
