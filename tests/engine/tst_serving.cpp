// The endpoint's engine side without HTTP: Triton's configuration in both forms, the protocol codec, and a
// repository serving real PyTorch models in this process.

#include <QtTest>

#include <filesystem>
#include <fstream>
#include <thread>

#include "engine_test_util.h"
#include "maas/engine/model.h"
#include "maas/engine/serving.h"

using maas::engine::DataType;
using maas::engine::ModelConfig;
using nlohmann::json;
using testutil::errorOf;
using testutil::fixture;

namespace {

// Triton's documented example for a LibTorch model, with a comment and a field this server ignores (format).
const char* kTritonExample = "name: \"resnet50_libtorch\"\n"
                             "platform: \"pytorch_libtorch\"\n"
                             "max_batch_size: 128  # samples per request\n"
                             "input [\n  {\n    name: \"INPUT__0\"\n    data_type: TYPE_FP32\n    format: FORMAT_NCHW\n"
                             "    dims: [ 3, 224, 224 ]\n  }\n]\n"
                             "output [\n  {\n    name: \"OUTPUT__0\"\n    data_type: TYPE_FP32\n    dims: [ 1000 ]\n"
                             "    label_filename: \"labels.txt\"\n  }\n]\n"
                             "instance_group [ { count: 2\n kind: KIND_CPU } ]\n"
                             "dynamic_batching { preferred_batch_size: [ 4, 8 ] max_queue_delay_microseconds: 100 }\n"
                             "version_policy: { latest: { num_versions: 2 } }\n";

std::string text(const std::string& body) { return body; }

} // namespace

class TestServing : public QObject {
    Q_OBJECT

private Q_SLOTS:
    void readsTritonsConfigText()
    {
        const auto c = ModelConfig::fromPbtxt(kTritonExample, "example");
        QCOMPARE(c.name, std::string("resnet50_libtorch"));
        QCOMPARE(c.maxBatchSize, std::int64_t(128));
        QCOMPARE(c.inputs.size(), std::size_t(1));
        QCOMPARE(c.inputs[0].name, std::string("INPUT__0"));
        QVERIFY(c.inputs[0].dtype == DataType::Float32);
        QCOMPARE(c.inputs[0].dims, (std::vector<std::int64_t> { 3, 224, 224 }));
        QCOMPARE(c.outputs[0].labelFilename, std::string("labels.txt"));
        QCOMPARE(c.instanceCount, 2);
        QVERIFY(c.dynamicBatching);
        QCOMPARE(c.dynamicBatching->preferredBatchSizes, (std::vector<std::int64_t> { 4, 8 }));
        QCOMPARE(c.dynamicBatching->maxQueueDelayMicroseconds, std::int64_t(100));
        QCOMPARE(c.versionPolicy.latest, 2);
        // Its text and JSON forms say the same.
        QCOMPARE(ModelConfig::fromPbtxt(c.toPbtxt(), "again").toJson(), c.toJson());
        QCOMPARE(ModelConfig::fromJson(c.toJson(), "json").toJson(), c.toJson());
    }

    void configFromACardFitsTheModel()
    {
        const auto model = maas::engine::Model::load(fixture("cnn.pt"));
        const auto c = maas::engine::configFromCard(model, "cnn", 32);
        QCOMPARE(c.maxBatchSize, std::int64_t(32));
        QCOMPARE(c.inputs[0].name, std::string("x")); // forward(x): the name Triton's PyTorch backend takes
        QCOMPARE(c.inputs[0].dims, (std::vector<std::int64_t> { 1, 28, 28 }));
        QCOMPARE(c.outputs[0].name, std::string("OUTPUT__0"));
        QCOMPARE(c.outputs[0].labelFilename, std::string("labels.txt"));
        maas::engine::checkConfigAgainst(c, model);
        auto wrong = c;
        wrong.inputs[0].dtype = DataType::Int64;
        QVERIFY(
            errorOf([&] { maas::engine::checkConfigAgainst(wrong, model); }).find("TYPE_INT64") != std::string::npos);

        const auto text = maas::engine::configFromCard(maas::engine::Model::load(fixture("text.pt")), "text");
        QVERIFY(text.inputs[0].dtype == DataType::Bytes);
        QCOMPARE(text.inputs[0].dims, (std::vector<std::int64_t> { 1 })); // strings: [1] reshaped to []
        QVERIFY(text.inputs[0].reshape && text.inputs[0].reshape->empty());
    }

