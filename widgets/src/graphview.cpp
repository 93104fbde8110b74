#include "maas/widgets/graphview.h"

#include <QCoreApplication>
#include <QFontMetricsF>
#include <QGraphicsItem>
#include <QGraphicsScene>
#include <QPainter>
#include <QStyleOptionGraphicsItem>
#include <QWheelEvent>

#include <graphviz/gvc.h>

#include "maas/app/format.h"
#include "maas/widgets/pictures.h"
#include "maas/widgets/profileviews.h"

#include <mutex>
#include <stdexcept>

namespace maas::widgets {

namespace {

constexpr double kPointsPerInch = 72.0;
constexpr double kPadding = 8.0;

QString nodeText(const maas::engine::GraphNode& node)
{
    const QString label = QString::fromStdString(node.label);
    return node.module.empty() ? label : label + QLatin1Char('\n') + QString::fromStdString(node.module);
}

QSizeF textBox(const QString& text, const QFontMetricsF& metrics)
{
    double width = 0;
    const QStringList lines = text.split(QLatin1Char('\n'));
    for (const QString& line : lines)
        width = std::max(width, metrics.horizontalAdvance(line));
    return { width + 2 * kPadding, lines.size() * metrics.lineSpacing() + kPadding };
}

// Colours by what an operator does, the way people read a network: compute, normalization, activation...
QColor fillFor(const maas::engine::GraphNode& node)
{
    using Kind = maas::engine::GraphNode::Kind;
    if (node.kind != Kind::Operator)
        return QColor(0xe0, 0xe0, 0xe0);
    const QString op = QString::fromStdString(node.label);
    if (op.contains(QLatin1String("conv")) || op.contains(QLatin1String("linear"))
        || op.contains(QLatin1String("matmul")) || op.contains(QLatin1String("lstm"))
        || op.contains(QLatin1String("gru")) || op.contains(QLatin1String("embedding")))
        return QColor(0xbb, 0xde, 0xfb);
    if (op.contains(QLatin1String("norm")))
        return QColor(0xc8, 0xe6, 0xc9);
    if (op.contains(QLatin1String("relu")) || op.contains(QLatin1String("tanh"))
        || op.contains(QLatin1String("sigmoid")) || op.contains(QLatin1String("gelu"))
        || op.contains(QLatin1String("softmax")) || op.contains(QLatin1String("silu")))
        return QColor(0xff, 0xe0, 0xb2);
    if (op.contains(QLatin1String("pool")))
        return QColor(0xe1, 0xbe, 0xe7);
    return QColor(0xf5, 0xf5, 0xf5);
}

class NodeItem : public QGraphicsItem {
public:
    NodeItem(const QRectF& rect, QString text, QColor fill, int index)
        : m_rect(rect)
        , m_text(std::move(text))
        , m_fill(fill)
    {
        setData(0, index);
        setFlag(ItemIsSelectable);
        setCursor(Qt::PointingHandCursor);
    }
    QRectF boundingRect() const override { return m_rect.adjusted(-2, -2, 2, 2); }
    void setFill(QColor fill)
    {
        m_fill = fill;
        update();
    }
    QColor fill() const { return m_fill; }
    void paint(QPainter* painter, const QStyleOptionGraphicsItem*, QWidget*) override
    {
        painter->setRenderHint(QPainter::Antialiasing);
        painter->setPen(QPen(isSelected() ? QColor(0x19, 0x76, 0xd2) : QColor(0x75, 0x75, 0x75), isSelected() ? 3 : 1));
        painter->setBrush(m_fill);
        painter->drawRoundedRect(m_rect, 6, 6);
        painter->setPen(Qt::black);
        painter->drawText(m_rect, Qt::AlignCenter, m_text);
    }

private:
    QRectF m_rect;
    QString m_text;
    QColor m_fill;
};

QString edgeTip(const maas::engine::ModelGraph& graph, const maas::engine::GraphEdge& edge)
{
    return QStringLiteral("%1 → %2: %3")
        .arg(QString::fromStdString(graph.nodes[edge.from].label), QString::fromStdString(graph.nodes[edge.to].label),
            QString::fromStdString(edge.label));
}

} // namespace

GraphLayout layoutGraph(const maas::engine::ModelGraph& graph, const QFont& font)
{
    static std::mutex graphviz;
    const std::lock_guard<std::mutex> lock(graphviz);
    static GVC_t* context = gvContext();
    const QFontMetricsF metrics(font);

    Agraph_t* g = agopen(const_cast<char*>("model"), Agdirected, nullptr);
    agattr(g, AGRAPH, const_cast<char*>("nodesep"), const_cast<char*>("0.25"));
    agattr(g, AGRAPH, const_cast<char*>("ranksep"), const_cast<char*>("0.3"));
    agattr(g, AGNODE, const_cast<char*>("shape"), const_cast<char*>("box"));
    agattr(g, AGNODE, const_cast<char*>("fixedsize"), const_cast<char*>("true"));
    agattr(g, AGNODE, const_cast<char*>("label"), const_cast<char*>(""));
    std::vector<Agnode_t*> nodes;
    for (std::size_t i = 0; i < graph.nodes.size(); ++i) {
        const QSizeF size = textBox(nodeText(graph.nodes[i]), metrics);
        Agnode_t* n = agnode(g, QByteArray::number(static_cast<qulonglong>(i)).data(), 1);
        agsafeset(n, const_cast<char*>("width"), QByteArray::number(size.width() / kPointsPerInch).data(),
            const_cast<char*>(""));
        agsafeset(n, const_cast<char*>("height"), QByteArray::number(size.height() / kPointsPerInch).data(),
            const_cast<char*>(""));
        nodes.push_back(n);
    }
    std::vector<Agedge_t*> edges;
    for (const auto& e : graph.edges)
        edges.push_back(agedge(g, nodes.at(e.from), nodes.at(e.to), nullptr, 1));
    if (gvLayout(context, g, "dot") != 0) {
        agclose(g);
        throw std::runtime_error(QCoreApplication::translate("GraphView",
            "Graphviz could not lay out the graph: its dot layout plugin is missing; reinstall the libgvc6 package.")
                                     .toStdString());
    }
    GraphLayout layout;
    const boxf bb = GD_bb(g);
    const auto toScene = [&](pointf p) { return QPointF(p.x - bb.LL.x, bb.UR.y - p.y); };
    layout.bounds = QRectF(0, 0, bb.UR.x - bb.LL.x, bb.UR.y - bb.LL.y);
    for (Agnode_t* n : nodes) {
        const QSizeF size(ND_width(n) * kPointsPerInch, ND_height(n) * kPointsPerInch);
        const QPointF centre = toScene(ND_coord(n));
        layout.nodes.push_back(QRectF(centre - QPointF(size.width() / 2, size.height() / 2), size));
    }
    for (Agedge_t* e : edges) {
        GraphLayout::Edge edge;
        // agedge returns the existing edge for a repeated pair; each keeps the one spline dot drew.
        const splines* spl = ED_spl(e);
        if (spl && spl->size > 0) {
            const bezier& b = spl->list[0];
            edge.path.moveTo(toScene(b.list[0]));
            for (int i = 1; i + 2 < b.size; i += 3)
                edge.path.cubicTo(toScene(b.list[i]), toScene(b.list[i + 1]), toScene(b.list[i + 2]));
            if (b.eflag) {
                const QPointF tip = toScene(b.ep), base = toScene(b.list[b.size - 1]);
                const QPointF along = tip - base, across(-along.y() / 2, along.x() / 2);
                edge.arrow << tip << base + across << base - across;
            }
        }
        layout.edges.push_back(std::move(edge));
    }
    gvFreeLayout(context, g);
    agclose(g);
    return layout;
}

GraphView::GraphView(QWidget* parent)
    : QGraphicsView(parent)
{
    setScene(new QGraphicsScene(this));
    setRenderHint(QPainter::Antialiasing);
    setDragMode(QGraphicsView::ScrollHandDrag);
    setTransformationAnchor(QGraphicsView::AnchorUnderMouse);
    setBackgroundBrush(Qt::white);
    connect(scene(), &QGraphicsScene::selectionChanged, this, [this] { Q_EMIT nodeSelected(selectedNode()); });
}

// The scene deselects its items as it is destroyed: nobody should hear of that.
GraphView::~GraphView() { scene()->blockSignals(true); }

void GraphView::clearGraph()
{
    scene()->clear();
    m_items.clear();
    m_graph = {};
    m_heat = false;
}

void GraphView::setGraph(maas::engine::ModelGraph graph, const GraphLayout& layout)
{
    clearGraph();
    m_graph = std::move(graph);
    const QPen edgePen(QColor(0x61, 0x61, 0x61), 1.2);
    for (std::size_t i = 0; i < layout.edges.size() && i < m_graph.edges.size(); ++i) {
        auto* path = scene()->addPath(layout.edges[i].path, edgePen);
        path->setToolTip(edgeTip(m_graph, m_graph.edges[i]));
        scene()->addPolygon(layout.edges[i].arrow, edgePen, QColor(0x61, 0x61, 0x61));
    }
    for (std::size_t i = 0; i < layout.nodes.size() && i < m_graph.nodes.size(); ++i) {
        const auto& node = m_graph.nodes[i];
        auto* item = new NodeItem(layout.nodes[i], nodeText(node), fillFor(node), static_cast<int>(i));
        item->setToolTip(QString::fromStdString(node.op));
        scene()->addItem(item);
        m_items.push_back(item);
    }
    scene()->setSceneRect(layout.bounds.adjusted(-20, -20, 20, 20));
    resetTransform();
    centerOn(layout.bounds.center().x(), layout.bounds.top());
}

void GraphView::selectNode(int index)
{
    scene()->clearSelection();
    if (index < 0 || index >= static_cast<int>(m_items.size()))
        return;
    m_items[index]->setSelected(true);
    centerOn(m_items[index]);
}

int GraphView::selectedNode() const
{
    const auto selected = scene()->selectedItems();
    return selected.isEmpty() ? -1 : selected.first()->data(0).toInt();
}

int GraphView::findNext(const QString& text)
{
    const int count = static_cast<int>(m_graph.nodes.size());
    if (text.isEmpty() || count == 0)
        return -1;
    for (int step = 1; step <= count; ++step) {
        const int i = (std::max(selectedNode(), -1) + step) % count;
        const auto& node = m_graph.nodes[i];
        if (QString::fromStdString(node.op).contains(text, Qt::CaseInsensitive)
            || QString::fromStdString(node.module).contains(text, Qt::CaseInsensitive)) {
            selectNode(i);
            return i;
        }
    }
    return -1;
}

void GraphView::setHeat(const QHash<QString, double>& shares)
{
    double most = 0;
    for (const auto share : shares)
        most = std::max(most, share);
    for (std::size_t i = 0; i < m_items.size() && i < m_graph.nodes.size(); ++i) {
        const auto& node = m_graph.nodes[i];
        if (node.kind != maas::engine::GraphNode::Kind::Operator)
            continue;
        const double share = shares.value(QString::fromStdString(node.module), 0.0);
        auto* item = static_cast<NodeItem*>(m_items[i]);
        item->setFill(heatColour(most > 0 ? share / most : 0));
        item->setToolTip(tr("%1 — its module takes %2 of the forward pass")
                             .arg(QString::fromStdString(node.op), maas::app::formatPercent(share)));
    }
    m_heat = true;
}

void GraphView::clearHeat()
{
    for (std::size_t i = 0; i < m_items.size() && i < m_graph.nodes.size(); ++i) {
        auto* item = static_cast<NodeItem*>(m_items[i]);
        item->setFill(fillFor(m_graph.nodes[i]));
        item->setToolTip(QString::fromStdString(m_graph.nodes[i].op));
    }
    m_heat = false;
}

QColor GraphView::nodeFill(int index) const
{
    return index >= 0 && index < static_cast<int>(m_items.size()) ? static_cast<NodeItem*>(m_items[index])->fill()
                                                                  : QColor();
}

QString GraphView::savePicture(const QString& path) const
{
    const QRectF area = scene()->sceneRect();
    return maas::widgets::savePicture(path, area.size(),
        [this, area](QPainter& painter, const QRectF& target) { scene()->render(&painter, target, area); });
}

double GraphView::zoom() const { return transform().m11(); }

void GraphView::zoomBy(double factor)
{
    const double next = std::clamp(zoom() * factor, 0.05, 8.0);
    scale(next / zoom(), next / zoom());
}

void GraphView::fitAll() { fitInView(scene()->sceneRect(), Qt::KeepAspectRatio); }

void GraphView::wheelEvent(QWheelEvent* event)
{
    if (event->modifiers() & Qt::ControlModifier) {
        zoomBy(event->angleDelta().y() > 0 ? 1.2 : 1 / 1.2);
        event->accept();
        return;
    }
    QGraphicsView::wheelEvent(event);
}

} // namespace maas::widgets
