// Per-operator and per-layer profiles: LibTorch's operator callbacks (RecordFunction) time every operator
// call of a forward pass, and the TorchScript interpreter names the module each one ran in.
#include "maas/engine/profile.h"

#include <torch/csrc/jit/runtime/interpreter.h>

#include <algorithm>
#include <chrono>
#include <cstring>
#include <map>
#include <numeric>
#include <sstream>
#include <unordered_map>

#include "bench_detail.h"
#include "maas/engine/benchmark.h"
#include "maas/engine/error.h"
#include "maas/engine/progress.h"
#include "maas/engine/runtime.h"
#include "torch_bridge.h"

namespace maas::engine {

namespace {

using Clock = std::chrono::steady_clock;

// Passes whose every call is kept for the timeline (the rest are summed only), so many passes of a large
// model do not hold all their calls in memory.
constexpr std::size_t kTimelinePasses = 25;

double microseconds(Clock::duration d) { return std::chrono::duration<double, std::micro>(d).count(); }

// "layer1.0.conv1" and its type from the interpreter's frames. Entries name a module instance, its type
// and the method running: "TOP(ResNet)::forward" (the model), "layer1(Sequential)::forward", and for a
// method calling another of the same module "SELF(Conv2d)::_conv_forward" (inlined graphs) or the instance
// again, "0(Conv2d)::_conv_forward" (the graph executor without optimization, as the engine runs).
// Function calls ("CALL_FUNCTION::batch_norm()::batch_norm", "::relu") name no module. `chain` gets each
// module from the outermost in, with its type.
std::string modulePathNow(std::vector<std::pair<std::string, std::string>>& chain)
{
    chain.clear();
    std::string path, lastName, lastType;
    for (const auto& entry : torch::jit::currentModuleHierarchy()) {
        const auto open = entry.find('('), close = entry.find(')');
        if (open == std::string::npos || close == std::string::npos || close <= open + 1)
            continue; // a function's frame, or a frame that names no instance
        const auto name = entry.substr(0, open), type = entry.substr(open + 1, close - open - 1);
        const auto method = entry.substr(std::min(entry.size(), close + 3));
        if (name.empty() || name == "SELF" || name.find(':') != std::string::npos)
            continue;
        if (name == "TOP") {
            chain.emplace_back("", type);
            continue;
        }
        if (name == lastName && type == lastType && method != "forward")
            continue; // another method of the module just named
        lastName = name;
        lastType = type;
        path += (path.empty() ? "" : ".") + name;
        chain.emplace_back(path, type);
    }
    return path;
}

std::string shapesOf(c10::ArrayRef<const c10::IValue> inputs)
{
    std::string text;
    for (const auto& v : inputs) {
        if (!v.isTensor())
            continue;
        const auto& t = v.toTensor();
        if (!t.defined())
            continue;
        text += (text.empty() ? "[" : ", [");
        for (std::int64_t d = 0; d < t.dim(); ++d)
            text += (d ? ", " : "") + std::to_string(t.size(d));
        text += "]";
    }
    return text;
}

// One operator call in progress. Its name points into LibTorch's operator schema (alive as long as the
// process), and its module is an index into the recorder's list, so a call costs no string copies.
struct Frame {
    const char* name = "";
    Clock::time_point start;
    double childUs = 0;
    int module = 0;
    std::string shapes;
};

// One finished call, turned into a TraceEvent only for the pass that is kept.
struct RawEvent {
    const char* name;
    int module;
    double startUs, durationUs;
    int depth;
    std::string shapes;
};

struct OperatorSum {
    double calls = 0, selfUs = 0, totalUs = 0;
    std::string shapes;
};

struct LayerSum {
    std::string type;
    double selfUs = 0;
    std::int64_t flops = 0, convolutionMacs = 0, matrixMacs = 0;
};

// What the callbacks gather on the profiling thread, over every profiled pass. Operators are keyed by
// their name's address (one per overload; merged by name afterwards), modules by their index in
// `layerOrder`: the interpreter is asked for module frames only by a call no other operator made.
struct Recorder {
    Clock::time_point passStart;
    std::vector<Frame> stack;
    std::vector<RawEvent> pass;
    std::unordered_map<const char*, OperatorSum> operators;
    std::vector<std::string> layerOrder; ///< module paths in the order they first ran
    std::unordered_map<std::string, int> layerIndex;
    std::vector<LayerSum> layers; ///< by index, as layerOrder
    std::vector<std::pair<std::string, std::string>> chain;
    bool keepEvents = true; ///< record this pass's calls for the timeline

