#pragma once

#include <QPointer>
#include <QWidget>

class QComboBox;
class QLabel;
class QPlainTextEdit;
class QPushButton;
class QTreeWidget;

namespace maas::app {
class Job;
class JobManager;
struct ModelEntry;
} // namespace maas::app

namespace maas::widgets {

/// Try it: drop an image, a CSV or a tensor file on the page, or type texts for a text model, and see
/// the top classes with their probabilities and the model's latency; here, or on an endpoint the model
/// was published to (with the round-trip latency).
class TryItPage : public QWidget {
    Q_OBJECT
public:
    explicit TryItPage(maas::app::JobManager* jobs, QWidget* parent = nullptr);

    void setModel(const maas::app::ModelEntry& entry);
    /// Runs the model on files, or on the typed texts when `inputs` is empty.
    maas::app::Job* run(const QStringList& inputs = {});

    /// Lists the endpoints again (after the Publish page changed them).
    void reloadTargets();
    /// Where the model runs: empty for this computer, else an endpoint's name (the model published there
    /// under its library name, as the Publish page names it).
    bool setTarget(const QString& endpoint);

    QPlainTextEdit* texts() const { return m_texts; }
    QTreeWidget* results() const { return m_results; }
    QLabel* status() const { return m_status; }

protected:
    void dragEnterEvent(QDragEnterEvent* event) override;
    void dropEvent(QDropEvent* event) override;

private:
    maas::app::JobManager* m_jobs;
    QString m_modelPath;
    QString m_modelName;
    qint64 m_modelId = 0;
    bool m_text = false; ///< the model takes texts
    bool m_rows = false; ///< the model takes rows of numbers (typed as CSV)
    QComboBox* m_target;
    QLabel* m_hint;
    QPlainTextEdit* m_texts;
    QPushButton* m_run;
    QPushButton* m_choose;
    QTreeWidget* m_results;
    QLabel* m_status;
    QPointer<maas::app::Job> m_job;
};

} // namespace maas::widgets
