// Engine-internal: what the serving files share (the codec's pieces, the batcher, the statistics).
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <exception>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "maas/engine/model.h"
#include "maas/engine/serving.h"

namespace maas::engine::serving {

/// A tensor's values as the protocol's flat JSON "data" (NaN and infinities as null).
nlohmann::json jsonData(const Tensor& tensor);
/// A tensor's bytes as Triton's binary tensor data extension sends them (BYTES: 4-byte lengths).
std::string binaryData(const Tensor& tensor);
/// Triton's classification extension: the top k classes of each row as "value:index:label" strings.
Tensor classify(const Tensor& scores, int k, const std::vector<std::string>& labels);

/// Standard base64 (with or without padding); nothing when the text is not base64.
std::optional<std::string> decodeBase64(std::string_view text);

/// What one served version has done, in Triton's statistics terms. Guarded by its own mutex.
struct Stats {
    struct Duration {
        std::uint64_t count = 0;
        std::uint64_t ns = 0;
        void add(std::uint64_t n)
        {
            ++count;
            ns += n;
        }
    };
    mutable std::mutex mutex;
    Duration success, fail, queue, computeInput, computeInfer, computeOutput;
    std::uint64_t inferenceCount = 0; ///< samples
    std::uint64_t executionCount = 0; ///< model runs (one per batch)
    std::uint64_t lastInferenceMs = 0; ///< since the epoch
    std::map<std::int64_t, Duration> batches; ///< compute_infer by batch size
    /// Request durations and queue times, for /metrics' histograms (bucket counts, not cumulative).
    std::vector<std::uint64_t> requestBuckets, queueBuckets;
    double requestSeconds = 0, queueSeconds = 0;
    Stats();
};

/// Upper bounds of the latency histograms' buckets, in seconds.
const std::vector<double>& latencyBuckets();
/// Counts `seconds` in its bucket (one more than latencyBuckets(): the last is past every bound).
void addToBuckets(std::vector<std::uint64_t>& buckets, double seconds);

/// Runs one served version's requests: a queue, `instances` worker threads, and (with dynamic batching)
/// requests that fit together run as one batch along the first axis.
class Batcher {
public:
    Batcher(Model model, int instances, std::int64_t maxBatch, std::optional<DynamicBatching> batching, Stats& stats);
    ~Batcher(); ///< finishes what is queued, then stops its threads
    Batcher(const Batcher&) = delete;
    Batcher& operator=(const Batcher&) = delete;

    /// Queues the inputs (in the model's order, batch axis first when batching) and waits for the outputs.
    /// Models run on the batcher's own threads only: each thread that starts LibTorch's OpenMP work gets a
    /// pool of its own (run from the HTTP threads, there were dozens, and libgomp crashed). Throws what the
    /// model threw.
    std::vector<Tensor> run(std::vector<Tensor> inputs);

private:
    struct Job;
    void work();
    std::vector<Job*> gather(std::unique_lock<std::mutex>& lock);
    void execute(const std::vector<Job*>& jobs);

    Model m_model;
    std::int64_t m_maxBatch;
    std::optional<DynamicBatching> m_batching;
    Stats& m_stats;
    std::mutex m_mutex;
    std::condition_variable m_wake;
    std::deque<Job*> m_queue;
    bool m_stopping = false;
    std::vector<std::thread> m_threads;
};

} // namespace maas::engine::serving