    int layerOf(const std::string& path)
    {
        const auto [it, added] = layerIndex.try_emplace(path, static_cast<int>(layerOrder.size()));
        if (added) {
            layerOrder.push_back(path);
            layers.emplace_back();
        }
        return it->second;
    }

    // The profiler's own work in enter and leave is moved out of the caller's self time (added to its
    // children's), so a parent of many small calls is not charged for timing them. Nothing here may throw
    // past the callback: a frame is pushed whatever happens, since LibTorch calls leave regardless.
    void enter(const at::RecordFunction& fn)
    {
        const auto began = Clock::now();
        Frame f;
        f.name = fn.name();
        try {
            describe(fn, f);
        } catch (const std::exception&) {
            // An operator whose inputs are not what its name promises: timed without shapes or FLOPs.
        }
        f.start = Clock::now();
        if (!stack.empty())
            stack.back().childUs += microseconds(f.start - began);
        stack.push_back(std::move(f));
    }

    // A top-level call's module and shapes, kept by its place in the pass: every pass runs the same inputs,
    // so the n-th call of a pass is the same operator in the same module, and asking the interpreter for
    // its module frames (most of the profiler's cost on a model of many small calls) is done once. A pass
    // whose n-th call is another operator (control flow that went another way) is asked again from there.
    struct CallSite {
        const char* name;
        int module;
        std::string shapes;
    };
    std::vector<CallSite> sites;
    std::size_t site = 0; ///< the next top-level call's place in this pass

    void startPass()
    {
        pass.clear();
        stack.clear();
        site = 0;
        passStart = Clock::now();
    }

    void describeTopLevel(const at::RecordFunction& fn, Frame& f)
    {
        if (site < sites.size() && sites[site].name == f.name) {
            f.module = sites[site].module;
            f.shapes = sites[site].shapes;
            ++site;
            return;
        }
        auto path = modulePathNow(chain);
        if (chain.empty()) // not in the interpreter: the call's own conversions
            path = kOutsideForward;
        for (const auto& [module, type] : chain) {
            auto& layer = layers[static_cast<std::size_t>(layerOf(module))];
            if (layer.type.empty())
                layer.type = type;
        }
        f.module = layerOf(path);
        f.shapes = shapesOf(fn.inputs());
        sites.resize(site);
        sites.push_back({ f.name, f.module, f.shapes });
        ++site;
    }

    void describe(const at::RecordFunction& fn, Frame& f)
    {
        auto& op = operators[f.name];
        if (stack.empty()) {
            describeTopLevel(fn, f);
        } else {
            f.module = stack.front().module;
            if (op.shapes.empty()) // each operator's first
                f.shapes = shapesOf(fn.inputs());
        }
        const auto inputs = fn.inputs();
        if (const auto macs = macsOf(f.name, inputs)) {
            auto& layer = layers[static_cast<std::size_t>(f.module)];
            layer.flops += 2 * macs;
            (std::strcmp(f.name, "aten::_convolution") == 0 ? layer.convolutionMacs : layer.matrixMacs) += macs;
        }
    }

