// The publishing client's targets (scripts/bench-publish.sh), against a maas-serve the script started:
//   maas-bench-publish URL TOKEN BIG_MODEL MID_MODEL SMALL_MODEL
// prints one JSON object: the resumable upload's rate for BIG_MODEL (three publishes), the base64 load's
// and the upload's for MID_MODEL (under Triton's 64 MiB body), and SMALL_MODEL's remote round trip
// (p50 over 500 calls) beside the time the server reports for the same calls (its statistics).
#include <QCoreApplication>
#include <QElapsedTimer>

#include <algorithm>
#include <cstdio>
#include <vector>

#include "maas/app/publish.h"
#include "maas/app/remote.h"
#include "maas/engine/benchmark.h"
#include "maas/engine/model.h"

namespace {

using nlohmann::json;

json rates(maas::app::RemoteClient& client, const QString& model, bool base64, int runs)
{
    json out = json::array();
    for (int i = 0; i < runs; ++i) {
        maas::app::PublishOptions o;
        o.newVersion = true;
        o.verify = false;
        o.forceBase64 = base64;
        o.name = base64 ? QStringLiteral("b64") : QStringLiteral("raw");
        QElapsedTimer whole;
        whole.start();
        const auto r = maas::app::publish(client, model, o);
        out.push_back({ { "bytes", r.bytes }, { "send_seconds", r.uploadSeconds },
            { "send_mb_per_s", double(r.bytes) / 1e6 / r.uploadSeconds },
            { "publish_seconds", double(whole.nsecsElapsed()) / 1e9 } });
    }
    return out;
}

// The server's own time for a model's requests so far, from Triton's statistics: (count, ns) of success.
std::pair<double, double> served(maas::app::RemoteClient& client, const QString& model)
{
    const auto stats = client.statistics(model)["model_stats"][0]["inference_stats"]["success"];
    return { stats.value("count", 0.0), stats.value("ns", 0.0) };
}

} // namespace

int main(int argc, char** argv)
{
    QCoreApplication app(argc, argv);
    if (argc != 6) {
        std::fprintf(stderr, "usage: maas-bench-publish URL TOKEN BIG_MODEL MID_MODEL SMALL_MODEL\n");
        return 2;
    }
    maas::app::Endpoint e;
    e.name = QStringLiteral("bench");
    e.url = QString::fromLocal8Bit(argv[1]);
    maas::app::RemoteClient client(e, QString::fromLocal8Bit(argv[2]));
    json report;
    report["upload_big"] = rates(client, QString::fromLocal8Bit(argv[3]), false, 3);
    report["upload_mid"] = rates(client, QString::fromLocal8Bit(argv[4]), false, 3);
    report["base64_mid"] = rates(client, QString::fromLocal8Bit(argv[4]), true, 3);

    const auto small = QString::fromLocal8Bit(argv[5]);
    maas::app::PublishOptions o;
    o.name = QStringLiteral("small");
    maas::app::publish(client, small, o);
    const auto model = maas::engine::Model::load(small.toStdString());
    const auto config = *client.config(QStringLiteral("small"));
    const auto inputs = maas::engine::syntheticInputs(model, 1);
    std::vector<maas::engine::InferInput> named;
    named.push_back({ config["input"][0]["name"].get<std::string>(), inputs.front() });
    const auto body = maas::engine::encodeInferRequest(named, {}, true);
    for (int i = 0; i < 50; ++i) // warm-up
        client.infer(QStringLiteral("small"), body, nullptr);
    const auto before = served(client, QStringLiteral("small"));
    std::vector<double> ms;
    for (int i = 0; i < 500; ++i) {
        double t = 0;
        client.infer(QStringLiteral("small"), body, &t);
        ms.push_back(t);
    }
    const auto after = served(client, QStringLiteral("small"));
    std::sort(ms.begin(), ms.end());
    report["server_mean_ms"] = (after.second - before.second) / (after.first - before.first) / 1e6;
    report["remote_p50_ms"] = ms[ms.size() / 2];
    report["remote_p90_ms"] = ms[ms.size() * 9 / 10];
    // In-process, the same model and input: the engine's own latency, what the server adds to it is HTTP.
    std::vector<double> local;
    for (int i = 0; i < 500; ++i) {
        QElapsedTimer t;
        t.start();
        model.predict(inputs);
        local.push_back(double(t.nsecsElapsed()) / 1e6);
    }
    std::sort(local.begin(), local.end());
    report["in_process_p50_ms"] = local[local.size() / 2];
    std::printf("%s\n", report.dump(2).c_str());
    return 0;
}
