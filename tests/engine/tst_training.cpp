// Building, training and evaluating models: real Fashion-MNIST slices, generated CSV, image-folder and
// text data, and Python PyTorch loading what the workbench builds.
#include <QtTest>

#include <QImage>
#include <cmath>
#include <random>

#include "engine_test_util.h"
#include "maas/engine/architectures.h"
#include "maas/engine/dataset.h"
#include "maas/engine/error.h"
#include "maas/engine/inputs.h"
#include "maas/engine/model.h"
#include "maas/engine/runtime.h"
#include "maas/engine/training.h"

using namespace maas::engine;
using nlohmann::json;
using namespace testutil;

namespace {

const std::string kFashion = "/usr/share/datasets/fashion-mnist";

#define QVERIFY_ERROR(call, words)                                                                                     \
    do {                                                                                                               \
        const std::string message_ = errorOf([&] { call; });                                                           \
        QVERIFY2(message_.find(words) != std::string::npos, message_.c_str());                                         \
    } while (0)

QString writeText(const QTemporaryDir& dir, const QString& name, const QString& content)
{
    return writeFile(dir, name, content.toUtf8());
}

// Two gaussian clusters in 3 features; class "b" is shifted by 3 standard deviations.
QString clusterCsv(const QTemporaryDir& dir, int rows)
{
    std::mt19937 rng(7);
    std::normal_distribution<double> noise(0.0, 1.0);
    QString text = QStringLiteral("x,y,z,label\n");
    for (int i = 0; i < rows; ++i) {
        const bool b = i % 2;
        text += QStringLiteral("%1,%2,%3,%4\n")
                    .arg(noise(rng) + (b ? 3 : 0))
                    .arg(noise(rng) * 10 + 100)
                    .arg(noise(rng) - (b ? 3 : 0))
                    .arg(b ? QStringLiteral("b") : QStringLiteral("a"));
    }
    return writeText(dir, QStringLiteral("clusters.csv"), text);
}

// A text CSV whose class is told by its words, with quoting, commas and one empty text.
QString sentimentCsv(const QTemporaryDir& dir)
{
    const QStringList good { QStringLiteral("good"), QStringLiteral("great"), QStringLiteral("lovely"),
        QStringLiteral("fine") };
    const QStringList bad { QStringLiteral("bad"), QStringLiteral("awful"), QStringLiteral("poor"),
        QStringLiteral("dull") };
    const QStringList filler { QStringLiteral("the"), QStringLiteral("movie"), QStringLiteral("was"),
        QStringLiteral("plot") };
    QString text = QStringLiteral("text,label\n\"\",positive\n");
    std::mt19937 rng(3);
    for (int i = 0; i < 400; ++i) {
        const bool positive = i % 2;
        const auto& words = positive ? good : bad;
        text += QStringLiteral("\"%1, %2 \"\"%3\"\" %4!\",%5\n")
                    .arg(filler[rng() % 4], words[rng() % 4], words[rng() % 4], filler[rng() % 4],
                        positive ? QStringLiteral("positive") : QStringLiteral("negative"));
    }
    return writeText(dir, QStringLiteral("sentiment.csv"), text);
}

double outputsDiffer(const Model& a, const Model& b, const Tensor& input)
{
    const auto x = a.predict({ input })[0].toDoubles(), y = b.predict({ input })[0].toDoubles();
    double worst = 0;
    for (std::size_t i = 0; i < x.size(); ++i)
        worst = std::max(worst, std::fabs(x[i] - y[i]));
    return worst;
}

TrainOptions quick(int epochs = 1)
{
    TrainOptions o;
    o.epochs = epochs;
    o.batchSize = 64;
    return o;
}

Dataset fashion(std::int64_t limit, const std::string& split = "train")
{
    DataOptions o;
    o.limit = limit;
    o.split = split;
    return Dataset::open(kFashion, o);
}

} // namespace

