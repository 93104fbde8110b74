#pragma once

#include <QList>
#include <QMetaType>
#include <QString>
#include <QStringList>

#include <memory>

#include "maas/app/jobs.h"
#include "maas/app/library.h"

namespace maas::engine {
class Model;
}

namespace maas::app {

/// What the Optimize page can do to a model.
enum class Optimization {
    ConvertForCpu, ///< freeze and rewrite for CPU inference (maas::engine::convertForTarget)
    ConvertForMobile, ///< optimize_for_mobile: XNNPACK's prepacked kernels, for phones (convertForTarget)
    Quantize, ///< int8 (maas::engine::quantizeDynamic, quantizeStatic) or 16-bit weights
    Prune, ///< the smallest weights set to zero (maas::engine::prune)
    Distill, ///< a new student trained on the model's answers (maas::engine::distill)
};

/// An optimization as the workbench asks for it: a library model, where the result is written, and an
/// optional data set to measure accuracy on.
struct OptimizeRequest {
    Optimization operation = Optimization::ConvertForCpu;
    QString libraryFolder;
    QString modelPath;
    QString dataPath; ///< empty: no accuracy
    qint64 sampleLimit = 0; ///< 0: all samples
    double tolerance = 1e-4; ///< the largest output difference allowed (see maas::engine::ConversionOptions)
    QString dtype = QStringLiteral("int8"); ///< quantization: int8, fp16 or bf16 (maas::engine::QuantizeOptions)
    QString engine; ///< quantization: one of quantizedEngines(); empty: the faster, measured
    double maxDrop = qQNaN(); ///< quantization: accuracy points the model may lose on the data; NaN: none
    /// int8: "dynamic", or "static" (activations too, calibrated on the data set's training split)
    QString mode = QStringLiteral("dynamic");
    qint64 calibrationSamples = 512; ///< static int8: samples calibrated on
    double sparsity = 0.5; ///< pruning: the share of weights set to zero
    bool perLayer = false; ///< pruning: the same share in every layer, not one threshold over all
    bool structured = false; ///< pruning: whole channels and neurons removed, so the layers shrink
    int steps = 1; ///< pruning: steps to the sparsity
    int fineTuneEpochs = 0; ///< pruning: epochs of training on the data set after each step
    QString studentSpec; ///< distillation: the student's spec as JSON (maas::engine::buildModel), {"arch": "mlp"}
    double temperature = 2.0; ///< distillation (see maas::engine::DistillOptions)
    double alpha = 0.5; ///< distillation: the teacher's share of the loss
    int epochs = 10; ///< distillation: the student's epochs
    bool baseline = true; ///< distillation: also train the student alone, for its accuracy
};

/// The quantized engines this build has ("onednn", "qnnpack").
QStringList quantizedEngines();

/// The numbers a variant is chosen by, in Qt's types for the pages (see maas::engine::VariantFacts).
struct VariantNumbers {
    qint64 fileBytes = 0, gzipBytes = 0;
    qint64 weights = 0, nonzero = 0;
    double latencyBatch1Ms = 0, latencyBatch16Ms = 0;
    double accuracy = qQNaN();
};

/// One layer of an optimization's report (see maas::engine::LayerReport).
struct LayerRow {
    QString layer;
    QString shape; ///< "256x784"
    QString form; ///< "int8", "fp32"
    double accuracyDrop = qQNaN(); ///< points lost with this layer alone changed; NaN: not measured
    double sparsity = qQNaN(); ///< the share of its weights that are zero; NaN: not counted
    qint64 channelsBefore = 0; ///< structured pruning: output channels before (after: the shape's first size)
    qint64 channelsAfter = 0;
    QString keptBecause; ///< structured pruning: why the layer kept its channels (the engine's words)
};

/// A finished optimization, ready for Library::commitImport on the UI thread.
struct OptimizedModel {
    PreparedImport model;
    VariantNumbers before, after;
    double difference = 0, tolerance = 0;
    QString engine; ///< the quantized engine chosen; empty for other operations
    bool engineMeasured = false; ///< chosen as the faster on the model, not as asked
    QList<LayerRow> layers;
    double baselineAccuracy = qQNaN(); ///< distillation: the student trained alone; NaN: not trained
};

/// One variant of a sweep, held in memory until the user keeps it (keepVariant) or the sweep is dropped.
struct SweepPoint {
    double sparsity = 0;
    VariantNumbers parent, numbers; ///< the model swept, and this variant
    double difference = 0; ///< as OptimizedModel::difference
    QList<LayerRow> layers;
    std::shared_ptr<const maas::engine::Model> model;
};

/// A sweep's variants, with the numbers of the model they were made from.
struct SweepResult {
    VariantNumbers parent;
    QList<SweepPoint> points;
};

/// Prunes the request's model once for each sparsity (the request's other pruning settings apply to all)
/// and measures each variant; meant to run inside a job. Nothing is written.
SweepResult runSweep(const OptimizeRequest& request, const QList<double>& sparsities, const JobContext& context);

/// Writes one swept variant into the library's folder, ready for Library::commitImport.
PreparedImport prepareVariant(const QString& libraryFolder, const SweepPoint& point);

/// Two library models to compare, and an optional data set to measure accuracy on.
struct CompareRequest {
    QString pathA, pathB;
    QString dataPath; ///< empty: no accuracy
    qint64 sampleLimit = 0; ///< 0: all samples
};

/// One layer in both models (see maas::engine::LayerComparison).
struct LayerDiff {
    QString layer;
    bool inA = false, inB = false;
    QString shapeA, shapeB; ///< "64x32x3x3"
    QString formA, formB; ///< "fp32", "int8"
    double zerosA = qQNaN(), zerosB = qQNaN();
    QString change; ///< "same", "reshaped", "retyped", "sparser", "denser", "reweighted", "removed", "added"
};

struct OperatorDiff {
    QString op;
    qint64 a = 0, b = 0;
};

/// Two models side by side.
struct Comparison {
    QString nameA, nameB;
    QString relation; ///< "B was made from A by quantize" (the engine's words); empty when unrelated
    VariantNumbers a, b;
    QList<LayerDiff> layers;
    QList<OperatorDiff> operators; ///< every operator either model runs
};

/// Compares as `request` says (maas::engine::compareModels); meant to run inside a job.
Comparison runCompare(const CompareRequest& request, const JobContext& context);

/// Optimizes as `request` says; meant to run inside a job. Throws maas::engine::Error (Cancelled when the
/// job was cancelled) and leaves nothing behind.
OptimizedModel runOptimize(const OptimizeRequest& request, const JobContext& context);

} // namespace maas::app

Q_DECLARE_METATYPE(std::shared_ptr<maas::app::OptimizedModel>)
Q_DECLARE_METATYPE(std::shared_ptr<maas::app::SweepResult>)
Q_DECLARE_METATYPE(std::shared_ptr<maas::app::Comparison>)
