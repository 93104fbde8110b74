#pragma once

#include <QPointer>
#include <QWidget>

#include <memory>
#include <optional>

#include "maas/app/optimize.h"
#include "maas/widgets/varianttable.h"

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QFormLayout;
class QLabel;
class QLineEdit;
class QPushButton;
class QSlider;
class QSpinBox;
class QTableWidget;

namespace maas::app {
class Job;
class Library;
class WorkbenchController;
struct VariantNumbers;
struct ModelEntry;
struct OptimizedModel;
struct OptimizeRequest;
enum class JobState;
} // namespace maas::app

namespace maas::widgets {

/// The Optimize page: choose an operation for the selected model (convert for CPU inference, quantize
/// to int8 (dynamic, or static calibrated on a data set) or store 16-bit weights, with an optional accuracy
/// budget, prune its weights or whole channels with fine-tuning, or distill it into a smaller student) and its
/// settings, run it as a job, and compare the numbers people choose a variant by (size, weights, latency at batch 1 and
/// 16, accuracy on a data set) before and after, with each layer's form. The result lands in the library as a child of
/// the model. Export to ONNX writes the model to a file (the opset, the checker's verdict and the size shown),
/// which the library lists under the model.
class OptimizePage : public QWidget {
    Q_OBJECT
public:
    explicit OptimizePage(maas::app::WorkbenchController* controller, QWidget* parent = nullptr);

    /// The library model to optimize (none: the page waits for one).
    void setModel(std::optional<qint64> id);
    /// Reads the library's data sets again.
    void reloadDatasets();
    /// Starts the operation with the form's settings; nullptr (and a sentence on the page) when the form
    /// is not complete.
    maas::app::Job* start();
    /// Prunes at 10%, 20% … 90% with the form's other settings and draws accuracy against size and against
    /// latency; nullptr (and a sentence) when the form is not complete or has no data set.
    maas::app::Job* startSweep();
    /// Adds the sweep's variant in `row` of points() to the library; nullptr when there is none.
    maas::app::Job* keepVariant(int row);
    QTableWidget* points() const { return m_points; }
    QPushButton* sweepButton() const { return m_sweep; }

    QComboBox* operation() const { return m_operation; }
    QComboBox* engine() const { return m_engine; }
    QSpinBox* calibrationSamples() const { return m_calibration; }
    QCheckBox* budgetEnabled() const { return m_budgetOn; }
    QDoubleSpinBox* budget() const { return m_budget; }
    QTableWidget* layers() const { return m_layers; }
    QSlider* sparsity() const { return m_sparsity; }
    QCheckBox* perLayer() const { return m_perLayer; }
    QCheckBox* structured() const { return m_structured; }
    QSpinBox* steps() const { return m_steps; }
    QSpinBox* fineTuneEpochs() const { return m_fineTune; }
    QComboBox* studentArch() const { return m_studentArch; }
    QLineEdit* studentWidths() const { return m_studentWidths; }
    QDoubleSpinBox* temperature() const { return m_temperature; }
    QDoubleSpinBox* alpha() const { return m_alpha; }
    QSpinBox* studentEpochs() const { return m_studentEpochs; }
    QSpinBox* opset() const { return m_opset; }
    QLineEdit* exportPath() const { return m_exportPath; }
    QCheckBox* baseline() const { return m_baseline; }
    QComboBox* dataset() const { return m_dataset; }
    QSpinBox* sampleLimit() const { return m_limit; }
    QLineEdit* tolerance() const { return m_tolerance; }
    QPushButton* startButton() const { return m_start; }
    QTableWidget* comparison() const { return m_table; }
    QLabel* status() const { return m_status; }

Q_SIGNALS:
    void optimized(qint64 modelId);

private:
    void finish(maas::app::Job* job, maas::app::JobState state);
    void showOptimized(maas::app::Job* job, qint64 modelId);
    void addOperations();
    void setUpLayerTable();
    void setUpQuantization();
    void setUpPruning();
    void setUpDistillation();
    bool fillDistillation(maas::app::OptimizeRequest& r);
    QFormLayout* buildForm();
    void operationChanged();
    std::optional<maas::app::OptimizeRequest> request(const QString& modelPath);
    void showLayers(const maas::app::OptimizedModel& result);
    void showError(const QString& message);
    maas::app::Job* startExport(const maas::app::ModelEntry& entry);
    QWidget* buildExportRow();
    QWidget* buildSweepView();
    void showSweep(maas::app::Job* job);

    maas::app::WorkbenchController* m_controller;
    maas::app::Library* m_library;
    std::optional<qint64> m_model;
    QLabel* m_title;
    QComboBox* m_operation;
    QLineEdit* m_tolerance;
    QComboBox* m_engine;
    QSpinBox* m_calibration;
    QCheckBox* m_budgetOn;
    QDoubleSpinBox* m_budget;
    QSlider* m_sparsity;
    QLabel* m_sparsityText;
    QCheckBox* m_perLayer;
    QCheckBox* m_structured;
    QSpinBox* m_steps;
    QSpinBox* m_fineTune;
    QComboBox* m_studentArch;
    QLineEdit* m_studentWidths;
    QDoubleSpinBox* m_temperature;
    QDoubleSpinBox* m_alpha;
    QSpinBox* m_studentEpochs;
    QSpinBox* m_opset;
    QLineEdit* m_exportPath;
    bool m_exportPathEdited = false;
    QCheckBox* m_baseline;
    QComboBox* m_dataset;
    QSpinBox* m_limit;
    QPushButton* m_start;
    QLabel* m_status;
    VariantTable* m_table;
    QTableWidget* m_layers;
    QFormLayout* m_form;
    QPointer<maas::app::Job> m_job;
    QPushButton* m_sweep;
    QPointer<maas::app::Job> m_sweepJob;
    QWidget* m_sweepView;
    QTableWidget* m_points;
    std::shared_ptr<maas::app::SweepResult> m_swept;
    std::optional<qint64> m_sweptFrom;
};

} // namespace maas::widgets
