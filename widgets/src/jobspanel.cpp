#include "maas/widgets/jobspanel.h"

#include <QApplication>
#include <QHBoxLayout>
#include <QListView>
#include <QPainter>
#include <QPushButton>
#include <QStyledItemDelegate>
#include <QVBoxLayout>

#include <algorithm>

#include "maas/app/format.h"
#include "maas/app/jobs.h"

namespace maas::widgets {

namespace {

// Draws a job as "title — state — message" over a progress bar.
class JobDelegate : public QStyledItemDelegate {
public:
    using QStyledItemDelegate::QStyledItemDelegate;

    void paint(QPainter* painter, const QStyleOptionViewItem& option, const QModelIndex& index) const override
    {
        using maas::app::JobManager;
        QStyleOptionViewItem item = option;
        initStyleOption(&item, index);
        item.text.clear();
        QApplication::style()->drawControl(QStyle::CE_ItemViewItem, &item, painter, item.widget);
        const auto state = index.data(JobManager::StateRole).value<maas::app::JobState>();
        QStyleOptionProgressBar bar;
        bar.rect = option.rect.adjusted(4, 3, -4, -3);
        bar.minimum = 0;
        bar.maximum = 1000;
        bar.progress = static_cast<int>(index.data(JobManager::FractionRole).toDouble() * 1000);
        // Work that reports no steps (an import, an inspection) shows a busy bar until it ends.
        if (state == maas::app::JobState::Running && bar.progress == 0
            && index.data(JobManager::MessageRole).toString().isEmpty())
            bar.maximum = 0;
        bar.textVisible = true;
        QString detail = index.data(JobManager::MessageRole).toString();
        if (state == maas::app::JobState::Failed)
            detail = index.data(JobManager::ErrorRole).toString();
        bar.text = QStringLiteral("%1 — %2%3")
                       .arg(index.data(JobManager::TitleRole).toString(),
                           maas::app::stateName(state, index.data(JobManager::PausedRole).toBool()),
                           detail.isEmpty() ? QString() : QStringLiteral(" — ") + detail);
        bar.state = option.state | QStyle::State_Horizontal;
        QApplication::style()->drawControl(QStyle::CE_ProgressBar, &bar, painter, item.widget);
    }

    QSize sizeHint(const QStyleOptionViewItem& option, const QModelIndex& index) const override
    {
        return QStyledItemDelegate::sizeHint(option, index) + QSize(0, 10);
    }
};

} // namespace

JobsPanel::JobsPanel(maas::app::JobManager* jobs, QWidget* parent)
    : QWidget(parent)
    , m_jobs(jobs)
    , m_view(new QListView(this))
    , m_cancel(new QPushButton(tr("Cancel"), this))
    , m_clear(new QPushButton(tr("Clear finished"), this))
{
    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    m_view->setModel(jobs);
    m_view->setItemDelegate(new JobDelegate(m_view));
    m_view->setUniformItemSizes(true);
    layout->addWidget(m_view, 1);
    auto* buttons = new QVBoxLayout;
    buttons->addWidget(m_cancel);
    buttons->addWidget(m_clear);
    buttons->addStretch();
    layout->addLayout(buttons);
    connect(m_cancel, &QPushButton::clicked, this, [this] {
        if (auto* job = m_jobs->job(m_view->currentIndex().row()))
            job->cancel();
    });
    connect(m_view, &QListView::activated, this, [this](const QModelIndex& index) {
        if (auto* job = m_jobs->job(index.row()))
            Q_EMIT jobActivated(job);
    });
    connect(m_clear, &QPushButton::clicked, m_jobs, &maas::app::JobManager::clearFinished);
    connect(m_view->selectionModel(), &QItemSelectionModel::currentChanged, this, &JobsPanel::updateButtons);
    connect(m_jobs, &QAbstractItemModel::dataChanged, this, &JobsPanel::updateButtons);
    updateButtons();
}

// Sized to its content: two jobs' rows, or the buttons beside them if they are taller; the dock starts
// this high instead of taking a share of the window.
QSize JobsPanel::sizeHint() const
{
    const int rows = 2 * (fontMetrics().height() + 18) + 2 * m_view->frameWidth();
    const int buttons = m_cancel->sizeHint().height() + m_clear->sizeHint().height() + 6;
    return { QWidget::sizeHint().width(), std::max(rows, buttons) };
}

void JobsPanel::updateButtons()
{
    const auto* job = m_jobs->job(m_view->currentIndex().row());
    m_cancel->setEnabled(job && !job->isFinished());
}

} // namespace maas::widgets
