// `maas demo`: the whole path on real data in one command. Two models are trained (Fashion-MNIST, and a
// text classifier on the descriptions of Debian's packages), quantized and measured by the `maas`
// commands themselves (run as child processes, their progress on this terminal), then published to the
// local endpoint and called there on held-out data.
#include <QCommandLineParser>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QProcess>

#include <algorithm>
#include <map>
#include <set>

#include "cli_util.h"
#include "commands.h"
#include "maas/app/format.h"
#include "maas/app/publish.h"
#include "maas/app/remote.h"
#include "maas/engine/dataset.h"
#include "maas/engine/inputs.h"
#include "maas/engine/model.h"

namespace maas::cli {

namespace {

using nlohmann::json;

struct Demo {
    QDir dir;
    QString fashion;
    QString text;
    int step = 0;
    static constexpr int kSteps = 7;
    QElapsedTimer clock;
    json report = json::object();

    void say(const QString& what)
    {
        ++step;
        out() << QStringLiteral("[%1/%2 %3 s] ").arg(step).arg(kSteps).arg(clock.elapsed() / 1000) << what << Qt::endl;
    }

    // Runs `maas ARGS --json` as a child (its progress goes to this terminal) and returns its JSON.
    json maas(QStringList args) const
    {
        QProcess p;
        p.setProcessChannelMode(QProcess::ForwardedErrorChannel);
        args << QStringLiteral("--json");
        p.start(QCoreApplication::applicationFilePath(), args);
        p.waitForFinished(-1);
        const auto text = p.readAllStandardOutput().toStdString();
        if (p.exitStatus() != QProcess::NormalExit || p.exitCode() != 0)
            throw maas::engine::Error(maas::engine::ErrorKind::Internal,
                Cli::tr("the demo stopped: `maas %1` failed (its message is above).")
                    .arg(args.join(u' '))
                    .toStdString());
        return json::parse(text, nullptr, false);
    }
};

// The text corpus: each Debian package's one-line description, labelled with its section (the ten largest
// sections), from `apt-cache dumpavail`.
void writeDebianCorpus(const QString& path)
{
    QProcess apt;
    apt.start(QStringLiteral("apt-cache"), { QStringLiteral("dumpavail") });
    apt.waitForFinished(120'000);
    std::vector<std::pair<QString, QString>> rows;
    std::map<QString, int> counts;
    for (const auto& stanza : QString::fromUtf8(apt.readAllStandardOutput()).split(QStringLiteral("\n\n"))) {
        QString section, description;
        for (const auto& line : stanza.split(QLatin1Char('\n'))) {
            if (section.isEmpty() && line.startsWith(QLatin1String("Section: ")))
                section = line.mid(9).section(QLatin1Char('/'), -1).trimmed();
            else if (description.isEmpty() && line.startsWith(QLatin1String("Description: ")))
                description = line.mid(13).trimmed();
        }
        if (!section.isEmpty() && !description.isEmpty()) {
            rows.emplace_back(description, section);
            ++counts[section];
        }
    }
    if (rows.empty())
        throw maas::engine::Error(maas::engine::ErrorKind::NotFound,
            Cli::tr("apt-cache lists no packages here, so there is no text corpus; run apt-get update once, or give "
                    "--text CSV with text and label columns.")
                .toStdString());
    std::vector<std::pair<int, QString>> bySize;
    for (const auto& [section, n] : counts)
        bySize.emplace_back(-n, section);
    std::sort(bySize.begin(), bySize.end());
    std::set<QString> kept;
    for (std::size_t i = 0; i < bySize.size() && i < 10; ++i)
        kept.insert(bySize[i].second);
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly))
        throw maas::engine::Error(
            maas::engine::ErrorKind::Io, Cli::tr("%1 cannot be written.").arg(path).toStdString());
    f.write("text,label\n");
    for (const auto& [text, label] : rows)
        if (kept.count(label))
            f.write("\"" + QString(text).replace(QLatin1Char('"'), QStringLiteral("\"\"")).toUtf8() + "\","
                + label.toUtf8() + "\n");
}

// Fashion-MNIST's first `n` test images, prepared as the model's card says, as one batch.
maas::engine::Tensor testImages(
    const QString& fashion, const maas::engine::Model& model, int n, std::vector<std::int64_t>& labels)
{
    maas::engine::DataOptions options;
    options.split = "test";
    options.limit = n;
    const auto data = maas::engine::Dataset::open(fashion.toStdString(), options);
    const auto& pre = model.card().preprocessing;
    std::vector<float> values;
    for (std::int64_t i = 0; i < data.size(); ++i)
        for (const double raw : data.sample(i).toDoubles()) {
            const double mean = pre.mean.empty() ? 0.0 : pre.mean.front();
            const double std = pre.std.empty() ? 1.0 : pre.std.front();
            values.push_back(static_cast<float>((raw * pre.scale - mean) / std));
        }
    labels = data.labels();
    auto shape = data.sampleShape();
    shape.insert(shape.begin(), data.size());
    return maas::engine::Tensor::fromFloats(shape, values);
}

// Calls the published Fashion-MNIST model on test images: accuracy there and the round trip.
json callFashion(maas::app::RemoteClient& client, const Demo& d, const QString& modelPath)
{
    const auto model = maas::engine::Model::load(modelPath.toStdString());
    std::vector<std::int64_t> labels;
    const auto images = testImages(d.fashion, model, 64, labels);
    const auto config = *client.config(QStringLiteral("fashion"));
    std::vector<maas::engine::InferInput> inputs { { config["input"][0]["name"].get<std::string>(), images } };
    double ms = 0;
    const auto reply = client.infer(QStringLiteral("fashion"), maas::engine::encodeInferRequest(inputs, {}, true), &ms);
    const auto ranked = maas::engine::topClasses(reply.outputs.at(0).tensor, 1);
    int right = 0;
    for (std::size_t i = 0; i < ranked.size() && i < labels.size(); ++i)
        right += ranked[i].front().index == labels[i];
    return { { "images", ranked.size() },
        { "accuracy", double(right) / double(std::max<std::size_t>(1, ranked.size())) }, { "round_trip_ms", ms } };
}

// Publishes both int8 models to the local endpoint and calls them there.
void publishAndCall(Demo& d)
{
    d.say(Cli::tr("starting the local endpoint"));
    auto client = maas::app::connectTo(QLatin1String("local"));
    d.report["endpoint"] = client->endpoint().url.toStdString();
    d.say(Cli::tr("publishing both int8 models to it, each verified against its local answers"));
    for (const auto& [file, name] :
        { std::pair { "fashion.int8.pt", "fashion" }, std::pair { "text.int8.pt", "debian-sections" } }) {
        maas::app::PublishOptions options;
        options.name = QLatin1String(name);
        const auto r = maas::app::publish(*client, d.dir.filePath(QLatin1String(file)), options);
        d.report["published"][name] = { { "version", r.version }, { "bytes", r.bytes }, { "passed", r.passed },
            { "max_difference", r.maxDifference }, { "seconds", r.uploadSeconds } };
    }
    d.say(Cli::tr("calling them there: 64 Fashion-MNIST test images, and the seed's sentence"));
    d.report["remote_fashion"] = callFashion(*client, d, d.dir.filePath(QStringLiteral("fashion.int8.pt")));
    const auto text = maas::app::remoteInfer(*client, QStringLiteral("debian-sections"),
        { QStringLiteral("I love machine learning!"),
            QStringLiteral("Rust bindings for the zlib compression library") },
        false, 1);
    for (const auto& s : text.samples)
        d.report["remote_text"]["answers"].push_back({ { "text", s.source.toStdString() },
            { "label", s.classes.front().first.toStdString() }, { "probability", s.classes.front().second } });
    d.report["remote_text"]["round_trip_ms"] = text.roundTripMs;
}

QString percent(const json& v)
{
    return v.is_number() ? QStringLiteral("%1%").arg(v.get<double>() * 100, 0, 'f', 1) : QStringLiteral("-");
}

void printReport(const json& r, qint64 ms)
{
    out() << Qt::endl << Cli::tr("MaaS demo, %1 s on this machine").arg(ms / 1000) << Qt::endl;
    out() << Cli::tr("model           variant  size       accuracy  latency b=1  b=16") << Qt::endl;
    for (const char* model : { "fashion", "text" })
        for (const char* variant : { "before", "after" }) {
            const auto& f = r[model][variant];
            out() << QStringLiteral("%1 %2 %3 %4 %5 ms %6 ms")
                         .arg(QString::fromLatin1(model).leftJustified(15),
                             QString::fromLatin1(variant[0] == 'b' ? "fp32" : "int8").leftJustified(8),
                             maas::app::formatBytes(f.value("file_bytes", 0.0)).leftJustified(10),
                             percent(f["accuracy"]).leftJustified(9))
                         .arg(f.value("latency_batch1_ms", 0.0), 8, 'f', 3)
                         .arg(f.value("latency_batch16_ms", 0.0), 8, 'f', 3)
                  << Qt::endl;
        }
    out() << Cli::tr("local endpoint %1: both int8 models published and verified (%2, %3)")
                 .arg(QString::fromStdString(r.value("endpoint", "")),
                     r["published"]["fashion"].value("passed", false) ? Cli::tr("passed") : Cli::tr("FAILED"),
                     r["published"]["debian-sections"].value("passed", false) ? Cli::tr("passed") : Cli::tr("FAILED"))
          << Qt::endl;
    out() << Cli::tr("remote Fashion-MNIST: %1 of 64 test images right in one request, round trip %2 ms")
                 .arg(percent(r["remote_fashion"]["accuracy"]))
                 .arg(r["remote_fashion"].value("round_trip_ms", 0.0), 0, 'f', 1)
          << Qt::endl;
    for (const auto& a : r["remote_text"]["answers"])
        out() << Cli::tr("remote text: \"%1\" -> %2 (%3)")
                     .arg(QString::fromStdString(a.value("text", "")), QString::fromStdString(a.value("label", "")),
                         percent(a["probability"]))
              << Qt::endl;
    out() << Cli::tr("the endpoint keeps running: `maas remote list`, `maas remote infer fashion IMAGE`, "
                     "`maas endpoint stop local`.")
          << Qt::endl;
}

} // namespace

