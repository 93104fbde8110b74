#pragma once

#include <atomic>
#include <functional>
#include <map>
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

/// Polled by engine loops between batches; cancel() may be called from any thread.
class CancelToken {
public:
    void cancel() { m_cancelled.store(true); }
    bool cancelled() const { return m_cancelled.load(); }

private:
    std::atomic<bool> m_cancelled { false };
};

} // namespace maas::engine