class TestTraining : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void everyArchitectureLoadsInPyTorch_data()
    {
        QTest::addColumn<QString>("spec");
        QTest::addColumn<QString>("shape");
        QTest::newRow("mlp")
            << R"({"arch":"mlp","input_shape":[1,28,28],"classes":10,"hidden":[32,16],"batch_norm":true,"dropout":0.1,"activation":"gelu"})"
            << "2,1,28,28";
        QTest::newRow("cnn") << R"({"arch":"cnn","input_shape":[1,28,28],"classes":10,"channels":[4,8],"dense":[16]})"
                             << "2,1,28,28";
        QTest::newRow("rnn image rows")
            << R"({"arch":"rnn","input_shape":[1,28,28],"classes":10,"hidden":16,"layers":2,"bidirectional":true})"
            << "2,1,28,28";
        QTest::newRow("gru sequence")
            << R"({"arch":"rnn","cell":"gru","input_shape":[5,3],"labels":["x","y"],"hidden":8})"
            << "4,5,3";
    }
    void everyArchitectureLoadsInPyTorch()
    {
        QFETCH(QString, spec);
        QFETCH(QString, shape);
        const auto model = buildModel(json::parse(spec.toStdString()));
        const auto& card = model.card();
        QVERIFY(!card.inputs.empty() && !card.outputs.empty());
        QCOMPARE(static_cast<std::int64_t>(card.labels.size()), card.outputs[0].shape[1]);
        std::vector<std::int64_t> dims;
        for (const auto& d : shape.split(','))
            dims.push_back(d.toLongLong());
        Tensor x = Tensor::fromFloats(
            dims, std::vector<float>(static_cast<std::size_t>(Tensor::fromFloats(dims, {}).numel()), 0.5f));
        std::vector<float> values(static_cast<std::size_t>(x.numel()));
        for (std::size_t i = 0; i < values.size(); ++i)
            values[i] = static_cast<float>(std::sin(0.1 * static_cast<double>(i)));
        x = Tensor::fromFloats(dims, values);
        const auto y = model.predict({ x })[0];
        QCOMPARE(y.shape, (std::vector<std::int64_t> { dims[0], card.outputs[0].shape[1] }));

        QTemporaryDir dir;
        const auto path = dir.filePath(QStringLiteral("m.pt")).toStdString();
        model.save(path);
        writeNpy(dir.filePath(QStringLiteral("x.npy")).toStdString(), x);
        writeNpy(dir.filePath(QStringLiteral("y.npy")).toStdString(), y);
        QProcess python;
        python.start(QStringLiteral(MAAS_PYTHON),
            { QStringLiteral(MAAS_SOURCE_DIR "/tests/fixtures/check_in_pytorch.py"), QString::fromStdString(path),
                dir.filePath(QStringLiteral("x.npy")), dir.filePath(QStringLiteral("y.npy")) });
        QVERIFY(python.waitForFinished(120000));
        QVERIFY2(python.exitCode() == 0, python.readAllStandardError().constData());
        const auto pyCard = json::parse(python.readAllStandardOutput().toStdString());
        QCOMPARE(pyCard["labels"], json(card.labels));
        QCOMPARE(Model::load(path).inspect().totalParameters, model.inspect().totalParameters);
    }

    void badSpecsNameTheField()
    {
        QVERIFY_ERROR(buildModel(json::parse(R"({"arch":"transformer","classes":2})")), "'arch'");
        QVERIFY_ERROR(buildModel(json::parse(R"({"arch":"mlp","input_shape":[4],"classes":2,"layers":3})")),
            "'layers' is not a field");
        QVERIFY_ERROR(
            buildModel(json::parse(R"({"arch":"cnn","input_shape":[1,28,28],"classes":2,"channels":[8,8,8,8,8,8]})")),
            "shrink");
        QVERIFY_ERROR(buildModel(json::parse(R"({"arch":"mlp","input_shape":[4],"classes":1})")), "at least 2");
        QVERIFY_ERROR(buildModel(json::parse(R"({"arch":"mlp","classes":3})")), "input_shape");
        QVERIFY_ERROR(
            buildModel(json::parse(R"({"arch":"mlp","input_shape":[4],"classes":3,"hidden":[0]})")), "'hidden'");
        QVERIFY_ERROR(buildModel(json::parse(R"({"arch":"cnn","input_shape":[28,28],"classes":3})")), "3 axes");
        QVERIFY_ERROR(
            buildModel(json::parse(R"({"arch":"mlp","input_shape":[4],"classes":3,"dropout":2})")), "'dropout'");
    }

    void fashionMnistIsReadAsIdx()
    {
        const auto data = fashion(500);
        QCOMPARE(data.size(), std::int64_t { 500 });
        QCOMPARE(data.kind(), DataKind::Images);
        QCOMPARE(data.sampleShape(), (std::vector<std::int64_t> { 1, 28, 28 }));
        QCOMPARE(data.classes().size(), std::size_t { 10 });
        QCOMPARE(data.classes()[9], std::string("Ankle boot"));
        QVERIFY(std::fabs(data.preprocessing().scale - 1.0 / 255.0) < 1e-12);
        QVERIFY(data.preprocessing().mean[0] > 0.2 && data.preprocessing().mean[0] < 0.4);
        QCOMPARE(fashion(100, "test").size(), std::int64_t { 100 });
    }

    void badIdxFilesAreNamed()
    {
        QTemporaryDir dir;
        QFile images(dir.filePath(QStringLiteral("train-images-idx3-ubyte")));
        images.open(QIODevice::WriteOnly);
        images.write(
            QByteArray("\x00\x00\x08\x03\x00\x00\x00\x0a\x00\x00\x00\x1c\x00\x00\x00\x1c", 16) + QByteArray(100, 'x'));
        images.close();
        QFile labels(dir.filePath(QStringLiteral("train-labels-idx1-ubyte")));
        labels.open(QIODevice::WriteOnly);
        labels.write(QByteArray("\x00\x00\x08\x01\x00\x00\x00\x0a", 8) + QByteArray(10, '\x01'));
        labels.close();
        QVERIFY_ERROR(Dataset::open(dir.path().toStdString()), "truncated");
        labels.open(QIODevice::WriteOnly);
        labels.write(QByteArray("\x12\x34\x56\x78garbage", 11));
        labels.close();
        images.open(QIODevice::WriteOnly);
        images.write(
            QByteArray("\x00\x00\x08\x03\x00\x00\x00\x01\x00\x00\x00\x02\x00\x00\x00\x02", 16) + QByteArray(4, 'x'));
        images.close();
        QVERIFY_ERROR(Dataset::open(dir.path().toStdString()), "wrong magic");
        QVERIFY_ERROR(Dataset::open(dir.filePath(QStringLiteral("nothing")).toStdString()), "no such");
    }

    void csvTablesTrainAndSayWhatIsWrong()
    {
        QTemporaryDir dir;
        auto data = Dataset::open(clusterCsv(dir, 400).toStdString());
        QCOMPARE(data.kind(), DataKind::Table);
        QCOMPARE(data.sampleShape(), (std::vector<std::int64_t> { 3 }));
        QCOMPARE(data.classes(), (std::vector<std::string> { "a", "b" }));
        QVERIFY(std::fabs(data.preprocessing().mean[1] - 100) < 2); // raw statistics for the card
        auto model = buildModel(completeSpec(json { { "arch", "mlp" }, { "hidden", { 16 } } }, data));
        TrainOptions options = quick(10);
        options.learningRate = 0.01;
        const auto result = train(model, data, options);
        QVERIFY2(result.history.back().validationAccuracy > 0.9,
            std::to_string(result.history.back().validationAccuracy).c_str());
        QCOMPARE(model.card().preprocessing.mean.size(), std::size_t { 3 });
        // predict on raw CSV rows standardizes them with the card, as training did.
        const auto rows = loadInputs(model.card(),
            { writeText(dir, QStringLiteral("rows.csv"), QStringLiteral("x,y,z\n3,100,-3\n0,100,0\n")).toStdString() });
        const auto scores = model.predict(rows)[0].toDoubles();
        QVERIFY(scores[1] > scores[0]); // (3, 100, -3) is class b
        QVERIFY(scores[2] > scores[3]); // (0, 100, 0) is class a

        const auto ragged
            = writeText(dir, QStringLiteral("ragged.csv"), QStringLiteral("x,label\n1,a\n2\n3,b\n")).toStdString();
        QVERIFY_ERROR(Dataset::open(ragged), "line 3");
        const auto word
            = writeText(dir, QStringLiteral("word.csv"), QStringLiteral("x,label\n1,a\nten,b\n")).toStdString();
        QVERIFY_ERROR(Dataset::open(word), "column 'x': 'ten' is not a number");
        DataOptions unknown;
        unknown.labelColumn = "species";
        QVERIFY_ERROR(Dataset::open(clusterCsv(dir, 10).toStdString(), unknown), "no column 'species'");
        const auto oneClass
            = writeText(dir, QStringLiteral("one.csv"), QStringLiteral("x,label\n1,a\n2,a\n")).toStdString();
        QVERIFY_ERROR(Dataset::open(oneClass), "at least two");
        const auto textsOnly
            = writeText(dir, QStringLiteral("texts.csv"), QStringLiteral("text\na fine day\nrain again\n"))
                  .toStdString();
        QVERIFY_ERROR(Dataset::open(textsOnly), "no column of labels");
    }

    void imageFoldersSkipAndCountBadImages()
    {
        QTemporaryDir dir;
        for (const QString& cls : { QStringLiteral("dark"), QStringLiteral("light") }) {
            QDir(dir.path()).mkpath(cls);
            for (int i = 0; i < 30; ++i) {
                QImage image(10, 10, QImage::Format_Grayscale8);
                image.fill(cls == QLatin1String("dark") ? 20 + i : 200 + i);
                QVERIFY(image.save(dir.filePath(cls + QStringLiteral("/%1.png").arg(i))));
            }
        }
        writeText(dir, QStringLiteral("light/broken.png"), QStringLiteral("not a png"));
        DataOptions o;
        o.imageWidth = 8;
        o.imageHeight = 8;
        auto data = Dataset::open(dir.path().toStdString(), o);
        QCOMPARE(data.size(), std::int64_t { 60 });
        QCOMPARE(data.skipped(), std::int64_t { 1 });
        QVERIFY(data.firstSkipReason().find("broken.png") != std::string::npos);
        QCOMPARE(data.sampleShape(), (std::vector<std::int64_t> { 1, 8, 8 }));
        auto model = buildModel(
            completeSpec(json { { "arch", "cnn" }, { "channels", { 4 } }, { "dense", json::array() } }, data));
        TrainOptions options = quick(8);
        options.batchSize = 8;
        options.learningRate = 0.01;
        train(model, data, options);
        const auto e = evaluate(model, data);
        QVERIFY2(e.accuracy > 0.9, std::to_string(e.accuracy).c_str());
        QVERIFY(!data.streaming());

        // Past the memory budget the same folder is decoded per batch, with the same samples and results.
        o.memoryBudget = 1;
        auto streamed = Dataset::open(dir.path().toStdString(), o);
        QVERIFY(streamed.streaming());
        QCOMPARE(streamed.size(), std::int64_t { 60 });
        QCOMPARE(streamed.skipped(), std::int64_t { 1 });
        QCOMPARE(streamed.labels(), data.labels());
        QVERIFY(streamed.describe().find("read from disk") != std::string::npos);
        const auto again = evaluate(model, streamed);
        QCOMPARE(again.predictions, e.predictions);
        // Samples to look at (the workbench's sample browser) are the same pixels either way.
        for (const std::int64_t i : { 0, 29, 59 }) {
            const auto held = data.sample(i), read = streamed.sample(i);
            QCOMPARE(held.dtype, DataType::UInt8);
            QCOMPARE(held.shape, (std::vector<std::int64_t> { 1, 8, 8 }));
            QCOMPARE(read.shape, held.shape);
            QVERIFY(read.data == held.data);
        }
        QVERIFY_ERROR(data.sample(60), "outside");
        auto fromDisk = buildModel(
            completeSpec(json { { "arch", "cnn" }, { "channels", { 4 } }, { "dense", json::array() } }, streamed));
        train(fromDisk, streamed, options);
        QVERIFY(evaluate(fromDisk, streamed).accuracy > 0.9);

        QTemporaryDir single;
        QDir(single.path()).mkpath(QStringLiteral("only"));
        QImage(4, 4, QImage::Format_RGB32).save(single.filePath(QStringLiteral("only/a.png")));
        QVERIFY_ERROR(Dataset::open(single.path().toStdString()), "at least two");
    }

    void textModelsLearnFromWords_data()
    {
        QTest::addColumn<QString>("encoder");
        QTest::newRow("embedding bag") << "bag";
        QTest::newRow("lstm") << "lstm";
    }
    void textModelsLearnFromWords()
    {
        QFETCH(QString, encoder);
        QTemporaryDir dir;
        auto data = Dataset::open(sentimentCsv(dir).toStdString());
        QCOMPARE(data.kind(), DataKind::Text);
        QCOMPARE(data.size(), std::int64_t { 400 });
        QCOMPARE(data.skipped(), std::int64_t { 1 }); // the empty text
        auto model = buildModel(completeSpec(json { { "arch", "text" }, { "embedding", 16 }, { "vocab_size", 64 },
                                                 { "encoder", encoder.toStdString() } },
            data));
        TrainOptions options = quick(10);
        options.batchSize = 32;
        options.learningRate = 0.05;
        const auto result = train(model, data, options);
        QVERIFY2(result.history.back().validationAccuracy > 0.9,
            std::to_string(result.history.back().validationAccuracy).c_str());
        const auto scores
            = model.predict({ Tensor::fromStrings({ "a great, lovely film", "dull and awful" }) })[0].toDoubles();
        QVERIFY(scores[1] > scores[0]); // labels sorted: negative, positive
        QVERIFY(scores[2] > scores[3]);

        // The saved model tokenizes by itself in Python PyTorch.
        const auto path = dir.filePath(QStringLiteral("text.pt")).toStdString();
        model.save(path);
        writeText(dir, QStringLiteral("texts.json"), QStringLiteral("[\"a great, lovely film\", \"dull and awful\"]"));
        writeNpy(dir.filePath(QStringLiteral("scores.npy")).toStdString(),
            model.predict({ Tensor::fromStrings({ "a great, lovely film", "dull and awful" }) })[0]);
        QProcess python;
        python.start(QStringLiteral(MAAS_PYTHON),
            { QStringLiteral(MAAS_SOURCE_DIR "/tests/fixtures/check_in_pytorch.py"), QString::fromStdString(path),
                dir.filePath(QStringLiteral("texts.json")), dir.filePath(QStringLiteral("scores.npy")) });
        QVERIFY(python.waitForFinished(120000));
        QVERIFY2(python.exitCode() == 0, python.readAllStandardError().constData());
    }

    void sameSeedSameRun()
    {
        auto data = fashion(600);
        const auto spec = completeSpec(json { { "arch", "mlp" }, { "hidden", { 32 } }, { "dropout", 0.2 } }, data);
        auto a = buildModel(spec), b = buildModel(spec);
        train(a, data, quick(2));
        train(b, data, quick(2));
        const Tensor x = Tensor::fromFloats({ 1, 1, 28, 28 }, std::vector<float>(784, 0.3f));
        QCOMPARE(outputsDiffer(a, b, x), 0.0);
        auto c = buildModel(spec);
        TrainOptions other = quick(2);
        other.seed = 7;
        train(c, data, other);
        QVERIFY(outputsDiffer(a, c, x) > 0.0);
    }

    void resumeContinuesExactly()
    {
        QTemporaryDir dir;
        auto data = fashion(600);
        const auto spec = completeSpec(json { { "arch", "cnn" }, { "channels", { 4 } }, { "dense", { 16 } } }, data);
        TrainOptions options = quick(3);
        options.schedule = Schedule::Cosine;
        auto straight = buildModel(spec);
        train(straight, data, options);

        auto interrupted = buildModel(spec);
        options.checkpoint = dir.filePath(QStringLiteral("ckpt.pt")).toStdString();
        CancelToken cancel;
        const auto first = train(
            interrupted, data, options,
            [&](const Progress& p) {
                if (p.epochEnd && p.metrics.at("epoch") == 1)
                    cancel.cancel();
            },
            &cancel);
        QVERIFY(first.cancelled);
        QCOMPARE(first.history.size(), std::size_t { 1 });

        auto resumed = buildModel(spec);
        options.resume = true;
        const auto second = train(resumed, data, options);
        QCOMPARE(second.resumedFrom, 1);
        QCOMPARE(second.history.size(), std::size_t { 3 });
        const Tensor x = Tensor::fromFloats({ 1, 1, 28, 28 }, std::vector<float>(784, 0.3f));
        QCOMPARE(outputsDiffer(straight, resumed, x), 0.0);

        auto stranger = buildModel(completeSpec(json { { "arch", "mlp" } }, data));
        QVERIFY_ERROR(train(stranger, data, options), "another model");
        auto other = buildModel(spec);
        auto fewer = fashion(300);
        QVERIFY_ERROR(train(other, fewer, options), "other data");
    }

    // Ctrl-C while the validation split is scored used to record the epoch with numbers divided by
    // every sample, scored or not, and checkpoint them.
    void cancelDuringValidationKeepsTheCheckpointTrue()
    {
        QTemporaryDir dir;
        auto data = fashion(600);
        const auto spec = completeSpec(json { { "arch", "mlp" }, { "hidden", { 16 } } }, data);
        TrainOptions options = quick(2);
        options.validationFraction = 0.2;
        auto straightModel = buildModel(spec);
        const auto straight = train(straightModel, data, options);

        options.checkpoint = dir.filePath(QStringLiteral("ckpt.pt")).toStdString();
        auto interrupted = buildModel(spec);
        CancelToken cancel;
        // The last batch of an epoch always reports; the next thing the engine does is validate.
        const auto first = train(
            interrupted, data, options,
            [&](const Progress& p) {
                if (!p.epochEnd && p.metrics.at("epoch") == 2 && p.metrics.at("batch") == p.metrics.at("batches"))
                    cancel.cancel();
            },
            &cancel);
        QVERIFY(first.cancelled);
        QCOMPARE(first.history.size(), std::size_t { 1 });
        QCOMPARE(first.history[0].validationAccuracy, straight.history[0].validationAccuracy);

        auto resumed = buildModel(spec);
        options.resume = true;
        const auto second = train(resumed, data, options);
        QCOMPARE(second.resumedFrom, 1);
        QCOMPARE(second.history.size(), std::size_t { 2 });
        for (std::size_t i = 0; i < 2; ++i) {
            QCOMPARE(second.history[i].validationAccuracy, straight.history[i].validationAccuracy);
            QCOMPARE(second.history[i].validationLoss, straight.history[i].validationLoss);
        }
    }

    // Resuming with early stopping keeps the best epoch's weights even when the checkpoint's own weights
    // were the best (the checkpoint then has no separate copy of them).
    void resumeWithPatienceKeepsTheBestWeights()
    {
        QTemporaryDir dir;
        auto data = fashion(600);
        const auto spec = completeSpec(json { { "arch", "mlp" }, { "hidden", { 16 } } }, data);
        TrainOptions options = quick(1);
        options.schedule = Schedule::Step; // epoch 1 at 1e-3, then 1e3 and 1e6: later epochs only get worse
        options.stepEpochs = 1;
        options.gamma = 1000;
        auto oneEpoch = buildModel(spec);
        train(oneEpoch, data, options);

        options.epochs = 6;
        options.patience = 2;
        options.checkpoint = dir.filePath(QStringLiteral("ckpt.pt")).toStdString();
        auto interrupted = buildModel(spec);
        CancelToken cancel;
        train(
            interrupted, data, options,
            [&](const Progress& p) {
                if (p.epochEnd)
                    cancel.cancel();
            },
            &cancel);
        auto resumed = buildModel(spec);
        options.resume = true;
        const auto r = train(resumed, data, options);
        QVERIFY(r.stoppedEarly);
        QCOMPARE(r.bestEpoch, 1);
        const Tensor x = Tensor::fromFloats({ 1, 1, 28, 28 }, std::vector<float>(784, 0.3f));
        QCOMPARE(outputsDiffer(oneEpoch, resumed, x), 0.0);
    }

    void cancelStopsMidEpoch()
    {
        auto data = fashion(2000);
        auto model = buildModel(completeSpec(json { { "arch", "mlp" } }, data));
        // The first report of a run always comes after its first batch, however fast the machine (later
        // ones are throttled by time); cancelling there must stop the run before its first epoch ends.
        CancelToken cancel;
        int reports = 0;
        double cancelledAtBatch = 0, batches = 0;
        const auto result = train(
            model, data, quick(3),
            [&](const Progress& p) {
                ++reports;
                QVERIFY(p.fraction >= 0 && p.fraction <= 1);
                if (!p.epochEnd && !cancel.cancelled()) {
                    cancelledAtBatch = p.metrics.at("batch");
                    batches = p.metrics.at("batches");
                    cancel.cancel();
                }
            },
            &cancel);
        QCOMPARE(cancelledAtBatch, 1.0);
        QVERIFY(batches > 1);
        QVERIFY(result.cancelled);
        QVERIFY(result.history.empty());
        QCOMPARE(reports, 1);
    }

    void optimizersAndSchedules_data()
    {
        QTest::addColumn<QString>("optimizer");
        QTest::addColumn<QString>("schedule");
        QTest::newRow("sgd nesterov step") << "sgd"
                                           << "step";
        QTest::newRow("adamw cosine") << "adamw"
                                      << "cosine";
        QTest::newRow("adam onecycle") << "adam"
                                       << "onecycle";
    }
    void optimizersAndSchedules()
    {
        QFETCH(QString, optimizer);
        QFETCH(QString, schedule);
        auto data = fashion(400);
        auto model = buildModel(completeSpec(json { { "arch", "mlp" }, { "hidden", { 16 } } }, data));
        TrainOptions o = quick(3);
        o.optimizer = optimizerFromString(optimizer.toStdString()).value();
        o.nesterov = optimizer == QLatin1String("sgd");
        o.schedule = scheduleFromString(schedule.toStdString()).value();
        o.stepEpochs = 1;
        o.weightDecay = 1e-4;
        o.learningRate = 0.01;
        const auto r = train(model, data, o);
        QCOMPARE(r.history.size(), std::size_t { 3 });
        QVERIFY(r.history.back().trainLoss < r.history.front().trainLoss * 1.5);
        if (schedule == QLatin1String("step"))
            QVERIFY(std::fabs(r.history[2].learningRate - 0.0001) < 1e-12);
        else
            QVERIFY(r.history.back().learningRate < 0.001); // annealed towards zero
    }

    // Defaults that work on the first try: a text classifier starts at 1e-2 (its embedding learns slowly
    // at Adam's 1e-3), other models at 1e-3; a given rate always wins; the run says when it was still
    // improving at its end.
    void learningRateDefaultsPerArchitecture()
    {
        QTemporaryDir dir;
        auto texts = Dataset::open(sentimentCsv(dir).toStdString());
        auto textModel
            = buildModel(completeSpec(json { { "arch", "text" }, { "embedding", 16 }, { "vocab_size", 64 } }, texts));
        QCOMPARE(defaultLearningRate(textModel), 1e-2);
        const auto textRun = train(textModel, texts, quick(2));
        QCOMPARE(textRun.learningRate, 1e-2);
        QCOMPARE(toJson(textRun)["learning_rate"].get<double>(), 1e-2);
        QCOMPARE(textModel.card().lineage.parameters["learning_rate"].get<double>(), 1e-2);

        auto images = fashion(600);
        auto mlp = buildModel(completeSpec(json { { "arch", "mlp" }, { "hidden", { 16 } } }, images));
        QCOMPARE(defaultLearningRate(mlp), 1e-3);
        TrainOptions given = quick(3);
        given.learningRate = 0.02;
        QCOMPARE(train(mlp, images, given).learningRate, 0.02);

        auto more = fashion(3000);
        auto improving = buildModel(completeSpec(json { { "arch", "mlp" }, { "hidden", { 16 } } }, more));
        const auto short_ = train(improving, more, quick(2)); // two short epochs: far from done, by a wide margin
        QVERIFY(short_.stillImproving);
        auto stuck = buildModel(completeSpec(json { { "arch", "mlp" }, { "hidden", { 16 } } }, images));
        TrainOptions tiny = quick(3);
        tiny.learningRate = 1e-9; // nothing moves
        QVERIFY(!train(stuck, images, tiny).stillImproving);
    }

    // Evaluating a model with a card of its own normalization leaves the data set as it was: its statistics
    // are what a model trained on it next gets in its card.
    void evaluationLeavesTheDataAlone()
    {
        auto data = fashion(300);
        const auto before = data.preprocessing();
        const auto cnn = Model::load(fixture("cnn.pt")); // mean 0.2860, std 0.3530 in its card
        QVERIFY(cnn.card().preprocessing.mean != before.mean);
        const auto cardBefore = cnn.card().toJson();
        const auto e = evaluate(cnn, data);
        QCOMPARE(e.samples, std::int64_t { 300 });
        QCOMPARE(data.preprocessing().scale, before.scale);
        QCOMPARE(data.preprocessing().mean, before.mean);
        QCOMPARE(data.preprocessing().std, before.std);
        QCOMPARE(cnn.card().toJson(), cardBefore);
        // ... and still used the model's normalization: the same as on a data set opened afresh.
        QCOMPARE(evaluate(cnn, fashion(300)).predictions, e.predictions);
        QCOMPARE(evaluate(cnn, data).loss, e.loss);
    }

    // While one engine call runs (here an evaluation of a convolution model), a prediction of a
    // matrix-product model on the same process does not re-split the pools under it; alone, it does.
    void overlappingCallsKeepTheSplitInForce()
    {
        configureThreads(2);
        auto data = fashion(1100); // three batches of evaluation, so progress is reported while it runs
        const auto cnn = Model::load(fixture("cnn.pt"));
        const auto mlp = Model::load(fixture("mlp.pt"));
        const auto input = readNpy(fixture("mlp.input.npy"));
        const auto alone = mlp.predict({ input })[0];
        QCOMPARE(currentThreads().blas, 2);
        std::vector<ThreadSettings> during;
        double worst = 0;
        evaluate(cnn, data, 5, [&](const Progress&) {
            worst = std::max(worst, maxDifference(mlp.predict({ input })[0], alone));
            during.push_back(currentThreads());
        });
        QVERIFY(!during.empty());
        for (const auto& t : during) {
            QCOMPARE(t.intraOp, 2); // the convolution model's split, chosen when it started
            QCOMPARE(t.blas, 1);
        }
        QCOMPARE(worst, 0.0);
        mlp.predict({ input });
        QCOMPARE(currentThreads().blas, 2);
        configureThreads(0);
    }

    // Training hands back a new model: copies of the model given keep their weights and card.
    void trainingLeavesOtherCopiesAlone()
    {
        auto data = fashion(300);
        auto model = buildModel(completeSpec(json { { "arch", "mlp" }, { "hidden", { 8 } } }, data));
        const auto copy = model;
        const auto x = Tensor::fromFloats({ 1, 1, 28, 28 }, std::vector<float>(784, 0.5f));
        const auto before = copy.predict({ x })[0];
        const auto cardBefore = copy.card().toJson();
        train(model, data, quick(1));
        QCOMPARE(maxDifference(copy.predict({ x })[0], before), 0.0);
        QCOMPARE(copy.card().toJson(), cardBefore);
        QVERIFY(outputsDiffer(model, copy, x) > 0); // the trained one did change
        QCOMPARE(model.card().lineage.operation, std::string("train"));
    }

    void earlyStoppingKeepsTheBestEpoch()
    {
        auto data = fashion(400);
        auto model = buildModel(completeSpec(json { { "arch", "mlp" }, { "hidden", { 8 } } }, data));
        TrainOptions o = quick(10);
        o.learningRate = 1e-9; // nothing improves after the first epoch
        o.patience = 2;
        const auto r = train(model, data, o);
        QVERIFY(r.stoppedEarly);
        QCOMPARE(r.history.size(), std::size_t { 3 });
        QCOMPARE(r.bestEpoch, 1);
    }

    void frozenLayersStayPut()
    {
        auto data = fashion(400);
        auto model = buildModel(completeSpec(json { { "arch", "mlp" }, { "hidden", { 16 } } }, data));
        const auto norms = [&] {
            std::map<std::string, double> out;
            for (const auto& layer : model.inspect().layers)
                for (const auto& p : layer.parameters)
                    out[p.name] = p.norm;
            return out;
        };
        const auto before = norms();
        TrainOptions o = quick(1);
        o.freeze = { "fc0" };
        const auto r = train(model, data, o);
        QCOMPARE(r.frozenParameters, std::int64_t { 784 * 16 + 16 });
        const auto after = norms();
        QCOMPARE(after.at("fc0.weight"), before.at("fc0.weight"));
        QCOMPARE(after.at("fc0.bias"), before.at("fc0.bias"));
        QVERIFY(after.at("head.weight") != before.at("head.weight"));
        QVERIFY_ERROR(train(model, data,
                          [] {
                              TrainOptions t = quick(1);
                              t.freeze = { "nosuchlayer" };
                              return t;
                          }()),
            "matches no parameter");
        QVERIFY_ERROR(train(model, data,
                          [] {
                              TrainOptions t = quick(1);
                              t.freeze = { "" };
                              return t;
                          }()),
            "no parameter to train");
    }

    void dataThatDoesNotFitIsRefused()
    {
        QTemporaryDir dir;
        auto data = fashion(100);
        auto wrongClasses = buildModel(json::parse(R"({"arch":"mlp","input_shape":[1,28,28],"classes":3})"));
        QVERIFY_ERROR(train(wrongClasses, data, quick()), "3 outputs");
        auto wrongShape = buildModel(json::parse(R"({"arch":"mlp","input_shape":[1,32,32],"classes":10})"));
        QVERIFY_ERROR(train(wrongShape, data, quick()), "[1, 28, 28]");
        auto text = Dataset::open(sentimentCsv(dir).toStdString());
        auto mlp = buildModel(json::parse(R"({"arch":"mlp","input_shape":[1,28,28],"classes":2})"));
        QVERIFY_ERROR(train(mlp, text, quick()), "holds texts");
    }

    // Options and the names front ends use for them: strings only at the edges, and back again.
    void optionNamesRoundTrip()
    {
        for (const auto o : { Optimizer::Sgd, Optimizer::Adam, Optimizer::AdamW })
            QVERIFY(optimizerFromString(toString(o)) == o);
        for (const auto sc : { Schedule::None, Schedule::Step, Schedule::Cosine, Schedule::OneCycle })
            QVERIFY(scheduleFromString(toString(sc)) == sc);
        QVERIFY(!optimizerFromString("lbfgs"));
        QVERIFY(!scheduleFromString("Cosine"));
    }

    // Every option error names its field by a stable id and words it for any front end: no CLI flag, no
    // maas command (the CLI adds "--epochs", the Train page "Epochs").
    void optionErrorsNameTheirField_data()
    {
        QTest::addColumn<QString>("option");
        QTest::addColumn<QString>("field");
        QTest::newRow("no epochs") << "epochs=0"
                                   << "epochs";
        QTest::newRow("empty batches") << "batch=0"
                                       << "batch_size";
        QTest::newRow("epochs past the limit") << "epochs=100001"
                                               << "epochs";
        QTest::newRow("negative patience") << "patience=-1"
                                           << "patience";
        QTest::newRow("negative learning rate") << "lr=-1"
                                                << "learning_rate";
        QTest::newRow("huge learning rate") << "lr=100"
                                            << "learning_rate";
        QTest::newRow("validation of everything") << "validation=1"
                                                  << "validation_fraction";
        QTest::newRow("negative weight decay") << "decay=-1"
                                               << "weight_decay";
        QTest::newRow("momentum of 1") << "momentum=1"
                                       << "momentum";
        QTest::newRow("momentum typed as nan") << "momentum=nan"
                                               << "momentum";
        QTest::newRow("weight decay typed as nan") << "decay=nan"
                                                   << "weight_decay";
        QTest::newRow("infinite weight decay") << "decay=inf"
                                               << "weight_decay";
        QTest::newRow("infinite gamma") << "gamma=inf"
                                        << "gamma";
        QTest::newRow("validation typed as nan") << "validation=nan"
                                                 << "validation_fraction";
        QTest::newRow("step every 0 epochs") << "step=0"
                                             << "step_epochs";
        QTest::newRow("gamma of 0") << "gamma=0"
                                    << "gamma";
        QTest::newRow("resume without checkpoint") << "resume"
                                                   << "checkpoint";
        QTest::newRow("resume from a model") << "resume-model"
                                             << "checkpoint";
        QTest::newRow("freeze a typo") << "freeze=nosuchlayer"
                                       << "freeze";
        QTest::newRow("freeze everything") << "freeze="
                                           << "freeze";
        QTest::newRow("model with other classes") << "classes"
                                                  << "model_classes";
        QTest::newRow("model for other shapes") << "shape"
                                                << "model_input_shape";
        QTest::newRow("model spec without classes") << "spec-classes"
                                                    << "classes";
        QTest::newRow("model spec without shape") << "spec-shape"
                                                  << "input_shape";
    }
    void optionErrorsNameTheirField()
    {
        QFETCH(QString, option);
        QFETCH(QString, field);
        auto data = fashion(100);
        auto model = buildModel(completeSpec(json { { "arch", "mlp" }, { "hidden", { 8 } } }, data));
        TrainOptions o = quick();
        const auto set = option.section(QLatin1Char('='), 0, 0);
        const double v = option.section(QLatin1Char('='), 1).toDouble();
        const auto freeze = option.section(QLatin1Char('='), 1).toStdString();
        QTemporaryDir dir;
        const std::string saved = dir.filePath(QStringLiteral("m.pt")).toStdString();
        try {
            if (set == QLatin1String("epochs"))
                o.epochs = static_cast<int>(v);
            else if (set == QLatin1String("batch"))
                o.batchSize = static_cast<std::int64_t>(v);
            else if (set == QLatin1String("lr"))
                o.learningRate = v;
            else if (set == QLatin1String("validation"))
                o.validationFraction = v;
            else if (set == QLatin1String("decay"))
                o.weightDecay = v;
            else if (set == QLatin1String("momentum"))
                o.momentum = v;
            else if (set == QLatin1String("step"))
                o.stepEpochs = static_cast<int>(v);
            else if (set == QLatin1String("gamma"))
                o.gamma = v;
            else if (set == QLatin1String("patience"))
                o.patience = static_cast<int>(v);
            else if (set == QLatin1String("resume"))
                o.resume = true;
            else if (set == QLatin1String("freeze"))
                o.freeze = { freeze };
            if (set == QLatin1String("resume-model")) {
                model.save(saved);
                o.resume = true;
                o.checkpoint = saved;
            } else if (set == QLatin1String("classes")) {
                model = buildModel(json::parse(R"({"arch":"mlp","input_shape":[1,28,28],"classes":3})"));
            } else if (set == QLatin1String("shape")) {
                model = buildModel(json::parse(R"({"arch":"mlp","input_shape":[1,32,32],"classes":10})"));
            } else if (set == QLatin1String("spec-classes")) {
                buildModel(json::parse(R"({"arch":"mlp","input_shape":[4]})"));
            } else if (set == QLatin1String("spec-shape")) {
                buildModel(json::parse(R"({"arch":"mlp","classes":2})"));
            }
            train(model, data, o);
            QFAIL("no maas::engine::Error was thrown");
        } catch (const Error& e) {
            const std::string message = e.what();
            QCOMPARE(QString::fromStdString(e.field()), field);
            QVERIFY(e.kind() == ErrorKind::InvalidInput);
            QVERIFY2(message.find("--") == std::string::npos, e.what());
            QVERIFY2(message.find("maas ") == std::string::npos, e.what());
            QVERIFY2(e.detail().find("--") == std::string::npos, e.detail().c_str());
            QVERIFY2(!e.detail().empty() && message.find(e.detail()) != std::string::npos, e.what());
        }
    }

    void evaluationAddsUp()
    {
        auto data = fashion(1000);
        auto model = buildModel(completeSpec(json { { "arch", "mlp" }, { "hidden", { 32 } } }, data));
        train(model, data, quick(2));
        auto test = fashion(500, "test");
        const auto e = evaluate(model, test, 3);
        QCOMPARE(e.samples, std::int64_t { 500 });
        std::int64_t total = 0, diagonal = 0;
        for (std::size_t r = 0; r < e.confusion.size(); ++r)
            for (std::size_t c = 0; c < e.confusion.size(); ++c) {
                total += e.confusion[r][c];
                diagonal += r == c ? e.confusion[r][c] : 0;
            }
        QCOMPARE(total, std::int64_t { 500 });
        QVERIFY(std::fabs(e.accuracy - static_cast<double>(diagonal) / 500.0) < 1e-12);
        QVERIFY(e.topK >= e.accuracy);
        QVERIFY(e.accuracy > 0.5);
        std::int64_t support = 0;
        for (const auto& c : e.perClass)
            support += c.support;
        QCOMPARE(support, std::int64_t { 500 });
        QCOMPARE(e.perClass[0].label, std::string("T-shirt/top"));
        QCOMPARE(toJson(e)["confusion"].size(), std::size_t { 10 });

        // A subset scores exactly those samples, in the order given.
        const std::vector<std::int64_t> subset { 7, 3, 499 };
        const auto part = evaluate(model, test, 3, {}, nullptr, subset);
        QCOMPARE(part.samples, std::int64_t { 3 });
        QCOMPARE(
            part.predictions, (std::vector<std::int64_t> { e.predictions[7], e.predictions[3], e.predictions[499] }));
        QVERIFY_ERROR(evaluate(model, test, 3, {}, nullptr, { 500 }), "sample 500");
    }

    void importedModelsFineTune()
    {
        // The fixtures' iris MLP (PyTorch-made, card with 4 feature statistics and 3 labels).
        QTemporaryDir dir;
        QString rows = QStringLiteral("a,b,c,d,label\n");
        for (int i = 0; i < 60; ++i)
            rows += QStringLiteral("%1,%2,%3,%4,%5\n")
                        .arg(5 + i % 3)
                        .arg(3)
                        .arg(1 + i % 3 * 2)
                        .arg(0.2 + i % 3)
                        .arg(QStringList { QStringLiteral("setosa"), QStringLiteral("versicolor"),
                            QStringLiteral("virginica") }[i % 3]);
        auto model = Model::load(fixture("mlp.pt"));
        DataOptions o;
        o.classes = model.card().labels;
        auto data = Dataset::open(writeText(dir, QStringLiteral("iris.csv"), rows).toStdString(), o);
        TrainOptions t = quick(30);
        t.learningRate = 0.05;
        const auto r = train(model, data, t);
        QVERIFY(r.history.back().trainAccuracy > 0.9);
        QCOMPARE(model.card().preprocessing.mean, (std::vector<double> { 5.8, 3.0, 3.7, 1.2 })); // the model's own
        QCOMPARE(model.card().lineage.operation, std::string("train"));
        QCOMPARE(model.card().lineage.parentSha256.size(), std::size_t { 64 });
    }
};

QTEST_GUILESS_MAIN(TestTraining)
#include "tst_training.moc"
