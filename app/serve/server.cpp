#include "server.h"

#include <httplib.h>
#include <sys/socket.h>

#include <array>
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
#include "maas/engine/limits.h"
#include "maas/engine/serving.h"

namespace maas::serve {

namespace {

using engine::Error;
using engine::ErrorKind;
using nlohmann::json;

constexpr const char* kModel = R"(/v2/models/([^/]+)(?:/versions/([^/]+))?)";

// cpp-httplib 0.11 listens with a backlog of 5: 64 clients connecting at once overflow it, and the kernel
// drops connections it has half accepted (clients saw "Read" errors). The listening socket is reachable
// from a subclass, and listen() again on it only raises the backlog.
template <class Base> class Listening : public Base {
public:
    using Base::Base;
    void raiseBacklog() { ::listen(this->svr_sock_, SOMAXCONN); }
};

// The server: HTTPS when there is a certificate, else HTTP.
std::unique_ptr<httplib::Server> newHttp(Tls* tls, std::function<void()>& raiseBacklog)
{
    if (tls) {
        auto https
            = std::make_unique<Listening<httplib::SSLServer>>([tls](SSL_CTX& context) { return tls->setUp(context); });
        if (!https->is_valid())
            throw std::runtime_error("the TLS context could not be set up; check the OpenSSL installation.");
        raiseBacklog = [p = https.get()] { p->raiseBacklog(); };
        return https;
    }
    auto http = std::make_unique<Listening<httplib::Server>>();
    raiseBacklog = [p = http.get()] { p->raiseBacklog(); };
    return http;
}

// Who sends the request this thread serves. Anonymous callers (inference open to all) are the default
// tenant's; an administrator sees the repository as its folders are, namespaces and all.
struct Caller {
    std::string id; ///< the token's id for logs, never the token; empty for anonymous
    std::string tenant = kDefaultTenant;
    bool admin = false;
};

thread_local std::chrono::steady_clock::time_point t_started;
thread_local Caller t_caller;
thread_local std::string t_admitted; // the limiter's key of an admitted request, released when it is answered
thread_local bool t_routed = false; // false for a request refused before routing (its start is unknown)

// The head fields this server reads, found in one pass over a request's fields. cpp-httplib finds each by
// comparing names a character at a time, and a request's checks asked for them a dozen times.
// A length field's value: a whole number of bytes (digits only: no sign, no space), or nothing.
std::optional<std::size_t> wholeBytes(const std::string& text)
{
    if (text.empty() || text.size() > 18 || text.find_first_not_of("0123456789") != std::string::npos)
        return std::nullopt;
    return static_cast<std::size_t>(std::stoull(text));
}

struct Head {
    std::size_t fields = 0;
    const char* repeated = nullptr; ///< a field that must come once but came more often
    bool malformed = false; ///< a field name with white space in it
    bool chunked = false; ///< has a Transfer-Encoding
    std::optional<std::string> inferenceHeaderLength;
    std::string contentLength, authorization, contentEncoding;
    std::optional<std::size_t> bodyBytes; ///< the Content-Length, when it is a number
};

Head headOf(const httplib::Request& req)
{
    // One of each: two lengths or two tokens are how a request is smuggled past a proxy that reads the other.
    static constexpr std::array<const char*, 5> kOnce { "Content-Length", "Authorization", "Transfer-Encoding", "Host",
        "Inference-Header-Content-Length" };
    // cpp-httplib adds the connection's addresses as fields of its own; they are not the client's.
    static constexpr std::array<const char*, 4> kAdded { "REMOTE_ADDR", "REMOTE_PORT", "LOCAL_ADDR", "LOCAL_PORT" };
    Head head;
    std::array<int, kOnce.size()> seen {};
    for (const auto& [field, value] : req.headers) {
        const auto is = [&field = field](const char* name) { return strcasecmp(field.c_str(), name) == 0; };
        if (std::any_of(kAdded.begin(), kAdded.end(), is))
            continue;
        ++head.fields;
        // "Content-Length : 5" is a field cpp-httplib keeps under another name, which a proxy may read as the
        // length: a name with white space in it is refused.
        head.malformed = head.malformed || field.find_first_of(" \t") != std::string::npos;
        for (std::size_t i = 0; i < kOnce.size(); ++i)
            if (is(kOnce[i]) && ++seen[i] == 2 && !head.repeated)
                head.repeated = kOnce[i];
        if (is("Content-Length") && seen[0] == 1)
            head.contentLength = value;
        else if (is("Authorization") && seen[1] == 1)
            head.authorization = value;
        else if (is("Transfer-Encoding"))
            head.chunked = true;
        else if (is("Content-Encoding") && head.contentEncoding.empty())
            head.contentEncoding = value;
        else if (is("Inference-Header-Content-Length") && !head.inferenceHeaderLength)
            head.inferenceHeaderLength = value;
    }
    head.bodyBytes = wholeBytes(head.contentLength);
    return head;
}

thread_local Head t_head; // the head of the request this thread serves, read before it is routed

// The repository's name for a model the caller names: in its tenant's namespace. A name with the
// separator in it becomes one that no folder can have, so it answers as any model that does not exist.
std::string qualified(const std::string& name)
{
    if (t_caller.admin)
        return name;
    if (t_caller.tenant == kDefaultTenant && name.find(engine::kNamespaceSeparator) == std::string::npos)
        return name;
    return t_caller.tenant + engine::kNamespaceSeparator + name;
}

// The name the caller knows a repository's model by, or nothing when the model is another tenant's.
std::optional<std::string> visible(const std::string& name)
{
    if (t_caller.admin)
        return name;
    const auto at = name.find(engine::kNamespaceSeparator);
    if (t_caller.tenant == kDefaultTenant)
        return at == std::string::npos ? std::optional<std::string>(name) : std::nullopt;
    if (at == std::string::npos || name.compare(0, at, t_caller.tenant) != 0 || at != t_caller.tenant.size())
        return std::nullopt;
    return name.substr(at + 1);
}

// Text for the caller: the names of its own namespace without the namespace.
std::string shown(std::string text)
{
    if (t_caller.admin)
        return text;
    const auto prefix = t_caller.tenant + engine::kNamespaceSeparator;
    for (auto at = text.find(prefix); at != std::string::npos; at = text.find(prefix, at))
        text.erase(at, prefix.size());
    return text;
}

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
        fail(res, statusOf(e.kind()), shown(e.what()));
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
        return "GET, PUT, DELETE";
    return std::regex_match(path, get) ? "GET" : "";
}

} // namespace

