#pragma once

#include <string>
#include <vector>

namespace maas::engine {

/// The project's rules for every file it writes (the CLI, the workbench and the endpoint alike):
/// - a file is written to a temporary name in its folder and renamed, so it is whole or not there;
/// - a write never replaces what is not a regular file: a FIFO, a device or a socket at the path is
///   refused; a symbolic link is written through (its target gets the new content, the link stays);
/// - an output that is one of the inputs (compared after following links) is refused before any work;
/// - the output's folder must exist and be writable, checked before any work.
///
/// checkOutput applies the last three before a command starts its work. Throws Error(InvalidInput or
/// NotFound) with one sentence naming the path and the reason; its field() is `field` (the CLI names
/// the flag that set it).
void checkOutput(const std::string& path, const std::vector<std::string>& inputs, const std::string& field = "output");

/// Writes `text` to `path` by the rules above (a temporary file renamed into place, through a link, never
/// onto a device). Throws Error(Io or InvalidInput) naming the path.
void writeTextFile(const std::string& path, const std::string& text);

} // namespace maas::engine
