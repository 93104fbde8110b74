#pragma once

#include <QPointer>
#include <QString>

#include <QWidget>
#include <functional>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QProgressBar;
class QPushButton;
class QSpinBox;
class QTableWidget;
class QTreeWidget;

namespace maas::app {
class Job;
class JobManager;
struct ModelEntry;
struct Endpoint;
} // namespace maas::app

namespace maas::widgets {

class MessageBanner;

/// Publish: endpoints (add, edit, test; "local" runs on this machine), the model shown published to one
/// with its Triton config (generated, editable) and a progress bar with cancel, the verification (the
/// same samples here and there, side by side, with the remote latency), and the endpoint's repository
/// with each model's state and version, unload and roll back. The network work runs as jobs.
class PublishPage : public QWidget {
    Q_OBJECT
public:
    explicit PublishPage(maas::app::JobManager* jobs, QWidget* parent = nullptr);

    void setModel(const maas::app::ModelEntry& entry);
    /// Selects an endpoint by name (false when there is none of that name).
    bool selectEndpoint(const QString& name);
    maas::app::Job* publish();
    maas::app::Job* refresh();
    maas::app::Job* testEndpoint();

    QPlainTextEdit* config() const { return m_config; }
    QComboBox* format() const { return m_format; }
    QSpinBox* opset() const { return m_opset; }
    QLineEdit* inputShape() const { return m_inputShape; }
    QProgressBar* progress() const { return m_progress; }
    QLabel* verdict() const { return m_verdict; }
    QTableWidget* verification() const { return m_verification; }
    QTreeWidget* repository() const { return m_repository; }
    MessageBanner* banner() const { return m_banner; }

Q_SIGNALS:
    /// The endpoints changed (added, edited, removed): the Try it page lists them too.
    void endpointsChanged();

private:
    QWidget* buildEndpointRow();
    QWidget* buildPublishBox();
    QWidget* buildRepositoryBox();
    void reloadEndpoints(const QString& select = {});
    void editEndpoint(bool existing);
    void removeEndpoint();
    /// Runs `work` (it changes endpoints or their tokens; returns a note to show, or nothing) as a job,
    /// then lists the endpoints again with `select` chosen.
    void changeEndpoints(const QString& title, const QString& select, std::function<QString()> work);
    void showPublished(maas::app::Job* job);
    void showRepository(maas::app::Job* job);
    void changeRemote(bool unload);
    void loadConfig();
    QString endpointName() const;
    void fail(maas::app::Job* job);

    maas::app::JobManager* m_jobs;
    QString m_modelPath;
    QString m_modelName;
    qint64 m_modelId = 0;
    MessageBanner* m_banner;
    QComboBox* m_endpoints;
    QLabel* m_endpointState;
    QLineEdit* m_name;
    QSpinBox* m_maxBatch;
    QComboBox* m_format; ///< TorchScript, or the ONNX form for Triton's onnxruntime backend
    QSpinBox* m_opset; ///< the ONNX form's opset
    QLineEdit* m_inputShape; ///< the ONNX form's input shape; empty: the card's
    QCheckBox* m_newVersion;
    QPlainTextEdit* m_config;
    QPushButton* m_publish;
    QPushButton* m_cancel;
    QProgressBar* m_progress;
    QLabel* m_progressText;
    QLabel* m_verdict;
    QTableWidget* m_verification;
    QTreeWidget* m_repository;
    QPointer<maas::app::Job> m_job;
    int m_configRequest = 0; ///< the newest config asked for; an older one's answer is dropped
};

} // namespace maas::widgets
