#include "maas/widgets/welcomepage.h"

#include <QCommandLinkButton>
#include <QFrame>
#include <QHBoxLayout>
#include <QLabel>
#include <QPainter>
#include <QPixmap>
#include <QPushButton>
#include <QSvgRenderer>
#include <QVBoxLayout>

namespace maas::widgets {

namespace {

QPixmap programIcon(int size, qreal ratio)
{
    QPixmap pixmap(QSize(size, size) * ratio);
    pixmap.setDevicePixelRatio(ratio);
    pixmap.fill(Qt::transparent);
    QPainter painter(&pixmap);
    QSvgRenderer(QStringLiteral(":/icons/maas-workbench.svg")).render(&painter, QRectF(0, 0, size, size));
    return pixmap;
}

} // namespace

WelcomePage::WelcomePage(QWidget* parent)
    : QWidget(parent)
{
    auto* layout = new QVBoxLayout(this);
    layout->addStretch();
    buildHeading(layout);
    buildDropTarget(layout);
    buildRecent(layout);
    m_message = new QLabel(this);
    m_message->setObjectName(QStringLiteral("message"));
    m_message->setAlignment(Qt::AlignCenter);
    m_message->setWordWrap(true);
    m_message->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(m_message);
    layout->addStretch();
}

void WelcomePage::buildHeading(QVBoxLayout* layout)
{
    auto* icon = new QLabel(this);
    icon->setObjectName(QStringLiteral("icon"));
    icon->setPixmap(programIcon(96, devicePixelRatioF()));
    icon->setAlignment(Qt::AlignCenter);
    layout->addWidget(icon);
    auto* title = new QLabel(tr("MaaS Workbench"), this);
    QFont big = title->font();
    big.setPointSizeF(big.pointSizeF() * 2.0);
    title->setFont(big);
    title->setAlignment(Qt::AlignCenter);
    layout->addWidget(title);
    auto* line = new QLabel(tr("Build or import a model, train it, make it smaller and faster, measure it and publish "
                               "it — all on this machine."),
        this);
    line->setObjectName(QStringLiteral("tagline"));
    line->setAlignment(Qt::AlignCenter);
    line->setWordWrap(true);
    layout->addWidget(line);
    layout->addSpacing(12);
}

void WelcomePage::buildDropTarget(QVBoxLayout* layout)
{
    auto* target = new QLabel(tr("Drop a TorchScript model or a data set here"), this);
    target->setObjectName(QStringLiteral("dropTarget"));
    target->setAlignment(Qt::AlignCenter);
    target->setFrameStyle(QFrame::StyledPanel | QFrame::Plain);
    target->setMinimumSize(420, 140);
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
}

void WelcomePage::buildRecent(QVBoxLayout* layout)
{
    m_recentTitle = new QLabel(tr("<b>Recent models</b>"), this);
    m_recentTitle->setAlignment(Qt::AlignCenter);
    layout->addSpacing(12);
    layout->addWidget(m_recentTitle);
    m_recent = new QVBoxLayout;
    auto* centred = new QHBoxLayout;
    centred->addStretch();
    centred->addLayout(m_recent);
    centred->addStretch();
    layout->addLayout(centred);
    m_recentTitle->hide();
}

void WelcomePage::setRecentModels(const QList<QPair<qint64, QString>>& models)
{
    for (auto* button : m_recentButtons)
        button->deleteLater();
    m_recentButtons.clear();
    for (const auto& [id, name] : models) {
        auto* button = new QCommandLinkButton(name, this);
        button->setObjectName(QStringLiteral("recentModel"));
        connect(button, &QPushButton::clicked, this, [this, id = id] { Q_EMIT modelChosen(id); });
        m_recent->addWidget(button);
        m_recentButtons << button;
    }
    m_recentTitle->setVisible(!models.isEmpty());
}

void WelcomePage::showMessage(const QString& text, bool error)
{
    m_message->setText(text);
    m_message->setStyleSheet(error ? QStringLiteral("color: #c62828;") : QString());
}

} // namespace maas::widgets
