#include "maas/app/library.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QRegularExpression>
#include <QSqlError>
#include <QSqlQuery>
#include <QUuid>
#include <QVariant>

#include <cmath>

#include "maas/engine/dataset.h"
#include "maas/engine/error.h"
#include "maas/engine/model.h"

namespace maas::app {

namespace {

using maas::engine::Error;
using maas::engine::ErrorKind;

[[noreturn]] void fail(const QString& message) { throw Error(ErrorKind::Io, message.toStdString()); }

// Runs one statement; a failure names the database and what SQLite said.
QSqlQuery exec(QSqlDatabase db, const QString& sql, const QVariantList& values = {})
{
    QSqlQuery q(db);
    if (!q.prepare(sql))
        fail(QCoreApplication::translate(
            "Library", "the library database %1 refused a statement (%2); it may be damaged: restore it from a backup.")
                 .arg(db.databaseName(), q.lastError().text()));
    for (const auto& v : values)
        q.addBindValue(v);
    if (!q.exec())
        fail(QCoreApplication::translate(
            "Library", "the library database %1 could not be changed (%2); check the disk and its permissions.")
                 .arg(db.databaseName(), q.lastError().text()));
    return q;
}

// One transaction: all of `change` or nothing.
template <typename F> auto transaction(QSqlDatabase db, F change)
{
    if (!db.transaction())
        fail(QCoreApplication::translate("Library", "the library database %1 is busy or read-only (%2).")
                 .arg(db.databaseName(), db.lastError().text()));
    try {
        auto result = change();
        if (!db.commit())
            fail(QCoreApplication::translate("Library", "the library database %1 could not save a change (%2).")
                     .arg(db.databaseName(), db.lastError().text()));
        return result;
    } catch (...) {
        db.rollback();
        throw;
    }
}

QVariant nullable(double v) { return std::isnan(v) ? QVariant() : QVariant(v); }

ModelEntry modelFrom(const QSqlQuery& q)
{
    ModelEntry m;
    m.id = q.value(QStringLiteral("id")).toLongLong();
    m.name = q.value(QStringLiteral("name")).toString();
    m.path = q.value(QStringLiteral("path")).toString();
    m.sha256 = q.value(QStringLiteral("sha256")).toString();
    m.task = q.value(QStringLiteral("task")).toString();
    m.parameters = q.value(QStringLiteral("parameters")).toLongLong();
    m.fileBytes = q.value(QStringLiteral("file_bytes")).toLongLong();
    const auto accuracy = q.value(QStringLiteral("accuracy")), latency = q.value(QStringLiteral("latency_ms"));
    m.accuracy = accuracy.isNull() ? qQNaN() : accuracy.toDouble();
    m.latencyMs = latency.isNull() ? qQNaN() : latency.toDouble();
    if (!q.value(QStringLiteral("parent_id")).isNull())
        m.parentId = q.value(QStringLiteral("parent_id")).toLongLong();
    m.operation = q.value(QStringLiteral("operation")).toString();
    m.tags = q.value(QStringLiteral("tags")).toString().split(QLatin1Char(','), Qt::SkipEmptyParts);
    m.added = QDateTime::fromString(q.value(QStringLiteral("added")).toString(), Qt::ISODate);
    m.trashed = q.value(QStringLiteral("trashed")).toBool();
    m.cardJson = q.value(QStringLiteral("card")).toString();
    return m;
}

} // namespace

std::unique_ptr<Library> Library::open(const QString& folder)
{
    for (const QString& sub : { QString(), QStringLiteral("models"), QStringLiteral("trash") })
        if (!QDir().mkpath(QDir(folder).filePath(sub)))
            fail(QCoreApplication::translate(
                "Library", "cannot create the library folder %1; choose a data folder you can write to in Settings.")
                     .arg(QDir(folder).filePath(sub)));
    std::unique_ptr<Library> library(new Library);
    library->m_folder = QDir(folder).absolutePath();
    library->m_connection = QStringLiteral("maas-library-") + QUuid::createUuid().toString(QUuid::WithoutBraces);
    auto db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), library->m_connection);
    db.setDatabaseName(QDir(library->m_folder).filePath(QStringLiteral("library.sqlite")));
    if (!db.open())
        fail(QCoreApplication::translate("Library", "cannot open the library database %1 (%2).")
                 .arg(db.databaseName(), db.lastError().text()));
    // WAL keeps the database whole if the program is killed mid-write; NORMAL sync is safe with WAL.
    exec(db, QStringLiteral("PRAGMA journal_mode=WAL"));
    exec(db, QStringLiteral("PRAGMA synchronous=NORMAL"));
    exec(db, QStringLiteral("PRAGMA foreign_keys=ON"));
    library->migrate();
    return library;
}

