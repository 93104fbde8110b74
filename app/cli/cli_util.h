#pragma once

#include <QCommandLineOption>
#include <QCommandLineParser>
#include <QCoreApplication>
#include <QTextStream>

#include <optional>

#include <nlohmann/json.hpp>

#include "commands.h"
#include "maas/engine/error.h"
#include "maas/engine/model.h"

namespace maas::cli {

/// The program's standard output.
QTextStream& out();

/// Prints "maas: error: MESSAGE" on stderr and returns `code`.
int fail(const QString& message, int code = Failure);

/// An engine error in the command line's words: an error about one option names its flag
/// ("--epochs must be at least 1."); others are the engine's sentence.
QString errorMessage(const maas::engine::Error& error);

/// Options every subcommand shares.
struct Common {
    QCommandLineOption json { QStringLiteral("json"), QCoreApplication::translate("Cli", "Print JSON instead of text.") };
    QCommandLineOption threads { QStringLiteral("threads"),
        QCoreApplication::translate("Cli", "Use N LibTorch threads (default: one per core; or set MAAS_THREADS)."),
        QStringLiteral("N") };
};

/// Parses a subcommand's options (adding --help, --json, --threads); returns an exit code when the
/// command should end here (help shown, or a mistake reported), nothing when it should go on.
std::optional<int> parse(QCommandLineParser& parser, const QStringList& arguments, const Common& common,
    int minimumPositionals);

/// "1,3,224,224" -> {1, 3, 224, 224}; *ok is false unless every size is a positive number.
std::vector<std::int64_t> parseShape(const QString& text, bool* ok);

/// Loads a model with a progress line on a terminal.
maas::engine::Model loadModel(const QString& path);

void printJson(const nlohmann::json& json);
QString shapeText(const std::vector<std::int64_t>& shape);

} // namespace maas::cli
