#include "files.h"

#include <atomic>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>

#include <unistd.h>

#include "maas/engine/error.h"
#include "maas/engine/output.h"
#include "sizes.h"

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
    if (path.empty())
        throw Error(ErrorKind::InvalidInput, "an output was given an empty file name; give a file name.", field,
            "is empty; give a file name.");
    // What the kernel reaches through the path, links and /proc/self/fd included (/dev/stdout may be a pipe).
    std::error_code direct;
    const auto reached = fs::status(path, direct);
    if (direct.value() == ELOOP || fs::is_symlink(fs::symlink_status(target, ec)))
        throw Error(ErrorKind::InvalidInput,
            "cannot write " + path + ": its symbolic links go round in a loop; give a file name.", field,
            "is a loop of symbolic links; give a file name.");
    if (fs::exists(reached) && !fs::is_regular_file(reached) && !fs::is_directory(reached))
        throw Error(ErrorKind::InvalidInput,
            "cannot write " + path
                + ": it is not a regular file (a device, a pipe or a socket), and writing would replace it; give a "
                  "file name.",
            field, "is not a regular file (a device, a pipe or a socket); give a file name.");
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

namespace {

// Temporary files (".NAME.tmp-PID-N") a write killed midway left beside `target`: their process is gone.
void removeAbandonedTemporaries(const fs::path& target)
{
    const std::string prefix = "." + target.filename().string() + ".tmp-";
    std::error_code ec;
    for (fs::directory_iterator it(folderOf(target), ec), end; !ec && it != end; it.increment(ec)) {
        const auto name = it->path().filename().string();
        if (name.compare(0, prefix.size(), prefix) != 0)
            continue;
        const long pid = std::strtol(name.c_str() + prefix.size(), nullptr, 10);
        std::error_code removeEc;
        if (pid > 0 && ::kill(static_cast<pid_t>(pid), 0) != 0 && errno == ESRCH)
            fs::remove(it->path(), removeEc);
    }
}

} // namespace

void writeAtomically(const std::string& path, const std::function<void(const std::string& tmp)>& write)
{
    static std::atomic<int> counter { 0 };
    const fs::path target = writeTarget(path);
    checkWritable(path, target, "output");
    removeAbandonedTemporaries(target);
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

void writeTextFile(const std::string& path, const std::string& text)
{
    writeAtomically(path, [&text](const std::string& tmp) {
        std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
        out.write(text.data(), static_cast<std::streamsize>(text.size()));
        out.flush();
        if (!out)
            throw Error(ErrorKind::Io, "cannot write " + tmp + "; check the free space of its folder.");
    });
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

namespace {

// The length of the well-formed UTF-8 sequence at text[i], or 0 when there is none.
std::size_t utf8Length(const std::string& text, std::size_t i)
{
    const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
    const unsigned char b = byte(i);
    if (b < 0x80)
        return 1;
    std::size_t length = b >= 0xC2 && b <= 0xDF ? 2 : b >= 0xE0 && b <= 0xEF ? 3 : b >= 0xF0 && b <= 0xF4 ? 4 : 0;
    if (length == 0 || i + length > text.size())
        return 0;
    for (std::size_t k = 1; k < length; ++k)
        if ((byte(i + k) & 0xC0) != 0x80)
            return 0;
    const unsigned char second = byte(i + 1);
    if ((b == 0xE0 && second < 0xA0) || (b == 0xED && second > 0x9F) || (b == 0xF0 && second < 0x90)
        || (b == 0xF4 && second > 0x8F))
        return 0; // overlong, a surrogate, or past U+10FFFF
    return length;
}

} // namespace

bool isValidUtf8(const std::string& text)
{
    for (std::size_t i = 0; i < text.size();) {
        const std::size_t length = utf8Length(text, i);
        if (length == 0)
            return false;
        i += length;
    }
    return true;
}

std::string escapeInvalidUtf8(const std::string& text)
{
    std::string out;
    for (std::size_t i = 0; i < text.size();) {
        const std::size_t length = utf8Length(text, i);
        if (length > 0) {
            out.append(text, i, length);
            i += length;
            continue;
        }
        static const char hex[] = "0123456789abcdef";
        const auto b = static_cast<unsigned char>(text[i++]);
        out += std::string("\\x") + hex[b >> 4] + hex[b & 15];
    }
    return out;
}

std::string readFileWithin(const std::string& path, const std::string& what, std::int64_t limit)
{
    requireRegularFile(path, what);
    std::error_code ec;
    const auto size = static_cast<std::int64_t>(fs::file_size(path, ec));
    if (!ec && size > limit)
        throw Error(ErrorKind::InvalidInput,
            path + " is " + byteSize(double(size)) + ", more than the limit of " + byteSize(double(limit)) + " for a "
                + what + " file; give a smaller file.");
    return guardMemory("reading " + path, [&] { return readFile(path); });
}

std::string extensionOf(const std::string& path)
{
    std::string ext = fs::path(path).extension().string();
    for (auto& c : ext)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return ext;
}

} // namespace maas::engine
