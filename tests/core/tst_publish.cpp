// The endpoint client (app/core) against a real maas-serve over loopback: publish, verify, infer,
// unload, republish, roll back; and the faults a network has, injected by a proxy in between.
#include <QDir>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QtTest>

#include "../serve/serve_process.h"
#include "../serve/test_certs.h"
#include "fault_proxy.h"
#include "maas/app/endpoints.h"
#include "maas/app/localendpoint.h"
#include "maas/app/publish.h"
#include "maas/app/remote.h"
#include "maas/engine/error.h"
#include "maas/engine/inputs.h"
#include "maas/engine/model.h"

using maas::app::Endpoint;
using maas::app::RemoteClient;
using maas::engine::Error;
using maas::engine::ErrorKind;
using serve_test::fixture;

namespace {

QString qfixture(const char* name) { return QString::fromStdString(fixture(name)); }

// A maas-serve with a tokens file holding one repository+infer token, on a repository of its own.
struct Served {
    QTemporaryDir dir;
    serve_test::ServeProcess process;
    QString token;

    explicit Served(const QStringList& extra = {})
    {
        const auto tokens = dir.filePath(QStringLiteral("tokens"));
        token = QString::fromStdString(
            serve_test::runServe({ QStringLiteral("token"), QStringLiteral("add"), QStringLiteral("--tokens"), tokens,
                                     QStringLiteral("--id"), QStringLiteral("ci"), QStringLiteral("--scope"),
                                     QStringLiteral("infer,repository") })
                .out)
                    .trimmed();
        QDir(dir.path()).mkpath(QStringLiteral("repository"));
        process.start(QStringList { QStringLiteral("--repository"), dir.filePath(QStringLiteral("repository")),
                          QStringLiteral("--tokens"), tokens }
            + extra);
    }
    Endpoint endpoint(int port = 0) const
    {
        Endpoint e;
        e.name = QStringLiteral("test");
        e.url = QStringLiteral("http://127.0.0.1:%1").arg(port ? port : process.port);
        return e;
    }
};

maas::app::RemoteOptions quick()
{
    maas::app::RemoteOptions o;
    o.retries = 3;
    o.backoffMs = 20;
    o.timeoutMs = 20'000;
    return o;
}

QString stateOf(RemoteClient& client, const QString& name, QString* version = nullptr)
{
    for (const auto& m : client.index())
        if (m.name == name) {
            if (version)
                *version = m.version;
            return m.state;
        }
    return {};
}

// Runs `work`, which must throw an Error of `kind` whose sentence holds `words`; returns the sentence.
template <typename Work> QString failure(Work work, ErrorKind kind, const QString& words)
{
    try {
        work();
    } catch (const Error& e) {
        const auto what = QString::fromUtf8(e.what());
        if (e.kind() != kind || !what.contains(words))
            qWarning("unexpected failure: %s", e.what());
        return e.kind() == kind && what.contains(words) ? what : QString();
    }
    return {};
}

} // namespace

class TestPublish : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); }
    void publishVerifyInferRollBack();
    void textModelAnswersLikeTheSeedExample();
    void base64LoadWhenAsked();
    void anotherModelUnderTheSameName();
    void failedVerificationServesThePreviousVersion();
    void serverNotRunning();
    void wrongTokenIsNamedNotShown();
    void serverErrorsAreRetried();
    void droppedConnectionResumesTheUpload();
    void slowServerTimesOut();
    void certificateThatDoesNotMatch();
    void badConfigIsRefusedBeforeSending();
    void endpointsAndSecrets();
    void exportsATritonFolder();
};

