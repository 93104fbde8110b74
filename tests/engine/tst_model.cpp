// The engine's model core against real PyTorch models made by tests/fixtures/make_fixtures.py.
#include <QtTest>

#include <atomic>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <thread>

#include <sys/stat.h>

#include <nlohmann/json.hpp>

#include "engine_test_util.h"
#include "maas/engine/architectures.h"
#include "maas/engine/benchmark.h"
#include "maas/engine/error.h"
#include "maas/engine/graph.h"
#include "maas/engine/inputs.h"
#include "maas/engine/model.h"
#include "maas/engine/runtime.h"

using namespace maas::engine;
namespace fs = std::filesystem;
using namespace testutil;

namespace {

nlohmann::json facts()
{
    std::ifstream in(fixture("facts.json"));
    return nlohmann::json::parse(in);
}

// Expects `call` to throw an Error of `kind` whose message contains every one of `words`.
template <typename F> void expectError(F call, ErrorKind kind, std::initializer_list<const char*> words)
{
    try {
        call();
    } catch (const Error& e) {
        const std::string message = e.what();
        QVERIFY2(e.kind() == kind, message.c_str());
        QVERIFY2(message.find('\n') == std::string::npos, ("not one line: " + message).c_str());
        for (const char* w : words)
            QVERIFY2(message.find(w) != std::string::npos, ("'" + std::string(w) + "' not in: " + message).c_str());
        return;
    }
    QFAIL("no maas::engine::Error was thrown");
}

} // namespace

class TestModel : public QObject {
    Q_OBJECT
private Q_SLOTS:
    // The drawn graph has one operator per layer call: as many convolutions, batch norms and linear
    // layers as PyTorch counts modules of those classes, wired in order from the input to the output.
    void graphHasAnOperatorPerLayer_data()
    {
        QTest::addColumn<QString>("name");
        for (const char* n : { "resnet18", "mobilenet_v2", "mlp", "cnn" })
            QTest::newRow(n) << n;
    }
    void graphHasAnOperatorPerLayer()
    {
        QFETCH(QString, name);
        const auto types = facts()[name.toStdString()]["module_types"];
        const auto graph = modelGraph(Model::load(fixture(name.toStdString() + ".pt")));
        std::map<std::string, int> ops;
        int inputs = 0, outputs = 0;
        for (const auto& node : graph.nodes) {
            ++ops[node.op];
            inputs += node.kind == GraphNode::Kind::Input;
            outputs += node.kind == GraphNode::Kind::Output;
        }
        QCOMPARE(inputs, 1);
        QCOMPARE(outputs, 1);
        QCOMPARE(ops["aten::conv2d"], types.value("Conv2d", 0));
        QCOMPARE(ops["aten::batch_norm"], types.value("BatchNorm2d", 0));
        QCOMPARE(ops["aten::linear"], types.value("Linear", 0));
        // Nodes come in execution order, and every node but the input is fed by an earlier one.
        std::vector<int> fedBy(graph.nodes.size());
        for (const auto& edge : graph.edges) {
            QVERIFY(edge.from < edge.to);
            ++fedBy[edge.to];
        }
        for (std::size_t i = 1; i < graph.nodes.size(); ++i)
            QVERIFY2(fedBy[i] > 0, graph.nodes[i].label.c_str());
    }

    void percentilesByNearestRank()
    {
        const std::vector<double> ten { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 };
        QCOMPARE(percentile(ten, 0.5), 5.0); // the smallest value with half the values at or below it
        QCOMPARE(percentile(ten, 0.9), 9.0);
        QCOMPARE(percentile(ten, 0.99), 10.0);
        QCOMPARE(percentile(ten, 0.0), 1.0);
        QCOMPARE(percentile({ 4.0 }, 0.99), 4.0);
    }

    void graphNodesNameTheirWeights()
    {
        const auto graph = modelGraph(Model::load(fixture("resnet18.pt")));
        const auto conv = std::find_if(
            graph.nodes.begin(), graph.nodes.end(), [](const GraphNode& n) { return n.module == "layer2.0.conv1"; });
        QVERIFY(conv != graph.nodes.end());
        QCOMPARE(conv->op, std::string("aten::conv2d"));
        const auto weight = std::find_if(
            conv->details.begin(), conv->details.end(), [](const auto& d) { return d.first == "weight"; });
        QVERIFY(weight != conv->details.end());
        QCOMPARE(weight->second, std::string("layer2.0.conv1.weight [128, 64, 3, 3]"));
        const auto dot = graphToDot(graph);
        QVERIFY(dot.rfind("digraph", 0) == 0);
        QCOMPARE(static_cast<std::size_t>(std::count(dot.begin(), dot.end(), '>')), graph.edges.size());
    }

