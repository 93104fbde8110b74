#pragma once

#include <QWidget>

class QListView;
class QPushButton;

namespace maas::app {
class JobManager;
}

namespace maas::widgets {

/// The jobs dock: every long action with its progress bar, state and message, and a cancel button.
class JobsPanel : public QWidget {
    Q_OBJECT
public:
    explicit JobsPanel(maas::app::JobManager* jobs, QWidget* parent = nullptr);
    QListView* view() const { return m_view; }

private:
    void updateButtons();

    maas::app::JobManager* m_jobs;
    QListView* m_view;
    QPushButton* m_cancel;
    QPushButton* m_clear;
};

} // namespace maas::widgets
