// `maas card`: show or edit the model card stored inside a model.
#include <QCommandLineParser>
#include <QTextStream>

#include <utility>
#include <vector>

#include "cli_util.h"
#include "commands.h"
#include "maas/engine/card.h"
#include "maas/engine/model.h"
#include "maas/engine/output.h"

namespace maas::cli {

int Cli::card(const QStringList& arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        tr("Shows the model card stored inside a model (extra/card.json), or changes fields with --set. Keys are "
           "dotted paths: name, task, description, labels, preprocessing.scale, preprocessing.mean, "
           "preprocessing.std, preprocessing.image_width, preprocessing.color, inputs.0.name, inputs.0.shape, ..."));
    parser.addPositionalArgument(QStringLiteral("MODEL"), tr("A TorchScript model (.pt)."));
    const QCommandLineOption set(QStringLiteral("set"),
        tr("Set a field, e.g. --set labels=cat,dog or --set inputs.0.shape=-1,3,224,224 (repeatable)."),
        QStringLiteral("KEY=VALUE"));
    const QCommandLineOption output({ QStringLiteral("o"), QStringLiteral("output") },
        tr("Write the changed model to FILE instead of changing MODEL in place."), QStringLiteral("FILE"));
    parser.addOption(set);
    parser.addOption(output);
    const Common common;
    if (auto code = parse(parser, arguments, common, 1, 1))
        return *code;
    if (parser.isSet(output) && !parser.isSet(set))
        return fail(tr("--output only makes sense with --set."), Usage);

    const QString path = parser.positionalArguments().first();
    if (parser.isSet(output)) // in place is what --set does without -o: only other files are checked
        maas::engine::checkOutput(parser.value(output).toStdString(), {});
    std::vector<std::pair<std::string, std::string>> settings; // their syntax is checked before any reading
    for (const QString& assignment : parser.values(set)) {
        std::string key, value;
        if (!maas::engine::splitSetting(assignment.toStdString(), key, value))
            return fail(tr("--set '%1' needs KEY=VALUE, e.g. --set task=image-classification.").arg(assignment), Usage);
        settings.emplace_back(key, value);
    }
    const auto model = loadModel(path);
    if (!parser.isSet(set)) {
        warnAboutCard(model);
        printJson(model.card().toJson());
        return Success;
    }
    auto card = model.card();
    for (const auto& [key, value] : settings)
        checkUsage([&] { maas::engine::setCardField(card, key, value); });
    maas::engine::checkLabels(model, card);
    const QString target = parser.isSet(output) ? parser.value(output) : path;
    model.withCard(card).save(target.toStdString());
    if (parser.isSet(common.json))
        printJson(card.toJson());
    else
        out() << tr("card saved in %1").arg(target) << Qt::endl;
    return Success;
}

} // namespace maas::cli
