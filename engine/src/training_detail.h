// Engine-internal: what distillation adds to a training run.
#pragma once

#include <torch/script.h>

#include "maas/engine/training.h"

namespace maas::engine {

/// A teacher's answers for every sample of a data set, which a student learns from beside the labels.
struct SoftTargets {
    at::Tensor logits; ///< [samples, classes], the teacher's logits in the data set's sample order
    double temperature = 4.0; ///< both sides' logits are divided by it before the softmax
    double alpha = 0.5; ///< the share of the loss that is the soft targets' (the rest is the labels')
};

/// train(), with each step's loss (1 - alpha) * cross-entropy + alpha * T² * KL(teacher_T || student_T)
/// when `soft` is given (Hinton et al., 2015: T² keeps the soft part's gradients at the labels' scale).
TrainResult trainWith(Model& model, Dataset& data, const TrainOptions& options, const ProgressCallback& progress,
    const CancelToken* cancel, const SoftTargets* soft);

} // namespace maas::engine