    void refusesBadConfigsWithASentence()
    {
        const auto refused
            = [](const std::string& pbtxt) { return errorOf([&] { ModelConfig::fromPbtxt(pbtxt, "test"); }); };
        // Triton's two backends a model leaves for are read (serving ONNX is refused at load, by the server);
        // any other platform is refused here, naming both.
        QCOMPARE(ModelConfig::fromPbtxt("platform: \"onnxruntime_onnx\"", "test").platform,
            std::string(maas::engine::kOnnxPlatform));
        const auto other = refused("platform: \"tensorflow_savedmodel\"");
        QVERIFY2(
            other.find("pytorch_libtorch") != std::string::npos && other.find("onnxruntime_onnx") != std::string::npos,
            other.c_str());
        QVERIFY(refused("input [ { name: \"x\" data_type: TYPE_FLOAT dims: [1] } ]").find("TYPE_FLOAT")
            != std::string::npos);
        QVERIFY(refused("input [ { name: \"x\"").find("ends inside") != std::string::npos);
        QVERIFY(refused("max_batch_size: -3").find("max_batch_size") != std::string::npos);
        QVERIFY(refused("input [ { name: \"x\" data_type: TYPE_FP32 dims: [0] } ]").find("dims") != std::string::npos);
        QVERIFY(refused(std::string(100, '{')).find("line") != std::string::npos);
        QVERIFY(refused("output [ { name: \"y\" data_type: TYPE_FP32 dims: [1] label_filename: \"../secret\" } ]")
                    .find("label_filename")
            != std::string::npos);
    }

    void parsesInferRequests()
    {
        const auto r = maas::engine::parseInferRequest(
            text(R"({"id":"a","inputs":[{"name":"x","shape":[2,2],"datatype":"INT64","data":[[1,2],[3,-4]]},)"
                 R"({"name":"h","shape":[2],"datatype":"FP16","data":[0.5,-2]},)"
                 R"({"name":"b","shape":[1],"datatype":"BOOL","data":[true]}],)"
                 R"("outputs":[{"name":"OUTPUT__0","parameters":{"classification":3}}]})"),
            std::nullopt);
        QCOMPARE(r.id, std::string("a"));
        QCOMPARE(r.inputs.size(), std::size_t(3));
        QCOMPARE(r.inputs[0].tensor.toDoubles(), (std::vector<double> { 1, 2, 3, -4 })); // nested lists, row-major
        QCOMPARE(r.inputs[1].tensor.toDoubles(), (std::vector<double> { 0.5, -2 }));
        QCOMPARE(r.inputs[2].tensor.toDoubles(), (std::vector<double> { 1 }));
        QCOMPARE(r.outputs[0].classification, 3);

        // Binary tensor data: FP32 bytes and BYTES with 4-byte lengths, after the JSON.
        const std::string header
            = R"({"inputs":[{"name":"x","shape":[2],"datatype":"FP32","parameters":{"binary_data_size":8}},)"
              R"({"name":"t","shape":[1],"datatype":"BYTES","parameters":{"binary_data_size":7}}]})";
        const float values[2] = { 1.5f, -3.0f };
        const std::string body
            = header + std::string(reinterpret_cast<const char*>(values), 8) + std::string("\x03\0\0\0abc", 7);
        const auto b = maas::engine::parseInferRequest(body, header.size());
        QCOMPARE(b.inputs[0].tensor.toDoubles(), (std::vector<double> { 1.5, -3 }));
        QCOMPARE(b.inputs[1].tensor.strings, (std::vector<std::string> { "abc" }));
    }

    void refusesBadInferRequests()
    {
        const auto refused = [](const std::string& body, std::optional<std::size_t> header = std::nullopt) {
            return errorOf([&] { maas::engine::parseInferRequest(body, header); });
        };
        QVERIFY(refused("{\"inputs\": [").find("not JSON") != std::string::npos);
        QVERIFY(refused(R"({"inputs":[{"name":"x","shape":[3],"datatype":"FP32","data":[1,2]}]})").find("holds 2")
            != std::string::npos);
        QVERIFY(refused(R"({"inputs":[{"name":"x","shape":[1],"datatype":"INT8","data":[300]}]})").find("range")
            != std::string::npos);
        QVERIFY(refused(R"({"inputs":[{"name":"x","shape":[1],"datatype":"INT32","data":[1.5]}]})").find("fraction")
            != std::string::npos);
        QVERIFY(refused(R"({"inputs":[{"name":"x","shape":[1],"datatype":"FP32","data":[1e39]}]})")
                    .find("outside the range of FP32")
            != std::string::npos); // not silently infinite
        QVERIFY(refused(R"({"inputs":[{"name":"x","shape":[1],"datatype":"FP16","data":[70000]}]})").find("FP16")
            != std::string::npos);
        QVERIFY(refused(R"({"inputs":[{"name":"x","shape":[1],"datatype":"FP33","data":[1]}]})").find("FP33")
            != std::string::npos);
        // A shape past the limit is refused before anything is allocated.
        QVERIFY(
            refused(R"({"inputs":[{"name":"x","shape":[67108864,67108864],"datatype":"FP32","data":[]}]})").find("2^26")
            != std::string::npos);
        QVERIFY(refused("{}", 10).find("Inference-Header-Content-Length") != std::string::npos);
        QVERIFY(refused(R"({"inputs":[]})" + std::string("junk"), 13).find("binary") != std::string::npos);
        QVERIFY(
            errorOf([] { maas::engine::parseLoadRequest(R"({"parameters":{"file:1/model.pt":"!!"}})"); }).find("base64")
            != std::string::npos);
        QCOMPARE(
            maas::engine::parseLoadRequest(R"({"parameters":{"file:1/model.pt":"AAECAw=="}})").files.at("1/model.pt"),
            std::string("\0\1\2\3", 4));
    }