Library::~Library()
{
    {
        auto database = db();
        database.close();
    }
    QSqlDatabase::removeDatabase(m_connection);
}

QSqlDatabase Library::db() const { return QSqlDatabase::database(m_connection, false); }

int Library::schemaVersion() const
{
    auto q = exec(db(), QStringLiteral("PRAGMA user_version"));
    return q.next() ? q.value(0).toInt() : 0;
}

// Each step upgrades the schema by one version inside a transaction; user_version records where it is.
void Library::migrate()
{
    const int version = schemaVersion();
    if (version > kSchemaVersion)
        fail(QCoreApplication::translate("Library",
            "the library %1 was written by a newer MaaS Workbench (schema %2, this one knows %3); "
            "update the program or choose another data folder.")
                 .arg(m_folder)
                 .arg(version)
                 .arg(kSchemaVersion));
    if (version < 1) {
        transaction(db(), [&] {
            exec(db(),
                QStringLiteral(
                    "CREATE TABLE models(id INTEGER PRIMARY KEY, name TEXT NOT NULL, path TEXT NOT NULL, "
                    "sha256 TEXT NOT NULL UNIQUE, task TEXT, parameters INTEGER, file_bytes INTEGER, "
                    "accuracy REAL, latency_ms REAL, parent_id INTEGER REFERENCES models(id), operation TEXT, "
                    "tags TEXT NOT NULL DEFAULT '', card TEXT, added TEXT NOT NULL, trashed INTEGER NOT NULL DEFAULT "
                    "0)"));
            exec(db(),
                QStringLiteral(
                    "CREATE TABLE datasets(id INTEGER PRIMARY KEY, name TEXT NOT NULL, path TEXT NOT NULL UNIQUE, "
                    "kind TEXT, samples INTEGER, classes INTEGER, added TEXT NOT NULL)"));
            exec(db(),
                QStringLiteral(
                    "CREATE TABLE runs(id INTEGER PRIMARY KEY, model_id INTEGER NOT NULL REFERENCES models(id), "
                    "dataset_id INTEGER REFERENCES datasets(id), options TEXT, history TEXT, recorded TEXT NOT NULL)"));
            exec(db(), QStringLiteral("CREATE INDEX models_parent ON models(parent_id)"));
            exec(db(), QStringLiteral("PRAGMA user_version = 1"));
            return 0;
        });
    }
    if (version < 2) { // 2: benchmark results, one row per measurement
        transaction(db(), [&] {
            exec(db(),
                QStringLiteral(
                    "CREATE TABLE benchmarks(id INTEGER PRIMARY KEY, model_id INTEGER NOT NULL REFERENCES models(id), "
                    "batch INTEGER NOT NULL, threads INTEGER, p50_ms REAL, p90_ms REAL, p99_ms REAL, "
                    "samples_per_second REAL, runtime TEXT, recorded TEXT NOT NULL)"));
            exec(db(), QStringLiteral("CREATE INDEX benchmarks_model ON benchmarks(model_id)"));
            exec(db(), QStringLiteral("PRAGMA user_version = 2"));
            return 0;
        });
    }
    if (version < 3) { // 3: the whole measurement (JSON), the machine and the settings, and profiles
        transaction(db(), [&] {
            for (const char* column : { "kind TEXT NOT NULL DEFAULT 'latency'", "p95_ms REAL", "machine TEXT",
                     "settings TEXT", "details TEXT" })
                exec(db(), QStringLiteral("ALTER TABLE benchmarks ADD COLUMN ") + QLatin1String(column));
            exec(db(), QStringLiteral("PRAGMA user_version = 3"));
            return 0;
        });
    }
    if (version < 4) { // 4: files exported from a model (ONNX), listed under it
        transaction(db(), [&] {
            exec(db(),
                QStringLiteral(
                    "CREATE TABLE exports(id INTEGER PRIMARY KEY, model_id INTEGER NOT NULL REFERENCES models(id), "
                    "format TEXT NOT NULL, path TEXT NOT NULL UNIQUE, vocabulary TEXT, opset INTEGER, bytes INTEGER, "
                    "exported TEXT NOT NULL)"));
            exec(db(), QStringLiteral("PRAGMA user_version = 4"));
            return 0;
        });
    }
}

