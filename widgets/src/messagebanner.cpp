#include "maas/widgets/messagebanner.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QToolButton>
#include <QVBoxLayout>

namespace maas::widgets {

MessageBanner::MessageBanner(QWidget* parent)
    : QFrame(parent)
    , m_text(new QLabel(this))
    , m_detail(new QLabel(this))
    , m_more(new QToolButton(this))
{
    setObjectName(QStringLiteral("messageBanner"));
    setFrameShape(QFrame::StyledPanel);
    auto* outer = new QVBoxLayout(this);
    auto* row = new QHBoxLayout;
    m_text->setWordWrap(true);
    m_text->setTextInteractionFlags(Qt::TextSelectableByMouse);
    row->addWidget(m_text, 1);
    m_more->setText(tr("Details"));
    m_more->setCheckable(true);
    row->addWidget(m_more);
    auto* close = new QToolButton(this);
    close->setText(QStringLiteral("✕"));
    close->setToolTip(tr("Close"));
    row->addWidget(close);
    outer->addLayout(row);
    m_detail->setWordWrap(true);
    m_detail->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_detail->hide();
    outer->addWidget(m_detail);
    connect(m_more, &QToolButton::toggled, m_detail, &QLabel::setVisible);
    connect(close, &QToolButton::clicked, this, &QWidget::hide);
    hide();
}

void MessageBanner::show(Kind kind, const QString& text, const QString& detail)
{
    m_kind = kind;
    m_text->setText(text);
    m_detail->setText(detail);
    m_more->setVisible(!detail.isEmpty());
    m_more->setChecked(false);
    // Colours that read in light and dark themes alike.
    setStyleSheet(kind == Kind::Error
            ? QStringLiteral("#messageBanner { background: rgba(198, 40, 40, 40); border: 1px solid #c62828; }")
            : QStringLiteral("#messageBanner { background: rgba(25, 118, 210, 30); border: 1px solid #1976d2; }"));
    QFrame::show();
}

QString MessageBanner::text() const { return m_text->text(); }

} // namespace maas::widgets