    void parameterCountsMatchPyTorch_data()
    {
        QTest::addColumn<QString>("name");
        for (const char* n : { "resnet18", "mobilenet_v2", "lstm_traced", "mlp", "cnn", "text", "token_transformer" })
            QTest::newRow(n) << n;
    }
    void parameterCountsMatchPyTorch()
    {
        QFETCH(QString, name);
        const auto expected = facts()[name.toStdString()];
        const auto report = Model::load(fixture(name.toStdString() + ".pt")).inspect();
        QCOMPARE(report.totalParameters, expected["parameters"].get<std::int64_t>());
        QCOMPARE(report.parameterTensors, expected["parameter_tensors"].get<std::int64_t>());
        QCOMPARE(report.bufferCount, expected["buffers"].get<std::int64_t>());
        QCOMPARE(report.trainableParameters, report.totalParameters);
        QVERIFY(report.memoryBytes >= report.totalParameters * 4);
        QCOMPARE(report.fileBytes, static_cast<std::int64_t>(fs::file_size(fixture(name.toStdString() + ".pt"))));
        QCOMPARE(report.layers.front().totalParameters, report.totalParameters);
        std::int64_t own = 0;
        for (const auto& layer : report.layers)
            own += layer.ownParameters;
        QCOMPARE(own, report.totalParameters);
    }

    void resnetLayerTree()
    {
        const auto report = Model::load(fixture("resnet18.pt")).inspect();
        const auto conv1
            = std::find_if(report.layers.begin(), report.layers.end(), [](const auto& l) { return l.name == "conv1"; });
        QVERIFY(conv1 != report.layers.end());
        QCOMPARE(conv1->depth, 1);
        QVERIFY(conv1->type.find("Conv2d") != std::string::npos);
        QCOMPARE(conv1->parameters.front().shape, (std::vector<std::int64_t> { 64, 3, 7, 7 }));
        QCOMPARE(conv1->ownParameters, std::int64_t { 64 * 3 * 7 * 7 });
        QVERIFY(report.forwardSignature.find("Tensor") != std::string::npos);
    }

    void predictMatchesPyTorch_data()
    {
        QTest::addColumn<QString>("name");
        for (const char* n : { "resnet18", "mobilenet_v2", "lstm_traced", "mlp", "cnn" })
            QTest::newRow(n) << n;
    }
    void predictMatchesPyTorch()
    {
        QFETCH(QString, name);
        const std::string n = name.toStdString();
        const auto model = Model::load(fixture(n + ".pt"));
        const auto outputs = model.predict({ readNpy(fixture(n + ".input.npy")) });
        QCOMPARE(outputs.size(), std::size_t { 1 });
        QVERIFY2(maxDifference(outputs[0], readNpy(fixture(n + ".output.npy"))) <= 1e-5,
            std::to_string(maxDifference(outputs[0], readNpy(fixture(n + ".output.npy")))).c_str());
    }

    void textModelTakesStrings()
    {
        const auto model = Model::load(fixture("text.pt"));
        QCOMPARE(model.card().inputs.front().dtype, DataType::Bytes);
        const auto inputs = loadInputs(model.card(), { "a great movie", "awful" });
        const auto outputs = model.predict(inputs);
        QVERIFY(maxDifference(outputs[0], readNpy(fixture("text.output.npy"))) <= 1e-5);
    }

    // A transformer over token ids made in PyTorch, saved without a card: its input is looked up in an
    // embedding (inside nn.Embedding, inside F.embedding), so the inferred card takes INT64 ids
    // [batch, sequence], and the ids PyTorch ran on give PyTorch's logits.
    void transformerOverTokenIdsRunsAsInPyTorch()
    {
        const auto model = Model::load(fixture("token_transformer.pt"));
        const auto& card = model.card();
        QVERIFY(card.inferred);
        QCOMPARE(card.inputs.size(), std::size_t { 1 });
        QCOMPARE(card.inputs.front().dtype, DataType::Int64);
        QCOMPARE(card.inputs.front().shape, (std::vector<std::int64_t> { -1, -1 }));
        QCOMPARE(card.outputs.front().shape, (std::vector<std::int64_t> { -1, 3 }));
        const auto ids = readNpy(fixture("token_transformer.input.npy"));
        QCOMPARE(ids.dtype, DataType::Int64);
        const auto outputs = model.predict(loadInputs(card, { fixture("token_transformer.input.npy") }));
        const auto expected = readNpy(fixture("token_transformer.output.npy"));
        QCOMPARE(outputs.front().shape, expected.shape);
        QVERIFY2(maxDifference(outputs.front(), expected) <= 1e-4,
            std::to_string(maxDifference(outputs.front(), expected)).c_str());
        // The same ids as floats are refused with the datatype the model takes.
        expectError([&] { model.predict({ Tensor::fromFloats(ids.shape, std::vector<float>(ids.numel())) }); },
            ErrorKind::InvalidInput, { "'ids'", "INT64", "FP32" });
        // An id past the embedding's 50 rows is named, not left to LibTorch's "index out of range".
        Tensor tooBig = ids;
        const std::int64_t fifty = 50;
        std::memcpy(tooBig.data.data() + 3 * sizeof fifty, &fifty, sizeof fifty);
        expectError([&] { model.predict({ tooBig }); }, ErrorKind::InvalidInput,
            { "'ids'", "id 50 at position 3", "50 rows", "from 0 to 49" });
    }

