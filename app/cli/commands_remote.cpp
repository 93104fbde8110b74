// `maas endpoint`, `maas publish`, `maas remote`, `maas export`: MaaS endpoints and what runs on them.
#include <QCommandLineParser>
#include <QFile>
#include <QTextStream>

#include <cstdio>
#include <iostream>

#include "activity.h"
#include "cli_util.h"
#include "commands.h"
#include "maas/app/endpoints.h"
#include "maas/app/format.h"
#include "maas/app/localendpoint.h"
#include "maas/app/publish.h"
#include "maas/app/remote.h"

namespace maas::cli {

namespace {

using maas::app::Endpoint;
using nlohmann::json;

// "maas endpoint add ..." as one subcommand's arguments: the verb joins the name, so help and messages
// say "maas endpoint add".
QStringList verbArguments(const QStringList& arguments)
{
    return QStringList { arguments.value(0) + QLatin1Char(' ') + arguments.value(1) } + arguments.mid(2);
}

QString verbUsage(const QString& command, const QString& verbs)
{
    return Cli::tr("%1 needs one of: %2. See `%1 --help`.").arg(command, verbs);
}

// A secret from a file (its first line) or from standard input: never from the command line, where `ps`
// and the shell's history would show it.
QString readSecret(
    const QCommandLineParser& parser, const QCommandLineOption& file, const QCommandLineOption& stdinFlag)
{
    if (parser.isSet(file) && parser.isSet(stdinFlag))
        throw UsageError(Cli::tr("give the token one way: --token-file or --token-stdin."));
    QString text;
    if (parser.isSet(file)) {
        QFile f(parser.value(file));
        if (!f.open(QIODevice::ReadOnly))
            throw UsageError(Cli::tr("--token-file %1 cannot be read.").arg(parser.value(file)));
        text = QString::fromUtf8(f.read(64 * 1024));
    } else if (parser.isSet(stdinFlag)) {
        text = QTextStream(stdin).readAll();
    } else {
        return {};
    }
    // One line: a file or a paste with more is more likely a mistake than a token.
    const auto lines = text.trimmed().split(QLatin1Char('\n'));
    if (lines.size() != 1 || lines.front().trimmed().isEmpty())
        throw UsageError(Cli::tr("the token must be one non-empty line; %1 holds %n line(s).", nullptr,
            lines.front().trimmed().isEmpty() ? 0 : static_cast<int>(lines.size()))
                             .arg(parser.isSet(file) ? parser.value(file) : Cli::tr("standard input")));
    return lines.front().trimmed();
}

int endpointAdd(const QStringList& arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        Cli::tr("Adds (or replaces) a named endpoint. Its token goes to the system keychain, or, where none runs, to a "
                "file only you can read; it is never taken on the command line."));
    parser.addPositionalArgument(QStringLiteral("NAME"), Cli::tr("The endpoint's name."));
    parser.addPositionalArgument(
        QStringLiteral("URL"), Cli::tr("Its address, such as https://models.example.com:8000."));
    const QCommandLineOption tokenFile(
        QStringLiteral("token-file"), Cli::tr("Read the token from FILE."), QStringLiteral("FILE"));
    const QCommandLineOption tokenStdin(QStringLiteral("token-stdin"), Cli::tr("Read the token from standard input."));
    const QCommandLineOption header(QStringLiteral("header"),
        Cli::tr("Send the token as the value of header NAME (Triton's --http-restricted-api) instead of "
                "\"Authorization: Bearer\"."),
        QStringLiteral("NAME"));
    const QCommandLineOption ca(
        QStringLiteral("ca-file"), Cli::tr("Trust the CA in this PEM file."), QStringLiteral("FILE"));
    const QCommandLineOption cert(
        QStringLiteral("client-cert"), Cli::tr("Client certificate (PEM) for mutual TLS."), QStringLiteral("FILE"));
    const QCommandLineOption key(
        QStringLiteral("client-key"), Cli::tr("The client certificate's key (PEM)."), QStringLiteral("FILE"));
    const QCommandLineOption selfSigned(QStringLiteral("allow-self-signed"),
        Cli::tr("Accept a self-signed certificate (anyone in between could then read the traffic)."));
    parser.addOptions({ tokenFile, tokenStdin, header, ca, cert, key, selfSigned });
    const Common common;
    if (auto code = parse(parser, arguments, common, 2, 2))
        return *code;
    Endpoint e;
    e.name = parser.positionalArguments().at(0);
    e.url = parser.positionalArguments().at(1);
    e.authHeader = parser.value(header);
    e.caFile = parser.value(ca);
    e.clientCertificate = parser.value(cert);
    e.clientKey = parser.value(key);
    e.allowSelfSigned = parser.isSet(selfSigned);
    if (const auto why = e.problem(); !why.isEmpty())
        throw UsageError(why);
    const auto secret = readSecret(parser, tokenFile, tokenStdin);
    if (!secret.isEmpty())
        maas::app::Credentials::store(e.name, secret); // first: a token that cannot be kept adds nothing
    maas::app::EndpointStore::save(e);
    if (!secret.isEmpty()) {
        if (maas::app::Credentials::where() != QLatin1String("keychain"))
            std::cerr << qPrintable(Cli::tr("maas: warning: no keychain service runs here, so the token is kept in "
                                            "%1, readable only by you.")
                                        .arg(maas::app::Credentials::where()))
                      << '\n';
    }
    if (e.allowSelfSigned)
        std::cerr << qPrintable(Cli::tr("maas: warning: %1 accepts a self-signed certificate: its identity is not "
                                        "checked.")
                                    .arg(e.name))
                  << '\n';
    out() << Cli::tr("added endpoint %1 (%2)").arg(e.name, e.url) << Qt::endl;
    return Success;
}

int endpointList(const QStringList& arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(Cli::tr("Lists the endpoints; \"local\" is the built-in one on this machine."));
    const Common common;
    if (auto code = parse(parser, arguments, common, 0, 0))
        return *code;
    const auto local = maas::app::LocalEndpoint::status();
    json list = json::array();
    for (const auto& e : maas::app::EndpointStore::all()) {
        const auto url = e.builtIn ? (local ? local->url : Cli::tr("(starts when used)")) : e.url;
        list.push_back({ { "name", e.name.toStdString() }, { "url", url.toStdString() }, { "built_in", e.builtIn },
            { "allow_self_signed", e.allowSelfSigned } });
        if (!parser.isSet(common.json))
            out() << QStringLiteral("%1  %2%3\n")
                         .arg(e.name.leftJustified(16), url,
                             e.allowSelfSigned ? Cli::tr("  (accepts self-signed certificates)") : QString());
    }
    if (parser.isSet(common.json))
        out() << QString::fromStdString(list.dump(2)) << Qt::endl;
    return Success;
}

int endpointNamed(const QStringList& arguments, const QString& description, int (*act)(const QString&, bool))
{
    QCommandLineParser parser;
    parser.setApplicationDescription(description);
    parser.addPositionalArgument(QStringLiteral("NAME"), Cli::tr("The endpoint's name."));
    const Common common;
    if (auto code = parse(parser, arguments, common, 1, 1))
        return *code;
    return act(parser.positionalArguments().first(), parser.isSet(common.json));
}

int endpointTest(const QString& name, bool asJson)
{
    auto client = maas::app::connectTo(name);
    const auto s = maas::app::summarize(*client);
    if (asJson) {
        json extensions = json::array();
        for (const auto& e : s.extensions)
            extensions.push_back(e.toStdString());
        out() << QString::fromStdString(json { { "endpoint", name.toStdString() }, { "name", s.name.toStdString() },
            { "version", s.version.toStdString() }, { "extensions", extensions }, { "ready", s.ready },
            { "model_versions",
                s.modelVersions } }.dump(2))
              << Qt::endl;
    } else {
        out() << Cli::tr("%1 (%2): %3 %4, %5; %6 model versions listed\nextensions: %7\n")
                     .arg(name, client->endpoint().url, s.name, s.version,
                         s.ready ? Cli::tr("ready") : Cli::tr("not ready"))
                     .arg(s.modelVersions)
                     .arg(s.extensions.join(QLatin1String(", ")));
    }
    return s.ready ? Success : Failure;
}

} // namespace

