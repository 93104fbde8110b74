#pragma once

#include <QString>

#include <atomic>
#include <chrono>
#include <mutex>
#include <thread>

namespace maas::cli {

/// A progress line on stderr for work that takes more than a second: what is happening, how far
/// (when known) and for how long. Silent when stderr is not a terminal, so scripts see clean output.
class Activity {
public:
    explicit Activity(const QString& what);
    ~Activity();
    Activity(const Activity&) = delete;
    Activity& operator=(const Activity&) = delete;

    /// Changes the text, and the fraction done (negative: unknown).
    void update(const QString& what, double fraction = -1.0);

private:
    void run();
    void draw();

    std::mutex m_mutex;
    QString m_what;
    double m_fraction = -1.0;
    std::atomic<bool> m_done { false };
    bool m_drawn = false;
    std::chrono::steady_clock::time_point m_start;
    std::thread m_thread;
};

} // namespace maas::cli
