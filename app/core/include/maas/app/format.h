#pragma once

#include <QString>
#include <cstdint>
#include <vector>

namespace maas::app {

/// 11,689,512 -> "11.7 M"; below ten thousand the exact number with separators.
QString formatCount(std::int64_t n);
/// 46884845 -> "44.7 MB" (binary multiples, as file managers show them).
QString formatBytes(std::int64_t bytes);
/// Exact number with the locale's group separators: "11,689,512".
QString formatExact(std::int64_t n);
/// 0.01237 s -> "12.4 ms"; chooses µs, ms or s.
QString formatSeconds(double seconds);
/// 0.1234 -> "12.3%" (one decimal, the locale's decimal point); NaN -> "-".
QString formatPercent(double fraction);
/// A weight's sizes as the layer tables show them: {64, 32, 3, 3} -> "64x32x3x3".
QString formatShape(const std::vector<std::int64_t>& shape);
/// How a number changed, as a ratio above 1 in the direction it went: (78.6, 65.9, "smaller", "larger")
/// -> "1.19x smaller"; empty when either number is not positive. The words come translated.
QString formatChange(double before, double after, const QString& better, const QString& worse);

} // namespace maas::app
