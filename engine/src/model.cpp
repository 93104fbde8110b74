#include "torch_bridge.h"

#include <caffe2/serialize/inline_container.h>
#include <torch/csrc/jit/serialization/storage_context.h>
#include <torch/csrc/jit/serialization/unpickler.h>

#include <cstring>
#include <filesystem>
#include <map>
#include <unordered_set>

#include "files.h"
#include "maas/engine/benchmark.h"
#include "maas/engine/error.h"
#include "maas/engine/filetypes.h"
#include "sizes.h"

namespace maas::engine {

namespace {

constexpr const char* kCardFile = "card.json";
constexpr const char* kQuantizedEngineFile = "quantized_engine";
constexpr const char* kTargetFile = "target";
constexpr const char* kStoredAsFile = "stored_as";

// An archive held in memory, read in place (a decrypted model is not copied again).
class BytesReader : public caffe2::serialize::ReadAdapterInterface {
public:
    explicit BytesReader(const std::string& bytes)
        : m_bytes(bytes)
    {
    }
    std::size_t size() const override { return m_bytes.size(); }
    std::size_t read(std::uint64_t pos, void* buf, std::size_t n, const char* = "") const override
    {
        if (pos >= m_bytes.size())
            return 0;
        n = std::min<std::size_t>(n, m_bytes.size() - static_cast<std::size_t>(pos));
        std::memcpy(buf, m_bytes.data() + pos, n);
        return n;
    }

private:
    const std::string& m_bytes;
};

using ArchiveReader = caffe2::serialize::PyTorchStreamReader;

std::unique_ptr<ArchiveReader> archiveReader(const std::string& path, const std::string* bytes)
{
    return bytes ? std::make_unique<ArchiveReader>(std::make_shared<BytesReader>(*bytes))
                 : std::make_unique<ArchiveReader>(path);
}

// The quantized engine a model's archive names (empty when it names none, or cannot be read here: loading
// then says why). Read before loading, since loading packs quantized weights for the engine set then.
std::string quantizedEngineOf(const std::string& path, const std::string* bytes)
{
    try {
        const auto reader = archiveReader(path, bytes);
        const std::string record = std::string("extra/") + kQuantizedEngineFile;
        if (!reader->hasRecord(record))
            return {};
        const auto [data, size] = reader->getRecord(record);
        const std::string engine(static_cast<const char*>(data.get()), std::min<std::size_t>(size, 16));
        return engine == "onednn" || engine == "qnnpack" ? engine : std::string();
    } catch (const std::exception&) {
        return {};
    }
}
const std::string kExport = "save it with torch.jit.save(torch.jit.script(model), 'model.pt')";

// Everything torch::jit::load would reject gets a sentence that says what the file really is.
void diagnose(const std::string& path)
{
    requireRegularFile(path, "model");
    const std::string name = std::filesystem::path(path).filename().string();
    const FileKind kind = detectFileKind(path);
    switch (kind) {
    case FileKind::TorchScript: return;
    case FileKind::Empty:
        throw Error(ErrorKind::InvalidModel,
            path + " is empty (0 bytes): an export or copy did not finish; export the model again and " + kExport
                + ".");
    case FileKind::Onnx:
        throw Error(ErrorKind::InvalidModel,
            path + " is an ONNX model, but the workbench runs TorchScript: in Python, " + kExport
                + " (or serve the ONNX file with Triton's ONNX Runtime backend).");
    case FileKind::LegacyPickle:
        throw Error(ErrorKind::InvalidModel,
            path + " is a Python pickle written by torch.save in the legacy format, not a TorchScript archive: "
                + "load it in Python, then " + kExport + ".");
    case FileKind::DamagedArchive:
        throw Error(ErrorKind::InvalidModel,
            path + " is a damaged or truncated archive (its zip directory is missing); copy or export it again.");
    case FileKind::StateDict:
        throw Error(ErrorKind::InvalidModel,
            path + " is a state_dict (weights only), not a TorchScript archive: in Python, build the model, "
                + "call model.load_state_dict(torch.load('" + name + "')), then " + kExport + ".");
    case FileKind::PickledObject:
        throw Error(ErrorKind::InvalidModel,
            path + " is a Python object pickled with torch.save, not a TorchScript archive: load it in Python, then "
                + kExport + ".");
    case FileKind::OtherZip:
        throw Error(ErrorKind::InvalidModel,
            path
                + " is a zip file but not a TorchScript archive (no constants.pkl inside); give a file written by "
                  "torch.jit.save.");
    case FileKind::Csv:
    case FileKind::Image:
    case FileKind::IdxFile:
    case FileKind::TensorFile:
        throw Error(ErrorKind::InvalidModel,
            path + " is " + describeFileKind(kind)
                + " (data), not a TorchScript archive; give a model written by torch.jit.save.");
    default:
        throw Error(ErrorKind::InvalidModel,
            path + " is not a TorchScript archive (it is not even a zip file); give a file written by torch.jit.save.");
    }
}

// The tensors a pickle holds, each checked against its storage: every byte its view reaches must be in it
// (a view past its storage reads the process's memory). Shared values are visited once, so a pickle that
// refers to one list many times cannot make the walk take exponential time.
class TensorCheck {
public:
    void add(const c10::IValue& value) { m_pending.push_back(value); }

