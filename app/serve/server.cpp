#include "server.h"

#include <httplib.h>
#include <sys/socket.h>

#include <chrono>
#include <cstdio>
#include <ctime>
#include <mutex>
#include <regex>
#include <strings.h>
#include <thread>

#include <nlohmann/json.hpp>

#include "maas/engine/card.h"
#include "maas/engine/error.h"
#include "maas/engine/serving.h"

namespace maas::serve {

namespace {

using engine::Error;
using engine::ErrorKind;
using nlohmann::json;

constexpr const char* kVersion = "0.1.0";
constexpr const char* kModel = R"(/v2/models/([^/]+)(?:/versions/([^/]+))?)";

// cpp-httplib 0.11 listens with a backlog of 5: 64 clients connecting at once overflow it, and the kernel
// drops connections it has half accepted (clients saw "Read" errors). The listening socket is reachable
// from a subclass, and listen() again on it only raises the backlog.
class Http : public httplib::Server {
public:
    void raiseBacklog() { ::listen(svr_sock_, SOMAXCONN); }
};

thread_local std::chrono::steady_clock::time_point t_started;
thread_local std::string t_caller; // the token's id for the log, never the token
thread_local bool t_routed = false; // false for a request refused before routing (its start is unknown)

int statusOf(ErrorKind kind)
{
    switch (kind) {
    case ErrorKind::NotFound: return 404;
    case ErrorKind::Unavailable: return 503;
    case ErrorKind::Conflict: return 409;
    case ErrorKind::Io:
    case ErrorKind::Internal: return 500;
    default: return 400;
    }
}

void reply(httplib::Response& res, int status, const json& body)
{
    res.status = status;
    res.set_content(body.dump(-1, ' ', false, json::error_handler_t::replace), "application/json");
}

void fail(httplib::Response& res, int status, const std::string& message)
{
    reply(res, status, { { "error", message } });
}

// Runs a handler; an engine Error becomes its status and {"error": sentence}.
template <typename F> void guarded(httplib::Response& res, F&& body)
{
    try {
        body();
    } catch (const Error& e) {
        fail(res, statusOf(e.kind()), e.what());
    } catch (const std::bad_alloc&) {
        fail(res, 500, "the server ran out of memory for this request; send a smaller one.");
    } catch (const std::exception& e) {
        fail(res, 500, std::string("the server failed: ") + e.what());
    }
}

std::string group(const httplib::Request& req, std::size_t i)
{
    return i < req.matches.size() ? req.matches[i].str() : std::string();
}

// Text for one log line: a control character a client put in a path (a newline that would forge a line of
// its own, an escape sequence for the terminal) is written as \xNN.
std::string printable(const std::string& text)
{
    std::string out;
    for (const unsigned char c : text) {
        if (c < 0x20 || c == 0x7f) {
            char escaped[8];
            std::snprintf(escaped, sizeof escaped, "\\x%02x", c);
            out += escaped;
        } else {
            out += static_cast<char>(c);
        }
    }
    return out;
}

// The methods a path of this API takes ("" for a path that is not one), for a 405 to another method.
std::string allowedMethod(const std::string& path)
{
    static const std::regex post(
        R"(/v2/models/[^/]+(/versions/[^/]+)?/infer|/v2/repository/(index|uploads|models/[^/]+/(load|unload)|uploads/[0-9a-f]+/commit))");
    static const std::regex upload(R"(/v2/repository/uploads/[0-9a-f]+)");
    static const std::regex get(
        R"(/v2|/v2/health/(live|ready)|/metrics|/v2/models/stats|/v2/models/[^/]+(/versions/[^/]+)?(/ready|/config|/stats)?)");
    if (std::regex_match(path, post))
        return "POST";
    if (std::regex_match(path, upload))
        return "GET, PUT";
    return std::regex_match(path, get) ? "GET" : "";
}

std::string timestamp()
{
    const auto now = std::chrono::system_clock::now();
    const auto t = std::chrono::system_clock::to_time_t(now);
    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() % 1000;
    std::tm utc {};
    gmtime_r(&t, &utc);
    char text[96];
    std::snprintf(text, sizeof text, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", utc.tm_year + 1900, utc.tm_mon + 1,
        utc.tm_mday, utc.tm_hour, utc.tm_min, utc.tm_sec, static_cast<int>(ms));
    return text;
}

} // namespace

Server::Server(engine::Repository& repository, Tokens& tokens, ServerOptions options)
    : m_repository(repository)
    , m_tokens(tokens)
    , m_options(std::move(options))
    , m_http(std::make_unique<Http>())
{
    const int threads = m_options.httpThreads;
    m_http->new_task_queue = [threads] { return new httplib::ThreadPool(static_cast<std::size_t>(threads)); };
    m_http->set_payload_max_length(m_options.maxBodyBytes);
    m_http->set_read_timeout(m_options.readTimeoutSeconds, 0);
    m_http->set_write_timeout(m_options.readTimeoutSeconds, 0);
    m_http->set_keep_alive_max_count(100000);
    m_http->set_tcp_nodelay(true);
    // cpp-httplib's default also sets SO_REUSEPORT, which lets a second server bind a port in use and take
    // half its connections; only SO_REUSEADDR (a restart need not wait for TIME_WAIT) is kept.
    m_http->set_socket_options([](int sock) {
        const int on = 1;
        ::setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
    });
    routes();
}

Server::~Server() = default;

void Server::log(const std::string& level, const std::string& message) const
{
    if (m_options.jsonLogs) {
        logRecord({ { "level", level }, { "message", message } });
        return;
    }
    static std::mutex mutex;
    std::lock_guard lock(mutex);
    std::fprintf(stderr, "%s %s %s\n", timestamp().c_str(), level.c_str(), printable(message).c_str());
    std::fflush(stderr);
}

void Server::logRecord(nlohmann::json record) const
{
    static std::mutex mutex;
    record["time"] = timestamp();
    std::lock_guard lock(mutex);
    std::fprintf(stderr, "%s\n", record.dump(-1, ' ', false, json::error_handler_t::replace).c_str());
    std::fflush(stderr);
}

int Server::bind()
{
    const int port = m_options.port == 0 ? m_http->bind_to_any_port(m_options.host)
                                         : (m_http->bind_to_port(m_options.host, m_options.port) ? m_options.port : -1);
    if (port < 0)
        throw std::runtime_error("cannot listen on " + m_options.host + ":" + std::to_string(m_options.port)
            + "; another program may be using the port (choose another with --port) or the address is not this "
              "machine's.");
    static_cast<Http&>(*m_http).raiseBacklog();
    return port;
}

bool Server::run()
{
    const bool ok = m_http->listen_after_bind();
    m_ended = true;
    return ok;
}

void Server::drainAndStop()
{
    m_repository.drain();
    // cpp-httplib's stop() does nothing before it listens: a signal during start-up waits until it does.
    while (!m_http->is_running() && !m_ended)
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    m_http->stop();
}

void Server::withBody(const std::string& pattern, const BodyHandler& handler, Method method)
{
    // The body is read here, not by cpp-httplib, which keeps a form's body (curl -d sends one by default) to
    // 8 KiB; the size limit still holds (set_payload_max_length, and again below).
    const auto limit = m_options.maxBodyBytes;
    const auto read
        = [handler, limit](const httplib::Request& req, httplib::Response& res, const httplib::ContentReader& reader) {
              std::string body;
              const bool whole = reader([&](const char* data, std::size_t n) {
                  if (body.size() + n > limit)
                      return false;
                  body.append(data, n);
                  return true;
              });
              if (!whole) {
                  fail(res, 413,
                      "the request body is larger than this server takes; send smaller requests, or a model file by "
                      "the resumable upload.");
                  return;
              }
              handler(req, res, body);
          };
    if (method == Method::Put)
        m_http->Put(pattern, read);
    else
        m_http->Post(pattern, read);
}

bool Server::authorize(const httplib::Request& req, httplib::Response& res, Scope scope)
{
    if (scope == Scope::Infer && !m_options.inferNeedsToken)
        return true;
    if (m_tokens.empty()) {
        fail(res, 403,
            "this server has no tokens file, so this part of its API is closed; start it with --tokens FILE.");
        return false;
    }
    const auto header = req.get_header_value("Authorization");
    const bool bearer = header.size() > 7 && strncasecmp(header.c_str(), "Bearer ", 7) == 0; // the scheme has no case
    const auto token = bearer ? header.substr(7) : std::string();
    const auto entry = m_tokens.check(token);
    if (!entry) {
        res.set_header("WWW-Authenticate", "Bearer");
        fail(res, 401,
            token.empty() ? "this needs a token: send it as \"Authorization: Bearer TOKEN\"."
                          : "the token was not accepted; check it, or ask for a new one.");
        return false;
    }
    t_caller = entry->id;
    if (!entry->allows(scope)) {
        fail(res, 403,
            "the token " + entry->id + " may not do this: it needs the " + Tokens::scopeName(scope) + " scope.");
        return false;
    }
    return true;
}

void Server::routes()
{
    checksBeforeRouting();
    answersAndLog();
    serverRoutes();
    modelRoutes();
    repositoryRoutes();
    uploadRoutes();
}

void Server::checksBeforeRouting()
{
    m_http->set_pre_routing_handler([this](const httplib::Request& req, httplib::Response& res) {
        t_started = std::chrono::steady_clock::now();
        t_caller.clear();
        t_routed = true;
        // Before the body is read: a chunked or compressed body could grow past the size limit unchecked.
        if (req.has_header("Transfer-Encoding")) {
            res.set_header("Connection", "close");
            fail(res, 411, "send the request with a Content-Length; this server does not take chunked bodies.");
            return httplib::Server::HandlerResponse::Handled;
        }
        if ((req.method == "POST" || req.method == "PUT") && !req.has_header("Content-Length")) {
            res.set_header("Connection", "close");
            fail(res, 411, "send the request with a Content-Length (0 for an empty body).");
            return httplib::Server::HandlerResponse::Handled;
        }
        const auto encoding = req.get_header_value("Content-Encoding");
        if (!encoding.empty() && encoding != "identity") {
            res.set_header("Connection", "close");
            fail(res, 415,
                "send the request body uncompressed; this server does not take Content-Encoding " + encoding + ".");
            return httplib::Server::HandlerResponse::Handled;
        }
        // The one place access is checked, once a request and before its body is read (a stranger's 60 MB
        // upload is refused unread): the repository API needs its scope, the models' paths the infer scope.
        const bool repository = req.path.rfind("/v2/repository/", 0) == 0;
        const bool models = req.path.rfind("/v2/models/", 0) == 0;
        if ((repository || models) && !authorize(req, res, repository ? Scope::Repository : Scope::Infer)) {
            res.set_header("Connection", "close");
            return httplib::Server::HandlerResponse::Handled;
        }
        return httplib::Server::HandlerResponse::Unhandled;
    });
}

void Server::answersAndLog()
{
    auto& http = *m_http;
    http.set_error_handler([](const httplib::Request& req, httplib::Response& res) {
        if (!res.body.empty())
            return;
        if (res.status == 413)
            fail(res, 413,
                "the request body is larger than this server takes; send smaller requests, or a model file by the "
                "resumable upload.");
        else if (res.status == 404 && !allowedMethod(req.path).empty()) {
            res.set_header("Allow", allowedMethod(req.path));
            fail(res, 405, req.path + " takes " + allowedMethod(req.path) + ", not " + req.method + ".");
        } else if (res.status == 404)
            fail(res, 404, "there is nothing at " + req.path + "; the API is under /v2 (see GET /v2).");
        else
            fail(res, res.status, "the request could not be served (HTTP " + std::to_string(res.status) + ").");
    });
    http.set_exception_handler([](const httplib::Request&, httplib::Response& res, std::exception_ptr) {
        fail(res, 500, "the server failed on this request.");
    });
    http.set_logger([this](const httplib::Request& req, const httplib::Response& res) {
        struct Reset { // a request refused before routing must not carry the last one's caller or start
            ~Reset()
            {
                t_caller.clear();
                t_routed = false;
            }
        } reset;
        if (!m_options.logRequests && res.status < 400)
            return;
        const double ms = t_routed
            ? std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t_started).count()
            : 0.0;
        char took[40];
        if (t_routed)
            std::snprintf(took, sizeof took, "%.2f ms", ms);
        else
            std::snprintf(took, sizeof took, "(refused on its headers)");
        if (m_options.jsonLogs) {
            logRecord({ { "level", res.status < 400 ? "info" : "warning" }, { "method", req.method },
                { "path", req.path }, { "status", res.status }, { "ms", ms },
                { "caller", t_caller.empty() ? "-" : t_caller }, { "from", req.remote_addr } });
        } else {
            log(res.status < 400 ? "info" : "warning",
                req.method + " " + printable(req.path) + " " + std::to_string(res.status) + " " + took
                    + (t_caller.empty() ? "" : " by " + t_caller) + " from " + req.remote_addr);
        }
    });
}

