#include "maas/widgets/modeloverview.h"

#include <QFormLayout>
#include <QFrame>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QPushButton>
#include <QVBoxLayout>

#include <cmath>

#include "maas/app/cardsummary.h"
#include "maas/app/format.h"
#include "maas/app/library.h"

namespace maas::widgets {

ModelOverview::ModelOverview(QWidget* parent)
    : QWidget(parent)
    , m_title(new QLabel(this))
    , m_lineage(new QLabel(this))
    , m_tags(new QLineEdit(this))
    , m_measure(new QPushButton(tr("Measure latency"), this))
    , m_card(new QLabel(this))
    , m_editCard(new QPushButton(tr("Edit the card…"), this))
{
    auto* layout = new QVBoxLayout(this);
    QFont big = m_title->font();
    big.setPointSizeF(big.pointSizeF() * 1.6);
    m_title->setFont(big);
    layout->addWidget(m_title);
    auto* cards = new QGridLayout;
    const QStringList captions { tr("parameters"), tr("on disk"), tr("accuracy"), tr("p50 latency, batch 1") };
    for (int i = 0; i < captions.size(); ++i) {
        auto* frame = new QFrame(this);
        frame->setFrameShape(QFrame::StyledPanel);
        auto* inner = new QVBoxLayout(frame);
        auto* value = new QLabel(frame);
        QFont valueFont = value->font();
        valueFont.setPointSizeF(valueFont.pointSizeF() * 1.8);
        value->setFont(valueFont);
        inner->addWidget(value);
        inner->addWidget(new QLabel(captions[i], frame));
        cards->addWidget(frame, 0, i);
        m_values << value;
    }
    layout->addLayout(cards);
    auto* measureRow = new QHBoxLayout;
    measureRow->addStretch();
    m_measure->setToolTip(tr("Times 50 calls of batch 1 on inputs of the card's shapes, after 5 warm-up calls"));
    measureRow->addWidget(m_measure);
    layout->addLayout(measureRow);
    connect(m_measure, &QPushButton::clicked, this, [this] {
        if (m_id)
            Q_EMIT measureRequested(m_id);
    });
    layout->addWidget(m_lineage);
    auto* tagsRow = new QFormLayout;
    m_tags->setPlaceholderText(tr("comma-separated, e.g. baseline, fashion; the library's filter finds them"));
    tagsRow->addRow(tr("Tags"), m_tags);
    layout->addLayout(tagsRow);
    connect(m_tags, &QLineEdit::editingFinished, this, [this] {
        QStringList tags;
        for (const QString& tag : m_tags->text().split(QLatin1Char(','), Qt::SkipEmptyParts))
            if (!tag.trimmed().isEmpty() && !tags.contains(tag.trimmed()))
                tags << tag.trimmed();
        if (m_id)
            Q_EMIT tagsEdited(m_id, tags);
    });
    auto* cardTitle = new QLabel(tr("<b>Model card</b>"), this);
    auto* cardRow = new QHBoxLayout;
    cardRow->addWidget(cardTitle);
    cardRow->addStretch();
    cardRow->addWidget(m_editCard);
    layout->addLayout(cardRow);
    m_card->setTextFormat(Qt::RichText);
    m_card->setWordWrap(true);
    m_card->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_card->setAlignment(Qt::AlignTop | Qt::AlignLeft);
    layout->addWidget(m_card);
    layout->addStretch(1);
    connect(m_editCard, &QPushButton::clicked, this, [this] {
        if (m_id)
            Q_EMIT editCardRequested(m_id);
    });
}

void ModelOverview::display(const maas::app::ModelEntry& e, const QString& parentName)
{
    m_id = e.id;
    m_title->setText(e.name);
    m_tags->setText(e.tags.join(QStringLiteral(", ")));
    m_values[0]->setText(maas::app::formatCount(e.parameters));
    m_values[0]->setToolTip(maas::app::formatExact(e.parameters));
    m_values[1]->setText(maas::app::formatBytes(e.fileBytes));
    m_values[1]->setToolTip(tr("%1 bytes").arg(maas::app::formatExact(e.fileBytes)));
    m_values[2]->setText(
        std::isnan(e.accuracy) ? tr("—") : QStringLiteral("%1%").arg(QLocale().toString(e.accuracy * 100.0, 'f', 1)));
    m_values[3]->setText(std::isnan(e.latencyMs) ? tr("—") : maas::app::formatSeconds(e.latencyMs / 1000.0));
    m_lineage->setText(parentName.isEmpty() ? tr("lineage: imported")
                                            : tr("lineage: %1 ─%2→ %3").arg(parentName, e.operation, e.name));
    m_card->setText(maas::app::cardSummaryHtml(e.cardJson));
}

void ModelOverview::setMeasuring(bool measuring)
{
    m_measure->setEnabled(!measuring);
    if (measuring)
        m_values[3]->setText(tr("measuring…"));
}

QString ModelOverview::statText(int index) const { return m_values.value(index) ? m_values[index]->text() : QString(); }

} // namespace maas::widgets
