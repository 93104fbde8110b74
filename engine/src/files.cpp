#include "files.h"

#include <atomic>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <unistd.h>

#include "maas/engine/error.h"

namespace fs = std::filesystem;

namespace maas::engine {

void writeAtomically(const std::string& path, const std::function<void(const std::string& tmp)>& write)
{
    static std::atomic<int> counter { 0 };
    const fs::path target(path);
    const fs::path folder = target.has_parent_path() ? target.parent_path() : fs::path(".");
    std::error_code ec;
    if (!fs::is_directory(folder, ec))
        throw Error(ErrorKind::NotFound,
            "cannot write " + path + ": the folder " + folder.string() + " does not exist; create it first.");
    if (fs::is_directory(target, ec))
        throw Error(ErrorKind::InvalidInput, "cannot write " + path + ": it is a folder; give a file name.");
    const fs::path tmp = folder
        / ("." + target.filename().string() + ".tmp-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
    try {
        write(tmp.string());
        fs::rename(tmp, target);
    } catch (const Error&) {
        fs::remove(tmp, ec);
        throw;
    } catch (const std::exception& e) {
        fs::remove(tmp, ec);
        throw Error(ErrorKind::Io, "cannot write " + path + ": " + e.what());
    }
}

void requireRegularFile(const std::string& path, const std::string& what)
{
    std::error_code ec;
    const auto status = fs::status(path, ec);
    if (!fs::exists(status))
        throw Error(ErrorKind::NotFound, path + ": no such " + what + " file; check the path.");
    if (fs::is_directory(status))
        throw Error(ErrorKind::InvalidInput,
            path + " is a folder, not a " + what + " file; give the path of the file inside it.");
    if (!fs::is_regular_file(status))
        throw Error(ErrorKind::InvalidInput, path + " is not a regular file; give a " + what + " file.");
    std::ifstream probe(path, std::ios::binary);
    if (!probe)
        throw Error(ErrorKind::Io, path + " cannot be opened for reading; check its permissions.");
}

std::string readFile(const std::string& path)
{
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw Error(ErrorKind::Io, path + " cannot be opened for reading; check its permissions.");
    std::ostringstream buffer;
    buffer << in.rdbuf();
    return buffer.str();
}

std::string extensionOf(const std::string& path)
{
    std::string ext = fs::path(path).extension().string();
    for (auto& c : ext)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return ext;
}

} // namespace maas::engine