void Server::serverRoutes()
{
    auto& http = *m_http;
    http.Get("/v2/health/live", [](const httplib::Request&, httplib::Response& res) {
        reply(res, 200, { { "live", true } });
    });
    http.Get("/v2/health/ready", [this](const httplib::Request&, httplib::Response& res) {
        if (m_repository.draining())
            fail(res, 400, "the server is shutting down."); // KServe: not ready is a 4xx
        else
            reply(res, 200, { { "ready", true } });
    });
    http.Get("/v2", [](const httplib::Request&, httplib::Response& res) {
        reply(res, 200,
            { { "name", "maas-serve" }, { "version", kVersion },
                { "extensions",
                    { "binary_tensor_data", "classification", "model_repository", "model_configuration", "statistics",
                        "maas_upload" } } });
    });
    http.Get("/metrics", [this](const httplib::Request&, httplib::Response& res) {
        res.set_content(m_repository.metrics(), "text/plain; version=0.0.4");
    });
}

void Server::modelRoutes()
{
    auto& http = *m_http;
    http.Get("/v2/models/stats", [this](const httplib::Request&, httplib::Response& res) {
        guarded(res, [&] { reply(res, 200, m_repository.statistics()); });
    });
    http.Get(std::string(kModel) + "/stats", [this](const httplib::Request& req, httplib::Response& res) {
        guarded(res, [&] { reply(res, 200, m_repository.statistics(group(req, 1), group(req, 2))); });
    });
    http.Get(std::string(kModel) + "/ready", [this](const httplib::Request& req, httplib::Response& res) {
        guarded(res, [&] {
            const bool ready = m_repository.ready(group(req, 1), group(req, 2));
            reply(res, ready ? 200 : 400, { { "name", group(req, 1) }, { "ready", ready } });
        });
    });
    http.Get(std::string(kModel) + "/config", [this](const httplib::Request& req, httplib::Response& res) {
        guarded(res, [&] { reply(res, 200, m_repository.config(group(req, 1), group(req, 2))); });
    });
    http.Get(kModel, [this](const httplib::Request& req, httplib::Response& res) {
        guarded(res, [&] { reply(res, 200, m_repository.metadata(group(req, 1), group(req, 2))); });
    });
    withBody(std::string(kModel) + "/infer",
        [this](const httplib::Request& req, httplib::Response& res, const std::string& body) {
            guarded(res, [&] {
                std::optional<std::size_t> headerLength;
                if (req.has_header("Inference-Header-Content-Length")) {
                    const auto text = req.get_header_value("Inference-Header-Content-Length");
                    char* end = nullptr;
                    const auto n = std::strtoull(text.c_str(), &end, 10);
                    if (text.empty() || *end != '\0' || text[0] == '-')
                        throw Error(ErrorKind::InvalidInput,
                            "Inference-Header-Content-Length must be a whole number of bytes.");
                    headerLength = static_cast<std::size_t>(n);
                }
                const auto out = m_repository.infer(group(req, 1), group(req, 2), body, headerLength);
                res.status = 200;
                if (out.headerLength) {
                    res.set_header("Inference-Header-Content-Length", std::to_string(*out.headerLength));
                    res.set_content(out.body, "application/octet-stream");
                } else {
                    res.set_content(out.body, "application/json");
                }
            });
        });
}

