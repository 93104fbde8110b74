// Engine-internal: size arithmetic that cannot overflow, and the guard that turns a failed allocation into
// a sentence. The limits themselves are in maas/engine/limits.h.
#pragma once

#include <cstdint>
#include <new>
#include <string>
#include <vector>

#include "maas/engine/error.h"
#include "maas/engine/limits.h"

namespace maas::engine {

/// The product of `sizes`, or -1 when it overflows 64 bits or a size is negative: a header's claim is
/// checked with this before anything is allocated for it.
std::int64_t checkedProduct(const std::vector<std::int64_t>& sizes);

/// a x b, or -1 when either is negative or the product overflows.
std::int64_t checkedProduct(std::int64_t a, std::int64_t b);

/// Why an image of width x height is refused before it is decoded ("20000x20000 pixels, more than the limit
/// of 64 megapixels"), or "" when its size is within limits::kImageSide and limits::kImagePixels.
std::string imageSizeProblem(std::int64_t width, std::int64_t height);

/// True when `e` (a std::bad_alloc, or LibTorch's "can't allocate memory") says an allocation failed.
bool isAllocationFailure(const std::exception& e);

/// The sentence for an allocation that failed although the sizes were within the limits (the machine's
/// free memory is less than its physical memory): `what` says what needed it ("reading data.csv").
Error outOfMemory(const std::string& what);

/// Runs `work`; a failed allocation inside it becomes outOfMemory(what), so std::bad_alloc never reaches a
/// user as it is.
template <typename F> auto guardMemory(const std::string& what, F&& work) -> decltype(work())
{
    try {
        return work();
    } catch (const Error&) {
        throw;
    } catch (const std::exception& e) {
        if (isAllocationFailure(e))
            throw outOfMemory(what);
        throw;
    }
}

} // namespace maas::engine