void TestPublish::publishVerifyInferRollBack()
{
    Served s;
    QVERIFY(s.process.port > 0);
    RemoteClient client(s.endpoint(), s.token, quick());
    QVERIFY(client.live());
    maas::app::PublishOptions options;
    options.name = QStringLiteral("fashion");
    std::vector<double> fractions;
    const auto first = maas::app::publish(
        client, qfixture("cnn.pt"), options, [&](const maas::engine::Progress& p) { fractions.push_back(p.fraction); });
    QCOMPARE(first.version, qint64(1));
    QCOMPARE(first.method, QStringLiteral("upload"));
    QVERIFY(first.verified);
    QVERIFY2(first.passed, qPrintable(QString::number(first.maxDifference)));
    QVERIFY(first.maxDifference <= first.tolerance);
    QVERIFY(!first.samples.isEmpty() && !first.samples.front().remote.isEmpty());
    QCOMPARE(first.samples.front().local.section(QLatin1Char(' '), 0, 0),
        first.samples.front().remote.section(QLatin1Char(' '), 0, 0));
    QVERIFY(std::is_sorted(fractions.begin(), fractions.end()));
    QCOMPARE(fractions.back(), 1.0);
    QCOMPARE(QString::fromStdString(first.config.value("platform", "")), QStringLiteral("pytorch_libtorch"));
    QCOMPARE(stateOf(client, QStringLiteral("fashion")), QStringLiteral("READY"));

    // The model answers remotely with the card's labels, from an image prepared as its card says.
    const auto answer
        = maas::app::remoteInfer(client, QStringLiteral("fashion"), { qfixture("cnn.image.png") }, false, 3);
    QCOMPARE(answer.samples.size(), 1);
    QCOMPARE(answer.samples.front().classes.size(), 3);
    const auto labels = maas::engine::Model::load(fixture("cnn.pt")).card().labels;
    const auto top = answer.samples.front().classes.front();
    QVERIFY(std::find(labels.begin(), labels.end(), top.first.toStdString()) != labels.end());
    QVERIFY(top.second > 0 && top.second <= 1);
    QVERIFY(answer.roundTripMs > 0);

    // The same file again: nothing is sent, the version stays.
    const auto again = maas::app::publish(client, qfixture("cnn.pt"), options);
    QVERIFY(again.unchanged);
    QCOMPARE(again.version, qint64(1));

    // A new version on request, then the first one served again.
    options.newVersion = true;
    QCOMPARE(maas::app::publish(client, qfixture("cnn.pt"), options).version, qint64(2));
    QString version;
    QCOMPARE(stateOf(client, QStringLiteral("fashion"), &version), QStringLiteral("READY"));
    QCOMPARE(version, QStringLiteral("2"));
    QCOMPARE(maas::app::publishedVersions(*client.config(QStringLiteral("fashion"))).size(), 2);
    maas::app::rollback(client, QStringLiteral("fashion"), 1);
    QCOMPARE(stateOf(client, QStringLiteral("fashion"), &version), QStringLiteral("READY"));
    QCOMPARE(version, QStringLiteral("1"));
    QVERIFY(!failure([&] { maas::app::rollback(client, QStringLiteral("fashion"), 9); }, ErrorKind::NotFound,
        QStringLiteral("has no version 9"))
                 .isEmpty());

    // Unloaded, then published again: the file is there as version 1, so it is served, not sent.
    client.unload(QStringLiteral("fashion"));
    QCOMPARE(stateOf(client, QStringLiteral("fashion")), QStringLiteral("UNAVAILABLE"));
    options.newVersion = false;
    const auto back = maas::app::publish(client, qfixture("cnn.pt"), options);
    QVERIFY(back.unchanged);
    QCOMPARE(stateOf(client, QStringLiteral("fashion"), &version), QStringLiteral("READY"));
    QVERIFY(back.passed);
}

void TestPublish::textModelAnswersLikeTheSeedExample()
{
    Served s;
    RemoteClient client(s.endpoint(), s.token, quick());
    maas::app::PublishOptions options;
    const auto published = maas::app::publish(client, qfixture("text.pt"), options);
    QCOMPARE(published.name, QStringLiteral("text"));
    QVERIFY(published.passed);
    const auto answer = maas::app::remoteInfer(
        client, QStringLiteral("text"), { QStringLiteral("I love machine learning!") }, false, 2);
    QCOMPARE(answer.samples.size(), 1);
    QCOMPARE(answer.samples.front().source, QStringLiteral("I love machine learning!"));
    const auto local = maas::engine::Model::load(fixture("text.pt"));
    const auto labels = local.card().labels;
    const auto& best = answer.samples.front().classes.front();
    QVERIFY(std::find(labels.begin(), labels.end(), best.first.toStdString()) != labels.end());
    // The same probabilities as the model gives here.
    const auto here = maas::engine::topClasses(
        local.predict({ maas::engine::Tensor::fromStrings({ "I love machine learning!" }) }).front(), 2);
    QCOMPARE(best.first.toStdString(), labels[std::size_t(here.front().front().index)]);
    QVERIFY(std::abs(best.second - here.front().front().score) < 1e-4);
}

