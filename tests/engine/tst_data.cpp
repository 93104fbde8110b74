// Turning files and text into model inputs, and the model card's fields.
#include <QtTest>

#include <cmath>

#include "csv.h"
#include "engine_test_util.h"
#include "maas/engine/error.h"
#include "maas/engine/filetypes.h"
#include "maas/engine/inputs.h"
#include "maas/engine/model.h"

using namespace maas::engine;

using namespace testutil;

namespace {

QString write(const QTemporaryDir& dir, const QString& name, const QByteArray& content)
{
    return writeFile(dir, name, content);
}

// A record as "cell|cell|cell", to compare parsed rows in one string.
QString joined(const CsvRow& row)
{
    QStringList cells;
    for (const auto& c : row.cells)
        cells << QString::fromStdString(c);
    return cells.join(QLatin1Char('|'));
}

} // namespace

Q_DECLARE_METATYPE(maas::engine::FileKind)

class TestData : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void csvRowsAreStandardizedByTheCard()
    {
        const auto model = Model::load(fixture("mlp.pt"));
        const auto inputs = loadInputs(model.card(), { fixture("mlp.rows.csv") });
        QCOMPARE(inputs.front().shape, (std::vector<std::int64_t> { 2, 4 }));
        QVERIFY(maxDifference(inputs.front(), readNpy(fixture("mlp.input.npy"))) < 1e-6);
        QVERIFY(maxDifference(model.predict(inputs)[0], readNpy(fixture("mlp.rows.output.npy"))) <= 1e-5);
    }

    void imageIsPreprocessedAsTheCardSays()
    {
        const auto model = Model::load(fixture("cnn.pt"));
        const auto inputs = loadInputs(model.card(), { fixture("cnn.image.png") });
        QCOMPARE(inputs.front().shape, (std::vector<std::int64_t> { 1, 1, 28, 28 }));
        QVERIFY(maxDifference(inputs.front(), readNpy(fixture("cnn.input.npy"))) < 1e-6);
        QVERIFY(maxDifference(model.predict(inputs)[0], readNpy(fixture("cnn.output.npy"))) <= 1e-5);
    }

    void imagesAreResizedAndBatched()
    {
        Preprocessing pre;
        pre.imageWidth = 14;
        pre.imageHeight = 14;
        const auto t = loadImage(fixture("cnn.image.png"), pre, 3);
        QCOMPARE(t.shape, (std::vector<std::int64_t> { 1, 3, 14, 14 }));
        ModelCard card;
        card.inputs = { { "image", DataType::Float32, { -1, 1, 28, 28 } } };
        card.preprocessing.color = "gray";
        const auto batch = loadInputs(card, { fixture("cnn.image.png"), fixture("cnn.image.png") });
        QCOMPARE(batch.front().shape, (std::vector<std::int64_t> { 2, 1, 28, 28 }));
    }

    void npyRoundTrips()
    {
        QTemporaryDir dir;
        const auto t = Tensor::fromFloats({ 2, 3 }, { 1, 2, 3, 4, 5, 6.5f });
        const std::string path = dir.filePath("t.npy").toStdString();
        writeNpy(path, t);
        const auto back = readNpy(path);
        QCOMPARE(back.shape, t.shape);
        QCOMPARE(back.toDoubles(), t.toDoubles());
    }

    void tensorSavedWithTorchSaveLoads()
    {
        // The fixtures' state_dict is a dict, not a tensor: the message says what it holds.
        const std::string message = errorOf([] { loadTensorFile(fixture("bad_state_dict.pt")); });
        QVERIFY2(message.find("not a tensor") != std::string::npos, message.c_str());
    }

    void badCsvIsNamedByLine_data()
    {
        QTest::addColumn<QByteArray>("content");
        QTest::addColumn<QString>("says");
        QTest::newRow("ragged") << QByteArray("a,b\n1,2\n3\n") << "line 3";
        QTest::newRow("not a number") << QByteArray("a,b\n1,2\n3,x\n") << "'x' is not a number";
        QTest::newRow("no rows") << QByteArray("a,b\n") << "no rows";
    }
    void badCsvIsNamedByLine()
    {
        QFETCH(QByteArray, content);
        QFETCH(QString, says);
        QTemporaryDir dir;
        const auto path = write(dir, "rows.csv", content).toStdString();
        const std::string message = errorOf([&] { loadCsvRows(path, {}); });
        QVERIFY2(message.find(path) != std::string::npos, message.c_str());
        QVERIFY2(message.find(says.toStdString()) != std::string::npos, message.c_str());
    }

    // The one CSV parser (RFC 4180) that prediction inputs and data sets share.
    void csvQuotingFollowsRfc4180_data()
    {
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<QStringList>("rows"); // each row's cells joined by '|'
        QTest::addColumn<QList<int>>("lines"); // the line each row starts on
        QTest::newRow("a row with a quoted comma")
            << QByteArray("label,text\nham,\"hello, world\"\n") << QStringList { "label|text", "ham|hello, world" }
            << QList<int> { 1, 2 };
        QTest::newRow("doubled quotes stand for one")
            << QByteArray("ham,\"she said \"\"hi\"\"\"\n") << QStringList { "ham|she said \"hi\"" } << QList<int> { 1 };
        QTest::newRow("a newline inside quotes")
            << QByteArray("a,\"two\nlines\"\nb,c\n") << QStringList { "a|two\nlines", "b|c" } << QList<int> { 1, 3 };
        QTest::newRow("a file saved with CRLF line ends")
            << QByteArray("a,b\r\n1,2\r\n") << QStringList { "a|b", "1|2" } << QList<int> { 1, 2 };
        QTest::newRow("a file saved with a BOM") << QByteArray("\xEF\xBB\xBF"
                                                               "a,b\n1,2\n")
                                                 << QStringList { "a|b", "1|2" } << QList<int> { 1, 2 };
        QTest::newRow("blank lines between rows")
            << QByteArray("a,b\n\n1,2\n  \n3,4") << QStringList { "a|b", "1|2", "3|4" } << QList<int> { 1, 3, 5 };
        QTest::newRow("an empty quoted field and a trailing comma")
            << QByteArray("\"\",x,\n") << QStringList { "|x|" } << QList<int> { 1 };
        QTest::newRow("a stray quote inside a word")
            << QByteArray("5'11\" tall,x\n") << QStringList { "5'11\" tall|x" } << QList<int> { 1 };
    }
    void csvQuotingFollowsRfc4180()
    {
        QFETCH(QByteArray, text);
        QFETCH(QStringList, rows);
        QFETCH(QList<int>, lines);
        const auto parsed = parseCsv(text.toStdString(), "rows.csv");
        QStringList got;
        QList<int> gotLines;
        for (const auto& row : parsed) {
            got << joined(row);
            gotLines << static_cast<int>(row.line);
        }
        QCOMPARE(got, rows);
        QCOMPARE(gotLines, lines);
    }

    void badCsvNamesFileLineAndColumn_data()
    {
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<QString>("says");
        QTest::newRow("a quote never closed")
            << QByteArray("1,2\n3,\"4\n5,6\n") << "rows.csv, line 2, column 3: a quoted field is never closed";
        QTest::newRow("a ragged row") << QByteArray("a,b\n1,2\n3\n") << "rows.csv, line 3: has 1 values";
        QTest::newRow("a ragged row after a quoted newline")
            << QByteArray("\"a\nb\",c\n1,2\n3\n") << "rows.csv, line 4: has 1 values";
        QTest::newRow("a word among numbers")
            << QByteArray("a,b\n1,2\n3,x\n") << "rows.csv, line 3, column 2: 'x' is not a number";
    }
    void badCsvNamesFileLineAndColumn()
    {
        QFETCH(QByteArray, text);
        QFETCH(QString, says);
        const std::string message = errorOf([&] { loadCsvText(text.toStdString(), "rows.csv", {}); });
        QVERIFY2(message.find(says.toStdString()) != std::string::npos, message.c_str());
    }

    void typedRowsAreParsedAsCsvText()
    {
        // Quoted numbers and CRLF are fine; the rows are not a file, so errors name the source given.
        const auto t = loadCsvText("1,\"2\"\r\n3,4", "your input", {}, false);
        QCOMPARE(t.shape, (std::vector<std::int64_t> { 2, 2 }));
        QCOMPARE(t.toDoubles(), (std::vector<double> { 1, 2, 3, 4 }));
        const std::string message = errorOf([] { loadCsvText("x,1\n2,3", "your input", {}, false); });
        QVERIFY2(message.rfind("your input, line 1, column 1: 'x' is not a number", 0) == 0, message.c_str());
    }

    void fileKindsAreDetected_data()
    {
        QTest::addColumn<QString>("path"); // a fixture's name, an absolute path, or "temp:" for one made here
        QTest::addColumn<FileKind>("kind");
        QTest::newRow("a TorchScript model") << "mlp.pt" << FileKind::TorchScript;
        QTest::newRow("a state_dict saved with torch.save") << "bad_state_dict.pt" << FileKind::StateDict;
        QTest::newRow("a whole module pickled with torch.save") << "bad_pickled_module.pt" << FileKind::PickledObject;
        QTest::newRow("a legacy pickle") << "bad_legacy_pickle.pt" << FileKind::LegacyPickle;
        QTest::newRow("an ONNX export") << "bad_model.onnx" << FileKind::Onnx;
        QTest::newRow("an export that wrote 0 bytes") << "bad_empty.pt" << FileKind::Empty;
        QTest::newRow("a copy cut in half") << "bad_truncated.pt" << FileKind::DamagedArchive;
        QTest::newRow("junk bytes named .pt") << "bad_random.pt" << FileKind::Unknown;
        QTest::newRow("a CSV of rows") << "mlp.rows.csv" << FileKind::Csv;
        QTest::newRow("an image") << "cnn.image.png" << FileKind::Image;
        QTest::newRow("the Fashion-MNIST folder") << "/usr/share/datasets/fashion-mnist" << FileKind::IdxFolder;
        QTest::newRow("one IDX file") << "/usr/share/datasets/fashion-mnist/t10k-labels-idx1-ubyte.gz"
                                      << FileKind::IdxFile;
        QTest::newRow("a folder of class folders of images") << "temp:classes" << FileKind::ImageFolder;
        QTest::newRow("a folder with one class only") << "temp:classes/cat" << FileKind::Folder;
        QTest::newRow("a path that does not exist") << "/no/such/model.pt" << FileKind::Missing;
    }
    void fileKindsAreDetected()
    {
        QFETCH(QString, path);
        QFETCH(FileKind, kind);
        QTemporaryDir dir;
        QFile image(QString::fromStdString(fixture("cnn.image.png")));
        QVERIFY(image.open(QIODevice::ReadOnly));
        const QByteArray png = image.readAll();
        QVERIFY(QDir(dir.path()).mkpath(QStringLiteral("classes/cat"))
            && QDir(dir.path()).mkpath(QStringLiteral("classes/dog")));
        write(dir, QStringLiteral("classes/cat/1.png"), png);
        write(dir, QStringLiteral("classes/dog/1.JPG"), png);
        const std::string full = path.startsWith(QLatin1String("temp:")) ? dir.filePath(path.mid(5)).toStdString()
            : path.startsWith(QLatin1Char('/'))                          ? path.toStdString()
                                                                         : fixture(path.toStdString());
        QCOMPARE(detectFileKind(full), kind);
    }

    void oneListOfImageExtensions()
    {
        QVERIFY(isImagePath("a/b/photo.JPEG"));
        QVERIFY(isImagePath("x.png") && isImagePath("x.bmp") && isImagePath("x.gif"));
        QVERIFY(!isImagePath("x.csv") && !isImagePath("png"));
        // Loading a model from data says what the file is.
        const std::string message = errorOf([] { Model::load(fixture("mlp.rows.csv")); });
        QVERIFY2(message.find("is a CSV file (data), not a TorchScript archive") != std::string::npos, message.c_str());
    }

    void settingValuesParseOneWay()
    {
        std::string key, value;
        QVERIFY(splitSetting("hidden=256,128", key, value));
        QCOMPARE(QString::fromStdString(key), QStringLiteral("hidden"));
        QVERIFY(parseSettingValue(value) == nlohmann::json::array({ 256, 128 }));
        QVERIFY(splitSetting("name=a=b", key, value));
        QCOMPARE(QString::fromStdString(value), QStringLiteral("a=b"));
        QVERIFY(!splitSetting("=1", key, value));
        QVERIFY(!splitSetting("dropout", key, value));
        QVERIFY(parseSettingValue("0.2") == nlohmann::json(0.2));
        QVERIFY(parseSettingValue("cat,dog") == nlohmann::json::array({ "cat", "dog" }));
        QVERIFY(parseSettingValue("image-classification") == nlohmann::json("image-classification"));
    }

    void badInputFilesAreNamed()
    {
        QTemporaryDir dir;
        ModelCard card;
        card.inputs = { { "x", DataType::Float32, { -1, 4 } } };
        const auto junkImage = write(dir, "junk.png", "not an image").toStdString();
        QVERIFY(
            errorOf([&] { loadInputs(card, { junkImage }); }).find("cannot be read as an image") != std::string::npos);
        const auto junkNpy = write(dir, "junk.npy", "nope").toStdString();
        QVERIFY(errorOf([&] { loadInputs(card, { junkNpy }); }).find("not a valid .npy") != std::string::npos);
        const auto unknown = write(dir, "x.docx", "?").toStdString();
        QVERIFY(errorOf([&] { loadInputs(card, { unknown }); }).find("unknown input kind") != std::string::npos);
        QVERIFY(errorOf([&] { loadInputs(card, { "/no/such.csv" }); }).find("no such") != std::string::npos);
        QVERIFY(errorOf([&] { loadInputs(card, {}); }).find("no input") != std::string::npos);
    }

    void cardFieldsAreSetFromText()
    {
        ModelCard card;
        card.inputs = { { "x", DataType::Float32, { -1, 4 } } };
        setCardField(card, "labels", "cat,dog");
        QCOMPARE(card.labels, (std::vector<std::string> { "cat", "dog" }));
        setCardField(card, "labels", "only");
        QCOMPARE(card.labels, (std::vector<std::string> { "only" }));
        setCardField(card, "preprocessing.mean", "0.5,0.25");
        QCOMPARE(card.preprocessing.mean, (std::vector<double> { 0.5, 0.25 }));
        setCardField(card, "inputs.0.shape", "-1,3,32,32");
        QCOMPARE(card.inputs[0].shape, (std::vector<std::int64_t> { -1, 3, 32, 32 }));
        setCardField(card, "task", "42");
        QCOMPARE(card.task, std::string("42"));
        setCardField(card, "metrics.accuracy", "0.91");
        QCOMPARE(card.metrics["accuracy"].get<double>(), 0.91);
    }

    void badCardFieldsAreRefused()
    {
        ModelCard card;
        card.inputs = { { "x", DataType::Float32, { -1, 4 } } };
        QVERIFY(errorOf([&] { setCardField(card, "inputs.0.datatype", "FLOAT"); }).find("not a datatype")
            != std::string::npos);
        QVERIFY(errorOf([&] { setCardField(card, "inputs.0.shape", "0,4"); }).find("positive") != std::string::npos);
        QVERIFY(
            errorOf([&] { setCardField(card, "preprocessing.std", "0"); }).find("divide by zero") != std::string::npos);
        QVERIFY(errorOf([&] { setCardField(card, "nosuch.field", "1"); }).find("no such field") != std::string::npos);
        QCOMPARE(card.inputs[0].shape, (std::vector<std::int64_t> { -1, 4 })); // unchanged after a refusal
    }

    void unknownCardKeysSurvive()
    {
        const auto json = nlohmann::json::parse(R"({"name":"m","license":"MIT","inputs":[]})");
        const auto card = ModelCard::fromJson(json, "test");
        QCOMPARE(card.toJson()["license"].get<std::string>(), std::string("MIT"));
    }
};

QTEST_GUILESS_MAIN(TestData)
#include "tst_data.moc"
