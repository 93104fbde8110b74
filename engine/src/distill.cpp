// Knowledge distillation: a student learns from the labels and from a teacher's softened answers.
#include <cmath>

#include "dataset_impl.h"
#include "feeder.h"
#include "maas/engine/architectures.h"
#include "maas/engine/error.h"
#include "maas/engine/optimize.h"
#include "optimize_detail.h"
#include "torch_bridge.h"
#include "training_detail.h"

namespace maas::engine {

void checkDistillOptions(const DistillOptions& options)
{
    if (!(options.temperature > 0 && options.temperature <= 100))
        throw Error(ErrorKind::InvalidInput,
            "the distillation temperature must be above 0 and at most 100 (2 to 8 is usual).", "temperature",
            "must be above 0 and at most 100, such as 2.");
    if (!(options.alpha >= 0 && options.alpha <= 1))
        throw Error(ErrorKind::InvalidInput,
            "the teacher's share of the loss must be from 0 (labels only) to 1 (the teacher only).", "alpha",
            "must be from 0 to 1, such as 0.5.");
    checkTrainOptions(options.training);
}

nlohmann::json completeStudentSpec(nlohmann::json spec, const Model& teacher, const Dataset& data)
{
    const bool textStudent = spec.is_object() && spec.value("arch", nlohmann::json()) == "text";
    if (spec.is_object() && data.kind() == DataKind::Text && !textStudent)
        throw Error(ErrorKind::InvalidInput, "a text data set needs a text student: give the student as text.", "arch",
            "must be text for a text data set.");
    if (spec.is_object() && data.kind() != DataKind::Text && textStudent)
        throw Error(ErrorKind::InvalidInput, "a text student learns from texts, and this data set has none.", "arch",
            "must be mlp, cnn or rnn for this data set.");
    if (spec.is_object() && !spec.contains("name"))
        spec["name"] = (teacher.card().name.empty() ? std::string("model") : teacher.card().name) + " student";
    return completeSpec(std::move(spec), data);
}

namespace {

// The teacher's logits for every sample of the data set, in sample order, made with the teacher's own
// preprocessing (or tokenizer). Not in inference mode: training keeps them for its backward pass.
at::Tensor teacherLogits(const Model& teacher, const Dataset& data, const CancelToken* cancel)
{
    const auto& d = data.impl();
    torch::jit::Module module = teacher.impl().module; // a handle: runs the teacher as it is loaded
    Feeder feeder(module, d, modelPreprocessing(d, teacher.card().preprocessing));
    const ThreadLease threads(teacher.impl().workload);
    const torch::NoGradGuard noGrad;
    std::vector<at::Tensor> parts;
    try {
        guardMemory("the teacher's answers on " + data.path(), [&] {
            if (d.kind == DataKind::Text)
                feeder.tokenize();
            const auto all = at::arange(data.size(), at::kLong);
            for (std::int64_t start = 0; start < data.size(); start += 1024) {
                if (cancel && cancel->cancelled())
                    throw Error(ErrorKind::Cancelled, "distillation cancelled; nothing was written.");
                parts.push_back(feeder.logits(all.slice(0, start, std::min<std::int64_t>(start + 1024, data.size())))
                                    .to(at::kFloat));
            }
        });
    } catch (const Error&) {
        throw;
    } catch (const std::exception& e) {
        throw Error(ErrorKind::InvalidInput,
            "the teacher could not run on " + data.path() + " (" + torchMessage(e)
                + "); choose a teacher made for this data.");
    }
    auto logits = at::cat(parts);
    if (logits.dim() != 2 || logits.size(1) != static_cast<std::int64_t>(data.classes().size()))
        throw Error(ErrorKind::InvalidModel,
            "the teacher answers with " + std::to_string(logits.dim() == 2 ? logits.size(1) : logits.numel())
                + " class scores per sample, but the data set has " + std::to_string(data.classes().size())
                + " classes: choose a teacher trained for this data.");
    if (!logits.isfinite().all().item<bool>())
        throw Error(ErrorKind::InvalidModel,
            "the teacher gives NaN or infinite scores on this data, which no student can learn from; check the "
            "teacher on it with maas eval.");
    return logits;
}

// A progress callback that reports `from`..`to` of the whole for a part's 0..1.
ProgressCallback share(const ProgressCallback& whole, double from, double to)
{
    if (!whole)
        return {};
    return [=](const Progress& p) {
        auto q = p;
        q.fraction = from + (to - from) * p.fraction;
        whole(q);
    };
}

// The student's accuracy trained alone, on `evalData`, or on the run's validation split without it.
double trainAlone(const Model& student, Dataset& trainData, const Dataset* evalData, const DistillOptions& options,
    const ProgressCallback& progress, const CancelToken* cancel)
{
    Model alone = student;
    const auto run = train(alone, trainData, options.training, progress, cancel);
    if (run.cancelled)
        throw Error(ErrorKind::Cancelled, "distillation cancelled; nothing was written.");
    if (evalData)
        return evaluate(alone, *evalData, 5, {}, cancel).accuracy;
    return run.history.empty() ? std::nan("") : run.history.back().validationAccuracy;
}

} // namespace

Optimized distill(const Model& teacher, const Model& student, Dataset& trainData, const Dataset* evalData,
    const DistillOptions& options, const ProgressCallback& progress, const CancelToken* cancel)
{
    checkDistillOptions(options);
    ensureThreadsConfigured();
    const auto studentClasses = student.card().labels.size();
    if (!student.card().labels.empty() && studentClasses != trainData.classes().size())
        throw Error(ErrorKind::InvalidModel,
            "the student answers with " + std::to_string(studentClasses) + " classes and the data set has "
                + std::to_string(trainData.classes().size()) + ": build the student for this data.");
    SoftTargets soft { teacherLogits(teacher, trainData, cancel), options.temperature, options.alpha };
    Model distilled = student;
    const double split = options.baseline ? 0.5 : 1.0;
    const auto run = trainWith(distilled, trainData, options.training, share(progress, 0, split), cancel, &soft);
    if (run.cancelled)
        throw Error(ErrorKind::Cancelled, "distillation cancelled; nothing was written.");
    Optimized result { distilled, {}, {}, std::nan(""), std::nan(""), "distill",
        { { "temperature", options.temperature }, { "alpha", options.alpha }, { "epochs", options.training.epochs },
            { "seed", options.training.seed }, { "student", student.card().name } },
        {} };
    if (options.baseline)
        result.baselineAccuracy = trainAlone(student, trainData, evalData, options, share(progress, split, 1), cancel);
    if (!std::isnan(result.baselineAccuracy))
        result.settings["student_alone_accuracy"] = result.baselineAccuracy;
    finishOptimization(teacher, result, evalData, cancel, /*ownCard=*/true);
    return result;
}

} // namespace maas::engine
