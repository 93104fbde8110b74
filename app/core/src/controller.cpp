#include "maas/app/controller.h"

#include <QFileInfo>

#include "maas/app/benchmark.h"
#include "maas/app/publish.h"

namespace maas::app {

WorkbenchController::WorkbenchController(Library* library, JobManager* jobs, QObject* parent)
    : QObject(parent)
    , m_library(library)
    , m_jobs(jobs)
{
}

bool WorkbenchController::orReport(const std::function<void()>& change)
{
    try {
        change();
        return true;
    } catch (const std::exception& e) { // never out of a Qt slot: to the window's banner
        Q_EMIT failed(QString::fromUtf8(e.what()));
        return false;
    }
}

void WorkbenchController::onDone(Job* job, std::function<void(Job*)> commit, bool reportFailure)
{
    connect(job, &Job::finished, this, [this, job, commit = std::move(commit), reportFailure](JobState state) {
        if (state == JobState::Done)
            orReport([&] { commit(job); });
        else if (state == JobState::Failed && reportFailure)
            Q_EMIT failed(job->error());
    });
}

DropPlan WorkbenchController::importPaths(const QStringList& paths)
{
    const auto plan = Drops::plan(paths);
    if (!plan.unusable.isEmpty())
        Q_EMIT failed(plan.unusable.front(), plan.unusable.join(QLatin1Char('\n')));
    const QString folder = m_library->folder();
    for (const QString& path : plan.models) {
        auto* job = m_jobs->run(tr("Import %1").arg(QFileInfo(path).fileName()),
            [folder, path](const JobContext&) { return Library::prepareImport(folder, path); });
        onDone(job, [this](Job* done) {
            const auto prepared = done->resultAs<PreparedImport>();
            const auto entry = m_library->commitImport(prepared);
            done->setOrigin(Page::Overview, entry.id);
            Q_EMIT modelAdded(entry.id);
            Q_EMIT imported(entry.id);
            if (!prepared.warning.isEmpty())
                Q_EMIT informed(prepared.warning);
        });
        connect(job, &Job::finished, this, &WorkbenchController::importFinished);
    }
    for (const QString& path : plan.datasets) {
        auto* job = m_jobs->run(tr("Register %1").arg(QFileInfo(path).fileName()),
            [path](const JobContext&) { return Library::prepareDataset(path); });
        onDone(job, [this](Job* done) {
            const auto entry = m_library->commitDataset(done->resultAs<DatasetEntry>());
            Q_EMIT datasetsChanged();
            Q_EMIT informed(
                tr("Registered data set %1: %n samples", nullptr, static_cast<int>(entry.samples)).arg(entry.name));
        });
        connect(job, &Job::finished, this, &WorkbenchController::importFinished);
    }
    return plan;
}

Job* WorkbenchController::saveCard(qint64 modelId, const QString& cardJson)
{
    const auto entry = m_library->model(modelId);
    if (!entry)
        return nullptr;
    const QString folder = m_library->folder();
    auto* job = m_jobs->run(
        tr("Save the card of %1").arg(entry->name), [folder, entry = *entry, cardJson](const JobContext&) {
            return Library::prepareCardEdit(folder, entry, cardJson);
        });
    job->setOrigin(Page::Inspect, modelId);
    // A wrong card is shown in the card's form, where it was written: not reported here.
    onDone(
        job,
        [this, modelId](Job* done) {
            const auto saved = m_library->commitCardEdit(modelId, done->resultAs<PreparedImport>());
            Q_EMIT modelChanged(modelId);
            Q_EMIT informed(tr("Saved the card of %1.").arg(saved.name));
        },
        false);
    return job;
}

Job* WorkbenchController::measureLatency(qint64 modelId)
{
    const auto entry = m_library->model(modelId);
    if (!entry)
        return nullptr;
    auto* job = m_jobs->run(tr("Measure %1").arg(entry->name),
        [path = entry->path](const JobContext& context) { return benchmarkModel(path, 1, 50, context); });
    job->setOrigin(Page::Overview, modelId);
    onDone(job, [this, modelId](Job* done) {
        m_library->addBenchmark(modelId, done->resultAs<BenchmarkResult>());
        Q_EMIT modelChanged(modelId);
    });
    return job;
}

Job* WorkbenchController::train(const TrainRequest& request, std::optional<qint64> parent, const QString& title)
{
    auto* job = m_jobs->run(title,
        [request](const JobContext& context) { return std::make_shared<TrainedModel>(runTraining(request, context)); });
    job->setOrigin(Page::Train, parent.value_or(0));
    // The Train page shows a failure beside its form; the library records a success.
    onDone(
        job,
        [this, parent](Job* done) {
            const auto result = done->resultAs<std::shared_ptr<TrainedModel>>();
            const auto entry = m_library->commitImport(result->model, parent);
            Q_EMIT modelAdded(entry.id);
            Q_EMIT trained(done, entry.id);
            // The model is in the library whatever happens to the record of its run.
            m_library->addRun(entry.id, std::nullopt, result->optionsJson, result->historyJson);
        },
        false);
    return job;
}

Job* WorkbenchController::optimize(const OptimizeRequest& request, qint64 parent, const QString& title)
{
    auto* job = m_jobs->run(title, [request](const JobContext& context) {
        return std::make_shared<OptimizedModel>(runOptimize(request, context));
    });
    recordOptimized(job, parent);
    return job;
}

// The Optimize page shows a failure beside its form; the library records a success as `parent`'s child.
void WorkbenchController::recordOptimized(Job* job, qint64 parent)
{
    job->setOrigin(Page::Optimize, parent);
    onDone(
        job,
        [this, parent](Job* done) {
            const auto entry
                = m_library->commitImport(done->resultAs<std::shared_ptr<OptimizedModel>>()->model, parent);
            Q_EMIT modelAdded(entry.id);
            Q_EMIT optimized(done, entry.id);
        },
        false);
}

Job* WorkbenchController::sweep(
    const OptimizeRequest& request, const QList<double>& sparsities, qint64 parent, const QString& title)
{
    auto* job = m_jobs->run(title, [request, sparsities](const JobContext& context) {
        return std::make_shared<SweepResult>(runSweep(request, sparsities, context));
    });
    job->setOrigin(Page::Optimize, parent);
    onDone(
        job, [this](Job* done) { Q_EMIT swept(done); }, false);
    return job;
}

Job* WorkbenchController::compare(const CompareRequest& request, qint64 modelA, const QString& title)
{
    auto* job = m_jobs->run(title,
        [request](const JobContext& context) { return std::make_shared<Comparison>(runCompare(request, context)); });
    job->setOrigin(Page::Compare, modelA);
    onDone(
        job, [this](Job* done) { Q_EMIT compared(done); }, false);
    return job;
}

Job* WorkbenchController::benchmark(const BenchmarkRequest& request, const QString& title)
{
    auto* job = m_jobs->run(title, [request](const JobContext& context) {
        return std::make_shared<BenchmarkRun>(runBenchmark(request, context));
    });
    job->setOrigin(Page::Benchmark, request.modelIds.value(0));
    onDone(
        job,
        [this](Job* done) {
            const auto run = done->resultAs<std::shared_ptr<BenchmarkRun>>();
            for (int i = 0; i < run->request.modelIds.size(); ++i) {
                // A model trashed while it was timed has nowhere to keep its numbers: the page still shows them.
                const auto entry = m_library->model(run->request.modelIds.at(i));
                if (!entry || entry->trashed)
                    continue;
                for (const auto& row : benchmarkRows(*run, i))
                    m_library->addBenchmark(run->request.modelIds.at(i), row);
                Q_EMIT modelChanged(run->request.modelIds.at(i));
            }
            Q_EMIT benchmarked(done);
        },
        false);
    return job;
}

Job* WorkbenchController::profile(const ProfileRequest& request, const QString& title)
{
    auto* job = m_jobs->run(title,
        [request](const JobContext& context) { return std::make_shared<ProfileRun>(runProfile(request, context)); });
    job->setOrigin(Page::Profile, request.modelId);
    onDone(
        job,
        [this](Job* done) {
            const auto run = done->resultAs<std::shared_ptr<ProfileRun>>();
            if (const auto entry = m_library->model(run->request.modelId); entry && !entry->trashed)
                m_library->addBenchmark(run->request.modelId, profileRow(*run));
            Q_EMIT profiled(done);
        },
        false);
    return job;
}

Job* WorkbenchController::keepVariant(const SweepPoint& point, qint64 parent, const QString& title)
{
    const QString folder = m_library->folder();
    auto* job = m_jobs->run(title, [folder, point](const JobContext&) {
        auto kept = std::make_shared<OptimizedModel>();
        kept->model = prepareVariant(folder, point);
        kept->before = point.parent;
        kept->after = point.numbers;
        kept->difference = point.difference;
        kept->tolerance = qQNaN();
        kept->layers = point.layers;
        return kept;
    });
    recordOptimized(job, parent);
    return job;
}

Job* WorkbenchController::exportOnnx(qint64 modelId, const QString& target, int opset)
{
    const auto entry = m_library->model(modelId);
    if (!entry)
        return nullptr;
    auto* job
        = m_jobs->run(tr("Export %1 to ONNX").arg(entry->name), [path = entry->path, target, opset](const JobContext&) {
              engine::OnnxExportOptions options;
              options.opset = opset;
              return exportOnnxFile(path, target, options);
          });
    job->setOrigin(Page::Optimize, modelId);
    onDone(
        job,
        [this, modelId](Job* done) {
            auto result = done->resultAs<OnnxExport>();
            result.entry.modelId = modelId;
            m_library->addExport(result.entry);
            Q_EMIT modelChanged(modelId);
        },
        false);
    return job;
}

// The signal goes out only when the change went through (orReport runs the lambda to its end or not at all).
bool WorkbenchController::setTags(qint64 modelId, const QStringList& tags)
{
    return orReport([&] {
        m_library->setTags(modelId, tags);
        Q_EMIT modelChanged(modelId);
    });
}

bool WorkbenchController::trash(qint64 modelId)
{
    return orReport([&] {
        m_library->trash(modelId);
        Q_EMIT modelRemoved(modelId);
    });
}

bool WorkbenchController::forgetExport(qint64 exportId, qint64 modelId)
{
    return orReport([&] {
        m_library->forgetExport(exportId);
        Q_EMIT modelChanged(modelId);
    });
}

bool WorkbenchController::forgetDataset(qint64 datasetId)
{
    return orReport([&] {
        m_library->forgetDataset(datasetId);
        Q_EMIT datasetsChanged();
    });
}

} // namespace maas::app
