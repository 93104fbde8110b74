// `maas` itself: the table of subcommands, `maas --help`, `maas --version`, and dispatch.
#include "commands.h"

#include <QTextStream>

#include <algorithm>

#include "cli_util.h"
#include "maas/app/about.h"
#include "maas/engine/error.h"
#include "maas/engine/runtime.h"

namespace maas::cli {

const std::vector<Command>& Cli::commands()
{
    // The order here is the order of `maas --help`.
    static const std::vector<Command> table {
        { "inspect", "inspect MODEL",
            QT_TRANSLATE_NOOP("Cli", "structure, parameters, sizes and compute of a TorchScript model"),
            &Cli::inspect },
        { "predict", "predict MODEL INPUT...",
            QT_TRANSLATE_NOOP("Cli", "run the model on tensor, CSV, image files or text"), &Cli::predict },
        { "card", "card MODEL", QT_TRANSLATE_NOOP("Cli", "show or edit the model card stored inside the model"),
            &Cli::card },
        { "graph", "graph MODEL",
            QT_TRANSLATE_NOOP("Cli", "the forward graph, operator by operator (text, JSON or Graphviz DOT)"),
            &Cli::graph },
        { "bench", "bench MODEL...",
            QT_TRANSLATE_NOOP(
                "Cli", "latency percentiles, throughput and memory over batch sizes and threads, side by side"),
            &Cli::bench },
        { "profile", "profile MODEL",
            QT_TRANSLATE_NOOP("Cli", "time per operator and per layer against this machine's peak; Chrome trace"),
            &Cli::profile },
        { "new", "new --arch ARCH", QT_TRANSLATE_NOOP("Cli", "build a new MLP, CNN, RNN or text classifier"),
            &Cli::newModel },
        { "train", "train MODEL --data DATA -o OUT",
            QT_TRANSLATE_NOOP("Cli", "train (or fine-tune) a model, with checkpoints and resume"), &Cli::train },
        { "eval", "eval MODEL --data DATA",
            QT_TRANSLATE_NOOP("Cli", "accuracy, top-k, per-class precision/recall/F1, confusion matrix"), &Cli::eval },
        { "optimize", "optimize MODEL -o OUT",
            QT_TRANSLATE_NOOP("Cli", "freeze and rewrite a model for where it runs, checked against the original"),
            &Cli::optimize },
        { "quantize", "quantize MODEL -o OUT",
            QT_TRANSLATE_NOOP(
                "Cli", "int8 (dynamic, or static calibrated on data) or 16-bit weights, within an accuracy budget"),
            &Cli::quantize },
        { "prune", "prune MODEL --sparsity S -o OUT",
            QT_TRANSLATE_NOOP("Cli", "zero the smallest weights or remove whole channels, with fine-tuning"),
            &Cli::prune },
        { "distill", "distill TEACHER --student SPEC --data PATH -o OUT",
            QT_TRANSLATE_NOOP("Cli", "train a smaller student from a teacher's answers"), &Cli::distill },
        { "endpoint", "endpoint add|list|remove|test|stop",
            QT_TRANSLATE_NOOP("Cli", "named MaaS endpoints and their tokens; \"local\" runs on this machine"),
            &Cli::endpoint },
        { "publish", "publish MODEL --to ENDPOINT",
            QT_TRANSLATE_NOOP("Cli", "send a model to an endpoint, then check it answers as it does here"),
            &Cli::publish },
        { "remote", "remote list|info|infer|unload|rollback",
            QT_TRANSLATE_NOOP("Cli", "models on an endpoint: list, call, unload, roll back"), &Cli::remote },
        { "export", "export MODEL --triton DIR",
            QT_TRANSLATE_NOOP("Cli", "a Triton model repository folder (and a KServe manifest) for a cluster"),
            &Cli::exportModel },
        { "demo", "demo",
            QT_TRANSLATE_NOOP("Cli", "the whole path on real data: train, quantize, measure, publish, call remotely"),
            &Cli::demo },
        { "compare", "compare A B", QT_TRANSLATE_NOOP("Cli", "two variants side by side: numbers, layers, operators"),
            &Cli::compare },
    };
    return table;
}

QString Cli::overview()
{
    // A synopsis too long for its column goes on a line of its own, the summary under it.
    constexpr int column = 17;
    QString text = tr("Usage: maas COMMAND [OPTIONS]\n"
                      "\n"
                      "Make, shrink, measure and ship models for Model-as-a-Service.\n"
                      "\n"
                      "Commands:\n");
    for (const Command& command : commands()) {
        const QString usage = QLatin1String(command.usage);
        text += QLatin1String("  ")
            + (usage.size() < column - 1 ? usage.leftJustified(column)
                                         : usage + QLatin1Char('\n') + QString(column + 2, QLatin1Char(' ')))
            + tr(command.summary) + QLatin1Char('\n');
    }
    return text
        + tr("\n"
             "Options:\n"
             "  -h, --help       show this help; `maas COMMAND --help` shows a command's options\n"
             "  -v, --version    show the versions of maas, Qt, LibTorch and the thread setting\n");
}

int Cli::dispatch(const Command& command, const QStringList& arguments)
{
    // Help and messages name the subcommand as a user types it, not the path the program was started by.
    const QStringList rest = QStringList { QLatin1String("maas ") + QLatin1String(command.name) } + arguments.mid(2);
    try {
        return command.run(rest);
    } catch (const UsageError& e) {
        return fail(QString::fromStdString(e.what()), Usage);
    } catch (const maas::engine::Error& e) {
        return fail(errorMessage(e), e.kind() == maas::engine::ErrorKind::Cancelled ? Interrupted : Failure);
    } catch (const std::bad_alloc&) {
        return fail(tr("there is not enough memory for this; try a smaller batch, input or data set."));
    } catch (const std::exception& e) {
        // Never a library's backtrace: its first line says enough.
        return fail(
            tr("unexpected failure: %1").arg(QString::fromLocal8Bit(e.what()).section(QLatin1Char('\n'), 0, 0)));
    }
}

int Cli::run(const QStringList& arguments)
{
    const QString name = arguments.value(1);
    const auto& table = commands();
    const auto command
        = std::find_if(table.begin(), table.end(), [&](const Command& c) { return name == QLatin1String(c.name); });
    if (command != table.end())
        return dispatch(*command, arguments);
    if (name == QLatin1String("--version") || name == QLatin1String("-v")) {
        if (const auto problem = maas::engine::threadsEnvironmentProblem(); !problem.empty())
            return fail(QString::fromStdString(problem), Usage);
        out() << QStringLiteral("maas %1\n%2").arg(maas::app::version(), maas::app::runtimeSummary()) << Qt::endl;
        return Success;
    }
    if (name.isEmpty()) {
        QTextStream(stderr) << overview();
        return Usage;
    }
    if (name == QLatin1String("--help") || name == QLatin1String("-h") || name == QLatin1String("help")) {
        out() << overview();
        return Success;
    }
    return fail(tr("'%1' is not a maas command; run `maas --help` for the list.").arg(name), Usage);
}

} // namespace maas::cli
