// The model repository and what it serves: Triton's folder layout, loading with version policies,
// atomic publishing, infer requests through each version's batcher, and statistics.

#include "maas/engine/serving.h"

#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <condition_variable>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <random>

#include "files.h"
#include "maas/engine/benchmark.h"
#include "maas/engine/card.h"
#include "maas/engine/error.h"
#include "maas/engine/limits.h"
#include "maas/engine/model.h"
#include "maas/engine/optimize.h"
#include "serving_detail.h"
#include "sha256.h"

namespace maas::engine {

namespace fs = std::filesystem;
using nlohmann::json;
using serving::Batcher;
using serving::Stats;
using Clock = std::chrono::steady_clock;

namespace {

constexpr const char* kStaging = ".staging";
constexpr const char* kUploads = ".uploads";
constexpr const char* kModelFile = "model.pt";
constexpr std::int64_t kMaxUploadBytes = std::int64_t { 16 } << 30;
constexpr int kMaxOpenUploads = 64;
constexpr auto kUploadLifetime = std::chrono::hours(24);

// maas-serve runs TorchScript. A config for Triton's onnxruntime backend is read (publishing writes them) but
// not served: said at load, with where each form goes.
void servedHere(const ModelConfig& config, const std::string& where)
{
    if (config.platform != "pytorch_libtorch")
        throw Error(ErrorKind::InvalidInput,
            "the model configuration " + where + " asks for the platform \"" + config.platform
                + "\"; this endpoint serves pytorch_libtorch (TorchScript): publish the TorchScript form here, and the "
                  "ONNX form to a Triton server with the onnxruntime backend.");
}

struct Version {
    explicit Version(Model m)
        : model(std::move(m))
    {
    }
    std::int64_t number = 0;
    std::int64_t bytes = 0; ///< its model file's size
    ModelConfig config;
    Model model;
    std::string note; ///< what a user should know about how it is served (listed as the index's reason)
    std::map<std::string, std::vector<std::string>> labels; ///< by output name
    Stats stats;
    std::unique_ptr<Batcher> batcher; // last: stopped before the stats it writes go
};

struct Served {
    std::string state = "UNAVAILABLE";
    std::string reason = "unloaded";
    ModelConfig config;
    std::map<std::int64_t, std::shared_ptr<Version>> versions;
};

bool validUploadId(const std::string& id)
{
    return id.size() == 32
        && std::all_of(id.begin(), id.end(), [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

// Whether the upload was started by `owner` (its .owner file says who did).
bool ownedBy(const fs::path& root, const std::string& id, const std::string& owner)
{
    std::error_code ec;
    const auto file = root / kUploads / (id + ".owner");
    if (!fs::is_regular_file(file, ec))
        return false;
    std::ifstream in(file, std::ios::binary);
    const std::string recorded((std::istreambuf_iterator<char>(in)), {});
    return recorded == owner;
}

std::string randomHex(int bytes)
{
    static thread_local std::random_device device;
    std::string out;
    static const char* digits = "0123456789abcdef";
    for (int i = 0; i < bytes; ++i) {
        const auto b = device() & 0xff;
        out += digits[b >> 4];
        out += digits[b & 15];
    }
    return out;
}

void syncPath(const fs::path& path, bool directory)
{
    const int fd = ::open(path.c_str(), directory ? O_RDONLY | O_DIRECTORY : O_RDONLY);
    if (fd < 0)
        return;
    ::fsync(fd);
    ::close(fd);
}

// Why a write failed, as the system says (a permission, a full disk), for the sentence of an Error.
std::string writeFailure(int error) { return error ? std::strerror(error) : "is the disk full?"; }

void writeSynced(const fs::path& path, std::string_view bytes)
{
    std::error_code ec;
    fs::remove(path, ec); // a staged file may be a hard link to the served one: never write through it
    errno = 0;
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    out.close();
    if (!out)
        throw Error(ErrorKind::Io, "cannot write " + path.string() + ": " + writeFailure(errno) + ".");
    syncPath(path, false);
}

// A hard link when the file system allows it (the bytes are on disk already), else a copy made durable.
void linkOrCopy(const fs::path& from, const fs::path& to)
{
    if (::link(from.c_str(), to.c_str()) == 0)
        return;
    fs::copy_file(from, to, fs::copy_options::overwrite_existing);
    syncPath(to, false);
}

// A version as Triton names its folders: a whole number from 1, written without leading zeros.
std::optional<std::int64_t> versionNumber(const std::string& text)
{
    if (text.empty() || text.size() > 18 || text[0] == '0' || !std::all_of(text.begin(), text.end(), ::isdigit))
        return std::nullopt;
    return std::stoll(text);
}

std::vector<std::int64_t> versionsOnDisk(const fs::path& dir)
{
    std::vector<std::int64_t> versions;
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(dir, ec)) {
        const auto number = versionNumber(entry.path().filename().string());
        if (number && fs::is_regular_file(entry.path() / kModelFile, ec))
            versions.push_back(*number);
    }
    std::sort(versions.begin(), versions.end());
    return versions;
}

std::vector<std::int64_t> chosenVersions(const VersionPolicy& policy, const std::vector<std::int64_t>& onDisk)
{
    if (policy.kind == VersionPolicy::Kind::All)
        return onDisk;
    if (policy.kind == VersionPolicy::Kind::Specific) {
        std::vector<std::int64_t> out;
        for (const auto v : onDisk)
            if (std::count(policy.versions.begin(), policy.versions.end(), v))
                out.push_back(v);
        return out;
    }
    const auto keep = std::min<std::size_t>(onDisk.size(), static_cast<std::size_t>(std::max(1, policy.latest)));
    return std::vector<std::int64_t>(onDisk.end() - static_cast<std::ptrdiff_t>(keep), onDisk.end());
}

std::vector<std::string> readLabels(const fs::path& path)
{
    // Labels go to anyone who asks for a classification: a link could show them any file on the server.
    if (fs::is_symlink(path))
        throw Error(ErrorKind::InvalidInput,
            path.string() + " is a symbolic link; a labels file must be a file in the model's folder itself.");
    const auto text = readFileWithin(path.string(), "labels", std::int64_t { 16 } << 20);
    std::vector<std::string> labels;
    std::string line;
    for (const char c : text) {
        if (c == '\n') {
            if (!line.empty() && line.back() == '\r')
                line.pop_back();
            labels.push_back(line);
            line.clear();
        } else {
            line += c;
        }
    }
    if (!line.empty())
        labels.push_back(line);
    return labels;
}

std::string labelsText(const std::vector<std::string>& labels)
{
    std::string text;
    for (const auto& l : labels)
        text += l + '\n';
    return text;
}

// The config in the folder, or one made from the newest version's card (Triton's auto-complete).
// A model file of the repository, opened (decrypted) first when the repository's files are sealed.
Model loadModelFile(
    const Repository::Options& options, const fs::path& dir, const std::string& name, const std::string& version)
{
    const auto file = dir / version / kModelFile;
    if (!options.open)
        return Model::load(file.string());
    std::error_code ec;
    if (!fs::is_regular_file(file, ec))
        throw Error(ErrorKind::NotFound, modelFileName(name, version) + " is not a file.");
    const auto stored = readFileWithin(file.string(), "model", kMaxUploadBytes);
    const auto plain = options.open(modelFileName(name, version), stored);
    if (plain == stored) // a plain file: loaded from its path, whose diagnosis says what a bad file is
        return Model::load(file.string());
    return Model::loadBytes(plain, modelFileName(name, version));
}

ModelConfig folderConfig(const Repository::Options& options, const fs::path& dir, const std::string& name,
    const std::vector<std::int64_t>& versions)
{
    const auto file = dir / "config.pbtxt";
    std::error_code ec;
    if (fs::exists(file, ec)) {
        auto config
            = ModelConfig::fromPbtxt(readFileWithin(file.string(), "config", 1 << 20), "in " + name + "/config.pbtxt");
        servedHere(config, "in " + name + "/config.pbtxt");
        if (!config.name.empty() && config.name != name)
            throw Error(ErrorKind::InvalidInput,
                name + "/config.pbtxt names the model \"" + config.name + "\"; it must be the folder's name, " + name
                    + ".");
        config.name = name;
        return config;
    }
    if (versions.empty())
        throw Error(ErrorKind::InvalidModel,
            name + " has no version folder with a model.pt (such as " + name + "/1/model.pt).");
    auto config = configFromCard(loadModelFile(options, dir, name, std::to_string(versions.back())), name);
    for (auto& o : config.outputs) // no labels file here: the card's labels serve
        o.labelFilename.clear();
    return config;
}

// Inputs the config says, made up for one sample: the warm-up request every version answers before it serves.
std::vector<Tensor> warmupInputs(const ModelConfig& config, const Model& model)
{
    auto inputs = syntheticInputs(model, 1);
    if (inputs.size() != config.inputs.size())
        throw Error(ErrorKind::InvalidInput,
            "the model configuration lists " + std::to_string(config.inputs.size()) + " input(s) but the model takes "
                + std::to_string(inputs.size()) + ".");
    return inputs;
}

std::shared_ptr<Version> loadVersion(
    const Repository::Options& options, const fs::path& dir, const ModelConfig& config, std::int64_t number)
{
    const auto file = dir / std::to_string(number) / kModelFile;
    auto v = std::make_shared<Version>(loadModelFile(options, dir, config.name, std::to_string(number)));
    v->number = number;
    std::error_code ec;
    v->bytes = static_cast<std::int64_t>(fs::file_size(file, ec));
    v->config = config;
    const auto optimize = config.parameters.find("maas.optimize");
    if (optimize == config.parameters.end() || optimize->second != "false") {
        try {
            v->model = convertedForServing(v->model);
        } catch (const Error& e) { // served as it is: slower, but what its owner published
            v->note = std::string("version ") + std::to_string(number)
                + " runs as it is, not converted for the CPU: " + e.what();
        }
    }
    checkConfigAgainst(config, v->model);
    for (std::size_t i = 0; i < config.outputs.size(); ++i) {
        const auto& o = config.outputs[i];
        if (!o.labelFilename.empty())
            v->labels[o.name] = readLabels(dir / o.labelFilename);
        else if (i == 0)
            v->labels[o.name] = v->model.card().labels;
    }
    const auto outputs = v->model.predict(warmupInputs(config, v->model)); // answers before it serves
    if (outputs.size() < config.outputs.size())
        throw Error(ErrorKind::InvalidInput,
            "the model configuration lists " + std::to_string(config.outputs.size()) + " output(s) but the model gives "
                + std::to_string(outputs.size()) + ".");
    v->batcher = std::make_unique<Batcher>(
        v->model, config.instanceCount, config.maxBatchSize, config.dynamicBatching, v->stats);
    return v;
}

Served loadFolder(const Repository::Options& options, const fs::path& dir, const std::string& name)
{
    const auto onDisk = versionsOnDisk(dir);
    Served s;
    s.config = folderConfig(options, dir, name, onDisk);
    const auto chosen = chosenVersions(s.config.versionPolicy, onDisk);
    if (chosen.empty())
        throw Error(ErrorKind::InvalidModel,
            name + " has no version to serve: its folder holds none that its version_policy names (add " + name
                + "/1/model.pt).");
    if (options.admit) { // before anything is loaded: the files' sizes are what a version holds
        std::int64_t bytes = 0;
        std::error_code ec;
        for (const auto number : chosen)
            bytes += static_cast<std::int64_t>(fs::file_size(dir / std::to_string(number) / kModelFile, ec));
        options.admit(name, bytes);
    }
    s.state = "READY";
    s.reason.clear();
    for (const auto number : chosen) {
        s.versions[number] = loadVersion(options, dir, s.config, number);
        if (s.reason.empty())
            s.reason = s.versions[number]->note;
    }
    return s;
}

// Links (or copies) a model folder's files into the staging folder, leaving out what is replaced. Any
// failure throws: a staged folder missing a version would drop it from the repository at the swap.
void stageExisting(const fs::path& from, const fs::path& to, const FileOverrides& files, bool newConfig)
{
    if (!fs::is_directory(from))
        return;
    for (const auto& entry : fs::recursive_directory_iterator(from, fs::directory_options::follow_directory_symlink)) {
        const auto relative = entry.path().lexically_relative(from).string(); // not through links
        if (files.count(relative) || (newConfig && relative == "config.pbtxt"))
            continue;
        const auto target = to / relative;
        if (entry.is_symlink() && !entry.is_directory()) { // kept a link: what it points to is its owner's choice
            fs::create_directories(target.parent_path());
            fs::copy_symlink(entry.path(), target);
        } else if (entry.is_directory()) {
            fs::create_directories(target);
        } else if (entry.is_regular_file()) {
            fs::create_directories(target.parent_path());
            linkOrCopy(entry.path(), target);
        }
    }
}

std::string stagingFreeMessage(std::string message, const fs::path& staging, const std::string& name)
{
    const auto prefix = staging.string();
    for (auto at = message.find(prefix); at != std::string::npos; at = message.find(prefix))
        message.replace(at, prefix.size(), name);
    return message;
}

json tensorMetadata(const ServingTensor& t, bool batched)
{
    auto shape = t.dims;
    if (batched)
        shape.insert(shape.begin(), -1);
    return { { "name", t.name }, { "datatype", dataTypeName(t.dtype) }, { "shape", shape } };
}

json duration(const Stats::Duration& d) { return { { "count", d.count }, { "ns", d.ns } }; }

} // namespace

struct Repository::Impl {
    Options options;
    fs::path root;
    mutable std::mutex mutex; // guards models
    std::map<std::string, Served> models;
    std::mutex publishing; // one load or unload at a time
    std::mutex uploads;
    /// Each upload's SHA-256 so far and the bytes it covers, kept as chunks arrive so that a commit need
    /// not read the file again (a restart forgets them: the commit then reads it).
    std::map<std::string, std::pair<std::int64_t, std::unique_ptr<Sha256Stream>>> hashes;
    std::atomic<int> inflight { 0 };
    std::atomic<bool> draining { false };
    std::condition_variable idle;
    std::mutex idleMutex;

    std::shared_ptr<Version> find(const std::string& name, const std::string& version) const
    {
        std::lock_guard lock(mutex);
        const auto it = models.find(name);
        if (it == models.end() || !validModelName(name))
            throw Error(ErrorKind::NotFound,
                "there is no model named \"" + name + "\"; the repository's index lists the models there are.");
        const auto& s = it->second;
        if (s.state != "READY" || s.versions.empty())
            throw Error(ErrorKind::Unavailable, "the model \"" + name + "\" is not ready (" + s.reason + ").");
        if (version.empty())
            return s.versions.rbegin()->second;
        const auto number = versionNumber(version);
        const auto v = number ? s.versions.find(*number) : s.versions.end();
        if (v == s.versions.end())
            throw Error(ErrorKind::NotFound, "the model \"" + name + "\" has no version " + version + " being served.");
        return v->second;
    }

    fs::path folder(const std::string& name) const { return root / name; }
};

Repository::Repository(Options options)
    : m_impl(std::make_unique<Impl>())
{
    m_impl->options = std::move(options);
    m_impl->root = fs::absolute(m_impl->options.root);
    std::error_code ec;
    if (!fs::is_directory(m_impl->root, ec))
        throw Error(ErrorKind::NotFound,
            "the model repository " + m_impl->root.string() + " is not a folder; create it, or name an existing one.");
    fs::remove_all(m_impl->root / kStaging, ec); // half-made publishes of a process that was killed
    fs::create_directories(m_impl->root / kStaging, ec);
    fs::create_directories(m_impl->root / kUploads, ec);
    // Uploads nobody finished, judged by the upload's own file (its side files go with it).
    std::vector<fs::path> expired;
    for (const auto& entry : fs::directory_iterator(m_impl->root / kUploads, ec)) {
        const auto upload = entry.path().parent_path() / entry.path().stem();
        std::error_code missing;
        const auto written = fs::last_write_time(upload, missing);
        if (missing || fs::file_time_type::clock::now() - written > kUploadLifetime)
            expired.push_back(entry.path());
    }
    for (const auto& path : expired)
        fs::remove(path, ec);
    if (ec)
        throw Error(ErrorKind::Io,
            "cannot write in the model repository " + m_impl->root.string() + " (" + ec.message() + ").");
}

Repository::~Repository() = default;

void Repository::loadAll()
{
    std::error_code ec;
    std::vector<std::string> names;
    for (const auto& entry : fs::directory_iterator(m_impl->root, ec))
        if (entry.is_directory() && validModelName(entry.path().filename().string()))
            names.push_back(entry.path().filename().string());
    std::sort(names.begin(), names.end());
    for (const auto& name : names) {
        try {
            load(name);
        } catch (const std::exception&) {
            // listed UNAVAILABLE with its reason by load
        }
    }
}

std::vector<IndexEntry> Repository::index(bool readyOnly) const
{
    std::map<std::string, std::vector<IndexEntry>> entries;
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(m_impl->root, ec)) {
        const auto name = entry.path().filename().string();
        if (entry.is_directory() && validModelName(name))
            entries[name] = { { name, "", "UNAVAILABLE", "unloaded" } };
    }
    {
        std::lock_guard lock(m_impl->mutex);
        for (const auto& [name, s] : m_impl->models) {
            auto& list = entries[name];
            list.clear();
            if (s.versions.empty())
                list.push_back({ name, "", s.state, s.reason });
            for (const auto& [number, v] : s.versions)
                list.push_back({ name, std::to_string(number), s.state, s.reason, v->bytes });
        }
    }
    std::vector<IndexEntry> out;
    for (auto& [name, list] : entries)
        for (auto& e : list)
            if (!readyOnly || e.state == "READY")
                out.push_back(std::move(e));
    return out;
}

namespace {

// A load request's parts, checked before anything is written.
struct Publication {
    std::optional<ModelConfig> config;
    FileOverrides files; ///< "1/model.pt" -> bytes (empty for an upload's)
    std::map<std::string, fs::path> uploaded; ///< "1/model.pt" -> a committed upload
    bool empty() const { return !config && files.empty(); }
};

Publication checkedPublication(const fs::path& root, const std::string& name, const LoadRequest& request)
{
    if (!validModelName(name))
        throw Error(ErrorKind::InvalidInput,
            "\"" + name
                + "\" cannot name a model: use up to 128 letters, digits, '-', '_' and '.', not starting with '.'.");
    Publication p { std::nullopt, request.files, {} };
    for (const auto& [path, id] : request.uploads) {
        std::error_code ec;
        const auto file = root / kUploads / id;
        if (!validUploadId(id) || !fs::is_regular_file(file, ec) || !ownedBy(root, id, request.owner))
            throw Error(ErrorKind::NotFound, "there is no upload " + id + " for " + path + ".");
        if (!fs::exists(root / kUploads / (id + ".sha256"), ec))
            throw Error(ErrorKind::InvalidInput,
                "upload " + id + " is not committed; commit it with its SHA-256 before loading it.");
        if (p.files.count(path))
            throw Error(ErrorKind::InvalidInput,
                "the load request gives " + path + " both as a file and as an upload; send it one way.");
        p.uploaded[path] = file;
        p.files[path]; // its name is checked with the others; its bytes are copied from the upload
    }
    if (request.config) {
        std::string why;
        const auto parsed = parseJson(*request.config, &why);
        if (!parsed)
            throw Error(ErrorKind::InvalidInput, "the load request's config is not JSON (" + why + ").");
        p.config = ModelConfig::fromJson(*parsed, "in the load request");
        servedHere(*p.config, "in the load request");
        if (!p.config->name.empty() && p.config->name != name && p.config->name != plainModelName(name))
            throw Error(ErrorKind::InvalidInput,
                "the load request's config names the model \"" + p.config->name + "\" but the request is for \"" + name
                    + "\".");
        p.config->name = name;
    }
    for (const auto& [path, bytes] : p.files) {
        const auto slash = path.find('/');
        if (slash == std::string::npos || path.substr(slash + 1) != kModelFile || !versionNumber(path.substr(0, slash)))
            throw Error(ErrorKind::InvalidInput,
                "the load request names the file \"" + path
                    + "\"; files are given as file:<version>/model.pt, such as file:1/model.pt.");
    }
    return p;
}

// The model's new folder in `staging`: what the folder had, the files sent, the config (sent, kept, or
// made from the card) and the labels it names, all on disk (fsynced) before anything is swapped.
void stageFiles(const Repository::Options& options, const fs::path& staging, const fs::path& target,
    const std::string& name, const Publication& p)
{
    fs::create_directories(staging);
    stageExisting(target, staging, p.files, p.config.has_value());
    for (const auto& [path, bytes] : p.files) {
        fs::create_directories((staging / path).parent_path());
        if (p.uploaded.count(path) && !options.seal)
            linkOrCopy(p.uploaded.at(path), staging / path);
        else if (p.uploaded.count(path))
            writeSynced(staging / path,
                options.seal(
                    name + "/" + path, readFileWithin(p.uploaded.at(path).string(), "upload", kMaxUploadBytes)));
        else
            writeSynced(staging / path, options.seal ? options.seal(name + "/" + path, bytes) : bytes);
    }
    auto config = p.config ? *p.config : folderConfig(options, staging, name, versionsOnDisk(staging));
    config.name = name;
    const auto versions = versionsOnDisk(staging);
    // Labels the config names come from the card of the version it serves (the newest one its policy
    // names): a new model file, or a roll back to an older one, brings its own classes. A labels file put
    // there by hand stays when that card has none.
    std::int64_t served = versions.empty() ? 0 : versions.back();
    if (config.versionPolicy.kind == VersionPolicy::Kind::Specific && !config.versionPolicy.versions.empty())
        served = *std::max_element(config.versionPolicy.versions.begin(), config.versionPolicy.versions.end());
    for (const auto& o : config.outputs) {
        if (o.labelFilename.empty() || served == 0
            || std::find(versions.begin(), versions.end(), served) == versions.end())
            continue;
        const auto model = loadModelFile(options, staging, name, std::to_string(served));
        if (!model.card().labels.empty() || !fs::exists(staging / o.labelFilename))
            writeSynced(staging / o.labelFilename, labelsText(model.card().labels));
    }
    writeSynced(staging / "config.pbtxt", config.toPbtxt());
    for (const auto& d : fs::recursive_directory_iterator(staging))
        if (d.is_directory())
            syncPath(d.path(), true);
    syncPath(staging, true);
}

// Publishes into the repository: staged, loaded and warmed up, admitted, then swapped in with one rename.
Served publish(const Repository::Options& options, const fs::path& root, const std::string& name, const Publication& p)
{
    const auto target = root / name;
    const auto staging = root / kStaging / (name + "-" + randomHex(8));
    std::error_code ec;
    try {
        stageFiles(options, staging, target, name, p);
        auto served = loadFolder(options, staging, name); // admitted, loaded and warmed up before any swap
        if (fs::exists(target)) {
            if (::renameat2(AT_FDCWD, staging.c_str(), AT_FDCWD, target.c_str(), RENAME_EXCHANGE) != 0)
                throw Error(ErrorKind::Io, "cannot swap the new files of " + name + " into the repository.");
            fs::remove_all(staging, ec); // the old folder, now at the staging name
        } else {
            fs::rename(staging, target);
        }
        syncPath(root, true);
        for (const auto& [path, file] : p.uploaded) { // served now: the upload is done with
            fs::remove(file, ec);
            fs::remove(file.string() + ".sha256", ec);
            fs::remove(file.string() + ".owner", ec);
        }
        return served;
    } catch (const Error& e) {
        fs::remove_all(staging, ec);
        throw Error(e.kind(), stagingFreeMessage(e.what(), staging, name));
    } catch (const std::exception& e) {
        fs::remove_all(staging, ec);
        throw Error(ErrorKind::Io, "publishing " + name + " failed: " + stagingFreeMessage(e.what(), staging, name));
    }
}

} // namespace

void Repository::load(const std::string& name, const LoadRequest& request)
{
    const auto publication = checkedPublication(m_impl->root, name, request);
    std::lock_guard publishing(m_impl->publishing);
    const auto target = m_impl->folder(name);
    std::error_code ec;
    if (publication.empty() && !fs::is_directory(target, ec))
        throw Error(ErrorKind::NotFound,
            "there is no model named \"" + name + "\" in the repository; publish it with its files.");
    try {
        auto served = publication.empty() ? loadFolder(m_impl->options, target, name)
                                          : publish(m_impl->options, m_impl->root, name, publication);
        std::lock_guard lock(m_impl->mutex);
        std::swap(m_impl->models[name], served); // what served before goes when this returns, outside the lock
    } catch (const std::bad_alloc&) {
        throw;
    } catch (const std::exception& other) {
        const auto* engineError = dynamic_cast<const Error*>(&other);
        const Error e
            = engineError ? *engineError : Error(ErrorKind::InvalidModel, name + " cannot be loaded: " + other.what());
        std::lock_guard lock(m_impl->mutex);
        if (!m_impl->models.count(name) && !fs::is_directory(target, ec))
            throw e; // a first publish that failed leaves no trace
        auto& s = m_impl->models[name];
        if (s.state != "READY") { // a model that serves keeps serving what it had
            s.state = "UNAVAILABLE";
            s.reason = e.what();
        }
        throw e;
    }
}

void Repository::unload(const std::string& name)
{
    std::lock_guard publishing(m_impl->publishing);
    std::map<std::int64_t, std::shared_ptr<Version>> versions;
    {
        std::lock_guard lock(m_impl->mutex);
        const auto it = m_impl->models.find(name);
        if (it == m_impl->models.end() || it->second.state != "READY")
            throw Error(ErrorKind::NotFound, "there is no loaded model named \"" + name + "\" to unload.");
        versions.swap(it->second.versions);
        it->second.state = "UNAVAILABLE";
        it->second.reason = "unloaded";
    }
    // Requests that hold a version finish; its batcher stops when the last of them lets go.
}

bool Repository::ready(const std::string& name, const std::string& version) const
{
    try {
        m_impl->find(name, version);
        return true;
    } catch (const Error& e) {
        if (e.kind() == ErrorKind::Unavailable)
            return false;
        throw;
    }
}

json Repository::metadata(const std::string& name, const std::string& version) const
{
    const auto v = m_impl->find(name, version);
    json versions = json::array();
    if (version.empty()) {
        std::lock_guard lock(m_impl->mutex);
        for (const auto& [number, ignored] : m_impl->models.at(name).versions)
            versions.push_back(std::to_string(number));
    } else {
        versions.push_back(std::to_string(v->number));
    }
    json j { { "name", name }, { "versions", versions }, { "platform", v->config.platform } };
    const bool batched = v->config.maxBatchSize > 0;
    j["inputs"] = json::array();
    for (const auto& t : v->config.inputs)
        j["inputs"].push_back(tensorMetadata(t, batched));
    j["outputs"] = json::array();
    for (const auto& t : v->config.outputs)
        j["outputs"].push_back(tensorMetadata(t, batched));
    return j;
}

json Repository::config(const std::string& name, const std::string& version) const
{
    try {
        return m_impl->find(name, version)->config.toJson();
    } catch (const Error& e) {
        // An unloaded model still has its config on disk, which a publisher reads to pick the next version.
        std::error_code ec;
        const auto file = m_impl->folder(name) / "config.pbtxt";
        if (e.kind() != ErrorKind::Unavailable || !version.empty() || !fs::exists(file, ec))
            throw;
        auto config
            = ModelConfig::fromPbtxt(readFileWithin(file.string(), "config", 1 << 20), "in " + name + "/config.pbtxt");
        config.name = name;
        return config.toJson();
    }
}

json Repository::statistics(const std::string& name, const std::string& version) const
{
    std::vector<std::pair<std::string, std::shared_ptr<Version>>> chosen;
    if (!name.empty()) {
        if (version.empty()) {
            m_impl->find(name, version); // NotFound / Unavailable
            std::lock_guard lock(m_impl->mutex);
            for (const auto& [number, v] : m_impl->models.at(name).versions)
                chosen.emplace_back(name, v);
        } else {
            chosen.emplace_back(name, m_impl->find(name, version));
        }
    } else {
        std::lock_guard lock(m_impl->mutex);
        for (const auto& [n, s] : m_impl->models)
            for (const auto& [number, v] : s.versions)
                chosen.emplace_back(n, v);
    }
    json list = json::array();
    for (const auto& [n, v] : chosen) {
        const auto& s = v->stats;
        std::lock_guard lock(s.mutex);
        json batches = json::array();
        for (const auto& [size, d] : s.batches)
            batches.push_back({ { "batch_size", size }, { "compute_input", duration({ d.count, 0 }) },
                { "compute_infer", duration(d) }, { "compute_output", duration({ d.count, 0 }) } });
        list.push_back(
            { { "name", n }, { "version", std::to_string(v->number) }, { "last_inference", s.lastInferenceMs },
                { "inference_count", s.inferenceCount }, { "execution_count", s.executionCount },
                { "inference_stats",
                    { { "success", duration(s.success) }, { "fail", duration(s.fail) }, { "queue", duration(s.queue) },
                        { "compute_input", duration(s.computeInput) }, { "compute_infer", duration(s.computeInfer) },
                        { "compute_output", duration(s.computeOutput) }, { "cache_hit", duration({}) },
                        { "cache_miss", duration({}) } } },
                { "batch_stats", batches } });
    }
    return { { "model_stats", list } };
}

bool Repository::draining() const { return m_impl->draining; }

void Repository::drain()
{
    m_impl->draining = true;
    std::unique_lock lock(m_impl->idleMutex);
    m_impl->idle.wait(lock, [this] { return m_impl->inflight.load() == 0; });
}

// ---- uploads ---------------------------------------------------------------------------------------------

std::string Repository::startUpload(const std::string& owner)
{
    std::lock_guard lock(m_impl->uploads);
    std::error_code ec;
    int open = 0;
    for (const auto& entry : fs::directory_iterator(m_impl->root / kUploads, ec)) // this owner's only
        open += entry.path().extension().empty() && ownedBy(m_impl->root, entry.path().filename().string(), owner);
    if (open >= kMaxOpenUploads)
        throw Error(ErrorKind::Conflict,
            "there are " + std::to_string(open) + " uploads of yours that were not loaded (at most "
                + std::to_string(kMaxOpenUploads) + "); finish or load them, or wait a day until they expire.");
    const auto id = randomHex(16);
    writeSynced(m_impl->root / kUploads / (id + ".owner"), owner);
    writeSynced(m_impl->root / kUploads / id, {});
    return id;
}

std::int64_t Repository::uploadOffset(const std::string& owner, const std::string& id) const
{
    std::error_code ec;
    const auto path = m_impl->root / kUploads / id;
    if (!validUploadId(id) || !fs::is_regular_file(path, ec) || !ownedBy(m_impl->root, id, owner))
        throw Error(ErrorKind::NotFound,
            "there is no upload " + id + "; it may have been loaded already, or never started: start a new upload.");
    return static_cast<std::int64_t>(fs::file_size(path, ec));
}

std::int64_t Repository::appendUpload(
    const std::string& owner, const std::string& id, std::int64_t offset, std::string_view chunk)
{
    std::lock_guard lock(m_impl->uploads);
    const auto have = uploadOffset(owner, id);
    std::error_code ec;
    if (fs::exists(m_impl->root / kUploads / (id + ".sha256"), ec))
        throw Error(
            ErrorKind::Conflict, "upload " + id + " is committed already; start a new one to send another file.");
    if (offset != have)
        throw Error(ErrorKind::Conflict,
            "upload " + id + " has " + std::to_string(have) + " bytes, so the next chunk goes at offset "
                + std::to_string(have) + ", not " + std::to_string(offset) + ".");
    if (have + static_cast<std::int64_t>(chunk.size()) > kMaxUploadBytes)
        throw Error(ErrorKind::InvalidInput, "an upload may hold at most " + byteSize(double(kMaxUploadBytes)) + ".");
    const auto path = m_impl->root / kUploads / id;
    const int fd = ::open(path.c_str(), O_WRONLY | O_APPEND);
    if (fd < 0)
        throw Error(ErrorKind::Io, "cannot write upload " + id + ": " + writeFailure(errno) + ".");
    std::size_t done = 0;
    while (done < chunk.size()) {
        const auto n = ::write(fd, chunk.data() + done, chunk.size() - done);
        if (n <= 0) {
            const int error = n < 0 ? errno : 0;
            ::ftruncate(fd, have); // a chunk is all there or not at all
            ::close(fd);
            throw Error(ErrorKind::Io, "cannot write upload " + id + ": " + writeFailure(error) + ".");
        }
        done += static_cast<std::size_t>(n);
    }
    ::close(fd); // synced at the commit: what a crash loses before then, the commit's SHA-256 finds
    auto& [covered, hash] = m_impl->hashes[id];
    if (have == 0)
        hash = std::make_unique<Sha256Stream>(), covered = 0;
    if (hash && covered == have) {
        hash->update(chunk.data(), chunk.size());
        covered += static_cast<std::int64_t>(chunk.size());
    }
    return have + static_cast<std::int64_t>(chunk.size());
}

void Repository::cancelUpload(const std::string& owner, const std::string& id)
{
    std::lock_guard lock(m_impl->uploads);
    uploadOffset(owner, id); // NotFound for an id that is not this owner's
    const auto file = m_impl->root / kUploads / id;
    std::error_code ec;
    for (const char* suffix : { "", ".sha256", ".owner" })
        fs::remove(file.string() + suffix, ec);
    m_impl->hashes.erase(id);
}

void Repository::commitUpload(const std::string& owner, const std::string& id, const std::string& sha256)
{
    std::lock_guard lock(m_impl->uploads);
    const auto received = uploadOffset(owner, id);
    const auto file = m_impl->root / kUploads / id;
    syncPath(file, false);
    const auto kept = m_impl->hashes.find(id);
    const auto actual = kept != m_impl->hashes.end() && kept->second.second && kept->second.first == received
        ? kept->second.second->hex()
        : sha256File(file.string());
    m_impl->hashes.erase(id);
    std::string wanted = sha256;
    std::transform(wanted.begin(), wanted.end(), wanted.begin(), ::tolower);
    if (wanted != actual)
        throw Error(ErrorKind::InvalidInput,
            "upload " + id + " (" + std::to_string(received) + " bytes received) has the SHA-256 " + actual + ", not "
                + sha256 + ": a chunk went missing or was changed; send the file again in a new upload.");
    writeSynced(m_impl->root / kUploads / (id + ".sha256"), actual);
}

} // namespace maas::engine

// ---- infer -----------------------------------------------------------------------------------------------

namespace maas::engine {

namespace {

std::string inputNames(const ModelConfig& config)
{
    std::string names;
    for (const auto& t : config.inputs)
        names += (names.empty() ? "" : ", ") + t.name;
    return names;
}

// The request's tensors in the model's order, checked against the config, reshaped as it says.
std::vector<Tensor> arrange(const ModelConfig& config, InferRequest& request)
{
    std::vector<Tensor> inputs(config.inputs.size());
    std::vector<bool> given(config.inputs.size(), false);
    for (auto& in : request.inputs) {
        std::size_t i = 0;
        while (i < config.inputs.size() && in.name != config.inputs[i].name && in.name != "INPUT__" + std::to_string(i))
            ++i;
        if (i == config.inputs.size())
            throw Error(ErrorKind::InvalidInput,
                "the model has no input named \"" + in.name + "\"; it takes " + inputNames(config) + ".");
        if (given[i])
            throw Error(ErrorKind::InvalidInput, "input " + config.inputs[i].name + " is given twice.");
        given[i] = true;
        inputs[i] = std::move(in.tensor);
    }
    const bool batched = config.maxBatchSize > 0;
    for (std::size_t i = 0; i < inputs.size(); ++i) {
        const auto& spec = config.inputs[i];
        auto& t = inputs[i];
        if (!given[i])
            throw Error(ErrorKind::InvalidInput,
                "the request has no input " + spec.name + "; the model takes " + inputNames(config) + ".");
        if (t.dtype != spec.dtype)
            throw Error(ErrorKind::InvalidInput,
                "input " + spec.name + " is " + dataTypeName(t.dtype) + " but the model takes "
                    + dataTypeName(spec.dtype) + ".");
        auto expected = spec.dims;
        if (batched)
            expected.insert(expected.begin(), -1);
        bool fits = t.shape.size() == expected.size();
        for (std::size_t a = 0; fits && a < expected.size(); ++a)
            fits = expected[a] == -1 || expected[a] == t.shape[a];
        if (!fits)
            throw Error(ErrorKind::InvalidInput,
                "input " + spec.name + " has shape " + shapeToString(t.shape) + " but the model takes "
                    + shapeToString(expected) + (batched ? " (the first axis is the batch)." : "."));
        if (batched && (t.shape[0] < 1 || t.shape[0] > config.maxBatchSize))
            throw Error(ErrorKind::InvalidInput,
                "input " + spec.name + " has a batch of " + std::to_string(t.shape[0]) + "; this model takes 1 to "
                    + std::to_string(config.maxBatchSize) + " samples per request.");
        if (batched && t.shape[0] != inputs.front().shape[0])
            throw Error(ErrorKind::InvalidInput,
                "inputs " + config.inputs.front().name + " and " + spec.name + " have batches of "
                    + std::to_string(inputs.front().shape[0]) + " and " + std::to_string(t.shape[0])
                    + " samples; every input's first axis is the batch, and they must agree.");
        if (spec.reshape) {
            auto shape = *spec.reshape;
            if (batched)
                shape.insert(shape.begin(), t.shape[0]);
            std::int64_t count = 1;
            for (const auto d : shape)
                count *= d;
            if (count != t.numel())
                throw Error(ErrorKind::InvalidInput,
                    "input " + spec.name + " has " + std::to_string(t.numel())
                        + " values, which its configuration's reshape " + shapeToString(shape) + " cannot hold.");
            t.shape = shape;
        }
    }
    return inputs;
}

std::vector<RequestedOutput> requestedOutputs(const ModelConfig& config, const InferRequest& request)
{
    if (request.outputs.empty()) {
        std::vector<RequestedOutput> all;
        for (const auto& o : config.outputs)
            all.push_back({ o.name, request.binaryOutputs, 0 });
        return all;
    }
    for (const auto& r : request.outputs)
        if (std::none_of(config.outputs.begin(), config.outputs.end(), [&](const auto& o) { return o.name == r.name; }))
            throw Error(ErrorKind::InvalidInput, "the model has no output named \"" + r.name + "\".");
    return request.outputs;
}

InferResponse encode(const std::string& name, const Version& v, const InferRequest& request,
    const std::vector<RequestedOutput>& wanted, std::vector<Tensor>& outputs)
{
    json j { { "model_name", plainModelName(name) }, { "model_version", std::to_string(v.number) } };
    if (!request.id.empty())
        j["id"] = request.id;
    j["outputs"] = json::array();
    std::string binary;
    for (const auto& w : wanted) {
        std::size_t i = 0;
        while (v.config.outputs[i].name != w.name)
            ++i;
        if (i >= outputs.size())
            throw Error(ErrorKind::InvalidInput, "the model gave no output " + w.name + ".");
        Tensor t = w.classification > 0 ? serving::classify(outputs[i], w.classification,
                       v.labels.count(w.name) ? v.labels.at(w.name) : std::vector<std::string> {})
                                        : std::move(outputs[i]);
        json out { { "name", w.name }, { "datatype", dataTypeName(t.dtype) }, { "shape", t.shape } };
        if (w.binary) {
            const auto bytes = serving::binaryData(t);
            out["parameters"] = { { "binary_data_size", bytes.size() } };
            binary += bytes;
        } else {
            out["data"] = serving::jsonData(t);
        }
        j["outputs"].push_back(std::move(out));
    }
    InferResponse response;
    response.body = j.dump(-1, ' ', false, json::error_handler_t::replace);
    if (!binary.empty() || std::any_of(wanted.begin(), wanted.end(), [](const auto& w) { return w.binary; })) {
        response.headerLength = response.body.size();
        response.body += binary;
    }
    return response;
}

std::uint64_t sinceEpochMs()
{
    return static_cast<std::uint64_t>(
        std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
            .count());
}

} // namespace

InferResponse Repository::infer(
    const std::string& name, const std::string& version, std::string_view body, std::optional<std::size_t> headerLength)
{
    if (m_impl->draining)
        throw Error(ErrorKind::Unavailable, "the server is shutting down; send the request to another one.");
    const auto v = m_impl->find(name, version);
    ++m_impl->inflight;
    struct Done {
        Impl& impl;
        ~Done()
        {
            if (--impl.inflight == 0 && impl.draining) {
                std::lock_guard lock(impl.idleMutex);
                impl.idle.notify_all();
            }
        }
    } done { *m_impl };
    const auto start = Clock::now();
    const auto record = [&](bool ok) {
        const auto elapsed = Clock::now() - start;
        std::lock_guard lock(v->stats.mutex);
        (ok ? v->stats.success : v->stats.fail)
            .add(static_cast<std::uint64_t>(std::chrono::duration_cast<std::chrono::nanoseconds>(elapsed).count()));
        const double seconds = std::chrono::duration<double>(elapsed).count();
        serving::addToBuckets(v->stats.requestBuckets, seconds);
        v->stats.requestSeconds += seconds;
        v->stats.lastInferenceMs = sinceEpochMs();
    };
    try {
        auto request = parseInferRequest(body, headerLength);
        const auto wanted = requestedOutputs(v->config, request);
        auto outputs = v->batcher->run(arrange(v->config, request));
        auto response = encode(name, *v, request, wanted, outputs);
        record(true);
        return response;
    } catch (const Error& e) {
        record(false);
        if (e.kind() == ErrorKind::Internal || e.kind() == ErrorKind::InvalidModel)
            throw Error(ErrorKind::InvalidInput, e.what()); // the model refused this request: the server goes on
        throw;
    } catch (const std::bad_alloc&) {
        record(false);
        throw; // the server's trouble, not the request's
    } catch (const std::exception& e) {
        record(false);
        throw Error(ErrorKind::InvalidInput, std::string("the model failed on this request: ") + e.what());
    }
}

std::string Repository::metrics() const
{
    std::vector<std::pair<std::string, std::shared_ptr<Version>>> all;
    {
        std::lock_guard lock(m_impl->mutex);
        for (const auto& [n, s] : m_impl->models)
            for (const auto& [number, v] : s.versions)
                all.emplace_back(n, v);
    }
    std::string out;
    const auto family = [&](const char* name, const char* type, const char* help) {
        out += std::string("# HELP ") + name + " " + help + "\n# TYPE " + name + " " + type + "\n";
    };
    const auto label = [](const std::string& n, const Version& v) {
        return "model=\"" + n + "\",version=\"" + std::to_string(v.number) + "\"";
    };
    struct Counter {
        const char* name;
        const char* help;
        std::function<std::uint64_t(const Stats&)> value;
    };
    const std::vector<Counter> counters = {
        { "nv_inference_request_success", "Successful inference requests",
            [](const Stats& s) { return s.success.count; } },
        { "nv_inference_request_failure", "Failed inference requests", [](const Stats& s) { return s.fail.count; } },
        { "nv_inference_count", "Samples inferred (a batch of n counts n)",
            [](const Stats& s) { return s.inferenceCount; } },
        { "nv_inference_exec_count", "Model runs (a dynamic batch counts once)",
            [](const Stats& s) { return s.executionCount; } },
        { "nv_inference_request_duration_us", "Time from request to response, microseconds",
            [](const Stats& s) { return (s.success.ns + s.fail.ns) / 1000; } },
        { "nv_inference_queue_duration_us", "Time requests waited in the queue, microseconds",
            [](const Stats& s) { return s.queue.ns / 1000; } },
        { "nv_inference_compute_infer_duration_us", "Time the model ran, microseconds",
            [](const Stats& s) { return s.computeInfer.ns / 1000; } },
    };
    for (const auto& c : counters) {
        family(c.name, "counter", c.help);
        for (const auto& [n, v] : all) {
            std::lock_guard lock(v->stats.mutex);
            out += std::string(c.name) + "{" + label(n, *v) + "} " + std::to_string(c.value(v->stats)) + "\n";
        }
    }
    const auto histogram = [&](const char* name, const char* help, auto buckets, auto sum, auto count) {
        family(name, "histogram", help);
        for (const auto& [n, v] : all) {
            std::lock_guard lock(v->stats.mutex);
            const std::vector<std::uint64_t>& b = buckets(v->stats);
            std::uint64_t cumulative = 0;
            for (std::size_t i = 0; i < serving::latencyBuckets().size(); ++i) {
                cumulative += b[i];
                char bound[32];
                std::snprintf(bound, sizeof bound, "%g", serving::latencyBuckets()[i]);
                out += std::string(name) + "_bucket{" + label(n, *v) + ",le=\"" + bound + "\"} "
                    + std::to_string(cumulative) + "\n";
            }
            out += std::string(name) + "_bucket{" + label(n, *v) + ",le=\"+Inf\"} " + std::to_string(count(v->stats))
                + "\n";
            out += std::string(name) + "_sum{" + label(n, *v) + "} " + std::to_string(sum(v->stats)) + "\n";
            out += std::string(name) + "_count{" + label(n, *v) + "} " + std::to_string(count(v->stats)) + "\n";
        }
    };
    histogram(
        "maas_request_duration_seconds", "Inference request latency",
        [](const Stats& s) -> const std::vector<std::uint64_t>& { return s.requestBuckets; },
        [](const Stats& s) { return s.requestSeconds; }, [](const Stats& s) { return s.success.count + s.fail.count; });
    histogram(
        "maas_queue_duration_seconds", "Time a request waited for the model",
        [](const Stats& s) -> const std::vector<std::uint64_t>& { return s.queueBuckets; },
        [](const Stats& s) { return s.queueSeconds; }, [](const Stats& s) { return s.queue.count; });
    family("maas_batch_size", "counter", "Model runs by the batch size they ran");
    for (const auto& [n, v] : all) {
        std::lock_guard lock(v->stats.mutex);
        for (const auto& [size, d] : v->stats.batches)
            out += "maas_batch_size{" + label(n, *v) + ",size=\"" + std::to_string(size) + "\"} "
                + std::to_string(d.count) + "\n";
    }
    return out;
}

} // namespace maas::engine