int Cli::endpoint(const QStringList& arguments)
{
    const QString verb = arguments.value(1);
    const auto rest = verbArguments(arguments);
    if (verb == QLatin1String("--help") || verb == QLatin1String("-h")) {
        out() << tr("Usage: maas endpoint add NAME URL [--token-file F | --token-stdin] [TLS options]\n"
                    "       maas endpoint list | remove NAME | test NAME | stop local\n"
                    "Named MaaS endpoints; \"local\" is a maas-serve on this machine, started when used.\n"
                    "`maas endpoint VERB --help` shows a verb's options.\n");
        return Success;
    }
    if (verb == QLatin1String("add"))
        return endpointAdd(rest);
    if (verb == QLatin1String("list"))
        return endpointList(rest);
    if (verb == QLatin1String("remove"))
        return endpointNamed(rest, tr("Removes an endpoint and its stored token."), [](const QString& name, bool) {
            if (name == QLatin1String(maas::app::kLocalEndpoint))
                throw UsageError(
                    tr("\"local\" is built in and cannot be removed; `maas endpoint stop local` stops it."));
            if (!maas::app::EndpointStore::remove(name))
                return fail(tr("there is no endpoint named \"%1\".").arg(name));
            out() << tr("removed endpoint %1").arg(name) << Qt::endl;
            return int(Success);
        });
    if (verb == QLatin1String("test"))
        return endpointNamed(
            rest, tr("Connects to an endpoint: server metadata, extensions, readiness, models."), &endpointTest);
    if (verb == QLatin1String("stop"))
        return endpointNamed(
            rest, tr("Stops the local endpoint (its models stay in its repository)."), [](const QString& name, bool) {
                if (name != QLatin1String(maas::app::kLocalEndpoint))
                    throw UsageError(tr("only the local endpoint is started, and stopped, by maas."));
                out() << (maas::app::LocalEndpoint::stop() ? tr("stopped the local endpoint")
                                                           : tr("the local endpoint was not running"))
                      << Qt::endl;
                return int(Success);
            });
    throw UsageError(verbUsage(arguments.value(0), QStringLiteral("add, list, remove, test, stop")));
}

