#include "maas/widgets/welcomepage.h"

#include <QFrame>
#include <QLabel>
#include <QPushButton>
#include <QHBoxLayout>
#include <QVBoxLayout>

namespace maas::widgets {

WelcomePage::WelcomePage(QWidget* parent)
    : QWidget(parent)
{
    auto* layout = new QVBoxLayout(this);
    layout->addStretch();
    auto* title = new QLabel(tr("MaaS Workbench"), this);
    QFont big = title->font();
    big.setPointSizeF(big.pointSizeF() * 2.0);
    title->setFont(big);
    title->setAlignment(Qt::AlignCenter);
    layout->addWidget(title);

    auto* target = new QLabel(tr("Drop a TorchScript model or a data set here"), this);
    target->setObjectName(QStringLiteral("dropTarget"));
    target->setAlignment(Qt::AlignCenter);
    target->setFrameStyle(QFrame::StyledPanel | QFrame::Plain);
    target->setMinimumSize(420, 160);
    layout->addWidget(target, 0, Qt::AlignHCenter);

    auto* buttons = new QHBoxLayout;
    m_sample = new QPushButton(tr("Train on the Fashion-MNIST sample"), this);
    m_sample->setObjectName(QStringLiteral("trainSample"));
    connect(m_sample, &QPushButton::clicked, this, &WelcomePage::trainSampleRequested);
    m_open = new QPushButton(tr("Open a model…"), this);
    m_open->setObjectName(QStringLiteral("openModel"));
    connect(m_open, &QPushButton::clicked, this, &WelcomePage::openModelRequested);
    buttons->addStretch();
    buttons->addWidget(m_sample);
    buttons->addWidget(m_open);
    buttons->addStretch();
    layout->addLayout(buttons);

    m_message = new QLabel(this);
    m_message->setObjectName(QStringLiteral("message"));
    m_message->setAlignment(Qt::AlignCenter);
    m_message->setWordWrap(true);
    m_message->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(m_message);
    layout->addStretch();
}

void WelcomePage::showMessage(const QString& text, bool error)
{
    m_message->setText(text);
    m_message->setStyleSheet(error ? QStringLiteral("color: #c62828;") : QString());
}

} // namespace maas::widgets
