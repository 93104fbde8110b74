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

#include "maas/app/cardform.h"
#include "maas/widgets/messagebanner.h"

namespace maas::widgets {

namespace {

enum InputColumn { InputName, InputType, InputShape };

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
    const auto form = maas::app::CardForms::read(cardJson);
    setEnabled(form.has_value());
    if (!form)
        return;
    m_name->setText(form->name);
    m_task->setCurrentText(form->task);
    m_description->setText(form->description);
    m_labels->setPlainText(form->labels.join(QLatin1Char('\n')));
    m_inputs->setRowCount(static_cast<int>(form->inputs.size()));
    for (int row = 0; row < form->inputs.size(); ++row) {
        const auto& in = form->inputs[row];
        m_inputs->setItem(row, InputName, new QTableWidgetItem(in.name));
        m_inputs->setItem(row, InputType, new QTableWidgetItem(in.datatype));
        m_inputs->setItem(row, InputShape, new QTableWidgetItem(in.shape));
    }
    m_scale->setText(form->scale);
    m_mean->setText(form->mean);
    m_std->setText(form->std);
    m_width->setValue(form->imageWidth);
    m_height->setValue(form->imageHeight);
    m_color->setCurrentIndex(std::max(0, m_color->findData(form->color)));
}

std::optional<QString> CardEditor::editedCard()
{
    maas::app::CardForm form;
    form.name = m_name->text();
    form.task = m_task->currentText();
    form.description = m_description->text();
    form.labels = m_labels->toPlainText().split(QLatin1Char('\n'));
    for (int row = 0; row < m_inputs->rowCount(); ++row)
        form.inputs.append({ m_inputs->item(row, InputName)->text(), m_inputs->item(row, InputType)->text(),
            m_inputs->item(row, InputShape)->text() });
    form.scale = m_scale->text();
    form.mean = m_mean->text();
    form.std = m_std->text();
    form.imageWidth = m_width->value();
    form.imageHeight = m_height->value();
    form.color = m_color->currentData().toString();
    try {
        const QString card = maas::app::CardForms::write(form, m_original);
        m_error->hide();
        return card;
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
