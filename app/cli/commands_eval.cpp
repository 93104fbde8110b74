// `maas eval`: score a model on a labelled data set.
#include <QCommandLineParser>
#include <QTextStream>

#include "activity.h"
#include "cli_util.h"
#include "commands.h"
#include "maas/app/format.h"
#include "maas/engine/training.h"

namespace maas::cli {

int Cli::eval(const QStringList& arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        tr("Scores a model on a labelled data set: loss, accuracy, top-k accuracy, per-class "
           "precision, recall and F1, and the confusion matrix. IDX folders use their test "
           "split unless --split says otherwise."));
    parser.addPositionalArgument(QStringLiteral("MODEL"), tr("A TorchScript model (.pt)."));
    const QCommandLineOption topK(
        QStringLiteral("top-k"), tr("K for top-k accuracy (default 5)."), QStringLiteral("K"), QStringLiteral("5"));
    parser.addOption(topK);
    const DataFlags data;
    data.addTo(parser);
    const Common common;
    if (auto code = parse(parser, arguments, common, 1, 1))
        return *code;
    if (!parser.isSet(data.data))
        return fail(tr("give the data set with --data PATH."), Usage);
    const auto k = static_cast<int>(wholeNumber(parser, topK, 5, 1, 1000000));
    const auto dataOptions = data.options(parser, QStringLiteral("test"));

    const auto model = loadModel(parser.positionalArguments().first());
    warnAboutCard(model);
    auto dataset = data.open(parser, dataOptions, model.card().labels);
    maas::engine::Evaluation e;
    {
        Activity activity(tr("evaluating"));
        e = maas::engine::evaluate(
            model, dataset, k, [&](const maas::engine::Progress& p) { activity.update(tr("evaluating"), p.fraction); });
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
                 .arg(QString::fromStdString(c.label).left(16).leftJustified(16),
                     percent(c.precision).rightJustified(10), percent(c.recall).rightJustified(10),
                     percent(c.f1).rightJustified(10), maas::app::formatExact(c.support).rightJustified(10));
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