    void namespacesAdmissionAndUploadOwners()
    {
        QVERIFY(maas::engine::validModelName("acme~resnet"));
        for (const auto* bad : { "a~b~c", "~b", "a~", ".a~b", "a~.b", "a/b~c" })
            QVERIFY2(!maas::engine::validModelName(bad), bad);
        QCOMPARE(maas::engine::plainModelName("acme~resnet"), std::string("resnet"));
        QCOMPARE(maas::engine::plainModelName("resnet"), std::string("resnet"));

        QTemporaryDir dir;
        const auto root = dir.path().toStdString();
        std::vector<std::pair<std::string, std::int64_t>> asked;
        maas::engine::Repository repository({ root,
            [&](const std::string& name, std::int64_t bytes) {
                asked.emplace_back(name, bytes);
                if (name == "t~refused")
                    throw maas::engine::Error(maas::engine::ErrorKind::Conflict, "over the cap");
            },
            {}, {} });
        std::ifstream in(fixture("mlp.pt"), std::ios::binary);
        const std::string model((std::istreambuf_iterator<char>(in)), {});
        maas::engine::LoadRequest request;
        request.files["1/model.pt"] = model;
        repository.load("t~served", request);
        QCOMPARE(asked.back(), (std::pair<std::string, std::int64_t>("t~served", std::int64_t(model.size()))));
        QCOMPARE(repository.index().front().bytes, std::int64_t(model.size()));
        QVERIFY(!errorOf([&] { repository.load("t~refused", request); }).empty());
        QVERIFY(!std::filesystem::exists(root + "/t~refused")); // refused before anything was swapped in

        const auto id = repository.startUpload("acme");
        QCOMPARE(repository.uploadOffset("acme", id), std::int64_t(0));
        QVERIFY(errorOf([&] { repository.uploadOffset("beta", id); }).find("no upload") != std::string::npos);
        QVERIFY(!errorOf([&] { repository.appendUpload("beta", id, 0, "x"); }).empty());
        QCOMPARE(repository.appendUpload("acme", id, 0, "x"), std::int64_t(1));
    }

    void repositoryJoinsAndSplitsABatch()
    {
        QTemporaryDir dir;
        const auto root = dir.path().toStdString();
        std::filesystem::create_directories(root + "/mlp/1");
        std::filesystem::copy_file(fixture("mlp.pt"), root + "/mlp/1/model.pt");
        maas::engine::Repository repository({ root, {}, {}, {} });
        repository.loadAll();
        auto config = repository.config("mlp");
        config["dynamic_batching"] = { { "preferred_batch_size", { 3 } }, { "max_queue_delay_microseconds", 5000000 } };
        repository.load("mlp", { config.dump(), {}, {}, {} });

        // One request of 2 samples and one of 1 run as one batch of 3; each gets its own rows back.
        const auto input = maas::engine::readNpy(fixture("mlp.input.npy")); // [2, 4]
        const auto expected = maas::engine::readNpy(fixture("mlp.output.npy")).toDoubles(); // [2, 3]
        const auto request = [](const std::vector<double>& values, std::int64_t rows) {
            return json {
                { "inputs",
                    { { { "name", "x" }, { "datatype", "FP32" }, { "shape", { rows, 4 } }, { "data", values } } } }
            }.dump();
        };
        auto values = input.toDoubles();
        json both, second;
        std::thread a([&] { both = json::parse(repository.infer("mlp", "", request(values, 2), std::nullopt).body); });
        std::thread b([&] {
            second = json::parse(
                repository.infer("mlp", "", request({ values.begin() + 4, values.end() }, 1), std::nullopt).body);
        });
        a.join();
        b.join();
        QCOMPARE(both["outputs"][0]["shape"], json({ 2, 3 }));
        QCOMPARE(second["outputs"][0]["shape"], json({ 1, 3 }));
        for (std::size_t i = 0; i < 3; ++i)
            QVERIFY(std::fabs(second["outputs"][0]["data"][i].get<double>() - expected[3 + i]) < 1e-5);
        const auto stats = repository.statistics("mlp")["model_stats"][0];
        QCOMPARE(stats["execution_count"], json(1));
        QCOMPARE(stats["inference_count"], json(3));
    }
};

QTEST_GUILESS_MAIN(TestServing)
#include "tst_serving.moc"
