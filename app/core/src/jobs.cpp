#include "maas/app/jobs.h"

#include <new>

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QMetaObject>
#include <QThreadPool>

#include <algorithm>
#include <mutex>

#include "maas/engine/error.h"

namespace maas::app {

struct JobManager::Pool {
    QThreadPool threads;
};

Job::Job(int id, const QString& title, QObject* parent)
    : QObject(parent)
    , m_id(id)
    , m_title(title)
    , m_started(QDateTime::currentDateTime())
    , m_cancel(std::make_shared<maas::engine::CancelToken>())
{
}

void Job::cancel() { m_cancel->cancel(); }

void Job::setOrigin(Page page, qint64 modelId)
{
    m_originPage = page;
    m_originModel = modelId;
}

void Job::setPaused(bool paused)
{
    if (isFinished() || paused == isPaused())
        return;
    m_cancel->setPaused(paused);
    Q_EMIT pausedChanged(paused);
}

void Job::end(JobState state, const QVariant& result, const Failure& failure)
{
    m_state = state;
    m_error = failure.sentence;
    m_errorField = failure.field;
    m_errorDetail = failure.detail;
    m_result = result;
    m_finished = QDateTime::currentDateTime();
    if (state == JobState::Done)
        m_fraction = 1.0;
}

bool Job::isPaused() const { return !isFinished() && m_cancel->paused(); }

bool Job::isHeld() const { return !isFinished() && m_cancel->holding(); }

QString stateName(JobState state, bool paused)
{
    switch (state) {
    case JobState::Running:
        return paused ? QCoreApplication::translate("Jobs", "Paused") : QCoreApplication::translate("Jobs", "Running");
    case JobState::Done: return QCoreApplication::translate("Jobs", "Done");
    case JobState::Failed: return QCoreApplication::translate("Jobs", "Failed");
    case JobState::Cancelled: return QCoreApplication::translate("Jobs", "Cancelled");
    }
    return {};
}

JobManager::JobManager(QObject* parent)
    : QAbstractListModel(parent)
    , m_pool(std::make_unique<Pool>())
{
    qRegisterMetaType<maas::app::JobState>();
    // Jobs are few and long; the engine parallelizes inside each one.
    m_pool->threads.setMaxThreadCount(2);
}

JobManager::~JobManager()
{
    for (const auto& job : m_jobs)
        if (job)
            job->cancel();
    m_pool->threads.waitForDone();
}

namespace {

QVariantMap toVariant(const std::map<std::string, double>& metrics)
{
    QVariantMap out;
    for (const auto& [key, value] : metrics)
        out.insert(QString::fromStdString(key), value);
    return out;
}

// Progress is kept on the worker side and handed to the UI thread at most every 50 ms; step ends
// (epochs) always go through, since charts plot them.
struct Throttle {
    std::mutex mutex;
    maas::engine::Progress latest;
    bool pending = false; ///< a delivery is queued on the UI thread and has not run yet
    QElapsedTimer sinceLast;
};

} // namespace

// The callback the work calls on its own thread, at any rate.
maas::engine::ProgressCallback JobManager::progressFor(Job* job)
{
    auto throttle = std::make_shared<Throttle>();
    throttle->sinceLast.start();
    QPointer<Job> guard(job);
    QPointer<JobManager> self(this);
    const auto deliver = [guard, self, throttle] {
        maas::engine::Progress p;
        {
            std::lock_guard lock(throttle->mutex);
            p = throttle->latest;
            throttle->pending = false;
        }
        if (!guard || guard->isFinished())
            return;
        guard->m_fraction = p.fraction;
        guard->m_message = QString::fromStdString(p.message);
        guard->m_metrics = toVariant(p.metrics);
        Q_EMIT guard->progressed();
        if (self)
            self->changed(guard);
    };
    return [guard, throttle, deliver](const maas::engine::Progress& p) {
        if (!guard)
            return;
        if (p.epochEnd) { // a summary, not a position: it goes to stepEnded only
            const QVariantMap metrics = toVariant(p.metrics);
            QMetaObject::invokeMethod(
                guard.data(),
                [guard, metrics] {
                    if (guard)
                        Q_EMIT guard->stepEnded(metrics);
                },
                Qt::QueuedConnection);
            return;
        }
        std::lock_guard lock(throttle->mutex);
        throttle->latest = p;
        if (throttle->pending || (throttle->sinceLast.elapsed() < 50 && p.fraction < 1.0))
            return;
        throttle->pending = true;
        throttle->sinceLast.restart();
        QMetaObject::invokeMethod(guard.data(), deliver, Qt::QueuedConnection);
    };
}

Job* JobManager::start(const QString& title, JobWork work)
{
    auto* job = new Job(m_nextId++, title, this);
    beginInsertRows({}, static_cast<int>(m_jobs.size()), static_cast<int>(m_jobs.size()));
    m_jobs.append(job);
    endInsertRows();
    connect(job, &Job::pausedChanged, this, [this, job] { changed(job); });

    JobContext context;
    context.cancel = job->m_cancel.get();
    context.progress = progressFor(job);
    QPointer<Job> guard(job);
    QPointer<JobManager> self(this);
    auto cancel = job->m_cancel;
    m_pool->threads.start([guard, self, context, work = std::move(work), cancel] {
        QVariant result;
        QString error, errorField, errorDetail;
        JobState state = JobState::Done;
        try {
            result = work(context);
        } catch (const maas::engine::Error& e) {
            state = e.kind() == maas::engine::ErrorKind::Cancelled ? JobState::Cancelled : JobState::Failed;
            error = QString::fromStdString(e.what());
            errorField = QString::fromStdString(e.field());
            errorDetail = QString::fromStdString(e.detail());
        } catch (const std::bad_alloc&) {
            state = JobState::Failed;
            error = JobManager::tr("There is not enough memory for this; try a smaller batch, input or data set.");
        } catch (const std::exception& e) {
            state = JobState::Failed;
            error = QString::fromLocal8Bit(e.what());
        }
        QMetaObject::invokeMethod(
            guard.data(),
            [guard, self, result, error, errorField, errorDetail, state] {
                if (guard)
                    guard->end(state, result, { error, errorField, errorDetail });
                if (guard && self)
                    self->changed(guard);
                if (guard)
                    Q_EMIT guard->finished(state);
            },
            Qt::QueuedConnection);
    });
    return job;
}

Job* JobManager::job(int row) const { return row >= 0 && row < m_jobs.size() ? m_jobs[row].data() : nullptr; }

void JobManager::clearFinished()
{
    for (int row = static_cast<int>(m_jobs.size()) - 1; row >= 0; --row) {
        if (m_jobs[row] && !m_jobs[row]->isFinished())
            continue;
        beginRemoveRows({}, row, row);
        if (m_jobs[row])
            m_jobs[row]->deleteLater();
        m_jobs.removeAt(row);
        endRemoveRows();
    }
}

void JobManager::waitForAll()
{
    m_pool->threads.waitForDone();
    QCoreApplication::sendPostedEvents(); // deliver the final states queued by the workers
}

bool JobManager::hasRunning() const
{
    return std::any_of(
        m_jobs.begin(), m_jobs.end(), [](const QPointer<Job>& job) { return job && !job->isFinished(); });
}

int JobManager::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_jobs.size());
}

QVariant JobManager::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Job* job = m_jobs[index.row()];
    if (!job)
        return {};
    switch (role) {
    case Qt::DisplayRole:
    case TitleRole: return job->title();
    case StateRole: return QVariant::fromValue(job->state());
    case FractionRole: return job->fraction();
    case MessageRole: return job->message();
    case ErrorRole: return job->error();
    case JobRole: return QVariant::fromValue(const_cast<Job*>(job));
    case PausedRole: return job->isPaused();
    case Qt::ToolTipRole: return job->error().isEmpty() ? job->message() : job->error();
    default: return {};
    }
}

QHash<int, QByteArray> JobManager::roleNames() const
{
    return { { TitleRole, "title" }, { StateRole, "state" }, { FractionRole, "fraction" }, { MessageRole, "message" },
        { ErrorRole, "error" }, { JobRole, "job" }, { PausedRole, "paused" } };
}

void JobManager::changed(Job* job)
{
    const int row = static_cast<int>(m_jobs.indexOf(job));
    if (row >= 0)
        Q_EMIT dataChanged(index(row), index(row));
}

} // namespace maas::app