Server::Server(engine::Repository& repository, Tokens& tokens, AuditLog& audit, ServerOptions options)
    : m_repository(repository)
    , m_tokens(tokens)
    , m_audit(audit)
    , m_options(std::move(options))
    , m_limiter(m_options.ratePerCaller, m_options.concurrentPerCaller)
    , m_http(newHttp(m_options.tls, m_raiseBacklog))
{
    const auto threads = static_cast<std::size_t>(m_options.httpThreads);
    m_http->new_task_queue = [threads] { return deadlines::newWatchedQueue(threads); };
    deadlines::start(std::chrono::milliseconds(m_options.headerTimeoutMs), m_options.bodyBytesPerSecond);
    m_tokens.onChange([this](const std::vector<std::string>& added, const std::vector<std::string>& removed) {
        m_audit.write({ { "event", "tokens-changed" }, { "added", added }, { "removed", removed } });
    });
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
    m_raiseBacklog();
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

void Server::reloadTls()
{
    if (!m_options.tls) {
        log("info", "SIGHUP: this server has no TLS certificate to read again.");
        return;
    }
    std::string why;
    if (m_options.tls->reload(why))
        log("info", "SIGHUP: the TLS certificate and key were read again; new connections use them.");
    else
        log("error", "SIGHUP: " + why + " The server goes on with the certificate it had.");
}

void Server::withBody(const std::string& pattern, const BodyHandler& handler, Method method)
{
    // The body is read here, not by cpp-httplib, which keeps a form's body (curl -d sends one by default) to
    // 8 KiB; the size limit still holds (set_payload_max_length, and again below).
    const auto limit = m_options.maxBodyBytes;
    const auto read
        = [handler, limit](const httplib::Request& req, httplib::Response& res, const httplib::ContentReader& reader) {
              std::string body;
              // One allocation for a body of known length (checked against the limit by the head checks).
              const auto length = t_head.bodyBytes.value_or(0);
              if (length > 0 && length <= limit)
                  body.reserve(length);
              bool tooLarge = false;
              const bool whole = reader([&](const char* data, std::size_t n) {
                  tooLarge = body.size() + n > limit;
                  if (tooLarge || res.status == 413)
                      return false;
                  body.append(data, n);
                  deadlines::bodyProgress(body.size());
                  return true;
              });
              if (!whole) {
                  res.set_header("Connection", "close");
                  if (tooLarge || res.status == 413)
                      fail(res, 413,
                          "the request body is larger than this server takes; send smaller requests, or a model file "
                          "by the resumable upload.");
                  else
                      fail(res, 408, "the request body did not arrive in time; send it again.");
                  return;
              }
              deadlines::bodyRead();
              handler(req, res, body);
          };
    if (method == Method::Put)
        m_http->Put(pattern, read);
    else
        m_http->Post(pattern, read);
}

bool Server::authorize(const httplib::Request& req, httplib::Response& res, Scope scope)
{
    const auto& header = t_head.authorization;
    if (scope == Scope::Infer && !m_options.inferNeedsToken && (header.empty() || m_tokens.empty()))
        return true; // anonymous: the default tenant's models
    const auto refuse = [&](int status, const std::string& message) {
        // A caller without a valid token is limited by its address too, so a flood of bad tokens can
        // neither take the server nor fill the audit log.
        if (status == 401 && m_limiter.enabled()) {
            const auto key = "address " + req.remote_addr;
            const auto verdict = m_limiter.admit(key);
            if (!verdict.admitted) {
                res.set_header("Retry-After", std::to_string(verdict.retryAfterSeconds));
                fail(res, 429, verdict.why);
                slowDown();
                return false;
            }
            m_limiter.release(key);
        }
        if (status == 401)
            res.set_header("WWW-Authenticate", "Bearer");
        fail(res, status, message);
        audit(req, "refused", { { "status", status }, { "reason", message } });
        return false;
    };
    if (m_tokens.empty())
        return refuse(
            403, "this server has no tokens file, so this part of its API is closed; start it with --tokens FILE.");
    const bool bearer = header.size() > 7 && strncasecmp(header.c_str(), "Bearer ", 7) == 0; // the scheme has no case
    const auto token = bearer ? header.substr(7) : std::string();
    const auto entry = m_tokens.check(token);
    if (!entry)
        return refuse(401,
            token.empty() ? "this needs a token: send it as \"Authorization: Bearer TOKEN\"."
                          : "the token was not accepted; check it, or ask for a new one.");
    t_caller = { entry->id, entry->tenant, entry->allows(Scope::Admin) };
    if (!entry->allows(scope))
        return refuse(
            403, "the token " + entry->id + " may not do this: it needs the " + Tokens::scopeName(scope) + " scope.");
    return true;
}

bool Server::admit(const httplib::Request& req, httplib::Response& res)
{
    if (!m_limiter.enabled())
        return true;
    const auto key = t_caller.id.empty() ? "address " + req.remote_addr : "token " + t_caller.id;
    const auto verdict = m_limiter.admit(key);
    if (!verdict.admitted) { // not audited: a flood would fill the log with its own refusals
        res.set_header("Retry-After", std::to_string(verdict.retryAfterSeconds));
        fail(res, 429, verdict.why);
        slowDown();
        return false;
    }
    t_admitted = key;
    return true;
}

void Server::slowDown()
{
    // A refused caller waits a moment for its answer, so a flood costs the server sleeping threads, not
    // the CPU other tenants need. A few workers at most wait at once; past that, refusals are answered
    // at once (a flood from many connections cannot park every worker).
    const int most = std::max(2, m_options.httpThreads / 4);
    if (m_slowedDown.fetch_add(1) < most)
        std::this_thread::sleep_for(std::chrono::milliseconds(200));
    --m_slowedDown;
}

void Server::audit(const httplib::Request& req, const std::string& event, nlohmann::json fields)
{
    if (!m_audit.enabled())
        return;
    fields["event"] = event;
    fields["token"] = t_caller.id.empty() ? "-" : t_caller.id;
    fields["tenant"] = t_caller.tenant;
    fields["from"] = req.remote_addr;
    fields["method"] = req.method;
    fields["path"] = printable(req.path);
    m_audit.write(std::move(fields));
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

namespace {

constexpr std::size_t kMaxHeaderFields = 100;

// What is wrong with a request's head alone, before access is checked and before its body is read: a
// status and a sentence, or status 0.
std::pair<int, std::string> wrongHead(const httplib::Request& req, const Head& head, std::size_t maxBody)
{
    if (head.fields > kMaxHeaderFields)
        return { 431,
            "the request has " + std::to_string(head.fields) + " header fields; this server takes at most "
                + std::to_string(kMaxHeaderFields) + "." };
    if (head.repeated)
        return { 400, std::string("the request has more than one ") + head.repeated + " header; send one." };
    if (head.malformed)
        return { 400, "the request has a header field whose name has white space in it; send names without it." };
    // cpp-httplib reads a PATCH's body (or a PRI's) to the end of the stream: the API takes none of them.
    const auto& method = req.method;
    if (method != "GET" && method != "HEAD" && method != "POST" && method != "PUT" && method != "DELETE")
        return { 405, "this server takes GET, POST, PUT and DELETE requests, not " + printable(method) + "." };
    // Before the body is read: a chunked or compressed body could grow past the size limit unchecked.
    if (head.chunked)
        return { 411,
            "send the request with a Content-Length and no Transfer-Encoding; this server takes no other framing." };
    const auto& length = head.contentLength;
    if (length.empty() && (method == "POST" || method == "PUT"))
        return { 411, "send the request with a Content-Length (0 for an empty body)." };
    if (!length.empty() && !head.bodyBytes)
        return { 400, "the Content-Length \"" + printable(length) + "\" is not a number of bytes." };
    if (head.bodyBytes.value_or(0) > maxBody)
        return { 413,
            "the request body is larger than this server takes; send smaller requests, or a model file by the "
            "resumable upload." };
    // cpp-httplib does not read a GET's body: it would be read as the next request.
    if ((method == "GET" || method == "HEAD") && head.bodyBytes.value_or(0) > 0)
        return { 400, "a " + method + " request has no body; send it without one." };
    const auto& encoding = head.contentEncoding;
    if (!encoding.empty() && strcasecmp(encoding.c_str(), "identity") != 0)
        return { 415,
            "send the request body uncompressed; this server does not take Content-Encoding " + printable(encoding)
                + "." };
    return { 0, {} };
}

} // namespace

void Server::checksBeforeRouting()
{
    m_http->set_pre_routing_handler([this](const httplib::Request& req, httplib::Response& res) {
        t_started = std::chrono::steady_clock::now();
        t_caller = {};
        t_admitted.clear();
        t_routed = true;
        t_head = headOf(req);
        // past the limit it is refused anyway
        deadlines::headersRead(std::min<std::size_t>(t_head.bodyBytes.value_or(0), m_options.maxBodyBytes));
        if (const auto [status, why] = wrongHead(req, t_head, m_options.maxBodyBytes); status != 0) {
            fail(res, status, why);
            res.set_header("Connection", "close");
            return httplib::Server::HandlerResponse::Handled;
        }
        // The one place access is checked, once a request and before its body is read (a stranger's 60 MB
        // upload is refused unread): the repository API needs its scope, the models' paths the infer scope,
        // the metrics (which name every tenant's models) an administrator's when there are tokens.
        const bool repository = req.path.rfind("/v2/repository/", 0) == 0;
        const bool models = req.path.rfind("/v2/models/", 0) == 0;
        const bool metrics = req.path == "/metrics" && !m_tokens.empty();
        if (!repository && !models && !metrics)
            return httplib::Server::HandlerResponse::Unhandled;
        const auto scope = repository ? Scope::Repository : models ? Scope::Infer : Scope::Admin;
        if (!authorize(req, res, scope) || !admit(req, res)) {
            res.set_header("Connection", "close");
            return httplib::Server::HandlerResponse::Handled;
        }
        return httplib::Server::HandlerResponse::Unhandled;
    });
    // "Expect: 100-continue": a head that will be refused is refused before the client sends its body.
    m_http->set_expect_100_continue_handler([this](const httplib::Request& req, httplib::Response& res) {
        const auto [status, why] = wrongHead(req, headOf(req), m_options.maxBodyBytes);
        if (status == 0)
            return 100;
        fail(res, status, why);
        res.set_header("Connection", "close");
        return status;
    });
    m_http->set_post_routing_handler([this](const httplib::Request&, httplib::Response&) {
        if (!t_admitted.empty())
            m_limiter.release(t_admitted);
        t_admitted.clear();
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
    http.set_logger([this](const httplib::Request& req, const httplib::Response& res) { logRequest(req, res); });
}

void Server::logRequest(const httplib::Request& req, const httplib::Response& res)
{
    struct Reset { // a request refused before routing must not carry the last one's caller or start
        ~Reset()
        {
            t_caller = {};
            t_head = {};
            t_routed = false;
            deadlines::answered();
        }
    } reset;
    if (res.get_header_value("Connection") == "close")
        deadlines::hangUp();
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
            { "path", printable(req.path) }, { "status", res.status }, { "ms", ms },
            { "caller", t_caller.id.empty() ? "-" : t_caller.id }, { "from", req.remote_addr } });
    } else {
        log(res.status < 400 ? "info" : "warning",
            req.method + " " + printable(req.path) + " " + std::to_string(res.status) + " " + took
                + (t_caller.id.empty() ? "" : " by " + t_caller.id) + " from " + req.remote_addr);
    }
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
            { { "name", "maas-serve" }, { "version", MAAS_VERSION },
                { "extensions",
                    { "binary_tensor_data", "classification", "model_repository", "model_configuration", "statistics",
                        "maas_upload" } },
                // What it serves, so a publisher refuses another form before sending it (Triton lists none).
                { "maas_platforms", { "pytorch_libtorch" } } });
    });
    http.Get("/metrics", [this](const httplib::Request&, httplib::Response& res) {
        res.set_content(m_repository.metrics(), "text/plain; version=0.0.4");
    });
}

