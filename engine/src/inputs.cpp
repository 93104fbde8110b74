#include "maas/engine/inputs.h"

#include <torch/csrc/jit/serialization/pickle.h>

#include <stb/stb_image.h>
#include <stb/stb_image_resize.h>

#include <cmath>
#include <cstring>
#include <iomanip>
#include <memory>
#include <sstream>

#include "csv.h"
#include "files.h"
#include "maas/engine/error.h"
#include "maas/engine/filetypes.h"
#include "sizes.h"
#include "torch_bridge.h"

namespace maas::engine {

namespace {

std::string csvNumberText(double v)
{
    std::ostringstream text;
    text << std::setprecision(12) << v;
    return text.str();
}

double channelValue(const std::vector<double>& values, std::size_t c, double fallback)
{
    if (values.empty())
        return fallback;
    return values.size() == 1 ? values[0] : values[c];
}

void checkStats(const Preprocessing& pre, std::size_t channels, const std::string& what)
{
    for (const auto* v : { &pre.mean, &pre.std })
        if (v->size() > 1 && v->size() != channels)
            throw Error(ErrorKind::InvalidInput,
                what + " has " + std::to_string(channels) + " channels or columns, but the card's preprocessing has "
                    + std::to_string(v->size())
                    + " mean/std values; fix preprocessing.mean and preprocessing.std in the model's card.");
}

} // namespace

Tensor loadImage(const std::string& path, const Preprocessing& pre, int channels)
{
    requireRegularFile(path, "image");
    if (channels != 1 && channels != 3)
        throw Error(ErrorKind::InvalidInput,
            "the model's image input has " + std::to_string(channels) + " channels; images give 1 (gray) or 3 (rgb).");
    int width = 0, height = 0, original = 0;
    // The header first: a small file may claim a huge image, and stbi_load would allocate it all.
    if (stbi_info(path.c_str(), &width, &height, &original))
        if (const auto why = imageSizeProblem(width, height); !why.empty())
            throw Error(ErrorKind::InvalidInput, path + " is " + why + "; give a smaller image.");
    if (const auto why = imageSizeProblem(pre.imageWidth, pre.imageHeight); !why.empty())
        throw Error(ErrorKind::InvalidInput,
            "the model's card asks for images of " + why
                + "; fix preprocessing.image_width and image_height in the card.");
    std::unique_ptr<unsigned char, void (*)(void*)> pixels(
        stbi_load(path.c_str(), &width, &height, &original, channels), stbi_image_free);
    if (!pixels)
        throw Error(ErrorKind::InvalidInput,
            path + " cannot be read as an image (" + stbi_failure_reason() + "); give a PNG, JPEG or BMP file.");
    const int outW = pre.imageWidth > 0 ? pre.imageWidth : width;
    const int outH = pre.imageHeight > 0 ? pre.imageHeight : height;
    std::vector<unsigned char> resized;
    const unsigned char* src = pixels.get();
    if (outW != width || outH != height) {
        resized.resize(static_cast<std::size_t>(outW) * outH * channels);
        if (!stbir_resize_uint8(src, width, height, 0, resized.data(), outW, outH, 0, channels))
            throw Error(ErrorKind::InvalidInput,
                path + " could not be resized to " + std::to_string(outW) + "x" + std::to_string(outH) + ".");
        src = resized.data();
    }
    checkStats(pre, static_cast<std::size_t>(channels), path);
    // Interleaved HWC bytes become planar CHW floats: (pixel * scale - mean[c]) / std[c].
    std::vector<float> values(static_cast<std::size_t>(channels) * outH * outW);
    const std::size_t plane = static_cast<std::size_t>(outH) * outW;
    for (int c = 0; c < channels; ++c) {
        const double mean = channelValue(pre.mean, c, 0.0), stdev = channelValue(pre.std, c, 1.0);
        for (std::size_t i = 0; i < plane; ++i)
            values[c * plane + i] = static_cast<float>((src[i * channels + c] * pre.scale - mean) / stdev);
    }
    return Tensor::fromFloats({ 1, channels, outH, outW }, values);
}

Tensor loadCsvRows(const std::string& path, const Preprocessing& pre)
{
    return guardMemory(
        "reading " + path, [&] { return loadCsvText(readFileWithin(path, "CSV", dataBytesLimit()), path, pre); });
}

Tensor loadCsvText(const std::string& text, const std::string& source, const Preprocessing& pre, bool header)
{
    std::vector<float> values;
    std::size_t columns = 0, rows = 0;
    const auto records = parseCsv(text, source);
    for (std::size_t r = 0; r < records.size(); ++r) {
        const auto& record = records[r];
        std::vector<float> row;
        std::size_t badColumn = 0;
        for (std::size_t c = 0; c < record.cells.size() && badColumn == 0; ++c) {
            float v;
            if (parseCsvNumber(record.cells[c], v))
                row.push_back(v);
            else
                badColumn = c + 1;
        }
        if (badColumn == 0) // a model given NaN or infinity answers NaN for every class
            for (std::size_t c = 0; c < row.size(); ++c)
                if (!std::isfinite(row[c]))
                    throw Error(ErrorKind::InvalidInput,
                        csvWhere(source, record.line, c + 1) + ": '" + record.cells[c]
                            + "' is not a finite number; give a value the model can compute with.");
        if (badColumn != 0) {
            if (r == 0 && header)
                continue; // a header line
            throw Error(ErrorKind::InvalidInput,
                csvWhere(source, record.line, badColumn) + ": '" + record.cells[badColumn - 1]
                    + "' is not a number; every value after the header must be numeric.");
        }
        if (columns == 0)
            columns = row.size();
        if (row.size() != columns)
            throw Error(ErrorKind::InvalidInput,
                source + ", line " + std::to_string(record.line) + ": has " + std::to_string(row.size())
                    + " values where the rows before have " + std::to_string(columns)
                    + "; make every row the same length.");
        values.insert(values.end(), row.begin(), row.end());
        ++rows;
    }
    if (rows == 0)
        throw Error(ErrorKind::InvalidInput, source + " has no rows of numbers; give one sample per line.");
    checkStats(pre, columns, source);
    for (std::size_t r = 0; r < rows; ++r)
        for (std::size_t c = 0; c < columns; ++c) {
            auto& v = values[r * columns + c];
            v = static_cast<float>((v * pre.scale - channelValue(pre.mean, c, 0.0)) / channelValue(pre.std, c, 1.0));
        }
    return Tensor::fromFloats({ static_cast<std::int64_t>(rows), static_cast<std::int64_t>(columns) }, values);
}

Tensor loadTypedRows(const ModelCard& card, const std::string& text, const std::string& source)
{
    auto values = loadCsvText(text, source, card.preprocessing, false);
    // A model over token ids takes typed rows of ids as its integer type.
    return card.inputs.empty() ? values : toIntegers(values, card.inputs.front().dtype, source);
}

Tensor toIntegers(const Tensor& values, DataType type, const std::string& source)
{
    const bool integer = type == DataType::Int64 || type == DataType::Int32 || type == DataType::Int16
        || type == DataType::Int8 || type == DataType::UInt8;
    if (!integer || values.dtype == type)
        return values;
    const double low = type == DataType::UInt8 ? 0.0 : -std::ldexp(1.0, static_cast<int>(elementSize(type) * 8 - 1));
    const double high = type == DataType::UInt8 ? 255.0 : -low - 1.0;
    const auto numbers = values.toDoubles();
    const std::int64_t columns = values.shape.size() > 1 ? values.shape.back() : 1;
    Tensor out;
    out.dtype = type;
    out.shape = values.shape;
    out.data.resize(numbers.size() * elementSize(type));
    for (std::size_t i = 0; i < numbers.size(); ++i) {
        const double v = numbers[i];
        const auto where = [&] {
            return source + ", row " + std::to_string(static_cast<std::int64_t>(i) / columns + 1) + ", column "
                + std::to_string(static_cast<std::int64_t>(i) % columns + 1) + ": " + csvNumberText(v);
        };
        if (v != std::floor(v))
            throw Error(ErrorKind::InvalidInput,
                where() + " is not a whole number, but the model takes " + dataTypeName(type)
                    + " (token ids); give whole numbers.");
        // The rows were read as float32, exact for whole numbers up to 2^24 only; above, a .npy file keeps them.
        const double exact = std::ldexp(1.0, 24);
        if (std::fabs(v) > exact && type != DataType::UInt8)
            throw Error(ErrorKind::InvalidInput,
                where() + " is past " + csvNumberText(exact) + ", the largest id typed rows hold exactly; give ids "
                    + "this large in a .npy file of " + dataTypeName(type) + ".");
        if (!(v >= low && v <= high))
            throw Error(ErrorKind::InvalidInput,
                where() + " does not fit in " + dataTypeName(type) + "; give whole numbers from " + csvNumberText(low)
                    + " to " + csvNumberText(high) + ".");
        const auto whole = static_cast<std::int64_t>(v);
        std::memcpy(out.data.data() + i * elementSize(type), &whole, elementSize(type)); // little-endian: low bytes
    }
    return out;
}

Tensor loadTensorFile(const std::string& path)
{
    if (extensionOf(path) == ".npy")
        return readNpy(path);
    const std::string bytes = readFileWithin(path, "tensor", dataBytesLimit());
    c10::IValue value;
    try {
        value = guardMemory(
            "reading " + path, [&] { return torch::jit::pickle_load(std::vector<char>(bytes.begin(), bytes.end())); });
    } catch (const Error&) {
        throw;
    } catch (const std::exception&) {
        throw Error(ErrorKind::InvalidInput,
            path + " is not a tensor file; give a .npy file (numpy.save) or a tensor saved with torch.save.");
    }
    if (!value.isTensor())
        throw Error(ErrorKind::InvalidInput,
            path + " holds a " + value.tagKind()
                + ", not a tensor; save a single tensor with torch.save(tensor, path).");
    // A stride-0 view (tensor.expand) pickles small but would be copied out at its full size.
    const auto tensor = value.toTensor();
    const std::int64_t need = checkedProduct(checkedProduct(tensor.sizes().vec()), tensor.element_size());
    if (need < 0 || need > static_cast<std::int64_t>(bytes.size()))
        throw Error(ErrorKind::InvalidInput,
            path + " holds a tensor of shape " + shapeToString(tensor.sizes().vec()) + " whose values ("
                + (need < 0 ? std::string("more than 9 EB") : byteSize(double(need))) + ") are more than the file's "
                + byteSize(double(bytes.size())) + "; save a tensor that owns its values (tensor.contiguous()).");
    return guardMemory("reading " + path, [&] { return fromTorch(tensor); });
}

std::vector<std::vector<ScoredClass>> topClasses(const Tensor& scores, int k)
{
    std::vector<std::vector<ScoredClass>> ranked;
    if (scores.shape.size() != 2 || scores.dtype == DataType::Bytes || k < 1)
        return ranked;
    const auto values = scores.toDoubles();
    const auto rows = scores.shape[0], cols = scores.shape[1];
    for (std::int64_t r = 0; r < rows; ++r) {
        std::vector<double> row(values.begin() + r * cols, values.begin() + (r + 1) * cols);
        double sum = 0.0;
        bool probabilities = true;
        for (double v : row) {
            sum += v;
            probabilities = probabilities && v >= 0.0 && v <= 1.0;
        }
        if (!probabilities || std::fabs(sum - 1.0) > 1e-3) {
            const double top = *std::max_element(row.begin(), row.end());
            double total = 0.0;
            for (double& v : row)
                total += (v = std::exp(v - top));
            for (double& v : row)
                v /= total;
        }
        std::vector<ScoredClass> scored;
        for (std::int64_t c = 0; c < cols; ++c)
            scored.push_back({ static_cast<int>(c), row[static_cast<std::size_t>(c)] });
        const auto keep = std::min<std::size_t>(static_cast<std::size_t>(k), scored.size());
        std::partial_sort(scored.begin(), scored.begin() + static_cast<std::ptrdiff_t>(keep), scored.end(),
            [](const ScoredClass& a, const ScoredClass& b) { return a.score > b.score; });
        scored.resize(keep);
        ranked.push_back(std::move(scored));
    }
    return ranked;
}

Tensor concatBatch(const std::vector<Tensor>& parts, const std::string& what)
{
    if (parts.size() == 1)
        return parts.front();
    Tensor out = parts.front();
    for (std::size_t i = 1; i < parts.size(); ++i) {
        const auto& p = parts[i];
        const bool same = p.dtype == out.dtype && p.shape.size() == out.shape.size()
            && std::equal(p.shape.begin() + 1, p.shape.end(), out.shape.begin() + 1);
        if (!same)
            throw Error(ErrorKind::InvalidInput,
                what + " " + std::to_string(i + 1) + " has shape " + shapeToString(p.shape) + " "
                    + dataTypeName(p.dtype) + ", which cannot be batched with " + shapeToString(parts.front().shape)
                    + " " + dataTypeName(parts.front().dtype) + "; give inputs of one size.");
        out.shape[0] += p.shape[0];
        out.data.insert(out.data.end(), p.data.begin(), p.data.end());
    }
    return out;
}

std::vector<Tensor> loadInputs(const ModelCard& card, const std::vector<std::string>& sources)
{
    if (sources.empty())
        throw Error(ErrorKind::InvalidInput, "no input given; pass a tensor, CSV or image file, or text.");
    if (!card.inputs.empty() && card.inputs.front().dtype == DataType::Bytes)
        return { Tensor::fromStrings(sources) };

    if (card.inputs.size() > 1) {
        if (sources.size() != card.inputs.size())
            throw Error(ErrorKind::InvalidInput,
                "the model takes " + std::to_string(card.inputs.size())
                    + " inputs; give one tensor file for each, in order.");
        std::vector<Tensor> out;
        for (const auto& s : sources)
            out.push_back(loadTensorFile(s));
        return out;
    }

    const TensorSpec spec = card.inputs.empty() ? TensorSpec {} : card.inputs.front();
    std::vector<Tensor> parts;
    for (const auto& source : sources) {
        const std::string ext = extensionOf(source);
        Tensor t;
        if (isImagePath(source)) {
            int channels = card.preprocessing.color == "gray" ? 1 : 3;
            if (spec.shape.size() == 4 && spec.shape[1] > 0)
                channels = static_cast<int>(spec.shape[1]);
            t = loadImage(source, card.preprocessing, channels);
        } else if (ext == ".csv" || ext == ".txt" || ext == ".tsv") {
            t = toIntegers(loadCsvRows(source, card.preprocessing), spec.dtype, source);
        } else if (ext == ".npy" || ext == ".pt" || ext == ".pth") {
            t = loadTensorFile(source);
        } else {
            requireRegularFile(source, "input");
            throw Error(ErrorKind::InvalidInput,
                source + ": unknown input kind '" + ext
                    + "'; give an image (.png, .jpg), a CSV of numbers (.csv) or a tensor (.npy, .pt).");
        }
        // Tensor files hold whole batches when they have the model's rank, and one sample otherwise.
        if (!spec.shape.empty() && t.shape.size() + 1 == spec.shape.size())
            t.shape.insert(t.shape.begin(), 1);
        if (t.shape.empty())
            t.shape = { 1 };
        parts.push_back(std::move(t));
    }
    return { concatBatch(parts, "input") };
}

} // namespace maas::engine
