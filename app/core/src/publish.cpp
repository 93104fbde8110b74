#include "maas/app/publish.h"

#include <QCoreApplication>
#include <QCryptographicHash>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QRegularExpression>
#include <QSaveFile>
#include <QTemporaryDir>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <csignal>
#include <map>

#include "maas/app/format.h"
#include "maas/engine/benchmark.h"
#include "maas/engine/card.h"
#include "maas/engine/error.h"
#include "maas/engine/inputs.h"
#include "maas/engine/model.h"
#include "maas/engine/onnx.h"
#include "maas/engine/serving.h"

namespace maas::app {

namespace {

using maas::engine::Error;
using maas::engine::ErrorKind;
using nlohmann::json;
namespace engine = maas::engine;

struct Publish {
    Q_DECLARE_TR_FUNCTIONS(Publish)
};

constexpr const char* kCardParameter = "maas.card";
constexpr const char* kVersionsParameter = "maas.sha256";
/// What a Triton server takes in one request by default (its --http-max-input-size): base64 loads past it fail.
constexpr qint64 kTritonBodyLimit = qint64 { 64 } << 20;

engine::ModelConfig onnxConfig(const QString& onnxPath, const QString& name, std::int64_t maxBatchSize);

// The ONNX form of a model, written into `dir` for publishing. A text model's ONNX form takes token ids,
// not text, so it is not what an endpoint serving text wants: refused with the forms that work.
QString onnxForm(const engine::Model& model, const QString& modelPath, const QTemporaryDir& dir,
    const engine::OnnxExportOptions& options)
{
    if (!model.card().inputs.empty() && model.card().inputs.front().dtype == engine::DataType::Bytes)
        throw Error(ErrorKind::InvalidInput,
            Publish::tr("%1 is a text model, whose ONNX form takes token ids instead of text; publish it as "
                        "TorchScript, which takes text, or export it with maas export --onnx and tokenize with its "
                        "vocabulary file.")
                .arg(modelPath)
                .toStdString());
    if (!dir.isValid())
        throw Error(ErrorKind::Io,
            Publish::tr("no temporary folder can be made for the ONNX form (%1); free some space in the "
                        "temporary folder.")
                .arg(dir.errorString())
                .toStdString());
    const auto path = dir.filePath(QStringLiteral("model.onnx"));
    engine::exportOnnx(model, path.toStdString(), options);
    return path;
}

// The config a publish sends: made from the card (TorchScript), or read from the ONNX form's file; with the
// card's inputs, outputs and preprocessing as a parameter.
json configFor(const engine::Model& model, const QString& name, std::int64_t maxBatchSize, const QString& onnxFile)
{
    auto config = onnxFile.isEmpty() ? engine::configFromCard(model, name.toStdString(), maxBatchSize)
                                     : onnxConfig(onnxFile, name, maxBatchSize);
    if (!onnxFile.isEmpty() && !model.card().labels.empty() && !config.outputs.empty())
        config.outputs.front().labelFilename = "labels.txt"; // sent beside the model (see send)
    auto card = model.card().toJson();
    json kept = json::object();
    for (const char* key : { "name", "task", "inputs", "outputs", "preprocessing" })
        if (card.contains(key))
            kept[key] = card[key];
    if (!onnxFile.isEmpty() && card.contains("labels")) // for the label file sent beside the ONNX form
        kept["labels"] = card["labels"];
    config.parameters[kCardParameter] = kept.dump();
    return config.toJson();
}

// A model's name on an endpoint when none is given: the file's.
QString defaultName(const QString& modelPath) { return modelNameFor(QFileInfo(modelPath).completeBaseName()); }

void checkName(const QString& name)
{
    if (const auto why = modelNameProblem(name); !why.isEmpty())
        throw Error(ErrorKind::InvalidInput, why.toStdString());
}

void report(const engine::ProgressCallback& progress, double fraction, const QString& message,
    std::map<std::string, double> metrics = {})
{
    if (progress)
        progress({ fraction, message.toStdString(), std::move(metrics), false });
}

// A tensor as a config's input or output takes it: the batch axis, then dims (or the tensor's own shape
// when the config reshapes: a list of strings is dims [1], reshape []).
engine::InferInput forConfig(const engine::Tensor& t, const engine::ServingTensor& spec, bool batched)
{
    engine::InferInput in { spec.name, t };
    if (spec.reshape && batched && !t.shape.empty()) {
        in.tensor.shape = { t.shape.front() };
        in.tensor.shape.insert(in.tensor.shape.end(), spec.dims.begin(), spec.dims.end());
    }
    return in;
}

// The card a remote model was published with (its inputs and preprocessing), else one from its config.
engine::ModelCard remoteCard(const engine::ModelConfig& config)
{
    if (const auto it = config.parameters.find(kCardParameter); it != config.parameters.end())
        if (const auto parsed = engine::parseJson(it->second))
            try {
                return engine::ModelCard::fromJson(*parsed, "from the endpoint");
            } catch (const Error&) {
                // a card we cannot read: the config's own inputs still work
            }
    engine::ModelCard card;
    for (const auto& in : config.inputs) {
        engine::TensorSpec spec { in.name, in.dtype, {} };
        if (config.maxBatchSize > 0)
            spec.shape.push_back(-1);
        const auto& dims = in.reshape ? *in.reshape : in.dims;
        spec.shape.insert(spec.shape.end(), dims.begin(), dims.end());
        card.inputs.push_back(spec);
    }
    return card;
}

std::vector<engine::InferInput> remoteInputs(
    const std::vector<engine::Tensor>& tensors, const engine::ModelConfig& config)
{
    if (tensors.size() != config.inputs.size())
        throw Error(ErrorKind::InvalidInput,
            Publish::tr("the model takes %1 inputs on the endpoint, and %2 were given.")
                .arg(config.inputs.size())
                .arg(tensors.size())
                .toStdString());
    std::vector<engine::InferInput> out;
    for (std::size_t i = 0; i < tensors.size(); ++i)
        out.push_back(forConfig(tensors[i], config.inputs[i], config.maxBatchSize > 0));
    return out;
}

// "0.97 Sneaker": a classifier's top class, or the first values of an output.
QString summary(const engine::Tensor& t, std::int64_t row, const std::vector<std::string>& labels)
{
    const auto values = t.dtype == engine::DataType::Bytes ? std::vector<double> {} : t.toDoubles();
    if (t.shape.size() == 2 && t.shape[1] > 0 && row >= 0 && std::int64_t(values.size()) >= (row + 1) * t.shape[1]) {
        const auto classes = t.shape[1];
        std::vector<float> part(values.begin() + row * classes, values.begin() + (row + 1) * classes);
        const auto ranked = engine::topClasses(engine::Tensor::fromFloats({ 1, classes }, part), 1);
        if (!ranked.empty() && !ranked.front().empty()) {
            const auto& c = ranked.front().front();
            const auto label = c.index < static_cast<int>(labels.size())
                ? QString::fromStdString(labels[std::size_t(c.index)])
                : Publish::tr("class %1").arg(c.index);
            return QStringLiteral("%1 %2").arg(label).arg(c.score, 0, 'f', 4);
        }
    }
    return {};
}

// The record of published versions as the config keeps it: "1:SHA,2:SHA".
std::string versionsText(const QList<QPair<qint64, QString>>& versions)
{
    QStringList parts;
    for (const auto& [v, sha] : versions)
        parts << QStringLiteral("%1:%2").arg(v).arg(sha);
    return parts.join(QLatin1Char(',')).toStdString();
}

qint64 servedVersion(RemoteClient& client, const QString& name)
{
    qint64 served = 0;
    for (const auto& m : client.index())
        if (m.name == name && m.state == QLatin1String("READY"))
            served = std::max(served, m.version.toLongLong());
    return served;
}

void verify(RemoteClient& client, const QString& modelPath, PublishResult& result)
{
    const auto model = engine::Model::load(modelPath.toStdString());
    const auto config = engine::ModelConfig::fromJson(result.config, "from the endpoint");
    const int batch = config.maxBatchSize > 0 ? static_cast<int>(std::min<std::int64_t>(4, config.maxBatchSize)) : 1;
    const auto inputs = engine::syntheticInputs(model, batch);
    QElapsedTimer timer;
    timer.start();
    const auto local = model.predict(inputs);
    result.localMs = static_cast<double>(timer.nsecsElapsed()) / 1e6;
    std::vector<engine::RequestedOutput> wanted;
    for (const auto& o : config.outputs)
        wanted.push_back({ o.name, true, 0 });
    const auto reply = client.infer(
        result.name, engine::encodeInferRequest(remoteInputs(inputs, config), wanted, true), &result.remoteMs);
    result.verified = true;
    result.passed = reply.outputs.size() == local.size();
    result.tolerance = 1e-4;
    for (std::size_t i = 0; i < local.size() && i < reply.outputs.size(); ++i) {
        const auto a = local[i].toDoubles();
        const auto b = reply.outputs[i].tensor.toDoubles();
        if (a.size() != b.size()) {
            result.passed = false;
            continue;
        }
        double scale = 0;
        for (std::size_t k = 0; k < a.size(); ++k) {
            scale = std::max(scale, std::abs(a[k]));
            const auto d = std::abs(a[k] - b[k]);
            result.maxDifference = std::max(result.maxDifference, std::isnan(d) ? HUGE_VAL : d);
        }
        // The endpoint serves the model converted for the CPU: sums in another order, so a relative tolerance.
        result.tolerance = std::max(result.tolerance, 1e-4 + 1e-3 * scale);
    }
    result.passed = result.passed && result.maxDifference <= result.tolerance;
    if (local.empty() || reply.outputs.empty())
        return;
    const auto rows = local.front().shape.empty() ? 1 : local.front().shape.front();
    for (std::int64_t r = 0; r < rows && r < 8; ++r) {
        VerifiedSample s;
        s.sample = Publish::tr("sample %1").arg(r + 1);
        s.local = summary(local.front(), r, model.card().labels);
        s.remote = summary(reply.outputs.front().tensor, r, model.card().labels);
        result.samples.append(s);
    }
}

// Checks that the endpoint takes models over its API, and how.
bool takesUploads(RemoteClient& client, const std::string& platform)
{
    const auto meta = client.server();
    if (meta.is_object() && meta.contains("maas_platforms") && meta["maas_platforms"].is_array()) {
        const auto& served = meta["maas_platforms"];
        QStringList names;
        for (const auto& p : served)
            names << QString::fromStdString(p.is_string() ? p.get<std::string>() : p.dump());
        if (std::find(served.begin(), served.end(), platform) == served.end())
            throw Error(ErrorKind::InvalidInput,
                Publish::tr("%1 serves %2 only, not %3; publish the TorchScript form there, and the ONNX form to a "
                            "Triton server with the onnxruntime backend.")
                    .arg(client.endpoint().name, names.join(QStringLiteral(", ")), QString::fromStdString(platform))
                    .toStdString());
    }
    bool repository = false, upload = false;
    for (const auto& e : meta.is_object() && meta.contains("extensions") ? meta["extensions"] : json::array()) {
        repository = repository || e == "model_repository";
        upload = upload || e == "maas_upload";
    }
    if (!repository)
        throw Error(ErrorKind::InvalidInput,
            Publish::tr(
                "%1 does not take models over its API (it lists no model_repository extension); a Triton server "
                "does with --model-control-mode=explicit.")
                .arg(client.endpoint().name)
                .toStdString());
    return upload;
}

// Whether `version` of a model, with this identity, is what the endpoint serves.
bool loaded(RemoteClient& client, const QString& name, qint64 version, const QString& identity)
{
    try {
        const auto config = client.config(name);
        const auto versions = config ? publishedVersions(*config) : QList<QPair<qint64, QString>> {};
        return versions.contains({ version, identity }) && servedVersion(client, name) == version;
    } catch (const Error&) {
        return false;
    }
}

// Sends the model file and the config: the resumable upload when the server has it, else base64.
void send(RemoteClient& client, const QString& modelPath, const PublishOptions& options, const json& config,
    const QString& identity, PublishResult& result, bool upload, const engine::ProgressCallback& progress)
{
    const auto file = QStringLiteral("%1/model.%2")
                          .arg(result.version)
                          .arg(options.onnx ? QStringLiteral("onnx") : QStringLiteral("pt"));
    json parameters = { { "config", config.dump() } };
    if (options.onnx && config.contains("parameters") && config["parameters"].contains(kCardParameter)) {
        // The ONNX form's labels go beside it, as the config's label_filename says (TorchScript keeps them in
        // its card).
        const auto card = engine::parseJson(config["parameters"][kCardParameter].value("string_value", ""));
        if (card && card->contains("labels") && (*card)["labels"].is_array()) {
            QByteArray text;
            for (const auto& l : (*card)["labels"])
                text += QByteArray::fromStdString(l.is_string() ? l.get<std::string>() : l.dump()) + '\n';
            parameters["file:labels.txt"] = text.toBase64().toStdString();
        }
    }
    QElapsedTimer timer;
    timer.start();
    if (upload && !options.forceBase64) {
        result.method = QStringLiteral("upload");
        const auto id = client.upload(modelPath, result.sha256, [&](const engine::Progress& p) {
            report(progress, 0.1 + 0.7 * p.fraction, Publish::tr("uploading"), p.metrics);
        });
        parameters["upload:" + file.toStdString()] = id.toStdString();
        result.uploadSeconds = static_cast<double>(timer.nsecsElapsed()) / 1e9;
    } else {
        result.method = QStringLiteral("load");
        if (result.bytes * 4 / 3 + 4096 > kTritonBodyLimit)
            throw Error(ErrorKind::InvalidInput,
                Publish::tr(
                    "%1 takes models only inside one request, as base64, and this one would be %2 MB: past the 64 MiB "
                    "a Triton server takes by default. Raise its --http-max-input-size, or publish to an endpoint "
                    "with the resumable upload (maas-serve).")
                    .arg(client.endpoint().name)
                    .arg(double(result.bytes) * 4 / 3 / 1e6, 0, 'f', 1)
                    .toStdString());
        QFile f(modelPath);
        if (!f.open(QIODevice::ReadOnly))
            throw Error(ErrorKind::NotFound,
                Publish::tr("%1 cannot be read (%2).").arg(modelPath, f.errorString()).toStdString());
        parameters["file:" + file.toStdString()] = f.readAll().toBase64().toStdString();
    }
    report(progress, 0.8, Publish::tr("loading on the endpoint"));
    try {
        client.load(result.name, parameters); // not retried: a load uses its upload up
    } catch (const Error& e) {
        // No answer, or a gateway's 5xx: the load may have happened all the same. The config says.
        if (e.kind() != ErrorKind::Unavailable || !loaded(client, result.name, result.version, identity))
            throw;
    }
    if (result.method == QLatin1String("load"))
        result.uploadSeconds = static_cast<double>(timer.nsecsElapsed()) / 1e9;
}

} // namespace

std::optional<json> parseConfigText(const QString& text)
{
    auto parsed = engine::parseJson(text.toStdString());
    if (!parsed || !parsed->is_object())
        return std::nullopt;
    return parsed;
}

// The engine's rule for a model name, without a tenant's namespace, and not an option's look.
QString modelNameProblem(const QString& name)
{
    if (engine::validModelName(name.toStdString()) && !name.contains(QLatin1Char(engine::kNamespaceSeparator))
        && !name.startsWith(QLatin1Char('-')))
        return {};
    return Publish::tr("\"%1\" cannot name a model on an endpoint: use up to 128 letters, digits, '-', '_' and '.', "
                       "starting with a letter or digit.")
        .arg(name);
}

QString modelNameFor(const QString& text)
{
    auto name = text;
    name.replace(QRegularExpression(QStringLiteral("[^A-Za-z0-9._-]+")), QStringLiteral("-"));
    while (name.startsWith(QLatin1Char('.')) || name.startsWith(QLatin1Char('-')))
        name.remove(0, 1);
    while (name.endsWith(QLatin1Char('-')))
        name.chop(1);
    return name.isEmpty() ? QStringLiteral("model") : name.left(128);
}

QList<QPair<qint64, QString>> publishedVersions(const json& config)
{
    QList<QPair<qint64, QString>> out;
    if (!config.is_object() || !config.contains("parameters") || !config["parameters"].is_object())
        return out;
    const auto& p = config["parameters"];
    if (!p.contains(kVersionsParameter) || !p[kVersionsParameter].is_object()
        || !p[kVersionsParameter].contains("string_value") || !p[kVersionsParameter]["string_value"].is_string())
        return out;
    const auto text = QString::fromStdString(p[kVersionsParameter]["string_value"].get<std::string>());
    for (const auto& part : text.split(QLatin1Char(','), Qt::SkipEmptyParts)) {
        const auto pair = part.split(QLatin1Char(':'));
        bool ok = false;
        const auto v = pair.value(0).toLongLong(&ok);
        if (ok && pair.size() == 2)
            out.append({ v, pair[1] });
    }
    std::sort(out.begin(), out.end());
    return out;
}

json publishConfig(const QString& modelPath, const QString& name, std::int64_t maxBatchSize,
    const std::optional<engine::OnnxExportOptions>& onnx)
{
    const auto model = engine::Model::load(modelPath.toStdString());
    const QTemporaryDir exported;
    return configFor(model, name.isEmpty() ? defaultName(modelPath) : name, maxBatchSize,
        onnx ? onnxForm(model, modelPath, exported, *onnx) : QString());
}

namespace {

// What is known about a model on the endpoint before a publish.
struct Existing {
    std::optional<json> config;
    QList<QPair<qint64, QString>> versions; ///< version -> fingerprint, as recorded
    qint64 served = 0; ///< the version served now, 0 for none
    qint64 newest = 0;
};

Existing existingOn(RemoteClient& client, const QString& name)
{
    Existing e;
    e.config = client.config(name);
    if (!e.config)
        return e;
    e.versions = publishedVersions(*e.config);
    e.served = servedVersion(client, name);
    e.newest = e.served;
    for (const auto& [v, fingerprint] : e.versions)
        e.newest = std::max(e.newest, v);
    return e;
}

// A publish's identity: the file's SHA-256 and a digest of the config it is served with (its name,
// version policy and this record left out), so a changed config is a new version too.
QString fingerprint(const QString& sha256, engine::ModelConfig config)
{
    config.name.clear();
    config.versionPolicy = {};
    config.parameters.erase(kVersionsParameter);
    const auto digest
        = QCryptographicHash::hash(QByteArray::fromStdString(config.toJson().dump()), QCryptographicHash::Sha256);
    return sha256 + QLatin1Char('.') + QString::fromLatin1(digest.toHex().left(16));
}

// Serves again what was served before a publish whose verification failed (or nothing, if nothing was).
void restore(RemoteClient& client, PublishResult& result, const Existing& before)
{
    if (before.served > 0 && before.config) {
        // The config that served it (the new one may take other inputs), serving that version only. The
        // record of published versions keeps the new one: its files are there, and a publish of the same
        // file and config serves them again rather than sending them.
        auto config = engine::ModelConfig::fromJson(*before.config, "from the endpoint");
        config.versionPolicy = { engine::VersionPolicy::Kind::Specific, 1, { before.served } };
        if (const auto now = client.config(result.name))
            if (const auto it = now->find("parameters");
                it != now->end() && it->is_object() && it->contains(kVersionsParameter))
                config.parameters[kVersionsParameter] = (*it)[kVersionsParameter].value("string_value", "");
        client.load(result.name, { { "config", config.toJson().dump() } });
    } else {
        client.unload(result.name);
    }
    result.restored = before.served;
}

// After a publish: the config in effect, ready, and the verification; a verification that fails or a
// cancel puts back what served `before`.
void confirm(RemoteClient& client, const QString& modelPath, const PublishOptions& options, PublishResult& result,
    const Existing& before, const engine::ProgressCallback& progress)
{
    try {
        if (client.cancelRequested())
            throw Error(ErrorKind::Cancelled, "cancelled");
        result.config = client.config(result.name).value_or(json::object());
        client.metadata(result.name, QString::number(result.version)); // ready, or an error saying why not
        if (options.verify) {
            report(progress, 0.9, Publish::tr("verifying"));
            verify(client, modelPath, result);
            if (!result.passed && !result.unchanged)
                restore(client, result, before);
        }
    } catch (const Error& error) {
        if (error.kind() != ErrorKind::Cancelled || result.unchanged)
            throw;
        client.finishDespiteCancel(); // the load ran to its end: what served before serves again
        restore(client, result, before);
        throw Error(ErrorKind::Cancelled,
            Publish::tr("cancelled; %1 on %2 serves what it served before.")
                .arg(result.name, result.endpoint)
                .toStdString());
    }
}

} // namespace

PublishResult publish(RemoteClient& client, const QString& modelPath, const PublishOptions& options,
    const engine::ProgressCallback& progress)
{
    PublishResult result;
    result.endpoint = client.endpoint().name;
    result.name = options.name.isEmpty() ? defaultName(modelPath) : options.name;
    checkName(result.name);
    report(progress, 0.0, Publish::tr("asking the endpoint"));
    const std::string platform = options.onnx ? engine::kOnnxPlatform : "pytorch_libtorch";
    const bool upload = takesUploads(client, platform); // before any export or upload: can it take this form?
    report(progress, 0.02, Publish::tr("checking the model"));
    const auto model = engine::Model::load(modelPath.toStdString());
    std::optional<QTemporaryDir> exported; // the ONNX form, when that is what is sent
    if (options.onnx)
        exported.emplace();
    const auto file = options.onnx ? onnxForm(model, modelPath, *exported, *options.onnx) : modelPath;
    if (client.cancelRequested())
        throw Error(ErrorKind::Cancelled, Publish::tr("cancelled; nothing was sent.").toStdString());
    auto config = options.config ? *options.config
                                 : configFor(model, result.name, options.maxBatchSize, options.onnx ? file : QString());
    config["name"] = result.name.toStdString(); // the name errors are about, as the endpoint will know it
    auto checked = engine::ModelConfig::fromJson(config, "to publish"); // refused here, not there
    if (checked.platform != platform)
        throw Error(ErrorKind::InvalidInput,
            Publish::tr("the config is for %1, and the model goes as %2; write one for it with --print-config%3.")
                .arg(QString::fromStdString(checked.platform), QString::fromStdString(platform),
                    options.onnx ? QStringLiteral(" --format onnx") : QString())
                .toStdString());
    checkConfigAgainst(checked, model);
    checked.name = result.name.toStdString();
    result.sha256 = QString::fromStdString(engine::sha256File(file.toStdString()));
    result.bytes = QFileInfo(file).size();
    const auto identity = fingerprint(result.sha256, checked);
    auto e = existingOn(client, result.name);
    if (e.config && e.config->value("platform", std::string("pytorch_libtorch")) != platform)
        throw Error(ErrorKind::Conflict,
            Publish::tr("%1 on %2 is served as %3; the %4 form would make its versions unable to roll back. "
                        "Publish it under another --name.")
                .arg(result.name, result.endpoint,
                    QString::fromStdString(e.config->value("platform", std::string("pytorch_libtorch"))),
                    QString::fromStdString(platform))
                .toStdString());
    for (const auto& [v, recorded] : e.versions) {
        if (options.version && *options.version == v && recorded != identity)
            throw Error(ErrorKind::Conflict,
                Publish::tr("version %1 of %2 on %3 is another model or config; leave out the version to publish the "
                            "next one.")
                    .arg(v)
                    .arg(result.name, result.endpoint)
                    .toStdString());
        if (recorded == identity && !options.newVersion && (!options.version || *options.version == v))
            result.version = v; // this file and config are there already
    }
    if (result.version != 0) {
        if (result.version != e.served)
            rollback(client, result.name, result.version); // serve it again rather than send it again
        result.unchanged = true;
    } else {
        result.version = options.version.value_or(e.newest + 1);
        e.versions.erase(std::remove_if(e.versions.begin(), e.versions.end(),
                             [&](const auto& p) { return p.first == result.version; }),
            e.versions.end());
        e.versions.append({ result.version, identity });
        checked.versionPolicy = { engine::VersionPolicy::Kind::Specific, 1, { result.version } };
        checked.parameters[kVersionsParameter] = versionsText(e.versions);
        send(client, file, options, checked.toJson(), identity, result, upload, progress);
    }
    confirm(client, modelPath, options, result, e, progress);
    report(progress, 1.0, Publish::tr("published"));
    return result;
}

void rollback(RemoteClient& client, const QString& model, qint64 version)
{
    const auto current = client.config(model);
    if (!current)
        throw Error(ErrorKind::NotFound,
            Publish::tr("%1 has no model named %2.").arg(client.endpoint().name, model).toStdString());
    auto config = engine::ModelConfig::fromJson(*current, "from the endpoint");
    const auto known = publishedVersions(*current);
    if (!known.isEmpty()
        && std::none_of(known.begin(), known.end(), [&](const auto& p) { return p.first == version; })) {
        QStringList list;
        for (const auto& [v, sha] : known)
            list << QString::number(v);
        throw Error(ErrorKind::NotFound,
            Publish::tr("%1 on %2 has no version %3; it has %4.")
                .arg(model, client.endpoint().name)
                .arg(version)
                .arg(list.join(QLatin1String(", ")))
                .toStdString());
    }
    config.versionPolicy = { engine::VersionPolicy::Kind::Specific, 1, { version } };
    client.load(model, { { "config", config.toJson().dump() } });
}

RemoteInference remoteInfer(RemoteClient& client, const QString& model, const QStringList& inputs, bool rows, int k)
{
    const auto configJson = client.config(model);
    if (!configJson)
        throw Error(ErrorKind::NotFound,
            Publish::tr("%1 has no model named %2; `maas remote list` shows what it serves.")
                .arg(client.endpoint().name, model)
                .toStdString());
    const auto config = engine::ModelConfig::fromJson(*configJson, "from the endpoint");
    const auto card = remoteCard(config);
    std::vector<engine::Tensor> tensors;
    if (rows) {
        tensors.push_back(engine::loadTypedRows(
            card, inputs.join(QLatin1Char('\n')).toStdString(), Publish::tr("your input").toStdString()));
    } else {
        std::vector<std::string> sources;
        for (const auto& s : inputs)
            sources.push_back(s.toStdString());
        tensors = engine::loadInputs(card, sources);
    }
    // A classifier with labels answers with every class's score and label (Triton's classification).
    std::vector<engine::RequestedOutput> wanted;
    const bool labelled = !config.outputs.empty() && !config.outputs.front().labelFilename.empty()
        && !config.outputs.front().dims.empty() && config.outputs.front().dims.back() > 0;
    if (labelled)
        wanted.push_back({ config.outputs.front().name, false, static_cast<int>(config.outputs.front().dims.back()) });
    RemoteInference result;
    result.model = model;
    const auto reply = client.infer(
        model, engine::encodeInferRequest(remoteInputs(tensors, config), wanted, !labelled), &result.roundTripMs);
    result.version = QString::fromStdString(reply.modelVersion);
    if (reply.outputs.empty())
        return result;
    const auto& first = reply.outputs.front().tensor;
    std::vector<std::string> labels;
    engine::Tensor scores = first;
    if (labelled && first.dtype == engine::DataType::Bytes && !first.shape.empty()) {
        // "score:index:label" per class, back into a row of scores by index.
        const auto classes = first.shape.back();
        const auto samples = first.numel() / std::max<std::int64_t>(1, classes);
        std::vector<float> values(std::size_t(samples * classes), 0.0f);
        labels.resize(std::size_t(classes));
        for (std::int64_t i = 0; i < samples * classes; ++i) {
            const auto parts = QString::fromStdString(first.strings[std::size_t(i)]).split(QLatin1Char(':'));
            const auto index = parts.value(1).toLongLong();
            if (parts.size() < 2 || index < 0 || index >= classes)
                continue;
            values[std::size_t((i / classes) * classes + index)] = parts[0].toFloat();
            labels[std::size_t(index)] = parts.mid(2).join(QLatin1Char(':')).toStdString();
        }
        scores = engine::Tensor::fromFloats({ samples, classes }, values);
    }
    const auto ranked = engine::topClasses(scores, k);
    for (std::size_t r = 0; r < ranked.size(); ++r) {
        RemoteSample s;
        s.source = ranked.size() == std::size_t(inputs.size()) ? inputs[int(r)] : QString::number(r + 1);
        for (const auto& c : ranked[r])
            s.classes.append({ c.index < int(labels.size()) && !labels[std::size_t(c.index)].empty()
                    ? QString::fromStdString(labels[std::size_t(c.index)])
                    : Publish::tr("class %1").arg(c.index),
                c.score });
        result.samples.append(s);
    }
    if (ranked.empty())
        result.outputs = reply.outputs;
    return result;
}

namespace {

// Staging folders (".NAME.partial-PID") an export killed midway left behind: their process is gone.
void removeAbandonedStaging(const QDir& root, const QString& modelName)
{
    const auto prefix = QStringLiteral(".%1.partial-").arg(modelName);
    for (const auto& name : root.entryList({ prefix + QLatin1Char('*') }, QDir::Dirs | QDir::Hidden)) {
        bool ok = false;
        const auto pid = name.mid(prefix.size()).toLongLong(&ok);
        if (ok && pid > 0 && ::kill(static_cast<pid_t>(pid), 0) != 0 && errno == ESRCH)
            QDir(root.filePath(name)).removeRecursively();
    }
}

// A config for Triton's onnxruntime backend, read from the ONNX file itself: its tensors' names, types and
// shapes; batched (max_batch_size) when every input and output starts with the open "batch" axis.
engine::ModelConfig onnxConfig(const QString& onnxPath, const QString& name, std::int64_t maxBatchSize)
{
    const auto info = engine::readOnnx(onnxPath.toStdString());
    const auto batchedTensor
        = [](const engine::OnnxTensor& t) { return !t.shape.empty() && t.shape[0] < 0 && t.axisNames[0] == "batch"; };
    bool batched = !info.inputs.empty();
    for (const auto* list : { &info.inputs, &info.outputs })
        batched = batched && std::all_of(list->begin(), list->end(), batchedTensor);
    engine::ModelConfig c;
    c.name = name.toStdString();
    c.platform = "onnxruntime_onnx";
    c.maxBatchSize = batched ? maxBatchSize : 0;
    const auto tensor = [&](const engine::OnnxTensor& t) {
        // ONNX's type names against Triton's: FLOAT is TYPE_FP32, INT64 is TYPE_INT64, ...
        static const std::map<std::string, std::string> renamed { { "FLOAT", "FP32" }, { "DOUBLE", "FP64" },
            { "FLOAT16", "FP16" }, { "STRING", "STRING" } };
        const auto triton = engine::parseTritonType("TYPE_" + (renamed.count(t.dtype) ? renamed.at(t.dtype) : t.dtype));
        if (!triton)
            throw Error(ErrorKind::InvalidModel,
                Publish::tr("the ONNX model's tensor %1 is %2, which Triton's configs cannot name.")
                    .arg(QString::fromStdString(t.name), QString::fromStdString(t.dtype))
                    .toStdString());
        engine::ServingTensor s;
        s.name = t.name;
        s.dtype = *triton;
        s.dims.assign(t.shape.begin() + (batched ? 1 : 0), t.shape.end());
        if (s.dims.empty()) { // one number per sample: Triton wants an axis, reshaped away ([batch] in the model)
            s.dims = { 1 };
            s.reshape = std::vector<std::int64_t> {};
        }
        return s;
    };
    for (const auto& t : info.inputs)
        c.inputs.push_back(tensor(t));
    for (const auto& t : info.outputs)
        c.outputs.push_back(tensor(t));
    if (batched)
        c.dynamicBatching = engine::DynamicBatching {};
    return c;
}

} // namespace

namespace {

void writeFile(const QString& path, const QByteArray& bytes)
{
    QDir().mkpath(QFileInfo(path).absolutePath());
    QSaveFile f(path);
    if (!f.open(QIODevice::WriteOnly) || f.write(bytes) != bytes.size() || !f.commit())
        throw Error(ErrorKind::Io, Publish::tr("%1 cannot be written (%2).").arg(path, f.errorString()).toStdString());
}

// The repository folder's files in `staging`: the model (TorchScript as it is, or exported as ONNX), the
// config and the labels.
void fillTritonFolder(const QString& staging, const engine::Model& model, const QString& modelPath,
    const QString& modelName, std::int64_t maxBatchSize, const std::optional<engine::OnnxExportOptions>& onnx)
{
    engine::ModelConfig config;
    if (onnx) {
        const auto file = QDir(staging).filePath(QStringLiteral("1/model.onnx"));
        QDir().mkpath(QFileInfo(file).absolutePath());
        engine::exportOnnx(model, file.toStdString(), *onnx);
        config = onnxConfig(file, modelName, maxBatchSize);
        if (!model.card().labels.empty() && !config.outputs.empty())
            config.outputs.front().labelFilename = "labels.txt";
    } else {
        config = engine::ModelConfig::fromJson(publishConfig(modelPath, modelName, maxBatchSize), "to export");
        QFile source(modelPath);
        if (!source.open(QIODevice::ReadOnly))
            throw Error(ErrorKind::NotFound, Publish::tr("%1 cannot be read.").arg(modelPath).toStdString());
        writeFile(QDir(staging).filePath(QStringLiteral("1/model.pt")), source.readAll());
    }
    writeFile(QDir(staging).filePath(QStringLiteral("config.pbtxt")), QByteArray::fromStdString(config.toPbtxt()));
    for (const auto& o : config.outputs)
        if (!o.labelFilename.empty()) {
            QByteArray text;
            for (const auto& l : model.card().labels)
                text += QByteArray::fromStdString(l) + '\n';
            writeFile(QDir(staging).filePath(QString::fromStdString(o.labelFilename)), text);
        }
}

// A KServe InferenceService (Triton runtime, protocol v2) that serves the folder from `storageUri`.
QString kserveManifest(const QString& modelName, const QString& storageUri, bool onnx)
{
    return QStringLiteral("apiVersion: serving.kserve.io/v1beta1\n"
                          "kind: InferenceService\n"
                          "metadata:\n"
                          "  name: %1\n"
                          "spec:\n"
                          "  predictor:\n"
                          "    model:\n"
                          "      modelFormat:\n"
                          "        name: %3\n"
                          "      runtime: kserve-tritonserver\n"
                          "      protocolVersion: v2\n"
                          "      storageUri: \"%2\"\n")
        .arg(modelName.toLower().replace(QRegularExpression(QStringLiteral("[^a-z0-9-]")), QStringLiteral("-")),
            storageUri, onnx ? QStringLiteral("onnx") : QStringLiteral("pytorch"));
}

} // namespace

QString exportTriton(const QString& modelPath, const QString& directory, const QString& name, const QString& storageUri,
    std::int64_t maxBatchSize, std::optional<engine::OnnxExportOptions> onnx)
{
    const auto modelName = name.isEmpty() ? defaultName(modelPath) : name;
    checkName(modelName);
    static const QRegularExpression uri(QStringLiteral("^[A-Za-z][A-Za-z0-9+.-]*://[^\\s\"'\\\\]+$"));
    if (!storageUri.isEmpty() && !uri.match(storageUri).hasMatch())
        throw Error(ErrorKind::InvalidInput,
            Publish::tr("\"%1\" is not a storage address KServe reads; give one such as s3://bucket/models or "
                        "gs://bucket/models.")
                .arg(storageUri)
                .toStdString());
    const QDir root(directory);
    const auto folder = root.filePath(modelName);
    if (QFileInfo::exists(folder))
        throw Error(ErrorKind::InvalidInput,
            Publish::tr("%1 exists already; give another folder or name, or remove it.").arg(folder).toStdString());
    if (QFileInfo::exists(directory) && !QFileInfo(directory).isDir())
        throw Error(ErrorKind::InvalidInput, Publish::tr("%1 is a file, not a folder.").arg(directory).toStdString());
    const auto model = engine::Model::load(modelPath.toStdString());
    // Made beside the target under this process's own name, then renamed into place: a failure leaves no
    // half-written folder, nor the folders made for it, and two exports at once do not share one.
    QString created; // the first of DIR's folders this export makes, removed again if it fails
    for (QDir up(QDir(directory).absolutePath()); !up.exists(); up = QDir(QFileInfo(up.path()).path())) {
        created = up.path();
        if (up.isRoot())
            break;
    }
    const auto staging
        = root.filePath(QStringLiteral(".%1.partial-%2").arg(modelName).arg(QCoreApplication::applicationPid()));
    removeAbandonedStaging(root, modelName);
    QDir(staging).removeRecursively();
    try {
        fillTritonFolder(staging, model, modelPath, modelName, maxBatchSize, onnx);
        if (!QDir().rename(staging, folder))
            throw Error(ErrorKind::Io,
                (QFileInfo::exists(folder)
                        ? Publish::tr("%1 exists already; give another folder or name, or remove it.")
                        : Publish::tr("%1 cannot be made."))
                    .arg(folder)
                    .toStdString());
    } catch (...) {
        QDir(staging).removeRecursively();
        if (!created.isEmpty())
            QDir(created).removeRecursively();
        throw;
    }
    if (!storageUri.isEmpty())
        writeFile(root.filePath(modelName + QStringLiteral(".kserve.yaml")),
            kserveManifest(modelName, storageUri, onnx.has_value()).toUtf8());
    return folder;
}

OnnxExport exportOnnxFile(const QString& modelPath, const QString& target, const engine::OnnxExportOptions& options)
{
    const auto report
        = maas::engine::exportOnnx(maas::engine::Model::load(modelPath.toStdString()), target.toStdString(), options);
    OnnxExport done;
    done.report = report;
    done.entry.format = QStringLiteral("onnx");
    done.entry.path = QFileInfo(target).absoluteFilePath();
    done.entry.vocabularyPath = report.vocabularyPath.empty()
        ? QString()
        : QFileInfo(QString::fromStdString(report.vocabularyPath)).absoluteFilePath();
    done.entry.opset = report.opset;
    done.entry.bytes = report.bytes;
    done.summary = QCoreApplication::translate(
                       "maas::app::Export", "Exported %1: ONNX opset %2, %3, %4 operators; checked by ONNX's checker.")
                       .arg(QFileInfo(target).fileName())
                       .arg(report.opset)
                       .arg(formatBytes(report.bytes))
                       .arg(report.nodes)
        + (report.vocabularyPath.empty() ? QString()
                                         : QLatin1Char(' ')
                    + QCoreApplication::translate("maas::app::Export", "Its vocabulary is in %1.")
                          .arg(QFileInfo(QString::fromStdString(report.vocabularyPath)).fileName()));
    return done;
}

} // namespace maas::app
