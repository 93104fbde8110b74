#pragma once

#include <QPointer>
#include <QVariantMap>
#include <QWidget>

#include <memory>
#include <optional>

#include <nlohmann/json.hpp>

class QComboBox;
class QDoubleSpinBox;
class QFormLayout;
class QHBoxLayout;
class QLabel;
class QLineEdit;
class QLineSeries;
class QPushButton;
class QSpinBox;
class QSplitter;
class QChart;

namespace maas::widgets {
class ConfusionMatrix;
class SampleBrowser;
} // namespace maas::widgets

namespace maas::app {
struct TrainedModel;
class Job;
class Library;
class WorkbenchController;
enum class JobState;
} // namespace maas::app

namespace maas::widgets {

/// The Train page: architecture (or the selected model, to fine-tune), data set and hyperparameters;
/// Start, Pause and Cancel; live loss and accuracy curves for training and validation with the numbers beside
/// them; when done, the validation confusion matrix, whose cells open the samples behind them. The trained model lands
/// in the library as a child of the model it started from.
class TrainPage : public QWidget {
    Q_OBJECT
public:
    explicit TrainPage(maas::app::WorkbenchController* controller, QWidget* parent = nullptr);

    /// The library model to fine-tune when "selected model" is chosen (none: only new architectures).
    void setModel(std::optional<qint64> id);
    /// Reads the library's data sets again.
    void reloadDatasets();
    /// Chooses the data set registered at `path` (no change when it is not registered).
    void selectDataset(const QString& path);
    /// Starts training with the form's settings; returns the job, or nullptr when the form is incomplete.
    maas::app::Job* start();

    QComboBox* architecture() const { return m_arch; }
    QComboBox* dataset() const { return m_dataset; }
    /// The architecture's layer sizes (hidden layers, conv channels, RNN or embedding width) and dropout.
    QLineEdit* layers() const { return m_layers; }
    QDoubleSpinBox* dropout() const { return m_dropout; }
    QSpinBox* epochs() const { return m_epochs; }
    QSpinBox* sampleLimit() const { return m_limit; }
    QLineSeries* trainLoss() const { return m_trainLoss; }
    QLineSeries* validationLoss() const { return m_validationLoss; }
    QLabel* numbers() const { return m_numbers; }
    ConfusionMatrix* confusion() const { return m_confusion; }
    QPushButton* pauseButton() const { return m_pause; }
    SampleBrowser* samples() const { return m_samples; }
    QLabel* samplesTitle() const { return m_samplesTitle; }
    /// Shows the validation samples of true class `actual` taken for `predicted` (a click on the matrix).
    void showSamples(int actual, int predicted);

Q_SIGNALS:
    void trained(qint64 modelId);
    void failed(const QString& message);

private:
    QFormLayout* buildForm();
    QHBoxLayout* buildCharts();
    QSplitter* buildResults();
    void connectButtons();
    void resetCharts();
    void showProgress(const QVariantMap& metrics);
    void showEpoch(const QVariantMap& metrics);
    void finish(maas::app::Job* job, maas::app::JobState state);
    void showTrained(maas::app::Job* job, qint64 modelId);
    void showSpecFields();
    std::optional<nlohmann::json> specFromForm(const QString& arch);

    maas::app::WorkbenchController* m_controller;
    maas::app::Library* m_library;
    std::optional<qint64> m_model;
    QComboBox* m_arch;
    QComboBox* m_dataset;
    QLineEdit* m_layers;
    QDoubleSpinBox* m_dropout;
    QSpinBox* m_epochs;
    QSpinBox* m_batch;
    QSpinBox* m_limit;
    QDoubleSpinBox* m_lr;
    QComboBox* m_optimizer;
    QComboBox* m_schedule;
    QPushButton* m_start;
    QPushButton* m_pause;
    QPushButton* m_cancel;
    QLabel* m_numbers;
    QChart* m_lossChart;
    QChart* m_accuracyChart;
    QLineSeries *m_trainLoss, *m_validationLoss, *m_trainAccuracy, *m_validationAccuracy;
    ConfusionMatrix* m_confusion;
    QSplitter* m_results = nullptr;
    QLabel* m_samplesTitle;
    SampleBrowser* m_samples;
    std::shared_ptr<const maas::app::TrainedModel> m_result;
    QPointer<maas::app::Job> m_job;
};

} // namespace maas::widgets
