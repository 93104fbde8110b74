#include "maas/app/cardsummary.h"

#include <QCoreApplication>
#include <QStringList>

#include <cmath>

#include "maas/engine/card.h"
#include "maas/engine/error.h"

namespace maas::app {

namespace {

struct CardSummary {
    Q_DECLARE_TR_FUNCTIONS(CardSummary)
};

QString fromStd(const std::string& s) { return QString::fromStdString(s).toHtmlEscaped(); }

QString shapeText(const std::vector<std::int64_t>& shape)
{
    QStringList axes;
    for (const auto axis : shape)
        axes << (axis < 0 ? QStringLiteral("N") : QString::number(axis));
    return QStringLiteral("[%1]").arg(axes.join(QStringLiteral(" × ")));
}

QString tensors(const std::vector<maas::engine::TensorSpec>& specs)
{
    QStringList lines;
    for (const auto& spec : specs)
        lines << QStringLiteral("<b>%1</b> %2 %3")
                     .arg(fromStd(spec.name), fromStd(maas::engine::dataTypeName(spec.dtype)), shapeText(spec.shape));
    return lines.isEmpty() ? CardSummary::tr("not stated") : lines.join(QStringLiteral(", "));
}

QString labelsText(const std::vector<std::string>& labels)
{
    if (labels.empty())
        return CardSummary::tr("none (outputs are numbered)");
    QStringList shown;
    for (std::size_t i = 0; i < labels.size() && i < 12; ++i)
        shown << fromStd(labels[i]);
    QString text = shown.join(QStringLiteral(", "));
    if (labels.size() > 12)
        text += CardSummary::tr(", … (%1 in all)").arg(labels.size());
    return text;
}

QString numbers(const std::vector<double>& values)
{
    QStringList out;
    for (const double v : values)
        out << QString::number(v, 'g', 4);
    return out.join(QStringLiteral(", "));
}

QString preprocessingText(const maas::engine::Preprocessing& p)
{
    QStringList parts;
    if (p.imageWidth > 0 && p.imageHeight > 0)
        parts << CardSummary::tr("images resized to %1 × %2").arg(p.imageWidth).arg(p.imageHeight);
    if (!p.color.empty())
        parts << (p.color == "gray" ? CardSummary::tr("grayscale") : CardSummary::tr("colour (RGB)"));
    if (std::abs(p.scale * 255.0 - 1.0) < 1e-6)
        parts << CardSummary::tr("pixels scaled from 0–255 to 0–1");
    else if (p.scale != 1.0)
        parts << CardSummary::tr("scaled by %1").arg(QString::number(p.scale, 'g', 4));
    if (!p.mean.empty())
        parts << CardSummary::tr("mean %1, standard deviation %2").arg(numbers(p.mean), numbers(p.std));
    if (!p.tokenizer.empty())
        parts << CardSummary::tr("tokenizer: %1").arg(fromStd(p.tokenizer));
    return parts.isEmpty() ? CardSummary::tr("none: the model takes its inputs as they are")
                           : parts.join(QStringLiteral("; "));
}

QString lineageText(const maas::engine::Lineage& lineage)
{
    if (lineage.operation.empty())
        return CardSummary::tr("imported (made outside the workbench)");
    QString text = CardSummary::tr("made by %1").arg(fromStd(lineage.operation));
    if (!lineage.parentSha256.empty())
        text += CardSummary::tr(" from the model with SHA-256 %1…").arg(fromStd(lineage.parentSha256.substr(0, 12)));
    return text;
}

} // namespace

QString cardSummaryHtml(const QString& cardJson)
{
    maas::engine::ModelCard card;
    try {
        card = maas::engine::ModelCard::fromJson(
            nlohmann::json::parse(cardJson.toStdString()), "the library's copy of the card");
    } catch (const std::exception& e) {
        return CardSummary::tr("The card cannot be shown: %1").arg(QString::fromUtf8(e.what()).toHtmlEscaped());
    }
    const auto row = [](const QString& name, const QString& value) {
        return QStringLiteral("<tr><td style=\"padding-right: 12px\"><i>%1</i></td><td>%2</td></tr>").arg(name, value);
    };
    QString html = QStringLiteral("<table>");
    if (!card.task.empty())
        html += row(CardSummary::tr("task"), fromStd(card.task));
    html += row(CardSummary::tr("inputs"), tensors(card.inputs));
    html += row(CardSummary::tr("outputs"), tensors(card.outputs));
    html += row(CardSummary::tr("labels"), labelsText(card.labels));
    html += row(CardSummary::tr("preprocessing"), preprocessingText(card.preprocessing));
    html += row(CardSummary::tr("lineage"), lineageText(card.lineage));
    if (card.inferred)
        html += row(CardSummary::tr("note"),
            CardSummary::tr("this card was guessed from the model; check it in Inspect › Card"));
    return html + QStringLiteral("</table>");
}

} // namespace maas::app
