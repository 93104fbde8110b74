// Engine-internal file helpers: atomic writes and the checks every reader makes first.
#pragma once

#include <cstdint>
#include <functional>
#include <string>

namespace maas::engine {

/// Calls write(tmp) with a temporary path in the same folder as `path`, then renames tmp to path.
/// If write throws, the temporary file is removed and nothing at `path` changes.
void writeAtomically(const std::string& path, const std::function<void(const std::string& tmp)>& write);

/// Throws Error(NotFound / InvalidInput) unless `path` is an existing regular file; `what` names it
/// in the message ("model", "input").
void requireRegularFile(const std::string& path, const std::string& what);

/// The whole file as bytes.
std::string readFile(const std::string& path);

/// The whole of a regular file that must not be larger than `limit` bytes (a spec file, a tensor file),
/// checked before it is read: Error(InvalidInput) names the file, its size and the limit. `what` names the
/// kind of file ("tensor", "spec") as requireRegularFile does.
std::string readFileWithin(const std::string& path, const std::string& what, std::int64_t limit);

/// True when `text` is well-formed UTF-8 (no stray continuation bytes, no overlong forms, no surrogates).
bool isValidUtf8(const std::string& text);

/// `text` with every byte that is not part of well-formed UTF-8 written as \xNN, for error messages.
std::string escapeInvalidUtf8(const std::string& text);

/// Lower-case extension with the dot: ".npy".
std::string extensionOf(const std::string& path);

} // namespace maas::engine
