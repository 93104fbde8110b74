// maas-bench-serve: load for maas-serve's targets (scripts/bench-serve.sh), and the in-process peer.
//   maas-bench-serve http PORT MODEL NPY CONCURRENCY REQUESTS [binary]   requests of the .npy's tensor
//                                                                (JSON, or binary tensor data) on
//                                                                CONCURRENCY keep-alive connections,
//                                                                driven by one thread
//   maas-bench-serve engine MODEL.pt NPY SECONDS                 the engine's predict in a loop, this process
//   maas-bench-serve ping PORT REQUESTS                          GET /v2/health/live: the HTTP floor
//   maas-bench-serve floor PORT                                  a server that only answers (until killed):
//                                                                what client and kernel cost alone
//   maas-bench-serve flood PORT MODEL NPY TOKEN FLOOD_TOKEN FLOODERS REQUESTS [PER_SECOND]
//                                                                TOKEN's latency alone, then while
//                                                                FLOODERS connections send with FLOOD_TOKEN
//                                                                (TOKEN sends PER_SECOND, or flat out)
// Both print one JSON object: requests, seconds, per second, samples per second, p50/p99 in ms, failures.

#include <httplib.h>

#include <cstring>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <strings.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <iostream>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "maas/engine/model.h"
#include "maas/engine/runtime.h"
#include "maas/engine/tensor.h"

namespace {

using Clock = std::chrono::steady_clock;
using nlohmann::json;

double percentile(std::vector<double> v, double q)
{
    if (v.empty())
        return 0;
    std::sort(v.begin(), v.end());
    return v[std::min(v.size() - 1, static_cast<std::size_t>(q * static_cast<double>(v.size())))];
}

// One connection kept open, with TCP_NODELAY: else Nagle holds a body back for the server's delayed ACK.
void keepAlive(httplib::Client& c)
{
    c.set_keep_alive(true);
    c.set_tcp_nodelay(true);
}

json summary(const std::vector<double>& ms, double seconds, std::int64_t samplesPerRequest, int failed)
{
    const auto n = static_cast<double>(ms.size());
    return { { "requests", ms.size() }, { "seconds", seconds }, { "requests_per_second", n / seconds },
        { "samples_per_second", n * static_cast<double>(samplesPerRequest) / seconds },
        { "p50_ms", percentile(ms, 0.5) }, { "p99_ms", percentile(ms, 0.99) }, { "failed", failed } };
}

// One infer request of the .npy's tensor for `model`, JSON or binary tensor data.
struct Prepared {
    std::string path, body, contentType;
    httplib::Headers headers;
};

Prepared prepare(
    int port, const std::string& model, const maas::engine::Tensor& input, bool binary, const std::string& token = {})
{
    const auto name = [&] {
        httplib::Client c("127.0.0.1", port);
        if (!token.empty())
            c.set_bearer_token_auth(token);
        const auto meta = c.Get(("/v2/models/" + model).c_str());
        return meta && meta->status == 200 ? json::parse(meta->body)["inputs"][0]["name"].get<std::string>() : "x";
    }();
    // JSON tensors, or Triton's binary tensor data both ways (what perf_analyzer sends by default).
    json tensor { { "name", name }, { "datatype", "FP32" }, { "shape", input.shape } };
    if (binary)
        tensor["parameters"] = { { "binary_data_size", input.data.size() } };
    else
        tensor["data"] = input.toDoubles();
    json request { { "inputs", { tensor } } };
    if (binary)
        request["parameters"] = { { "binary_data_output", true } };
    const auto header = request.dump();
    Prepared p { "/v2/models/" + model + "/infer",
        binary ? header + std::string(input.data.begin(), input.data.end()) : header,
        binary ? "application/octet-stream" : "application/json", {} };
    if (binary)
        p.headers.emplace("Inference-Header-Content-Length", std::to_string(header.size()));
    if (!token.empty())
        p.headers.emplace("Authorization", "Bearer " + token);
    return p;
}

// The request as the bytes on the wire, so the load generator spends no time building it.
std::string onTheWire(const Prepared& p, int port)
{
    std::string wire = "POST " + p.path + " HTTP/1.1\r\nHost: 127.0.0.1:" + std::to_string(port)
        + "\r\nContent-Type: " + p.contentType + "\r\nContent-Length: " + std::to_string(p.body.size()) + "\r\n";
    for (const auto& [field, value] : p.headers)
        wire += field + ": " + value + "\r\n";
    return wire + "\r\n" + p.body;
}

// One keep-alive connection of the load: what it has read of the answer, and when its request left.
struct Connection {
    int fd = -1;
    std::string read;
    Clock::time_point began;
};

int connectTo(int port)
{
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address {};
    address.sin_family = AF_INET;
    address.sin_port = htons(static_cast<std::uint16_t>(port));
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (fd < 0 || ::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
        if (fd >= 0)
            ::close(fd);
        throw std::runtime_error("cannot connect to 127.0.0.1:" + std::to_string(port));
    }
    // Else Nagle holds a body back for the server's delayed ACK.
    const int on = 1;
    ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof on);
    return fd;
}

