#pragma once

#include <QHash>
#include <QPointer>
#include <QWidget>

class QAction;
class QLabel;
class QToolBar;
class QTabWidget;
class QTreeWidget;

namespace maas::app {
class Job;
class JobManager;
} // namespace maas::app

namespace maas::engine {
struct ModelReport;
}

namespace maas::widgets {

struct Inspection;

class CardEditor;
class GraphView;

/// The Inspect tab. Layers: the module tree with each layer's type and parameter count, and under each
/// layer its parameters with shape, datatype and norm. Graph: the forward graph laid out by Graphviz,
/// with the clicked node's arguments, weights and output types beside it. Card: the model card as an
/// editable form. Filled by a job, so large models never block the window.
class InspectorPage : public QWidget {
    Q_OBJECT
public:
    explicit InspectorPage(maas::app::JobManager* jobs, QWidget* parent = nullptr);
    /// Inspects the model file at `path`; `name` (default: the file's name) titles the job.
    maas::app::Job* inspect(const QString& path, const QString& name = {});
    QTreeWidget* tree() const { return m_tree; }
    QLabel* summary() const { return m_summary; }
    GraphView* graphView() const { return m_graph; }
    QTreeWidget* nodeDetails() const { return m_details; }
    QTabWidget* sections() const { return m_sections; }
    CardEditor* cardEditor() const { return m_card; }
    /// Brings the Card tab (the card's form) forward.
    void showCardForm();
    /// Keeps a profile's time shares (module path -> share of the pass) for the model at `path`; its graph
    /// can then be coloured by them (the Heat map switch), and is at once when it is shown.
    void setHeat(const QString& path, const QHash<QString, double>& shares);
    /// Shows the Graph tab with the first operator of `module` selected; false when the graph has none.
    bool selectModule(const QString& module);
    QAction* heatAction() const { return m_heatAction; }

private:
    void showNode(int index);
    void showInspection(const Inspection& inspection);
    void showLayers(const maas::engine::ModelReport& report);

    maas::app::JobManager* m_jobs;
    QLabel* m_summary;
    QTabWidget* m_sections;
    int m_cardTab = -1;
    QTreeWidget* m_tree;
    GraphView* m_graph;
    QLabel* m_graphStatus;
    QTreeWidget* m_details;
    CardEditor* m_card;
    QPointer<maas::app::Job> m_job;
    QString m_path;
    QHash<QString, QHash<QString, double>> m_heat; ///< by model path
    QAction* m_heatAction = nullptr;
    QLabel* m_heatLegend;
    int m_graphTab = -1;

    void applyHeat();
    void addHeatMap(QToolBar* tools);
};

} // namespace maas::widgets
