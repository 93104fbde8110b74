#pragma once

#include <QObject>
#include <QStringList>

#include <functional>
#include <optional>

#include "maas/app/benchmark.h"
#include "maas/app/drops.h"
#include "maas/app/jobs.h"
#include "maas/app/library.h"
#include "maas/app/optimize.h"
#include "maas/app/training.h"

namespace maas::app {

/// What the workbench does, apart from how it looks: the window and the pages ask it to import, save a
/// card, measure, train, optimize (and later publish); it runs each as a job, records the outcome in
/// the library on the UI thread, and says what changed. Pages listen to its signals instead of each
/// writing "job done, commit, reload, banner" again.
class WorkbenchController : public QObject {
    Q_OBJECT
public:
    WorkbenchController(Library* library, JobManager* jobs, QObject* parent = nullptr);

    Library* library() const { return m_library; }
    JobManager* jobs() const { return m_jobs; }

    /// Imports models and registers data sets, one job each; what cannot be used is reported as failed().
    DropPlan importPaths(const QStringList& paths);
    /// Writes the model again with this card (a job) and records it; the job fails with the engine's
    /// sentence when the card is wrong. modelChanged() follows a success.
    Job* saveCard(qint64 modelId, const QString& cardJson);
    /// Times the model at batch 1 (a job) and records the result with the model's benchmarks.
    Job* measureLatency(qint64 modelId);
    /// Trains as the request says (a job); the trained model lands in the library as a child of `parent`
    /// and trained() says which. The job's result is a std::shared_ptr<TrainedModel>.
    Job* train(const TrainRequest& request, std::optional<qint64> parent, const QString& title);
    /// Optimizes a library model as the request says (a job); the result lands in the library as a child
    /// of `parent` and optimized() says which. The job's result is a std::shared_ptr<OptimizedModel>.
    Job* optimize(const OptimizeRequest& request, qint64 parent, const QString& title);
    /// Prunes a library model at each sparsity (a job) and holds the variants in memory; swept() gives
    /// them, and keepVariant() adds the ones the user picks. The job's result is a std::shared_ptr<SweepResult>.
    Job* sweep(const OptimizeRequest& request, const QList<double>& sparsities, qint64 parent, const QString& title);
    /// Compares two library models (a job; `modelA` is the one the page shows); compared() gives the result,
    /// a std::shared_ptr<Comparison>. A failure is left to the page.
    Job* compare(const CompareRequest& request, qint64 modelA, const QString& title);
    /// Times library models side by side over batch sizes and threads (a job); each configuration is
    /// recorded with its model's benchmarks, and benchmarked() gives the std::shared_ptr<BenchmarkRun>.
    /// A failure is left to the page.
    Job* benchmark(const BenchmarkRequest& request, const QString& title);
    /// Profiles a library model (a job); the profile is recorded with its benchmarks, and profiled() gives
    /// the std::shared_ptr<ProfileRun>. A failure is left to the page.
    Job* profile(const ProfileRequest& request, const QString& title);
    /// Writes one variant of a sweep into the library as a child of `parent` (a job); optimized() follows.
    Job* keepVariant(const SweepPoint& point, qint64 parent, const QString& title);
    /// Writes a library model as ONNX to `target` (a job; its result is an OnnxExport) and lists the file
    /// under the model; modelChanged() follows. A failure is left to the caller. nullptr for an unknown model.
    Job* exportOnnx(qint64 modelId, const QString& target, int opset);

    // Quick changes to the library, on the UI thread; a failure is reported through failed().
    bool setTags(qint64 modelId, const QStringList& tags);
    bool trash(qint64 modelId);
    bool forgetDataset(qint64 datasetId);
    /// Takes an export of model `modelId` off the library's list (the file stays); modelChanged() follows.
    bool forgetExport(qint64 exportId, qint64 modelId);

Q_SIGNALS:
    /// A model was added (import, training).
    void modelAdded(qint64 modelId);
    /// A model the user imported is in the library (after modelAdded): the window shows it.
    void imported(qint64 modelId);
    /// A model's file, card, tags or measurements changed.
    void modelChanged(qint64 modelId);
    /// A model went to the trash.
    void modelRemoved(qint64 modelId);
    void datasetsChanged();
    /// A training job's model is in the library.
    void trained(maas::app::Job* job, qint64 modelId);
    /// An optimization's model is in the library.
    void optimized(maas::app::Job* job, qint64 modelId);
    /// A sweep's variants are measured and ready to keep.
    void swept(maas::app::Job* job);
    /// Two models are compared.
    void compared(maas::app::Job* job);
    /// A benchmark ran and is recorded.
    void benchmarked(maas::app::Job* job);
    /// A profile ran and is recorded.
    void profiled(maas::app::Job* job);
    /// Something the user asked for failed: one sentence, and details when there are more.
    void failed(const QString& message, const QString& details = {});
    /// Something worth a line in the banner happened ("Registered data set …").
    void informed(const QString& message);
    /// An import or a registration ended (successfully or not).
    void importFinished();

private:
    bool orReport(const std::function<void()>& change);
    void recordOptimized(Job* job, qint64 parent);
    /// Runs `commit` on the UI thread when `job` ends Done; a failure of the job or of the commit is
    /// reported (unless `reportFailure` is false: the caller shows it where the action was taken).
    void onDone(Job* job, std::function<void(Job*)> commit, bool reportFailure = true);

    Library* m_library;
    JobManager* m_jobs;
};

} // namespace maas::app