namespace {

// Triton's statistics of the models the caller may see, by the names it knows them by.
json visibleStatistics(json stats)
{
    json list = json::array();
    for (auto& entry : stats["model_stats"])
        if (const auto name = visible(entry["name"].get<std::string>())) {
            entry["name"] = *name;
            list.push_back(std::move(entry));
        }
    return { { "model_stats", list } };
}

// A model's metadata or configuration, named as the caller named it.
json named(json body, const std::string& name)
{
    if (!t_caller.admin && body.is_object() && body.contains("name"))
        body["name"] = name;
    return body;
}

std::optional<std::size_t> inferenceHeaderLength()
{
    if (!t_head.inferenceHeaderLength)
        return std::nullopt;
    const auto bytes = wholeBytes(*t_head.inferenceHeaderLength);
    if (!bytes)
        throw Error(ErrorKind::InvalidInput, "Inference-Header-Content-Length must be a whole number of bytes.");
    return bytes;
}

} // namespace

void Server::modelRoutes()
{
    auto& http = *m_http;
    http.Get("/v2/models/stats", [this](const httplib::Request&, httplib::Response& res) {
        guarded(res, [&] { reply(res, 200, visibleStatistics(m_repository.statistics())); });
    });
    http.Get(std::string(kModel) + "/stats", [this](const httplib::Request& req, httplib::Response& res) {
        guarded(res, [&] {
            reply(res, 200, visibleStatistics(m_repository.statistics(qualified(group(req, 1)), group(req, 2))));
        });
    });
    http.Get(std::string(kModel) + "/ready", [this](const httplib::Request& req, httplib::Response& res) {
        guarded(res, [&] {
            const bool ready = m_repository.ready(qualified(group(req, 1)), group(req, 2));
            reply(res, ready ? 200 : 400, { { "name", group(req, 1) }, { "ready", ready } });
        });
    });
    http.Get(std::string(kModel) + "/config", [this](const httplib::Request& req, httplib::Response& res) {
        guarded(res, [&] {
            reply(res, 200, named(m_repository.config(qualified(group(req, 1)), group(req, 2)), group(req, 1)));
        });
    });
    http.Get(kModel, [this](const httplib::Request& req, httplib::Response& res) {
        guarded(res, [&] {
            reply(res, 200, named(m_repository.metadata(qualified(group(req, 1)), group(req, 2)), group(req, 1)));
        });
    });
    withBody(std::string(kModel) + "/infer",
        [this](const httplib::Request& req, httplib::Response& res, const std::string& body) {
            guarded(res, [&] {
                const auto headerLength = inferenceHeaderLength();
                const auto out = m_repository.infer(qualified(group(req, 1)), group(req, 2), body, headerLength);
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
                const auto name = visible(e.name);
                if (!name)
                    continue;
                json entry { { "name", *name }, { "state", e.state } };
                if (!e.version.empty())
                    entry["version"] = e.version;
                if (!e.reason.empty())
                    entry["reason"] = shown(e.reason);
                list.push_back(std::move(entry));
            }
            reply(res, 200, list);
        });
    });
    withBody("/v2/repository/models/([^/]+)/load",
        [this](const httplib::Request& req, httplib::Response& res, const std::string& body) {
            changeRecorded(req, res, "load", [&] {
                auto request = engine::parseLoadRequest(body);
                request.owner = t_caller.tenant;
                m_repository.load(qualified(group(req, 1)), request);
            });
        });
    withBody("/v2/repository/models/([^/]+)/unload",
        [this](const httplib::Request& req, httplib::Response& res, const std::string&) {
            changeRecorded(req, res, "unload", [&] { m_repository.unload(qualified(group(req, 1))); });
        });
}

