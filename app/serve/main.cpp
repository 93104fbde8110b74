// maas-serve: the MaaS endpoint. The open inference protocol (KServe v2 / Triton) over HTTP, on a model
// repository in Triton's layout. Links no Qt: it runs on a headless server.

#include <pwd.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "atrest.h"
#include "maas/engine/error.h"
#include "maas/engine/runtime.h"
#include "maas/engine/serving.h"
#include "server.h"
#include "tokens.h"

namespace {

using maas::serve::Scope;
using maas::serve::Tokens;

const char* kHelp = R"(Usage: maas-serve --repository DIR [options]
       maas-serve token add --tokens FILE --id NAME [--tenant T] --scope SCOPES
       maas-serve token list --tokens FILE
       maas-serve token revoke --tokens FILE --id NAME
       maas-serve seal --repository DIR --at-rest-key FILE
       maas-serve export --repository DIR --to NEW_DIR --plain [--at-rest-key FILE]

Serves the TorchScript models of a model repository over the open inference protocol (KServe v2, the REST
API NVIDIA Triton speaks), with Triton's model repository, binary tensor data, classification and
statistics extensions, and Prometheus metrics at /metrics. The repository uses Triton's layout:
  DIR/MODEL/config.pbtxt        Triton's model configuration (made from the model's card when missing)
  DIR/MODEL/VERSION/model.pt    TorchScript, as torch.jit.save writes it
  DIR/MODEL/labels.txt          class labels, one per line, when the config names it

Options:
  --repository DIR      the model repository (required)
  --host ADDRESS        address to listen on (default 127.0.0.1: this machine only)
  --port N              port (default 8000; 0 picks a free one and prints it)
  --tokens FILE         API keys: the repository API (load, unload, index, uploads) needs a token with the
                        repository scope; without this file it is closed
  --infer-needs-token   inference and model metadata need a token with the infer scope too
  --audit-log FILE      append who loaded, unloaded or uploaded what, token changes and refused requests
                        to FILE as JSON lines
  --rate N              requests a second one token (or one address, without a token) may send; more get
                        429 with Retry-After (default: no limit)
  --max-concurrent N    requests one token (or address) may have running at once (default: no limit)
  --header-timeout S    seconds a request's headers may take to arrive (default 10); its body may take as
                        long again plus its length at --body-rate
  --body-rate SIZE      the slowest a body may arrive, per second (default 1MiB)
  --tenant-memory SIZE  the most one tenant's served model files may take, checked at load
  --at-rest-key FILE    model files are stored encrypted (AES-256-GCM) with this 32-byte key, and
                        decrypted only in memory; keep the key off the repository's disk
  --threads N           threads for the models' work (default: MAAS_THREADS, else one per core)
  --http-threads N      connections served at once (default 96)
  --max-body SIZE       largest request body, such as 64MiB (default; Triton's too)
  --tls-cert FILE       serve HTTPS (TLS 1.2 or newer) with this PEM certificate (and its chain)
  --tls-key FILE        the certificate's PEM private key
  --tls-client-ca FILE  mutual TLS: clients must show a certificate signed by a CA in this PEM file
  --log-requests        log every request, not only failures
  --log-json            log lines as JSON
  --help, --version

The tokens file holds one token per line as "ID TENANT SCOPES SALT SHA256", never the token itself;
scopes are infer, repository and admin. `maas-serve token add` prints a new token once: keep it, it
cannot be shown again. A token is sent as "Authorization: Bearer TOKEN". Changes to the file (a revoked
token) take effect without a restart.

Tenants: a token reaches only its tenant's models, by the names its tenant gave them; another tenant's
model answers as one that does not exist. The default tenant's models (and those of callers without a
token, when inference is open) are the repository's plain folders; tenant T's model M is the folder T~M.
An admin token sees and names every folder as it is, and reads /metrics (closed to others when there
are tokens).

