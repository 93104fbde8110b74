// The readers of each data set layout: IDX, image folders, CSV tables and text CSV.
#include "dataset_impl.h"

#include <stb/stb_image.h>
#include <stb/stb_image_resize.h>
#include <zlib.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <map>
#include <random>
#include <set>

#include "csv.h"
#include "files.h"
#include "maas/engine/error.h"
#include "maas/engine/filetypes.h"
#include "maas/engine/limits.h"
#include "sizes.h"

namespace fs = std::filesystem;

namespace maas::engine {

namespace {

// ---- IDX (the MNIST format): big-endian magic 0x0000 08 NDIM, NDIM sizes, then uint8 data -------------

// gzread into `out` until `bytes` have come or the file ends; returns how many came. Reads plain files unchanged.
std::int64_t inflate(gzFile file, void* out, std::int64_t bytes, const std::string& path)
{
    std::int64_t done = 0;
    while (done < bytes) {
        const auto chunk = static_cast<unsigned>(std::min<std::int64_t>(bytes - done, 1 << 26));
        const int n = gzread(file, static_cast<char*>(out) + done, chunk);
        if (n < 0)
            throw Error(ErrorKind::InvalidInput, path + " is a damaged gzip file; download or copy it again.");
        if (n == 0)
            break;
        done += n;
    }
    return done;
}

// The sizes an IDX header declares, refused when they are absurd or past what memory can hold.
std::vector<std::int64_t> readIdxHeader(gzFile file, const std::string& path, int expectedDims)
{
    unsigned char magic[4] = {};
    if (inflate(file, magic, 4, path) < 4 || magic[0] != 0 || magic[1] != 0 || magic[2] != 0x08
        || magic[3] != expectedDims)
        throw Error(ErrorKind::InvalidInput,
            path + " is not an IDX file of unsigned bytes with " + std::to_string(expectedDims)
                + " dimensions (wrong magic number); give MNIST-style idx" + std::to_string(expectedDims)
                + "-ubyte files.");
    std::vector<std::int64_t> shape;
    for (int d = 0; d < expectedDims; ++d) {
        unsigned char u[4] = {};
        if (inflate(file, u, 4, path) < 4)
            throw Error(ErrorKind::InvalidInput, path + " is truncated (its header is cut short); copy it again.");
        shape.push_back((std::int64_t(u[0]) << 24) | (u[1] << 16) | (u[2] << 8) | u[3]);
        if (d > 0 && shape.back() > limits::kImageSide)
            throw Error(ErrorKind::InvalidInput,
                path + " declares images " + std::to_string(shape.back())
                    + " pixels wide or high, more than the limit of " + std::to_string(limits::kImageSide)
                    + "; the file is damaged or not an image set.");
    }
    const std::int64_t bytes = checkedProduct(shape);
    if (bytes < 0 || bytes > dataBytesLimit())
        throw Error(ErrorKind::InvalidInput,
            path + " declares samples of shape " + shapeToString(shape) + " ("
                + (bytes < 0 ? std::string("more than 9 EB") : byteSize(double(bytes))) + "), more than the limit of "
                + byteSize(double(dataBytesLimit()))
                + " (16 GiB or half this machine's memory); the file is damaged, or give a smaller data set.");
    return shape;
}

// Reads exactly the bytes the header declares, never inflating past them: a gzip bomb stops there.
at::Tensor readIdx(const std::string& path, int expectedDims)
{
    requireRegularFile(path, "IDX");
    gzFile file = gzopen(path.c_str(), "rb");
    if (!file)
        throw Error(ErrorKind::Io, path + " cannot be opened for reading; check its permissions.");
    std::unique_ptr<gzFile_s, int (*)(gzFile)> closer(file, gzclose);
    const auto shape = readIdxHeader(file, path, expectedDims);
    const std::int64_t count = checkedProduct(shape);
    auto t = guardMemory("reading " + path, [&] { return at::empty(shape, at::kByte); });
    const std::int64_t got = inflate(file, t.data_ptr(), count, path);
    if (got < count)
        throw Error(ErrorKind::InvalidInput,
            path + " is truncated: its header promises " + std::to_string(count) + " bytes of data but it holds "
                + std::to_string(got) + "; copy it again.");
    char extra = 0;
    if (inflate(file, &extra, 1, path) > 0)
        throw Error(ErrorKind::InvalidInput,
            path + " holds more data than its header declares (" + std::to_string(count)
                + " bytes); the file is damaged or not an IDX file, so copy it again.");
    return t;
}

// ---- CSV tables (parsed by csv.h): a header line, then one sample per line -------------------------------

std::vector<CsvRow> readCsv(const std::string& path)
{
    requireRegularFile(path, "CSV");
    auto rows = parseCsv(readFile(path), path);
    if (rows.size() < 2)
        throw Error(ErrorKind::InvalidInput, path + " has no data rows; give a header line and one sample per line.");
    return rows;
}

// Class names in model order: as given, or sorted (numerically when every name is a number).
std::vector<std::string> orderClasses(
    const std::set<std::string>& seen, const std::vector<std::string>& given, const std::string& where)
{
    if (!given.empty()) {
        for (const auto& s : seen)
            if (std::find(given.begin(), given.end(), s) == given.end())
                throw Error(ErrorKind::InvalidInput,
                    where + " has the class '" + s + "', which the model does not know; its classes are fixed.");
        return given;
    }
    if (static_cast<std::int64_t>(seen.size()) > limits::kClasses)
        throw Error(ErrorKind::InvalidInput,
            where + " has " + std::to_string(seen.size()) + " distinct labels, more than the limit of "
                + std::to_string(limits::kClasses) + " classes; check that the label column holds classes.");
    std::vector<std::string> classes(seen.begin(), seen.end());
    const bool numeric = std::all_of(classes.begin(), classes.end(), [](const std::string& s) {
        return !s.empty() && s.find_first_not_of("0123456789") == std::string::npos && s.size() < 10;
    });
    if (numeric)
        std::sort(
            classes.begin(), classes.end(), [](const auto& a, const auto& b) { return std::stoll(a) < std::stoll(b); });
    return classes;
}

at::Tensor labelTensor(const std::vector<std::string>& names, const std::vector<std::string>& classes)
{
    std::map<std::string, std::int64_t> index;
    for (std::size_t i = 0; i < classes.size(); ++i)
        index[classes[i]] = static_cast<std::int64_t>(i);
    auto t = at::empty({ static_cast<std::int64_t>(names.size()) }, at::kLong);
    auto* p = t.data_ptr<std::int64_t>();
    for (std::size_t i = 0; i < names.size(); ++i)
        p[i] = index.at(names[i]);
    return t;
}

void requireTwoClasses(const std::vector<std::string>& classes, const std::string& where)
{
    if (classes.size() < 2)
        throw Error(ErrorKind::InvalidInput,
            where + " has " + std::to_string(classes.size())
                + " class; a classifier needs at least two, so add samples of another class.");
}

} // namespace

std::string findIdx(const std::string& folder, const std::string& prefix, const std::string& kind)
{
    for (const std::string ext : { "", ".gz" }) {
        const auto p = fs::path(folder) / (prefix + kind + ext);
        if (fs::exists(p))
            return p.string();
    }
    return {};
}

Dataset::Impl openIdx(const std::string& path, const DataOptions& options)
{
    std::string images, labels;
    if (fs::is_directory(path)) {
        const std::string prefix = options.split == "test" ? "t10k" : options.split;
        images = findIdx(path, prefix, "-images-idx3-ubyte");
        labels = findIdx(path, prefix, "-labels-idx1-ubyte");
        if (images.empty() || labels.empty())
            throw Error(ErrorKind::NotFound,
                path + " has no " + prefix + "-images-idx3-ubyte and " + prefix
                    + "-labels-idx1-ubyte files (gzipped or not); give the folder of an MNIST-style data set.");
    } else {
        images = path;
        labels = path;
        const auto at = labels.find("images-idx3");
        if (at == std::string::npos)
            throw Error(ErrorKind::InvalidInput,
                path + " is not named like an IDX image file (*-images-idx3-ubyte); give the data set's folder.");
        labels.replace(at, 11, "labels-idx1");
    }
    Dataset::Impl d;
    d.kind = DataKind::Images;
    const auto x = readIdx(images, 3);
    const auto y = readIdx(labels, 1);
    if (x.size(0) != y.size(0))
        throw Error(ErrorKind::InvalidInput,
            images + " has " + std::to_string(x.size(0)) + " images but " + labels + " has " + std::to_string(y.size(0))
                + " labels; they must come from the same data set.");
    d.features = x.unsqueeze(1); // [N, 1, H, W]
    d.labels = y.to(at::kLong);
    const auto maxLabel = d.labels.numel() ? d.labels.max().item<std::int64_t>() : 0;
    if (!options.classes.empty()) {
        d.classes = options.classes;
        if (maxLabel >= static_cast<std::int64_t>(d.classes.size()))
            throw Error(ErrorKind::InvalidInput,
                labels + " has label " + std::to_string(maxLabel) + " but the model has only "
                    + std::to_string(d.classes.size()) + " classes.");
    } else {
        for (std::int64_t c = 0; c <= maxLabel; ++c)
            d.classes.push_back(std::to_string(c));
    }
    // The Fashion-MNIST names, when the folder says it is Fashion-MNIST.
    if (options.classes.empty() && d.classes.size() == 10 && path.find("fashion") != std::string::npos)
        d.classes = { "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag",
            "Ankle boot" };
    d.pre.scale = 1.0 / 255.0;
    d.pre.color = "gray";
    d.pre.imageHeight = static_cast<int>(x.size(1));
    d.pre.imageWidth = static_cast<int>(x.size(2));
    return d;
}

bool decodeImage(const std::string& file, int channels, int width, int height, std::uint8_t* out, std::string* why)
{
    int w = 0, h = 0, original = 0;
    // The header first: a small file may claim a huge image, and stbi_load would allocate it all.
    const bool known = stbi_info(file.c_str(), &w, &h, &original);
    const std::string tooLarge = known ? imageSizeProblem(w, h) : std::string();
    if (!tooLarge.empty()) {
        if (why)
            *why = file + ": " + tooLarge;
        return false;
    }
    std::unique_ptr<unsigned char, void (*)(void*)> img(
        stbi_load(file.c_str(), &w, &h, &original, channels), stbi_image_free);
    if (!img) {
        if (why)
            *why = file + ": " + stbi_failure_reason();
        return false;
    }
    const std::size_t plane = static_cast<std::size_t>(width) * height;
    std::vector<unsigned char> resized;
    const unsigned char* src = img.get();
    if (w != width || h != height) {
        resized.resize(plane * channels);
        stbir_resize_uint8(img.get(), w, h, 0, resized.data(), width, height, 0, channels);
        src = resized.data();
    }
    for (int c = 0; c < channels; ++c) // HWC -> CHW
        for (std::size_t i = 0; i < plane; ++i)
            out[c * plane + i] = src[i * channels + c];
    return true;
}

// Each subfolder with images is a class; returns (file, class) pairs in name order, and the classes found.
std::vector<std::pair<std::string, std::string>> listClassImages(const std::string& path, std::set<std::string>& seen)
{
    std::vector<std::pair<std::string, std::string>> files; // (file, class)
    std::vector<fs::path> folders;
    for (const auto& entry : fs::directory_iterator(path))
        if (entry.is_directory())
            folders.push_back(entry.path());
    std::sort(folders.begin(), folders.end());
    for (const auto& folder : folders) {
        std::vector<fs::path> images;
        for (const auto& entry : fs::directory_iterator(folder))
            if (entry.is_regular_file() && isImagePath(entry.path().string()))
                images.push_back(entry.path());
        std::sort(images.begin(), images.end());
        if (images.empty())
            continue;
        const std::string name = folder.filename().string();
        if (!isValidUtf8(name))
            throw Error(ErrorKind::InvalidInput,
                path + ": the class folder '" + escapeInvalidUtf8(name)
                    + "' has a name that is not valid UTF-8; rename it, since class names go into the model's card.");
        seen.insert(name);
        for (const auto& image : images)
            files.emplace_back(image.string(), folder.filename().string());
    }
    if (files.empty())
        throw Error(ErrorKind::InvalidInput,
            path
                + " has no class folders with images (.png, .jpg, .bmp); put each class's images in a subfolder named "
                  "after the class.");
    return files;
}

// A first pass reads only headers: it skips files that are not images and fixes size and channels.
// Fills d.files, d.channels, d.width and d.height; returns the class name of each file kept.
std::vector<std::string> readImageHeaders(Dataset::Impl& d,
    const std::vector<std::pair<std::string, std::string>>& files, const std::string& path, const DataOptions& options)
{
    int width = options.imageWidth, height = options.imageHeight, channels = 0;
    if (const auto why = imageSizeProblem(width, height); !why.empty())
        throw Error(ErrorKind::InvalidInput, "the image size asked for is " + why + "; ask for a smaller size.",
            "image_size", "is " + why + "; ask for a smaller size.");
    if (options.color == "gray")
        channels = 1;
    else if (options.color == "rgb")
        channels = 3;
    std::vector<std::string> names;
    for (const auto& [file, label] : files) {
        int w = 0, h = 0, original = 0;
        const bool known = stbi_info(file.c_str(), &w, &h, &original);
        const std::string why = known ? imageSizeProblem(w, h) : stbi_failure_reason();
        if (!why.empty()) {
            ++d.skipped;
            if (d.firstSkip.empty())
                d.firstSkip = file + ": " + why;
            continue;
        }
        if (channels == 0)
            channels = original == 1 || original == 2 ? 1 : 3;
        if (width == 0) {
            width = w;
            height = h;
        }
        d.files.push_back(file);
        names.push_back(label);
    }
    if (names.empty())
        throw Error(ErrorKind::InvalidInput, path + " has no readable images (first failure: " + d.firstSkip + ").");
    d.channels = channels;
    d.width = width;
    d.height = height;
    return names;
}

// Decodes every listed image into d.features, dropping the ones that fail, so the set is held in memory.
void decodeImages(Dataset::Impl& d, const std::string& path, std::int64_t sampleBytes)
{
    const auto channels = static_cast<int>(d.channels);
    const auto width = static_cast<int>(d.width), height = static_cast<int>(d.height);
    std::vector<std::uint8_t> pixels(static_cast<std::size_t>(sampleBytes) * d.files.size());
    std::vector<std::int64_t> keep;
    for (std::size_t i = 0; i < d.files.size(); ++i) {
        std::string why;
        if (decodeImage(d.files[i], channels, width, height,
                pixels.data() + keep.size() * static_cast<std::size_t>(sampleBytes), &why)) {
            keep.push_back(static_cast<std::int64_t>(i));
        } else {
            ++d.skipped;
            if (d.firstSkip.empty())
                d.firstSkip = why;
        }
    }
    if (keep.empty())
        throw Error(ErrorKind::InvalidInput, path + " has no readable images (first failure: " + d.firstSkip + ").");
    const auto n = static_cast<std::int64_t>(keep.size());
    d.features = at::empty({ n, channels, height, width }, at::kByte);
    std::memcpy(d.features.data_ptr(), pixels.data(), static_cast<std::size_t>(n * sampleBytes));
    d.labels = d.labels.index_select(0, torch::tensor(keep, at::kLong));
    d.files.clear();
}

Dataset::Impl openImageFolder(const std::string& path, const DataOptions& options)
{
    Dataset::Impl d;
    d.kind = DataKind::Images;
    std::set<std::string> seen;
    const auto files = listClassImages(path, seen);
    d.classes = orderClasses(seen, options.classes, path);
    requireTwoClasses(d.classes, path);

    const auto names = readImageHeaders(d, files, path, options);
    const std::int64_t sampleBytes = std::int64_t { d.channels } * d.width * d.height;
    const std::int64_t budget = options.memoryBudget > 0 ? options.memoryBudget : physicalMemoryBytes() / 4;
    d.labels = labelTensor(names, d.classes);
    d.pre.scale = 1.0 / 255.0;
    d.pre.color = d.channels == 1 ? "gray" : "rgb";
    d.pre.imageWidth = static_cast<int>(d.width);
    d.pre.imageHeight = static_cast<int>(d.height);
    if (static_cast<std::int64_t>(d.files.size()) * sampleBytes > budget)
        return d; // streaming: decoded per batch
    decodeImages(d, path, sampleBytes);
    return d;
}

// The label column: the one named, else "label", else the last one.
std::int64_t labelColumnOf(const std::vector<std::string>& header, const std::string& path, const DataOptions& options)
{
    const auto it = std::find(header.begin(), header.end(), options.labelColumn);
    if (it != header.end())
        return it - header.begin();
    if (options.labelColumn == "label")
        return static_cast<std::int64_t>(header.size()) - 1;
    std::string columns;
    for (const auto& h : header)
        columns += (columns.empty() ? "" : ", ") + h;
    throw Error(ErrorKind::InvalidInput,
        path + " has no column '" + options.labelColumn + "' (its columns: " + columns
            + "); name the column that holds the labels.",
        "label_column",
        "'" + options.labelColumn + "' names no column of " + path + " (its columns: " + columns + ").");
}

// The numeric features of one row, refused when a cell is not a number or not finite (NaN, Inf, or past
// float's range), since one such value turns every weight into NaN.
void appendFeatures(const CsvRow& row, const std::vector<std::string>& header, std::int64_t labelColumn,
    const std::string& path, std::vector<float>& values)
{
    for (std::size_t c = 0; c < row.cells.size(); ++c) {
        if (static_cast<std::int64_t>(c) == labelColumn)
            continue;
        const std::string where = path + ", line " + std::to_string(row.line) + ", column '" + header[c] + "'";
        float v;
        if (!parseCsvNumber(row.cells[c], v))
            throw Error(ErrorKind::InvalidInput,
                where + ": '" + row.cells[c]
                    + "' is not a number; features must be numeric (or name the text column 'text').");
        if (!std::isfinite(v))
            throw Error(ErrorKind::InvalidInput,
                where + ": '" + row.cells[c]
                    + "' is not a finite number, and it would train every weight into NaN; fill in or remove the "
                      "missing or infinite value.");
        values.push_back(v);
    }
}

Dataset::Impl openCsv(const std::string& path, const DataOptions& options)
{
    const auto rows = readCsv(path);
    const auto& header = rows.front().cells;
    const std::int64_t labelColumn = labelColumnOf(header, path, options);
    const auto found = std::find(header.begin(), header.end(), options.textColumn);
    const std::int64_t textColumn = found == header.end() ? -1 : found - header.begin();
    if (textColumn == labelColumn) // a text CSV with no label column would learn to classify texts as themselves
        throw Error(ErrorKind::InvalidInput,
            path + " has texts in its column '" + header[static_cast<std::size_t>(textColumn)]
                + "' but no column of labels; add one named label, or name the column that holds the labels.");
    Dataset::Impl d;
    d.kind = textColumn >= 0 ? DataKind::Text : DataKind::Table;
    std::vector<std::string> names;
    std::vector<float> values;
    std::set<std::string> seen;
    const std::size_t width = header.size();
    for (std::size_t r = 1; r < rows.size(); ++r) {
        const auto& row = rows[r];
        const std::string where = path + ", line " + std::to_string(row.line);
        if (row.cells.size() != width)
            throw Error(ErrorKind::InvalidInput,
                where + ": has " + std::to_string(row.cells.size()) + " values where the header has "
                    + std::to_string(width) + "; make every row the same length.");
        const std::string& label = row.cells[static_cast<std::size_t>(labelColumn)];
        if (label.empty())
            throw Error(ErrorKind::InvalidInput, where + ": the label is empty; give every sample a class.");
        if (!isValidUtf8(label))
            throw Error(ErrorKind::InvalidInput,
                where + ", column '" + escapeInvalidUtf8(header[static_cast<std::size_t>(labelColumn)])
                    + "': the label '" + escapeInvalidUtf8(label)
                    + "' is not valid UTF-8 text; save the file as UTF-8.");
        if (d.kind == DataKind::Text) {
            const std::string& text = row.cells[static_cast<std::size_t>(textColumn)];
            if (text.find_first_not_of(" \t\r\n") == std::string::npos) {
                ++d.skipped;
                if (d.firstSkip.empty())
                    d.firstSkip = where + ": empty text";
                continue;
            }
            d.texts.push_back(text);
        } else {
            appendFeatures(row, header, labelColumn, path, values);
        }
        names.push_back(label);
        seen.insert(label);
    }
    if (names.empty())
        throw Error(ErrorKind::InvalidInput, path + " has no usable samples (" + d.firstSkip + ").");
    d.classes = orderClasses(seen, options.classes, path);
    requireTwoClasses(d.classes, path);
    d.labels = labelTensor(names, d.classes);
    if (d.kind == DataKind::Table) {
        const auto n = static_cast<std::int64_t>(names.size());
        const auto features = static_cast<std::int64_t>(width) - 1;
        d.features = torch::from_blob(values.data(), { n, features }, at::kFloat).clone();
        // Standardization statistics go into the card, so predict does to new rows what training did.
        const auto mean = d.features.mean(0), stdev = d.features.std(0).clamp_min(1e-6);
        for (std::int64_t f = 0; f < features; ++f) {
            d.pre.mean.push_back(mean[f].item<double>());
            d.pre.std.push_back(stdev[f].item<double>());
        }
    }
    return d;
}

} // namespace maas::engine
