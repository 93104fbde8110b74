// A served model's queue and its dynamic batcher (Triton's dynamic_batching): waiting requests whose
// inputs agree on everything but the batch axis are joined into one batch, run once, and split again.

#include <algorithm>
#include <future>

#include "maas/engine/error.h"
#include "serving_detail.h"

namespace maas::engine::serving {

using Clock = std::chrono::steady_clock;

namespace {

std::uint64_t nanoseconds(Clock::duration d)
{
    return static_cast<std::uint64_t>(std::chrono::duration_cast<std::chrono::nanoseconds>(d).count());
}

std::int64_t rowsOf(const std::vector<Tensor>& inputs)
{
    return inputs.empty() || inputs.front().shape.empty() ? 1 : inputs.front().shape.front();
}

// Whether two requests can share a batch: same inputs but for the first axis.
bool fits(const std::vector<Tensor>& a, const std::vector<Tensor>& b)
{
    if (a.size() != b.size())
        return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
        if (a[i].dtype != b[i].dtype || a[i].shape.size() != b[i].shape.size() || a[i].shape.empty())
            return false;
        if (!std::equal(a[i].shape.begin() + 1, a[i].shape.end(), b[i].shape.begin() + 1))
            return false;
    }
    return true;
}

Tensor join(const std::vector<const Tensor*>& parts)
{
    Tensor out;
    out.dtype = parts.front()->dtype;
    out.shape = parts.front()->shape;
    out.shape[0] = 0;
    for (const auto* p : parts) {
        out.shape[0] += p->shape[0];
        out.data.insert(out.data.end(), p->data.begin(), p->data.end());
        out.strings.insert(out.strings.end(), p->strings.begin(), p->strings.end());
    }
    return out;
}

Tensor rows(const Tensor& t, std::int64_t from, std::int64_t count)
{
    Tensor out;
    out.dtype = t.dtype;
    out.shape = t.shape;
    out.shape[0] = count;
    if (t.dtype == DataType::Bytes) {
        const auto per = static_cast<std::int64_t>(t.strings.size()) / std::max<std::int64_t>(t.shape[0], 1);
        out.strings.assign(t.strings.begin() + from * per, t.strings.begin() + (from + count) * per);
    } else {
        const auto per = static_cast<std::int64_t>(t.data.size()) / std::max<std::int64_t>(t.shape[0], 1);
        out.data.assign(t.data.begin() + from * per, t.data.begin() + (from + count) * per);
    }
    return out;
}

} // namespace

Stats::Stats()
    : requestBuckets(latencyBuckets().size() + 1)
    , queueBuckets(latencyBuckets().size() + 1)
{
}

void addToBuckets(std::vector<std::uint64_t>& buckets, double seconds)
{
    const auto& bounds = latencyBuckets();
    const auto i = std::lower_bound(bounds.begin(), bounds.end(), seconds) - bounds.begin();
    ++buckets[static_cast<std::size_t>(i)];
}

const std::vector<double>& latencyBuckets()
{
    static const std::vector<double> bounds
        = { 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10 };
    return bounds;
}

struct Batcher::Job {
    std::vector<Tensor> inputs;
    std::int64_t rows = 1;
    Clock::time_point queued;
    std::promise<std::vector<Tensor>> result;
};

Batcher::Batcher(
    Model model, int instances, std::int64_t maxBatch, std::optional<DynamicBatching> batching, Stats& stats)
    : m_model(std::move(model))
    , m_maxBatch(maxBatch)
    , m_batching(std::move(batching))
    , m_stats(stats)
{
    try {
        for (int i = 0; i < std::max(1, instances); ++i)
            m_threads.emplace_back([this] { work(); });
    } catch (...) { // no thread for one: stop those started before giving up
        {
            std::lock_guard lock(m_mutex);
            m_stopping = true;
        }
        m_wake.notify_all();
        for (auto& t : m_threads)
            t.join();
        throw;
    }
}

Batcher::~Batcher()
{
    {
        std::lock_guard lock(m_mutex);
        m_stopping = true;
    }
    m_wake.notify_all();
    for (auto& t : m_threads)
        t.join();
}

std::vector<Tensor> Batcher::run(std::vector<Tensor> inputs)
{
    Job job;
    job.rows = m_maxBatch > 0 ? rowsOf(inputs) : 1;
    job.inputs = std::move(inputs);
    job.queued = Clock::now();
    auto future = job.result.get_future();
    {
        std::lock_guard lock(m_mutex);
        if (m_stopping)
            throw Error(ErrorKind::Unavailable, "the model is being unloaded; try again.");
        m_queue.push_back(&job);
    }
    m_wake.notify_one();
    return future.get();
}

