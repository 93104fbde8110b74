// maas-serve's security as a hostile client meets it: tenants kept apart, tokens and scopes, limits, slow
// clients cut off, an audit log, and tokens that never show up anywhere. A real server over real HTTP.

#include <httplib.h>

#include <QTemporaryDir>
#include <QtTest>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <thread>

#include <nlohmann/json.hpp>

#include "serve_process.h"
#include "test_certs.h"

using nlohmann::json;
using namespace serve_test;

namespace {

// One call of the matrix: what is asked, and what the right token gets.
struct Call {
    std::string method, path, body;
    int ok; ///< the status the right token gets
    bool modelSpecific; ///< names the model (another tenant's token must get what a missing model gets)
    const char* scope; ///< the scope it needs
};

httplib::Result send(httplib::Client& c, const Call& call)
{
    if (call.method == "GET")
        return c.Get(call.path.c_str());
    return c.Post(call.path.c_str(), call.body, "application/json");
}

// A raw TCP connection that sends bytes as slowly as it likes.
class Dripper {
public:
    explicit Dripper(int port)
    {
        m_fd = ::socket(AF_INET, SOCK_STREAM, 0);
        sockaddr_in a {};
        a.sin_family = AF_INET;
        a.sin_port = htons(static_cast<std::uint16_t>(port));
        a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        connected = ::connect(m_fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0;
    }
    ~Dripper() { ::close(m_fd); }
    /// Sends one byte; false once the server has closed the connection.
    bool drip(char byte) { return ::send(m_fd, &byte, 1, MSG_NOSIGNAL) == 1 && !closedByServer(); }
    void sendAll(const std::string& bytes) { ::send(m_fd, bytes.data(), bytes.size(), MSG_NOSIGNAL); }
    void receive(std::string& into, char* buffer, std::size_t size)
    {
        const auto n = ::recv(m_fd, buffer, size, MSG_DONTWAIT);
        if (n > 0)
            into.append(buffer, static_cast<std::size_t>(n));
    }
    bool closedByServer()
    {
        char buffer[256];
        const auto n = ::recv(m_fd, buffer, sizeof buffer, MSG_DONTWAIT);
        return n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK);
    }
    /// What the server sends until it closes the connection; `closed` says whether it did within `seconds`.
    std::string untilClosed(int seconds, bool& closed)
    {
        std::string all;
        char buffer[4096];
        closed = false;
        for (int i = 0; i < seconds * 50 && !closed; ++i) {
            const auto n = ::recv(m_fd, buffer, sizeof buffer, MSG_DONTWAIT);
            closed = n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK);
            if (n > 0)
                all.append(buffer, static_cast<std::size_t>(n));
            else if (!closed)
                std::this_thread::sleep_for(std::chrono::milliseconds(20));
        }
        return all;
    }
    bool connected = false;

private:
    int m_fd = -1;
};

} // namespace

class TestSecurity : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    std::string m_repo, m_tokens, m_audit;
    std::map<std::string, std::string> m_token; ///< by id
    ServeProcess m_server;

    std::string path(const char* name) const { return m_dir.filePath(QString::fromUtf8(name)).toStdString(); }

    std::string addToken(
        const std::string& tokens, const std::string& id, const std::string& tenant, const std::string& scopes) const
    {
        QStringList args { QStringLiteral("token"), QStringLiteral("add"), QStringLiteral("--tokens"),
            QString::fromStdString(tokens), QStringLiteral("--id"), QString::fromStdString(id),
            QStringLiteral("--scope"), QString::fromStdString(scopes) };
        if (!tenant.empty()) // an admin token has none: it reaches every tenant
            args << QStringLiteral("--tenant") << QString::fromStdString(tenant);
        const auto run = runServe(args);
        return QString::fromStdString(run.out).trimmed().toStdString();
    }

    std::unique_ptr<httplib::Client> client(int port, const std::string& token = {}) const
    {
        auto c = std::make_unique<httplib::Client>("127.0.0.1", port);
        c->set_read_timeout(60, 0);
        if (!token.empty())
            c->set_bearer_token_auth(token);
        return c;
    }

    static std::string loadBody(const std::string& modelFile)
    {
        return json { { "parameters", { { "file:1/model.pt", base64(readAll(fixture(modelFile))) } } } }.dump();
    }

    static std::string cnnInfer()
    {
        std::vector<float> zeros(28 * 28, 0.0f);
        return json {
            { "inputs",
                { { { "name", "x" }, { "datatype", "FP32" }, { "shape", { 1, 1, 28, 28 } }, { "data", zeros } } } }
        }.dump();
    }

    // The calls of the matrix, for the model `name`.
    static std::vector<Call> calls(const std::string& name)
    {
        const auto m = "/v2/models/" + name;
        return {
            { "GET", m, "", 200, true, "infer" },
            { "GET", m + "/versions/1", "", 200, true, "infer" },
            { "GET", m + "/ready", "", 200, true, "infer" },
            { "GET", m + "/config", "", 200, true, "infer" },
            { "GET", m + "/stats", "", 200, true, "infer" },
            { "POST", m + "/infer", cnnInfer(), 200, true, "infer" },
            { "POST", "/v2/repository/models/" + name + "/load", "", 200, true, "repository" },
            { "POST", "/v2/repository/index", "{}", 200, false, "repository" },
            { "GET", "/v2/models/stats", "", 200, false, "infer" },
            { "GET", "/metrics", "", 200, false, "admin" },
        };
    }