void TestPublish::base64LoadWhenAsked()
{
    Served s;
    RemoteClient client(s.endpoint(), s.token, quick());
    maas::app::PublishOptions options;
    options.forceBase64 = true;
    const auto r = maas::app::publish(client, qfixture("mlp.pt"), options);
    QCOMPARE(r.method, QStringLiteral("load"));
    QVERIFY(r.passed);
    QCOMPARE(stateOf(client, QStringLiteral("mlp")), QStringLiteral("READY"));
}

// A different model published under a name: its own labels answer, a version is never replaced by another
// file, and a changed config alone is a new version.
void TestPublish::anotherModelUnderTheSameName()
{
    Served s;
    RemoteClient client(s.endpoint(), s.token, quick());
    maas::app::PublishOptions options;
    options.name = QStringLiteral("lab");
    QCOMPARE(maas::app::publish(client, qfixture("text.pt"), options).version, qint64(1));
    QCOMPARE(maas::app::publish(client, qfixture("mlp.pt"), options).version, qint64(2));
    const auto answer
        = maas::app::remoteInfer(client, QStringLiteral("lab"), { QStringLiteral("5.1,3.5,1.4,0.2") }, true, 3);
    const auto labels = maas::engine::Model::load(fixture("mlp.pt")).card().labels;
    QVERIFY(!labels.empty());
    for (const auto& [label, p] : answer.samples.front().classes)
        QVERIFY2(std::find(labels.begin(), labels.end(), label.toStdString()) != labels.end(), qPrintable(label));
    options.version = 1; // version 1 is the text model: not replaced
    QVERIFY(!failure([&] { maas::app::publish(client, qfixture("mlp.pt"), options); }, ErrorKind::Conflict,
        QStringLiteral("is another model or config"))
                 .isEmpty());
    options.version.reset();
    options.maxBatchSize = 8; // the same file with another config: a new version
    const auto changed = maas::app::publish(client, qfixture("mlp.pt"), options);
    QVERIFY(!changed.unchanged);
    QCOMPARE(changed.version, qint64(3));
    QCOMPARE(changed.config.value("max_batch_size", 0), 8);
}

// A model whose answers change from call to call (it adds noise) fails the verification: the version
// served before serves again, with its own config and labels.
void TestPublish::failedVerificationServesThePreviousVersion()
{
    QTemporaryDir dir;
    const auto noisy = dir.filePath(QStringLiteral("noisy.pt"));
    // TorchScript reads a module's source, so the script is a file.
    const auto script = dir.filePath(QStringLiteral("noisy.py"));
    QFile file(script);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(R"PY(
import json, sys, torch
class Noisy(torch.nn.Module):
    def forward(self, features):
        return features[:, :3] + torch.rand(features.shape[0], 3)
card = {"name": "noisy", "task": "classification", "labels": ["a", "b", "c"],
        "inputs": [{"name": "features", "datatype": "FP32", "shape": [-1, 4]}],
        "outputs": [{"name": "logits", "datatype": "FP32", "shape": [-1, 3]}]}
torch.jit.save(torch.jit.script(Noisy()), sys.argv[1], _extra_files={"card.json": json.dumps(card)})
)PY");
    file.close();
    QProcess python;
    python.start(QStringLiteral(MAAS_PYTHON), { script, noisy });
    QVERIFY2(python.waitForFinished(120000) && python.exitCode() == 0, python.readAllStandardError().constData());
    Served s;
    RemoteClient client(s.endpoint(), s.token, quick());
    maas::app::PublishOptions options;
    options.name = QStringLiteral("iris");
    QVERIFY(maas::app::publish(client, qfixture("mlp.pt"), options).passed);
    auto config = maas::app::publishConfig(noisy, options.name);
    config["parameters"]["maas.optimize"] = { { "string_value", "false" } }; // served as it is: noise and all
    options.config = config;
    const auto r = maas::app::publish(client, noisy, options);
    QVERIFY(r.verified);
    QVERIFY(!r.passed);
    QCOMPARE(r.version, qint64(2));
    QCOMPARE(r.restored, qint64(1));
    QString version;
    QCOMPARE(stateOf(client, QStringLiteral("iris"), &version), QStringLiteral("READY"));
    QCOMPARE(version, QStringLiteral("1"));
    const auto answer
        = maas::app::remoteInfer(client, QStringLiteral("iris"), { QStringLiteral("5.1,3.5,1.4,0.2") }, true, 3);
    const auto labels = maas::engine::Model::load(fixture("mlp.pt")).card().labels;
    for (const auto& [label, p] : answer.samples.front().classes)
        QVERIFY2(std::find(labels.begin(), labels.end(), label.toStdString()) != labels.end(), qPrintable(label));
}

