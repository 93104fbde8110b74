#pragma once

#include <QDateTime>
#include <QHash>
#include <QList>
#include <QMetaType>
#include <QSqlDatabase>
#include <QString>
#include <QStringList>

#include <memory>
#include <optional>

namespace maas::engine {
class Model;
} // namespace maas::engine

namespace maas::app {

/// A model in the library: a TorchScript file copied into the library's folder, with what the
/// inspector and the benchmarks found out about it.
struct ModelEntry {
    qint64 id = 0;
    QString name;
    QString path; ///< the library's own copy
    QString sha256;
    QString task;
    qint64 parameters = 0;
    qint64 fileBytes = 0;
    double accuracy = qQNaN(); ///< from the card's metrics, when it has them
    double latencyMs = qQNaN(); ///< from the latest benchmark
    std::optional<qint64> parentId; ///< the model this one was trained, pruned, quantized or distilled from
    QString operation; ///< how it was made from its parent ("train", "quantize", ...)
    QStringList tags;
    QDateTime added;
    bool trashed = false;
    QString cardJson; ///< the model card as stored at import
};

/// A registered data set: the library remembers where it is and what it holds, it does not copy it.
struct DatasetEntry {
    qint64 id = 0;
    QString name;
    QString path;
    QString kind; ///< "images", "table", "text"
    qint64 samples = 0;
    int classes = 0;
    QDateTime added;
};

/// One latency measurement of a model on this machine.
struct BenchmarkResult {
    QString kind = QStringLiteral("latency"); ///< "latency" (one configuration timed) or "profile"
    int batch = 1;
    int threads = 0;
    double p50Ms = 0, p90Ms = 0, p95Ms = qQNaN(), p99Ms = 0, samplesPerSecond = 0;
    QString runtime; ///< LibTorch, BLAS and threads, as the status bar shows them
    QString machine; ///< the CPU, as the engine names it
    QString settingsJson; ///< what was asked: batch, threads, iterations or duration, input shapes
    QString detailsJson; ///< the whole measurement as the engine's JSON (histogram, memory, ...; a profile)
    QDateTime recorded;
};

/// A file exported from a model into another format (ONNX), listed under the model in the library.
struct ExportEntry {
    qint64 id = 0;
    qint64 modelId = 0;
    QString format; ///< "onnx"
    QString path; ///< where it was written; the library does not own it (it may be moved or deleted)
    QString vocabularyPath; ///< a text model's vocabulary file beside it, or empty
    int opset = 0;
    qint64 bytes = 0;
    QDateTime exported;
};

/// The slow half of an import (load, hash, copy into the library folder), safe on a worker thread; the
/// library records it with Library::commitImport on its own thread.
struct PreparedImport {
    QString source;
    QString copy; ///< the file now in the library's models/ folder
    QString sha256, name, task, operation, cardJson;
    qint64 parameters = 0, fileBytes = 0;
    double accuracy = qQNaN();
    /// Said to the user once the import is done (a stored card whose labels do not fit the model's
    /// outputs); empty when there is nothing to say.
    QString warning;
};

/// The model each lineage starts from, for every model in `models`: parents followed up within the list
/// (a loop in the records ends the walk). Models of one lineage share a root.
QHash<qint64, qint64> lineageRoots(const QList<ModelEntry>& models);

/// The model library: a SQLite database and a folder of model files. Every change is one transaction
/// and the database runs in WAL mode, so a kill at any moment leaves it whole; the schema carries a
/// version and is upgraded on open (1: models, data sets, runs; 2: benchmarks; 3: whole measurements and
/// profiles, with machine and settings; 4: exported files). Not thread-safe: use it from one thread
/// (the UI thread).
class Library {
public:
    /// Opens (creating if needed) the library in `folder`: library.sqlite, models/, trash/.
    /// Throws maas::engine::Error when the folder or the database cannot be used.
    static std::unique_ptr<Library> open(const QString& folder);
    ~Library();

    static constexpr int kSchemaVersion = 4;
    /// Fashion-MNIST as Debian's dataset-fashion-mnist package installs it: the sample data set.
    static QString sampleDataset() { return QStringLiteral("/usr/share/datasets/fashion-mnist"); }
    int schemaVersion() const;
    QString folder() const { return m_folder; }

    /// Copies a TorchScript model into the library (atomically), records its hash, card and size.
    /// A file whose hash is already in the library returns the existing entry. Bad files throw the
    /// engine's one-line error and leave nothing behind.
    ModelEntry importModel(const QString& source, std::optional<qint64> parentId = std::nullopt);
    static PreparedImport prepareImport(const QString& libraryFolder, const QString& source);
    /// The same for a model made in memory (trained, optimized): written next to the library as
    /// `kind`-UUID.pt, prepared from there, then removed.
    static PreparedImport prepareImport(
        const QString& libraryFolder, const maas::engine::Model& model, const QString& kind);
    ModelEntry commitImport(const PreparedImport& prepared, std::optional<qint64> parentId = std::nullopt);
    /// Editing a model's card: the slow half (load, set the card, write a new file, hash it), safe on a
    /// worker thread; then commitCardEdit records it and removes the old file. A card the engine
    /// rejects throws its sentence naming the field.
    static PreparedImport prepareCardEdit(
        const QString& libraryFolder, const ModelEntry& entry, const QString& cardJson);
    ModelEntry commitCardEdit(qint64 modelId, const PreparedImport& prepared);
    /// Registers a data set the engine can read (IDX folder, image folder, CSV).
    DatasetEntry registerDataset(const QString& path);
    /// The slow half of registering (reading the data set), safe on a worker thread.
    static DatasetEntry prepareDataset(const QString& path);
    DatasetEntry commitDataset(const DatasetEntry& prepared);

    QList<ModelEntry> models(bool includeTrashed = false) const;
    std::optional<ModelEntry> model(qint64 id) const;
    QList<DatasetEntry> datasets() const;
    /// Removes a data set from the library; its files stay where they are, and runs keep their results.
    void forgetDataset(qint64 datasetId);
    void setTags(qint64 modelId, const QStringList& tags);

    /// Moves the model's file to trash/ and hides it; restore() brings both back.
    void trash(qint64 modelId);
    void restore(qint64 modelId);

    /// Records a training run: its data set, options and per-epoch history (JSON).
    qint64 addRun(
        qint64 modelId, std::optional<qint64> datasetId, const QString& optionsJson, const QString& historyJson);
    int runCount(qint64 modelId) const;
    /// Records a benchmark; a batch-1 result also becomes the model's latency in the library table.
    qint64 addBenchmark(qint64 modelId, const BenchmarkResult& result);
    QList<BenchmarkResult> benchmarks(qint64 modelId) const;
    /// Records a file exported from a model; the same path exported again replaces its row.
    qint64 addExport(const ExportEntry& entry);
    /// Every recorded export, oldest first.
    QList<ExportEntry> exports() const;
    /// Takes an export off the list; its file stays where it is.
    void forgetExport(qint64 exportId);

private:
    Library() = default;
    void migrate();
    QSqlDatabase db() const;

    QString m_folder;
    QString m_connection;
};

} // namespace maas::app

Q_DECLARE_METATYPE(maas::app::PreparedImport)
Q_DECLARE_METATYPE(maas::app::DatasetEntry)
