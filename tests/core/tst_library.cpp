// The model library on a real SQLite database in a temporary folder, with real PyTorch models.
#include <QtTest>

#include <cmath>

#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>

#include <fstream>

#include <nlohmann/json.hpp>

#include "maas/app/library.h"
#include "maas/engine/error.h"

using maas::app::Library;

namespace {

QString fixture(const QString& name) { return QStringLiteral(MAAS_FIXTURES_DIR "/") + name; }

QStringList filesIn(const QString& folder) { return QDir(folder).entryList(QDir::Files | QDir::Hidden); }

} // namespace

class TestLibrary : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void importsRealModelsOnce()
    {
        QTemporaryDir dir;
        auto library = Library::open(dir.path());
        QCOMPARE(library->schemaVersion(), Library::kSchemaVersion);
        const auto mlp = library->importModel(fixture(QStringLiteral("mlp.pt")));
        QCOMPARE(mlp.name, QStringLiteral("iris-mlp"));
        QCOMPARE(mlp.task, QStringLiteral("classification"));
        QCOMPARE(mlp.sha256.size(), 64);
        QVERIFY(QFile::exists(mlp.path));
        QVERIFY(mlp.path.startsWith(dir.filePath(QStringLiteral("models"))));
        std::ifstream in(MAAS_FIXTURES_DIR "/facts.json");
        QCOMPARE(mlp.parameters, nlohmann::json::parse(in)["mlp"]["parameters"].get<qint64>());

        const auto again = library->importModel(fixture(QStringLiteral("mlp.pt")));
        QCOMPARE(again.id, mlp.id);
        QCOMPARE(library->models().size(), 1);

        const auto child = library->importModel(fixture(QStringLiteral("resnet18.pt")), mlp.id);
        QCOMPARE(child.name, QStringLiteral("resnet18"));
        QCOMPARE(child.parentId.value_or(-1), mlp.id);
        QCOMPARE(filesIn(dir.filePath(QStringLiteral("models"))).size(), 2);
    }

    void badFilesLeaveNothingBehind()
    {
        QTemporaryDir dir;
        auto library = Library::open(dir.path());
        for (const char* bad : { "bad_state_dict.pt", "bad_empty.pt", "bad_truncated.pt", "no_such.pt" }) {
            try {
                library->importModel(fixture(QLatin1String(bad)));
                QFAIL("a bad file was imported");
            } catch (const maas::engine::Error& e) {
                QVERIFY2(QString::fromUtf8(e.what()).contains(QLatin1String(bad)), e.what());
            }
        }
        QCOMPARE(library->models().size(), 0);
        QCOMPARE(filesIn(dir.filePath(QStringLiteral("models"))).size(), 0);
    }

    void trashAndRestore()
    {
        QTemporaryDir dir;
        auto library = Library::open(dir.path());
        const auto entry = library->importModel(fixture(QStringLiteral("cnn.pt")));
        library->trash(entry.id);
        QCOMPARE(library->models().size(), 0);
        QCOMPARE(library->models(true).size(), 1);
        QVERIFY(!QFile::exists(entry.path));
        QCOMPARE(filesIn(dir.filePath(QStringLiteral("trash"))).size(), 1);
        library->restore(entry.id);
        QCOMPARE(library->models().size(), 1);
        QVERIFY(QFile::exists(library->model(entry.id)->path));
    }

    void survivesReopeningAndRecordsRunsAndDatasets()
    {
        QTemporaryDir dir;
        qint64 id = 0;
        {
            auto library = Library::open(dir.path());
            id = library->importModel(fixture(QStringLiteral("mlp.pt"))).id;
            library->setTags(id, { QStringLiteral("tabular"), QStringLiteral("small") });
            maas::app::BenchmarkResult latency;
            latency.p50Ms = 0.25;
            library->addBenchmark(id, latency);
            library->addRun(id, std::nullopt, QStringLiteral("{}"), QStringLiteral("[]"));
            QTemporaryDir csv;
            QFile rows(csv.filePath(QStringLiteral("rows.csv")));
            QVERIFY(rows.open(QIODevice::WriteOnly));
            rows.write("x,label\n1,a\n2,b\n3,a\n");
            rows.close();
            QCOMPARE(library->registerDataset(rows.fileName()).kind, QStringLiteral("table"));
        }
        QVERIFY(QFile::exists(dir.filePath(QStringLiteral("library.sqlite-wal")))
            || QFile::exists(dir.filePath(QStringLiteral("library.sqlite"))));
        auto library = Library::open(dir.path());
        const auto entry = library->model(id);
        QVERIFY(entry.has_value());
        QCOMPARE(entry->tags, (QStringList { QStringLiteral("tabular"), QStringLiteral("small") }));
        QCOMPARE(entry->latencyMs, 0.25);
        QCOMPARE(library->runCount(id), 1);
        QCOMPARE(library->datasets().size(), 1);
        // A data set a run used can be forgotten; the run stays.
        library->addRun(id, library->datasets().front().id, QStringLiteral("{}"), QStringLiteral("[]"));
        library->forgetDataset(library->datasets().front().id);
        QCOMPARE(library->datasets().size(), 0);
        QCOMPARE(library->runCount(id), 2);
    }

    void registersRealDatasets()
    {
        QTemporaryDir dir;
        auto library = Library::open(dir.path());
        const auto fashion = library->registerDataset(QStringLiteral("/usr/share/datasets/fashion-mnist"));
        QCOMPARE(fashion.kind, QStringLiteral("images"));
        QCOMPARE(fashion.samples, qint64 { 60000 });
        QCOMPARE(fashion.classes, 10);
        library->registerDataset(QStringLiteral("/usr/share/datasets/fashion-mnist"));
        QCOMPARE(library->datasets().size(), 1);
        try {
            library->registerDataset(fixture(QStringLiteral("resnet18.pt")));
            QFAIL("a model was registered as a data set");
        } catch (const maas::engine::Error& e) {
            QVERIFY(QString::fromUtf8(e.what()).contains(QLatin1String("not a data set")));
        }
        QCOMPARE(library->datasets().size(), 1);
    }

    // A library written by the first release (schema 1, exactly as it created it) opens, keeps its
    // models and runs, and gains the benchmarks table.
    void upgradesASchemaOneLibrary()
    {
        QTemporaryDir dir;
        {
            auto db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("v1"));
            db.setDatabaseName(dir.filePath(QStringLiteral("library.sqlite")));
            QVERIFY(db.open());
            QSqlQuery q(db);
            for (const char* sql : { "CREATE TABLE models(id INTEGER PRIMARY KEY, name TEXT NOT NULL, path TEXT NOT "
                                     "NULL, sha256 TEXT NOT NULL UNIQUE, "
                                     "task TEXT, parameters INTEGER, file_bytes INTEGER, accuracy REAL, latency_ms "
                                     "REAL, parent_id INTEGER "
                                     "REFERENCES models(id), operation TEXT, tags TEXT NOT NULL DEFAULT '', card TEXT, "
                                     "added TEXT NOT NULL, "
                                     "trashed INTEGER NOT NULL DEFAULT 0)",
                     "CREATE TABLE datasets(id INTEGER PRIMARY KEY, name TEXT NOT NULL, path TEXT NOT NULL UNIQUE, "
                     "kind TEXT, "
                     "samples INTEGER, classes INTEGER, added TEXT NOT NULL)",
                     "CREATE TABLE runs(id INTEGER PRIMARY KEY, model_id INTEGER NOT NULL REFERENCES models(id), "
                     "dataset_id "
                     "INTEGER REFERENCES datasets(id), options TEXT, history TEXT, recorded TEXT NOT NULL)",
                     "CREATE INDEX models_parent ON models(parent_id)",
                     "INSERT INTO models(name, path, sha256, task, parameters, file_bytes, tags, added) VALUES('old', "
                     "'/x/old.pt', "
                     "'abc', 'classification', 10, 100, 'kept', '2026-01-01T00:00:00.000Z')",
                     "INSERT INTO runs(model_id, options, history, recorded) VALUES(1, '{}', '[]', "
                     "'2026-01-01T00:00:00.000Z')",
                     "PRAGMA user_version = 1" })
                QVERIFY2(q.exec(QLatin1String(sql)), qPrintable(q.lastError().text()));
            db.close();
        }
        QSqlDatabase::removeDatabase(QStringLiteral("v1"));
        auto library = Library::open(dir.path());
        QCOMPARE(library->schemaVersion(), Library::kSchemaVersion);
        const auto models = library->models();
        QCOMPARE(models.size(), 1);
        QCOMPARE(models.front().name, QStringLiteral("old"));
        QCOMPARE(models.front().tags, QStringList { QStringLiteral("kept") });
        QCOMPARE(library->runCount(models.front().id), 1);
        maas::app::BenchmarkResult b;
        b.p50Ms = 2.5;
        b.p90Ms = 3.0;
        library->addBenchmark(models.front().id, b);
        b.batch = 8;
        b.p50Ms = 9.0;
        library->addBenchmark(models.front().id, b);
        b.batch = 1;
        b.kind = QStringLiteral("profile");
        b.p50Ms = 40.0;
        b.machine = QStringLiteral("a CPU");
        b.detailsJson = QStringLiteral("{\"layers\": []}");
        library->addBenchmark(models.front().id, b);
        const auto stored = library->benchmarks(models.front().id);
        QCOMPARE(stored.size(), 3);
        QCOMPARE(library->model(models.front().id)->latencyMs, 2.5); // batch 1 latencies only
        QCOMPARE(stored.back().kind, QStringLiteral("profile"));
        QCOMPARE(stored.back().machine, QStringLiteral("a CPU"));
        QCOMPARE(stored.back().detailsJson, b.detailsJson);
        QVERIFY(std::isnan(stored.front().p95Ms));
        // 4: exported files, one row per path (exporting to the same file again replaces it)
        maas::app::ExportEntry e;
        e.modelId = models.front().id;
        e.format = QStringLiteral("onnx");
        e.path = dir.filePath(QStringLiteral("old.onnx"));
        e.opset = 13;
        e.bytes = 100;
        library->addExport(e);
        e.opset = 17;
        e.bytes = 120;
        library->addExport(e);
        const auto exports = library->exports();
        QCOMPARE(exports.size(), 1);
        QCOMPARE(exports.front().opset, 17);
        QCOMPARE(exports.front().bytes, 120);
        QCOMPARE(exports.front().modelId, models.front().id);
        QVERIFY(exports.front().exported.isValid());
    }

    void damagedDatabaseGetsOneSentence()
    {
        QTemporaryDir dir;
        QFile junk(dir.filePath(QStringLiteral("library.sqlite")));
        QVERIFY(junk.open(QIODevice::WriteOnly));
        junk.write(QByteArray(4096, 'x'));
        junk.close();
        try {
            Library::open(dir.path());
            QFAIL("a damaged database was opened");
        } catch (const maas::engine::Error& e) {
            const QString message = QString::fromUtf8(e.what());
            QVERIFY(message.contains(dir.filePath(QStringLiteral("library.sqlite"))));
            QVERIFY(message.contains(QLatin1String("damaged")));
            QVERIFY(!message.contains(QLatin1Char('\n')));
        }
    }

    void refusesANewerSchema()
    {
        QTemporaryDir dir;
        Library::open(dir.path()).reset();
        {
            auto db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("raw"));
            db.setDatabaseName(dir.filePath(QStringLiteral("library.sqlite")));
            QVERIFY(db.open());
            QSqlQuery(db).exec(QStringLiteral("PRAGMA user_version = 99"));
            db.close();
        }
        QSqlDatabase::removeDatabase(QStringLiteral("raw"));
        try {
            Library::open(dir.path());
            QFAIL("a newer schema was opened");
        } catch (const maas::engine::Error& e) {
            QVERIFY(QString::fromUtf8(e.what()).contains(QLatin1String("newer")));
        }
    }
};

QTEST_GUILESS_MAIN(TestLibrary)
#include "tst_library.moc"
