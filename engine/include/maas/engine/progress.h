#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <map>
#include <mutex>
#include <string>

namespace maas::engine {

/// What a long engine call reports between steps. Metrics use stable keys ("loss", "accuracy",
/// "samples_per_second", "eta_seconds", "epoch", ...), so a chart can follow them.
struct Progress {
    double fraction = 0.0; ///< of the whole call, 0..1
    std::string message;
    std::map<std::string, double> metrics;
    bool epochEnd = false; ///< true once per epoch, with that epoch's train and validation metrics
};

using ProgressCallback = std::function<void(const Progress&)>;

/// Polled by engine loops between batches to stop early or to pause. Any thread may call cancel() and
/// setPaused(); the loop's own thread calls waitWhilePaused().
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
        m_wake.wait(lock, [this] { return !m_paused || m_cancelled.load(); });
        return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    }

private:
    std::atomic<bool> m_cancelled { false };
    mutable std::mutex m_mutex;
    mutable std::condition_variable m_wake;
    bool m_paused = false;
};

} // namespace maas::engine
