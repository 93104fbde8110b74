#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "maas/engine/dataset.h"
#include "maas/engine/model.h"
#include "maas/engine/progress.h"

namespace maas::engine {

enum class Optimizer { Sgd, Adam, AdamW };
enum class Schedule {
    None, ///< the same rate throughout
    Step, ///< multiplied by gamma every stepEpochs epochs
    Cosine, ///< cosine annealing to 0 over the run
    OneCycle, ///< as PyTorch's OneCycleLR: warm up 30% from lr/25, anneal to lr/1e4
};

/// The names used at the edges only (command line, JSON, lineage): "sgd", "adam", "adamw".
std::string toString(Optimizer optimizer);
/// Nothing when `name` is not one of toString()'s names.
std::optional<Optimizer> optimizerFromString(const std::string& name);
/// "none", "step", "cosine", "onecycle".
std::string toString(Schedule schedule);
std::optional<Schedule> scheduleFromString(const std::string& name);

/// Everything a training run can be told; the defaults train a small classifier well.
struct TrainOptions {
    int epochs = 10;
    std::int64_t batchSize = 128;
    Optimizer optimizer = Optimizer::Adam;
    std::optional<double> learningRate; ///< unset: the model's default (defaultLearningRate)
    double momentum = 0.9; ///< sgd only
    bool nesterov = false; ///< sgd only
    double weightDecay = 0.0;
    Schedule schedule = Schedule::None;
    int stepEpochs = 5; ///< step schedule: multiply the rate by gamma every this many epochs
    double gamma = 0.1;
    double validationFraction = 0.1; ///< of the data, held out by a seeded shuffle
    std::uint64_t seed = 42; ///< fixes initialization order, shuffling and dropout: same seed, same run
    int patience = 0; ///< stop after this many epochs without better validation accuracy, keep the best (0: off)
    std::string checkpoint; ///< written (atomically) after every epoch; "" for none
    bool resume = false; ///< continue from `checkpoint` exactly where it stopped
    std::vector<std::string> freeze; ///< parameter-name prefixes that stay as they are (fine-tuning)
    /// Weights (parameters of two or more axes) that are exactly zero at the start stay zero: fine-tuning
    /// a pruned model keeps its sparsity.
    bool keepZeros = false;
};

struct EpochMetrics {
    int epoch = 0; ///< 1-based
    double trainLoss = 0, trainAccuracy = 0;
    double validationLoss = 0, validationAccuracy = 0; ///< NaN without a validation split
    double learningRate = 0;
    double seconds = 0;
    double samplesPerSecond = 0;
};

struct TrainResult {
    std::vector<EpochMetrics> history;
    int bestEpoch = 0;
    int resumedFrom = 0; ///< epochs already done by the checkpoint (0: a fresh run)
    bool stoppedEarly = false;
    bool cancelled = false;
    double learningRate = 0; ///< the initial rate the run used (the model's default when none was given)
    /// The last epoch was the best and still clearly better than the one before: more epochs would
    /// probably help. Front ends say so in the run's summary.
    bool stillImproving = false;
    std::int64_t trainSamples = 0, validationSamples = 0;
    std::int64_t trainableParameters = 0, frozenParameters = 0;
};

/// The most epochs (and epochs of patience) and the largest batch a run takes.
constexpr int kMaxEpochs = 100000;
constexpr std::int64_t kMaxBatchSize = 1 << 20;

/// Checks every option on its own (ranges, and a checkpoint to resume from), before any data is read:
/// throws Error with field() naming the option. train() checks them again, with the model's default rate.
void checkTrainOptions(const TrainOptions& options);

/// The learning rate a run uses when none is given: measured per kind of model on small and large
/// data (see training.cpp): 1e-2 for text classifiers (an embedding learns slowly at 1e-3), 1e-3 for
/// the rest.
double defaultLearningRate(const Model& model);

/// Trains a copy of `model` on `data` and puts the trained model in `model` (also when cancelled, with the
/// epochs done so far); other copies of the Model given keep their weights and card, and a run that
/// throws leaves `model` unchanged. Before the first batch it checks that model and data fit (classes,
/// input shape, kind) and every option; a text model with an empty vocabulary gets one from the training
/// texts. The model's card receives the data's labels and preprocessing (for a new model), final metrics
/// and lineage. Reports per batch and per epoch through `progress` (keys in maas::engine::metric); polls
/// `cancel` between batches and, when cancelled, returns with TrainResult::cancelled set (the card is
/// then left as it was). Throws Error with field() set for an option or a model that does not fit.
TrainResult train(Model& model, Dataset& data, const TrainOptions& options, const ProgressCallback& progress = {},
    const CancelToken* cancel = nullptr);

struct ClassMetrics {
    std::string label;
    double precision = 0, recall = 0, f1 = 0;
    std::int64_t support = 0;
};

struct Evaluation {
    std::int64_t samples = 0;
    double loss = 0, accuracy = 0, topK = 0;
    int k = 5;
    std::vector<std::string> classes;
    std::vector<std::vector<std::int64_t>> confusion; ///< [true class][predicted class]
    std::vector<ClassMetrics> perClass;
    std::vector<std::int64_t> predictions; ///< predicted class of every sample scored, in order
};

/// Runs the model over the data set (with the model's preprocessing) and scores it: over every sample,
/// or over `subset` (sample indices, e.g. a training run's validation split) when it is not empty.
/// Neither the model nor the data set changes (the model's preprocessing is applied to batches only).
/// Throws Error(ErrorKind::Cancelled) when `cancel` is cancelled.
Evaluation evaluate(const Model& model, const Dataset& data, int k = 5, const ProgressCallback& progress = {},
    const CancelToken* cancel = nullptr, const std::vector<std::int64_t>& subset = {});

nlohmann::json toJson(const TrainResult& result);
nlohmann::json toJson(const Evaluation& evaluation);

} // namespace maas::engine
