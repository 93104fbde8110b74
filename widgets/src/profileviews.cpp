#include "maas/widgets/profileviews.h"

#include <QHelpEvent>
#include <QMouseEvent>
#include <QPaintEvent>
#include <QPainter>
#include <QToolTip>

#include <algorithm>
#include <map>

#include "maas/app/format.h"

namespace maas::widgets {

namespace {

constexpr int kRow = 20; // a bar's row, in pixels
constexpr int kLabelWidth = 190;
constexpr int kLegend = 22;

QString moduleName(const std::string& module)
{
    return module.empty() ? LayerBars::tr("(the model itself)") : QString::fromStdString(module);
}

QString milliseconds(double ms) { return maas::app::formatSeconds(ms / 1000.0); }

// The colour of a module path in a timeline: the same module, the same colour, whatever it ran.
QColor moduleColour(const std::string& module)
{
    const auto hash = static_cast<int>(qHash(QString::fromStdString(module)) % 360u);
    return QColor::fromHsv(hash, 90, 235);
}

QString layerTip(const maas::engine::LayerProfile& l, double passMs)
{
    QString tip = QStringLiteral("<b>%1</b> (%2)<br>")
                      .arg(moduleName(l.module).toHtmlEscaped(), QString::fromStdString(l.type).toHtmlEscaped());
    tip += LayerBars::tr("own time %1 (%2 of the pass), with submodules %3")
               .arg(milliseconds(l.selfMs))
               .arg(maas::app::formatPercent(passMs > 0 ? l.selfMs / passMs : 0))
               .arg(milliseconds(l.totalMs));
    if (l.flops > 0)
        tip += QStringLiteral("<br>")
            + LayerBars::tr("%1 FLOPs at %2 GFLOP/s: %3 of this machine's peak of %4 GFLOP/s")
                  .arg(maas::app::formatCount(l.flops))
                  .arg(l.gflops, 0, 'f', 1)
                  .arg(maas::app::formatPercent(l.ofPeak))
                  .arg(l.peakGflops, 0, 'f', 1);
    return tip;
}

} // namespace

QColor peakColour(double ofPeak)
{
    if (ofPeak < 0)
        return QColor(0xbd, 0xbd, 0xbd);
    const double t = std::clamp(ofPeak, 0.0, 1.0);
    return QColor::fromHsvF(static_cast<float>(t * 0.33), 0.65f, 0.85f); // red (0) to green (1)
}

QColor heatColour(double t)
{
    t = std::clamp(t, 0.0, 1.0);
    const QColor cold(0xff, 0xf3, 0xc4), hot(0xc6, 0x28, 0x28);
    return QColor::fromRgbF(static_cast<float>(cold.redF() + t * (hot.redF() - cold.redF())),
        static_cast<float>(cold.greenF() + t * (hot.greenF() - cold.greenF())),
        static_cast<float>(cold.blueF() + t * (hot.blueF() - cold.blueF())));
}

LayerBars::LayerBars(QWidget* parent)
    : QWidget(parent)
{
    setMouseTracking(true);
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
    setBackgroundRole(QPalette::Base);
    setAutoFillBackground(true);
}

void LayerBars::setLayers(std::vector<maas::engine::LayerProfile> layers, double passMs)
{
    m_layers = std::move(layers);
    m_passMs = passMs;
    m_maxMs = 0;
    for (const auto& l : m_layers) // by own time: a container's total (pale) may run past the edge
        m_maxMs = std::max(m_maxMs, l.selfMs);
    setFixedHeight(sizeHint().height());
    update();
}

QSize LayerBars::sizeHint() const { return { 480, kLegend + kRow * std::max<int>(1, int(m_layers.size())) + 4 }; }

QRectF LayerBars::barRect(int index) const
{
    const auto& l = m_layers.at(static_cast<std::size_t>(index));
    const double width = std::max(10, this->width() - kLabelWidth - 70);
    return { double(kLabelWidth), double(kLegend + index * kRow + 3), m_maxMs > 0 ? width * l.selfMs / m_maxMs : 0,
        double(kRow - 6) };
}

int LayerBars::rowAt(double y) const
{
    const int row = static_cast<int>((y - kLegend) / kRow);
    return y >= kLegend && row >= 0 && row < static_cast<int>(m_layers.size()) ? row : -1;
}

void LayerBars::paintEvent(QPaintEvent* event)
{
    QPainter p(this);
    p.setRenderHint(QPainter::Antialiasing);
    const QColor text = palette().color(QPalette::Text);
    // Legend: what the colours mean.
    for (int i = 0; i <= 10; ++i)
        p.fillRect(QRectF(4 + i * 12, 6, 12, 10), peakColour(i / 10.0));
    p.fillRect(QRectF(4 + 11 * 12 + 6, 6, 12, 10), peakColour(-1));
    p.setPen(text);
    p.drawText(QRectF(4 + 12 * 12 + 12, 0, this->width() - 170, kLegend), Qt::AlignVCenter,
        tr("red to green: 0% to 100% of this machine's peak GFLOP/s; grey: no arithmetic counted; pale: with "
           "submodules"));
    const double width = std::max(10, this->width() - kLabelWidth - 70);
    // Only the rows in the part being painted: a scroll area shows a few dozen of thousands.
    const int first = std::max(0, (event->rect().top() - kLegend) / kRow);
    const int last = std::min(static_cast<int>(m_layers.size()) - 1, (event->rect().bottom() - kLegend) / kRow);
    for (int i = first; i <= last; ++i) {
        const auto& l = m_layers[static_cast<std::size_t>(i)];
        const QRectF row(0, kLegend + i * kRow, this->width(), kRow);
        p.setPen(text);
        p.drawText(row.adjusted(4, 0, -(this->width() - kLabelWidth + 6), 0), Qt::AlignVCenter | Qt::AlignRight,
            fontMetrics().elidedText(moduleName(l.module), Qt::ElideLeft, kLabelWidth - 10));
        const double totalMs = l.module.empty() ? l.selfMs : l.totalMs;
        const QRectF total(
            kLabelWidth, row.top() + 3, m_maxMs > 0 ? std::min(width, width * totalMs / m_maxMs) : 0, kRow - 6);
        QColor pale = peakColour(l.flops > 0 ? l.ofPeak : -1);
        pale.setAlpha(70);
        p.fillRect(total, pale);
        const auto bar = barRect(i);
        p.fillRect(bar, peakColour(l.flops > 0 ? l.ofPeak : -1));
        p.drawText(QRectF(bar.right() + 4, row.top(), 66, kRow), Qt::AlignVCenter, milliseconds(l.selfMs));
    }
}

void LayerBars::mousePressEvent(QMouseEvent* event)
{
    if (const int row = rowAt(event->position().y()); row >= 0)
        Q_EMIT layerClicked(QString::fromStdString(m_layers[static_cast<std::size_t>(row)].module));
}

bool LayerBars::event(QEvent* event)
{
    if (event->type() == QEvent::ToolTip) {
        auto* help = static_cast<QHelpEvent*>(event);
        if (const int row = rowAt(help->pos().y()); row >= 0)
            QToolTip::showText(help->globalPos(), layerTip(m_layers[static_cast<std::size_t>(row)], m_passMs), this);
        else
            QToolTip::hideText();
        return true;
    }
    return QWidget::event(event);
}

TimelineView::TimelineView(QWidget* parent)
    : QWidget(parent)
{
    setMouseTracking(true);
    setBackgroundRole(QPalette::Base);
    setAutoFillBackground(true);
}

void TimelineView::setTimeline(std::vector<maas::engine::TraceEvent> events, double passMs)
{
    m_events = std::move(events);
    m_passUs = passMs * 1000.0;
    m_depth = 0;
    for (const auto& e : m_events) {
        m_depth = std::max(m_depth, e.depth + 1);
        m_passUs = std::max(m_passUs, e.startUs + e.durationUs);
    }
    setMinimumHeight(kRow * std::min(m_depth, 8) + kLegend);
    update();
}

QSize TimelineView::sizeHint() const { return { 480, kRow * std::max(1, m_depth) + kLegend }; }

QRectF TimelineView::boxOf(const maas::engine::TraceEvent& e) const
{
    const double scale = m_passUs > 0 ? (width() - 8) / m_passUs : 0;
    return { 4 + e.startUs * scale, double(kLegend + e.depth * kRow), std::max(1.0, e.durationUs * scale),
        double(kRow - 2) };
}

void TimelineView::paintEvent(QPaintEvent*)
{
    QPainter p(this);
    const QColor text = palette().color(QPalette::Text);
    p.setPen(text);
    p.drawText(QRectF(4, 0, width() - 8, kLegend), Qt::AlignVCenter,
        tr("One forward pass, %1; operators below the ones that called them").arg(milliseconds(m_passUs / 1000.0)));
    for (const auto& e : m_events) {
        const auto box = boxOf(e);
        p.fillRect(box, moduleColour(e.module));
        if (box.width() > 40) {
            p.setPen(Qt::black);
            p.drawText(box.adjusted(2, 0, -2, 0), Qt::AlignVCenter,
                fontMetrics().elidedText(QString::fromStdString(e.name), Qt::ElideRight, int(box.width()) - 4));
        }
    }
}

bool TimelineView::event(QEvent* event)
{
    if (event->type() == QEvent::ToolTip) {
        auto* help = static_cast<QHelpEvent*>(event);
        for (auto it = m_events.rbegin(); it != m_events.rend(); ++it)
            if (boxOf(*it).contains(help->pos())) {
                QToolTip::showText(help->globalPos(),
                    tr("%1 in %2: %3 from %4; inputs %5")
                        .arg(QString::fromStdString(it->name), moduleName(it->module),
                            milliseconds(it->durationUs / 1000.0), milliseconds(it->startUs / 1000.0),
                            QString::fromStdString(it->inputShapes)),
                    this);
                return true;
            }
        QToolTip::hideText();
        return true;
    }
    return QWidget::event(event);
}

FlameView::FlameView(QWidget* parent)
    : QWidget(parent)
{
    setMouseTracking(true);
    setBackgroundRole(QPalette::Base);
    setAutoFillBackground(true);
}

void FlameView::setLayers(const std::vector<maas::engine::LayerProfile>& layers)
{
    m_layers = layers;
    m_passMs = 0;
    for (const auto& l : m_layers)
        if (l.module.empty())
            m_passMs = l.totalMs;
    layOut();
    setMinimumHeight(kRow * std::min(m_depth, 8) + 4);
    update();
}

QSize FlameView::sizeHint() const { return { 480, kRow * std::max(1, m_depth) + 4 }; }

// Children in the order they first ran, each as wide as its total time within its parent's box.
void FlameView::layOut()
{
    m_boxes.clear();
    m_depth = 0;
    std::map<std::string, std::vector<const maas::engine::LayerProfile*>> children;
    const maas::engine::LayerProfile* root = nullptr;
    for (const auto& l : m_layers) {
        if (l.module.empty()) {
            root = &l;
            continue;
        }
        const auto dot = l.module.rfind('.');
        children[dot == std::string::npos ? std::string() : l.module.substr(0, dot)].push_back(&l);
    }
    if (!root || root->totalMs <= 0)
        return;
    const double scale = (width() - 8) / root->totalMs;
    std::vector<std::pair<const maas::engine::LayerProfile*, QRectF>> todo { { root,
        QRectF(4, 2, root->totalMs * scale, kRow - 2) } };
    while (!todo.empty()) {
        auto [layer, box] = todo.back();
        todo.pop_back();
        m_boxes.emplace_back(QString::fromStdString(layer->module), box);
        m_depth = std::max(m_depth, static_cast<int>(box.top() / kRow) + 1);
        double x = box.left();
        for (const auto* child : children[layer->module]) {
            const QRectF childBox(x, box.top() + kRow, child->totalMs * scale, kRow - 2);
            x += childBox.width();
            if (childBox.width() >= 1)
                todo.emplace_back(child, childBox);
        }
    }
}

void FlameView::resizeEvent(QResizeEvent* event)
{
    layOut();
    QWidget::resizeEvent(event);
}

void FlameView::paintEvent(QPaintEvent*)
{
    QPainter p(this);
    for (const auto& [module, box] : m_boxes) {
        p.fillRect(box, moduleColour(module.toStdString()));
        if (box.width() > 30) {
            p.setPen(Qt::black);
            const QString name = module.isEmpty() ? LayerBars::tr("(the model itself)") : module.section('.', -1);
            p.drawText(box.adjusted(3, 0, -3, 0), Qt::AlignVCenter,
                fontMetrics().elidedText(name, Qt::ElideRight, int(box.width()) - 6));
        }
    }
}

void FlameView::mousePressEvent(QMouseEvent* event)
{
    for (const auto& [module, box] : m_boxes)
        if (box.contains(event->position()))
            Q_EMIT layerClicked(module);
}

bool FlameView::event(QEvent* event)
{
    if (event->type() == QEvent::ToolTip) {
        auto* help = static_cast<QHelpEvent*>(event);
        for (const auto& [module, box] : m_boxes)
            if (box.contains(help->pos()))
                for (const auto& l : m_layers)
                    if (QString::fromStdString(l.module) == module) {
                        QToolTip::showText(help->globalPos(), layerTip(l, m_passMs), this);
                        return true;
                    }
        QToolTip::hideText();
        return true;
    }
    return QWidget::event(event);
}

} // namespace maas::widgets
