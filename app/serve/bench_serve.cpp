// maas-bench-serve: load for maas-serve's targets (scripts/bench-serve.sh), and the in-process peer.
//   maas-bench-serve http PORT MODEL NPY CONCURRENCY REQUESTS [binary]   requests of the .npy's tensor
//                                                                (JSON, or binary tensor data),
//                                                                each of CONCURRENCY threads on its own
//                                                                keep-alive connection
//   maas-bench-serve engine MODEL.pt NPY SECONDS                 the engine's predict in a loop, this process
//   maas-bench-serve ping PORT REQUESTS                          GET /v2/health/live: the HTTP floor
//   maas-bench-serve flood PORT MODEL NPY TOKEN FLOOD_TOKEN FLOODERS REQUESTS [PER_SECOND]
//                                                                TOKEN's latency alone, then while
//                                                                FLOODERS connections send with FLOOD_TOKEN
//                                                                (TOKEN sends PER_SECOND, or flat out)
// Both print one JSON object: requests, seconds, per second, samples per second, p50/p99 in ms, failures.

#include <httplib.h>

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

int http(
    int port, const std::string& model, const maas::engine::Tensor& input, int concurrency, int requests, bool binary)
{
    const auto prepared = prepare(port, model, input, binary);
    const auto& [path, body, contentType, headers] = prepared;
    std::atomic<int> next { 0 }, failed { 0 };
    std::vector<std::vector<double>> times(static_cast<std::size_t>(concurrency));
    const auto start = Clock::now();
    std::vector<std::thread> threads;
    for (int t = 0; t < concurrency; ++t)
        threads.emplace_back([&, t] {
            httplib::Client c("127.0.0.1", port);
            keepAlive(c);
            c.set_read_timeout(120, 0);
            while (next++ < requests) {
                const auto began = Clock::now();
                const auto res = c.Post(path.c_str(), headers, body, contentType.c_str());
                if (!res || res->status != 200) {
                    if (failed++ < 3)
                        std::cerr << "maas-bench-serve: request failed: "
                                  << (res ? std::to_string(res->status) + " " + res->body
                                          : httplib::to_string(res.error()))
                                  << '\n';
                }
                times[static_cast<std::size_t>(t)].push_back(
                    std::chrono::duration<double, std::milli>(Clock::now() - began).count());
            }
        });
    for (auto& t : threads)
        t.join();
    const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
    std::vector<double> all;
    for (const auto& t : times)
        all.insert(all.end(), t.begin(), t.end());
    std::cout << summary(all, seconds, input.shape.empty() ? 1 : input.shape[0], failed).dump(1) << '\n';
    return failed < requests ? 0 : 1; // some failures are counted in the summary; none answered is an error
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
           "       maas-bench-serve flood PORT MODEL INPUT.npy TOKEN FLOOD_TOKEN FLOODERS REQUESTS [PER_SECOND]\n";
    return 2;
}