namespace {

// What the library records of a model, from its card and the engine's report.
PreparedImport describe(const maas::engine::Model& model, const QString& source)
{
    const auto report = model.inspect();
    PreparedImport p;
    p.source = source;
    p.sha256 = QString::fromStdString(report.sha256);
    const auto& card = model.card();
    p.name = QString::fromStdString(card.name.empty() ? QFileInfo(source).completeBaseName().toStdString() : card.name);
    p.task = QString::fromStdString(card.task);
    p.operation = QString::fromStdString(card.lineage.operation);
    p.cardJson = QString::fromStdString(card.toJson().dump(2));
    p.parameters = report.totalParameters;
    p.fileBytes = report.fileBytes;
    for (const char* key : { "test_accuracy", "validation_accuracy", "accuracy" })
        if (card.metrics.contains(key) && card.metrics[key].is_number()) {
            p.accuracy = card.metrics[key].get<double>();
            break;
        }
    return p;
}

// models/<first 12 hex digits of the hash>-<the source's name>.pt; a library copy's own prefix is not repeated.
QString libraryCopy(const QString& libraryFolder, const QString& sha256, const QString& source)
{
    QString base = QFileInfo(source).completeBaseName();
    static const QRegularExpression prefix(QStringLiteral("^[0-9a-f]{12}-"));
    base.remove(prefix);
    return QDir(libraryFolder).filePath(QStringLiteral("models/%1-%2.pt").arg(sha256.left(12), base));
}

} // namespace

PreparedImport Library::prepareImport(
    const QString& libraryFolder, const maas::engine::Model& model, const QString& kind)
{
    const QString path
        = QDir(libraryFolder)
              .filePath(QStringLiteral("%1-%2.pt").arg(kind, QUuid::createUuid().toString(QUuid::Id128)));
    model.save(path.toStdString());
    try {
        auto prepared = prepareImport(libraryFolder, path);
        QFile::remove(path);
        return prepared;
    } catch (...) {
        QFile::remove(path);
        throw;
    }
}

PreparedImport Library::prepareImport(const QString& libraryFolder, const QString& source)
{
    const auto model = maas::engine::Model::load(source.toStdString()); // the engine's sentence for bad files
    PreparedImport p = describe(model, source);
    p.warning = QString::fromStdString(maas::engine::labelsWarning(model));
    // Copy under a temporary name, then rename: a crash leaves no half model in the library.
    const QString target = libraryCopy(libraryFolder, p.sha256, source);
    const QString tmp = target + QStringLiteral(".part");
    QFile::remove(tmp);
    if (!QFile::exists(target)) {
        if (!QFile::copy(source, tmp) || !QFile::rename(tmp, target)) {
            QFile::remove(tmp);
            fail(QCoreApplication::translate(
                "Library", "cannot copy %1 into the library at %2; check the free space and permissions.")
                     .arg(source, target));
        }
    }
    p.copy = target;
    return p;
}

PreparedImport Library::prepareCardEdit(const QString& libraryFolder, const ModelEntry& entry, const QString& cardJson)
{
    const auto loaded = maas::engine::Model::load(entry.path.toStdString());
    nlohmann::json json;
    try {
        json = nlohmann::json::parse(cardJson.toStdString());
    } catch (const nlohmann::json::exception&) {
        fail(QCoreApplication::translate("Library", "the edited card of %1 is not JSON; correct it and save again.")
                 .arg(entry.name));
    }
    auto card = maas::engine::ModelCard::fromJson(json, "the card of " + entry.name.toStdString());
    card.inferred = false; // a person has looked at it now
    maas::engine::checkLabels(loaded, card);
    const auto model = loaded.withCard(std::move(card));
    // The edited model gets a file of its own (named by its new hash); the old file goes when the
    // library has recorded the change, so a crash in between loses nothing.
    const QString staging
        = QDir(libraryFolder)
              .filePath(QStringLiteral("models/card-edit-%1.pt").arg(QUuid::createUuid().toString(QUuid::Id128)));
    model.save(staging.toStdString());
    PreparedImport p = describe(maas::engine::Model::load(staging.toStdString()), entry.path);
    p.copy = libraryCopy(libraryFolder, p.sha256, entry.path);
    QFile::remove(p.copy);
    if (!QFile::rename(staging, p.copy)) {
        QFile::remove(staging);
        fail(QCoreApplication::translate("Library", "cannot write %1; check the free space and permissions.")
                 .arg(p.copy));
    }
    return p;
}