    // The first tensor whose view reaches past its storage, as a sentence; empty when there is none.
    std::string firstOutside()
    {
        while (!m_pending.empty()) {
            const auto value = std::move(m_pending.back());
            m_pending.pop_back();
            if (value.isPtrType() && !m_seen.insert(value.internalToPointer()).second)
                continue;
            m_kept.push_back(value); // alive while the walk lasts, so no new tensor takes a seen one's address
            if (value.isTensor()) {
                if (auto why = outside(value.toTensor()); !why.empty())
                    return why;
            } else if (value.isObject()) {
                const auto object = value.toObject();
                for (std::size_t i = 0; i < object->slots().size(); ++i)
                    add(object->getSlot(i));
            } else if (value.isList()) {
                for (const auto& e : value.toListRef())
                    add(e);
            } else if (value.isTuple()) {
                for (const auto& e : value.toTupleRef().elements())
                    add(e);
            } else if (value.isGenericDict()) {
                for (const auto& entry : value.toGenericDict()) {
                    add(entry.key());
                    add(entry.value());
                }
            }
        }
        return {};
    }

private:
    std::string outside(const at::Tensor& t)
    {
        if (!t.defined())
            return {};
        if (t.is_sparse()) {
            add(t._indices());
            add(t._values());
            return {};
        }
        if (t.is_quantized() && t.qscheme() != at::kPerTensorAffine) {
            add(t.q_per_channel_scales());
            add(t.q_per_channel_zero_points());
        }
        if (!t.has_storage())
            return {};
        __int128 last = t.storage_offset(); // the last element the view reaches, in elements
        bool empty = false;
        for (std::int64_t d = 0; d < t.dim(); ++d) {
            if (t.size(d) < 0 || t.stride(d) < 0)
                return "a tensor with a negative size or stride";
            empty = empty || t.size(d) == 0;
            last += static_cast<__int128>(t.size(d) - 1) * t.stride(d);
        }
        const auto reach = (last + 1) * static_cast<__int128>(t.element_size());
        if (!empty && (t.storage_offset() < 0 || reach > static_cast<__int128>(t.storage().nbytes())))
            return "a tensor whose view reaches past the " + std::to_string(t.storage().nbytes()) + " bytes it has";
        return {};
    }