int Cli::demo(const QStringList& arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        tr("The whole path on real data: trains a Fashion-MNIST classifier and a text classifier (on the descriptions "
           "of Debian's packages), quantizes both to int8 and measures each variant, starts the local endpoint, "
           "publishes both and calls them there, then prints a report. Under a minute here."));
    const QCommandLineOption dirOption(QStringLiteral("out"), tr("Where the models go (default: maas-demo)."),
        QStringLiteral("DIR"), QStringLiteral("maas-demo"));
    const QCommandLineOption fashionOption(QStringLiteral("fashion"),
        tr("The Fashion-MNIST folder (default: Debian's dataset-fashion-mnist)."), QStringLiteral("DIR"),
        QStringLiteral("/usr/share/datasets/fashion-mnist"));
    const QCommandLineOption textOption(QStringLiteral("text"),
        tr("A text CSV (text and label columns) instead of the Debian package descriptions."), QStringLiteral("CSV"));
    parser.addOptions({ dirOption, fashionOption, textOption });
    const Common common;
    if (auto code = parse(parser, arguments, common, 0, 0))
        return *code;
    Demo d;
    d.clock.start();
    QDir().mkpath(parser.value(dirOption));
    d.dir = QDir(parser.value(dirOption));
    d.fashion = parser.value(fashionOption);
    d.text = parser.isSet(textOption) ? parser.value(textOption) : d.dir.filePath(QStringLiteral("debian.csv"));
    const auto path = [&](const char* name) { return d.dir.filePath(QLatin1String(name)); };

    d.say(tr("training a Fashion-MNIST classifier (an MLP, 3 epochs on 60,000 images)"));
    d.maas(
        { QStringLiteral("new"), QStringLiteral("--arch"), QStringLiteral("mlp"), QStringLiteral("--data"), d.fashion,
            QStringLiteral("--set"), QStringLiteral("hidden=256,128"), QStringLiteral("-o"), path("fashion.new.pt") });
    d.maas({ QStringLiteral("train"), path("fashion.new.pt"), QStringLiteral("--data"), d.fashion,
        QStringLiteral("--epochs"), QStringLiteral("3"), QStringLiteral("-o"), path("fashion.pt") });
    d.say(tr("making the text corpus and training a text classifier on it"));
    if (!parser.isSet(textOption))
        writeDebianCorpus(d.text);
    d.maas({ QStringLiteral("train"), QStringLiteral("--arch"), QStringLiteral("text"), QStringLiteral("--data"),
        d.text, QStringLiteral("--validation"), QStringLiteral("0.2"), QStringLiteral("--epochs"), QStringLiteral("4"),
        QStringLiteral("-o"), path("text.pt") });
    d.say(tr("quantizing the Fashion-MNIST model to int8 and measuring both variants"));
    d.report["fashion"] = d.maas({ QStringLiteral("quantize"), path("fashion.pt"), QStringLiteral("--data"), d.fashion,
        QStringLiteral("--max-drop"), QStringLiteral("1"), QStringLiteral("-o"), path("fashion.int8.pt") });
    d.say(tr("quantizing the text model to int8 and measuring both variants"));
    d.report["text"] = d.maas({ QStringLiteral("quantize"), path("text.pt"), QStringLiteral("--data"), d.text,
        QStringLiteral("--max-drop"), QStringLiteral("1"), QStringLiteral("-o"), path("text.int8.pt") });
    publishAndCall(d);
    printReport(d.report, d.clock.elapsed());
    return Success;
}

} // namespace maas::cli