void sendAll(int fd, const std::string& bytes)
{
    for (std::size_t sent = 0; sent < bytes.size();) {
        const auto n = ::send(fd, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
        if (n <= 0)
            throw std::runtime_error("the server closed the connection while a request was sent");
        sent += static_cast<std::size_t>(n);
    }
}

// A whole message (an answer, or a request for the floor server) at the front of `read`.
struct Message {
    std::size_t bytes = 0; ///< 0 while it is still arriving
    int status = 0; ///< an answer's
    bool closes = false; ///< it says "Connection: close"
};

Message messageIn(const std::string& read)
{
    const auto head = read.find("\r\n\r\n");
    if (head == std::string::npos || read.size() < 12)
        return {};
    Message m;
    std::size_t length = 0;
    for (auto at = read.find("\r\n"); at < head; at = read.find("\r\n", at + 2)) {
        const char* field = read.c_str() + at + 2;
        if (strncasecmp(field, "Content-Length:", 15) == 0)
            length = std::strtoull(field + 15, nullptr, 10);
        m.closes = m.closes || strncasecmp(field, "Connection: close", 17) == 0;
    }
    if (read.size() < head + 4 + length)
        return {};
    m.bytes = head + 4 + length;
    m.status = std::atoi(read.c_str() + 9);
    return m;
}

// CONCURRENCY keep-alive connections driven by one thread (epoll), each sending its next request as soon
// as its answer is read. One thread, not one per connection: the load should leave the machine's cores to
// the server it measures.
int http(
    int port, const std::string& model, const maas::engine::Tensor& input, int concurrency, int requests, bool binary)
{
    const auto wire = onTheWire(prepare(port, model, input, binary), port);
    const int poll = ::epoll_create1(0);
    std::vector<Connection> connections(static_cast<std::size_t>(concurrency));
    std::vector<double> ms;
    ms.reserve(static_cast<std::size_t>(requests));
    int sent = 0, failed = 0;
    const auto start = Clock::now();
    const auto send = [&](Connection& c) {
        c.began = Clock::now();
        sendAll(c.fd, wire);
        ++sent;
    };
    for (std::size_t i = 0; i < connections.size() && sent < requests; ++i) {
        auto& c = connections[i];
        c.fd = connectTo(port);
        epoll_event event { EPOLLIN, { .u64 = i } };
        ::epoll_ctl(poll, EPOLL_CTL_ADD, c.fd, &event);
        send(c);
    }
    std::vector<epoll_event> events(connections.size());
    char buffer[65536];
    while (static_cast<int>(ms.size()) < sent) {
        const int ready = ::epoll_wait(poll, events.data(), static_cast<int>(events.size()), 120000);
        if (ready <= 0)
            throw std::runtime_error("the server stopped answering");
        for (int e = 0; e < ready; ++e) {
            auto& c = connections[events[static_cast<std::size_t>(e)].data.u64];
            const auto n = ::recv(c.fd, buffer, sizeof buffer, 0);
            if (n <= 0)
                throw std::runtime_error("the server closed a connection with a request unanswered");
            c.read.append(buffer, static_cast<std::size_t>(n));
            const auto answer = messageIn(c.read);
            if (answer.bytes == 0)
                continue;
            ms.push_back(std::chrono::duration<double, std::milli>(Clock::now() - c.began).count());
            if (answer.status != 200 && failed++ < 3)
                std::cerr << "maas-bench-serve: request failed: " << c.read.substr(0, answer.bytes) << '\n';
            c.read.erase(0, answer.bytes);
            if (answer.closes) { // a refused request's answer ends its connection: open another
                ::close(c.fd); // which also takes it out of the epoll set
                c.fd = connectTo(port);
                c.read.clear();
                epoll_event event { EPOLLIN, { .u64 = static_cast<std::uint64_t>(&c - connections.data()) } };
                ::epoll_ctl(poll, EPOLL_CTL_ADD, c.fd, &event);
            }
            if (sent < requests)
                send(c);
        }
    }
    const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
    for (const auto& c : connections)
        if (c.fd >= 0)
            ::close(c.fd);
    ::close(poll);
    std::cout << summary(ms, seconds, input.shape.empty() ? 1 : input.shape[0], failed).dump(1) << '\n';
    return failed < requests ? 0 : 1; // some failures are counted in the summary; none answered is an error
}

// The floor under any server on this machine: answers every request at once with a canned infer response
// of the small CNN's size (one epoll thread, no parsing past the head), so the load generator's numbers against
// it are what the client and the kernel's loopback cost alone. Runs until killed.
int floorServer(int port)
{
    const int listener = ::socket(AF_INET, SOCK_STREAM, 0);
    const int on = 1;
    ::setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
    sockaddr_in address {};
    address.sin_family = AF_INET;
    address.sin_port = htons(static_cast<std::uint16_t>(port));
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::bind(listener, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 || ::listen(listener, 512) != 0)
        throw std::runtime_error("cannot listen on 127.0.0.1:" + std::to_string(port));
    socklen_t size = sizeof address;
    ::getsockname(listener, reinterpret_cast<sockaddr*>(&address), &size); // port 0: the one the kernel chose
    const std::string metadata = R"({"inputs":[{"name":"x"}]})";
    const std::string header
        = R"({"model_name":"cnn","model_version":"1","outputs":[{"name":"OUTPUT__0","datatype":"FP32","shape":[1,10],"parameters":{"binary_data_size":40}}]})";
    const auto answer = [](const std::string& body, const std::string& extra) {
        return "HTTP/1.1 200 OK\r\nContent-Length: " + std::to_string(body.size()) + "\r\n" + extra + "\r\n" + body;
    };
    const auto infer = answer(header + std::string(40, '\0'),
        "Content-Type: application/octet-stream\r\nInference-Header-Content-Length: " + std::to_string(header.size())
            + "\r\n");
    const auto meta = answer(metadata, "Content-Type: application/json\r\n");
    const int poll = ::epoll_create1(0);
    epoll_event event { EPOLLIN, { .fd = listener } };
    ::epoll_ctl(poll, EPOLL_CTL_ADD, listener, &event);
    std::vector<std::string> read(1024);
    std::vector<epoll_event> events(256);
    char buffer[65536];
    std::cout << "listening on 127.0.0.1:" << ntohs(address.sin_port) << std::endl;
    for (;;) {
        const int ready = ::epoll_wait(poll, events.data(), static_cast<int>(events.size()), -1);
        for (int e = 0; e < ready; ++e) {
            const int fd = events[static_cast<std::size_t>(e)].data.fd;
            if (fd == listener) {
                const int c = ::accept(listener, nullptr, nullptr);
                if (c < 0)
                    continue;
                if (static_cast<std::size_t>(c) >= read.size()) {
                    ::close(c);
                    continue;
                }
                ::setsockopt(c, IPPROTO_TCP, TCP_NODELAY, &on, sizeof on);
                epoll_event client { EPOLLIN, { .fd = c } };
                ::epoll_ctl(poll, EPOLL_CTL_ADD, c, &client);
                read[static_cast<std::size_t>(c)].clear();
                continue;
            }
            const auto n = ::recv(fd, buffer, sizeof buffer, 0);
            if (n <= 0) {
                ::close(fd);
                continue;
            }
            auto& in = read[static_cast<std::size_t>(fd)];
            in.append(buffer, static_cast<std::size_t>(n));
            for (auto request = messageIn(in); request.bytes > 0; request = messageIn(in)) {
                const auto& out = in[0] == 'G' ? meta : infer; // GET: the model's metadata
                ::send(fd, out.data(), out.size(), MSG_NOSIGNAL);
                in.erase(0, request.bytes);
            }
        }
    }
}

// One tenant's latency, alone and while another tenant's token floods the server from `flooders`
// connections: the rate limit must keep the flood from taking the server.
int flood(int port, const std::string& model, const maas::engine::Tensor& input, const std::string& victim,
    const std::string& attacker, int flooders, int requests, double perSecond)
{
    const auto mine = prepare(port, model, input, true, victim);
    const auto theirs = prepare(port, model, input, true, attacker);
    const auto measure = [&] {
        httplib::Client c("127.0.0.1", port);
        keepAlive(c);
        std::vector<double> ms;
        int failed = 0;
        const auto start = Clock::now();
        for (int i = 0; i < requests; ++i) {
            if (perSecond > 0) // within its own rate limit, as a well-behaved client is
                std::this_thread::sleep_until(
                    start + std::chrono::microseconds(static_cast<long long>(1e6 * i / perSecond)));
            const auto began = Clock::now();
            const auto res = c.Post(mine.path.c_str(), mine.headers, mine.body, mine.contentType.c_str());
            failed += !res || res->status != 200;
            ms.push_back(std::chrono::duration<double, std::milli>(Clock::now() - began).count());
        }
        return summary(ms, std::chrono::duration<double>(Clock::now() - start).count(), 1, failed);
    };
    const auto alone = measure();
    std::atomic<bool> stop { false };
    std::atomic<long> sent { 0 }, refused { 0 };
    std::vector<std::thread> threads;
    for (int t = 0; t < flooders; ++t)
        threads.emplace_back([&] {
            httplib::Client c("127.0.0.1", port);
            keepAlive(c);
            while (!stop) {
                const auto res = c.Post(theirs.path.c_str(), theirs.headers, theirs.body, theirs.contentType.c_str());
                ++sent;
                refused += res && res->status == 429;
            }
        });
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
    const auto flooded = measure();
    stop = true;
    for (auto& t : threads)
        t.join();
    std::cout << json {
        { "alone", alone }, { "flooded", flooded }, { "flood_requests", sent.load() },
        { "flood_refused", refused.load() },
        { "p99_ratio", flooded["p99_ms"].get<double>() / alone["p99_ms"].get<double>() }
    }.dump(1) << '\n';
    return 0;
}

// The HTTP floor: GET /v2/health/live on one keep-alive connection, what any request costs before a model.
int ping(int port, int requests)
{
    httplib::Client c("127.0.0.1", port);
    keepAlive(c);
    std::vector<double> ms;
    int failed = 0;
    const auto start = Clock::now();
    for (int i = 0; i < requests; ++i) {
        const auto began = Clock::now();
        const auto res = c.Get("/v2/health/live");
        failed += !res || res->status != 200;
        ms.push_back(std::chrono::duration<double, std::milli>(Clock::now() - began).count());
    }
    std::cout << summary(ms, std::chrono::duration<double>(Clock::now() - start).count(), 1, failed).dump(1) << '\n';
    return 0;
}

int engine(const std::string& path, const maas::engine::Tensor& input, double seconds)
{
    maas::engine::configureThreads(0);
    const auto model = maas::engine::Model::load(path);
    for (int i = 0; i < 20; ++i)
        model.predict({ input });
    std::vector<double> ms;
    const auto start = Clock::now();
    while (std::chrono::duration<double>(Clock::now() - start).count() < seconds) {
        const auto began = Clock::now();
        model.predict({ input });
        ms.push_back(std::chrono::duration<double, std::milli>(Clock::now() - began).count());
    }
    const double spent = std::chrono::duration<double>(Clock::now() - start).count();
    std::cout << summary(ms, spent, input.shape.empty() ? 1 : input.shape[0], 0).dump(1) << '\n';
    return 0;
}

} // namespace

