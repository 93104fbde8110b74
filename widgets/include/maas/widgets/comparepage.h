#pragma once

#include <QPointer>
#include <QWidget>

#include <optional>

class QComboBox;
class QLabel;
class QPushButton;
class QSpinBox;
class QTableWidget;

namespace maas::app {
class Job;
class Library;
class WorkbenchController;
struct Comparison;
enum class JobState;
} // namespace maas::app

namespace maas::widgets {

class VariantTable;

/// The Compare page: the chosen model (A) beside another model of its lineage (B: its parent, a child,
/// a sibling, what pruning, quantization or distillation made): size, weights, latency and accuracy side by
/// side, each layer's shape, form and share of zeros in both with what changed, and the operators whose
/// count differs (Linear layers that became quantized::linear_dynamic, ...). Runs as a job.
class ComparePage : public QWidget {
    Q_OBJECT
public:
    explicit ComparePage(maas::app::WorkbenchController* controller, QWidget* parent = nullptr);

    /// The library model to compare (A); the other list offers the rest of its lineage.
    void setModel(std::optional<qint64> id);
    /// Reads the library's models and data sets again.
    void reload();
    /// Compares A with the model chosen as B; nullptr (and a sentence) when there is none.
    maas::app::Job* start();

    QComboBox* other() const { return m_other; }
    QComboBox* dataset() const { return m_dataset; }
    QSpinBox* sampleLimit() const { return m_limit; }
    QPushButton* compareButton() const { return m_start; }
    VariantTable* numbers() const { return m_numbers; }
    QTableWidget* layers() const { return m_layers; }
    QTableWidget* operators() const { return m_operators; }
    QLabel* status() const { return m_status; }

private:
    void showComparison(maas::app::Job* job);
    void finish(maas::app::Job* job, maas::app::JobState state);
    void showLayers(const maas::app::Comparison& c);
    void showOperators(const maas::app::Comparison& c);
    void showError(const QString& message);

    maas::app::WorkbenchController* m_controller;
    maas::app::Library* m_library;
    std::optional<qint64> m_model;
    QLabel* m_title;
    QComboBox* m_other;
    QComboBox* m_dataset;
    QSpinBox* m_limit;
    QPushButton* m_start;
    QLabel* m_status;
    VariantTable* m_numbers;
    QTableWidget* m_layers;
    QTableWidget* m_operators;
    QPointer<maas::app::Job> m_job;
};

} // namespace maas::widgets
