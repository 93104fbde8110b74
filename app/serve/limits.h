// What one caller of maas-serve may take: a request rate and a number of requests at once, and deadlines
// that stop a slow client from holding one of the server's connection workers.
#pragma once

#include <chrono>
#include <mutex>
#include <string>
#include <unordered_map>

namespace httplib {
class TaskQueue;
}

namespace maas::serve {

/// Per-caller admission: a token bucket of `rate` requests a second (bursts of up to `rate`, at least 1)
/// and at most `concurrent` requests at once. 0 turns either off.
class Limiter {
public:
    Limiter(double rate, int concurrent);
    struct Verdict {
        bool admitted = true;
        int retryAfterSeconds = 0;
        std::string why; ///< a sentence, when refused
    };
    /// Admits one request of `caller` (a token's id, or an address); an admitted request is released once.
    Verdict admit(const std::string& caller);
    void release(const std::string& caller);
    bool enabled() const { return m_rate > 0 || m_concurrent > 0; }

private:
    struct Bucket {
        double tokens = 0;
        std::chrono::steady_clock::time_point last;
        int running = 0;
    };
    double m_rate;
    int m_concurrent;
    std::mutex m_mutex;
    std::unordered_map<std::string, Bucket> m_buckets;
};

/// Deadlines for each connection, kept by a watchdog thread that shuts down the socket of a client too
/// slow to send its request: the headers must arrive within `headers` of the connection (or of the last
/// answer on it); the body must then keep up `bytesPerSecond` on average, after a grace as long. The
/// model's work and the answer are not timed. Connections are known from accept(), which maas-serve wraps.
namespace deadlines {
void start(std::chrono::milliseconds headers, double bytesPerSecond);
/// Called on the connection's worker thread: its headers are in; `bodyBytes` follow.
void headersRead(std::size_t bodyBytes);
/// `received` bytes of the body are in: the deadline moves on.
void bodyProgress(std::size_t received);
/// The body is in: the handler works without a deadline.
void bodyRead();
/// The answer was written: the next request's headers are awaited.
void answered();
/// The answer was written and said "Connection: close": the connection ends here. cpp-httplib would go on
/// reading it, and the body of a request refused on its head would be read as the next request.
void hangUp();
/// Connections cut so far.
long long cut();
/// Called by the accept() wrapper with each new connection's socket.
void accepted(int fd);
/// cpp-httplib's pool of connection workers, each connection watched.
httplib::TaskQueue* newWatchedQueue(std::size_t threads);
} // namespace deadlines

} // namespace maas::serve