int main(int argc, char** argv)
{
    const std::vector<std::string> a(argv, argv + argc);
    try {
        if ((a.size() == 7 || (a.size() == 8 && a[7] == "binary")) && a[1] == "http" && std::stoi(a[5]) > 0
            && std::stoi(a[6]) > 0)
            return http(
                std::stoi(a[2]), a[3], maas::engine::readNpy(a[4]), std::stoi(a[5]), std::stoi(a[6]), a.size() == 8);
        if ((a.size() == 9 || a.size() == 10) && a[1] == "flood")
            return flood(std::stoi(a[2]), a[3], maas::engine::readNpy(a[4]), a[5], a[6], std::stoi(a[7]),
                std::stoi(a[8]), a.size() == 10 ? std::stod(a[9]) : 0.0);
        if (a.size() == 3 && a[1] == "floor")
            return floorServer(std::stoi(a[2]));
        if (a.size() == 4 && a[1] == "ping")
            return ping(std::stoi(a[2]), std::stoi(a[3]));
        if (a.size() == 5 && a[1] == "engine")
            return engine(a[2], maas::engine::readNpy(a[3]), std::stod(a[4]));
    } catch (const std::exception& e) {
        std::cerr << "maas-bench-serve: " << e.what() << '\n';
        return 1;
    }
    std::cerr
        << "usage: maas-bench-serve http PORT MODEL INPUT.npy CONCURRENCY REQUESTS [binary]\n"
           "       maas-bench-serve engine MODEL.pt INPUT.npy SECONDS\n"
           "       maas-bench-serve ping PORT REQUESTS\n"
           "       maas-bench-serve floor PORT\n"
           "       maas-bench-serve flood PORT MODEL INPUT.npy TOKEN FLOOD_TOKEN FLOODERS REQUESTS [PER_SECOND]\n";
    return 2;
}
