#include "maas/app/cardform.h"

#include <QLocale>
#include <QRegularExpression>

#include <nlohmann/json.hpp>

#include "maas/engine/card.h"
#include "maas/engine/error.h"

namespace maas::app {

namespace {

template <typename T> QString listText(const std::vector<T>& values)
{
    QStringList parts;
    for (const T v : values)
        parts << QString::number(static_cast<double>(v), 'g', QLocale::FloatingPointShortest); // the exact value
    return parts.join(QStringLiteral(", "));
}

[[noreturn]] void wrong(const QString& sentence)
{
    throw maas::engine::Error(maas::engine::ErrorKind::InvalidCard, sentence.toStdString());
}

// "0.5, 0.25" -> {0.5, 0.25}; the sentence names the field when a part is not a number.
template <typename T> std::vector<T> numbers(const QString& field, const QString& text)
{
    std::vector<T> out;
    for (const QString& part : text.split(QRegularExpression(QStringLiteral("[,\\s\\[\\]]+")), Qt::SkipEmptyParts)) {
        bool ok = false;
        if constexpr (std::is_integral_v<T>)
            out.push_back(static_cast<T>(part.toLongLong(&ok)));
        else
            out.push_back(static_cast<T>(part.toDouble(&ok)));
        if (!ok)
            wrong(CardForms::tr("%1: '%2' is not a number; write numbers separated by commas.").arg(field, part));
    }
    return out;
}

} // namespace

std::optional<CardForm> CardForms::read(const QString& cardJson)
{
    maas::engine::ModelCard card;
    try {
        card = maas::engine::ModelCard::fromJson(nlohmann::json::parse(cardJson.toStdString()), "the card");
    } catch (const std::exception&) {
        return std::nullopt;
    }
    CardForm form;
    form.name = QString::fromStdString(card.name);
    form.task = QString::fromStdString(card.task);
    form.description = QString::fromStdString(card.description);
    for (const auto& label : card.labels)
        form.labels << QString::fromStdString(label);
    for (const auto& input : card.inputs)
        form.inputs.append({ QString::fromStdString(input.name),
            QString::fromStdString(maas::engine::dataTypeName(input.dtype)), listText(input.shape) });
    const auto& pre = card.preprocessing;
    form.scale = pre.scale == 1.0 ? QString() : QString::number(pre.scale, 'g', QLocale::FloatingPointShortest);
    form.mean = listText(pre.mean);
    form.std = listText(pre.std);
    form.imageWidth = pre.imageWidth;
    form.imageHeight = pre.imageHeight;
    form.color = QString::fromStdString(pre.color);
    return form;
}

QString CardForms::write(const CardForm& form, const QString& originalCardJson)
{
    auto card = maas::engine::ModelCard::fromJson(nlohmann::json::parse(originalCardJson.toStdString()), "the card");
    card.name = form.name.trimmed().toStdString();
    card.task = form.task.trimmed().toStdString();
    card.description = form.description.trimmed().toStdString();
    card.labels.clear();
    for (const QString& label : form.labels)
        if (!label.trimmed().isEmpty())
            card.labels.push_back(label.trimmed().toStdString());
    for (int row = 0; row < form.inputs.size() && row < static_cast<int>(card.inputs.size()); ++row) {
        const auto& in = form.inputs[row];
        auto& spec = card.inputs[static_cast<std::size_t>(row)];
        spec.name = in.name.trimmed().toStdString();
        const auto dtype = maas::engine::parseDataType(in.datatype.trimmed().toUpper().toStdString());
        if (!dtype)
            wrong(tr("datatype of input %1: '%2' is not known; use FP32, FP64, INT64, INT32, UINT8 or BYTES.")
                      .arg(row + 1)
                      .arg(in.datatype));
        spec.dtype = *dtype;
        spec.shape = numbers<std::int64_t>(tr("shape of input %1").arg(row + 1), in.shape);
    }
    auto& pre = card.preprocessing;
    const auto scale = numbers<double>(tr("scale"), form.scale);
    pre.scale = scale.empty() ? 1.0 : scale.front();
    pre.mean = numbers<double>(tr("mean"), form.mean);
    pre.std = numbers<double>(tr("std"), form.std);
    pre.imageWidth = form.imageWidth;
    pre.imageHeight = form.imageHeight;
    pre.color = form.color.toStdString();
    card.inferred = false;
    // The engine's own reading checks what the fields say together (mean and std of one length, ...).
    card = maas::engine::ModelCard::fromJson(card.toJson(), "the card");
    return QString::fromStdString(card.toJson().dump(2));
}

} // namespace maas::app
