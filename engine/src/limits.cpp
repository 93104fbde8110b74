#include "maas/engine/limits.h"

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <limits>

#include <unistd.h>

#include "sizes.h"

namespace maas::engine {

std::int64_t physicalMemoryBytes()
{
    const long pages = ::sysconf(_SC_PHYS_PAGES), size = ::sysconf(_SC_PAGE_SIZE);
    return pages > 0 && size > 0 ? static_cast<std::int64_t>(pages) * size : std::int64_t { 4 } << 30;
}

std::int64_t dataBytesLimit() { return std::min(limits::kDataBytes, physicalMemoryBytes() / 2); }

std::string byteSize(double bytes)
{
    static const char* units[] = { "bytes", "KB", "MB", "GB", "TB", "PB", "EB" };
    int unit = 0;
    while (bytes >= 1000.0 && unit < 6) {
        bytes /= 1000.0;
        ++unit;
    }
    char text[64];
    std::snprintf(text, sizeof text, unit == 0 ? "%.0f %s" : "%.1f %s", bytes, units[unit]);
    return text;
}

std::int64_t checkedProduct(std::int64_t a, std::int64_t b)
{
    if (a < 0 || b < 0)
        return -1;
    if (a != 0 && b > std::numeric_limits<std::int64_t>::max() / a)
        return -1;
    return a * b;
}

std::int64_t checkedProduct(const std::vector<std::int64_t>& sizes)
{
    std::int64_t product = 1;
    for (const auto s : sizes)
        if ((product = checkedProduct(product, s)) < 0)
            return -1;
    return product;
}

std::string imageSizeProblem(std::int64_t width, std::int64_t height)
{
    if (width <= limits::kImageSide && height <= limits::kImageSide && width * height <= limits::kImagePixels)
        return {};
    return std::to_string(width) + "x" + std::to_string(height) + " pixels, more than the limit of "
        + std::to_string(limits::kImagePixels >> 20) + " megapixels and " + std::to_string(limits::kImageSide)
        + " pixels a side";
}

bool isAllocationFailure(const std::exception& e)
{
    return dynamic_cast<const std::bad_alloc*>(&e) != nullptr
        || std::strstr(e.what(), "can't allocate memory") != nullptr;
}

Error outOfMemory(const std::string& what)
{
    return Error(ErrorKind::Io,
        what + " needs more memory than is free on this machine (" + byteSize(double(physicalMemoryBytes()))
            + " in all); close other programs or give smaller data or layers.");
}

} // namespace maas::engine
