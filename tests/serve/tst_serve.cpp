// maas-serve as a client sees it: a real server process on loopback, real HTTP, real PyTorch models.

#include <httplib.h>

#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include <atomic>
#include <cstring>
#include <fstream>
#include <signal.h>
#include <thread>

#include <nlohmann/json.hpp>

#include "maas/engine/model.h"
#include "maas/engine/tensor.h"
#include "serve_process.h"

using nlohmann::json;

namespace {

using namespace serve_test;

// The largest difference between a JSON output's data and a tensor of PyTorch's.
double difference(const json& data, const maas::engine::Tensor& expected)
{
    const auto values = expected.toDoubles();
    if (!data.is_array() || data.size() != values.size())
        return INFINITY;
    double worst = 0;
    for (std::size_t i = 0; i < values.size(); ++i)
        worst = std::max(worst, std::fabs(data[i].get<double>() - values[i]));
    return worst;
}

json tensorJson(const std::string& name, const maas::engine::Tensor& t)
{
    return { { "name", name }, { "datatype", "FP32" }, { "shape", t.shape }, { "data", t.toDoubles() } };
}

} // namespace

class TestServe : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    std::string m_repo, m_tokens, m_admin, m_inferOnly;
    ServeProcess m_server;

    std::unique_ptr<httplib::Client> client(const std::string& token = {}) const
    {
        auto c = std::make_unique<httplib::Client>("127.0.0.1", m_server.port);
        c->set_read_timeout(120, 0);
        c->set_write_timeout(120, 0);
        if (!token.empty())
            c->set_bearer_token_auth(token);
        return c;
    }

    std::string addToken(const QString& id, const QString& scopes) const
    {
        QProcess p;
        p.start(QStringLiteral(MAAS_SERVE),
            { QStringLiteral("token"), QStringLiteral("add"), QStringLiteral("--tokens"),
                QString::fromStdString(m_tokens), QStringLiteral("--id"), id, QStringLiteral("--scope"), scopes });
        p.waitForFinished(30000);
        return p.readAllStandardOutput().trimmed().toStdString();
    }

    void place(const std::string& model, const std::string& file) const
    {
        std::filesystem::create_directories(m_repo + "/" + model + "/1");
        std::filesystem::copy_file(fixture(file), m_repo + "/" + model + "/1/model.pt");
    }

    // The answer's JSON; a missing answer or another status fails the test case.
    static json answer(const httplib::Result& res, const std::string& path, int expected)
    {
        [&] { QVERIFY2(res, ("no answer to " + path).c_str()); }();
        if (!res)
            return { { "error", "no response" } };
        if (res->status != expected)
            qWarning("%s -> %d: %s", path.c_str(), res->status, res->body.c_str());
        [&] { QCOMPARE(res->status, expected); }();
        return json::parse(res->body, nullptr, false);
    }

    json post(const std::string& path, const json& body, int expected, const std::string& token = {}) const
    {
        return answer(client(token)->Post(path.c_str(), body.dump(), "application/json"), path, expected);
    }

    json get(const std::string& path, int expected, const std::string& token = {}) const
    {
        return answer(client(token)->Get(path.c_str()), path, expected);
    }

    json cnnRequest() const
    {
        const auto input = maas::engine::readNpy(fixture("cnn.input.npy"));
        return { { "inputs", { tensorJson("x", input) } } };
    }

