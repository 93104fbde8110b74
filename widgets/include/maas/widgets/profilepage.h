#pragma once

#include <QHash>
#include <QPointer>
#include <QWidget>

#include <memory>
#include <optional>

class QLabel;
class QLineEdit;
class QPushButton;
class QSpinBox;
class QTableWidget;
class QTabWidget;

namespace maas::app {
class Job;
class Library;
class WorkbenchController;
struct ProfileRun;
enum class JobState;
} // namespace maas::app

namespace maas::widgets {

class FlameView;
class LayerBars;
class TimelineView;

/// The Profile page: where a model's forward pass spends its time. Per-layer bars (own and total time,
/// coloured by how close each layer's GFLOP/s come to this machine's peak), the operator table, a
/// timeline of one pass and a flame graph of module paths; the Chrome trace to export. A click on a layer
/// asks the window to show it in the graph, which can colour its nodes by their share of time. Runs as a job.
class ProfilePage : public QWidget {
    Q_OBJECT
public:
    explicit ProfilePage(maas::app::WorkbenchController* controller, QWidget* parent = nullptr);

    /// The library model to profile.
    void setModel(std::optional<qint64> id);
    /// Profiles it as the form says; nullptr (and a sentence) when the form is wrong or no model is chosen.
    maas::app::Job* start();
    /// Writes the shown profile's Chrome trace (or, for a .folded or .txt path, its folded stacks); "" or
    /// one sentence.
    QString exportTrace(const QString& path) const;
    /// The shown profile (null before one ran).
    std::shared_ptr<maas::app::ProfileRun> shown() const { return m_run; }

    QLineEdit* inputShape() const { return m_shape; }
    QSpinBox* passes() const { return m_runs; }
    QPushButton* profileButton() const { return m_start; }
    QPushButton* traceButton() const { return m_trace; }
    QLabel* status() const { return m_status; }
    QLabel* summary() const { return m_summary; }
    LayerBars* layerBars() const { return m_bars; }
    QTableWidget* operators() const { return m_operators; }
    TimelineView* timeline() const { return m_timeline; }
    FlameView* flame() const { return m_flame; }
    QTabWidget* views() const { return m_views; }

Q_SIGNALS:
    /// The user clicked layer `module` ("layer1.0.conv1") of the model at `path`.
    void layerActivated(const QString& path, const QString& module);
    /// A profile of the model at `path` is shown: each module's share of the pass, for the graph's heat map.
    void profileShown(const QString& path, const QHash<QString, double>& shares);

private:
    void showProfile(maas::app::Job* job);
    void finish(maas::app::Job* job, maas::app::JobState state);
    void showOperators();
    void activateLayer(const QString& module);
    void showError(const QString& message);

    maas::app::WorkbenchController* m_controller;
    maas::app::Library* m_library;
    std::optional<qint64> m_model;
    QLabel* m_title;
    QLineEdit* m_shape;
    QSpinBox* m_runs;
    QPushButton* m_start;
    QPushButton* m_trace;
    QLabel* m_status;
    QLabel* m_summary;
    QTabWidget* m_views;
    LayerBars* m_bars;
    QTableWidget* m_operators;
    TimelineView* m_timeline;
    FlameView* m_flame;
    QPointer<maas::app::Job> m_job;
    std::shared_ptr<maas::app::ProfileRun> m_run;
};

} // namespace maas::widgets
