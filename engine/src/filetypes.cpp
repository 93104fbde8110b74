// The one detector of what a path is, for model loading's errors and for drops.
#include "maas/engine/filetypes.h"

#include <caffe2/serialize/inline_container.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "files.h"

namespace fs = std::filesystem;

namespace maas::engine {

namespace {

bool isIdxName(const std::string& name) { return name.find("-idx") != std::string::npos; }

bool hasIdxImages(const fs::path& folder)
{
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(folder, ec))
        if (entry.is_regular_file(ec) && entry.path().filename().string().find("-idx3-ubyte") != std::string::npos)
            return true;
    return false;
}

bool hasClassFolders(const fs::path& folder)
{
    std::error_code ec;
    int classes = 0;
    for (const auto& sub : fs::directory_iterator(folder, ec)) {
        if (!sub.is_directory(ec))
            continue;
        std::error_code inner;
        for (const auto& file : fs::directory_iterator(sub.path(), inner))
            if (file.is_regular_file(inner) && isImagePath(file.path().string())) {
                ++classes;
                break;
            }
        if (classes >= 2)
            return true;
    }
    return false;
}

FileKind zipKind(const std::string& path)
{
    try {
        caffe2::serialize::PyTorchStreamReader reader(path);
        if (reader.hasRecord("constants.pkl"))
            return FileKind::TorchScript;
        if (!reader.hasRecord("data.pkl"))
            return FileKind::OtherZip;
        auto [data, size] = reader.getRecord("data.pkl");
        const std::string pickle(static_cast<const char*>(data.get()), size);
        // A whole module's pickle holds OrderedDicts too (its _parameters): the module's class decides.
        if (pickle.find("torch.nn.modules") != std::string::npos)
            return FileKind::PickledObject;
        return pickle.find("OrderedDict") != std::string::npos ? FileKind::StateDict : FileKind::PickledObject;
    } catch (const std::exception&) {
        // PyTorch's reader also refuses zip files it did not write: a directory that is there means a zip.
        std::ifstream in(path, std::ios::binary | std::ios::ate);
        const auto size = static_cast<std::streamoff>(in.tellg());
        std::string tail(static_cast<std::size_t>(std::min<std::streamoff>(size, 65557)), '\0');
        in.seekg(size - static_cast<std::streamoff>(tail.size()));
        in.read(tail.data(), static_cast<std::streamsize>(tail.size()));
        return tail.find("PK\x05\x06") != std::string::npos ? FileKind::OtherZip : FileKind::DamagedArchive;
    }
}

} // namespace

const std::vector<std::string>& imageExtensions()
{
    static const std::vector<std::string> extensions { ".png", ".jpg", ".jpeg", ".bmp", ".gif", ".pgm", ".ppm" };
    return extensions;
}

bool isImagePath(const std::string& path)
{
    const auto& all = imageExtensions();
    return std::find(all.begin(), all.end(), extensionOf(path)) != all.end();
}

FileKind detectFileKind(const std::string& path)
{
    std::error_code ec;
    const auto status = fs::status(path, ec);
    if (!fs::exists(status))
        return FileKind::Missing;
    if (fs::is_directory(status)) {
        if (hasIdxImages(path))
            return FileKind::IdxFolder;
        return hasClassFolders(path) ? FileKind::ImageFolder : FileKind::Folder;
    }
    if (!fs::is_regular_file(status))
        return FileKind::Unreadable;
    std::ifstream in(path, std::ios::binary);
    if (!in)
        return FileKind::Unreadable;
    char buffer[256] = {};
    in.read(buffer, sizeof buffer);
    const std::string head(buffer, static_cast<std::size_t>(in.gcount()));
    in.close();
    if (head.empty())
        return FileKind::Empty;
    const std::string ext = extensionOf(path);
    const std::string name = fs::path(path).filename().string();
    if (head.compare(0, 4, "PK\x03\x04") == 0)
        return zipKind(path);
    if (ext == ".onnx")
        return FileKind::Onnx;
    if (static_cast<unsigned char>(head[0]) == 0x80)
        return FileKind::LegacyPickle;
    if (ext == ".csv")
        return FileKind::Csv;
    if (isImagePath(path))
        return FileKind::Image;
    if (isIdxName(name))
        return FileKind::IdxFile;
    if (ext == ".npy")
        return FileKind::TensorFile;
    if (head.find("onnx") != std::string::npos)
        return FileKind::Onnx;
    return FileKind::Unknown;
}

std::string describeFileKind(FileKind kind)
{
    switch (kind) {
    case FileKind::Missing: return "nothing (no such file)";
    case FileKind::Unreadable: return "an unreadable file";
    case FileKind::Empty: return "an empty file";
    case FileKind::TorchScript: return "a TorchScript model";
    case FileKind::StateDict: return "a state_dict";
    case FileKind::PickledObject: return "a Python object pickled with torch.save";
    case FileKind::LegacyPickle: return "a legacy torch.save pickle";
    case FileKind::Onnx: return "an ONNX model";
    case FileKind::OtherZip: return "a zip file";
    case FileKind::DamagedArchive: return "a damaged or truncated archive";
    case FileKind::IdxFolder: return "an IDX data set folder";
    case FileKind::IdxFile: return "an IDX file";
    case FileKind::ImageFolder: return "a folder of images by class";
    case FileKind::Folder: return "a folder";
    case FileKind::Csv: return "a CSV file";
    case FileKind::Image: return "an image";
    case FileKind::TensorFile: return "a .npy tensor file";
    case FileKind::Unknown: break;
    }
    return "a file of unknown kind";
}

} // namespace maas::engine
