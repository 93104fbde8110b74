// Turning files and text into model inputs, and the model card's fields.
#include <QtTest>

#include <cmath>

#include "maas/engine/error.h"
#include "maas/engine/inputs.h"
#include "maas/engine/model.h"
#include "engine_test_util.h"

using namespace maas::engine;

using namespace testutil;

namespace {

QString write(const QTemporaryDir& dir, const QString& name, const QByteArray& content)
{
    return writeFile(dir, name, content);
}

} // namespace

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

    void badInputFilesAreNamed()
    {
        QTemporaryDir dir;
        ModelCard card;
        card.inputs = { { "x", DataType::Float32, { -1, 4 } } };
        const auto junkImage = write(dir, "junk.png", "not an image").toStdString();
        QVERIFY(errorOf([&] { loadInputs(card, { junkImage }); }).find("cannot be read as an image") != std::string::npos);
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
        QVERIFY(errorOf([&] { setCardField(card, "inputs.0.datatype", "FLOAT"); }).find("not a datatype") != std::string::npos);
        QVERIFY(errorOf([&] { setCardField(card, "inputs.0.shape", "0,4"); }).find("positive") != std::string::npos);
        QVERIFY(errorOf([&] { setCardField(card, "preprocessing.std", "0"); }).find("divide by zero") != std::string::npos);
        QVERIFY(errorOf([&] { setCardField(card, "nosuch.field", "1"); }).find("no 'nosuch'") != std::string::npos);
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