ModelEntry Library::commitCardEdit(qint64 modelId, const PreparedImport& p)
{
    const auto before = model(modelId);
    if (!before)
        fail(QCoreApplication::translate("Library", "the model %1 is no longer in the library.").arg(modelId));
    if (p.sha256 == before->sha256)
        return *before; // nothing changed
    {
        auto same
            = exec(db(), QStringLiteral("SELECT name FROM models WHERE sha256 = ? AND id <> ?"), { p.sha256, modelId });
        if (same.next()) {
            QFile::remove(p.copy);
            fail(QCoreApplication::translate(
                "Library", "with this card the model is identical to %1, already in the library.")
                     .arg(same.value(0).toString()));
        }
    }
    transaction(db(), [&] {
        exec(db(),
            QStringLiteral("UPDATE models SET name = ?, path = ?, sha256 = ?, task = ?, file_bytes = ?, accuracy = ?, "
                           "card = ? WHERE id = ?"),
            { p.name, p.copy, p.sha256, p.task, p.fileBytes, nullable(p.accuracy), p.cardJson, modelId });
        return 0;
    });
    if (before->path != p.copy)
        QFile::remove(before->path);
    return *model(modelId);
}

ModelEntry Library::commitImport(const PreparedImport& p, std::optional<qint64> parentId)
{
    {
        auto existing = exec(db(), QStringLiteral("SELECT * FROM models WHERE sha256 = ?"), { p.sha256 });
        if (existing.next())
            return modelFrom(existing); // the same bytes are the same model
    }
    const qint64 id = transaction(db(), [&] {
        auto q = exec(db(),
            QStringLiteral(
                "INSERT INTO models(name, path, sha256, task, parameters, file_bytes, accuracy, parent_id, operation, "
                "card, added) VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"),
            { p.name, p.copy, p.sha256, p.task, p.parameters, p.fileBytes, nullable(p.accuracy),
                parentId ? QVariant(*parentId) : QVariant(), p.operation, p.cardJson,
                QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs) });
        return q.lastInsertId().toLongLong();
    });
    return *model(id);
}

ModelEntry Library::importModel(const QString& source, std::optional<qint64> parentId)
{
    return commitImport(prepareImport(m_folder, source), parentId);
}

DatasetEntry Library::prepareDataset(const QString& path)
{
    const auto data = maas::engine::Dataset::open(path.toStdString());
    DatasetEntry d;
    d.name = QFileInfo(path).completeBaseName();
    d.path = QFileInfo(path).absoluteFilePath();
    d.kind = data.kind() == maas::engine::DataKind::Images ? QStringLiteral("images")
        : data.kind() == maas::engine::DataKind::Table     ? QStringLiteral("table")
                                                           : QStringLiteral("text");
    d.samples = data.size();
    d.classes = static_cast<int>(data.classes().size());
    return d;
}

DatasetEntry Library::commitDataset(const DatasetEntry& d)
{
    transaction(db(), [&] {
        exec(db(),
            QStringLiteral("INSERT INTO datasets(name, path, kind, samples, classes, added) VALUES(?, ?, ?, ?, ?, ?) "
                           "ON CONFLICT(path) DO UPDATE SET kind = excluded.kind, samples = excluded.samples, "
                           "classes = excluded.classes"),
            { d.name, d.path, d.kind, d.samples, d.classes,
                QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs) });
        return 0;
    });
    for (const auto& entry : datasets())
        if (entry.path == d.path)
            return entry;
    fail(QCoreApplication::translate("Library", "the data set %1 was not recorded in the library.").arg(d.path));
}

DatasetEntry Library::registerDataset(const QString& path) { return commitDataset(prepareDataset(path)); }