void TestPublish::serverNotRunning()
{
    Endpoint e;
    e.name = QStringLiteral("gone");
    e.url = QStringLiteral("http://127.0.0.1:9"); // discard: nothing listens
    RemoteClient client(e, QStringLiteral("secret-token"), quick());
    const auto why = failure([&] { maas::app::publish(client, qfixture("mlp.pt"), {}); }, ErrorKind::Unavailable,
        QStringLiteral("cannot reach gone"));
    QVERIFY(!why.isEmpty());
    QVERIFY(!why.contains(QStringLiteral("secret-token")));
}

void TestPublish::wrongTokenIsNamedNotShown()
{
    Served s;
    RemoteClient client(s.endpoint(), QStringLiteral("not-the-token"), quick());
    const auto why = failure([&] { client.index(); }, ErrorKind::InvalidInput, QStringLiteral("(401)"));
    QVERIFY(!why.isEmpty());
    QVERIFY(!why.contains(QStringLiteral("not-the-token")));
    QVERIFY(!s.process.errors().contains(QStringLiteral("not-the-token")));
    // Nothing half-published: the repository is as empty as it was.
    RemoteClient good(s.endpoint(), s.token, quick());
    QVERIFY(good.index().isEmpty());
    // A token without the repository scope: 403, named, and nothing published.
    const auto inferOnly = QString::fromStdString(
        serve_test::runServe({ QStringLiteral("token"), QStringLiteral("add"), QStringLiteral("--tokens"),
                                 s.dir.filePath(QStringLiteral("tokens")), QStringLiteral("--id"),
                                 QStringLiteral("reader"), QStringLiteral("--scope"), QStringLiteral("infer") })
            .out)
                               .trimmed();
    RemoteClient reader(s.endpoint(), inferOnly, quick());
    QVERIFY(!failure(
        [&] { maas::app::publish(reader, qfixture("mlp.pt"), {}); }, ErrorKind::InvalidInput, QStringLiteral("(403)"))
                 .isEmpty());
    QVERIFY(good.index().isEmpty());
}

void TestPublish::serverErrorsAreRetried()
{
    Served s;
    publish_test::FaultProxy proxy(s.process.port);
    RemoteClient client(s.endpoint(proxy.port), s.token, quick());
    proxy.fail500 = 2; // two 500s, then the real server: the retries get through
    QVERIFY(client.live());
    QCOMPARE(proxy.failures.load(), 2);
    proxy.fail500 = 100; // more than the retries: a clear failure (a new client: a new connection)
    RemoteClient second(s.endpoint(proxy.port), s.token, quick());
    QVERIFY(
        !failure([&] { second.index(); }, ErrorKind::Unavailable, QStringLiteral("answered 500: injected by a test"))
             .isEmpty());
    QCOMPARE(proxy.failures.load(), 2 + 1 + quick().retries);
    proxy.fail500 = 0;
}

void TestPublish::droppedConnectionResumesTheUpload()
{
    Served s;
    publish_test::FaultProxy proxy(s.process.port);
    auto options = quick();
    options.chunkBytes = 16 * 1024;
    RemoteClient client(s.endpoint(proxy.port), s.token, options);
    QVERIFY(client.live());
    proxy.cutAfter = 40 * 1024; // in the upload's third chunk (the file is 78 KB)
    const auto r = maas::app::publish(client, qfixture("cnn.pt"), {});
    QCOMPARE(proxy.cuts.load(), 1);
    QCOMPARE(r.method, QStringLiteral("upload"));
    QVERIFY(r.passed);
    QCOMPARE(stateOf(client, QStringLiteral("cnn")), QStringLiteral("READY"));
}