void Server::repositoryRoutes()
{
    withBody("/v2/repository/index", [this](const httplib::Request&, httplib::Response& res, const std::string& body) {
        guarded(res, [&] {
            bool readyOnly = false;
            if (body.find_first_not_of(" \t\r\n") != std::string::npos) {
                const auto parsed = engine::parseJson(body);
                if (!parsed || !parsed->is_object())
                    throw Error(ErrorKind::InvalidInput,
                        "the index request is not a JSON object; send {} or {\"ready\": true}.");
                readyOnly = parsed->value("ready", false);
            }
            json list = json::array();
            for (const auto& e : m_repository.index(readyOnly)) {
                json entry { { "name", e.name }, { "state", e.state } };
                if (!e.version.empty())
                    entry["version"] = e.version;
                if (!e.reason.empty())
                    entry["reason"] = e.reason;
                list.push_back(std::move(entry));
            }
            reply(res, 200, list);
        });
    });
    withBody("/v2/repository/models/([^/]+)/load",
        [this](const httplib::Request& req, httplib::Response& res, const std::string& body) {
            guarded(res, [&] {
                const auto name = group(req, 1);
                m_repository.load(name, engine::parseLoadRequest(body));
                log("info", "loaded " + name + (t_caller.empty() ? "" : " for " + t_caller));
                reply(res, 200, json::object());
            });
        });
    withBody("/v2/repository/models/([^/]+)/unload",
        [this](const httplib::Request& req, httplib::Response& res, const std::string&) {
            guarded(res, [&] {
                m_repository.unload(group(req, 1));
                log("info", "unloaded " + group(req, 1) + (t_caller.empty() ? "" : " for " + t_caller));
                reply(res, 200, json::object());
            });
        });
}