Models encrypted at rest: `maas-serve seal` encrypts a repository's plain model files in place; then
start the server with the same --at-rest-key. A changed file, or one sealed with another key, does not
load, and the index says why. `maas-serve export ... --plain` writes a decrypted copy for Triton: plain
model files are only ever written when asked for with --plain. Configs and labels stay plain.

SIGTERM or Ctrl-C stops taking requests, finishes those running, then exits. SIGHUP reads the TLS
files again; when they are wrong the server says why and keeps the ones it had.
)";

[[noreturn]] void usage(const std::string& message)
{
    std::cerr << "maas-serve: " << message << " (see maas-serve --help)\n";
    std::exit(2);
}

std::map<std::string, std::string> options(const std::vector<std::string>& args, std::size_t from,
    const std::vector<std::string>& withValue, const std::vector<std::string>& flags)
{
    std::map<std::string, std::string> out;
    for (std::size_t i = from; i < args.size(); ++i) {
        const auto& a = args[i];
        if (out.count(a))
            usage(a + " is given twice; give it once");
        if (std::find(flags.begin(), flags.end(), a) != flags.end()) {
            out[a] = "1";
        } else if (std::find(withValue.begin(), withValue.end(), a) != withValue.end()) {
            if (i + 1 >= args.size())
                usage(a + " needs a value");
            out[a] = args[++i];
        } else {
            usage("unknown option " + a);
        }
    }
    return out;
}

long long whole(const std::map<std::string, std::string>& o, const std::string& key, long long fallback, long long low,
    long long high)
{
    const auto it = o.find(key);
    if (it == o.end())
        return fallback;
    char* end = nullptr;
    const auto v = std::strtoll(it->second.c_str(), &end, 10);
    if (it->second.empty() || *end != '\0' || v < low || v > high)
        usage(key + " must be a whole number from " + std::to_string(low) + " to " + std::to_string(high) + ", not \""
            + it->second + "\"");
    return v;
}

long long byteSize(const std::string& option, const std::string& text, long long largest = 4LL << 30)
{
    char* end = nullptr;
    const auto v = std::strtoll(text.c_str(), &end, 10);
    const std::string unit = end ? end : "";
    const std::map<std::string, long long> units = { { "", 1 }, { "B", 1 }, { "KiB", 1 << 10 }, { "MiB", 1 << 20 },
        { "GiB", 1LL << 30 }, { "KB", 1000 }, { "MB", 1000000 }, { "GB", 1000000000 } };
    const auto u = units.find(unit);
    if (text.empty() || v <= 0 || u == units.end() || v > largest / u->second)
        usage(option + " must be a size such as 64MiB, up to " + std::to_string(largest >> 30) + "GiB, not \"" + text
            + "\"");
    return v * u->second;
}

int tokenCommand(const std::vector<std::string>& args)
{
    if (args.size() < 3)
        usage("token needs add, list or revoke");
    const auto& what = args[2];
    const auto o = options(args, 3, { "--tokens", "--id", "--scope", "--tenant" }, {});
    if (!o.count("--tokens"))
        usage("token " + what + " needs --tokens FILE");
    const auto& file = o.at("--tokens");
    if (what == "add") {
        if (!o.count("--id") || !o.count("--scope"))
            usage("token add needs --id NAME and --scope infer,repository,admin");
        std::vector<Scope> scopes;
        std::stringstream list(o.at("--scope"));
        for (std::string s; std::getline(list, s, ',');) {
            const auto scope = Tokens::parseScope(s);
            if (!scope)
                usage("--scope takes infer, repository and admin, not \"" + s + "\"");
            scopes.push_back(*scope);
        }
        if (scopes.empty())
            usage("--scope needs at least one of infer, repository and admin");
        const auto tenant = o.count("--tenant") ? o.at("--tenant") : std::string(maas::serve::kDefaultTenant);
        if (std::find(scopes.begin(), scopes.end(), Scope::Admin) != scopes.end() && o.count("--tenant"))
            usage("an admin token reaches every tenant's models, so it takes no --tenant");
        std::cout << Tokens::add(file, o.at("--id"), tenant, scopes) << '\n';
        std::cerr << "maas-serve: token " << o.at("--id") << " of tenant " << tenant << " added to " << file
                  << "; this is the only time it is shown.\n";
        return 0;
    }
    if (what == "list") {
        for (const auto& e : Tokens::read(file))
            std::cout << e.id << '\t' << e.tenant << '\t' << Tokens::scopeNames(e.scopes) << '\n';
        return 0;
    }
    if (what == "revoke") {
        if (!o.count("--id"))
            usage("token revoke needs --id NAME");
        if (!Tokens::revoke(file, o.at("--id"))) {
            std::cerr << "maas-serve: the tokens file " << file << " has no token named " << o.at("--id") << ".\n";
            return 1;
        }
        std::cerr << "maas-serve: token " << o.at("--id") << " revoked.\n";
        return 0;
    }
    usage("token takes add, list or revoke, not " + what);
}

