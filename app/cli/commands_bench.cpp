// `maas bench`: latency and throughput of a model on this machine.
#include <QCommandLineParser>
#include <QTextStream>

#include "activity.h"
#include "cli_util.h"
#include "commands.h"
#include "maas/app/format.h"
#include "maas/engine/benchmark.h"

namespace maas::cli {

int Cli::bench(const QStringList& arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        tr("Times the model's forward pass on inputs of its card's shapes, or of --input-shape (zeros for "
           "numbers, ids below the embedding's size for token ids, a sentence for text models): warm-up "
           "calls, then timed calls one after another."));
    parser.addPositionalArgument(QStringLiteral("MODEL"), tr("A TorchScript model (.pt) with a card."));
    const QCommandLineOption batch(
        QStringLiteral("batch"), tr("Samples per call (default 1)."), QStringLiteral("N"), QStringLiteral("1"));
    const QCommandLineOption iterations(
        QStringLiteral("iterations"), tr("Timed calls (default 50)."), QStringLiteral("N"), QStringLiteral("50"));
    const QCommandLineOption warmup(
        QStringLiteral("warmup"), tr("Untimed calls first (default 5)."), QStringLiteral("N"), QStringLiteral("5"));
    const QCommandLineOption shapes
        = inputShapeOption(tr("Time inputs of this shape instead of the card's (the batch is its first size)."));
    parser.addOptions({ batch, iterations, warmup, shapes });
    const Common common;
    if (auto code = parse(parser, arguments, common, 1, 1))
        return *code;
    const auto samples = wholeNumber(parser, batch, 1, 1, 1 << 20);
    const auto timed = static_cast<int>(wholeNumber(parser, iterations, 50, 1, 10000000));
    const auto untimed = static_cast<int>(wholeNumber(parser, warmup, 5, 0, 10000000));
    std::vector<maas::engine::InputShape> inputs;
    if (auto code = readInputShapes(parser, shapes, inputs))
        return *code;
    if (!inputs.empty() && parser.isSet(batch))
        return fail(tr("--batch and --input-shape cannot be given together; the batch is the first size of "
                       "--input-shape."),
            Usage);
    InterruptScope interrupt; // Ctrl-C ends the timing at its next call (exit 130), not the process mid-write
    const auto model = loadModel(parser.positionalArguments().first());
    maas::engine::Latency latency;
    {
        Activity activity(tr("timing"));
        latency = inputs.empty()
            ? maas::engine::measureLatency(model, static_cast<int>(samples), timed, untimed, interrupt.token())
            : maas::engine::measureLatency(model, inputs, timed, untimed, interrupt.token());
    }
    if (parser.isSet(common.json)) {
        auto json = maas::engine::toJson(latency);
        json["model"] = parser.positionalArguments().first().toStdString();
        printJson(json);
        return Success;
    }
    out() << tr("batch %1, %2 threads, %3 timed calls")
                 .arg(latency.batch)
                 .arg(latency.threads)
                 .arg(latency.milliseconds.size())
          << '\n'
          << tr("latency p50 %1 ms, p90 %2 ms, p99 %3 ms, mean %4 ms")
                 .arg(latency.p50, 0, 'f', 3)
                 .arg(latency.p90, 0, 'f', 3)
                 .arg(latency.p99, 0, 'f', 3)
                 .arg(latency.mean, 0, 'f', 3)
          << '\n'
          << tr("throughput %1 samples/s").arg(maas::app::formatExact(static_cast<qint64>(latency.samplesPerSecond)))
          << Qt::endl;
    return Success;
}

} // namespace maas::cli
