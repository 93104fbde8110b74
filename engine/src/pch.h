// Precompiled header for the engine: LibTorch's headers take ~25 s per translation unit otherwise.
#pragma once
#include <nlohmann/json.hpp>
#include <torch/script.h>
#include <torch/torch.h>