void Server::changeRecorded(
    const httplib::Request& req, httplib::Response& res, const std::string& event, const std::function<void()>& change)
{
    guarded(res, [&] {
        change();
        reply(res, 200, json::object());
    });
    const auto model = qualified(group(req, 1));
    if (res.status == 200)
        log("info", event + "ed " + model + (t_caller.id.empty() ? "" : " for " + t_caller.id));
    audit(req, event,
        { { "model", model }, { "status", res.status },
            { "outcome", res.status == 200 ? "done" : json::parse(res.body, nullptr, false).value("error", "") } });
}

void Server::uploadRoutes()
{
    auto& http = *m_http;
    // The resumable upload: POST starts one, PUT ?offset=N appends a chunk where the last one ended, GET says
    // how far it got (after a dropped connection), POST .../commit checks the whole file's SHA-256, DELETE
    // drops one that will not be loaded. A load request then names it: "upload:1/model.pt": "<id>". An upload
    // is its tenant's.
    withBody("/v2/repository/uploads", [this](const httplib::Request& req, httplib::Response& res, const std::string&) {
        guarded(res, [&] {
            const auto id = m_repository.startUpload(t_caller.tenant);
            audit(req, "upload-start", { { "upload", id } });
            reply(res, 201, { { "id", id }, { "offset", 0 } });
        });
    });
    http.Get("/v2/repository/uploads/([0-9a-f]+)", [this](const httplib::Request& req, httplib::Response& res) {
        guarded(res, [&] {
            reply(res, 200,
                { { "id", group(req, 1) }, { "offset", m_repository.uploadOffset(t_caller.tenant, group(req, 1)) } });
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
                const auto size = m_repository.appendUpload(t_caller.tenant, group(req, 1), offset, body);
                reply(res, 200, { { "id", group(req, 1) }, { "offset", size } });
            });
        },
        Method::Put);
    http.Delete("/v2/repository/uploads/([0-9a-f]+)", [this](const httplib::Request& req, httplib::Response& res) {
        guarded(res, [&] {
            m_repository.cancelUpload(t_caller.tenant, group(req, 1));
            audit(req, "upload-cancel", { { "upload", group(req, 1) } });
            reply(res, 200, { { "id", group(req, 1) }, { "cancelled", true } });
        });
    });
    withBody("/v2/repository/uploads/([0-9a-f]+)/commit",
        [this](const httplib::Request& req, httplib::Response& res, const std::string& body) {
            guarded(res, [&] {
                const auto parsed = engine::parseJson(body);
                if (!parsed || !parsed->is_object() || !parsed->contains("sha256") || !(*parsed)["sha256"].is_string())
                    throw Error(
                        ErrorKind::InvalidInput, "a commit needs {\"sha256\": \"<the file's SHA-256 in hex>\"}.");
                m_repository.commitUpload(t_caller.tenant, group(req, 1), (*parsed)["sha256"].get<std::string>());
                audit(req, "upload-commit", { { "upload", group(req, 1) } });
                reply(res, 200,
                    { { "id", group(req, 1) }, { "offset", m_repository.uploadOffset(t_caller.tenant, group(req, 1)) },
                        { "committed", true } });
            });
        });
}

void checkTenantMemory(
    const engine::Repository& repository, std::int64_t cap, const std::string& name, std::int64_t bytes)
{
    const auto tenantOf = [](const std::string& n) {
        const auto at = n.find(engine::kNamespaceSeparator);
        return at == std::string::npos ? std::string(kDefaultTenant) : n.substr(0, at);
    };
    const auto tenant = tenantOf(name);
    std::int64_t others = 0;
    for (const auto& e : repository.index(true))
        if (e.name != name && tenantOf(e.name) == tenant)
            others += e.bytes;
    if (others + bytes > cap)
        throw Error(ErrorKind::Conflict,
            "loading " + engine::plainModelName(name) + " (" + engine::byteSize(double(bytes))
                + ") would take the tenant's served models to " + engine::byteSize(double(others + bytes))
                + ", past its cap of " + engine::byteSize(double(cap)) + "; unload a model first.");
}

} // namespace maas::serve
