#pragma once

#include <QList>
#include <QMetaType>
#include <QString>
#include <QStringList>

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "maas/app/endpoints.h"
#include "maas/engine/progress.h"
#include "maas/engine/serving.h"

namespace maas::app {

/// How patient a client is. Connection errors and 5xx answers are retried with exponential back-off
/// (backoffMs, twice that, ...) up to `retries` times; a 4xx answer is not.
struct RemoteOptions {
    int timeoutMs = 30'000; ///< a request that sends or receives nothing for this long fails
    int loadTimeoutMs = 600'000; ///< a load (the server reads, converts and checks the model) may take this
    int retries = 3;
    int backoffMs = 300;
    std::int64_t chunkBytes = std::int64_t { 16 } << 20; ///< the resumable upload's chunk
    const maas::engine::CancelToken* cancel = nullptr;
};

/// One version of a model in an endpoint's repository index.
struct RemoteModel {
    QString name;
    QString version; ///< empty for a model that serves no version
    QString state; ///< Triton's: READY, UNAVAILABLE, LOADING
    QString reason;
};

/// A client of one endpoint over the open inference protocol (KServe v2, Triton's REST API, Triton's
/// repository extension, this project's resumable upload). Synchronous: meant for a job's worker thread
/// or the CLI; an object lives on the thread that made it. Every failure throws maas::engine::Error with
/// one sentence naming the endpoint: NotFound (a model the server does not have), InvalidInput (a 4xx
/// answer, with the server's own reason), Unavailable (cannot connect, 5xx, timeout, TLS refused),
/// Cancelled. The secret never appears in a message.
class RemoteClient {
public:
    RemoteClient(Endpoint endpoint, QString secret, RemoteOptions options = {});
    ~RemoteClient();
    RemoteClient(const RemoteClient&) = delete;
    RemoteClient& operator=(const RemoteClient&) = delete;

    const Endpoint& endpoint() const;
    const RemoteOptions& options() const;
    /// Whether the user asked to stop (the options' cancel token).
    bool cancelRequested() const;
    /// From now on requests run to their end even when cancelled: for putting back what a cancelled
    /// publish changed.
    void finishDespiteCancel();

    /// GET /v2: name, version, extensions.
    nlohmann::json server();
    bool live();
    bool ready();
    /// POST /v2/repository/index.
    QList<RemoteModel> index();
    nlohmann::json metadata(const QString& model, const QString& version = {});
    /// Triton's statistics for a model (GET .../stats): counts and nanoseconds per phase.
    nlohmann::json statistics(const QString& model);
    /// The configuration in effect (Triton's ModelConfig as JSON); nullopt when the model is not there.
    std::optional<nlohmann::json> config(const QString& model);
    /// POST .../load with these parameters ({"config": ..., "file:1/model.pt": ...}).
    void load(const QString& model, const nlohmann::json& parameters);
    void unload(const QString& model);
    /// Sends a file with the resumable upload, resuming after a dropped connection; returns the committed
    /// upload's id. Progress: fraction, bytes sent, rate and ETA.
    QString upload(const QString& path, const QString& sha256, const maas::engine::ProgressCallback& progress);
    /// One infer request; `roundTripMs` gets the time from sending to the whole answer.
    maas::engine::InferReply infer(const QString& model, const maas::engine::InferBody& body, double* roundTripMs);

    struct Impl;

private:
    std::unique_ptr<Impl> m_impl;
};

/// What `maas endpoint test` and the Publish page's Test say about a server.
struct ServerSummary {
    QString name; ///< "maas-serve", "triton"
    QString version;
    QStringList extensions;
    bool ready = false;
    int modelVersions = 0; ///< entries in its repository index
};
/// Asks a server for its metadata, readiness and index; throws Error as every call does.
ServerSummary summarize(RemoteClient& client);

/// Opens a client for a named endpoint with its stored secret; for "local", starts the local endpoint
/// first when it is not running. Throws Error(NotFound) for a name that is not an endpoint.
std::unique_ptr<RemoteClient> connectTo(const QString& endpoint, RemoteOptions options = {});

/// The k best classes of one sample, from a remote answer.
struct RemoteSample {
    QString source;
    QList<QPair<QString, double>> classes; ///< (label, probability), best first
};

struct RemoteInference {
    QString model;
    QString version;
    QList<RemoteSample> samples; ///< for a classifier
    std::vector<maas::engine::InferInput> outputs; ///< the raw outputs otherwise
    double roundTripMs = 0;
};

/// Runs a remote model on inputs as the model's card (published with it) says: image, CSV or tensor
/// files, typed CSV rows (`rows`), or texts for a text model. Classifiers answer with their k best labels
/// and probabilities (Triton's classification extension).
RemoteInference remoteInfer(
    RemoteClient& client, const QString& model, const QStringList& inputs, bool rows = false, int k = 5);

/// Serves an earlier version of a model again: a load whose config serves that version only.
void rollback(RemoteClient& client, const QString& model, qint64 version);
/// The versions a model has on the endpoint that this project published, from the config's record
/// (version -> SHA-256), oldest first.
QList<QPair<qint64, QString>> publishedVersions(const nlohmann::json& config);

} // namespace maas::app

Q_DECLARE_METATYPE(maas::app::RemoteInference)
