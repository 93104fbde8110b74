#include "maas/widgets/cardeditor.h"

#include <QComboBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QRegularExpression>
#include <QSpinBox>
#include <QTableWidget>
#include <QVBoxLayout>

#include <nlohmann/json.hpp>

#include "maas/engine/card.h"
#include "maas/engine/error.h"
#include "maas/widgets/messagebanner.h"

namespace maas::widgets {

namespace {

using nlohmann::json;

enum InputColumn { InputName, InputType, InputShape };

QString listText(const json& values)
{
    QStringList parts;
    for (const auto& v : values)
        parts << QString::fromStdString(v.dump());
    return parts.join(QStringLiteral(", "));
}

// "0.5, 0.25" -> [0.5, 0.25]; throws the sentence naming the field when a part is not a number.
json numbers(const QString& field, const QString& text, bool whole)
{
    json out = json::array();
    const auto parts = text.split(QRegularExpression(QStringLiteral("[,\\s\\[\\]]+")), Qt::SkipEmptyParts);
    for (const QString& part : parts) {
        bool ok = false;
        if (whole) {
            const qlonglong v = part.toLongLong(&ok);
            if (ok)
                out.push_back(v);
        } else {
            const double v = part.toDouble(&ok);
            if (ok)
                out.push_back(v);
        }
        if (!ok)
            throw maas::engine::Error(maas::engine::ErrorKind::InvalidCard,
                CardEditor::tr("%1: '%2' is not a number; write numbers separated by commas.").arg(field, part).toStdString());
    }
    return out;
}

} // namespace

CardEditor::CardEditor(QWidget* parent)
    : QWidget(parent)
    , m_name(new QLineEdit(this))
    , m_task(new QComboBox(this))
    , m_description(new QLineEdit(this))
    , m_labels(new QPlainTextEdit(this))
    , m_inputs(new QTableWidget(0, 3, this))
    , m_scale(new QLineEdit(this))
    , m_mean(new QLineEdit(this))
    , m_std(new QLineEdit(this))
    , m_width(new QSpinBox(this))
    , m_height(new QSpinBox(this))
    , m_color(new QComboBox(this))
    , m_save(new QPushButton(tr("&Save card"), this))
    , m_revert(new QPushButton(tr("Re&vert"), this))
    , m_error(new MessageBanner(this))
{
    auto* outer = new QVBoxLayout(this);
    auto* form = new QFormLayout;
    form->addRow(tr("Name"), m_name);
    m_task->setEditable(true);
    m_task->addItems({ QStringLiteral("classification"), QStringLiteral("image-classification"),
        QStringLiteral("text-classification"), QStringLiteral("regression") });
    form->addRow(tr("Task"), m_task);
    form->addRow(tr("Description"), m_description);
    m_labels->setPlaceholderText(tr("One class name per line, in the order of the model's outputs"));
    m_labels->setMaximumHeight(120);
    form->addRow(tr("Labels"), m_labels);
    m_inputs->setHorizontalHeaderLabels({ tr("Input"), tr("Datatype"), tr("Shape (-1: any size)") });
    m_inputs->horizontalHeader()->setStretchLastSection(true);
    m_inputs->verticalHeader()->hide();
    m_inputs->setMaximumHeight(110);
    form->addRow(tr("Inputs"), m_inputs);
    m_scale->setPlaceholderText(QStringLiteral("1"));
    form->addRow(tr("Scale"), m_scale);
    m_mean->setPlaceholderText(tr("e.g. 0.485, 0.456, 0.406"));
    form->addRow(tr("Mean"), m_mean);
    m_std->setPlaceholderText(tr("e.g. 0.229, 0.224, 0.225"));
    form->addRow(tr("Std"), m_std);
    auto* size = new QHBoxLayout;
    for (QSpinBox* box : { m_width, m_height }) {
        box->setRange(0, 16384);
        box->setSpecialValueText(tr("any"));
        size->addWidget(box);
    }
    form->addRow(tr("Image width × height"), size);
    m_color->addItem(tr("not an image"), QString());
    m_color->addItem(tr("gray"), QStringLiteral("gray"));
    m_color->addItem(tr("RGB"), QStringLiteral("rgb"));
    form->addRow(tr("Colour"), m_color);
    outer->addLayout(form);
    outer->addWidget(m_error);
    auto* buttons = new QHBoxLayout;
    buttons->addStretch();
    buttons->addWidget(m_revert);
    m_save->setShortcut(QKeySequence::Save);
    buttons->addWidget(m_save);
    outer->addLayout(buttons);
    outer->addStretch();

    connect(m_revert, &QPushButton::clicked, this, [this] { setCard(m_original); });
    connect(m_save, &QPushButton::clicked, this, [this] {
        if (const auto card = editedCard())
            Q_EMIT saveRequested(*card);
    });
    setEnabled(false);
}

void CardEditor::setCard(const QString& cardJson)
{
    m_original = cardJson;
    m_error->hide();
    json j = json::parse(cardJson.toStdString(), nullptr, false);
    setEnabled(j.is_object());
    if (!j.is_object())
        return;
    const auto text = [&](const json& o, const char* key) {
        return o.contains(key) && o[key].is_string() ? QString::fromStdString(o[key].get<std::string>()) : QString();
    };
    m_name->setText(text(j, "name"));
    m_task->setCurrentText(text(j, "task"));
    m_description->setText(text(j, "description"));
    QStringList labels;
    for (const auto& l : j.value("labels", json::array()))
        labels << QString::fromStdString(l.is_string() ? l.get<std::string>() : l.dump());
    m_labels->setPlainText(labels.join(QLatin1Char('\n')));
    const json inputs = j.value("inputs", json::array());
    m_inputs->setRowCount(static_cast<int>(inputs.size()));
    for (int row = 0; row < static_cast<int>(inputs.size()); ++row) {
        const json& in = inputs[row];
        m_inputs->setItem(row, InputName, new QTableWidgetItem(text(in, "name")));
        m_inputs->setItem(row, InputType, new QTableWidgetItem(text(in, "datatype")));
        m_inputs->setItem(row, InputShape, new QTableWidgetItem(listText(in.value("shape", json::array()))));
    }
    const json pre = j.value("preprocessing", json::object());
    m_scale->setText(pre.contains("scale") ? QString::number(pre["scale"].get<double>(), 'g', 8) : QString());
    m_mean->setText(listText(pre.value("mean", json::array())));
    m_std->setText(listText(pre.value("std", json::array())));
    m_width->setValue(pre.value("image_width", 0));
    m_height->setValue(pre.value("image_height", 0));
    m_color->setCurrentIndex(std::max(0, m_color->findData(text(pre, "color"))));
}

std::optional<QString> CardEditor::editedCard()
{
    try {
        json j = json::parse(m_original.toStdString());
        j["name"] = m_name->text().trimmed().toStdString();
        j["task"] = m_task->currentText().trimmed().toStdString();
        j["description"] = m_description->text().trimmed().toStdString();
        json labels = json::array();
        for (const QString& line : m_labels->toPlainText().split(QLatin1Char('\n')))
            if (!line.trimmed().isEmpty())
                labels.push_back(line.trimmed().toStdString());
        j["labels"] = labels;
        for (int row = 0; row < m_inputs->rowCount(); ++row) {
            json& in = j["inputs"][row];
            in["name"] = m_inputs->item(row, InputName)->text().trimmed().toStdString();
            in["datatype"] = m_inputs->item(row, InputType)->text().trimmed().toUpper().toStdString();
            in["shape"] = numbers(tr("shape of input %1").arg(row + 1), m_inputs->item(row, InputShape)->text(), true);
        }
        json& pre = j["preprocessing"];
        if (!pre.is_object())
            pre = json::object();
        const auto setOrErase = [&pre](const char* key, json value, bool erase) {
            if (erase)
                pre.erase(key);
            else
                pre[key] = std::move(value);
        };
        const json scale = numbers(tr("scale"), m_scale->text(), false);
        setOrErase("scale", scale.empty() ? json() : scale[0], scale.empty());
        const json mean = numbers(tr("mean"), m_mean->text(), false), stddev = numbers(tr("std"), m_std->text(), false);
        setOrErase("mean", mean, mean.empty());
        setOrErase("std", stddev, stddev.empty());
        setOrErase("image_width", m_width->value(), m_width->value() == 0);
        setOrErase("image_height", m_height->value(), m_height->value() == 0);
        setOrErase("color", m_color->currentData().toString().toStdString(), m_color->currentData().toString().isEmpty());
        auto card = maas::engine::ModelCard::fromJson(j, "the card");
        card.inferred = false;
        m_error->hide();
        return QString::fromStdString(card.toJson().dump(2));
    } catch (const std::exception& e) {
        showError(QString::fromUtf8(e.what()));
        return std::nullopt;
    }
}

void CardEditor::setSaving(bool saving)
{
    m_save->setEnabled(!saving);
    m_revert->setEnabled(!saving);
}

void CardEditor::showError(const QString& message)
{
    if (message.isEmpty())
        m_error->hide();
    else
        m_error->show(MessageBanner::Kind::Error, message);
}

} // namespace maas::widgets
