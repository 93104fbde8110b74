#pragma once

#include <string>
#include <vector>

namespace maas::engine {

/// The image files the engine reads (with stb_image), as lower-case extensions with the dot:
/// ".png", ".jpg", ".jpeg", ".bmp", ".gif", ".pgm", ".ppm". The one list for prediction inputs, image
/// folders, drops and file dialogs.
const std::vector<std::string>& imageExtensions();

/// Whether `path` names an image by its extension (any case).
bool isImagePath(const std::string& path);

/// What a path given on the command line or dropped on the window is.
enum class FileKind {
    Missing, ///< nothing there
    Unreadable, ///< not a regular file or folder, or no permission
    Empty, ///< a file of 0 bytes
    TorchScript, ///< a zip archive as torch.jit.save writes it
    StateDict, ///< torch.save(model.state_dict()) in the zip format
    PickledObject, ///< another object saved with torch.save in the zip format (a whole nn.Module, ...)
    LegacyPickle, ///< torch.save in the legacy (non-zip) pickle format
    Onnx, ///< an ONNX model
    OtherZip, ///< a zip archive that PyTorch did not write
    DamagedArchive, ///< starts like a zip archive but its directory is missing (truncated)
    IdxFolder, ///< a folder with MNIST-style *-idx3-ubyte files
    IdxFile, ///< one *-idx* file (gzipped or not)
    ImageFolder, ///< a folder with at least two class subfolders of images
    Folder, ///< any other folder
    Csv, ///< a .csv file
    Image, ///< an image file (by extension)
    TensorFile, ///< a .npy file
    Unknown, ///< anything else
};

/// Decides what `path` is from its name, its first bytes and, for zip archives, the names inside.
/// Never throws; reads no more than the archive's directory and its small pickle.
FileKind detectFileKind(const std::string& path);

/// A few words for a kind, for messages and logs: "a TorchScript model", "a state_dict", ...
std::string describeFileKind(FileKind kind);

} // namespace maas::engine