int sealCommand(const std::vector<std::string>& args)
{
    const auto o = options(args, 2, { "--repository", "--at-rest-key" }, {});
    if (!o.count("--repository") || !o.count("--at-rest-key"))
        usage("seal needs --repository DIR and --at-rest-key FILE");
    const auto key = maas::serve::AtRestKey::read(o.at("--at-rest-key"));
    const int n = maas::serve::sealRepository(o.at("--repository"), key);
    std::cerr << "maas-serve: sealed " << n << " model file(s) in " << o.at("--repository") << ".\n";
    return 0;
}

int exportCommand(const std::vector<std::string>& args)
{
    const auto o = options(args, 2, { "--repository", "--at-rest-key", "--to" }, { "--plain" });
    if (!o.count("--repository") || !o.count("--to"))
        usage("export needs --repository DIR and --to NEW_DIR");
    if (!o.count("--plain"))
        usage("export writes the model files decrypted; say that this is what you want with --plain");
    std::optional<maas::serve::AtRestKey> key;
    if (o.count("--at-rest-key"))
        key = maas::serve::AtRestKey::read(o.at("--at-rest-key"));
    const int n = maas::serve::exportRepository(o.at("--repository"), key ? &*key : nullptr, o.at("--to"));
    std::cerr << "maas-serve: wrote " << n << " plain model file(s) to " << o.at("--to") << ".\n";
    return 0;
}

// SIGTERM and SIGINT are written to a pipe by their handler (in whichever thread the kernel picks: OpenBLAS
// starts its threads before main, so a signal mask cannot cover them all) and read by one waiting thread.
int g_signalPipe[2] = { -1, -1 };

void onStopSignal(int signal)
{
    const char byte = static_cast<char>(signal);
    [[maybe_unused]] const auto written = ::write(g_signalPipe[1], &byte, 1);
}

int waitForStopSignal()
{
    char byte = 0;
    while (::read(g_signalPipe[0], &byte, 1) < 0 && errno == EINTR) { }
    return byte;
}

long long sizeOption(const std::map<std::string, std::string>& o, const std::string& key, long long fallback)
{
    return o.count(key) ? byteSize(key, o.at(key)) : fallback;
}

