#include "dataset_impl.h"

#include <stb/stb_image.h>
#include <stb/stb_image_resize.h>
#include <zlib.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <random>
#include <set>

#include <unistd.h>

#include "files.h"
#include "maas/engine/error.h"
#include "sizes.h"
#include "torch_bridge.h"

namespace fs = std::filesystem;

namespace maas::engine {

namespace {

// Per-channel statistics of images after scaling, for the card's mean and std. Summed in chunks, so
// the uint8 data set is never held a second time as float.
void imageStatistics(Dataset::Impl& d)
{
    // A streaming data set is measured on (at most) its first 2,000 images.
    const bool streaming = !d.files.empty();
    const auto channels = streaming ? d.channels : d.features.size(1);
    auto sum = torch::zeros({ channels }, at::kDouble), squares = torch::zeros({ channels }, at::kDouble);
    const std::int64_t n
        = streaming ? std::min<std::int64_t>(2000, static_cast<std::int64_t>(d.files.size())) : d.features.size(0);
    const std::int64_t chunk = 4096;
    for (std::int64_t start = 0; start < n; start += chunk) {
        const auto x = (streaming ? d.decode(torch::arange(start, std::min(n, start + chunk), at::kLong))
                                  : d.features.slice(0, start, std::min(n, start + chunk)))
                           .to(at::kDouble);
        sum += x.sum({ 0, 2, 3 });
        squares += x.pow(2).sum({ 0, 2, 3 });
    }
    const double count
        = static_cast<double>(n * (streaming ? d.height * d.width : d.features.size(2) * d.features.size(3)));
    d.pre.mean.clear();
    d.pre.std.clear();
    for (std::int64_t c = 0; c < channels; ++c) {
        const double mean = sum[c].item<double>() / count;
        const double variance
            = std::max(0.0, squares[c].item<double>() / count - mean * mean) * count / std::max(1.0, count - 1);
        d.pre.mean.push_back(mean * d.pre.scale);
        d.pre.std.push_back(std::max(1e-6, std::sqrt(variance) * d.pre.scale));
    }
}

} // namespace

at::Tensor Dataset::Impl::inputs(const at::Tensor& indices, const Preprocessing& pre) const
{
    // (raw * scale - mean[c]) / std[c], with c the channel of an image or the column of a table.
    auto x = (files.empty() ? features.index_select(0, indices) : decode(indices)).to(at::kFloat);
    if (pre.scale != 1.0)
        x.mul_(static_cast<float>(pre.scale));
    const auto channels = x.size(1);
    std::vector<std::int64_t> statShape(static_cast<std::size_t>(x.dim()), 1);
    statShape[1] = channels;
    // One value for every channel, or one per channel (checked by usePreprocessing and the readers).
    const auto stat = [&](const std::vector<double>& v) {
        const auto t = torch::tensor(v, at::kFloat);
        return v.size() == 1 ? t : t.view(statShape);
    };
    if (!pre.mean.empty())
        x.sub_(stat(pre.mean));
    if (!pre.std.empty())
        x.div_(stat(pre.std));
    return x;
}

at::Tensor Dataset::Impl::decode(const at::Tensor& indices) const
{
    auto out = at::empty({ indices.numel(), channels, height, width }, at::kByte);
    const std::size_t sampleBytes = static_cast<std::size_t>(channels * height * width);
    auto* dst = out.data_ptr<std::uint8_t>();
    const auto* idx = indices.data_ptr<std::int64_t>();
    for (std::int64_t i = 0; i < indices.numel(); ++i) {
        std::string why;
        if (!decodeImage(files[static_cast<std::size_t>(idx[i])], static_cast<int>(channels), static_cast<int>(width),
                static_cast<int>(height), dst + static_cast<std::size_t>(i) * sampleBytes, &why))
            throw Error(ErrorKind::InvalidInput, why + "; the image became unreadable after the data set was opened.");
    }
    return out;
}

void checkPreprocessingFits(const Dataset::Impl& data, const Preprocessing& pre)
{
    const auto channels = data.kind == DataKind::Text ? 0 : !data.files.empty() ? data.channels : data.features.size(1);
    for (const auto* v : { &pre.mean, &pre.std })
        if (v->size() > 1 && static_cast<std::int64_t>(v->size()) != channels)
            throw Error(ErrorKind::InvalidInput,
                data.path + " has " + std::to_string(channels) + " channels or features, but the model's card has "
                    + std::to_string(v->size()) + " mean/std values: this data does not fit the model.");
}

void Dataset::usePreprocessing(const Preprocessing& pre)
{
    checkPreprocessingFits(*m_impl, pre);
    m_impl->pre.scale = pre.scale;
    m_impl->pre.mean = pre.mean;
    m_impl->pre.std = pre.std;
}

Dataset::Dataset(std::shared_ptr<Impl> impl)
    : m_impl(std::move(impl))
{
}

namespace {

Dataset::Impl readLayout(const std::string& path, const DataOptions& options)
{
    const bool folder = fs::is_directory(path);
    const bool idx = folder
        ? !findIdx(path, options.split == "test" ? "t10k" : options.split, "-images-idx3-ubyte").empty()
        : path.find("-idx") != std::string::npos;
    if (idx)
        return openIdx(path, options);
    if (folder)
        return openImageFolder(path, options);
    if (extensionOf(path) == ".csv" || extensionOf(path) == ".tsv" || extensionOf(path) == ".txt")
        return openCsv(path, options);
    throw Error(ErrorKind::InvalidInput,
        path
            + " is not a data set the workbench reads; give an IDX folder, an image folder (one subfolder per "
              "class) or a CSV file.");
}

} // namespace

Dataset Dataset::open(const std::string& path, const DataOptions& options)
{
    std::error_code ec;
    if (!fs::exists(path, ec))
        throw Error(ErrorKind::NotFound, path + ": no such data set; check the path.");
    auto impl = std::make_shared<Impl>();
    *impl = guardMemory("reading " + path, [&] { return readLayout(path, options); });
    impl->path = path;
    if (options.limit > 0 && options.limit < impl->labels.size(0)) {
        impl->labels = impl->labels.slice(0, 0, options.limit).clone();
        if (impl->features.defined())
            impl->features = impl->features.slice(0, 0, options.limit).clone();
        if (!impl->files.empty())
            impl->files.resize(static_cast<std::size_t>(options.limit));
        if (!impl->texts.empty())
            impl->texts.resize(static_cast<std::size_t>(options.limit));
    }
    if (impl->kind == DataKind::Images)
        imageStatistics(*impl);
    return Dataset(std::move(impl));
}

DataKind Dataset::kind() const { return m_impl->kind; }
std::int64_t Dataset::size() const { return m_impl->labels.size(0); }
const std::vector<std::string>& Dataset::classes() const { return m_impl->classes; }
const Preprocessing& Dataset::preprocessing() const { return m_impl->pre; }
std::int64_t Dataset::skipped() const { return m_impl->skipped; }
const std::string& Dataset::firstSkipReason() const { return m_impl->firstSkip; }
const std::string& Dataset::text(std::int64_t i) const { return m_impl->texts.at(static_cast<std::size_t>(i)); }
const std::string& Dataset::path() const { return m_impl->path; }

Tensor Dataset::sample(std::int64_t i) const
{
    const auto& d = *m_impl;
    if (i < 0 || i >= size())
        throw Error(ErrorKind::InvalidInput,
            "sample " + std::to_string(i) + " is outside " + d.path + ", which has " + std::to_string(size())
                + " samples.");
    if (d.kind == DataKind::Text)
        return Tensor::fromStrings({ d.texts[static_cast<std::size_t>(i)] });
    if (!d.files.empty())
        return fromTorch(d.decode(torch::tensor({ i }, at::kLong))[0]);
    return fromTorch(d.features[i]);
}

std::vector<std::int64_t> Dataset::labels() const
{
    const auto* p = m_impl->labels.data_ptr<std::int64_t>();
    return { p, p + m_impl->labels.numel() };
}

bool Dataset::streaming() const { return !m_impl->files.empty(); }

std::vector<std::int64_t> Dataset::sampleShape() const
{
    if (m_impl->kind == DataKind::Text)
        return {};
    if (streaming())
        return { m_impl->channels, m_impl->height, m_impl->width };
    const auto s = m_impl->features.sizes();
    return { s.begin() + 1, s.end() };
}

std::string Dataset::describe() const
{
    const std::string kind = m_impl->kind == DataKind::Images ? "images"
        : m_impl->kind == DataKind::Table                     ? "rows"
                                                              : "texts";
    std::string shape;
    for (auto d : sampleShape())
        shape += (shape.empty() ? "" : "x") + std::to_string(d);
    return std::to_string(size()) + " " + kind + (shape.empty() ? "" : " " + shape) + ", "
        + std::to_string(classes().size()) + " classes" + (streaming() ? ", read from disk per batch" : "");
}

void Dataset::describeInCard(ModelCard& card) const
{
    auto shape = sampleShape();
    shape.insert(shape.begin(), -1);
    switch (m_impl->kind) {
    case DataKind::Images:
        card.inputs = { { "image", DataType::Float32, shape } };
        card.task = "image-classification";
        break;
    case DataKind::Table:
        card.inputs = { { "features", DataType::Float32, shape } };
        card.task = "classification";
        break;
    case DataKind::Text:
        card.inputs = { { "text", DataType::Bytes, { -1 } } };
        card.task = "text-classification";
        break;
    }
    card.outputs = { { "logits", DataType::Float32, { -1, static_cast<std::int64_t>(classes().size()) } } };
    card.labels = classes();
    const std::string tokenizer = card.preprocessing.tokenizer;
    card.preprocessing = m_impl->pre;
    card.preprocessing.tokenizer = tokenizer;
}

Split splitIndices(std::int64_t size, double validationFraction, std::uint64_t seed)
{
    std::vector<std::int64_t> order(static_cast<std::size_t>(size));
    for (std::int64_t i = 0; i < size; ++i)
        order[static_cast<std::size_t>(i)] = i;
    std::mt19937_64 rng(seed);
    for (std::size_t i = order.size(); i > 1; --i) // Fisher-Yates, the same on every platform
        std::swap(order[i - 1], order[rng() % i]);
    const auto validation = static_cast<std::size_t>(std::llround(static_cast<double>(size) * validationFraction));
    Split s;
    s.train.assign(order.begin(), order.end() - static_cast<std::ptrdiff_t>(validation));
    s.validation.assign(order.end() - static_cast<std::ptrdiff_t>(validation), order.end());
    return s;
}

} // namespace maas::engine
