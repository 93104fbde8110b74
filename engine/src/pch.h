// Precompiled header for the engine: LibTorch's headers take ~25 s per translation unit otherwise.
#pragma once
#include <torch/script.h>
#include <torch/torch.h>
#include <nlohmann/json.hpp>