QList<ModelEntry> Library::models(bool includeTrashed) const
{
    auto q = exec(db(),
        includeTrashed ? QStringLiteral("SELECT * FROM models ORDER BY id")
                       : QStringLiteral("SELECT * FROM models WHERE trashed = 0 ORDER BY id"));
    QList<ModelEntry> out;
    while (q.next())
        out.append(modelFrom(q));
    return out;
}

std::optional<ModelEntry> Library::model(qint64 id) const
{
    auto q = exec(db(), QStringLiteral("SELECT * FROM models WHERE id = ?"), { id });
    if (!q.next())
        return std::nullopt;
    return modelFrom(q);
}

QList<DatasetEntry> Library::datasets() const
{
    auto q = exec(db(), QStringLiteral("SELECT * FROM datasets ORDER BY id"));
    QList<DatasetEntry> out;
    while (q.next()) {
        DatasetEntry d;
        d.id = q.value(QStringLiteral("id")).toLongLong();
        d.name = q.value(QStringLiteral("name")).toString();
        d.path = q.value(QStringLiteral("path")).toString();
        d.kind = q.value(QStringLiteral("kind")).toString();
        d.samples = q.value(QStringLiteral("samples")).toLongLong();
        d.classes = q.value(QStringLiteral("classes")).toInt();
        d.added = QDateTime::fromString(q.value(QStringLiteral("added")).toString(), Qt::ISODate);
        out.append(d);
    }
    return out;
}

void Library::setTags(qint64 modelId, const QStringList& tags)
{
    transaction(db(), [&] {
        exec(db(), QStringLiteral("UPDATE models SET tags = ? WHERE id = ?"), { tags.join(QLatin1Char(',')), modelId });
        return 0;
    });
}

void Library::trash(qint64 modelId)
{
    const auto entry = model(modelId);
    if (!entry || entry->trashed)
        return;
    const QString target = QDir(m_folder).filePath(QStringLiteral("trash/") + QFileInfo(entry->path).fileName());
    if (QFile::exists(entry->path) && !QFile::rename(entry->path, target))
        fail(QCoreApplication::translate("Library", "cannot move %1 to the library's trash; check its permissions.")
                 .arg(entry->path));
    transaction(db(), [&] {
        exec(db(), QStringLiteral("UPDATE models SET trashed = 1, path = ? WHERE id = ?"), { target, modelId });
        return 0;
    });
}

void Library::restore(qint64 modelId)
{
    const auto entry = model(modelId);
    if (!entry || !entry->trashed)
        return;
    const QString target = QDir(m_folder).filePath(QStringLiteral("models/") + QFileInfo(entry->path).fileName());
    if (QFile::exists(entry->path) && !QFile::rename(entry->path, target))
        fail(QCoreApplication::translate(
            "Library", "cannot move %1 back from the library's trash; check its permissions.")
                 .arg(entry->path));
    transaction(db(), [&] {
        exec(db(), QStringLiteral("UPDATE models SET trashed = 0, path = ? WHERE id = ?"), { target, modelId });
        return 0;
    });
}

qint64 Library::addRun(
    qint64 modelId, std::optional<qint64> datasetId, const QString& optionsJson, const QString& historyJson)
{
    return transaction(db(), [&] {
        auto q = exec(db(),
            QStringLiteral("INSERT INTO runs(model_id, dataset_id, options, history, recorded) VALUES(?, ?, ?, ?, ?)"),
            { modelId, datasetId ? QVariant(*datasetId) : QVariant(), optionsJson, historyJson,
                QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs) });
        return q.lastInsertId().toLongLong();
    });
}

qint64 Library::addBenchmark(qint64 modelId, const BenchmarkResult& b)
{
    return transaction(db(), [&] {
        auto q = exec(db(),
            QStringLiteral("INSERT INTO benchmarks(model_id, kind, batch, threads, p50_ms, p90_ms, p95_ms, p99_ms, "
                           "samples_per_second, runtime, machine, settings, details, recorded) "
                           "VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"),
            { modelId, b.kind, b.batch, b.threads, b.p50Ms, b.p90Ms, b.p95Ms, b.p99Ms, b.samplesPerSecond, b.runtime,
                b.machine, b.settingsJson, b.detailsJson,
                QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs) });
        if (b.batch == 1 && b.kind == QLatin1String("latency")) // the library's latency column: latest batch-1 p50
            exec(db(), QStringLiteral("UPDATE models SET latency_ms = ? WHERE id = ?"), { b.p50Ms, modelId });
        return q.lastInsertId().toLongLong();
    });
}