    std::vector<c10::IValue> m_pending, m_kept;
    std::unordered_set<const void*> m_seen;
};

// LibTorch 1.13 checks neither that a record holds the bytes its storage claims nor that a tensor's view
// stays inside its storage: a record cut short or a view made too long (a damaged or crafted file) gives a
// tensor that reads past its buffer, and a served model could hand that memory out in its outputs. So the
// archive's pickles are read here first, as torch::jit::load will read them but without running any of the
// model's code, and every storage is held against its record and every tensor against its storage.
// Pickles that cannot be read this way are left to loading, which refuses them.
void requireWholeTensors(ArchiveReader& reader, const std::string& path)
{
    const auto refuse = [&](const std::string& what) {
        throw Error(ErrorKind::InvalidModel,
            path + what + ": the file is damaged or was not written by torch.jit.save; export it again.");
    };
    for (const std::string archive : { "data", "constants" }) {
        if (!reader.hasRecord(archive + ".pkl"))
            continue;
        const auto [pickle, pickleSize] = reader.getRecord(archive + ".pkl");
        std::size_t at = 0;
        const auto read = [&, &pickle = pickle, pickleSize = pickleSize](char* out, std::size_t n) {
            n = std::min(n, pickleSize - at);
            std::memcpy(out, static_cast<const char*>(pickle.get()) + at, n);
            at += n;
            return n;
        };
        std::map<std::string, std::size_t> recordBytes;
        const auto record = [&](const std::string& key) {
            auto [data, size] = reader.getRecord(archive + "/" + key);
            recordBytes[key] = size;
            return std::move(data);
        };
        auto unit = std::make_shared<torch::jit::CompilationUnit>();
        const auto resolve = [unit](const c10::QualifiedName& name) {
            const auto& text = name.qualifiedName();
            if (text.find('[') != std::string::npos || text.find('.') == std::string::npos) // a type tag
                return c10::StrongTypePtr(unit, torch::jit::Unpickler::defaultTypeParser(text));
            if (auto known = unit->get_class(name))
                return c10::StrongTypePtr(unit, known);
            auto type = c10::ClassType::create(name, unit);
            unit->register_type(type);
            return c10::StrongTypePtr(unit, type);
        };
        TensorCheck tensors;
        const auto keepState = [&](const c10::StrongTypePtr& type, const c10::IValue& state) {
            tensors.add(state); // the object's own code (__setstate__) is not run
            return c10::ivalue::Object::create(type, 0);
        };
        const auto storages = std::make_shared<torch::jit::DeserializationStorageContext>();
        torch::jit::Unpickler unpickler(read, resolve, keepState, record, c10::Device(c10::kCPU), false,
            torch::jit::Unpickler::defaultTypeParser, storages);
        unpickler.set_version(reader.version());
        try {
            tensors.add(unpickler.parse_ivalue());
        } catch (const std::exception&) {
            return;
        }
        for (const auto& [key, size] : recordBytes)
            if (storages->hasStorage(key) && storages->getStorage(key).nbytes() > size)
                refuse(" has a weight record (" + archive + "/" + key + ") of " + std::to_string(size)
                    + " bytes for a tensor of " + std::to_string(storages->getStorage(key).nbytes()));
        if (const auto why = tensors.firstOutside(); !why.empty())
            refuse(" holds " + why);
    }
}

} // namespace

Model::Model(std::shared_ptr<Impl> impl)
    : m_impl(std::move(impl))
{
}

Model Model::load(const std::string& path)
{
    torch::jit::ExtraFilesMap extra;
    return loadWithExtras(path, extra);
}

Model Model::loadBytes(const std::string& bytes, const std::string& name)
{
    torch::jit::ExtraFilesMap extra;
    return loadWithExtras(name, extra, &bytes);
}

Model loadWithExtras(const std::string& path, torch::jit::ExtraFilesMap& extra, const std::string* bytes)
{
    if (!bytes)
        diagnose(path);
    else if (bytes->compare(0, 4, std::string("PK\3\4", 4)) != 0)
        throw Error(ErrorKind::InvalidModel,
            path + " is not a TorchScript archive (it is not even a zip file); give a file written by torch.jit.save.");
    ensureThreadsConfigured();
    auto impl = std::make_shared<Model::Impl>();
    impl->path = path;
    extra[kCardFile] = "";
    extra[kTargetFile] = "";
    extra[kStoredAsFile] = "";
    impl->quantizedEngine = quantizedEngineOf(path, bytes);
    try {
        const QuantizedEngineScope engine(impl->quantizedEngine);
        requireWholeTensors(*archiveReader(path, bytes), path);
        if (bytes) {
            impl->module = torch::jit::load(std::make_shared<BytesReader>(*bytes), c10::Device(c10::kCPU), extra);
        } else {
            impl->module = torch::jit::load(path, c10::Device(c10::kCPU), extra);
        }
    } catch (const Error&) {
        throw;
    } catch (const std::exception& e) {
        const std::string why = torchMessage(e);
        throw Error(ErrorKind::InvalidModel,
            path + " could not be loaded as TorchScript" + (why.empty() ? ": the archive is damaged" : " (" + why + ")")
                + "; export it again with torch.jit.save from PyTorch 1.13 or older.");
    }
    impl->module.eval();
    impl->target = extra[kTargetFile] == "cpu" || extra[kTargetFile] == "mobile" ? extra[kTargetFile] : "";
    const std::string& storedAs = extra[kStoredAsFile];
    impl->storedAs = storedAs == "fp16" || storedAs == "bf16" ? storedAs : "";
    impl->workload = workloadOf(impl->module);
    impl->inputUses = inputIndexUses(impl->module);
    prepareForTarget(*impl);
    {
        const ThreadLease readyPools(impl->workload);
    } // the first model loaded sets the split up front
    const std::string& cardText = extra[kCardFile];
    if (cardText.empty()) {
        impl->card = inferCard(impl->module, path, impl->inputUses);
    } else {
        std::string why;
        const auto json = parseJson(cardText, &why);
        if (!json)
            throw Error(ErrorKind::InvalidCard,
                path + " has a model card (extra/card.json) that cannot be read (" + why
                    + "); fix it or remove it so the workbench infers one.");
        impl->card = ModelCard::fromJson(*json, path);
    }
    return Model::fromImpl(std::move(impl));
}

void Model::save(const std::string& path) const { saveWithExtras(*this, path, {}); }

torch::jit::ExtraFilesMap archiveExtras(const Model& model, torch::jit::ExtraFilesMap extra)
{
    // Readers refuse labels that are not UTF-8; a path that is not (in the lineage) is kept with U+FFFD in
    // its place rather than failing the save at the end of a run.
    extra[kCardFile] = model.card().toJson().dump(1, ' ', false, nlohmann::json::error_handler_t::replace);
    if (!model.impl().quantizedEngine.empty())
        extra[kQuantizedEngineFile] = model.impl().quantizedEngine;
    if (!model.impl().target.empty())
        extra[kTargetFile] = model.impl().target;
    if (!model.impl().storedAs.empty())
        extra[kStoredAsFile] = model.impl().storedAs;
    return extra;
}

void saveWithExtras(const Model& model, const std::string& path, torch::jit::ExtraFilesMap extra)
{
    extra = archiveExtras(model, std::move(extra));
    writeAtomically(path, [&](const std::string& tmp) {
        try {
            archivedModule(model.impl()).save(tmp, extra);
        } catch (const std::exception& e) {
            throw Error(ErrorKind::Io, "cannot write " + path + ": " + torchMessage(e));
        }
    });
}

const ModelCard& Model::card() const { return m_impl->card; }

Model Model::withCard(ModelCard card) const
{
    // The module is shared: a loaded model's module never changes (training works on a clone), so only
    // the card needs a copy of its own.
    auto impl = std::make_shared<Impl>(*m_impl);
    impl->card = std::move(card);
    return Model(std::move(impl));
}

Model cloneModel(const Model& model)
{
    auto impl = std::make_shared<Model::Impl>(model.impl());
    {
        // Without autograd the copies are leaf tensors an optimizer accepts; their flags are set back after.
        torch::NoGradGuard noGrad;
        impl->module = archivedModule(model.impl()).clone();
    }
    impl->archived.reset(); // a copy to change runs as it is written
    impl->target.clear();
    impl->storedAs.clear(); // training writes fp32 weights
    const auto from = archivedModule(model.impl()).named_parameters(true);
    const auto to = impl->module.named_parameters(true);
    for (auto f = from.begin(), t = to.begin(); f != from.end() && t != to.end(); ++f, ++t)
        (*t).value.set_requires_grad((*f).value.requires_grad());
    return Model::fromImpl(std::move(impl));
}

std::string parentSha256(const Model::Impl& model)
{
    return model.path.empty() ? model.card.lineage.parentSha256 : sha256File(model.path);
}

void stampLineage(
    ModelCard& card, const std::string& operation, const std::string& parentSha256, nlohmann::json parameters)
{
    card.lineage.operation = operation;
    card.lineage.parentSha256 = parentSha256;
    card.lineage.parameters = std::move(parameters);
}

const std::string& Model::path() const { return m_impl->path; }

namespace {

// Ids past the embedding's rows would stop LibTorch with "index out of range in self": say which id and
// what range the model has instead.
void checkIds(const std::string& name, const Tensor& t, const IndexUse& use)
{
    if (!use.indices || use.rows <= 0 || t.dtype == DataType::Bytes || t.dtype == DataType::Float16
        || t.dtype == DataType::Float32 || t.dtype == DataType::Float64)
        return;
    const auto values = t.toDoubles();
    for (std::size_t i = 0; i < values.size(); ++i)
        if (values[i] < 0 || values[i] >= static_cast<double>(use.rows))
            throw Error(ErrorKind::InvalidInput,
                name + " has the id " + std::to_string(static_cast<std::int64_t>(values[i])) + " at position "
                    + std::to_string(i) + ", but the model's table has " + std::to_string(use.rows)
                    + " rows; give ids from 0 to " + std::to_string(use.rows - 1) + ".");
}

} // namespace

void Model::validateInputs(const std::vector<Tensor>& inputs) const
{
    const auto& specs = m_impl->card.inputs;
    if (specs.empty())
        return;
    if (inputs.size() != specs.size()) {
        std::string names;
        for (const auto& s : specs)
            names += (names.empty() ? "" : ", ") + s.name;
        throw Error(ErrorKind::InvalidInput,
            "the model takes " + std::to_string(specs.size()) + " input(s) (" + names + ") but was given "
                + std::to_string(inputs.size()) + ".");
    }
    for (std::size_t i = 0; i < specs.size(); ++i) {
        const auto& spec = specs[i];
        const auto& t = inputs[i];
        const std::string name = "input '" + (spec.name.empty() ? std::to_string(i) : spec.name) + "'";
        if ((spec.dtype == DataType::Bytes) != (t.dtype == DataType::Bytes) || spec.dtype != t.dtype) {
            std::string fix = spec.dtype == DataType::Bytes ? "pass text"
                : t.dtype == DataType::Bytes                ? "pass numbers (a tensor, CSV or image file)"
                                                            : "convert it (with NumPy: array.astype(...))";
            throw Error(ErrorKind::InvalidInput,
                name + " takes " + dataTypeName(spec.dtype) + " but was given " + dataTypeName(t.dtype) + "; " + fix
                    + ".");
        }
        if (i < m_impl->inputUses.size())
            checkIds(name, t, m_impl->inputUses[i]);
        if (spec.shape.empty() || spec.dtype == DataType::Bytes)
            continue;
        if (t.shape.size() != spec.shape.size())
            throw Error(ErrorKind::InvalidInput,
                name + " has shape " + shapeToString(t.shape) + " but the model expects "
                    + std::to_string(spec.shape.size()) + " axes, " + shapeToString(spec.shape)
                    + " (-1 is any size); reshape the input.");
        for (std::size_t a = 0; a < spec.shape.size(); ++a)
            if (spec.shape[a] != -1 && spec.shape[a] != t.shape[a])
                throw Error(ErrorKind::InvalidInput,
                    name + " has shape " + shapeToString(t.shape) + " but the model expects "
                        + shapeToString(spec.shape) + ": axis " + std::to_string(a) + " must be "
                        + std::to_string(spec.shape[a]) + ".");
    }
}

std::vector<Tensor> Model::predict(const std::vector<Tensor>& inputs) const
{
    validateInputs(inputs);
    const ThreadLease threads(m_impl->workload);
    c10::InferenceMode guard;
    auto args = toForwardArguments(m_impl->card, inputs);
    c10::IValue result;
    try {
        result = m_impl->module.forward(std::move(args));
    } catch (const std::exception& e) {
        if (isAllocationFailure(e))
            throw outOfMemory("running the model on inputs of shape " + shapeToString(inputs.front().shape));
        throw Error(ErrorKind::InvalidInput,
            "the model could not run on this input (" + torchMessage(e)
                + "); check the input against the model's card.");
    }
    return fromForwardResult(result);
}

namespace {

// A check must not take the memory a real run would: past this many values the model is not run.
constexpr std::int64_t kMaxCheckValues = 1 << 24;

std::optional<std::int64_t> countFromRun(const Model& model)
{
    try {
        const auto shapes = defaultInputShapes(model, 1);
        for (const auto& s : shapes)
            if (const auto n = checkedProduct(s.shape); n < 0 || n > kMaxCheckValues)
                return std::nullopt; // sized before anything is allocated
        const auto inputs = syntheticInputs(model, shapes);
        const auto outputs = model.predict(inputs);
        if (!outputs.empty() && outputs.front().shape.size() == 2 && outputs.front().shape[0] == 1)
            return outputs.front().shape[1];
    } catch (const Error&) {
        // The card's shapes do not fit the model (or tell too little): the card's outputs are all there is.
    }
    return std::nullopt;
}

// `run`: may the model be run to count its outputs (setting a card: yes; every load: no, a model's
// forward can be slow or never end, and only the card's own output shape is read).
std::string labelsMismatch(const Model& model, const ModelCard& card, std::int64_t& outputs, bool run)
{
    outputs = 0;
    if (card.labels.empty())
        return {};
    const auto declared
        = !card.outputs.empty() && card.outputs.front().shape.size() == 2 && card.outputs.front().shape[1] > 0
        ? std::optional<std::int64_t>(card.outputs.front().shape[1])
        : std::nullopt;
    const auto count = run ? outputCount(model, card) : declared;
    if (!count || *count == static_cast<std::int64_t>(card.labels.size()))
        return {};
    outputs = *count;
    return std::to_string(card.labels.size()) + (card.labels.size() == 1 ? " label" : " labels");
}

} // namespace

std::optional<std::int64_t> outputCount(const Model& model, const ModelCard& card)
{
    if (const auto run = countFromRun(model.withCard(card)))
        return run;
    if (!card.outputs.empty() && card.outputs.front().shape.size() == 2 && card.outputs.front().shape[1] > 0)
        return card.outputs.front().shape[1];
    return std::nullopt;
}

void checkLabels(const Model& model, const ModelCard& card)
{
    std::int64_t outputs = 0;
    const std::string labels = labelsMismatch(model, card, outputs, true);
    if (labels.empty())
        return;
    const std::string detail = "has " + labels + " but the model gives " + std::to_string(outputs)
        + " outputs per sample; give " + std::to_string(outputs) + " labels, one per output, or none.";
    throw Error(ErrorKind::InvalidCard, "the card " + detail, "labels", detail);
}

std::string labelsWarning(const Model& model)
{
    std::int64_t outputs = 0;
    const std::string labels = labelsMismatch(model, model.card(), outputs, false);
    if (labels.empty())
        return {};
    const std::string where = model.path().empty() ? "the model" : model.path();
    return where + " has a card with " + labels + " but the model gives " + std::to_string(outputs)
        + " outputs per sample; give its card one label per output, or none.";
}

} // namespace maas::engine
