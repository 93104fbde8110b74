#pragma once

#include <QPointer>
#include <QWidget>

class QLabel;
class QTreeWidget;

namespace maas::app {
class Job;
class JobManager;
}

namespace maas::widgets {

/// The Inspect tab: the model's module tree with each layer's type and parameter count, and under each
/// layer its parameters with shape, datatype and norm. Filled by a job, so large models never block.
class InspectorPage : public QWidget {
    Q_OBJECT
public:
    explicit InspectorPage(maas::app::JobManager* jobs, QWidget* parent = nullptr);
    maas::app::Job* inspect(const QString& path);
    QTreeWidget* tree() const { return m_tree; }
    QLabel* summary() const { return m_summary; }

private:
    maas::app::JobManager* m_jobs;
    QLabel* m_summary;
    QTreeWidget* m_tree;
    QPointer<maas::app::Job> m_job;
    QString m_path;
};

} // namespace maas::widgets