void TestPublish::slowServerTimesOut()
{
    Served s;
    publish_test::FaultProxy proxy(s.process.port);
    proxy.silent = true;
    auto options = quick();
    options.timeoutMs = 400;
    RemoteClient client(s.endpoint(proxy.port), s.token, options);
    QElapsedTimer timer;
    timer.start();
    QVERIFY(
        !failure([&] { client.index(); }, ErrorKind::Unavailable, QStringLiteral("did not answer in time")).isEmpty());
    QVERIFY(timer.elapsed() < 5000); // a timeout is not retried into minutes
}

void TestPublish::certificateThatDoesNotMatch()
{
    QTemporaryDir certs;
    const auto ca = serve_test::issue("Test CA", nullptr, true);
    const auto server = serve_test::issue("127.0.0.1", &ca, false); // for the address 127.0.0.1
    const auto other = serve_test::issue("models.example.com", &ca, false, -1, 30, "DNS:models.example.com");
    const auto path = [&](const char* n) { return certs.filePath(QLatin1String(n)); };
    ca.write(path("ca.pem").toStdString(), path("ca.key").toStdString());
    server.write(path("server.pem").toStdString(), path("server.key").toStdString());
    other.write(path("other.pem").toStdString(), path("other.key").toStdString());
    Endpoint e;
    e.name = QStringLiteral("tls");
    e.caFile = path("ca.pem");
    {
        Served s({ QStringLiteral("--tls-cert"), path("server.pem"), QStringLiteral("--tls-key"), path("server.key") });
        QVERIFY(s.process.port > 0);
        e.url = QStringLiteral("https://127.0.0.1:%1").arg(s.process.port);
        RemoteClient good(e, s.token, quick());
        QVERIFY(good.live()); // the CA is trusted and the name matches
        auto untrusted = e;
        untrusted.caFile.clear(); // a CA nobody trusts
        RemoteClient stranger(untrusted, s.token, quick());
        QVERIFY(!failure([&] { stranger.live(); }, ErrorKind::Unavailable, QStringLiteral("TLS connection")).isEmpty());
    }
    // A trusted certificate for another name: refused, even with self-signed certificates allowed.
    Served s({ QStringLiteral("--tls-cert"), path("other.pem"), QStringLiteral("--tls-key"), path("other.key") });
    QVERIFY(s.process.port > 0);
    e.url = QStringLiteral("https://127.0.0.1:%1").arg(s.process.port);
    e.allowSelfSigned = true;
    RemoteClient wrong(e, s.token, quick());
    QVERIFY(!failure([&] { wrong.live(); }, ErrorKind::Unavailable, QStringLiteral("TLS connection")).isEmpty());
}

void TestPublish::badConfigIsRefusedBeforeSending()
{
    Served s;
    RemoteClient client(s.endpoint(), s.token, quick());
    maas::app::PublishOptions options;
    auto config = maas::app::publishConfig(qfixture("cnn.pt"), QStringLiteral("cnn"));
    config["input"][0]["data_type"] = "TYPE_STRING";
    options.config = config;
    QVERIFY(!failure([&] { maas::app::publish(client, qfixture("cnn.pt"), options); }, ErrorKind::InvalidInput,
        QStringLiteral("input"))
                 .isEmpty());
    options.config.reset();
    options.name = QStringLiteral("../escape");
    QVERIFY(!failure([&] { maas::app::publish(client, qfixture("cnn.pt"), options); }, ErrorKind::InvalidInput,
        QStringLiteral("cannot name a model"))
                 .isEmpty());
    QVERIFY(client.index().isEmpty());
}