private Q_SLOTS:
    void initTestCase()
    {
        ::signal(SIGPIPE, SIG_IGN);
        QVERIFY(m_dir.isValid());
        m_repo = path("repo");
        m_tokens = path("tokens");
        m_audit = path("audit.log");
        std::filesystem::create_directories(m_repo + "/shared/1");
        std::filesystem::copy_file(fixture("cnn.pt"), m_repo + "/shared/1/model.pt");
        const std::vector<std::array<std::string, 3>> tokens
            = { { "acme-rw", "acme", "infer,repository" }, { "acme-infer", "acme", "infer" },
                  { "acme-repo", "acme", "repository" }, { "acme-old", "acme", "infer,repository" },
                  { "beta-rw", "beta", "infer,repository" }, { "operator", "", "admin" } };
        for (const auto& [id, tenant, scopes] : tokens) {
            m_token[id] = addToken(m_tokens, id, tenant, scopes);
            QVERIFY2(m_token[id].rfind("maas_", 0) == 0, id.c_str());
        }
        QVERIFY(m_server.start({ QStringLiteral("--repository"), QString::fromStdString(m_repo),
            QStringLiteral("--tokens"), QString::fromStdString(m_tokens), QStringLiteral("--infer-needs-token"),
            QStringLiteral("--audit-log"), QString::fromStdString(m_audit), QStringLiteral("--log-requests") }));
        // acme and beta each publish a model named "m"; acme also one named "mine".
        for (const auto& [token, model] : { std::pair { "acme-rw", "m" }, { "beta-rw", "m" }, { "acme-rw", "mine" } }) {
            const auto res = client(m_server.port, m_token[token])
                                 ->Post(("/v2/repository/models/" + std::string(model) + "/load").c_str(),
                                     loadBody("cnn.pt"), "application/json");
            QVERIFY(res);
            QCOMPARE(res->status, 200);
        }
        QVERIFY(std::filesystem::exists(m_repo + "/acme~m/1/model.pt")); // Triton's layout, a folder per tenant's model
        QVERIFY(std::filesystem::exists(m_repo + "/beta~m/1/model.pt"));
    }

    // Every call × (no token, a wrong one, a revoked one, another tenant's, one without the scope, the right one).
    void matrixKeepsTenantsApart()
    {
        // A token that works, then is revoked while the server runs: it stops working without a restart.
        QCOMPARE(client(m_server.port, m_token["acme-old"])->Get("/v2/models/mine")->status, 200);
        const auto revoked = runServe({ QStringLiteral("token"), QStringLiteral("revoke"), QStringLiteral("--tokens"),
            QString::fromStdString(m_tokens), QStringLiteral("--id"), QStringLiteral("acme-old") });
        QCOMPARE(revoked.code, 0);
        int status = 0;
        for (int i = 0; i < 50 && status != 401; ++i) {
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
            status = client(m_server.port, m_token["acme-old"])->Get("/v2/models/mine")->status;
        }
        QCOMPARE(status, 401);

        const std::string wrong = "maas_" + std::string(48, 'a');
        int checked = 0;
        for (const auto& call : calls("mine")) {
            const auto ask = [&](const std::string& token) { return send(*client(m_server.port, token), call); };
            const auto label = call.method + " " + call.path;
            QVERIFY2(ask({}) && ask({})->status == 401, label.c_str());
            QVERIFY2(ask(wrong)->status == 401, label.c_str());
            QVERIFY2(ask(m_token["acme-old"])->status == 401, label.c_str());
            const auto right = ask(m_token["acme-rw"]);
            const bool admin = std::string(call.scope) == "admin";
            QVERIFY2(right->status == (admin ? 403 : call.ok), (label + " -> " + right->body).c_str());
            const auto* lacking = std::string(call.scope) == "infer" ? "acme-repo" : "acme-infer";
            QVERIFY2(ask(m_token[lacking])->status == 403, label.c_str());
            Call named = call; // an administrator names the folder, namespace and all
            if (call.modelSpecific)
                named.path.replace(named.path.find("mine"), 4, "acme~mine");
            QVERIFY2(send(*client(m_server.port, m_token["operator"]), named)->status == call.ok, label.c_str());
            // Another tenant: a model-specific call answers as a model that does not exist, to the byte.
            const auto other = ask(m_token["beta-rw"]);
            if (call.modelSpecific) {
                Call missing = call;
                missing.path.replace(missing.path.find("mine"), 4, "nope");
                const auto absent = send(*client(m_server.port, m_token["beta-rw"]), missing);
                QVERIFY2(other->status == absent->status, label.c_str());
                auto expected = absent->body;
                for (auto at = expected.find("nope"); at != std::string::npos; at = expected.find("nope"))
                    expected.replace(at, 4, "mine");
                QVERIFY2(other->body == expected, (label + ": " + other->body + " vs " + expected).c_str());
            }
            for (const auto* body : { &right->body, &other->body })
                for (const auto& [id, token] : m_token)
                    QVERIFY2(body->find(token) == std::string::npos, (label + " shows the token of " + id).c_str());
            QVERIFY2(call.modelSpecific
                    || (other->body.find("acme") == std::string::npos && other->body.find("mine") == std::string::npos),
                (label + " tells beta about acme: " + other->body).c_str());
            ++checked;
        }
        QCOMPARE(checked, int(calls("mine").size()));
    }

    void tenantsSeeTheirOwnNames()
    {
        const auto index = [&](const std::string& token) {
            return json::parse(
                client(m_server.port, token)->Post("/v2/repository/index", "{}", "application/json")->body);
        };
        const auto names = [](const json& list) {
            std::set<std::string> out;
            for (const auto& e : list)
                out.insert(e["name"].get<std::string>());
            return out;
        };
        QCOMPARE(names(index(m_token["acme-rw"])), (std::set<std::string> { "m", "mine" }));
        QCOMPARE(names(index(m_token["beta-rw"])), (std::set<std::string> { "m" }));
        QCOMPARE(
            names(index(m_token["operator"])), (std::set<std::string> { "acme~m", "acme~mine", "beta~m", "shared" }));
        // The same name in two tenants is two models; answers name the model as its tenant does.
        const auto meta = json::parse(client(m_server.port, m_token["acme-rw"])->Get("/v2/models/m")->body);
        QCOMPARE(meta["name"], json("m"));
        const auto out = json::parse(client(m_server.port, m_token["acme-rw"])
                                         ->Post("/v2/models/m/infer", cnnInfer(), "application/json")
                                         ->body);
        QCOMPARE(out["model_name"], json("m"));
        // A tenant cannot reach around its namespace by naming another's folder.
        QCOMPARE(client(m_server.port, m_token["beta-rw"])->Get("/v2/models/acme~m")->status, 404);
        QCOMPARE(client(m_server.port, m_token["beta-rw"])->Get("/v2/models/shared")->status, 404);
        QCOMPARE(client(m_server.port, m_token["operator"])->Get("/v2/models/acme~m")->status, 200);
        // Unloading beta's "m" leaves acme's.
        QCOMPARE(client(m_server.port, m_token["beta-rw"])
                     ->Post("/v2/repository/models/m/unload", "", "application/json")
                     ->status,
            200);
        QCOMPARE(client(m_server.port, m_token["acme-rw"])->Get("/v2/models/m/ready")->status, 200);
    }

    void uploadsAreTheirTenants()
    {
        auto acme = client(m_server.port, m_token["acme-rw"]);
        auto beta = client(m_server.port, m_token["beta-rw"]);
        const auto started = acme->Post("/v2/repository/uploads", "", "application/json");
        QCOMPARE(started->status, 201);
        const auto id = json::parse(started->body)["id"].get<std::string>();
        QCOMPARE(acme->Get(("/v2/repository/uploads/" + id).c_str())->status, 200);
        const auto foreign = beta->Get(("/v2/repository/uploads/" + id).c_str());
        const auto bogus = beta->Get(("/v2/repository/uploads/" + std::string(32, 'f')).c_str());
        QCOMPARE(foreign->status, 404);
        QCOMPARE(foreign->body.size(), bogus->body.size()); // the same sentence, with another id of the same length
        QCOMPARE(beta->Put(("/v2/repository/uploads/" + id + "?offset=0").c_str(), "xyz", "application/octet-stream")
                     ->status,
            404);
        const auto load = json { { "parameters", { { "upload:1/model.pt", id } } } }.dump();
        QCOMPARE(beta->Post("/v2/repository/models/stolen/load", load, "application/json")->status, 404);
        QVERIFY(!std::filesystem::exists(m_repo + "/beta~stolen"));
    }

    void auditLogRecordsWhoDidWhat()
    {
        const auto log = readAll(m_audit);
        std::vector<json> records;
        std::istringstream lines(log);
        for (std::string line; std::getline(lines, line);)
            records.push_back(json::parse(line)); // every line is one JSON record
        const auto has = [&](const std::string& event, const std::string& token, const std::string& model) {
            return std::any_of(records.begin(), records.end(), [&](const json& r) {
                return r["event"] == event && r["token"] == token && (model.empty() || r.value("model", "") == model)
                    && r.contains("time") && r.contains("from");
            });
        };
        QVERIFY(has("load", "acme-rw", "acme~m"));
        QVERIFY(has("load", "beta-rw", "beta~m"));
        QVERIFY(has("unload", "beta-rw", "beta~m"));
        QVERIFY(has("refused", "-", "")); // no token
        QVERIFY(has("refused", "acme-infer", "")); // a scope it lacks
        QVERIFY(has("upload-start", "acme-rw", ""));
        QVERIFY(std::any_of(records.begin(), records.end(),
            [](const json& r) { return r["event"] == "tokens-changed" && r["removed"] == json({ "acme-old" }); }));
    }

    void noTokenInTheLogs()
    {
        const auto logs = m_server.errors().toStdString() + readAll(m_audit);
        QVERIFY(logs.size() > 1000);
        for (const auto& [id, token] : m_token)
            QVERIFY2(logs.find(token) == std::string::npos, ("the logs show the token of " + id).c_str());
        QVERIFY(logs.find(m_token["acme-rw"].substr(5, 12)) == std::string::npos);
    }

    void rateAndConcurrencyLimitsPerToken()
    {
        ServeProcess limited;
        QVERIFY(
            limited.start({ QStringLiteral("--repository"), QString::fromStdString(m_repo), QStringLiteral("--tokens"),
                QString::fromStdString(m_tokens), QStringLiteral("--rate"), QStringLiteral("3") }));
        auto acme = client(limited.port, m_token["acme-rw"]);
        int refused = 0, admitted = 0;
        std::string retryAfter;
        const auto began = std::chrono::steady_clock::now();
        for (int i = 0; i < 20; ++i) {
            const auto res = acme->Get("/v2/models/m");
            QVERIFY(res && (res->status == 200 || res->status == 429));
            admitted += res->status == 200;
            if (res->status == 429) {
                ++refused;
                retryAfter = res->get_header_value("Retry-After");
                QVERIFY(json::parse(res->body)["error"].get<std::string>().find("3 a second") != std::string::npos);
            }
        }
        const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - began).count();
        QVERIFY(refused >= 1);
        QVERIFY(admitted <= 3 + static_cast<int>(std::ceil(3 * seconds)) + 1); // a burst of 3, then 3 a second
        QVERIFY(!retryAfter.empty() && std::stoi(retryAfter) >= 1);
        // Another tenant's token has its own allowance.
        QCOMPARE(
            client(limited.port, m_token["beta-rw"])->Post("/v2/repository/index", "{}", "application/json")->status,
            200);
    }

    void slowClientsAreCutOff()
    {
        // Two connection workers, held by clients that send a byte every 200 ms: one of its headers, the other
        // of a body it announced as 100,000 bytes.
        ServeProcess server;
        QVERIFY(server.start(
            { QStringLiteral("--repository"), QString::fromStdString(m_repo), QStringLiteral("--http-threads"),
                QStringLiteral("2"), QStringLiteral("--header-timeout"), QStringLiteral("1") }));
        std::atomic<int> cut { 0 };
        std::vector<std::thread> drippers;
        for (int i = 0; i < 2; ++i)
            drippers.emplace_back([&, i, port = server.port] {
                Dripper d(port);
                const std::string request = i == 0
                    ? "GET /v2/health/live HTTP/1.1\r\nHost: x\r\nX-Slow: "
                    : "POST /v2/models/cnn/infer HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\n";
                if (i == 1)
                    for (const char ch : request)
                        d.drip(ch);
                for (std::size_t k = 0; d.connected && k < 200; ++k) {
                    if (!d.drip(k < request.size() && i == 0 ? request[k] : '[')) {
                        ++cut;
                        return;
                    }
                    std::this_thread::sleep_for(std::chrono::milliseconds(200));
                }
            });
        std::this_thread::sleep_for(std::chrono::milliseconds(300));
        // Served once the watchdog frees a worker; without it, this would wait for the drippers (40 s).
        auto c = client(server.port);
        c->set_read_timeout(30, 0);
        const auto res = c->Get("/v2/health/live");
        QVERIFY(res);
        QCOMPARE(res->status, 200);
        for (auto& t : drippers)
            t.join();
        QCOMPARE(cut.load(), 2);
    }

    void headsThatSmuggleOrLieAreRefused()
    {
        const auto raw = [&](const std::string& request) {
            Dripper d(m_server.port);
            d.sendAll(request); // not by drip(), which reads (and drops) what the server answers early
            std::string answer;
            char buffer[4096];
            for (int i = 0; i < 100 && answer.find("\r\n\r\n") == std::string::npos; ++i) {
                std::this_thread::sleep_for(std::chrono::milliseconds(20));
                d.receive(answer, buffer, sizeof buffer);
            }
            return answer.substr(0, 12);
        };
        const std::string head
            = "POST /v2/models/mine/infer HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + m_token["acme-rw"] + "\r\n";
        QCOMPARE(raw(head + "Content-Length: 0\r\nContent-Length: 5\r\n\r\nhello"), std::string("HTTP/1.1 400"));
        QCOMPARE(raw(head + "Content-Length: 0x10\r\n\r\n"), std::string("HTTP/1.1 400"));
        QCOMPARE(raw(head + "Authorization: Bearer " + m_token["beta-rw"] + "\r\nContent-Length: 0\r\n\r\n"),
            std::string("HTTP/1.1 400"));
        // A body past the limit is refused at once, unread.
        QCOMPARE(raw(head + "Content-Length: 999999999999\r\n\r\n"), std::string("HTTP/1.1 413"));
        std::string many = "GET /v2 HTTP/1.1\r\nHost: x\r\n";
        for (int i = 0; i < 150; ++i)
            many += "X-" + std::to_string(i) + ": y\r\n";
        QCOMPARE(raw(many + "\r\n"), std::string("HTTP/1.1 431"));
    }

    // A request refused on its head ends its connection: the body it was not read for (here a whole request
    // of its own, as a proxy that read the head otherwise would pass it on) is never served as the next one.
    void refusedRequestsEndTheirConnection()
    {
        const std::string smuggled = "GET /v2/health/live HTTP/1.1\r\nHost: x\r\n\r\n";
        const auto length = "Content-Length: " + std::to_string(smuggled.size()) + "\r\n";
        const std::string post = "POST /v2/models/mine/infer HTTP/1.1\r\nHost: x\r\n";
        const std::vector<std::pair<std::string, std::string>> refused {
            { post + length + length + "\r\n", "400" }, { post + length + "Content-Encoding: gzip\r\n\r\n", "415" },
            { post + "Content-Length : 3\r\n" + length + "\r\n", "400" },
            { post + length + "Inference-Header-Content-Length: 1\r\nInference-Header-Content-Length: 2\r\n\r\n",
                "400" },
            { "GET /v2/health/live HTTP/1.1\r\nHost: x\r\n" + length + "\r\n", "400" }, // a GET's body is not read
            { "PATCH /v2 HTTP/1.1\r\nHost: x\r\n\r\n", "405" }, // cpp-httplib would read its body to the end
        };
        for (const auto& [head, status] : refused) {
            Dripper d(m_server.port);
            d.sendAll(head + smuggled);
            bool closed = false;
            const auto answers = d.untilClosed(10, closed);
            QVERIFY2(closed, head.c_str());
            QCOMPARE(answers.substr(0, 12), "HTTP/1.1 " + status);
            QVERIFY2(answers.find("HTTP/1.1", 1) == std::string::npos, answers.c_str()); // one answer only
        }
    }

    void tokenCommandRefusesMistakes()
    {
        const auto admin = runServe({ QStringLiteral("token"), QStringLiteral("add"), QStringLiteral("--tokens"),
            QString::fromStdString(path("other-tokens")), QStringLiteral("--id"), QStringLiteral("x"),
            QStringLiteral("--tenant"), QStringLiteral("acme"), QStringLiteral("--scope"), QStringLiteral("admin") });
        QVERIFY2(admin.code == 2 && admin.err.find("takes no --tenant") != std::string::npos, admin.err.c_str());
        const auto twice = runServe({ QStringLiteral("token"), QStringLiteral("add"), QStringLiteral("--tokens"),
            QString::fromStdString(path("other-tokens")), QStringLiteral("--id"), QStringLiteral("x"),
            QStringLiteral("--scope"), QStringLiteral("infer"), QStringLiteral("--scope"), QStringLiteral("admin") });
        QVERIFY2(twice.code == 2 && twice.err.find("twice") != std::string::npos, twice.err.c_str());
        QVERIFY(!std::filesystem::exists(path("other-tokens")));
    }

    // root adding a token to the packaged service's file (owned by its user) keeps that user the owner:
    // the file is rewritten whole, and the service must still read it.
    void tokenFileKeepsItsOwner()
    {
        if (::geteuid() != 0)
            QSKIP("only root can give a file to another user");
        const auto tokens = path("service-tokens");
        addToken(tokens, "first", "", "infer");
        QCOMPARE(::chown(tokens.c_str(), 65534, 65534), 0); // nobody
        QVERIFY(!addToken(tokens, "second", "", "repository").empty());
        struct stat st { };
        QCOMPARE(::stat(tokens.c_str(), &st), 0);
        QCOMPARE(st.st_uid, uid_t(65534));
        QCOMPARE(st.st_gid, gid_t(65534));
        QCOMPARE(st.st_mode & 0777, mode_t(0600));
    }

    void tenantMemoryCapIsCheckedAtLoad()
    {
        const auto bytes = std::filesystem::file_size(fixture("cnn.pt"));
        const auto repo = path("capped-repo");
        std::filesystem::create_directories(repo);
        ServeProcess capped;
        QVERIFY(capped.start({ QStringLiteral("--repository"), QString::fromStdString(repo), QStringLiteral("--tokens"),
            QString::fromStdString(m_tokens), QStringLiteral("--tenant-memory"), QString::number(bytes * 5 / 2) }));
        auto beta = client(capped.port, m_token["beta-rw"]);
        QCOMPARE(beta->Post("/v2/repository/models/one/load", loadBody("cnn.pt"), "application/json")->status, 200);
        QCOMPARE(beta->Post("/v2/repository/models/two/load", loadBody("cnn.pt"), "application/json")->status, 200);
        const auto third = beta->Post("/v2/repository/models/three/load", loadBody("cnn.pt"), "application/json");
        QCOMPARE(third->status, 409);
        QVERIFY2(
            json::parse(third->body)["error"].get<std::string>().find("cap") != std::string::npos, third->body.c_str());
        QVERIFY(!std::filesystem::exists(repo + "/beta~three")); // nothing written
        // Another tenant's allowance is its own.
        QCOMPARE(client(capped.port, m_token["acme-rw"])
                     ->Post("/v2/repository/models/extra/load", loadBody("cnn.pt"), "application/json")
                     ->status,
            200);
    }

    // Python's ssl module against the server: "<version> <CN> <status line>" or "refused ...".
    static std::string tlsClient(
        int port, const std::string& ca, const std::string& cert = "-", const std::string& key = "-", bool old = false)
    {
        QProcess p;
        QStringList args { QStringLiteral(MAAS_SOURCE_DIR "/tests/serve/tls_client.py"), QString::number(port),
            QString::fromStdString(ca), QString::fromStdString(cert), QString::fromStdString(key) };
        if (old)
            args << QStringLiteral("old");
        p.start(QStringLiteral(MAAS_PYTHON), args);
        p.waitForFinished(60000);
        return QString::fromUtf8(p.readAllStandardOutput()).trimmed().toStdString();
    }

    QStringList tlsArgs(const std::string& name) const
    {
        return { QStringLiteral("--repository"), QString::fromStdString(m_repo), QStringLiteral("--tls-cert"),
            QString::fromStdString(path((name + ".crt").c_str())), QStringLiteral("--tls-key"),
            QString::fromStdString(path((name + ".key").c_str())) };
    }

    void tlsWithTheTestCa()
    {
        const auto ca = issue("test CA", nullptr, true);
        ca.write(path("ca.crt"), path("ca.key"));
        issue("server-a", &ca, false).write(path("server.crt"), path("server.key"));
        ServeProcess server;
        QVERIFY(server.start(tlsArgs("server")));
        const auto answer = tlsClient(server.port, path("ca.crt"));
        QVERIFY2(answer.rfind("TLSv1.", 0) == 0 && answer.find("server-a HTTP/1.1 200") != std::string::npos,
            answer.c_str());
        QVERIFY2(answer.rfind("TLSv1.2", 0) == 0 || answer.rfind("TLSv1.3", 0) == 0, answer.c_str());
        const auto old = tlsClient(server.port, path("ca.crt"), "-", "-", true);
        QVERIFY2(old.rfind("refused", 0) == 0, old.c_str()); // TLS 1.1 and older are refused
        // Another CA's client does not trust it; a plain HTTP client gets no answer.
        issue("stranger CA", nullptr, true).write(path("stranger.crt"), path("stranger.key"));
        QVERIFY(tlsClient(server.port, path("stranger.crt")).rfind("refused", 0) == 0);
        httplib::Client plain("127.0.0.1", server.port);
        plain.set_read_timeout(10, 0);
        const auto res = plain.Get("/v2/health/live");
        QVERIFY(!res || res->status != 200);

        // SIGHUP reads the files again: new connections get the new certificate.
        issue("server-b", &ca, false).write(path("server.crt"), path("server.key"));
        server.signal(SIGHUP);
        std::string now;
        for (int i = 0; i < 50 && now.find("server-b") == std::string::npos; ++i) {
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
            now = tlsClient(server.port, path("ca.crt"));
        }
        QVERIFY2(now.find("server-b HTTP/1.1 200") != std::string::npos, now.c_str());
        // A reload that fails (a key of another certificate) keeps what the server had, and says why.
        const auto other = issue("server-c", &ca, false);
        Issued mismatched { issue("server-d", &ca, false).cert, other.key };
        mismatched.write(path("server.crt"), path("server.key"));
        server.signal(SIGHUP);
        std::this_thread::sleep_for(std::chrono::milliseconds(500));
        QVERIFY(tlsClient(server.port, path("ca.crt")).find("server-b HTTP/1.1 200") != std::string::npos);
        QVERIFY2(server.errors().contains(QStringLiteral("does not match")), qPrintable(server.errors()));
    }

    void mutualTlsRefusesClientsWithoutACertificate()
    {
        const auto ca = issue("test CA 2", nullptr, true);
        ca.write(path("ca2.crt"), path("ca2.key"));
        issue("server-m", &ca, false).write(path("mserver.crt"), path("mserver.key"));
        issue("client", &ca, false).write(path("client.crt"), path("client.key"));
        const auto stranger = issue("stranger CA 2", nullptr, true);
        issue("intruder", &stranger, false).write(path("intruder.crt"), path("intruder.key"));
        ServeProcess server;
        QVERIFY(server.start(tlsArgs("mserver")
            + QStringList { QStringLiteral("--tls-client-ca"), QString::fromStdString(path("ca2.crt")) }));
        const auto without = tlsClient(server.port, path("ca2.crt"));
        QVERIFY2(without.rfind("refused", 0) == 0, without.c_str());
        const auto intruder = tlsClient(server.port, path("ca2.crt"), path("intruder.crt"), path("intruder.key"));
        QVERIFY2(intruder.rfind("refused", 0) == 0, intruder.c_str());
        const auto client = tlsClient(server.port, path("ca2.crt"), path("client.crt"), path("client.key"));
        QVERIFY2(client.find("server-m HTTP/1.1 200") != std::string::npos, client.c_str());
    }

    void badTlsFilesStopTheStart()
    {
        const auto ca = issue("test CA 3", nullptr, true);
        issue("expired", &ca, false, -30, -1).write(path("expired.crt"), path("expired.key"));
        const auto a = issue("a", &ca, false);
        const auto b = issue("b", &ca, false);
        Issued { a.cert, b.key }.write(path("mismatch.crt"), path("mismatch.key"));
        std::ofstream(path("junk.crt")) << "not a certificate\n";
        std::ofstream(path("junk.key")) << "not a key\n";
        const std::vector<std::pair<std::string, std::string>> cases
            = { { "expired", "has expired" }, { "mismatch", "does not match" }, { "junk", "not a PEM certificate" } };
        for (const auto& [name, sentence] : cases) {
            const auto run = runServe(tlsArgs(name) + QStringList { QStringLiteral("--port"), QStringLiteral("0") });
            QVERIFY2(run.code == 1 && run.err.find(sentence) != std::string::npos, (name + ": " + run.err).c_str());
            QCOMPARE(std::count(run.err.begin(), run.err.end(), '\n'), std::ptrdiff_t(1)); // one sentence
        }
    }

    void modelsEncryptedAtRest()
    {
        const auto repo = path("sealed-repo");
        for (const auto* model : { "cnn", "tampered" }) {
            std::filesystem::create_directories(repo + "/" + model + "/1");
            std::filesystem::copy_file(fixture("cnn.pt"), repo + "/" + model + "/1/model.pt");
        }
        const auto key = path("at-rest.key");
        std::ofstream(key, std::ios::binary) << std::string("0123456789abcdef0123456789abcdef");
        const auto sealed = runServe({ QStringLiteral("seal"), QStringLiteral("--repository"),
            QString::fromStdString(repo), QStringLiteral("--at-rest-key"), QString::fromStdString(key) });
        QVERIFY2(sealed.code == 0 && sealed.err.find("sealed 2") != std::string::npos, sealed.err.c_str());
        const auto plain = readAll(fixture("cnn.pt"));
        const auto stored = readAll(repo + "/cnn/1/model.pt");
        QVERIFY(stored.rfind("MAASGCM1", 0) == 0);
        QVERIFY(stored.find(plain.substr(plain.size() / 2, 64)) == std::string::npos); // no weights in the clear
        // A sealed file copied over another model's is refused as a changed one: its name is under the tag.
        std::filesystem::create_directories(repo + "/moved/1");
        std::filesystem::copy_file(repo + "/cnn/1/model.pt", repo + "/moved/1/model.pt");
        auto tampered = readAll(repo + "/tampered/1/model.pt");
        tampered[tampered.size() / 2] ^= 1;
        std::ofstream(repo + "/tampered/1/model.pt", std::ios::binary) << tampered;

        ServeProcess server;
        QVERIFY(server.start({ QStringLiteral("--repository"), QString::fromStdString(repo), QStringLiteral("--tokens"),
            QString::fromStdString(m_tokens), QStringLiteral("--at-rest-key"), QString::fromStdString(key) }));
        auto admin = client(server.port, m_token["operator"]);
        QCOMPARE(admin->Post("/v2/models/cnn/infer", cnnInfer(), "application/json")->status, 200);
        const auto index = json::parse(admin->Post("/v2/repository/index", "{}", "application/json")->body);
        for (const auto* name : { "tampered", "moved" }) {
            const auto broken
                = std::find_if(index.begin(), index.end(), [&](const json& e) { return e["name"] == name; });
            QVERIFY2(broken != index.end() && (*broken)["state"] == "UNAVAILABLE", name);
            QVERIFY2((*broken)["reason"].get<std::string>().find("failed its integrity check") != std::string::npos,
                broken->dump().c_str());
        }
        // What is published through the server is stored sealed too.
        QCOMPARE(admin->Post("/v2/repository/models/fresh/load", loadBody("cnn.pt"), "application/json")->status, 200);
        QVERIFY(readAll(repo + "/fresh/1/model.pt").rfind("MAASGCM1", 0) == 0);

        // A plain copy for Triton only when asked for in so many words.
        const auto refused = runServe({ QStringLiteral("export"), QStringLiteral("--repository"),
            QString::fromStdString(repo), QStringLiteral("--at-rest-key"), QString::fromStdString(key),
            QStringLiteral("--to"), QString::fromStdString(path("exported")) });
        QVERIFY(refused.code != 0 && !std::filesystem::exists(path("exported")));
        std::filesystem::remove_all(repo + "/tampered");
        std::filesystem::remove_all(repo + "/moved");
        const auto exported = runServe({ QStringLiteral("export"), QStringLiteral("--repository"),
            QString::fromStdString(repo), QStringLiteral("--at-rest-key"), QString::fromStdString(key),
            QStringLiteral("--to"), QString::fromStdString(path("exported")), QStringLiteral("--plain") });
        QVERIFY2(exported.code == 0, exported.err.c_str());
        QVERIFY(readAll(path("exported") + "/cnn/1/model.pt") == plain);
        QVERIFY(std::filesystem::exists(path("exported") + "/cnn/config.pbtxt"));

        // A key of the wrong size stops the start with one sentence.
        std::ofstream(path("short.key"), std::ios::binary) << std::string(31, 'k');
        const auto bad
            = runServe({ QStringLiteral("--repository"), QString::fromStdString(repo), QStringLiteral("--at-rest-key"),
                QString::fromStdString(path("short.key")), QStringLiteral("--port"), QStringLiteral("0") });
        QVERIFY2(bad.code == 1 && bad.err.find("holds 31 bytes") != std::string::npos, bad.err.c_str());
    }

    void badTokensFileStopsTheStart()
    {
        const auto file = path("bad-tokens");
        std::ofstream(file) << "# comment\nok default infer 00 " << std::string(64, 'a') << "\nbroken line\n";
        const auto run = runServe({ QStringLiteral("--repository"), QString::fromStdString(m_repo),
            QStringLiteral("--tokens"), QString::fromStdString(file), QStringLiteral("--port"), QStringLiteral("0") });
        QVERIFY(run.code != 0);
        QVERIFY2(run.err.find("line 3") != std::string::npos, run.err.c_str());
        std::ofstream(file) << "a acme infer 00 " << std::string(64, 'a') << "\nb beta admin 00 "
                            << std::string(64, 'a') << "\n";
        const auto copied = runServe({ QStringLiteral("--repository"), QString::fromStdString(m_repo),
            QStringLiteral("--tokens"), QString::fromStdString(file), QStringLiteral("--port"), QStringLiteral("0") });
        QVERIFY2(copied.code != 0 && copied.err.find("twice (line 2)") != std::string::npos, copied.err.c_str());
        std::ofstream(file) << "x bad/tenant infer 00 " << std::string(64, 'a') << "\n";
        const auto tenant = runServe({ QStringLiteral("--repository"), QString::fromStdString(m_repo),
            QStringLiteral("--tokens"), QString::fromStdString(file), QStringLiteral("--port"), QStringLiteral("0") });
        QVERIFY(tenant.code != 0);
        QVERIFY2(tenant.err.find("tenant") != std::string::npos, tenant.err.c_str());
    }
};

QTEST_GUILESS_MAIN(TestSecurity)
#include "tst_security.moc"
