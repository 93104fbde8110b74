// Engine-internal file helpers: atomic writes and the checks every reader makes first.
#pragma once

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

/// Lower-case extension with the dot: ".npy".
std::string extensionOf(const std::string& path);

} // namespace maas::engine