namespace {

struct RemoteCall {
    QString endpoint;
    QStringList positional;
    bool json = false;
    int k = 5;
    bool rows = false;
    qint64 version = 0;
};

// Parses `maas remote VERB`'s arguments: the endpoint (--on), then what the verb takes.
std::optional<int> parseRemote(const QStringList& arguments, const QString& description, int minimum, int maximum,
    RemoteCall& call, bool inferOptions = false, bool versionOption = false)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(description);
    const QCommandLineOption on(QStringLiteral("on"), Cli::tr("The endpoint (default: local)."),
        QStringLiteral("ENDPOINT"), QStringLiteral("local"));
    const QCommandLineOption topK(QStringLiteral("top-k"), Cli::tr("Show the K most likely classes (default 5)."),
        QStringLiteral("K"), QStringLiteral("5"));
    const QCommandLineOption rows(QStringLiteral("rows"), Cli::tr("The inputs are rows of numbers typed as CSV."));
    const QCommandLineOption version(QStringLiteral("version"), Cli::tr("The version to serve."), QStringLiteral("V"));
    parser.addOption(on);
    if (minimum > 0)
        parser.addPositionalArgument(QStringLiteral("MODEL"), Cli::tr("The model's name on the endpoint."));
    if (inferOptions) {
        parser.addPositionalArgument(QStringLiteral("INPUT"),
            Cli::tr("Image, CSV or tensor files, texts for a text model, or CSV rows with --rows."),
            QStringLiteral("INPUT..."));
        parser.addOptions({ topK, rows });
    }
    if (versionOption)
        parser.addOption(version);
    const Common common;
    if (auto code = parse(parser, arguments, common, minimum, maximum))
        return code;
    call.endpoint = parser.value(on);
    call.positional = parser.positionalArguments();
    call.json = parser.isSet(common.json);
    if (inferOptions) {
        call.k = static_cast<int>(wholeNumber(parser, topK, 5, 1, 100000));
        call.rows = parser.isSet(rows);
    }
    if (versionOption) {
        if (!parser.isSet(version))
            throw UsageError(Cli::tr("rollback needs --version V, the version to serve again."));
        call.version = wholeNumber(parser, version, 1, 1, 1'000'000'000);
    }
    return std::nullopt;
}

int remoteList(const QStringList& arguments)
{
    RemoteCall call;
    if (auto code = parseRemote(arguments, Cli::tr("Lists an endpoint's models: versions and states."), 0, 0, call))
        return *code;
    auto client = maas::app::connectTo(call.endpoint);
    const auto models = client->index();
    json list = json::array();
    for (const auto& m : models) {
        list.push_back({ { "name", m.name.toStdString() }, { "version", m.version.toStdString() },
            { "state", m.state.toStdString() }, { "reason", m.reason.toStdString() } });
        if (!call.json)
            out() << QStringLiteral("%1  %2  %3  %4\n")
                         .arg(
                             m.name.leftJustified(24), m.version.leftJustified(8), m.state.leftJustified(12), m.reason);
    }
    if (call.json)
        out() << QString::fromStdString(list.dump(2)) << Qt::endl;
    else if (models.isEmpty())
        out() << Cli::tr("%1 serves no models yet; publish one with `maas publish MODEL --to %1`.").arg(call.endpoint)
              << Qt::endl;
    return Success;
}

int remoteInfo(const QStringList& arguments)
{
    RemoteCall call;
    if (auto code = parseRemote(arguments, Cli::tr("A remote model's metadata and configuration."), 1, 1, call))
        return *code;
    auto client = maas::app::connectTo(call.endpoint);
    const auto& model = call.positional.first();
    const auto config = client->config(model);
    if (!config)
        return fail(Cli::tr("%1 has no model named %2.").arg(call.endpoint, model));
    json versions = json::array();
    for (const auto& [v, sha] : maas::app::publishedVersions(*config))
        versions.push_back({ { "version", v }, { "sha256", sha.toStdString() } });
    const json info = { { "metadata", client->metadata(model) }, { "config", *config }, { "published", versions } };
    out() << QString::fromStdString(info.dump(2)) << Qt::endl;
    return Success;
}

int remoteInfer(const QStringList& arguments)
{
    RemoteCall call;
    if (auto code = parseRemote(arguments,
            Cli::tr("Runs a remote model on inputs, prepared as its card says, and shows its top classes and the "
                    "round-trip time."),
            2, -1, call, true))
        return *code;
    InterruptScope interrupt;
    maas::app::RemoteOptions options;
    options.cancel = interrupt.token();
    auto client = maas::app::connectTo(call.endpoint, options);
    const auto result
        = maas::app::remoteInfer(*client, call.positional.first(), call.positional.mid(1), call.rows, call.k);
    if (call.json) {
        json samples = json::array();
        for (const auto& s : result.samples) {
            json classes = json::array();
            for (const auto& [label, p] : s.classes)
                classes.push_back({ { "label", label.toStdString() }, { "probability", p } });
            samples.push_back({ { "input", s.source.toStdString() }, { "classes", classes } });
        }
        json outputs = json::array();
        for (const auto& o : result.outputs)
            outputs.push_back({ { "name", o.name }, { "shape", o.tensor.shape }, { "data", o.tensor.toDoubles() } });
        out() << QString::fromStdString(json { { "model", result.model.toStdString() },
            { "version", result.version.toStdString() }, { "round_trip_ms", result.roundTripMs },
            { "predictions", samples },
            { "outputs", outputs } }.dump(2))
              << Qt::endl;
        return Success;
    }
    for (const auto& s : result.samples) {
        out() << s.source << '\n';
        for (const auto& [label, p] : s.classes)
            out() << QStringLiteral("  %1  %2\n").arg(p, 6, 'f', 4).arg(label);
    }
    for (const auto& o : result.outputs)
        out() << QString::fromStdString(o.name + " " + maas::engine::shapeToString(o.tensor.shape)) << '\n';
    out() << Cli::tr("%1 version %2 on %3, round trip %4 ms")
                 .arg(result.model, result.version, call.endpoint)
                 .arg(result.roundTripMs, 0, 'f', 2)
          << Qt::endl;
    return Success;
}

} // namespace

