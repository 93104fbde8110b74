// `maas optimize`: convert a model for where it will run, checked against the original.
#include <QCommandLineParser>
#include <QTextStream>

#include <cmath>
#include <optional>

#include "activity.h"
#include "cli_util.h"
#include "commands.h"
#include "maas/app/format.h"
#include "maas/engine/dataset.h"
#include "maas/engine/optimize.h"
#include "maas/engine/output.h"

namespace maas::cli {

namespace {

// The before/after table every optimization prints.
void printFacts(const maas::engine::VariantFacts& before, const maas::engine::VariantFacts& after)
{
    using maas::app::formatBytes;
    using maas::app::formatCount;
    QTextStream& o = out();
    const auto row = [&](const QString& what, const QString& a, const QString& b, const QString& change) {
        o << what.leftJustified(16) << a.rightJustified(12) << b.rightJustified(12) << QLatin1String("   ") << change
          << '\n';
    };
    row(QString(), Cli::tr("before"), Cli::tr("after"), Cli::tr("change"));
    row(Cli::tr("size"), formatBytes(before.fileBytes), formatBytes(after.fileBytes),
        maas::app::formatChange(static_cast<double>(before.fileBytes), static_cast<double>(after.fileBytes),
            Cli::tr("smaller"), Cli::tr("larger")));
    row(Cli::tr("weights"), formatCount(before.parameters), formatCount(after.parameters), QString());
    const auto ms = [](double v) { return Cli::tr("%1 ms").arg(v, 0, 'f', 2); };
    row(Cli::tr("latency b1"), ms(before.latencyBatch1Ms), ms(after.latencyBatch1Ms),
        maas::app::formatChange(before.latencyBatch1Ms, after.latencyBatch1Ms, Cli::tr("faster"), Cli::tr("slower")));
    row(Cli::tr("latency b16"), ms(before.latencyBatch16Ms), ms(after.latencyBatch16Ms),
        maas::app::formatChange(before.latencyBatch16Ms, after.latencyBatch16Ms, Cli::tr("faster"), Cli::tr("slower")));
    if (!std::isnan(before.accuracy))
        row(Cli::tr("accuracy"), percent(before.accuracy), percent(after.accuracy),
            Cli::tr("%1 points").arg((after.accuracy - before.accuracy) * 100.0, 0, 'f', 1));
}

} // namespace

int Cli::optimize(const QStringList& arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        tr("Converts a model for where it will run and writes the result as a new model: frozen (weights "
           "become constants), with batch-norm folded into convolutions and LibTorch's other rewrites of frozen "
           "graphs. The outputs are checked against the original's on a sample batch "
           "and the model is refused past the tolerance. Prints size, weights and latency (batch 1 and 16) "
           "before and after, and accuracy with --data."));
    parser.addPositionalArgument(QStringLiteral("MODEL"), tr("A TorchScript model (.pt)."));
    const QCommandLineOption target(
        QStringLiteral("target"), tr("cpu (the default, and for now the only one)."), QStringLiteral("TARGET"));
    const QCommandLineOption tolerance(QStringLiteral("tolerance"),
        tr("Largest output difference allowed, relative to the outputs' scale (default 0.0001)."), QStringLiteral("T"));
    const QCommandLineOption output({ QStringLiteral("o"), QStringLiteral("output") },
        tr("Where to write the converted model (.pt)."), QStringLiteral("FILE"));
    parser.addOptions({ target, tolerance, output });
    const DataFlags data;
    data.addTo(parser);
    const Common common;
    if (auto code = parse(parser, arguments, common, 1, 1))
        return *code;
    if (!parser.isSet(output))
        return fail(tr("give the file to write with -o FILE.pt."), Usage);
    maas::engine::ConversionOptions options;
    if (parser.isSet(target)) {
        const auto named = maas::engine::targetFromString(parser.value(target).toStdString());
        if (!named)
            throw UsageError(tr("--target '%1' is not known; use cpu.").arg(parser.value(target)));
        options.target = *named;
    }
    options.tolerance = realNumber(parser, tolerance, options.tolerance);
    if (!(options.tolerance > 0 && options.tolerance < 1))
        throw UsageError(tr("--tolerance must be above 0 and below 1, such as 0.0001."));
    const auto dataOptions = data.options(parser, QStringLiteral("test"));
    const QString path = parser.positionalArguments().first();
    maas::engine::checkOutput(
        parser.value(output).toStdString(), { path.toStdString(), parser.value(data.data).toStdString() });

    InterruptScope interrupt;
    const auto model = loadModel(path);
    std::optional<maas::engine::Dataset> dataset;
    if (parser.isSet(data.data))
        dataset = data.open(parser, dataOptions, model.card().labels);
    std::optional<maas::engine::Optimized> result;
    {
        Activity activity(tr("converting and measuring"));
        result = maas::engine::convertForTarget(model, options, dataset ? &*dataset : nullptr, interrupt.token());
    }
    result->model.save(parser.value(output).toStdString());
    if (parser.isSet(common.json)) {
        auto json = maas::engine::toJson(*result);
        json["model"] = parser.value(output).toStdString();
        printJson(json);
        return Success;
    }
    printFacts(result->before, result->after);
    out() << tr("largest output difference %1 (tolerance %2); written to %3")
                 .arg(result->difference, 0, 'g', 3)
                 .arg(result->tolerance, 0, 'g', 3)
                 .arg(parser.value(output))
          << Qt::endl;
    return Success;
}

} // namespace maas::cli
