// This machine's peak for the two kinds of work models spend their time on, measured and cached.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <fstream>

#include "bench_detail.h"
#include "files.h"
#include "maas/engine/profile.h"
#include "maas/engine/runtime.h"
#include "torch_bridge.h"

namespace maas::engine {

namespace {

std::string cpuModel()
{
    std::ifstream info("/proc/cpuinfo");
    std::string line;
    while (std::getline(info, line))
        if (line.rfind("model name", 0) == 0) {
            const auto colon = line.find(':');
            return colon == std::string::npos ? line : line.substr(colon + 2);
        }
    return "unknown CPU";
}

// GFLOP/s of the best of `calls` calls (after one untimed) doing `flops` each.
template <typename Work> double bestRate(double flops, int calls, Work work)
{
    c10::InferenceMode guard;
    work();
    double best = 1e30;
    for (int i = 0; i < calls; ++i) {
        const auto start = std::chrono::steady_clock::now();
        work();
        best = std::min(best, std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
    }
    return flops / best / 1e9;
}

MachinePeak measure(const std::string& machine)
{
    MachinePeak peak;
    peak.machine = machine;
    peak.threads = currentThreads().budget;
    {
        const ThreadLease threads(Workload::MatrixProducts);
        constexpr std::int64_t n = 768;
        const auto a = torch::rand({ n, n }), b = torch::rand({ n, n });
        peak.matrixGflops = bestRate(2.0 * n * n * n, 8, [&] { (void)torch::mm(a, b); });
    }
    {
        const ThreadLease threads(Workload::Convolution);
        constexpr std::int64_t channels = 128, side = 28;
        const auto x = torch::rand({ 1, channels, side, side }), w = torch::rand({ channels, channels, 3, 3 });
        peak.convolutionGflops
            = bestRate(2.0 * channels * side * side * channels * 9, 12, [&] { (void)torch::conv2d(x, w, {}, 1, 1); });
    }
    return peak;
}

} // namespace

std::optional<MachinePeak> readPeakCache(const std::string& text, const std::string& machine, int threads)
{
    const auto json = nlohmann::json::parse(text, nullptr, false);
    if (!json.is_object())
        return std::nullopt;
    const auto field = [&json](const char* key) { return json.find(key); };
    const auto m = field("machine"), t = field("threads"), matrix = field("matrix_gflops"),
               conv = field("convolution_gflops");
    if (m == json.end() || t == json.end() || matrix == json.end() || conv == json.end() || !m->is_string()
        || !t->is_number_integer() || !matrix->is_number() || !conv->is_number())
        return std::nullopt;
    MachinePeak peak;
    peak.machine = m->get<std::string>();
    peak.threads = t->get<int>();
    peak.matrixGflops = matrix->get<double>();
    peak.convolutionGflops = conv->get<double>();
    peak.fromCache = true;
    const auto usable = [](double v) { return std::isfinite(v) && v > 0; };
    if (peak.machine != machine || peak.threads != threads || !usable(peak.matrixGflops)
        || !usable(peak.convolutionGflops))
        return std::nullopt;
    return peak;
}

std::string machineDescription() { return cpuModel() + " · " + blasLibrary() + " · LibTorch " + libtorchVersion(); }

MachinePeak machinePeak(const std::string& cacheFile, bool measureAgain)
{
    const auto machine = machineDescription();
    const int threads = currentThreads().budget;
    if (!cacheFile.empty() && !measureAgain) {
        try {
            if (auto cached = readPeakCache(readFileWithin(cacheFile, "peak cache", 1 << 16), machine, threads))
                return *cached;
        } catch (const std::exception&) {
            // No cache yet, or one that cannot be read: measure again and replace it.
        }
    }
    const auto peak = measure(machine);
    if (!cacheFile.empty()) {
        try {
            const nlohmann::json json { { "machine", machine }, { "threads", threads },
                { "matrix_gflops", peak.matrixGflops }, { "convolution_gflops", peak.convolutionGflops } };
            std::filesystem::create_directories(std::filesystem::path(cacheFile).parent_path());
            writeAtomically(cacheFile, [&](const std::string& tmp) { std::ofstream(tmp) << json.dump(2) << '\n'; });
        } catch (const std::exception&) {
            // A cache that cannot be written costs half a second next time, nothing more.
        }
    }
    return peak;
}

} // namespace maas::engine