    // Made-up inputs for a token model are ids the embedding has: [batch, 32], spread over [0, vocabulary).
    void benchOnTokenIdsUsesValidIds()
    {
        const auto model = Model::load(fixture("token_transformer.pt"));
        const auto vocabulary = facts()["token_transformer"]["vocabulary"].get<double>();
        const auto inputs = syntheticInputs(model, 3);
        QCOMPARE(inputs.front().dtype, DataType::Int64);
        QCOMPARE(inputs.front().shape, (std::vector<std::int64_t> { 3, 32 }));
        const auto values = inputs.front().toDoubles();
        QVERIFY(*std::min_element(values.begin(), values.end()) >= 0);
        QVERIFY(*std::max_element(values.begin(), values.end()) < vocabulary);
        QVERIFY(*std::max_element(values.begin(), values.end()) >= vocabulary / 2); // not all zeros or ones
        const auto latency = measureLatency(model, 3, 3, 1);
        QCOMPARE(latency.batch, 3);
        QVERIFY(latency.p50 > 0);
        const auto shaped = measureLatency(model, { InputShape { { 4, 16 }, DataType::Int64 } }, 3, 1);
        QCOMPARE(shaped.batch, 4);
        // Floats are timed as given, and the embedding itself refuses them.
        expectError(
            [&] {
                measureLatency(model, { InputShape { { 4, 16 }, DataType::Float32 } }, 3, 1);
            },
            ErrorKind::InvalidInput, { "could not run", "indices" });
        // A card that calls the ids FP32 (as cards inferred before did) is timed on the INT64 given.
        auto wrong = model.card();
        wrong.inputs.front().dtype = DataType::Float32;
        QCOMPARE(measureLatency(model.withCard(wrong), { InputShape { { 2, 8 }, DataType::Int64 } }, 2, 0).batch, 2);
    }

    void inspectTokenModelWithAShape()
    {
        const auto model = Model::load(fixture("token_transformer.pt"));
        const auto report = model.inspect({ InputShape { { 2, 16 }, std::nullopt } }); // the card's INT64
        QVERIFY(report.compute.has_value());
        QVERIFY(report.compute->macs > 0);
        QCOMPARE(report.compute->inputTypes, (std::vector<DataType> { DataType::Int64 }));
        QCOMPARE(report.compute->inputShapes, (std::vector<std::vector<std::int64_t>> { { 2, 16 } }));
        // Twice the tokens, more work: the count follows the shape given.
        const auto longer = model.inspect({ InputShape { { 2, 32 }, DataType::Int64 } });
        QVERIFY(longer.compute->macs > report.compute->macs);
        expectError(
            [&] {
                model.inspect({ InputShape { { 2, 16 }, DataType::Float32 } });
            },
            ErrorKind::InvalidInput, { "[2, 16] FP32", "the shape and datatype the model expects" });
    }

