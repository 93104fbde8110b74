#include "limits.h"

#include <dlfcn.h>
#include <fcntl.h>
#include <httplib.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <condition_variable>
#include <deque>
#include <list>
#include <thread>

namespace maas::serve {

Limiter::Limiter(double rate, int concurrent)
    : m_rate(rate)
    , m_concurrent(concurrent)
{
}

Limiter::Verdict Limiter::admit(const std::string& caller)
{
    const auto now = std::chrono::steady_clock::now();
    std::lock_guard lock(m_mutex);
    if (m_buckets.size() > 100'000) // callers gone quiet are forgotten, so addresses cannot fill memory
        for (auto it = m_buckets.begin(); it != m_buckets.end();)
            it = it->second.running == 0 && now - it->second.last > std::chrono::minutes(1) ? m_buckets.erase(it)
                                                                                            : std::next(it);
    const double burst = std::max(1.0, m_rate);
    const auto [it, fresh] = m_buckets.try_emplace(caller, Bucket { burst, now, 0 });
    auto& b = it->second;
    if (m_rate > 0) {
        b.tokens = std::min(burst, b.tokens + m_rate * std::chrono::duration<double>(now - b.last).count());
        b.last = now;
        if (b.tokens < 1.0)
            return { false, static_cast<int>(std::ceil((1.0 - b.tokens) / m_rate)),
                "too many requests: this caller may send " + std::to_string(static_cast<long long>(m_rate))
                    + " a second; wait and try again." };
    }
    b.last = now;
    if (m_concurrent > 0 && b.running >= m_concurrent)
        return { false, 1,
            "too many requests at once: this caller may have " + std::to_string(m_concurrent)
                + " running; wait for one to finish." };
    if (m_rate > 0)
        b.tokens -= 1.0;
    ++b.running;
    return {};
}

void Limiter::release(const std::string& caller)
{
    std::lock_guard lock(m_mutex);
    const auto it = m_buckets.find(caller);
    if (it != m_buckets.end() && it->second.running > 0)
        --it->second.running;
}

namespace deadlines {

namespace {

using Clock = std::chrono::steady_clock;

struct Slot {
    std::mutex mutex;
    int fd = -1; // our duplicate of the connection's socket: shutting it down ends the connection
    Clock::time_point deadline = Clock::time_point::max();
};

// Never destroyed: the watchdog thread runs until the process ends, static destructors and all.
struct State {
    std::mutex mutex;
    std::list<Slot> slots; // one per worker thread that served a connection; never shrinks
    std::deque<int> accepted; // sockets accepted and not yet handed to a worker
};
State& state()
{
    static auto* s = new State;
    return *s;
}

std::atomic<bool> g_on { false };
std::atomic<long long> g_cut { 0 };
std::chrono::milliseconds g_headers { 10'000 };
double g_bytesPerSecond = 1 << 20;
thread_local Slot* t_slot = nullptr;

void set(Clock::time_point deadline)
{
    if (!t_slot)
        return;
    std::lock_guard lock(t_slot->mutex);
    t_slot->deadline = deadline;
}

void watch()
{
    for (;;) {
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
        const auto now = Clock::now();
        std::lock_guard lock(state().mutex);
        for (auto& slot : state().slots) {
            std::lock_guard slotLock(slot.mutex);
            if (slot.fd >= 0 && now > slot.deadline) {
                ::shutdown(slot.fd, SHUT_RDWR);
                slot.deadline = Clock::time_point::max();
                ++g_cut;
            }
        }
    }
}

} // namespace

void start(std::chrono::milliseconds headers, double bytesPerSecond)
{
    g_headers = headers;
    g_bytesPerSecond = bytesPerSecond;
    static std::once_flag once; // one watchdog for the process, whatever the number of servers
    std::call_once(once, [] {
        g_on = true;
        std::thread(watch).detach();
    });
}

namespace {

thread_local Clock::time_point t_bodyStart;

// A body must keep up its rate on average after a grace as long as the headers get: by then, what has
// arrived must be at least what the slowest rate allowed would have brought. A client that sends a byte now
// and then is cut, whatever length it announced. At most a day, far from the clock's overflow.
Clock::time_point bodyDeadline(std::size_t received)
{
    const double ms = std::min(86'400'000.0, 1000.0 * double(received) / g_bytesPerSecond);
    return t_bodyStart + g_headers + std::chrono::milliseconds(static_cast<long long>(ms));
}

} // namespace

void headersRead(std::size_t bodyBytes)
{
    t_bodyStart = Clock::now();
    set(bodyBytes == 0 ? Clock::time_point::max() : bodyDeadline(0));
}

void bodyProgress(std::size_t received) { set(bodyDeadline(received)); }

void bodyRead() { set(Clock::time_point::max()); }

void answered() { set(Clock::now() + g_headers); }

void hangUp()
{
    if (!t_slot)
        return;
    std::lock_guard lock(t_slot->mutex);
    if (t_slot->fd >= 0)
        ::shutdown(t_slot->fd, SHUT_RDWR);
}

long long cut() { return g_cut; }

namespace {

// The worker side: a connection's task runs with its socket watched.
void connectionBegins(int fd)
{
    if (!t_slot) {
        std::lock_guard lock(state().mutex);
        t_slot = &state().slots.emplace_back();
    }
    std::lock_guard lock(t_slot->mutex);
    t_slot->fd = fd;
    t_slot->deadline = Clock::now() + g_headers;
}

void connectionEnds()
{
    std::lock_guard lock(t_slot->mutex);
    if (t_slot->fd >= 0)
        ::close(t_slot->fd);
    t_slot->fd = -1;
    t_slot->deadline = Clock::time_point::max();
}

int takeAccepted()
{
    std::lock_guard lock(state().mutex);
    if (state().accepted.empty())
        return -1;
    const int fd = state().accepted.front();
    state().accepted.pop_front();
    return fd;
}

} // namespace

void accepted(int fd)
{
    if (!g_on || fd < 0)
        return;
    // A duplicate: the socket stays open (and its number unused by another connection) until the worker
    // is done with it, whatever cpp-httplib closes meanwhile.
    const int watched = ::fcntl(fd, F_DUPFD_CLOEXEC, 0);
    if (watched < 0) // out of descriptors (a flood of connections): this one is not served unwatched
        ::shutdown(fd, SHUT_RDWR);
    std::lock_guard lock(state().mutex);
    state().accepted.push_back(watched);
}

namespace {

class WatchedQueue : public httplib::TaskQueue {
public:
    explicit WatchedQueue(std::size_t threads)
        : m_pool(threads)
    {
    }
    void enqueue(std::function<void()> task) override
    {
        const int fd = takeAccepted();
        m_pool.enqueue([fd, task = std::move(task)] {
            connectionBegins(fd);
            task();
            connectionEnds();
        });
    }
    void shutdown() override { m_pool.shutdown(); }

private:
    httplib::ThreadPool m_pool;
};

} // namespace

httplib::TaskQueue* newWatchedQueue(std::size_t threads) { return new WatchedQueue(threads); }

} // namespace deadlines

} // namespace maas::serve

// cpp-httplib accepts connections with accept() and hands each to a worker; it tells nobody the socket. This
// definition comes before the C library's for the whole process, so the watchdog learns each socket, in the
// order the workers' tasks are queued (both on the listening thread).
extern "C" int accept(int fd, sockaddr* address, socklen_t* length)
{
    using Accept = int (*)(int, sockaddr*, socklen_t*);
    static const auto real = reinterpret_cast<Accept>(::dlsym(RTLD_NEXT, "accept"));
    const int client = real(fd, address, length);
    maas::serve::deadlines::accepted(client);
    return client;
}