int Cli::remote(const QStringList& arguments)
{
    const QString verb = arguments.value(1);
    const auto rest = verbArguments(arguments);
    if (verb == QLatin1String("list"))
        return remoteList(rest);
    if (verb == QLatin1String("info"))
        return remoteInfo(rest);
    if (verb == QLatin1String("infer"))
        return remoteInfer(rest);
    if (verb == QLatin1String("unload") || verb == QLatin1String("rollback")) {
        const bool unload = verb == QLatin1String("unload");
        RemoteCall call;
        if (auto code = parseRemote(rest,
                unload ? tr("Stops serving a remote model (its files stay there).")
                       : tr("Serves an earlier version of a remote model again."),
                1, 1, call, false, !unload))
            return *code;
        auto client = maas::app::connectTo(call.endpoint);
        const auto& model = call.positional.first();
        if (unload)
            client->unload(model);
        else
            maas::app::rollback(*client, model, call.version);
        out() << (unload ? tr("unloaded %1 on %2").arg(model, call.endpoint)
                         : tr("%1 on %2 serves version %3 again").arg(model, call.endpoint).arg(call.version))
              << Qt::endl;
        return Success;
    }
    if (verb == QLatin1String("--help") || verb == QLatin1String("-h")) {
        out() << tr("Usage: maas remote list|info|infer|unload|rollback [MODEL] [--on ENDPOINT]\n"
                    "Models on a MaaS endpoint (default: local). `maas remote VERB --help` shows a verb's options.\n");
        return Success;
    }
    throw UsageError(verbUsage(arguments.value(0), QStringLiteral("list, info, infer, unload, rollback")));
}

} // namespace maas::cli