qint64 Library::addExport(const ExportEntry& e)
{
    return transaction(db(), [&] {
        auto q = exec(db(),
            QStringLiteral("INSERT OR REPLACE INTO exports(model_id, format, path, vocabulary, opset, bytes, exported) "
                           "VALUES(?, ?, ?, ?, ?, ?, ?)"),
            { e.modelId, e.format, e.path, e.vocabularyPath, e.opset, e.bytes,
                QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs) });
        return q.lastInsertId().toLongLong();
    });
}

QList<ExportEntry> Library::exports() const
{
    QList<ExportEntry> out;
    auto q = exec(db(),
        QStringLiteral(
            "SELECT id, model_id, format, path, vocabulary, opset, bytes, exported FROM exports ORDER BY id"));
    while (q.next()) {
        ExportEntry e;
        e.id = q.value(0).toLongLong();
        e.modelId = q.value(1).toLongLong();
        e.format = q.value(2).toString();
        e.path = q.value(3).toString();
        e.vocabularyPath = q.value(4).toString();
        e.opset = q.value(5).toInt();
        e.bytes = q.value(6).toLongLong();
        e.exported = QDateTime::fromString(q.value(7).toString(), Qt::ISODateWithMs);
        out.append(e);
    }
    return out;
}

void Library::forgetExport(qint64 exportId)
{
    transaction(db(), [&] {
        exec(db(), QStringLiteral("DELETE FROM exports WHERE id = ?"), { exportId });
        return 0;
    });
}

QHash<qint64, qint64> lineageRoots(const QList<ModelEntry>& models)
{
    QHash<qint64, qint64> parent;
    for (const auto& m : models)
        parent.insert(m.id, m.parentId.value_or(m.id));
    QHash<qint64, qint64> roots;
    for (const auto& m : models) {
        qint64 id = m.id;
        for (int depth = 0; depth < 1000 && parent.value(id, id) != id; ++depth)
            id = parent.value(id, id);
        roots.insert(m.id, id);
    }
    return roots;
}

QList<BenchmarkResult> Library::benchmarks(qint64 modelId) const
{
    QList<BenchmarkResult> out;
    auto q = exec(db(),
        QStringLiteral("SELECT kind, batch, threads, p50_ms, p90_ms, p95_ms, p99_ms, samples_per_second, runtime, "
                       "machine, settings, details, recorded FROM benchmarks WHERE model_id = ? ORDER BY id"),
        { modelId });
    while (q.next()) {
        BenchmarkResult b;
        b.kind = q.value(0).toString();
        b.batch = q.value(1).toInt();
        b.threads = q.value(2).toInt();
        b.p50Ms = q.value(3).toDouble();
        const auto real = [&q](int column) { return q.value(column).isNull() ? qQNaN() : q.value(column).toDouble(); };
        b.p90Ms = real(4); // a profile has no percentiles: stored as NULL, read as NaN
        b.p95Ms = real(5);
        b.p99Ms = real(6);
        b.samplesPerSecond = q.value(7).toDouble();
        b.runtime = q.value(8).toString();
        b.machine = q.value(9).toString();
        b.settingsJson = q.value(10).toString();
        b.detailsJson = q.value(11).toString();
        b.recorded = QDateTime::fromString(q.value(12).toString(), Qt::ISODateWithMs);
        out.append(b);
    }
    return out;
}

void Library::forgetDataset(qint64 datasetId)
{
    transaction(db(), [&] {
        exec(db(), QStringLiteral("UPDATE runs SET dataset_id = NULL WHERE dataset_id = ?"), { datasetId });
        exec(db(), QStringLiteral("DELETE FROM datasets WHERE id = ?"), { datasetId });
        return 0;
    });
}

int Library::runCount(qint64 modelId) const
{
    auto q = exec(db(), QStringLiteral("SELECT COUNT(*) FROM runs WHERE model_id = ?"), { modelId });
    return q.next() ? q.value(0).toInt() : 0;
}

} // namespace maas::app