std::vector<Batcher::Job*> Batcher::gather(std::unique_lock<std::mutex>& lock)
{
    std::vector<Job*> jobs { m_queue.front() };
    m_queue.pop_front();
    if (!m_batching || m_maxBatch <= 0)
        return jobs;
    auto total = jobs.front()->rows;
    const auto deadline = jobs.front()->queued + std::chrono::microseconds(m_batching->maxQueueDelayMicroseconds);
    const auto& preferred = m_batching->preferredBatchSizes;
    for (;;) {
        // Take what is waiting and fits; requests of another shape stay for the next batch, in order.
        for (auto it = m_queue.begin(); it != m_queue.end() && total < m_maxBatch;) {
            if (total + (*it)->rows <= m_maxBatch && fits(jobs.front()->inputs, (*it)->inputs)) {
                total += (*it)->rows;
                jobs.push_back(*it);
                it = m_queue.erase(it);
            } else {
                ++it;
            }
        }
        const bool full = total >= m_maxBatch || std::count(preferred.begin(), preferred.end(), total) > 0;
        if (full || m_stopping || Clock::now() >= deadline)
            return jobs;
        m_wake.wait_until(lock, deadline);
    }
}

void Batcher::work()
{
    std::unique_lock lock(m_mutex);
    for (;;) {
        m_wake.wait(lock, [this] { return m_stopping || !m_queue.empty(); });
        if (m_queue.empty())
            return; // stopping, and nothing left
        const auto jobs = gather(lock);
        lock.unlock();
        execute(jobs);
        lock.lock();
    }
}

void Batcher::execute(const std::vector<Job*>& jobs)
{
    const auto started = Clock::now();
    std::int64_t total = 0;
    for (const auto* job : jobs)
        total += job->rows;
    std::vector<Tensor> outputs;
    std::exception_ptr error;
    Clock::time_point joined = started, ran = started;
    try {
        std::vector<Tensor> inputs;
        if (jobs.size() == 1) {
            inputs = std::move(jobs.front()->inputs);
        } else {
            for (std::size_t i = 0; i < jobs.front()->inputs.size(); ++i) {
                std::vector<const Tensor*> parts;
                for (const auto* job : jobs)
                    parts.push_back(&job->inputs[i]);
                inputs.push_back(join(parts));
            }
        }
        joined = Clock::now();
        outputs = m_model.predict(inputs);
        ran = Clock::now();
        if (jobs.size() > 1)
            for (const auto& o : outputs)
                if (o.shape.empty() || o.shape.front() != total)
                    throw Error(ErrorKind::InvalidInput,
                        "the model gave an output of shape " + shapeToString(o.shape) + " for a batch of "
                            + std::to_string(total) + "; set max_batch_size to 0 if it does not keep the batch axis.");
    } catch (...) {
        error = std::current_exception();
    }
    const auto finished = Clock::now();
    {
        std::lock_guard lock(m_stats.mutex);
        for (const auto* job : jobs) {
            m_stats.queue.add(nanoseconds(started - job->queued));
            addToBuckets(m_stats.queueBuckets, std::chrono::duration<double>(started - job->queued).count());
            m_stats.queueSeconds += std::chrono::duration<double>(started - job->queued).count();
        }
        if (!error) {
            m_stats.computeInput.add(nanoseconds(joined - started));
            m_stats.computeInfer.add(nanoseconds(ran - joined));
            m_stats.computeOutput.add(nanoseconds(finished - ran));
            m_stats.batches[std::min<std::int64_t>(total, 1 << 20)].add(nanoseconds(ran - joined));
            ++m_stats.executionCount;
            m_stats.inferenceCount += static_cast<std::uint64_t>(total);
        }
    }
    std::int64_t from = 0;
    for (auto* job : jobs) {
        if (error) {
            job->result.set_exception(error);
            continue;
        }
        if (jobs.size() == 1) {
            job->result.set_value(std::move(outputs));
            continue;
        }
        const auto first = from;
        from += job->rows; // before the result is set: the job lives on its caller's stack, gone once it has it
        try { // out of memory here fails this request, not the worker thread
            std::vector<Tensor> mine;
            for (const auto& o : outputs)
                mine.push_back(rows(o, first, job->rows));
            job->result.set_value(std::move(mine));
        } catch (...) {
            job->result.set_exception(std::current_exception());
        }
    }
}

} // namespace maas::engine::serving
