#pragma once

#include <QAbstractListModel>
#include <QDateTime>
#include <QPointer>
#include <QVariantMap>

#include <functional>
#include <memory>

#include "maas/engine/progress.h"

namespace maas::app {

enum class JobState { Running, Done, Failed, Cancelled };

/// The workbench's pages, so a job can say where it belongs (a click on it in the jobs dock goes there).
enum class Page { None, Overview, Inspect, Train, Optimize, Compare, Benchmark, Profile, TryIt, Publish };

/// What a job's work receives: a progress callback (any thread, any rate: the job throttles it) and
/// the token it must poll to stop early.
struct JobContext {
    maas::engine::ProgressCallback progress;
    const maas::engine::CancelToken* cancel = nullptr;
};

/// The work of a job: runs on a worker thread, returns its result (or throws maas::engine::Error).
using JobWork = std::function<QVariant(const JobContext&)>;

/// One long action on a worker thread, with throttled progress, a cancel button and a final state.
/// Lives on the UI thread; its signals arrive there.
class Job : public QObject {
    Q_OBJECT
public:
    int id() const { return m_id; }
    QString title() const { return m_title; }
    JobState state() const { return m_state; }
    double fraction() const { return m_fraction; }
    QString message() const { return m_message; }
    /// The latest metrics the work reported ("loss", "samples_per_second", "eta_seconds", ...).
    QVariantMap metrics() const { return m_metrics; }
    /// The failure's sentence (Failed only).
    QString error() const { return m_error; }
    /// For a failure about one option or field (maas::engine::Error::field(), e.g. "epochs"), that field's
    /// id and what is wrong with it, so a page can name its own form field; empty otherwise.
    QString errorField() const { return m_errorField; }
    QString errorDetail() const { return m_errorDetail; }
    QVariant result() const { return m_result; }
    /// The result as the type the work returned (see JobManager::run); a default T when there is none.
    template <typename T> T resultAs() const { return m_result.value<T>(); }
    QDateTime started() const { return m_started; }
    QDateTime finishedAt() const { return m_finished; }
    bool isFinished() const { return m_state != JobState::Running; }

    /// Asks the work to stop at its next check. The work stops by throwing
    /// maas::engine::Error(ErrorKind::Cancelled) (the rule in maas/engine/progress.h), and the job then ends
    /// Cancelled; work that ignores the request and finishes ends Done.
    void cancel();
    /// Where the job belongs, so a click on it in the jobs dock can go there: a page and the library
    /// model it concerns (0: none).
    void setOrigin(Page page, qint64 modelId = 0);
    Page originPage() const { return m_originPage; }
    qint64 originModel() const { return m_originModel; }
    /// Holds the work at its next check until resumed (work that never checks, like an import, runs on).
    void setPaused(bool paused);
    bool isPaused() const;
    /// True once a paused job's work is actually held (it stops at its next check, not at once).
    bool isHeld() const;

Q_SIGNALS:
    /// At most ~20 times a second while running.
    void progressed();
    /// Once per epoch (or other step the work marks as an end), never dropped by throttling.
    void stepEnded(const QVariantMap& metrics);
    void finished(maas::app::JobState state);
    void pausedChanged(bool paused);

private:
    friend class JobManager;
    Job(int id, const QString& title, QObject* parent);
    struct Failure {
        QString sentence, field, detail;
    };
    void end(JobState state, const QVariant& result, const Failure& failure);

    int m_id;
    QString m_title;
    JobState m_state = JobState::Running;
    double m_fraction = 0.0;
    QString m_message;
    QVariantMap m_metrics;
    QString m_error;
    QString m_errorField, m_errorDetail;
    QVariant m_result;
    QDateTime m_started, m_finished;
    Page m_originPage = Page::None;
    qint64 m_originModel = 0;
    std::shared_ptr<maas::engine::CancelToken> m_cancel;
};

/// Starts jobs on a thread pool and lists them (newest last) for the jobs dock; finished jobs stay
/// listed with their final state until cleared.
class JobManager : public QAbstractListModel {
    Q_OBJECT
public:
    enum Role { TitleRole = Qt::UserRole + 1, StateRole, FractionRole, MessageRole, ErrorRole, JobRole, PausedRole };

    explicit JobManager(QObject* parent = nullptr);
    ~JobManager() override;

    /// Runs `work` on a worker thread. The returned job belongs to the manager.
    Job* start(const QString& title, JobWork work);
    /// The same for work that returns a value of its own type T (declared with Q_DECLARE_METATYPE);
    /// the job's resultAs<T>() gives it back.
    template <typename Work> Job* run(const QString& title, Work work)
    {
        return start(
            title, [work = std::move(work)](const JobContext& context) { return QVariant::fromValue(work(context)); });
    }
    Job* job(int row) const;
    /// Removes finished jobs from the list.
    void clearFinished();
    /// Waits for every running job to end (for shutdown and tests).
    void waitForAll();
    /// True while any job has not ended.
    bool hasRunning() const;

    int rowCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QHash<int, QByteArray> roleNames() const override;

private:
    void changed(Job* job);
    maas::engine::ProgressCallback progressFor(Job* job);

    QList<QPointer<Job>> m_jobs;
    int m_nextId = 1;
    struct Pool;
    std::unique_ptr<Pool> m_pool;
};

/// "Running", "Done", ... translated; "Paused" for a running job that is paused.
QString stateName(JobState state, bool paused = false);

} // namespace maas::app

Q_DECLARE_METATYPE(maas::app::JobState)
