#pragma once

#include <QWidget>

class QListView;
class QPushButton;

namespace maas::app {
class Job;
class JobManager;
} // namespace maas::app

namespace maas::widgets {

/// The jobs dock: every long action with its progress bar, state and message, and a cancel button;
/// activating a job opens the page it belongs to.
class JobsPanel : public QWidget {
    Q_OBJECT
public:
    explicit JobsPanel(maas::app::JobManager* jobs, QWidget* parent = nullptr);
    QListView* view() const { return m_view; }
    QSize sizeHint() const override;

Q_SIGNALS:
    /// A job was double-clicked (or chosen with Enter): the window opens the page it belongs to.
    void jobActivated(maas::app::Job* job);

private:
    void updateButtons();

    maas::app::JobManager* m_jobs;
    QListView* m_view;
    QPushButton* m_cancel;
    QPushButton* m_clear;
};

} // namespace maas::widgets
