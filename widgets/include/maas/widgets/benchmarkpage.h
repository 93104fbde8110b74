#pragma once

#include <QPointer>
#include <QWidget>

#include <memory>
#include <optional>

class QChartView;
class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QLayout;
class QLineEdit;
class QListWidget;
class QPushButton;
class QTableWidget;

namespace maas::app {
class Job;
class Library;
class WorkbenchController;
struct BenchmarkRun;
enum class JobState;
} // namespace maas::app

namespace maas::widgets {

/// The Benchmark page: a model and its variants timed side by side over batch sizes and thread counts.
/// Charts: one configuration's latency histogram with p50/p90/p99 marked, throughput against batch size and
/// latency against threads, one line per model; a table with ratios to the first model; the configuration
/// with the most throughput within a latency budget. Results export as CSV or JSON, charts as PNG or SVG
/// (right-click). Runs as a job; every result is kept in the library.
class BenchmarkPage : public QWidget {
    Q_OBJECT
public:
    explicit BenchmarkPage(maas::app::WorkbenchController* controller, QWidget* parent = nullptr);

    /// The library model to benchmark: it and the rest of its lineage are offered, it and its variants
    /// checked.
    void setModel(std::optional<qint64> id);
    /// Reads the library's models again.
    void reload();
    /// Times the checked models as the form says; nullptr (and a sentence) when the form is wrong.
    maas::app::Job* start();
    /// Shows a run's results (what a finished job does; public for the chart benchmark).
    void showRun(std::shared_ptr<maas::app::BenchmarkRun> run);
    /// Writes the shown results as CSV or JSON, by the path's extension; "" or one sentence.
    QString exportResults(const QString& path) const;

    QListWidget* models() const { return m_models; }
    QLineEdit* batches() const { return m_batches; }
    QLineEdit* threads() const { return m_threads; }
    QDoubleSpinBox* seconds() const { return m_seconds; }
    QDoubleSpinBox* maxLatency() const { return m_maxLatency; }
    QPushButton* runButton() const { return m_start; }
    QPushButton* exportButton() const { return m_export; }
    QLabel* status() const { return m_status; }
    QLabel* sweetSpot() const { return m_sweetSpot; }
    QTableWidget* table() const { return m_table; }
    QComboBox* histogramChoice() const { return m_choice; }
    QChartView* histogramChart() const { return m_histogram; }
    QChartView* throughputChart() const { return m_throughput; }
    QChartView* threadsChart() const { return m_byThreads; }
    QChartView* historyChart() const { return m_history; }

private:
    QLayout* buildForm();
    void buildResults();
    void connectSignals();
    void finish(maas::app::Job* job, maas::app::JobState state);
    void showTable();
    void showHistogram();
    void showLines();
    void showSweetSpot();
    void showHistory();
    void showError(const QString& message);

    maas::app::WorkbenchController* m_controller;
    maas::app::Library* m_library;
    std::optional<qint64> m_model;
    QLabel* m_title;
    QListWidget* m_models;
    QLineEdit* m_batches;
    QLineEdit* m_threads;
    QDoubleSpinBox* m_seconds;
    QDoubleSpinBox* m_maxLatency;
    QPushButton* m_start;
    QPushButton* m_export;
    QLabel* m_status;
    QLabel* m_sweetSpot;
    QTableWidget* m_table;
    QComboBox* m_choice;
    QChartView* m_histogram;
    QChartView* m_throughput;
    QChartView* m_byThreads;
    QChartView* m_history;
    QWidget* m_results;
    QPointer<maas::app::Job> m_job;
    std::shared_ptr<maas::app::BenchmarkRun> m_run;
};

} // namespace maas::widgets
