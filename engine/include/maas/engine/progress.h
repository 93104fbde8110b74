#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <map>
#include <mutex>
#include <string>

namespace maas::engine {

/// The stable keys of Progress::metrics, shared by the engine and every front end that reads them.
namespace metric {
inline constexpr char kEpoch[] = "epoch"; ///< 1-based
inline constexpr char kBatch[] = "batch"; ///< 1-based, within the epoch; only in per-batch reports
inline constexpr char kBatches[] = "batches"; ///< per epoch; only in per-batch reports
inline constexpr char kLoss[] = "loss"; ///< training loss, over the epoch so far
inline constexpr char kAccuracy[] = "accuracy"; ///< training accuracy (0..1), over the epoch so far
inline constexpr char kValidationLoss[] = "validation_loss"; ///< NaN without a validation split
inline constexpr char kValidationAccuracy[] = "validation_accuracy"; ///< NaN without a validation split
inline constexpr char kSamplesPerSecond[] = "samples_per_second";
inline constexpr char kEtaSeconds[] = "eta_seconds";
inline constexpr char kSeconds[] = "seconds"; ///< the epoch's time, without pauses
inline constexpr char kLearningRate[] = "learning_rate";
} // namespace metric

/// What a long engine call reports between steps. Metrics use the stable keys in maas::engine::metric,
/// so a chart can follow them.
struct Progress {
    double fraction = 0.0; ///< of the whole call, 0..1
    std::string message;
    std::map<std::string, double> metrics;
    bool epochEnd = false; ///< true once per epoch, with that epoch's train and validation metrics
};

using ProgressCallback = std::function<void(const Progress&)>;

/// Polled by engine loops between batches to stop early or to pause. Any thread may call cancel() and
/// setPaused(); the loop's own thread calls waitWhilePaused().
///
/// The one cancellation rule: a long call that notices cancel() throws Error(ErrorKind::Cancelled), and
/// never returns a half-made result as if it were whole. The only exception is a call whose partial
/// result is worth having: train() returns normally with TrainResult::cancelled set, since the epochs
/// it finished are in its history and its checkpoint. Callers that wrap train() (maas::app::runTraining)
/// turn that flag into Error(ErrorKind::Cancelled) when they have nothing partial to give; a job maps
/// Error(ErrorKind::Cancelled) to JobState::Cancelled.
class CancelToken {
public:
    void cancel()
    {
        {
            const std::lock_guard<std::mutex> lock(m_mutex);
            m_cancelled.store(true);
        }
        m_wake.notify_all();
    }
    /// The one call a signal handler may make (Ctrl-C in the CLI): it only sets a lock-free flag. A paused
    /// loop notices it within kPausePoll, since nothing can be notified from a signal handler.
    void cancelFromSignal() noexcept { m_cancelled.store(true); }
    bool cancelled() const { return m_cancelled.load(); }

    void setPaused(bool paused)
    {
        {
            const std::lock_guard<std::mutex> lock(m_mutex);
            m_paused = paused;
        }
        m_wake.notify_all();
    }
    bool paused() const
    {
        const std::lock_guard<std::mutex> lock(m_mutex);
        return m_paused;
    }

    /// Blocks while paused, until resumed or cancelled; returns the seconds it waited (for rates and ETAs
    /// that leave the pause out).
    double waitWhilePaused() const
    {
        std::unique_lock<std::mutex> lock(m_mutex);
        if (!m_paused || m_cancelled.load())
            return 0.0;
        const auto start = std::chrono::steady_clock::now();
        m_holding.store(true);
        while (!m_wake.wait_for(lock, kPausePoll, [this] { return !m_paused || m_cancelled.load(); })) { }
        m_holding.store(false);
        return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    }
    /// True while the loop is actually held in waitWhilePaused (a pause asked for mid-batch takes effect
    /// at the batch's end): from then on nothing moves until resumed.
    bool holding() const { return m_holding.load(); }

private:
    static constexpr std::chrono::milliseconds kPausePoll { 100 };
    static_assert(std::atomic<bool>::is_always_lock_free, "cancelFromSignal needs a lock-free flag");
    std::atomic<bool> m_cancelled { false };
    mutable std::atomic<bool> m_holding { false };
    mutable std::mutex m_mutex;
    mutable std::condition_variable m_wake;
    bool m_paused = false;
};

} // namespace maas::engine
