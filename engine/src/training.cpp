#include "maas/engine/training.h"

#include <chrono>
#include <cmath>
#include <functional>
#include <random>
#include <sstream>
#include <unordered_map>

#include "dataset_impl.h"
#include "feeder.h"
#include "maas/engine/error.h"
#include "sizes.h"
#include "torch_bridge.h"
#include "training_detail.h"

namespace maas::engine {

namespace {

using Clock = std::chrono::steady_clock;

double since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

// An option or a model that does not fit: `subject` names the field in plain words for what(), and
// `detail` follows whatever name a front end gives the field.
[[noreturn]] void bad(const std::string& field, const std::string& subject, const std::string& detail)
{
    throw Error(ErrorKind::InvalidInput, subject + " " + detail, field, detail);
}

} // namespace

void checkTrainOptions(const TrainOptions& o)
{
    if (o.epochs < 1 || o.epochs > kMaxEpochs)
        bad("epochs", "the number of epochs", "must be from 1 to " + std::to_string(kMaxEpochs) + ".");
    if (o.batchSize < 1 || o.batchSize > kMaxBatchSize)
        bad("batch_size", "the batch size", "must be from 1 to " + std::to_string(kMaxBatchSize) + ".");
    if (o.learningRate && !(*o.learningRate > 0 && *o.learningRate <= 10))
        bad("learning_rate", "the learning rate", "must be above 0 and at most 10, such as 0.001.");
    if (o.patience < 0 || o.patience > kMaxEpochs)
        bad("patience", "the patience", "must be from 0 (off) to " + std::to_string(kMaxEpochs) + " epochs.");
    if (!(o.validationFraction >= 0 && o.validationFraction < 1)) // so that NaN fails too
        bad("validation_fraction", "the validation fraction", "must be a fraction from 0 to below 1, such as 0.1.");
    if (!(o.weightDecay >= 0 && o.weightDecay <= 1))
        bad("weight_decay", "the weight decay", "must be from 0 to 1, such as 0.0001.");
    if (!(o.momentum >= 0 && o.momentum < 1))
        bad("momentum", "the momentum", "must be from 0 to below 1, such as 0.9.");
    if (o.stepEpochs < 1)
        bad("step_epochs", "the epochs between learning-rate steps", "must be at least 1.");
    if (!(o.gamma > 0 && std::isfinite(o.gamma)))
        bad("gamma", "the learning-rate factor per step (gamma)", "must be positive.");
    if (o.resume && o.checkpoint.empty())
        bad("checkpoint", "a checkpoint file", "is needed to resume: name the checkpoint to continue from.");
}

namespace {

// The learning rate at a step (0-based) of `total` steps, for the chosen schedule.
double learningRate(const TrainOptions& o, std::int64_t step, std::int64_t total, int epoch)
{
    const double base = *o.learningRate;
    const double pi = 3.14159265358979323846;
    const double t = total > 1 ? static_cast<double>(step) / static_cast<double>(total - 1) : 1.0;
    switch (o.schedule) {
    case Schedule::None: return base;
    case Schedule::Step: return base * std::pow(o.gamma, (epoch - 1) / o.stepEpochs);
    case Schedule::Cosine: return base * 0.5 * (1.0 + std::cos(pi * t));
    case Schedule::OneCycle: { // as PyTorch's OneCycleLR: warm up 30% from lr/25, anneal to lr/1e4
        const double start = base / 25.0, end = base / 1e4;
        if (t < 0.3)
            return start + (base - start) * 0.5 * (1.0 - std::cos(pi * t / 0.3));
        return end + (base - end) * 0.5 * (1.0 + std::cos(pi * (t - 0.3) / 0.7));
    }
    }
    return base;
}

// Checks that model and data fit, before anything runs. Returns the model's preprocessing when fine-tuning
// keeps it (for the Feeder: the data set itself is left as it is), nothing when the data's own goes into
// the card.
std::optional<Preprocessing> fitModelToData(Model& model, const Dataset& data)
{
    auto& card = model.impl().card;
    const auto& module = model.impl().module;
    const bool textModel = !card.inputs.empty() && card.inputs.front().dtype == DataType::Bytes;
    const bool textData = data.kind() == DataKind::Text;
    if (textModel != textData)
        throw Error(ErrorKind::InvalidInput,
            data.path() + " holds " + (textData ? "texts" : "numbers") + " but the model takes "
                + (textModel ? "text" : "tensors") + "; train a " + (textData ? "text" : "mlp, cnn or rnn")
                + " model on it.");
    if (textData && !module.find_method("forward_ids"))
        throw Error(ErrorKind::InvalidInput,
            "this text model has no forward_ids(ids, offsets) method, so the workbench cannot train it; build a "
            "new text classifier instead.");
    std::int64_t outputs
        = card.outputs.empty() || card.outputs.front().shape.size() != 2 ? -1 : card.outputs.front().shape[1];
    if (outputs <= 0 && !card.labels.empty())
        outputs = static_cast<std::int64_t>(card.labels.size());
    const auto classes = static_cast<std::int64_t>(data.classes().size());
    if (outputs > 0 && outputs != classes)
        bad("model_classes", "the model's number of classes",
            "must match the data: the model has " + std::to_string(outputs) + " outputs but " + data.path() + " has "
                + std::to_string(classes) + " classes; build a model with " + std::to_string(classes)
                + " classes, or one made for this data set.");
    if (!textData && !card.inputs.empty() && !card.inputs.front().shape.empty()) {
        const auto& expected = card.inputs.front().shape;
        const auto sample = data.sampleShape();
        bool fits = expected.size() == sample.size() + 1;
        for (std::size_t i = 1; fits && i < expected.size(); ++i)
            fits = expected[i] == -1 || expected[i] == sample[i - 1];
        if (!fits)
            bad("model_input_shape", "the model's input shape",
                "must match the data: " + data.path() + " has samples of shape " + shapeToString(sample)
                    + " but the model's input is " + shapeToString(expected)
                    + "; build a model made for this data set.");
    }
    std::optional<Preprocessing> keep;
    if (hasPreprocessing(card.preprocessing) && !card.inferred) {
        keep = modelPreprocessing(data.impl(), card.preprocessing); // fine-tuning keeps the model's normalization
    } else {
        const auto tokenizer = card.preprocessing.tokenizer;
        data.describeInCard(card);
        card.preprocessing.tokenizer = tokenizer;
    }
    if (card.labels.size() == data.classes().size())
        card.labels = data.classes();
    return keep;
}

void buildVocabulary(torch::jit::Module& module, const Dataset::Impl& data, const std::vector<std::int64_t>& train)
{
    auto vocab = module.attr("vocab").toGenericDict();
    if (vocab.size() > 0)
        return;
    const auto rows = module.attr("embedding").toModule().attr("weight").toTensor().size(0);
    std::unordered_map<std::string, std::int64_t> counts;
    for (auto i : train) {
        const auto words = module.run_method("words", data.texts[static_cast<std::size_t>(i)]);
        for (const auto& w : words.toListRef())
            ++counts[w.toStringRef()];
    }
    std::vector<std::pair<std::string, std::int64_t>> ranked(counts.begin(), counts.end());
    std::sort(ranked.begin(), ranked.end(),
        [](const auto& a, const auto& b) { return a.second != b.second ? a.second > b.second : a.first < b.first; });
    c10::impl::GenericDict filled(c10::StringType::get(), c10::IntType::get());
    for (std::size_t i = 0; i < ranked.size() && static_cast<std::int64_t>(i) + 1 < rows; ++i)
        filled.insert(ranked[i].first, static_cast<std::int64_t>(i) + 1);
    module.setattr("vocab", filled);
}

std::vector<at::Tensor> stateOf(const torch::jit::Module& module)
{
    std::vector<at::Tensor> state;
    for (const auto& p : module.named_parameters(true))
        state.push_back(p.value.detach().clone());
    for (const auto& b : module.named_buffers(true))
        state.push_back(b.value.detach().clone());
    return state;
}

void restore(const torch::jit::Module& module, const std::vector<at::Tensor>& state)
{
    torch::NoGradGuard guard;
    std::size_t i = 0;
    for (const auto& p : module.named_parameters(true))
        p.value.copy_(state[i++]);
    for (const auto& b : module.named_buffers(true))
        b.value.copy_(state[i++]);
}

std::string fingerprint(const torch::jit::Module& module)
{
    std::string text;
    for (const auto& p : module.named_parameters(true))
        text += p.name + shapeToString({ p.value.sizes().begin(), p.value.sizes().end() }) + ";";
    std::ostringstream hex;
    hex << std::hex << std::hash<std::string> {}(text);
    return hex.str();
}

std::string serializeOptimizer(torch::optim::Optimizer& optimizer)
{
    torch::serialize::OutputArchive archive;
    optimizer.save(archive);
    std::ostringstream out;
    archive.save_to(out);
    return out.str();
}

std::string serializeState(const std::vector<at::Tensor>& state)
{
    torch::serialize::OutputArchive archive;
    for (std::size_t i = 0; i < state.size(); ++i)
        archive.write(std::to_string(i), state[i]);
    std::ostringstream out;
    archive.save_to(out);
    return out.str();
}

std::vector<at::Tensor> deserializeState(const std::string& bytes, std::size_t count)
{
    torch::serialize::InputArchive archive;
    std::istringstream in(bytes);
    archive.load_from(in);
    std::vector<at::Tensor> state(count);
    for (std::size_t i = 0; i < count; ++i)
        archive.read(std::to_string(i), state[i]);
    return state;
}

nlohmann::json epochJson(const EpochMetrics& e)
{
    const auto num = [](double v) { return std::isnan(v) ? nlohmann::json(nullptr) : nlohmann::json(v); };
    return { { "epoch", e.epoch }, { "train_loss", e.trainLoss }, { "train_accuracy", e.trainAccuracy },
        { "validation_loss", num(e.validationLoss) }, { "validation_accuracy", num(e.validationAccuracy) },
        { "learning_rate", e.learningRate }, { "seconds", e.seconds }, { "samples_per_second", e.samplesPerSecond } };
}

EpochMetrics epochFromJson(const nlohmann::json& j)
{
    const auto num = [](const nlohmann::json& v) { return v.is_null() ? NAN : v.get<double>(); };
    EpochMetrics e;
    e.epoch = j.at("epoch");
    e.trainLoss = j.at("train_loss");
    e.trainAccuracy = j.at("train_accuracy");
    e.validationLoss = num(j.at("validation_loss"));
    e.validationAccuracy = num(j.at("validation_accuracy"));
    e.learningRate = j.at("learning_rate");
    e.seconds = j.at("seconds");
    e.samplesPerSecond = j.at("samples_per_second");
    return e;
}

std::unique_ptr<torch::optim::Optimizer> makeOptimizer(const TrainOptions& o, const std::vector<at::Tensor>& params)
{
    switch (o.optimizer) {
    case Optimizer::Sgd:
        return std::make_unique<torch::optim::SGD>(params,
            torch::optim::SGDOptions(*o.learningRate)
                .momentum(o.momentum)
                .nesterov(o.nesterov)
                .weight_decay(o.weightDecay));
    case Optimizer::AdamW:
        return std::make_unique<torch::optim::AdamW>(
            params, torch::optim::AdamWOptions(*o.learningRate).weight_decay(o.weightDecay));
    case Optimizer::Adam: break;
    }
    return std::make_unique<torch::optim::Adam>(
        params, torch::optim::AdamOptions(*o.learningRate).weight_decay(o.weightDecay));
}

struct Score {
    double loss = 0, accuracy = 0;
    bool cancelled = false; ///< stopped before every sample was scored: the numbers mean nothing
};

Score score(
    Feeder& feeder, const Dataset::Impl& data, const std::vector<std::int64_t>& indices, const CancelToken* cancel)
{
    if (indices.empty())
        return { NAN, NAN };
    c10::InferenceMode guard;
    double loss = 0, correct = 0;
    const auto all = torch::tensor(indices, at::kLong);
    for (std::int64_t start = 0; start < all.numel(); start += 1024) {
        if (cancel && cancel->cancelled())
            return { NAN, NAN, true };
        const auto idx = all.slice(0, start, std::min<std::int64_t>(start + 1024, all.numel()));
        const auto logits = feeder.logits(idx);
        const auto y = data.labels.index_select(0, idx);
        loss += torch::nn::functional::cross_entropy(
            logits, y, torch::nn::functional::CrossEntropyFuncOptions().reduction(torch::kSum))
                    .item<double>();
        correct += logits.argmax(1).eq(y).sum().item<double>();
    }
    const auto n = static_cast<double>(indices.size());
    return { loss / n, correct / n };
}

// The last epoch is the best so far, and its validation loss (training loss without a split) fell by
// more than 1% from the epoch before: the curve has not flattened yet.
bool stillImproving(const std::vector<EpochMetrics>& history)
{
    if (history.size() < 2)
        return false;
    const auto& last = history.back();
    const auto& before = history[history.size() - 2];
    const bool validated = !std::isnan(last.validationLoss);
    const double now = validated ? last.validationLoss : last.trainLoss;
    const double then = validated ? before.validationLoss : before.trainLoss;
    const auto accuracy
        = [validated](const EpochMetrics& e) { return validated ? e.validationAccuracy : e.trainAccuracy; };
    const bool best = std::all_of(
        history.begin(), history.end(), [&](const EpochMetrics& e) { return accuracy(e) <= accuracy(last); });
    return best && now < then * 0.99;
}

// What a checkpoint brings back besides the model, card and history: the optimizer's state and the best
// epoch's weights (each empty when the checkpoint has none).
struct Resumed {
    std::string optimizer, best;
};

// Replaces the model, card and history with a checkpoint's, after checking it was written by this model
// training on this data.
Resumed resumeFromCheckpoint(Model::Impl& impl, const Dataset& data, const TrainOptions& options, TrainResult& result)
{
    torch::jit::ExtraFilesMap extra { { "checkpoint.json", "" }, { "optimizer.bin", "" }, { "best.bin", "" } };
    const Model saved = loadWithExtras(options.checkpoint, extra);
    if (extra["checkpoint.json"].empty())
        bad("checkpoint", "the checkpoint",
            options.checkpoint + " is a model, not a training checkpoint; give the checkpoint file a run wrote.");
    const auto state = nlohmann::json::parse(extra["checkpoint.json"]);
    if (state.value("fingerprint", "") != fingerprint(impl.module))
        bad("checkpoint", "the checkpoint",
            options.checkpoint
                + " was written while training another model (its layers differ); resume with the model it was "
                  "made for, or start afresh.");
    if (state.value("samples", std::int64_t { -1 }) != data.size()
        || state.value("classes", nlohmann::json()) != data.classes())
        bad("checkpoint", "the checkpoint",
            options.checkpoint + " was written while training on other data ("
                + std::to_string(state.value("samples", 0)) + " samples); resume on the same data set.");
    impl.module = saved.impl().module;
    impl.card = saved.card();
    for (const auto& e : state.at("history"))
        result.history.push_back(epochFromJson(e));
    result.resumedFrom = state.at("epoch");
    if (options.epochs < result.resumedFrom)
        bad("epochs", "the number of epochs",
            "must be at least " + std::to_string(result.resumedFrom) + " to go on: the checkpoint " + options.checkpoint
                + " already holds " + std::to_string(result.resumedFrom) + " epochs.");
    result.bestEpoch = state.value("best_epoch", 0);
    return { extra["optimizer.bin"], extra["best.bin"] };
}

// Turns off gradients for the parameters under the frozen prefixes; returns the ones left to train.
std::vector<at::Tensor> freezeParameters(
    const torch::jit::Module& module, const std::vector<std::string>& freeze, TrainResult& result)
{
    // Frozen prefixes must each name something, or a typo would silently train everything.
    for (const auto& prefix : freeze) {
        bool matched = false;
        for (const auto& p : module.named_parameters(true))
            matched = matched || p.name.rfind(prefix, 0) == 0;
        if (!matched)
            bad("freeze", "the frozen prefix",
                "'" + prefix + "' matches no parameter; names look like '"
                    + (*module.named_parameters(true).begin()).name + "' (the model's report lists them all).");
    }
    std::vector<at::Tensor> trainable;
    for (const auto& p : module.named_parameters(true)) {
        const bool frozen = std::any_of(
            freeze.begin(), freeze.end(), [&](const std::string& prefix) { return p.name.rfind(prefix, 0) == 0; });
        p.value.set_requires_grad(!frozen);
        if (frozen) {
            result.frozenParameters += p.value.numel();
        } else {
            trainable.push_back(p.value);
            result.trainableParameters += p.value.numel();
        }
    }
    if (trainable.empty())
        bad("freeze", "freezing these layers", "leaves no parameter to train; freeze fewer layers.");
    return trainable;
}

Split trainingSplit(const Dataset& data, const TrainOptions& options, TrainResult& result)
{
    auto split = splitIndices(data.size(), options.validationFraction, options.seed);
    if (split.train.empty())
        throw Error(ErrorKind::InvalidInput,
            data.path() + " has too few samples (" + std::to_string(data.size())
                + ") to train on after the validation split.");
    result.trainSamples = static_cast<std::int64_t>(split.train.size());
    result.validationSamples = static_cast<std::int64_t>(split.validation.size());
    return split;
}

void loadOptimizerState(torch::optim::Optimizer& optimizer, const std::string& bytes)
{
    if (bytes.empty())
        return;
    torch::serialize::InputArchive archive;
    std::istringstream in(bytes);
    try {
        archive.load_from(in);
        optimizer.load(archive);
    } catch (const c10::Error&) { // LibTorch's own check, with its stack trace: said in a sentence instead
        throw Error(ErrorKind::InvalidInput,
            "the checkpoint's optimizer state does not fit this run: it was written with another optimizer or "
            "other frozen layers; resume with the same settings, or start without resuming.",
            "checkpoint", "holds an optimizer state written with another optimizer or other frozen layers.");
    }
}

// What every epoch of one run reads and updates: the model, data and optimizer, the best weights so far,
// and the clock, which leaves pauses out.
struct EpochLoop {
    const TrainOptions& options;
    Model& trained;
    const Dataset& data;
    const Split& split;
    Feeder& feeder;
    torch::optim::Optimizer& optimizer;
    const ProgressCallback& progress;
    const CancelToken* cancel;
    std::int64_t trainSamples = 0, batches = 0, totalSteps = 0;
    std::vector<at::Tensor> best {};
    double bestAccuracy = -1;
    Clock::time_point started = Clock::now();
    double pausedSeconds = 0; // left out of rates, ETAs and epoch times
    std::int64_t samplesThisRun = 0;
    Clock::time_point lastReport = Clock::now() - std::chrono::seconds(1);
    std::vector<std::pair<at::Tensor, at::Tensor>> zeroMasks {}; ///< keepZeros: (weight, where it is not zero)
    const SoftTargets* soft = nullptr; ///< distillation: the teacher's answers
};

// The weights that are zero now and must stay so (TrainOptions::keepZeros), with their masks.
std::vector<std::pair<at::Tensor, at::Tensor>> zeroMasksOf(
    const std::vector<at::Tensor>& trainable, const TrainOptions& options)
{
    std::vector<std::pair<at::Tensor, at::Tensor>> masks;
    if (!options.keepZeros)
        return masks;
    for (const auto& p : trainable)
        if (p.dim() >= 2)
            masks.emplace_back(p, p.ne(0).to(p.scalar_type()));
    return masks;
}

// Sums over the batches of one epoch so far.
struct EpochTally {
    double lossSum = 0, correct = 0;
    std::int64_t seen = 0;
};

at::Tensor shuffledOrder(const std::vector<std::int64_t>& train, std::uint64_t seed, int epoch)
{
    // Each epoch's shuffle and dropout come from (seed, epoch), so a resumed run repeats a killed one.
    torch::manual_seed(seed * 1000003ULL + static_cast<std::uint64_t>(epoch));
    std::vector<std::int64_t> order = train;
    std::mt19937_64 rng(seed * 7919ULL + static_cast<std::uint64_t>(epoch));
    for (std::size_t i = order.size(); i > 1; --i)
        std::swap(order[i - 1], order[rng() % i]);
    return torch::tensor(order, at::kLong);
}

// One optimizer step on the samples `idx`, added to the epoch's tally.
void trainStep(EpochLoop& l, const at::Tensor& idx, EpochTally& tally)
{
    const auto y = l.data.impl().labels.index_select(0, idx);
    const auto logits = l.feeder.logits(idx);
    auto loss = torch::nn::functional::cross_entropy(logits, y);
    if (l.soft) {
        const double t = l.soft->temperature;
        const auto teacher = l.soft->logits.index_select(0, idx);
        namespace F = torch::nn::functional;
        const auto kl = F::kl_div(F::log_softmax(logits / t, 1), F::log_softmax(teacher / t, 1),
            F::KLDivFuncOptions().reduction(torch::kBatchMean).log_target(true));
        loss = (1 - l.soft->alpha) * loss + l.soft->alpha * t * t * kl;
    }
    // Gradients are dropped rather than zeroed: backward then writes them fresh instead of adding to zeros.
    for (auto& group : l.optimizer.param_groups())
        for (auto& p : group.params())
            p.mutable_grad().reset();
    loss.backward();
    l.optimizer.step();
    if (!l.zeroMasks.empty()) {
        const torch::NoGradGuard noGrad;
        for (auto& [weight, mask] : l.zeroMasks)
            weight.mul_(mask);
    }
    const auto n = idx.numel();
    tally.lossSum += loss.item<double>() * static_cast<double>(n);
    tally.correct += logits.argmax(1).eq(y).sum().item<double>();
    tally.seen += n;
    l.samplesThisRun += n;
}

void reportBatch(EpochLoop& l, int epoch, std::int64_t b, std::int64_t step, const EpochTally& tally, double lr)
{
    if (!l.progress || (since(l.lastReport) < 0.05 && b + 1 != l.batches)) // at most ~20 reports a second
        return;
    l.lastReport = Clock::now();
    const double rate = static_cast<double>(l.samplesThisRun) / std::max(1e-9, since(l.started) - l.pausedSeconds);
    const double remaining = static_cast<double>(l.totalSteps - step - 1) * static_cast<double>(l.options.batchSize);
    Progress p;
    p.fraction = static_cast<double>(step + 1) / static_cast<double>(l.totalSteps);
    p.message = "epoch " + std::to_string(epoch) + "/" + std::to_string(l.options.epochs);
    p.metrics = { { metric::kEpoch, epoch }, { metric::kBatch, static_cast<double>(b + 1) },
        { metric::kBatches, static_cast<double>(l.batches) },
        { metric::kLoss, tally.lossSum / static_cast<double>(tally.seen) },
        { metric::kAccuracy, tally.correct / static_cast<double>(tally.seen) }, { metric::kSamplesPerSecond, rate },
        { metric::kEtaSeconds, remaining / std::max(1.0, rate) }, { metric::kLearningRate, lr } };
    l.progress(p);
}

// Trains one epoch on the shuffled training samples and fills the training side of `m`; false when
// cancelled before its end.
bool trainEpoch(EpochLoop& l, int epoch, EpochMetrics& m)
{
    const auto orderTensor = shuffledOrder(l.split.train, l.options.seed, epoch);
    l.trained.impl().module.train(true);
    const auto epochStart = Clock::now();
    EpochTally tally;
    double lr = *l.options.learningRate;
    const double pausedBeforeEpoch = l.pausedSeconds;
    for (std::int64_t b = 0; b < l.batches; ++b) {
        if (l.cancel)
            l.pausedSeconds += l.cancel->waitWhilePaused();
        if (l.cancel && l.cancel->cancelled())
            return false;
        const std::int64_t step = (epoch - 1) * l.batches + b;
        lr = learningRate(l.options, step, l.totalSteps, epoch);
        for (auto& group : l.optimizer.param_groups())
            group.options().set_lr(lr);
        const auto batchSize = l.options.batchSize;
        trainStep(l, orderTensor.slice(0, b * batchSize, std::min((b + 1) * batchSize, l.trainSamples)), tally);
        reportBatch(l, epoch, b, step, tally, lr);
    }
    m.epoch = epoch;
    m.trainLoss = tally.lossSum / static_cast<double>(tally.seen);
    m.trainAccuracy = tally.correct / static_cast<double>(tally.seen);
    m.learningRate = lr;
    m.seconds = since(epochStart) - (l.pausedSeconds - pausedBeforeEpoch);
    m.samplesPerSecond = static_cast<double>(tally.seen) / std::max(1e-9, m.seconds);
    return true;
}

// A checkpoint stores the model, the optimizer state and the history in one archive, so a resumed run
// gives the same weights as an uninterrupted one.
void writeCheckpoint(EpochLoop& l, int epoch, const TrainResult& result)
{
    nlohmann::json state = { { "epoch", epoch }, { "fingerprint", fingerprint(l.trained.impl().module) },
        { "samples", l.data.size() }, { "classes", l.data.classes() }, { "best_epoch", result.bestEpoch },
        { "history", nlohmann::json::array() } };
    for (const auto& e : result.history)
        state["history"].push_back(epochJson(e));
    torch::jit::ExtraFilesMap extra { { "checkpoint.json", state.dump() },
        { "optimizer.bin", serializeOptimizer(l.optimizer) } };
    if (!l.best.empty() && result.bestEpoch != epoch)
        extra["best.bin"] = serializeState(l.best);
    saveWithExtras(l.trained, l.options.checkpoint, extra);
}

void reportEpochEnd(const EpochLoop& l, const EpochMetrics& m)
{
    if (!l.progress)
        return;
    Progress p;
    p.epochEnd = true;
    p.fraction = static_cast<double>(m.epoch * l.batches) / static_cast<double>(l.totalSteps);
    p.message = "epoch " + std::to_string(m.epoch) + "/" + std::to_string(l.options.epochs);
    p.metrics = { { metric::kEpoch, m.epoch }, { metric::kLoss, m.trainLoss }, { metric::kAccuracy, m.trainAccuracy },
        { metric::kValidationLoss, m.validationLoss }, { metric::kValidationAccuracy, m.validationAccuracy },
        { metric::kSamplesPerSecond, m.samplesPerSecond }, { metric::kSeconds, m.seconds },
        { metric::kLearningRate, m.learningRate } };
    l.progress(p);
}

// One epoch: training, validation, the best weights so far, the checkpoint and the epoch's report.
// False when the run ends here: cancelled, or stopped early for want of progress.
bool runEpoch(EpochLoop& l, int epoch, TrainResult& result)
{
    EpochMetrics m;
    if (!trainEpoch(l, epoch, m)) {
        result.cancelled = true;
        return false;
    }
    auto& module = l.trained.impl().module;
    module.train(false);
    const auto validation = score(l.feeder, l.data.impl(), l.split.validation, l.cancel);
    if (validation.cancelled) { // an epoch without its validation is not recorded, nor checkpointed
        result.cancelled = true;
        return false;
    }
    m.validationLoss = validation.loss;
    m.validationAccuracy = validation.accuracy;
    result.history.push_back(m);

    const double measure = std::isnan(m.validationAccuracy) ? m.trainAccuracy : m.validationAccuracy;
    if (measure > l.bestAccuracy) {
        l.bestAccuracy = measure;
        result.bestEpoch = epoch;
        if (l.options.patience > 0)
            l.best = stateOf(module);
    }
    const bool stop = l.options.patience > 0 && epoch - result.bestEpoch >= l.options.patience;
    if (!l.options.checkpoint.empty())
        writeCheckpoint(l, epoch, result);
    reportEpochEnd(l, m);
    if (stop) {
        result.stoppedEarly = true;
        return false;
    }
    return true;
}

// The card's metrics are the kept epoch's: the best one with early stopping, else the last.
void recordMetrics(ModelCard& card, const TrainResult& result, const TrainOptions& options)
{
    if (result.history.empty())
        return;
    const auto& last = result.history[static_cast<std::size_t>(
        std::max(0, (options.patience > 0 ? result.bestEpoch : result.history.back().epoch) - 1))];
    card.metrics["train_accuracy"] = last.trainAccuracy;
    card.metrics["train_loss"] = last.trainLoss;
    if (!std::isnan(last.validationAccuracy)) {
        card.metrics["validation_accuracy"] = last.validationAccuracy;
        card.metrics["validation_loss"] = last.validationLoss;
    }
    card.metrics["epochs"] = result.history.back().epoch;
}

nlohmann::json trainParameters(const TrainOptions& options, const Dataset& data)
{
    return { { "data", data.path() }, { "samples", data.size() }, { "epochs", options.epochs },
        { "batch_size", options.batchSize }, { "optimizer", toString(options.optimizer) },
        { "learning_rate", *options.learningRate }, { "schedule", toString(options.schedule) },
        { "weight_decay", options.weightDecay }, { "seed", options.seed }, { "freeze", options.freeze } };
}

} // namespace

std::string toString(Optimizer optimizer)
{
    switch (optimizer) {
    case Optimizer::Sgd: return "sgd";
    case Optimizer::AdamW: return "adamw";
    case Optimizer::Adam: break;
    }
    return "adam";
}

std::optional<Optimizer> optimizerFromString(const std::string& name)
{
    for (const auto o : { Optimizer::Sgd, Optimizer::Adam, Optimizer::AdamW })
        if (toString(o) == name)
            return o;
    return std::nullopt;
}

std::string toString(Schedule schedule)
{
    switch (schedule) {
    case Schedule::Step: return "step";
    case Schedule::Cosine: return "cosine";
    case Schedule::OneCycle: return "onecycle";
    case Schedule::None: break;
    }
    return "none";
}

std::optional<Schedule> scheduleFromString(const std::string& name)
{
    for (const auto s : { Schedule::None, Schedule::Step, Schedule::Cosine, Schedule::OneCycle })
        if (toString(s) == name)
            return s;
    return std::nullopt;
}

// Measured on Debian package descriptions (scripts/make_debian_text_corpus.py), embedding-bag text
// classifier, 80/20 split, validation accuracy after 5 and 10 epochs:
//   3,300 texts, 8 classes:   lr 1e-3: 53% / 69%   lr 1e-2: 77% / 76%   lr 3e-2: 77% / 77%
//   37,645 texts, 10 classes: lr 1e-3: 84.5% after 5 epochs
// An embedding's rows move only for the words of a batch, so at 1e-3 a small corpus ends long before
// they have learned; image and tabular models keep Adam's usual 1e-3.
double defaultLearningRate(const Model& model)
{
    const auto& inputs = model.card().inputs;
    return !inputs.empty() && inputs.front().dtype == DataType::Bytes ? 1e-2 : 1e-3;
}

TrainResult train(Model& model, Dataset& data, const TrainOptions& options, const ProgressCallback& progress,
    const CancelToken* cancel)
{
    return trainWith(model, data, options, progress, cancel, nullptr);
}

TrainResult trainWith(Model& model, Dataset& data, const TrainOptions& given, const ProgressCallback& progress,
    const CancelToken* cancel, const SoftTargets* soft)
{
    TrainOptions options = given;
    if (!options.learningRate)
        options.learningRate = defaultLearningRate(model);
    checkTrainOptions(options);
    ensureThreadsConfigured();
    // Training changes weights and card, and copies of a Model share one module: it works on a clone and
    // hands the trained model back through `model` at the end, so other copies (a model another thread is
    // predicting with, the library's loaded one) keep theirs, and a run that fails leaves `model` as it was.
    Model trained = cloneModel(model);
    auto& impl = trained.impl();
    TrainResult result;
    result.learningRate = *options.learningRate;
    const Resumed resumed = options.resume ? resumeFromCheckpoint(impl, data, options, result) : Resumed {};
    auto pre = fitModelToData(trained, data);
    auto& module = impl.module;
    auto& d = data.impl();
    const auto trainable = freezeParameters(module, options.freeze, result);
    const auto split = trainingSplit(data, options, result);
    Feeder feeder(module, d, std::move(pre));
    if (d.kind == DataKind::Text) {
        buildVocabulary(module, d, split.train);
        feeder.tokenize();
    }
    auto optimizer = makeOptimizer(options, trainable);
    loadOptimizerState(*optimizer, resumed.optimizer);
    const ThreadLease threads(impl.workload);

    const std::string parentSha = parentSha256(impl);
    EpochLoop loop { options, trained, data, split, feeder, *optimizer, progress, cancel };
    loop.zeroMasks = zeroMasksOf(trainable, options);
    loop.soft = soft;
    loop.trainSamples = result.trainSamples;
    loop.batches = (result.trainSamples + options.batchSize - 1) / options.batchSize;
    loop.totalSteps = loop.batches * options.epochs;
    if (!resumed.best.empty())
        loop.best = deserializeState(resumed.best, stateOf(module).size());
    for (const auto& e : result.history) {
        const double accuracy = std::isnan(e.validationAccuracy) ? e.trainAccuracy : e.validationAccuracy;
        loop.bestAccuracy = std::max(loop.bestAccuracy, accuracy);
    }
    if (options.patience > 0 && loop.best.empty() && result.resumedFrom > 0) {
        // A checkpoint leaves best.bin out when its own weights are the best so far, and one written
        // without --patience has none: then the weights it holds stand as the best to beat.
        loop.best = stateOf(module);
        if (result.bestEpoch != result.resumedFrom) {
            const auto& last = result.history.back();
            result.bestEpoch = result.resumedFrom;
            loop.bestAccuracy = std::isnan(last.validationAccuracy) ? last.trainAccuracy : last.validationAccuracy;
        }
    }
    loop.started = Clock::now();
    guardModelRun("training on " + data.path(), [&] {
        for (int epoch = result.resumedFrom + 1; epoch <= options.epochs; ++epoch)
            if (!runEpoch(loop, epoch, result))
                break;
    });
    module.train(false);
    if (result.cancelled)
        return result; // the caller's model stays as it was; the checkpoint holds the finished epochs
    result.stillImproving = stillImproving(result.history);
    if (options.patience > 0 && !loop.best.empty()
        && result.bestEpoch != (result.history.empty() ? 0 : result.history.back().epoch))
        restore(module, loop.best);
    recordMetrics(impl.card, result, options);
    stampLineage(impl.card, "train", parentSha, trainParameters(options, data));
    impl.card.inferred = false;
    model = trained;
    return result;
}

nlohmann::json toJson(const TrainResult& r)
{
    nlohmann::json history = nlohmann::json::array();
    for (const auto& e : r.history)
        history.push_back(epochJson(e));
    return { { "history", history }, { "best_epoch", r.bestEpoch }, { "resumed_from", r.resumedFrom },
        { "stopped_early", r.stoppedEarly }, { "cancelled", r.cancelled }, { "learning_rate", r.learningRate },
        { "still_improving", r.stillImproving }, { "train_samples", r.trainSamples },
        { "validation_samples", r.validationSamples }, { "trainable_parameters", r.trainableParameters },
        { "frozen_parameters", r.frozenParameters } };
}

} // namespace maas::engine
