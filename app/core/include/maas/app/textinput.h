#pragma once

#include <QString>

#include <optional>
#include <vector>

#include "maas/engine/model.h"
#include "maas/engine/tensor.h"

namespace maas::app {

/// What people type for shapes and lists of counts, read the same way by the CLI and the pages.

/// "1,3,224,224" -> {1, 3, 224, 224}; *ok is false unless every size is a positive number.
std::vector<std::int64_t> parseShape(const QString& text, bool* ok);
/// A shape that may leave axes open: "-1,16" -> {-1, 16}, each size a positive whole number or -1 (an
/// axis whose size the model takes as it comes, such as a sequence's length). Nothing when a part is neither.
std::optional<std::vector<std::int64_t>> parseOpenShape(const QString& text);
/// One input shape: "1,3,224,224" or, with a datatype, "1,32:INT64" (any case). Nothing when the sizes
/// are not positive whole numbers or the datatype is not a numeric one the engine knows.
std::optional<maas::engine::InputShape> parseInputShape(const QString& text);
/// "1,8,32" -> {1, 8, 32}, each from `minimum` to `maximum`, repeats dropped; nothing when a part is not
/// such a number (or nothing is given).
std::optional<std::vector<int>> parseWholeNumbers(const QString& text, int minimum, int maximum);

} // namespace maas::app