void TestPublish::endpointsAndSecrets()
{
    qputenv("MAAS_KEYCHAIN", "off");
    Endpoint e;
    e.name = QStringLiteral("cluster");
    e.url = QStringLiteral("https://models.example.com:8000");
    maas::app::EndpointStore::save(e);
    maas::app::Credentials::store(e.name, QStringLiteral("s3cret"));
    QCOMPARE(maas::app::Credentials::read(e.name), QStringLiteral("s3cret"));
    const QFileInfo secrets(maas::app::Credentials::where());
    QCOMPARE(secrets.permissions() & (QFileDevice::ReadGroup | QFileDevice::ReadOther), QFileDevice::Permissions());
    QFile stored(maas::app::EndpointStore::file());
    QVERIFY(stored.open(QIODevice::ReadOnly));
    QVERIFY(!stored.readAll().contains("s3cret"));
    QVERIFY(maas::app::EndpointStore::find(QStringLiteral("cluster")).has_value());
    QVERIFY(maas::app::EndpointStore::find(QStringLiteral("local"))->builtIn);
    e.url = QStringLiteral("ftp://x");
    QVERIFY(!e.problem().isEmpty());
    e.url = QStringLiteral("https://user:pw@x");
    QVERIFY(!e.problem().isEmpty());
    e.name = QStringLiteral("local");
    QVERIFY_THROWS_EXCEPTION(Error, maas::app::EndpointStore::save(e));
    e.name = QStringLiteral("hdr");
    e.url = QStringLiteral("http://x");
    e.authHeader = QStringLiteral("X Api\r\nKey");
    QVERIFY(!e.problem().isEmpty());
    QVERIFY_THROWS_EXCEPTION(Error, maas::app::Credentials::store(QStringLiteral("cluster"), QStringLiteral("a\r\nb")));
    QVERIFY(maas::app::EndpointStore::remove(QStringLiteral("cluster")));
    QVERIFY(maas::app::Credentials::read(QStringLiteral("cluster")).isEmpty());
    QVERIFY(!maas::app::EndpointStore::remove(QStringLiteral("cluster")));
    // A damaged file is never written over: what it held stays for the user to mend.
    QFile damaged(maas::app::EndpointStore::file());
    QVERIFY(damaged.open(QIODevice::WriteOnly) && damaged.write("{bad") > 0);
    damaged.close();
    e = {};
    e.name = QStringLiteral("z");
    e.url = QStringLiteral("http://x");
    QVERIFY_THROWS_EXCEPTION(Error, maas::app::EndpointStore::save(e));
    QString problem;
    QCOMPARE(maas::app::EndpointStore::all(&problem).size(), 1);
    QVERIFY(problem.contains(QLatin1String("cannot be read")));
    QVERIFY(damaged.open(QIODevice::ReadOnly) && damaged.readAll() == "{bad");
    damaged.remove();
}

void TestPublish::exportsATritonFolder()
{
    QTemporaryDir out;
    const auto folder = maas::app::exportTriton(
        qfixture("cnn.pt"), out.path(), QStringLiteral("fashion"), QStringLiteral("s3://bucket/models"));
    QVERIFY(QFileInfo::exists(folder + QStringLiteral("/1/model.pt")));
    QFile config(folder + QStringLiteral("/config.pbtxt"));
    QVERIFY(config.open(QIODevice::ReadOnly));
    const auto text = config.readAll();
    QVERIFY(text.contains("platform: \"pytorch_libtorch\""));
    QVERIFY(QFileInfo::exists(folder + QStringLiteral("/labels.txt")));
    QFile manifest(out.filePath(QStringLiteral("fashion.kserve.yaml")));
    QVERIFY(manifest.open(QIODevice::ReadOnly));
    const auto yaml = manifest.readAll();
    QVERIFY(yaml.contains("protocolVersion: v2") && yaml.contains("s3://bucket/models"));
    // The folder is a repository maas-serve (as Triton would) serves as it is.
    Served s;
    QVERIFY(QDir().rename(folder, s.dir.filePath(QStringLiteral("repository/fashion"))));
    RemoteClient client(s.endpoint(), s.token, quick());
    client.load(QStringLiteral("fashion"), nlohmann::json::object());
    QCOMPARE(stateOf(client, QStringLiteral("fashion")), QStringLiteral("READY"));
    // Again into the same place: refused, nothing changed.
    QVERIFY_THROWS_EXCEPTION(Error,
        maas::app::exportTriton(
            qfixture("cnn.pt"), s.dir.filePath(QStringLiteral("repository")), QStringLiteral("fashion")));
}

QTEST_GUILESS_MAIN(TestPublish)
#include "tst_publish.moc"