maas::serve::ServerOptions serverOptions(const std::map<std::string, std::string>& o)
{
    maas::serve::ServerOptions server;
    server.host = o.count("--host") ? o.at("--host") : "127.0.0.1";
    server.port = static_cast<int>(whole(o, "--port", 8000, 0, 65535));
    server.httpThreads = static_cast<int>(whole(o, "--http-threads", 96, 1, 4096));
    server.maxBodyBytes = static_cast<std::size_t>(sizeOption(o, "--max-body", 64LL << 20));
    server.inferNeedsToken = o.count("--infer-needs-token") > 0;
    server.logRequests = o.count("--log-requests") > 0;
    server.jsonLogs = o.count("--log-json") > 0;
    server.ratePerCaller = static_cast<double>(whole(o, "--rate", 0, 1, 1'000'000));
    server.concurrentPerCaller = static_cast<int>(whole(o, "--max-concurrent", 0, 1, 100'000));
    server.headerTimeoutMs = static_cast<int>(1000 * whole(o, "--header-timeout", 10, 1, 3600));
    server.bodyBytesPerSecond = static_cast<double>(sizeOption(o, "--body-rate", 1 << 20));
    if (server.bodyBytesPerSecond < 1024)
        usage("--body-rate must be at least 1KiB (a second)");
    if (server.inferNeedsToken && !o.count("--tokens"))
        usage("--infer-needs-token needs --tokens FILE");
    return server;
}

// How the repository's model files are opened and stored: sealed with --at-rest-key, else plain (and a
// sealed file is then named as such rather than as a file that is not a model).
void sealing(const std::map<std::string, std::string>& o, maas::engine::Repository::Options& repository)
{
    if (!o.count("--at-rest-key")) {
        repository.open = [](const std::string& name, const std::string& stored) {
            if (maas::serve::AtRestKey::sealed(stored))
                throw maas::engine::Error(maas::engine::ErrorKind::InvalidModel,
                    name + " is encrypted; start the server with the repository's --at-rest-key.");
            return stored;
        };
        return;
    }
    const auto key = std::make_shared<maas::serve::AtRestKey>(maas::serve::AtRestKey::read(o.at("--at-rest-key")));
    repository.open = [key](const std::string& name, const std::string& stored) { return key->open(name, stored); };
    repository.seal = [key](const std::string& name, const std::string& plain) { return key->seal(name, plain); };
}

// What is allowed but worth saying at start: listening beyond this machine in clear text or with
// inference open to everyone, and root serving another user's repository (the files it writes there,
// staged folders and uploads, would be root's, and that user's own server, the packaged service's say,
// could not write them).
void startupWarnings(
    maas::serve::Server& http, const maas::serve::ServerOptions& server, bool tls, const std::string& repository)
{
    struct stat st { };
    if (::geteuid() == 0 && ::stat(repository.c_str(), &st) == 0 && st.st_uid != 0) {
        const passwd* owner = ::getpwuid(st.st_uid);
        const std::string name = owner ? owner->pw_name : std::to_string(st.st_uid);
        http.log("warning",
            "running as root in a repository that belongs to " + name + ": files written now will be root's; run as "
                + name + " instead (runuser -u " + name + " -- maas-serve ...).");
    }
    if (server.host == "127.0.0.1" || server.host == "::1" || server.host == "localhost")
        return;
    if (!tls)
        http.log("warning",
            "listening on " + server.host + " without TLS: tokens and tensors cross the network in clear text; "
                + "give --tls-cert and --tls-key.");
    if (!server.inferNeedsToken)
        http.log("warning",
            "inference is open to any caller that reaches " + server.host
                + "; add --infer-needs-token to ask for a token.");
}

int serve(const std::vector<std::string>& args)
{
    const auto o = options(args, 1,
        { "--repository", "--host", "--port", "--tokens", "--threads", "--http-threads", "--max-body", "--audit-log",
            "--at-rest-key", "--rate", "--max-concurrent", "--header-timeout", "--body-rate", "--tenant-memory",
            "--tls-cert", "--tls-key", "--tls-client-ca" },
        { "--infer-needs-token", "--log-requests", "--log-json" });
    if (!o.count("--repository"))
        usage("--repository DIR is needed");
    auto server = serverOptions(o);
    if (o.count("--tls-cert") != o.count("--tls-key"))
        usage("--tls-cert and --tls-key go together");
    if (o.count("--tls-client-ca") && !o.count("--tls-cert"))
        usage("--tls-client-ca needs --tls-cert and --tls-key");
    std::unique_ptr<maas::serve::Tls> tls;
    if (o.count("--tls-cert")) {
        tls = std::make_unique<maas::serve::Tls>(maas::serve::TlsFiles {
            o.at("--tls-cert"), o.at("--tls-key"), o.count("--tls-client-ca") ? o.at("--tls-client-ca") : "" });
        server.tls = tls.get();
    }
    maas::engine::configureThreads(static_cast<int>(whole(o, "--threads", 0, 1, maas::engine::kMaxThreads)));

    Tokens tokens(o.count("--tokens") ? o.at("--tokens") : std::string());
    const auto audit = o.count("--audit-log") ? std::make_unique<maas::serve::AuditLog>(o.at("--audit-log"))
                                              : std::make_unique<maas::serve::AuditLog>();
    maas::engine::Repository::Options repositoryOptions { o.at("--repository"), {}, {}, {} };
    sealing(o, repositoryOptions);
    const maas::engine::Repository* served = nullptr;
    if (o.count("--tenant-memory")) {
        const auto cap = byteSize("--tenant-memory", o.at("--tenant-memory"), 1LL << 50);
        repositoryOptions.admit = [&served, cap](const std::string& name, std::int64_t bytes) {
            maas::serve::checkTenantMemory(*served, cap, name, bytes);
        };
    }
    maas::engine::Repository repository(repositoryOptions);
    served = &repository;
    maas::serve::Server http(repository, tokens, *audit, server);
    const int port = http.bind();
    startupWarnings(http, server, tls != nullptr, o.at("--repository"));
    repository.loadAll();
    int ready = 0;
    for (const auto& e : repository.index()) {
        if (e.state == "READY")
            ++ready;
        else if (e.reason != "unloaded")
            http.log("warning", e.name + " is not served: " + e.reason);
    }
    http.log("info",
        "serving " + std::to_string(ready) + " model version(s) from " + o.at("--repository") + "; "
            + maas::engine::runtimeSummary());
    std::printf("maas-serve: listening on %s://%s:%d\n", tls ? "https" : "http", server.host.c_str(), port);
    std::fflush(stdout);
    std::thread waiter([&] {
        int signal = waitForStopSignal();
        for (; signal == SIGHUP; signal = waitForStopSignal())
            http.reloadTls();
        http.log("info",
            std::string("stopping (") + (signal == SIGTERM ? "SIGTERM" : "SIGINT")
                + "): finishing the requests that run");
        http.drainAndStop();
    });
    const bool ok = http.run();
    if (!ok) {
        http.log("error", "the listening socket failed.");
        std::_Exit(1);
    }
    waiter.join();
    http.log("info", "stopped.");
    return 0;
}

// The server takes its signals through a pipe; the other commands keep the defaults (Ctrl-C stops them).
void catchSignals()
{
    if (::pipe(g_signalPipe) != 0)
        throw std::runtime_error("cannot make a pipe for signals; the system is out of file descriptors.");
    struct sigaction stop { };
    stop.sa_handler = onStopSignal;
    sigemptyset(&stop.sa_mask);
    ::sigaction(SIGTERM, &stop, nullptr);
    ::sigaction(SIGINT, &stop, nullptr);
    ::sigaction(SIGHUP, &stop, nullptr);
}

} // namespace

int main(int argc, char** argv)
{
    ::signal(SIGPIPE, SIG_IGN);
    const std::vector<std::string> args(argv, argv + argc);
    if (args.size() >= 2 && (args[1] == "--help" || args[1] == "-h")) {
        std::cout << kHelp;
        return 0;
    }
    if (args.size() >= 2 && args[1] == "--version") {
        std::cout << "maas-serve " MAAS_VERSION "\n" << maas::engine::runtimeSummary() << '\n';
        return 0;
    }
    try {
        if (args.size() >= 2 && args[1] == "token")
            return tokenCommand(args);
        if (args.size() >= 2 && args[1] == "seal")
            return sealCommand(args);
        if (args.size() >= 2 && args[1] == "export")
            return exportCommand(args);
        catchSignals();
        return serve(args);
    } catch (const std::filesystem::filesystem_error& e) {
        std::cerr << "maas-serve: " << e.path1().string() << ": " << e.code().message()
                  << "; check that it exists and that this user may read and write there.\n";
        return 1;
    } catch (const maas::engine::Error& e) {
        std::cerr << "maas-serve: " << e.what() << '\n';
        return 1;
    } catch (const std::exception& e) {
        std::cerr << "maas-serve: " << e.what() << '\n';
        return 1;
    }
}
