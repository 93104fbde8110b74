#pragma once

#include <QColor>
#include <QRectF>
#include <QString>
#include <QWidget>

#include <vector>

#include "maas/app/benchmark.h"

namespace maas::widgets {

/// The colour of a layer that reaches `ofPeak` (0..1) of the machine's peak: red far from it, green
/// close; grey for a layer that does no counted arithmetic (negative).
QColor peakColour(double ofPeak);

/// A heat colour for `t` (0..1): pale yellow for little time, dark red for the most.
QColor heatColour(double t);

/// Per-layer time as horizontal bars, largest first: the layer's total time pale, its own time solid,
/// coloured by how close its GFLOP/s come to the machine's peak. A click on a bar names its layer.
class LayerBars : public QWidget {
    Q_OBJECT
public:
    explicit LayerBars(QWidget* parent = nullptr);
    /// `layers` as leafLayers gives them; `passMs`: the pass they share.
    void setLayers(std::vector<maas::engine::LayerProfile> layers, double passMs);
    const std::vector<maas::engine::LayerProfile>& layers() const { return m_layers; }
    /// The bar's rectangle for layer `index`, in widget coordinates (for tests and tooltips).
    QRectF barRect(int index) const;
    QSize sizeHint() const override;

Q_SIGNALS:
    void layerClicked(const QString& module);

protected:
    void paintEvent(QPaintEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    bool event(QEvent* event) override;

private:
    int rowAt(double y) const;

    std::vector<maas::engine::LayerProfile> m_layers;
    double m_maxMs = 0;
    double m_passMs = 0;
};

/// One forward pass on a time axis: each operator call a box, nested calls below their caller, coloured by
/// the module they ran in; hovering tells the call.
class TimelineView : public QWidget {
    Q_OBJECT
public:
    explicit TimelineView(QWidget* parent = nullptr);
    void setTimeline(std::vector<maas::engine::TraceEvent> events, double passMs);
    std::size_t eventCount() const { return m_events.size(); }
    QSize sizeHint() const override;

protected:
    void paintEvent(QPaintEvent* event) override;
    bool event(QEvent* event) override;

private:
    QRectF boxOf(const maas::engine::TraceEvent& e) const;

    std::vector<maas::engine::TraceEvent> m_events;
    double m_passUs = 0;
    int m_depth = 0;
};

/// Module paths as a flame graph (top down): the model spans the width, each module is as wide as its
/// total time and sits under its parent. A click names the module.
class FlameView : public QWidget {
    Q_OBJECT
public:
    explicit FlameView(QWidget* parent = nullptr);
    void setLayers(const std::vector<maas::engine::LayerProfile>& layers);
    /// Boxes drawn, for tests: module path and rectangle.
    const std::vector<std::pair<QString, QRectF>>& boxes() const { return m_boxes; }
    QSize sizeHint() const override;

Q_SIGNALS:
    void layerClicked(const QString& module);

protected:
    void paintEvent(QPaintEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    bool event(QEvent* event) override;

private:
    void layOut();

    std::vector<maas::engine::LayerProfile> m_layers;
    std::vector<std::pair<QString, QRectF>> m_boxes;
    int m_depth = 0;
    double m_passMs = 0;
};

} // namespace maas::widgets