    // The labels a user gives a card must be one per output of the model; where the outputs cannot be
    // told (the card's inputs do not fit and it says no output size), anything goes.
    void labelsMustFitTheOutputs_data()
    {
        QTest::addColumn<QString>("model");
        QTest::addColumn<QStringList>("settings");
        QTest::addColumn<bool>("refused");
        QTest::newRow("set two labels on a three-class MLP") << "mlp.pt" << QStringList { "labels=a,b" } << true;
        QTest::newRow("set eleven labels on a ten-class CNN")
            << "cnn.pt" << QStringList { "labels=a,b,c,d,e,f,g,h,i,j,k" } << true;
        QTest::newRow("set three labels on a three-class MLP") << "mlp.pt" << QStringList { "labels=a,b,c" } << false;
        QTest::newRow("removed the labels") << "mlp.pt" << QStringList { "labels=[]" } << false;
        QTest::newRow("set two labels on a card-less MLP") << "mlp_nocard.pt" << QStringList { "labels=a,b" } << true;
        QTest::newRow("set two labels on a token transformer")
            << "token_transformer.pt" << QStringList { "labels=a,b" } << true;
        QTest::newRow("set labels where the outputs cannot be told")
            << "mlp_nocard.pt" << QStringList { "inputs.0.shape=-1,5", "outputs.0.shape=[]", "labels=a,b" } << false;
    }
    void labelsMustFitTheOutputs()
    {
        QFETCH(QString, model);
        QFETCH(QStringList, settings);
        QFETCH(bool, refused);
        const auto loaded = Model::load(fixture(model.toStdString()));
        auto card = loaded.card();
        for (const auto& setting : settings) {
            std::string key, value;
            QVERIFY(splitSetting(setting.toStdString(), key, value));
            setCardField(card, key, value);
        }
        if (!refused) {
            checkLabels(loaded, card);
            return;
        }
        const auto labels = std::to_string(card.labels.size()) + " labels";
        const auto outputs = std::to_string(*outputCount(loaded, card)) + " outputs";
        expectError([&] { checkLabels(loaded, card); }, ErrorKind::InvalidCard,
            { labels.c_str(), outputs.c_str(), "one per output" });
        try {
            checkLabels(loaded, card);
        } catch (const Error& e) {
            QCOMPARE(e.field(), std::string("labels"));
        }
    }

    // A model whose stored card names 2 labels for 3 outputs still loads and predicts, with a warning.
    void storedCardWithTooFewLabelsIsWarnedAbout()
    {
        const auto model = Model::load(fixture("mlp_two_labels.pt"));
        const auto warning = labelsWarning(model);
        QVERIFY2(warning.find("2 labels") != std::string::npos && warning.find("3 outputs") != std::string::npos,
            warning.c_str());
        QCOMPARE(
            model.predict({ readNpy(fixture("mlp.input.npy")) }).front().shape, (std::vector<std::int64_t> { 2, 3 }));
        QCOMPARE(labelsWarning(Model::load(fixture("mlp.pt"))), std::string());
        QCOMPARE(labelsWarning(Model::load(fixture("resnet18.pt"))), std::string()); // no labels: nothing to say
    }

