#pragma once

#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "maas/engine/model.h"
#include "maas/engine/progress.h"
#include "maas/engine/training.h"

namespace maas::engine {

class CancelToken;
class Dataset;

/// The numbers people choose a model variant by, measured the same way for a model and for what an
/// optimization made of it.
struct VariantFacts {
    std::int64_t fileBytes = 0; ///< the model as it would be written, card included
    std::int64_t gzipBytes = 0; ///< the same, gzip-compressed (what zeros save on the wire and in storage)
    std::int64_t parameters = 0; ///< parameter and constant elements (a frozen model keeps its weights as constants)
    std::int64_t nonzero = 0; ///< of those, the ones that are not zero
    double latencyBatch1Ms = 0; ///< median of timed calls on inputs of the card's shapes
    double latencyBatch16Ms = 0;
    double accuracy = std::numeric_limits<double>::quiet_NaN(); ///< on the data given; NaN without data
};

/// Measures a model: its size as written, its parameters, its median latency at batch 1 and 16 and, when
/// `data` is given, its accuracy on it. Polls `cancel` between timed calls (throws Error(Cancelled)).
VariantFacts measureVariant(const Model& model, const Dataset* data, const CancelToken* cancel = nullptr);

/// Where a converted model will run.
enum class Target {
    Cpu, ///< servers and desktops: frozen (batch-norm folded into convolutions), then optimize_for_inference
         ///< in memory at every load (oneDNN's weight layouts cannot be written to a file)
    /// phones: LibTorch's optimize_for_mobile (frozen, batch-norm folded, dropout gone, Conv2d and Linear on
    /// XNNPACK's prepacked kernels with their clamps fused); saveForLiteInterpreter writes the .ptl phones
    /// load. XNNPACK is made for ARM and runs in one thread here (runtime.cpp): a small CNN got faster on
    /// this x86 machine, mobilenet_v2 slower than oneDNN's two threads; the latency measured here is not
    /// the phone's.
    Mobile,
};
std::optional<Target> targetFromString(const std::string& name);
std::string toString(Target target);

struct ConversionOptions {
    Target target = Target::Cpu;
    /// The largest difference allowed between the outputs before and after on a sample batch, relative to
    /// the outputs' scale (absolute below 1): max |after - before| <= tolerance * max(1, max |before|).
    double tolerance = 1e-4;
};

/// One layer in an optimization's report.
struct LayerReport {
    std::string layer; ///< its module path, such as "classifier.1"
    std::vector<std::int64_t> shape; ///< its weight's
    std::string form; ///< what it became: "int8", "sparse", or "fp32" for a layer kept as it was
    /// Accuracy points lost when this layer alone is changed (measured for an accuracy budget; NaN otherwise).
    double accuracyDrop = std::numeric_limits<double>::quiet_NaN();
    double sparsity = std::numeric_limits<double>::quiet_NaN(); ///< the fraction of its weights that are zero
    /// Structured pruning: the layer's output channels (neurons) before; after is shape[0]. 0 otherwise.
    std::int64_t channelsBefore = 0;
    std::string keptBecause {}; ///< structured pruning: why the layer kept them all ("its outputs are the model's")
};

/// Checks the options on their own, before any model is read: Error(InvalidInput, field "tolerance").
void checkConversionOptions(const ConversionOptions& options);

/// What an optimization made, with the numbers before and after.
struct Optimized {
    Model model;
    VariantFacts before, after;
    double difference = 0; ///< max |after - before| on the sample batch, scaled as ConversionOptions::tolerance
    double tolerance = 0;
    std::string operation; ///< as the card's lineage names it: "optimize", "quantize"
    nlohmann::json settings = nlohmann::json::object(); ///< what was asked and what was chosen
    std::vector<LayerReport> layers; ///< the layers the operation looked at, in graph order
    /// Distillation: the accuracy of the student trained alone (same data, options and seed) on the data the
    /// facts were measured on (without such data, on its validation split); NaN when it was not trained.
    double baselineAccuracy = std::numeric_limits<double>::quiet_NaN();
};

/// Freezes the model for inference and applies LibTorch's passes for `target` (torch.jit.freeze with its
/// frozen-graph rewrites: parameters become constants, batch-norm and add/mul fold into convolutions,
/// dropout goes) and, in memory, LibTorch's optimize_for_inference (convolutions on oneDNN's weight layouts;
/// the file keeps the frozen module, and the target, so every load makes that step again), keeps its card
/// (with lineage: the parent's SHA-256, the operation and its settings, the facts before and after), and checks that
/// its outputs on a seeded sample batch stay within the tolerance: throws Error(InvalidModel) past it, naming both
/// numbers. `data` (may be null) adds accuracy to the facts. The input model is not changed.
Optimized convertForTarget(
    const Model& model, const ConversionOptions& options, const Dataset* data, const CancelToken* cancel = nullptr);

/// The model as the endpoint serves it: converted for the CPU as convertForTarget does (frozen, then
/// optimize_for_inference), in memory only and without measuring it, its outputs on the sample batch checked
/// against the model as it is (Error(InvalidModel) past `tolerance`). A quantized model, or one converted for a
/// target already, comes back as it is. `difference` (may be null) gets the difference measured (0 when
/// nothing was converted).
Model convertedForServing(const Model& model, double tolerance = 1e-4, double* difference = nullptr);

/// Writes a model converted for Target::Mobile as LibTorch Lite's bytecode archive (.ptl: what
/// torch.jit.mobile._load_for_lite_interpreter and the Android and iOS runtimes load), with its card, whole or
/// not at all. Throws Error(InvalidModel) for a model not converted for the mobile target.
void saveForLiteInterpreter(const Model& model, const std::string& path);

/// The quantized engines this LibTorch has, of those the workbench uses ("onednn", "qnnpack").
std::vector<std::string> quantizedEngines();

struct QuantizeOptions {
    /// "int8" (dynamic, Linear layers), or "fp16" / "bf16": every weight (a constant of two or more axes
    /// in the frozen graph) stored in 16 bits, cast to fp32 when the model loads: half the file, fp32's
    /// speed. Engine and budget are int8's.
    std::string dtype = "int8";
    /// One of quantizedEngines(); empty: each is tried on the model and the faster one kept.
    std::string engine;
    /// Accuracy points the quantized model may lose on the data (0.5: half a point); NaN: every layer is
    /// quantized. Needs data.
    double maxDrop = std::numeric_limits<double>::quiet_NaN();
    /// As ConversionOptions::tolerance; int8 weights move outputs by about a percent of their scale.
    double tolerance = 0.1;
    /// int8: "dynamic" (Linear layers; inputs quantized on each call, no calibration) or "static" (Conv and
    /// Linear layers on int8 activations too, their ranges calibrated on data: quantizeStatic).
    std::string mode = "dynamic";
    std::int64_t calibrationSamples = 512; ///< static: samples of the calibration data observed, 1 to 1,000,000
};

/// Checks quantization's options on their own, before any model or data is read: Error(InvalidInput) with
/// the field ("tolerance", "engine", "max_drop"). quantizeDynamic checks them again.
void checkQuantizeOptions(const QuantizeOptions& options, bool hasData);

/// Dynamic int8 quantization of a TorchScript model, whatever made it: every Linear layer with fixed
/// weights (nn.Linear, attention's projections, a functional linear on a parameter) gets per-channel
/// symmetric int8 weights packed for the quantized engine, and its input is quantized on each call
/// (quantized::linear_dynamic, what torch.ao.quantization.quantize_dynamic_jit makes). With a budget,
/// each layer's accuracy drop alone is measured on `data` and the most sensitive layers stay in fp32 until
/// the whole model's drop is within it. The engine is recorded in the model, which loads with it.
/// Throws Error(InvalidModel) for a model that is already quantized, has no such layer, drifts past the
/// tolerance or cannot meet the budget; Error(InvalidInput) for options that cannot work.
Optimized quantizeDynamic(
    const Model& model, const QuantizeOptions& options, const Dataset* data, const CancelToken* cancel = nullptr);

/// Static int8 post-training quantization of a TorchScript model over one float input (images, tables):
/// each Conv2d and Linear layer of forward with fixed weights (batch-norm folded in by freezing) gets
/// per-channel symmetric int8 weights, and the activations between them are int8 too (per-tensor affine,
/// 7 bits), their ranges the smallest and largest values seen on `calibrationSamples` samples of
/// `calibration` (spread over it). A ReLU right after a layer is fused into it; pooling, ReLU and flatten
/// run on int8 tensors; anything else gets float values. Engine and budget as quantizeDynamic (the budget
/// measured on `evalData`); the tolerance is checked on calibration samples. Throws Error(InvalidModel) for
/// a model with no such layer, one that is quantized already or takes other inputs (a text model), or one
/// that drifts past the tolerance.
Optimized quantizeStatic(const Model& model, const QuantizeOptions& options, const Dataset& calibration,
    const Dataset* evalData, const CancelToken* cancel = nullptr);

struct PruneOptions {
    /// The fraction of the prunable weights set to zero (structured: of each layer's channels or neurons
    /// removed): above 0 and below 1.
    double sparsity = 0.5;
    /// Remove whole output channels (convolutions) and neurons (Linear layers), with what consumes them
    /// (batch-norm, the next layer's inputs), so the layers really shrink; the same share in each layer
    /// that can lose them (`global` does not apply).
    bool structured = false;
    /// One magnitude threshold over all layers (layers that matter less lose more); false: the same
    /// fraction in each layer.
    bool global = true;
    int steps = 1; ///< reach the sparsity in this many equal steps, fine-tuning after each
    int fineTuneEpochs = 0; ///< epochs of training after each step (needs training data); zeros stay zero
    TrainOptions training; ///< how fine-tuning trains (its epochs are fineTuneEpochs)
};

/// Checks pruning's options on their own, before any model or data is read: Error(InvalidInput) with the
/// field ("sparsity", "steps", "epochs" and the training options'). prune checks them again.
void checkPruneOptions(const PruneOptions& options, bool hasTuneData);

/// Unstructured magnitude pruning: the weights of the Linear and convolution layers (every parameter
/// named `weight` with two or more axes, embeddings left out) with the smallest magnitudes become zero,
/// one-shot or in steps with fine-tuning between them on `tuneData` (the zeros kept zero). The model keeps
/// its shapes and parameters, so it trains and runs as before; it shrinks when compressed (VariantFacts::
/// gzipBytes) and in nonzero weights. `evalData` (may be null) adds accuracy. The per-layer report gives
/// each layer's sparsity. Throws Error(InvalidInput) for options that cannot work, Error(InvalidModel)
/// for a model with no such weights.
///
/// Structured (PruneOptions::structured): follows forward's graph from each Conv or Linear layer to the
/// layer that consumes its output, through batch-norm, activations, pooling, dropout and a flatten; when
/// that path is a chain (one consumer, no residual add or concatenation, no grouped convolution), the
/// layer loses the share of its output channels with the smallest batch-norm scales (else the smallest
/// L1 norms), and its batch-norm and its consumer's inputs lose them too. The model's last layer keeps
/// its outputs. The report names each layer's channels before and after, or what stopped it; a model
/// where no layer can be narrowed is Error(InvalidModel) naming the first layer and why.
Optimized prune(const Model& model, const PruneOptions& options, Dataset* tuneData, const Dataset* evalData,
    const ProgressCallback& progress = {}, const CancelToken* cancel = nullptr);

struct DistillOptions {
    /// Softens both models' answers: above 0, at most 100. 2 and a share of 0.5 distilled best of {2, 4} x
    /// {0.5, 0.9} from a Fashion-MNIST CNN (90.8%) into a 32-unit MLP: 86.2% against 85.5% alone, 5 epochs.
    double temperature = 2.0;
    double alpha = 0.5; ///< the share of the loss taken from the teacher's answers (the rest from labels): 0 to 1
    bool baseline = true; ///< also train the student alone, the same way, to show what the teacher adds
    TrainOptions training; ///< how the student trains
};

/// Checks distillation's options on their own, before any model or data is read: Error(InvalidInput) with
/// the field ("temperature", "alpha" and the training options').
void checkDistillOptions(const DistillOptions& options);

/// completeSpec() for a distillation's student: the data fills what the spec leaves open, and a spec with
/// no name names the student after its teacher.
nlohmann::json completeStudentSpec(nlohmann::json spec, const Model& teacher, const Dataset& data);

/// Knowledge distillation: trains `student` (a new model, usually a smaller one built for the data) on
/// `trainData` from the labels and from `teacher`'s answers softened by the temperature, and, unless told
/// not to, the same student alone for comparison. The facts before are the teacher's, after the student's;
/// `evalData` (may be null) adds accuracy, and the student-alone accuracy (Optimized::baselineAccuracy).
/// The result's card is the trained student's, with the teacher as its parent. Throws Error(InvalidModel)
/// when teacher and student do not answer with the same number of classes, or the teacher does not fit the
/// data; Error(Cancelled) when cancelled.
Optimized distill(const Model& teacher, const Model& student, Dataset& trainData, const Dataset* evalData,
    const DistillOptions& options, const ProgressCallback& progress = {}, const CancelToken* cancel = nullptr);

nlohmann::json toJson(const VariantFacts& facts);
nlohmann::json toJson(const Optimized& optimized);
nlohmann::json toJson(const std::vector<LayerReport>& layers);

} // namespace maas::engine