private Q_SLOTS:
    void initTestCase()
    {
        // A server that refuses a body answers and closes while the client may still be writing it.
        ::signal(SIGPIPE, SIG_IGN);
        QVERIFY(m_dir.isValid());
        m_repo = m_dir.filePath(QStringLiteral("repo")).toStdString();
        m_tokens = m_dir.filePath(QStringLiteral("tokens")).toStdString();
        std::filesystem::create_directories(m_repo);
        place("cnn", "cnn.pt");
        place("text", "text.pt");
        place("broken", "bad_truncated.pt");
        place("tokens", "token_transformer.pt"); // no card: one is inferred (INT64 token ids)
        std::filesystem::create_directories(m_repo + "/.staging/cnn-halfdone/1"); // a publish that was killed
        m_admin = addToken(QStringLiteral("ci"), QStringLiteral("infer,repository"));
        m_inferOnly = addToken(QStringLiteral("reader"), QStringLiteral("infer"));
        QVERIFY(m_admin.rfind("maas_", 0) == 0);
        QVERIFY(readAll(m_tokens).find(m_admin) == std::string::npos); // the file holds hashes only
        QVERIFY(
            m_server.start({ QStringLiteral("--repository"), QString::fromStdString(m_repo), QStringLiteral("--tokens"),
                QString::fromStdString(m_tokens), QStringLiteral("--max-body"), QStringLiteral("24MiB") }));
    }

    void healthAndServerMetadata()
    {
        QCOMPARE(get("/v2/health/live", 200)["live"], json(true));
        QCOMPARE(get("/v2/health/ready", 200)["ready"], json(true));
        const auto server = get("/v2", 200);
        QCOMPARE(server["name"], json("maas-serve"));
        for (const auto* e :
            { "binary_tensor_data", "classification", "model_repository", "statistics", "maas_upload" })
            QVERIFY2(std::count(server["extensions"].begin(), server["extensions"].end(), json(e)), e);
        QVERIFY(!std::filesystem::exists(m_repo + "/.staging/cnn-halfdone")); // cleaned at start
    }

    void modelMetadataAndConfig()
    {
        const auto meta = get("/v2/models/cnn", 200);
        QCOMPARE(meta["platform"], json("pytorch_libtorch"));
        QCOMPARE(meta["versions"], json({ "1" }));
        QCOMPARE(meta["inputs"][0]["name"], json("x")); // forward's argument, as Triton's PyTorch backend names it
        QCOMPARE(meta["inputs"][0]["datatype"], json("FP32"));
        QCOMPARE(meta["inputs"][0]["shape"], json({ -1, 1, 28, 28 }));
        QCOMPARE(meta["outputs"][0]["name"], json("OUTPUT__0"));
        QCOMPARE(get("/v2/models/cnn/versions/1", 200)["versions"], json({ "1" }));
        get("/v2/models/cnn/versions/7", 404);
        get("/v2/models/cnn/infer", 405); // a path of the API asked with another method than its own
        QCOMPARE(get("/v2/models/cnn/ready", 200)["ready"], json(true));
        const auto config = get("/v2/models/cnn/config", 200);
        QCOMPARE(config["max_batch_size"], json(64));
        QCOMPARE(config["input"][0]["data_type"], json("TYPE_FP32"));
        QCOMPARE(config["input"][0]["dims"], json({ 1, 28, 28 }));
        QVERIFY(config.contains("dynamic_batching"));
        QCOMPARE(get("/v2/models/text", 200)["inputs"][0]["datatype"], json("BYTES"));
    }

    void inferMatchesPyTorch()
    {
        const auto out = post("/v2/models/cnn/infer", cnnRequest(), 200);
        QCOMPARE(out["model_name"], json("cnn"));
        QCOMPARE(out["outputs"][0]["shape"], json({ 1, 10 }));
        QVERIFY(difference(out["outputs"][0]["data"], maas::engine::readNpy(fixture("cnn.output.npy"))) < 1e-4);

        const auto text = post("/v2/models/text/infer",
            { { "inputs",
                { { { "name", "texts" }, { "datatype", "BYTES" }, { "shape", { 2, 1 } },
                    { "data", { "a great movie", "awful" } } } } } },
            200);
        QVERIFY(difference(text["outputs"][0]["data"], maas::engine::readNpy(fixture("text.output.npy"))) < 1e-5);
    }

    void binaryTensorDataAndClassification()
    {
        // mobilenet_v2 from torchvision, published in one call (Triton's load with a base64 file).
        post("/v2/repository/models/mobilenet/load",
            { { "parameters", { { "file:1/model.pt", base64(readAll(fixture("mobilenet_v2.pt"))) } } } }, 200, m_admin);
        const auto input = maas::engine::readNpy(fixture("mobilenet_v2.input.npy"));
        const json header { { "inputs",
                                { { { "name", "x" }, { "datatype", "FP32" }, { "shape", input.shape },
                                    { "parameters", { { "binary_data_size", input.data.size() } } } } } },
            { "outputs", { { { "name", "OUTPUT__0" }, { "parameters", { { "binary_data", true } } } } } } };
        const auto jsonPart = header.dump();
        const std::string body = jsonPart + std::string(input.data.begin(), input.data.end());
        httplib::Headers headers { { "Inference-Header-Content-Length", std::to_string(jsonPart.size()) } };
        const auto res = client()->Post("/v2/models/mobilenet/infer", headers, body, "application/octet-stream");
        QVERIFY(res);
        QCOMPARE(res->status, 200);
        const auto length = std::stoul(res->get_header_value("Inference-Header-Content-Length"));
        const auto reply = json::parse(res->body.substr(0, length));
        const auto& out = reply["outputs"][0];
        QCOMPARE(out["shape"], json({ 2, 1000 }));
        QCOMPARE(out["parameters"]["binary_data_size"].get<std::size_t>(), std::size_t(2 * 1000 * 4));
        const auto expected = maas::engine::readNpy(fixture("mobilenet_v2.output.npy")).toDoubles();
        std::vector<float> values(expected.size()); // copied out: the data follows the JSON at any alignment
        std::memcpy(values.data(), res->body.data() + length, values.size() * sizeof(float));
        double worst = 0;
        for (std::size_t i = 0; i < expected.size(); ++i)
            worst = std::max(worst, std::fabs(values[i] - expected[i]));
        QVERIFY2(worst < 1e-3, qPrintable(QString::number(worst)));

        auto request = cnnRequest();
        request["outputs"] = { { { "name", "OUTPUT__0" }, { "parameters", { { "classification", 3 } } } } };
        const auto top = post("/v2/models/cnn/infer", request, 200)["outputs"][0];
        QCOMPARE(top["datatype"], json("BYTES"));
        QCOMPARE(top["shape"], json({ 1, 3 }));
        const auto logits = maas::engine::readNpy(fixture("cnn.output.npy")).toDoubles();
        const auto best = std::max_element(logits.begin(), logits.end()) - logits.begin();
        const std::vector<std::string> labels = { "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal",
            "Shirt", "Sneaker", "Bag", "Ankle boot" };
        const auto first = top["data"][0].get<std::string>();
        QVERIFY2(
            first.find(":" + std::to_string(best) + ":" + labels[static_cast<std::size_t>(best)]) != std::string::npos,
            first.c_str());
    }

    void badRequestsGetTheRight4xxAndTheServerGoesOn()
    {
        const auto status = [&](const std::string& path, const std::string& body, const std::string& token = {}) {
            const auto res = client(token)->Post(path.c_str(), body, "application/json");
            if (!res)
                return 0;
            const auto j = json::parse(res->body, nullptr, false);
            if (res->status >= 400 && !(j.is_object() && j.contains("error") && j["error"].is_string()))
                return -res->status; // an error without {"error": "..."}
            return res->status;
        };
        auto wrongType = cnnRequest();
        wrongType["inputs"][0]["datatype"] = "INT64";
        auto wrongShape = cnnRequest();
        wrongShape["inputs"][0]["shape"] = { 1, 1, 28, 27 };
        auto wrongName = cnnRequest();
        wrongName["inputs"][0]["name"] = "y";
        QCOMPARE(status("/v2/models/cnn/infer", "{\"inputs\": [1,"), 400);
        QCOMPARE(status("/v2/models/cnn/infer", wrongType.dump()), 400);
        QCOMPARE(status("/v2/models/cnn/infer", wrongShape.dump()), 400);
        QCOMPARE(status("/v2/models/cnn/infer", wrongName.dump()), 400);
        QCOMPARE(status("/v2/models/nothing/infer", cnnRequest().dump()), 404);
        QCOMPARE(status("/v2/models/cnn/versions/9/infer", cnnRequest().dump()), 404);
        // Over --max-body: the server answers 413 as soon as it has the headers and closes, so the client may
        // still be writing and see the connection closed instead of the answer; the log says which it was.
        const int tooLarge = status("/v2/models/cnn/infer", std::string(25 << 20, ' '));
        QVERIFY2(tooLarge == 413 || tooLarge == 0, qPrintable(QString::number(tooLarge)));
        QCOMPARE(status("/v2/repository/models/../load", "{}", m_admin), 400);
        QCOMPARE(status("/v2/repository/models/a/b/load", "{}", m_admin), 404);
        const auto load = [](const std::string& key, const std::string& value) {
            return json { { "parameters", { { key, value } } } }.dump();
        };
        QCOMPARE(status("/v2/repository/models/x/load", load("file:1/model.pt", "***"), m_admin), 400);
        QCOMPARE(status("/v2/repository/models/x/load", load("file:../1/model.pt", "AAAA"), m_admin), 400);
        QCOMPARE(status("/v2/repository/models/x/load", load("file:1/model.pt", base64("not a model")), m_admin), 400);
        QVERIFY(!std::filesystem::exists(m_repo + "/x")); // a failed publish leaves nothing
        auto twice = cnnRequest();
        twice["outputs"] = { { { "name", "OUTPUT__0" } }, { { "name", "OUTPUT__0" } } };
        QCOMPARE(status("/v2/models/cnn/infer", twice.dump()), 400);
        // Bodies whose size cannot be checked before they are read are refused; a form's body is not cut.
        httplib::Headers gzip { { "Content-Encoding", "gzip" } };
        const auto compressed = client()->Post("/v2/models/cnn/infer", gzip, cnnRequest().dump(), "application/json");
        QVERIFY(compressed && compressed->status == 415);
        const auto chunked = client()->Post(
            "/v2/models/cnn/infer",
            [](std::size_t offset, httplib::DataSink& sink) {
                if (offset == 0)
                    sink.write("{}", 2);
                else
                    sink.done();
                return true;
            },
            "application/json");
        QVERIFY(!chunked || chunked->status == 411); // answered and closed, maybe before the client finished
        const auto log = m_server.errors();
        QVERIFY2(log.contains(QStringLiteral(" 413 ")) && log.contains(QStringLiteral(" 411 ")),
            qPrintable(log.right(2000)));
        const auto form
            = client()->Post("/v2/models/cnn/infer", cnnRequest().dump(), "application/x-www-form-urlencoded");
        QVERIFY(form && form->status == 200); // what curl -d sends, past cpp-httplib's 8 KiB for forms
        QCOMPARE(status("/v2/repository/index", "{}"), 401);
        QCOMPARE(status("/v2/repository/index", "{}", "maas_wrong"), 401);
        QCOMPARE(status("/v2/repository/index", "{}", m_inferOnly), 403);
        QCOMPARE(status("/v2/repository/index", "{}", m_admin), 200);
        const auto index = post("/v2/repository/index", json::object(), 200, m_admin);
        const auto broken
            = std::find_if(index.begin(), index.end(), [](const json& e) { return e["name"] == "broken"; });
        QVERIFY(broken != index.end());
        QCOMPARE((*broken)["state"], json("UNAVAILABLE"));
        QVERIFY((*broken)["reason"].get<std::string>().size() > 10); // the engine's sentence
        post("/v2/models/cnn/infer", cnnRequest(), 200); // still serving
    }

    void aModelThatThrowsGetsA400AndTheServerGoesOn()
    {
        const auto meta = get("/v2/models/tokens", 200);
        QCOMPARE(meta["inputs"][0]["datatype"], json("INT64"));
        const auto name = meta["inputs"][0]["name"].get<std::string>();
        const auto ids = [&](std::int64_t id) {
            return json { { "inputs",
                { { { "name", name }, { "datatype", "INT64" }, { "shape", { 1, 3 } }, { "data", { 1, 2, id } } } } } };
        };
        post("/v2/models/tokens/infer", ids(3), 200);
        const auto refused = post("/v2/models/tokens/infer", ids(1'000'000), 400); // past the embedding's rows
        QVERIFY(refused["error"].get<std::string>().size() > 10);
        post("/v2/models/tokens/infer", ids(4), 200);
    }

    void publishNewVersionsAndRollBack()
    {
        const auto lenet = base64(readAll(fixture("lenet_traced.pt")));
        post("/v2/repository/models/lenet/load", { { "parameters", { { "file:1/model.pt", lenet } } } }, 200, m_admin);
        QVERIFY(std::filesystem::exists(m_repo + "/lenet/config.pbtxt"));
        QVERIFY(std::filesystem::exists(m_repo + "/lenet/1/model.pt"));
        const auto input = maas::engine::readNpy(fixture("lenet_traced.input.npy"));
        json request { { "inputs", { tensorJson("x", input) } } };
        request["inputs"][0]["name"] = get("/v2/models/lenet", 200)["inputs"][0]["name"];
        const auto out = post("/v2/models/lenet/infer", request, 200);
        QVERIFY(
            difference(out["outputs"][0]["data"], maas::engine::readNpy(fixture("lenet_traced.output.npy"))) < 1e-4);

        // Version 2 with a config: version 1 is no longer served (latest 1), then a policy brings it back.
        auto config = get("/v2/models/lenet/config", 200);
        post("/v2/repository/models/lenet/load",
            { { "parameters", { { "config", config.dump() }, { "file:2/model.pt", lenet } } } }, 200, m_admin);
        QCOMPARE(get("/v2/models/lenet", 200)["versions"], json({ "2" }));
        config["version_policy"] = { { "specific", { { "versions", { 1 } } } } };
        post("/v2/repository/models/lenet/load", { { "parameters", { { "config", config.dump() } } } }, 200, m_admin);
        QCOMPARE(get("/v2/models/lenet", 200)["versions"], json({ "1" }));
        QVERIFY(readAll(m_repo + "/lenet/config.pbtxt").find("specific") != std::string::npos);

        // A configuration that contradicts the model is refused, and what served goes on serving.
        auto wrong = config;
        wrong["input"][0]["dims"] = { 7 };
        const auto refused = post(
            "/v2/repository/models/lenet/load", { { "parameters", { { "config", wrong.dump() } } } }, 400, m_admin);
        QVERIFY(refused["error"].get<std::string>().find("[-1, 7]") != std::string::npos);
        post("/v2/models/lenet/infer", request, 200);
    }

    void aPortInUseIsRefused()
    {
        QProcess second;
        second.start(QStringLiteral(MAAS_SERVE),
            { QStringLiteral("--repository"), QString::fromStdString(m_repo), QStringLiteral("--port"),
                QString::number(m_server.port) });
        QVERIFY(second.waitForFinished(60000));
        QCOMPARE(second.exitCode(), 1);
        QVERIFY(second.readAllStandardError().contains("cannot listen"));
    }

    void aLinkedLabelsFileIsNotRead()
    {
        // Labels go to every caller: a link from the model's folder to another file must not show that file.
        // A model whose card has labels gets them written in the link's place (the link goes, not its target);
        // one whose card has none is refused.
        const auto tokensBefore = readAll(m_tokens);
        for (const auto& [name, source, status] :
            { std::tuple { "linked", "cnn", 200 }, std::tuple { "linked-nocard", "tokens", 400 } }) {
            std::filesystem::create_directories(m_repo + "/" + name + "/1");
            std::filesystem::copy_file(m_repo + "/" + source + "/1/model.pt", m_repo + "/" + name + "/1/model.pt");
            std::filesystem::create_symlink(m_tokens, m_repo + "/" + name + "/labels.txt");
            auto config = get(std::string("/v2/models/") + source + "/config", 200);
            config["name"] = name;
            config["output"][0]["label_filename"] = "labels.txt";
            const auto answer = post(std::string("/v2/repository/models/") + name + "/load",
                { { "parameters", { { "config", config.dump() } } } }, status, m_admin);
            if (status == 400)
                QVERIFY(answer["error"].get<std::string>().find("symbolic link") != std::string::npos);
            else
                QVERIFY(!std::filesystem::is_symlink(m_repo + "/" + name + "/labels.txt"));
        }
        QCOMPARE(readAll(m_tokens), tokensBefore);
    }

    void resumableUpload()
    {
        const auto bytes = readAll(fixture("cnn.pt"));
        const auto id = post("/v2/repository/uploads", json::object(), 201, m_admin)["id"].get<std::string>();
        const auto half = bytes.size() / 2;
        const auto put = [&](std::size_t offset, const std::string& chunk) {
            const auto res
                = client(m_admin)->Put(("/v2/repository/uploads/" + id + "?offset=" + std::to_string(offset)).c_str(),
                    chunk, "application/octet-stream");
            return res ? res->status : 0;
        };
        QCOMPARE(put(0, bytes.substr(0, half)), 200);
        QCOMPARE(put(0, bytes.substr(0, half)), 409); // not where the upload is
        QCOMPARE(get("/v2/repository/uploads/" + id, 200, m_admin)["offset"].get<std::size_t>(), half);
        QCOMPARE(put(half, bytes.substr(half)), 200);
        post("/v2/repository/uploads/" + id + "/commit", { { "sha256", std::string(64, '0') } }, 400, m_admin);
        // An upload not committed cannot be loaded.
        post(
            "/v2/repository/models/uploaded/load", { { "parameters", { { "upload:1/model.pt", id } } } }, 400, m_admin);
        const auto tmp = m_dir.filePath(QStringLiteral("cnn-copy.pt")).toStdString();
        std::filesystem::copy_file(fixture("cnn.pt"), tmp);
        post("/v2/repository/uploads/" + id + "/commit", { { "sha256", maas::engine::sha256File(tmp) } }, 200, m_admin);
        post(
            "/v2/repository/models/uploaded/load", { { "parameters", { { "upload:1/model.pt", id } } } }, 200, m_admin);
        QCOMPARE(maas::engine::sha256File(m_repo + "/uploaded/1/model.pt"), maas::engine::sha256File(tmp));
        post("/v2/models/uploaded/infer", cnnRequest(), 200);
        get("/v2/repository/uploads/" + id, 404, m_admin); // used up
    }

    void republishUnderLoadLosesNoRequest()
    {
        std::atomic<bool> stop { false };
        std::atomic<int> ok { 0 }, failed { 0 };
        const auto body = cnnRequest().dump();
        std::vector<std::thread> callers;
        for (int t = 0; t < 4; ++t)
            callers.emplace_back([&] {
                auto c = client();
                while (!stop) {
                    const auto res = c->Post("/v2/models/cnn/infer", body, "application/json");
                    (res && res->status == 200 ? ok : failed)++;
                }
            });
        const auto cnn = base64(readAll(fixture("cnn.pt")));
        for (int v = 2; v <= 3; ++v)
            post("/v2/repository/models/cnn/load",
                { { "parameters", { { "file:" + std::to_string(v) + "/model.pt", cnn } } } }, 200, m_admin);
        stop = true;
        for (auto& t : callers)
            t.join();
        QCOMPARE(failed.load(), 0);
        QVERIFY(ok.load() > 0);
        QCOMPARE(get("/v2/models/cnn", 200)["versions"], json({ "3" }));
    }

    void dynamicBatchingJoinsWaitingRequests()
    {
        // A long queue delay and a preferred size of 4: four requests sent together run as one batch.
        auto config = get("/v2/models/cnn/config", 200);
        config["dynamic_batching"] = { { "preferred_batch_size", { 4 } }, { "max_queue_delay_microseconds", 3000000 } };
        post("/v2/repository/models/cnn/load", { { "parameters", { { "config", config.dump() } } } }, 200, m_admin);
        std::vector<std::thread> callers;
        std::atomic<int> ok { 0 };
        for (int t = 0; t < 4; ++t)
            callers.emplace_back([&] {
                const auto res = client()->Post("/v2/models/cnn/infer", cnnRequest().dump(), "application/json");
                ok += res && res->status == 200;
            });
        for (auto& t : callers)
            t.join();
        QCOMPARE(ok.load(), 4);
        const auto stats = get("/v2/models/cnn/stats", 200)["model_stats"][0];
        QCOMPARE(stats["inference_count"], json(4));
        QCOMPARE(stats["execution_count"], json(1));
        QCOMPARE(stats["batch_stats"][0]["batch_size"], json(4));
        const auto metrics = client(addToken(QStringLiteral("prometheus"), QStringLiteral("admin")))->Get("/metrics");
        QVERIFY(metrics
            && metrics->body.find("nv_inference_request_success{model=\"cnn\",version=\"3\"} 4") != std::string::npos);
        QVERIFY(metrics->body.find("maas_request_duration_seconds_bucket") != std::string::npos);
    }

    void unloadAndLoadAgain()
    {
        post("/v2/repository/models/text/unload", json::object(), 200, m_admin);
        get("/v2/models/text/ready", 400);
        QCOMPARE(post("/v2/models/text/infer", json::object(), 503).contains("error"), true);
        post("/v2/repository/models/text/load", json::object(), 200, m_admin);
        QCOMPARE(get("/v2/models/text/ready", 200)["ready"], json(true));
    }

    void revokedTokenStopsWithoutRestart()
    {
        const auto token = addToken(QStringLiteral("temporary"), QStringLiteral("repository"));
        post("/v2/repository/index", json::object(), 200, token);
        QProcess p;
        p.start(QStringLiteral(MAAS_SERVE),
            { QStringLiteral("token"), QStringLiteral("revoke"), QStringLiteral("--tokens"),
                QString::fromStdString(m_tokens), QStringLiteral("--id"), QStringLiteral("temporary") });
        QVERIFY(p.waitForFinished(30000));
        QCOMPARE(p.exitCode(), 0);
        QTest::qWait(300);
        post("/v2/repository/index", json::object(), 401, token);
        QVERIFY(!m_server.errors().contains(QString::fromStdString(token))); // never logged
    }

    void killedMidUploadResumesAfterRestart()
    {
        QTemporaryDir dir;
        const auto repo = dir.filePath(QStringLiteral("repo"));
        std::filesystem::create_directories(repo.toStdString());
        ServeProcess first;
        QVERIFY(first.start(
            { QStringLiteral("--repository"), repo, QStringLiteral("--tokens"), QString::fromStdString(m_tokens) }));
        httplib::Client c("127.0.0.1", first.port);
        c.set_bearer_token_auth(m_admin);
        const auto bytes = readAll(fixture("lenet_traced.pt"));
        const auto started = c.Post("/v2/repository/uploads", "{}", "application/json");
        QVERIFY(started && started->status == 201);
        const auto id = json::parse(started->body)["id"].get<std::string>();
        QVERIFY(c.Put(
            ("/v2/repository/uploads/" + id + "?offset=0").c_str(), bytes.substr(0, 1000), "application/octet-stream"));
        first.signal(SIGKILL);
        QVERIFY(first.waitForExit());

        ServeProcess second;
        QVERIFY(second.start(
            { QStringLiteral("--repository"), repo, QStringLiteral("--tokens"), QString::fromStdString(m_tokens) }));
        httplib::Client d("127.0.0.1", second.port);
        d.set_bearer_token_auth(m_admin);
        const auto where = d.Get(("/v2/repository/uploads/" + id).c_str());
        QVERIFY(where && where->status == 200);
        QCOMPARE(json::parse(where->body)["offset"], json(1000));
        const auto rest = d.Put(
            ("/v2/repository/uploads/" + id + "?offset=1000").c_str(), bytes.substr(1000), "application/octet-stream");
        QVERIFY(rest && rest->status == 200);
        const auto tmp = dir.filePath(QStringLiteral("lenet.pt")).toStdString();
        std::filesystem::copy_file(fixture("lenet_traced.pt"), tmp);
        const auto commit = d.Post(("/v2/repository/uploads/" + id + "/commit").c_str(),
            json { { "sha256", maas::engine::sha256File(tmp) } }.dump(), "application/json");
        QVERIFY(commit && commit->status == 200);
        const auto load = d.Post("/v2/repository/models/lenet/load",
            json { { "parameters", { { "upload:1/model.pt", id } } } }.dump(), "application/json");
        QVERIFY(load && load->status == 200);

        // SIGTERM: the server stops and says so, with exit code 0.
        second.signal(SIGTERM);
        QVERIFY(second.waitForExit());
        QCOMPARE(second.exitCode(), 0);
    }
};

QTEST_GUILESS_MAIN(TestServe)
#include "tst_serve.moc"