void Server::uploadRoutes()
{
    auto& http = *m_http;
    // The resumable upload: POST starts one, PUT ?offset=N appends a chunk where the last one ended, GET says
    // how far it got (after a dropped connection), POST .../commit checks the whole file's SHA-256. A load
    // request then names it: "upload:1/model.pt": "<id>".
    withBody("/v2/repository/uploads", [this](const httplib::Request&, httplib::Response& res, const std::string&) {
        guarded(res, [&] { reply(res, 201, { { "id", m_repository.startUpload() }, { "offset", 0 } }); });
    });
    http.Get("/v2/repository/uploads/([0-9a-f]+)", [this](const httplib::Request& req, httplib::Response& res) {
        guarded(res, [&] {
            reply(res, 200, { { "id", group(req, 1) }, { "offset", m_repository.uploadOffset(group(req, 1)) } });
        });
    });
    withBody(
        "/v2/repository/uploads/([0-9a-f]+)",
        [this](const httplib::Request& req, httplib::Response& res, const std::string& body) {
            guarded(res, [&] {
                const auto text = req.get_param_value("offset");
                char* end = nullptr;
                const auto offset = std::strtoll(text.c_str(), &end, 10);
                if (text.empty() || *end != '\0' || offset < 0)
                    throw Error(ErrorKind::InvalidInput, "a chunk needs ?offset=N, the bytes sent before it.");
                const auto size = m_repository.appendUpload(group(req, 1), offset, body);
                reply(res, 200, { { "id", group(req, 1) }, { "offset", size } });
            });
        },
        Method::Put);
    withBody("/v2/repository/uploads/([0-9a-f]+)/commit",
        [this](const httplib::Request& req, httplib::Response& res, const std::string& body) {
            guarded(res, [&] {
                const auto parsed = engine::parseJson(body);
                if (!parsed || !parsed->is_object() || !parsed->contains("sha256") || !(*parsed)["sha256"].is_string())
                    throw Error(
                        ErrorKind::InvalidInput, "a commit needs {\"sha256\": \"<the file's SHA-256 in hex>\"}.");
                m_repository.commitUpload(group(req, 1), (*parsed)["sha256"].get<std::string>());
                reply(res, 200,
                    { { "id", group(req, 1) }, { "offset", m_repository.uploadOffset(group(req, 1)) },
                        { "committed", true } });
            });
        });
}

} // namespace maas::serve