    void leave()
    {
        const auto end = Clock::now();
        if (stack.empty())
            return;
        auto f = std::move(stack.back());
        stack.pop_back();
        const double us = microseconds(end - f.start);
        auto& op = operators[f.name];
        op.calls += 1;
        op.totalUs += us;
        op.selfUs += us - f.childUs;
        if (op.shapes.empty())
            op.shapes = f.shapes;
        if (stack.empty())
            layers[static_cast<std::size_t>(f.module)].selfUs += us;
        if (keepEvents)
            pass.push_back({ f.name, f.module, microseconds(f.start - passStart), us, static_cast<int>(stack.size()),
                std::move(f.shapes) });
        if (!stack.empty())
            stack.back().childUs += us + microseconds(Clock::now() - end);
    }

    TraceEvent event(const RawEvent& e) const
    {
        return { e.name, layerOrder[static_cast<std::size_t>(e.module)], e.startUs, e.durationUs, e.depth, e.shapes };
    }
};

thread_local Recorder* t_recorder = nullptr;

// Registers the callbacks on this thread for as long as it lives.
class Recording {
public:
    explicit Recording(Recorder& recorder)
    {
        t_recorder = &recorder;
        m_handle = at::addThreadLocalCallback(at::RecordFunctionCallback(
            [](const at::RecordFunction& fn) -> std::unique_ptr<at::ObserverContext> {
                if (t_recorder)
                    t_recorder->enter(fn);
                return nullptr;
            },
            [](const at::RecordFunction&, at::ObserverContext*) {
                if (t_recorder)
                    t_recorder->leave();
            })
                                                  .needsInputs(true)
                                                  .scopes({ at::RecordScope::FUNCTION, at::RecordScope::USER_SCOPE }));
    }
    ~Recording()
    {
        at::removeCallback(m_handle);
        t_recorder = nullptr;
    }
    Recording(const Recording&) = delete;
    Recording& operator=(const Recording&) = delete;

private:
    at::CallbackHandle m_handle = 0;
};

double median(std::vector<double> values)
{
    std::sort(values.begin(), values.end());
    return percentile(values, 0.5);
}

double timedPass(const Model& model, const std::vector<Tensor>& inputs)
{
    const auto start = Clock::now();
    model.predict(inputs);
    return microseconds(Clock::now() - start) / 1000.0;
}

void fillLayers(ModelProfile& profile, const Recorder& recorder, double runs)
{
    std::map<std::string, double> totals;
    for (std::size_t i = 0; i < recorder.layerOrder.size(); ++i) // a module's total: its own and its submodules'
        for (std::string p = recorder.layerOrder[i];;) {
            totals[p] += recorder.layers[i].selfUs;
            if (p.empty())
                break;
            const auto dot = p.rfind('.');
            p = dot == std::string::npos ? std::string() : p.substr(0, dot);
        }
    for (std::size_t i = 0; i < recorder.layerOrder.size(); ++i) {
        const auto& sum = recorder.layers[i];
        LayerProfile l;
        l.module = recorder.layerOrder[i];
        l.type = sum.type;
        l.selfMs = sum.selfUs / runs / 1000.0;
        l.totalMs = totals[l.module] / runs / 1000.0;
        l.flops = static_cast<std::int64_t>(static_cast<double>(sum.flops) / runs);
        l.gflops = l.selfMs > 0 ? static_cast<double>(l.flops) / l.selfMs / 1e6 : 0;
        if (l.flops > 0)
            l.peakGflops
                = sum.convolutionMacs >= sum.matrixMacs ? profile.peak.convolutionGflops : profile.peak.matrixGflops;
        l.ofPeak = l.peakGflops > 0 ? l.gflops / l.peakGflops : 0;
        profile.flops += l.flops;
        profile.layers.push_back(std::move(l));
    }
}

void fillOperators(ModelProfile& profile, const Recorder& recorder, double runs)
{
    std::map<std::string, OperatorSum> byName; // overloads of one operator together
    for (const auto& [name, sum] : recorder.operators) {
        auto& merged = byName[name];
        merged.calls += sum.calls;
        merged.selfUs += sum.selfUs;
        merged.totalUs += sum.totalUs;
        if (merged.shapes.empty())
            merged.shapes = sum.shapes;
    }
    const double pass = profile.profiledMeanMs;
    for (const auto& [name, sum] : byName)
        if (sum.calls > 0)
            profile.operators.push_back({ name, sum.calls / runs, sum.selfUs / runs / 1000.0,
                sum.totalUs / runs / 1000.0, pass > 0 ? sum.selfUs / runs / 1000.0 / pass : 0, sum.shapes });
    std::stable_sort(profile.operators.begin(), profile.operators.end(),
        [](const auto& a, const auto& b) { return a.selfMs > b.selfMs; });
}

void checkRuns(const ProfileOptions& options)
{
    if (options.runs < 1 || options.runs > 100000)
        throw Error(
            ErrorKind::InvalidInput, "a profile needs from 1 to 100000 runs.", "runs", "must be from 1 to 100000.");
    if (options.warmup < 0)
        throw Error(ErrorKind::InvalidInput, "warm-up runs cannot be negative.", "warmup", "cannot be negative.");
}

} // namespace

ModelProfile profileModel(const Model& model, const ProfileOptions& options, const CancelToken* cancel)
{
    checkRuns(options);
    ModelProfile profile;
    profile.inputs = options.shapes.empty() ? defaultInputShapes(model, 1) : options.shapes;
    const auto inputs = syntheticInputs(model, profile.inputs);
    const Model run = modelFor(model, inputs);
    profile.peak = machinePeak(options.peakCache, options.recalibrate);
    const auto stopIfCancelled = [cancel] {
        if (cancel && cancel->cancelled())
            throw Error(ErrorKind::Cancelled, "profiling cancelled.");
    };
    runOnce(run, inputs);
    for (int i = 1; i < options.warmup; ++i) {
        stopIfCancelled();
        run.predict(inputs);
    }
    Recorder recorder;
    std::vector<double> plain, profiled;
    std::vector<std::vector<RawEvent>> passes;
    for (int i = 0; i < options.runs; ++i) { // interleaved, so drift on a busy machine hits both alike
        stopIfCancelled();
        plain.push_back(timedPass(run, inputs));
        const Recording recording(recorder);
        recorder.keepEvents = passes.size() < kTimelinePasses;
        recorder.startPass();
        profiled.push_back(timedPass(run, inputs));
        if (recorder.keepEvents)
            passes.push_back(std::move(recorder.pass));
    }
    profile.runs = options.runs;
    profile.threads = currentThreads().budget;
    profile.forwardMs = median(plain);
    profile.profiledMs = median(profiled);
    profile.profiledMeanMs = std::accumulate(profiled.begin(), profiled.end(), 0.0) / profiled.size();
    profile.overhead = profile.forwardMs > 0 ? profile.profiledMs / profile.forwardMs - 1 : 0;
    // The timeline is the pass of median length among those whose calls were kept.
    std::vector<double> kept(profiled.begin(), profiled.begin() + static_cast<std::ptrdiff_t>(passes.size()));
    const auto middle = std::find(kept.begin(), kept.end(), median(kept)) - kept.begin();
    for (const auto& e : passes[static_cast<std::size_t>(middle)])
        profile.timeline.push_back(recorder.event(e));
    std::sort(profile.timeline.begin(), profile.timeline.end(), [](const auto& a, const auto& b) {
        return a.startUs < b.startUs || (a.startUs == b.startUs && a.depth < b.depth);
    });
    fillLayers(profile, recorder, options.runs);
    fillOperators(profile, recorder, options.runs);
    return profile;
}

std::vector<LayerProfile> leafLayers(const ModelProfile& profile)
{
    std::vector<LayerProfile> own;
    for (const auto& l : profile.layers)
        if (l.selfMs > 0)
            own.push_back(l);
    std::stable_sort(own.begin(), own.end(), [](const auto& a, const auto& b) { return a.selfMs > b.selfMs; });
    return own;
}

nlohmann::json toJson(const ModelProfile& p)
{
    auto inputs = nlohmann::json::array();
    for (const auto& s : p.inputs)
        inputs.push_back(s.shape);
    auto operators = nlohmann::json::array();
    for (const auto& o : p.operators)
        operators.push_back({ { "name", o.name }, { "calls", o.calls }, { "self_ms", o.selfMs },
            { "total_ms", o.totalMs }, { "share", o.share }, { "input_shapes", o.inputShapes } });
    auto layers = nlohmann::json::array();
    for (const auto& l : p.layers)
        layers.push_back({ { "module", l.module }, { "type", l.type }, { "self_ms", l.selfMs },
            { "total_ms", l.totalMs }, { "flops", l.flops }, { "gflops", l.gflops }, { "peak_gflops", l.peakGflops },
            { "of_peak", l.ofPeak } });
    return { { "input_shapes", std::move(inputs) }, { "runs", p.runs }, { "threads", p.threads },
        { "forward_ms", p.forwardMs }, { "profiled_ms", p.profiledMs }, { "profiled_mean_ms", p.profiledMeanMs },
        { "overhead", p.overhead }, { "flops", p.flops },
        { "peak",
            { { "matrix_gflops", p.peak.matrixGflops }, { "convolution_gflops", p.peak.convolutionGflops },
                { "threads", p.peak.threads }, { "machine", p.peak.machine } } },
        { "operators", std::move(operators) }, { "layers", std::move(layers) } };
}

nlohmann::json chromeTrace(const ModelProfile& p)
{
    auto events = nlohmann::json::array();
    events.push_back({ { "name", "process_name" }, { "ph", "M" }, { "pid", 1 }, { "args", { { "name", "maas" } } } });
    events.push_back({ { "name", "forward" }, { "cat", "pass" }, { "ph", "X" }, { "ts", 0 },
        { "dur", p.profiledMs * 1000.0 }, { "pid", 1 }, { "tid", 1 } });
    for (const auto& e : p.timeline)
        events.push_back({ { "name", e.name }, { "cat", "operator" }, { "ph", "X" }, { "ts", e.startUs },
            { "dur", e.durationUs }, { "pid", 1 }, { "tid", 1 },
            { "args", { { "module", e.module }, { "input_shapes", e.inputShapes } } } });
    return { { "traceEvents", std::move(events) }, { "displayTimeUnit", "ms" } };
}

std::string foldedStacks(const ModelProfile& p)
{
    std::map<std::string, double> selfUs;
    std::vector<std::pair<std::string, const TraceEvent*>> open; // stack per depth: its line and event
    std::vector<double> childUs;
    const auto modules = [](const std::string& module) { // "model;layer1;layer1.0;layer1.0.conv1"
        std::string line = "model";
        for (auto dot = module.find('.'); !module.empty(); dot = module.find('.', dot + 1)) {
            line += ";" + module.substr(0, dot);
            if (dot == std::string::npos)
                break;
        }
        return line;
    };
    const auto close = [&] {
        selfUs[open.back().first] += open.back().second->durationUs - childUs.back();
        open.pop_back();
        childUs.pop_back();
    };
    for (const auto& e : p.timeline) {
        while (static_cast<int>(open.size()) > e.depth)
            close();
        const auto parent = open.empty() ? modules(e.module) : open.back().first;
        if (!childUs.empty())
            childUs.back() += e.durationUs;
        open.emplace_back(parent + ";" + e.name, &e);
        childUs.push_back(0);
    }
    while (!open.empty())
        close();
    std::ostringstream out;
    for (const auto& [stack, us] : selfUs)
        out << stack << ' ' << static_cast<std::int64_t>(std::max(0.0, us) + 0.5) << '\n';
    return out.str();
}

} // namespace maas::engine
