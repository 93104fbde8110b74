#include "files.h"

#include <atomic>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <cerrno>
#include <cstring>

#include <unistd.h>

#include "maas/engine/error.h"
#include "maas/engine/output.h"

namespace fs = std::filesystem;

namespace maas::engine {

namespace {

// Where a write to `path` really lands: a symbolic link is followed to the file it names, so the link
// stays a link (a rename onto the link itself would replace it with a copy).
fs::path writeTarget(const std::string& path)
{
    std::error_code ec;
    fs::path target(path);
    for (int hops = 0; hops < 40 && fs::is_symlink(fs::symlink_status(target, ec)); ++hops) {
        const fs::path next = fs::read_symlink(target, ec);
        if (ec)
            break;
        target = next.is_absolute() ? next : target.parent_path() / next;
    }
    return target;
}

fs::path folderOf(const fs::path& target) { return target.has_parent_path() ? target.parent_path() : fs::path("."); }

// The checks a write makes on its target, before and again just before it replaces it.
void checkWritable(const std::string& path, const fs::path& target, const std::string& field)
{
    std::error_code ec;
    const fs::path folder = folderOf(target);
    if (!fs::is_directory(folder, ec))
        throw Error(ErrorKind::NotFound,
            "cannot write " + path + ": the folder " + folder.string() + " does not exist; create it first.", field,
            "names a folder that does not exist (" + folder.string() + "); create it first.");
    if (::access(folder.c_str(), W_OK) != 0) {
        const std::string reason = std::strerror(errno);
        throw Error(ErrorKind::Io,
            "cannot write " + path + ": the folder " + folder.string() + " is not writable (" + reason + ").", field,
            "is in a folder that cannot be written (" + folder.string() + ": " + reason + ").");
    }
    const auto status = fs::status(target, ec);
    if (fs::is_directory(status))
        throw Error(ErrorKind::InvalidInput, "cannot write " + path + ": it is a folder; give a file name.", field,
            "is a folder; give a file name.");
    if (fs::exists(status) && !fs::is_regular_file(status))
        throw Error(ErrorKind::InvalidInput,
            "cannot write " + path
                + ": it is not a regular file (a device, a pipe or a socket), and writing would replace it; give a "
                  "file name.",
            field, "is not a regular file (a device, a pipe or a socket); give a file name.");
}

} // namespace

void checkOutput(const std::string& path, const std::vector<std::string>& inputs, const std::string& field)
{
    const fs::path target = writeTarget(path);
    checkWritable(path, target, field);
    std::error_code ec;
    const fs::path real = fs::weakly_canonical(target, ec);
    for (const auto& input : inputs) {
        if (input.empty())
            continue;
        std::error_code inputEc;
        if (!ec && fs::weakly_canonical(input, inputEc) == real && !inputEc)
            throw Error(ErrorKind::InvalidInput,
                "cannot write " + path + ": it is also an input (" + input
                    + "), which writing would destroy; give another file name.",
                field, "is also an input (" + input + "); give another file name.");
    }
}

void writeAtomically(const std::string& path, const std::function<void(const std::string& tmp)>& write)
{
    static std::atomic<int> counter { 0 };
    const fs::path target = writeTarget(path);
    checkWritable(path, target, "output");
    const fs::path tmp = folderOf(target)
        / ("." + target.filename().string() + ".tmp-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
    std::error_code ec;
    try {
        write(tmp.string());
        checkWritable(path, target, "output"); // something may have appeared there meanwhile
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
