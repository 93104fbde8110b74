#pragma once

#include <QGraphicsView>
#include <QHash>
#include <QPainterPath>
#include <QPolygonF>

#include <vector>

#include "maas/app/inspect.h"

namespace maas::widgets {

/// Where Graphviz's dot layout puts each node and edge, in scene coordinates (y grows downwards).
struct GraphLayout {
    struct Edge {
        QPainterPath path;
        QPolygonF arrow;
    };
    QRectF bounds;
    std::vector<QRectF> nodes;
    std::vector<Edge> edges;
};

/// Lays the graph out top to bottom with Graphviz (libgvc), sizing each box to its text in `font`.
/// Safe to call on a worker thread; calls are serialized because Graphviz keeps global state.
/// Throws std::runtime_error with a sentence when Graphviz cannot lay it out.
GraphLayout layoutGraph(const maas::engine::ModelGraph& graph, const QFont& font);

/// The model's forward graph, drawn from a layout: boxes coloured by kind of operator, zoomable with
/// Ctrl+wheel or the zoom actions, a click selects a node.
class GraphView : public QGraphicsView {
    Q_OBJECT
public:
    explicit GraphView(QWidget* parent = nullptr);
    ~GraphView() override;

    void setGraph(maas::engine::ModelGraph graph, const GraphLayout& layout);
    void clearGraph();
    const maas::engine::ModelGraph& graph() const { return m_graph; }

    /// Selects node `index` (-1: none) and scrolls it into view.
    void selectNode(int index);
    int selectedNode() const;

    /// Selects the next node (after the selected one, wrapping) whose operator or module contains
    /// `text`; returns its index, or -1 when none does.
    int findNext(const QString& text);

    /// Colours each operator by its module's share of the forward pass (module path -> share, as a
    /// profile gives it): the module that takes the most time darkest. clearHeat() restores the colours.
    void setHeat(const QHash<QString, double>& shares);
    void clearHeat();
    bool showsHeat() const { return m_heat; }
    /// The colour node `index` is filled with now (for tests).
    QColor nodeFill(int index) const;

    /// Writes the whole graph (not just what is in view) as PNG or SVG; "" or the reason it failed.
    QString savePicture(const QString& path) const;

    double zoom() const;
    void zoomBy(double factor);
    void fitAll();

Q_SIGNALS:
    void nodeSelected(int index);

protected:
    void wheelEvent(QWheelEvent* event) override;

private:
    maas::engine::ModelGraph m_graph;
    std::vector<QGraphicsItem*> m_items;
    bool m_heat = false;
};

} // namespace maas::widgets
