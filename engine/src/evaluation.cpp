// Scoring a model on a labelled data set.
#include "maas/engine/training.h"

#include "feeder.h"
#include "maas/engine/error.h"

namespace maas::engine {

namespace {

// What the batches add up to, before the confusion matrix is counted.
struct Tally {
    std::vector<std::int64_t> predictions;
    double loss = 0, topK = 0;
    std::int64_t classes = 0;
};

void checkSubset(const Dataset& data, const std::vector<std::int64_t>& subset)
{
    for (auto i : subset)
        if (i < 0 || i >= data.size())
            throw Error(ErrorKind::InvalidInput, "sample " + std::to_string(i) + " is not in " + data.path() + ".");
}

// Runs the model over the samples (all of `data`, or `subset`) in batches of 512.
Tally scoreBatches(Feeder& feeder, const Dataset& data, std::int64_t samples, int k, const ProgressCallback& progress,
    const CancelToken* cancel, const std::vector<std::int64_t>& subset)
{
    const auto& d = data.impl();
    Tally t;
    const auto all = subset.empty() ? torch::arange(data.size(), at::kLong) : torch::tensor(subset, at::kLong);
    const auto maxLabel = data.size() ? d.labels.max().item<std::int64_t>() : 0;
    c10::InferenceMode guard;
    for (std::int64_t start = 0; start < samples; start += 512) {
        if (cancel && cancel->cancelled())
            throw Error(ErrorKind::Cancelled, "evaluation cancelled.");
        const auto idx = all.slice(0, start, std::min<std::int64_t>(start + 512, samples));
        at::Tensor logits;
        try {
            logits = feeder.logits(idx);
        } catch (const std::exception& ex) {
            throw Error(ErrorKind::InvalidInput,
                "the model could not run on " + data.path() + " (" + torchMessage(ex)
                    + "); check that it was made for this data.");
        }
        t.classes = logits.size(1);
        if (maxLabel >= t.classes)
            throw Error(ErrorKind::InvalidInput,
                data.path() + " has labels up to " + std::to_string(maxLabel) + " but the model has "
                    + std::to_string(t.classes) + " outputs.");
        const auto y = d.labels.index_select(0, idx);
        t.loss += torch::nn::functional::cross_entropy(
            logits, y, torch::nn::functional::CrossEntropyFuncOptions().reduction(torch::kSum))
                      .item<double>();
        const auto top = std::get<1>(logits.topk(std::min<std::int64_t>(k, t.classes), 1));
        t.topK += top.eq(y.unsqueeze(1)).any(1).sum().item<double>();
        const auto predicted = logits.argmax(1);
        t.predictions.insert(t.predictions.end(), predicted.data_ptr<std::int64_t>(),
            predicted.data_ptr<std::int64_t>() + predicted.numel());
        if (progress) {
            Progress p;
            p.fraction = static_cast<double>(start + idx.numel()) / static_cast<double>(samples);
            p.message = "evaluating";
            progress(p);
        }
    }
    return t;
}

// Fills e.confusion from the predictions and returns how many were right.
std::int64_t countConfusion(Evaluation& e, const Tally& t, const Dataset& data, const std::vector<std::int64_t>& subset)
{
    const auto n = static_cast<std::size_t>(t.classes);
    e.confusion.assign(n, std::vector<std::int64_t>(n, 0));
    const auto labels = data.labels();
    std::int64_t correct = 0;
    for (std::size_t i = 0; i < t.predictions.size(); ++i) {
        const auto truth = labels[static_cast<std::size_t>(subset.empty() ? static_cast<std::int64_t>(i) : subset[i])];
        ++e.confusion[static_cast<std::size_t>(truth)][static_cast<std::size_t>(t.predictions[i])];
        correct += truth == t.predictions[i];
    }
    return correct;
}

// Precision, recall and F1 of each class, from the confusion matrix.
void fillPerClass(Evaluation& e)
{
    const auto n = e.confusion.size();
    for (std::size_t c = 0; c < n; ++c) {
        std::int64_t predictedAs = 0, actual = 0;
        for (std::size_t o = 0; o < n; ++o) {
            predictedAs += e.confusion[o][c];
            actual += e.confusion[c][o];
        }
        ClassMetrics m;
        m.label = c < e.classes.size() ? e.classes[c] : std::to_string(c);
        m.support = actual;
        m.precision = predictedAs ? static_cast<double>(e.confusion[c][c]) / static_cast<double>(predictedAs) : 0.0;
        m.recall = actual ? static_cast<double>(e.confusion[c][c]) / static_cast<double>(actual) : 0.0;
        m.f1 = m.precision + m.recall > 0 ? 2 * m.precision * m.recall / (m.precision + m.recall) : 0.0;
        e.perClass.push_back(m);
    }
}

} // namespace

Evaluation evaluate(const Model& model, const Dataset& data, int k, const ProgressCallback& progress,
    const CancelToken* cancel, const std::vector<std::int64_t>& subset)
{
    auto& impl = model.impl();
    const auto& card = impl.card;
    const bool textModel = !card.inputs.empty() && card.inputs.front().dtype == DataType::Bytes;
    if (textModel != (data.kind() == DataKind::Text))
        throw Error(ErrorKind::InvalidInput,
            data.path() + " does not fit the model: one holds text and the other takes tensors.");
    // The data set is left as it is: the model's normalization goes to the Feeder, not into the data.
    const auto& d = data.impl();
    auto pre = modelPreprocessing(d, card.preprocessing);
    const ThreadLease threads(impl.workload);
    auto module = impl.module; // shares the model's module, which must not change: a loaded model is in eval mode
    if (module.is_training())
        module.train(false);
    Feeder feeder(module, d, std::move(pre));
    if (d.kind == DataKind::Text)
        feeder.tokenize();

    Evaluation e;
    e.k = k;
    checkSubset(data, subset);
    e.samples = subset.empty() ? data.size() : static_cast<std::int64_t>(subset.size());
    e.classes = card.labels.empty() ? data.classes() : card.labels;
    auto tally = guardModelRun(
        "scoring " + data.path(), [&] { return scoreBatches(feeder, data, e.samples, k, progress, cancel, subset); });
    const std::int64_t correct = countConfusion(e, tally, data, subset);
    fillPerClass(e);
    const auto total = static_cast<double>(std::max<std::int64_t>(1, e.samples));
    e.loss = tally.loss / total;
    e.accuracy = static_cast<double>(correct) / total;
    e.topK = tally.topK / total;
    e.predictions = std::move(tally.predictions);
    return e;
}

nlohmann::json toJson(const Evaluation& e)
{
    nlohmann::json perClass = nlohmann::json::array();
    for (const auto& c : e.perClass)
        perClass.push_back({ { "label", c.label }, { "precision", c.precision }, { "recall", c.recall }, { "f1", c.f1 },
            { "support", c.support } });
    return { { "samples", e.samples }, { "loss", e.loss }, { "accuracy", e.accuracy }, { "top_k", e.topK },
        { "k", e.k }, { "classes", e.classes }, { "confusion", e.confusion }, { "per_class", perClass } };
}

} // namespace maas::engine