    void computeMatchesLayerCount_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QString>("shape");
        QTest::newRow("resnet18") << "resnet18"
                                  << "1,3,224,224";
        QTest::newRow("mobilenet_v2") << "mobilenet_v2"
                                      << "2,3,224,224";
        QTest::newRow("mlp") << "mlp"
                             << "2,4";
    }
    void computeMatchesLayerCount()
    {
        QFETCH(QString, name);
        QFETCH(QString, shape);
        std::vector<std::int64_t> dims;
        for (const auto& d : shape.split(','))
            dims.push_back(d.toLongLong());
        const auto report
            = Model::load(fixture(name.toStdString() + ".pt")).inspect(std::vector<std::vector<std::int64_t>> { dims });
        QVERIFY(report.compute.has_value());
        QCOMPARE(report.compute->macs, facts()[name.toStdString()]["macs"].get<std::int64_t>());
        QCOMPARE(report.compute->flops, 2 * report.compute->macs);
    }

    void computeOnWrongShapeSaysSo()
    {
        const auto model = Model::load(fixture("resnet18.pt"));
        expectError(
            [&] {
                model.inspect(std::vector<std::vector<std::int64_t>> { { 1, 5, 32, 32 } });
            },
            ErrorKind::InvalidInput, { "[1, 5, 32, 32] FP32", "the shape and datatype the model expects" });
    }

    // Issue 9, item 6: sizes are checked before memory is taken, each refused with one sentence naming
    // the field; none of these allocates more than a few bytes before it is refused.
    void modelsTooBigAreRefusedBeforeTheyAreBuilt_data()
    {
        QTest::addColumn<QByteArray>("spec");
        QTest::addColumn<QString>("field");
        QTest::addColumn<QString>("says");
        QTest::newRow("new with a billion classes")
            << QByteArray(R"({"arch":"mlp","input_shape":[4],"classes":1000000000})") << "classes"
            << "must be at most 100000.";
        QTest::newRow("new with an input shape of a billion")
            << QByteArray(R"({"arch":"mlp","input_shape":[1000000000],"classes":3})") << "input_shape"
            << "is [1000000000], more than the limit of 67108864 values in one sample";
        QTest::newRow("new with an input shape whose product overflows")
            << QByteArray(R"({"arch":"cnn","input_shape":[4294967296,4294967296,4294967296],"classes":3})")
            << "input_shape"
            << "more than the limit of 67108864 values";
        QTest::newRow("new with two hidden layers of 10 million")
            << QByteArray(R"({"arch":"mlp","input_shape":[4],"classes":3,"hidden":[10000000,10000000]})") << ""
            << "the model would have more than";
        QTest::newRow("new with a hidden layer of 100 million")
            << QByteArray(R"({"arch":"mlp","input_shape":[4],"classes":3,"hidden":[100000000]})") << "hidden"
            << "must hold whole numbers from 1 to 16777216 only.";
        QTest::newRow("new text model with a vocabulary of a trillion")
            << QByteArray(R"({"arch":"text","classes":3,"vocab_size":1000000000000})") << "vocab_size"
            << "must be a whole number from 2 to 16777216.";
        QTest::newRow("new text model whose embedding table passes the memory")
            << QByteArray(R"({"arch":"text","classes":3,"vocab_size":16000000,"embedding":16000000})") << ""
            << "give smaller layers";
        QTest::newRow("new CNN with 10^18 channels")
            << QByteArray(R"({"arch":"cnn","input_shape":[1,8,8],"classes":3,"channels":[1000000000000000000]})")
            << "channels"
            << "must hold whole numbers from 1 to 16777216 only.";
        QTest::newRow("new LSTM whose gates would overflow")
            << QByteArray(R"({"arch":"rnn","input_shape":[28,28],"classes":3,"hidden":4611686018427387904})")
            << "hidden"
            << "must be a whole number from 1 to 16777216.";
        QTest::newRow("new RNN with a billion layers")
            << QByteArray(R"({"arch":"rnn","input_shape":[28,28],"classes":3,"layers":1000000000})") << "layers"
            << "must be a whole number from 1 to 1000.";
    }
    void modelsTooBigAreRefusedBeforeTheyAreBuilt()
    {
        QFETCH(QByteArray, spec);
        QFETCH(QString, field);
        QFETCH(QString, says);
        try {
            buildModel(nlohmann::json::parse(spec.toStdString()));
        } catch (const Error& e) {
            QCOMPARE(QString::fromStdString(e.field()), field);
            const std::string message = e.what();
            QVERIFY2(message.find(says.toStdString()) != std::string::npos, message.c_str());
            QVERIFY2(message.find('\n') == std::string::npos, message.c_str());
            return;
        }
        QFAIL("the model was built");
    }

    void aModelJustWithinTheLimitsIsBuilt()
    {
        const auto model = buildModel(nlohmann::json::parse(R"({"arch":"mlp","input_shape":[4],"classes":100000})"));
        QCOMPARE(model.card().labels.size(), std::size_t(100000));
    }

    // A spec file must be a regular file under 1 MiB: a device or a pipe would be read forever.
    void specFilesThatCannotBeSpecsAreRefused_data()
    {
        QTest::addColumn<QString>("what");
        QTest::addColumn<QString>("says");
        QTest::newRow("spec /dev/zero") << "/dev/zero"
                                        << "/dev/zero is not a regular file";
        QTest::newRow("spec a FIFO") << "fifo"
                                     << "spec.fifo is not a regular file";
        QTest::newRow("spec of 2 MB") << "big"
                                      << "spec.json is 2.1 MB, more than the limit of 1.0 MB for a spec file";
        QTest::newRow("spec that is not JSON") << "junk"
                                               << "spec.json cannot be read as a spec (it is not valid JSON at byte";
        QTest::newRow("spec that is a JSON list") << "list"
                                                  << "spec.json must hold a JSON object";
    }
    void specFilesThatCannotBeSpecsAreRefused()
    {
        QFETCH(QString, what);
        QFETCH(QString, says);
        QTemporaryDir dir;
        std::string path = what.toStdString();
        if (what == "fifo") {
            path = dir.filePath("spec.fifo").toStdString();
            QCOMPARE(::mkfifo(path.c_str(), 0600), 0);
        } else if (what != "/dev/zero") {
            const QByteArray content = what == "big" ? "{\"arch\": \"mlp\"" + QByteArray(2 << 20, ' ') + "}"
                : what == "junk"                     ? QByteArray("{arch: mlp")
                                                     : QByteArray("[1, 2]");
            path = writeFile(dir, "spec.json", content).toStdString();
        }
        expectError([&] { readModelSpec(path); }, ErrorKind::InvalidInput, { says.toUtf8().constData() });
    }

    void inspectOnAHugeShapeIsRefusedBeforeAllocating()
    {
        const auto model = Model::load(fixture("mlp.pt"));
        expectError(
            [&] {
                model.inspect(std::vector<std::vector<std::int64_t>> { { 1000000000, 4 } });
            },
            ErrorKind::InvalidInput, { "[1000000000, 4] has more than the limit of 67108864 values" });
    }

    void benchOfACardClaimingHugeInputsIsRefused()
    {
        auto card = Model::load(fixture("mlp.pt")).card();
        card.inputs.front().shape = { -1, 1000000000000 };
        const auto model = Model::load(fixture("mlp.pt")).withCard(card);
        expectError([&] { syntheticInputs(model, 8); }, ErrorKind::InvalidInput,
            { "an input of shape [8, 1000000000000] takes more than the limit of" });
    }

    // A path that is not UTF-8 in the lineage (the data set a model was trained on) does not lose the run at the
    // save that ends it with an internal JSON error: the stray byte is replaced.
    void aLineagePathThatIsNotUtf8StillSaves()
    {
        QTemporaryDir dir;
        auto card = Model::load(fixture("mlp.pt")).card();
        card.lineage.operation = "train";
        card.lineage.parameters = nlohmann::json::object();
        card.lineage.parameters["data"] = std::string("/data/caf\xe9.csv");
        const auto model = Model::load(fixture("mlp.pt")).withCard(card);
        const std::string path = dir.filePath("m.pt").toStdString();
        model.save(path);
        const auto saved = Model::load(path).card().lineage.parameters;
        QVERIFY2(saved.contains("data") && saved["data"].is_string(), saved.dump().c_str());
        QCOMPARE(QString::fromStdString(saved["data"].get<std::string>()), QStringLiteral("/data/caf\uFFFD.csv"));
    }

    void cardIsReadFromTheArchive()
    {
        const auto card = Model::load(fixture("mlp.pt")).card();
        QCOMPARE(card.name, std::string("iris-mlp"));
        QVERIFY(!card.inferred);
        QCOMPARE(card.labels.size(), std::size_t { 3 });
        QCOMPARE(card.inputs.front().shape, (std::vector<std::int64_t> { -1, 4 }));
        QCOMPARE(card.preprocessing.mean.size(), std::size_t { 4 });
    }

    void cardIsInferredWhenMissing()
    {
        const auto mlp = Model::load(fixture("mlp_nocard.pt")).card();
        QVERIFY(mlp.inferred);
        QCOMPARE(mlp.name, std::string("mlp_nocard"));
        QCOMPARE(mlp.inputs.front().shape, (std::vector<std::int64_t> { -1, 4 }));
        QCOMPARE(mlp.outputs.front().shape, (std::vector<std::int64_t> { -1, 3 }));
        const auto resnet = Model::load(fixture("resnet18.pt")).card();
        QCOMPARE(resnet.inputs.front().shape, (std::vector<std::int64_t> { -1, 3, -1, -1 }));
        QCOMPARE(resnet.outputs.front().shape, (std::vector<std::int64_t> { -1, 1000 }));
        QCOMPARE(resnet.preprocessing.color, std::string("rgb"));
        const auto lstm = Model::load(fixture("lstm_traced.pt")).card();
        QCOMPARE(lstm.inputs.front().shape, (std::vector<std::int64_t> { -1, -1, 8 }));
    }

    void saveRoundTripsCardAndOutputs()
    {
        QTemporaryDir dir;
        const std::string target = dir.filePath("copy.pt").toStdString();
        const auto loaded = Model::load(fixture("mlp_nocard.pt"));
        auto card = loaded.card();
        setCardField(card, "labels", "a,b,c");
        setCardField(card, "task", "classification");
        const auto model = loaded.withCard(card);
        model.save(target);
        const auto again = Model::load(target);
        QCOMPARE(again.card().toJson(), card.toJson());
        QVERIFY(!again.card().inferred);
        const auto input = readNpy(fixture("mlp.input.npy"));
        QCOMPARE(maxDifference(again.predict({ input })[0], model.predict({ input })[0]), 0.0);
        // Only the model is left in the folder: no temporary files.
        QCOMPARE(QDir(dir.path()).entryList(QDir::Files | QDir::Hidden).size(), 1);
    }

    // A Model is immutable: a new card gives a new Model, and the one it came from (and that one's other
    // copies) keep theirs.
    void withCardLeavesTheOriginalAsItWas()
    {
        const auto original = Model::load(fixture("mlp.pt"));
        const auto copy = original; // shares the original's state
        const auto before = original.card().toJson();
        auto card = copy.card();
        setCardField(card, "name", "renamed");
        setCardField(card, "labels", "x,y,z");
        const auto renamed = copy.withCard(card);
        QCOMPARE(renamed.card().name, std::string("renamed"));
        QCOMPARE(original.card().toJson(), before);
        QCOMPARE(copy.card().toJson(), before);
        QVERIFY(original.card().name != "renamed");
        const auto input = readNpy(fixture("mlp.input.npy"));
        QCOMPARE(maxDifference(renamed.predict({ input })[0], original.predict({ input })[0]), 0.0);
    }

    // The server runs several models at once: a convolution model and a matrix-product model predicting
    // on several threads together give what each gives alone, one call at a time.
    void twoModelsPredictOnSeveralThreadsAtOnce()
    {
        configureThreads(2); // different splits for the two workloads, whatever the machine
        const auto cnn = Model::load(fixture("cnn.pt"));
        const auto mlp = Model::load(fixture("mlp.pt"));
        const auto cnnInput = readNpy(fixture("cnn.input.npy"));
        const auto mlpInput = readNpy(fixture("mlp.input.npy"));
        const auto cnnAlone = cnn.predict({ cnnInput })[0];
        const auto mlpAlone = mlp.predict({ mlpInput })[0];
        QVERIFY(maxDifference(cnnAlone, readNpy(fixture("cnn.output.npy"))) < 1e-5);
        QVERIFY(maxDifference(mlpAlone, readNpy(fixture("mlp.output.npy"))) < 1e-5);

        constexpr int kThreads = 4, kRounds = 40;
        std::vector<double> worst(kThreads, 0.0);
        std::vector<std::string> failures(kThreads);
        std::atomic<int> ready { 0 };
        std::vector<std::thread> threads;
        for (int t = 0; t < kThreads; ++t)
            threads.emplace_back([&, t] {
                const bool convolution = t % 2 == 0;
                const auto& model = convolution ? cnn : mlp;
                const auto& input = convolution ? cnnInput : mlpInput;
                const auto& alone = convolution ? cnnAlone : mlpAlone;
                ++ready;
                while (ready < kThreads) // start together, so the calls overlap
                    std::this_thread::yield();
                try {
                    for (int i = 0; i < kRounds; ++i)
                        worst[t] = std::max(worst[t], maxDifference(model.predict({ input })[0], alone));
                } catch (const std::exception& e) {
                    failures[t] = e.what();
                }
            });
        for (auto& thread : threads)
            thread.join();
        for (int t = 0; t < kThreads; ++t) {
            QVERIFY2(failures[t].empty(), failures[t].c_str());
            QVERIFY2(worst[t] < 1e-5, std::to_string(worst[t]).c_str());
        }
        // Alone again, the last model run gets its workload's split.
        mlp.predict({ mlpInput });
        QCOMPARE(currentThreads().blas, 2);
        QCOMPARE(currentThreads().intraOp, 1);
        configureThreads(0);
    }

    void policyIsAValueDecidedOnce()
    {
        const auto budget = ThreadPolicy::withBudget(3);
        QCOMPARE(budget.source, std::string("user"));
        QVERIFY(budget.splitFor(Workload::Convolution) == (ThreadSplit { 3, 1 }));
        QVERIFY(budget.splitFor(Workload::MatrixProducts) == (ThreadSplit { 1, 3 }));
        const auto pinned = ThreadPolicy::pinnedTo(2, 1);
        QVERIFY(pinned.splitFor(Workload::MatrixProducts) == (ThreadSplit { 2, 1 }));
        qputenv("MAAS_THREADS", "5");
        QCOMPARE(ThreadPolicy::withBudget(0).budget, 5);
        QCOMPARE(ThreadPolicy::withBudget(0).source, std::string("MAAS_THREADS"));
        qunsetenv("MAAS_THREADS");
        QCOMPARE(ThreadPolicy::withBudget(0).budget, hardwareThreads());
        setThreadPolicy(budget);
        QCOMPARE(threadPolicy().budget, 3);
        QCOMPARE(currentThreads().budget, 3);
        configureThreads(0);
    }

    void saveIntoMissingFolderLeavesNothing()
    {
        QTemporaryDir dir;
        const auto model = Model::load(fixture("mlp.pt"));
        expectError([&] { model.save(dir.filePath("no/such/folder/m.pt").toStdString()); }, ErrorKind::NotFound,
            { "does not exist" });
        QCOMPARE(QDir(dir.path()).entryList(QDir::NoDotAndDotDot | QDir::AllEntries | QDir::Hidden).size(), 0);
    }

    void badFilesGetOneClearSentence_data()
    {
        QTest::addColumn<QString>("file");
        QTest::addColumn<int>("kind");
        QTest::addColumn<QString>("says");
        const int invalid = static_cast<int>(ErrorKind::InvalidModel);
        QTest::newRow("state_dict") << "bad_state_dict.pt" << invalid << "state_dict";
        QTest::newRow("legacy pickle") << "bad_legacy_pickle.pt" << invalid << "legacy";
        QTest::newRow("pickled module") << "bad_pickled_module.pt" << invalid << "pickled";
        QTest::newRow("onnx") << "bad_model.onnx" << invalid << "ONNX";
        QTest::newRow("empty") << "bad_empty.pt" << invalid << "empty";
        QTest::newRow("random bytes") << "bad_random.pt" << invalid << "not a TorchScript archive";
        QTest::newRow("truncated") << "bad_truncated.pt" << invalid << "truncated";
        QTest::newRow("weight record cut short") << "bad_short_record.pt" << invalid << "weight record (data/7)";
        QTest::newRow("view past its storage") << "bad_long_view.pt" << invalid << "view reaches past the 400 bytes";
        QTest::newRow("missing") << "no_such_model.pt" << static_cast<int>(ErrorKind::NotFound) << "no such";
        QTest::newRow("directory") << "" << static_cast<int>(ErrorKind::InvalidInput) << "folder";
    }
    void badFilesGetOneClearSentence()
    {
        QFETCH(QString, file);
        QFETCH(int, kind);
        QFETCH(QString, says);
        const std::string path = fixture(file.toStdString());
        const std::string says8 = says.toStdString();
        expectError([&] { Model::load(path); }, static_cast<ErrorKind>(kind), { path.c_str(), says8.c_str() });
    }

    void stateDictMessageSaysHowToExport()
    {
        expectError([] { Model::load(fixture("bad_state_dict.pt")); }, ErrorKind::InvalidModel,
            { "load_state_dict", "torch.jit.save(torch.jit.script(model)" });
    }

    void wrongInputsAreNamed()
    {
        const auto model = Model::load(fixture("cnn.pt"));
        expectError(
            [&] {
                model.predict({ Tensor::fromFloats({ 1, 1, 32, 32 }, std::vector<float>(1024)) });
            },
            ErrorKind::InvalidInput, { "'image'", "[1, 1, 32, 32]", "axis 2 must be 28" });
        expectError(
            [&] {
                model.predict({ Tensor::fromFloats({ 1, 28, 28 }, std::vector<float>(784)) });
            },
            ErrorKind::InvalidInput, { "'image'", "4 axes" });
        Tensor ints;
        ints.dtype = DataType::Int64;
        ints.shape = { 1, 1, 28, 28 };
        ints.data.assign(784 * 8, 0);
        expectError([&] { model.predict({ ints }); }, ErrorKind::InvalidInput, { "FP32", "INT64" });
        expectError([&] { model.predict({}); }, ErrorKind::InvalidInput, { "1 input(s)", "given 0" });
        const auto text = Model::load(fixture("text.pt"));
        expectError(
            [&] {
                text.predict({ Tensor::fromFloats({ 1, 4 }, std::vector<float>(4)) });
            },
            ErrorKind::InvalidInput, { "BYTES", "pass text" });
    }

    void inferredCardStillCatchesWrongShapes()
    {
        const auto model = Model::load(fixture("mlp_nocard.pt"));
        expectError(
            [&] {
                model.predict({ Tensor::fromFloats({ 2, 5 }, std::vector<float>(10)) });
            },
            ErrorKind::InvalidInput, { "axis 1 must be 4" });
    }

    void threadBudgetGoesToThePoolThatWorks()
    {
        configureThreads(2);
        Model::load(fixture("resnet18.pt")); // convolutions: oneDNN on OpenMP
        auto t = currentThreads();
        QCOMPARE(t.intraOp, 2);
        QCOMPARE(t.blas, 1);
        const auto mlp = Model::load(fixture("mlp.pt")); // matrix products: OpenBLAS
        mlp.predict({ readNpy(fixture("mlp.input.npy")) });
        t = currentThreads();
        QCOMPARE(t.intraOp, 1);
        QCOMPARE(t.blas, 2);
        QCOMPARE(t.source, std::string("user"));
        configureThreads(1, 1); // pinned: workloads no longer move it
        Model::load(fixture("resnet18.pt"));
        QCOMPARE(currentThreads().intraOp, 1);
        QCOMPARE(currentThreads().source, std::string("exact"));
        configureThreads(0);
        QCOMPARE(currentThreads().budget, hardwareThreads());
        QVERIFY(runtimeSummary().find("LibTorch 1.13") != std::string::npos);
    }

    void sha256IsRight()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath("abc");
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("abc");
        f.close();
        QCOMPARE(sha256File(path.toStdString()),
            std::string("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"));
        QFile big(dir.filePath("big"));
        QVERIFY(big.open(QIODevice::WriteOnly));
        big.write(QByteArray(3 * 1024 * 1024 + 7, 'x'));
        big.close();
        QCOMPARE(QString::fromStdString(sha256File(big.fileName().toStdString())),
            QString::fromLatin1(
                QCryptographicHash::hash(QByteArray(3 * 1024 * 1024 + 7, 'x'), QCryptographicHash::Sha256).toHex()));
    }
};

QTEST_GUILESS_MAIN(TestModel)
#include "tst_model.moc"
