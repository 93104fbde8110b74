// The HTTP front of maas-serve: the open inference protocol's REST paths over the engine's Repository.
#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <string>

#include <nlohmann/json.hpp>

#include "audit.h"
#include "limits.h"
#include "tls.h"
#include "tokens.h"

namespace httplib {
class Server;
struct Request;
struct Response;
} // namespace httplib

namespace maas::engine {
class Repository;
}

namespace maas::serve {

struct ServerOptions {
    std::string host = "127.0.0.1";
    int port = 8000; ///< 0: any free port
    std::size_t maxBodyBytes = std::size_t { 64 } << 20; ///< Triton's default
    int httpThreads = 96; ///< connections served at once (each keep-alive connection holds one)
    int readTimeoutSeconds = 10; ///< the longest wait for one read or write on a connection
    int headerTimeoutMs = 10'000; ///< a request's headers must arrive within this
    double bodyBytesPerSecond = 1 << 20; ///< and its body within that more, at this rate
    double ratePerCaller = 0; ///< requests a second for one token (or address); 0: no limit
    int concurrentPerCaller = 0; ///< requests at once for one token (or address); 0: no limit
    Tls* tls = nullptr; ///< HTTPS with this certificate; null: plain HTTP
    bool inferNeedsToken = false;
    bool logRequests = false;
    bool jsonLogs = false;
};

class Server {
public:
    Server(engine::Repository& repository, Tokens& tokens, AuditLog& audit, ServerOptions options);
    ~Server();
    /// Binds; returns the port (useful with port 0). Throws std::runtime_error when it cannot.
    int bind();
    /// Serves until stop(); returns false when the socket failed.
    bool run();
    /// Refuses new inference, lets what runs finish, then stops listening (SIGTERM).
    void drainAndStop();
    /// Reads the TLS files again (SIGHUP); on failure the server keeps what it had, and logs why.
    void reloadTls();
    /// One log line: text or JSON as asked, on stderr.
    void log(const std::string& level, const std::string& message) const;
    /// One JSON log line of these fields and the time (--log-json).
    void logRecord(nlohmann::json record) const;

private:
    /// True when the request may go on; otherwise the response is the 401 or 403 that says why.
    bool authorize(const httplib::Request& req, httplib::Response& res, Scope scope);
    /// True when the caller may send one more request now; otherwise the response is the 429.
    bool admit(const httplib::Request& req, httplib::Response& res);
    /// Holds a refused caller's answer back a moment (a few at once), so a flood spends little CPU.
    void slowDown();
    /// An audit record of the request's caller and address.
    void audit(const httplib::Request& req, const std::string& event, nlohmann::json fields = {});
    enum class Method { Post, Put };
    using BodyHandler = std::function<void(const httplib::Request&, httplib::Response&, const std::string& body)>;
    /// Registers a handler that gets the whole body (read within the size limit).
    void withBody(const std::string& pattern, const BodyHandler& handler, Method method = Method::Post);
    void routes();
    /// Refusals made on a request's headers, before its body is read.
    void checksBeforeRouting();
    /// Bodies for the errors cpp-httplib answers itself, and the request log.
    void answersAndLog();
    void logRequest(const httplib::Request& req, const httplib::Response& res);
    /// Runs a load or unload and records it (log and audit), whatever its outcome.
    void changeRecorded(const httplib::Request& req, httplib::Response& res, const std::string& event,
        const std::function<void()>& change);
    void serverRoutes();
    void modelRoutes();
    void repositoryRoutes();
    void uploadRoutes();
    engine::Repository& m_repository;
    Tokens& m_tokens;
    AuditLog& m_audit;
    ServerOptions m_options;
    Limiter m_limiter;
    std::function<void()> m_raiseBacklog; // before m_http, which sets it
    std::unique_ptr<httplib::Server> m_http;
    std::atomic<bool> m_ended { false };
    std::atomic<int> m_slowedDown { 0 };
};

/// The repository's admission check for a per-tenant cap on loaded models' memory: the bytes of the
/// tenant's served model files (a model's namespace is its tenant) with the new model's must stay within
/// `cap`. Throws engine::Error(Conflict) with a sentence when they would not.
void checkTenantMemory(
    const engine::Repository& repository, std::int64_t cap, const std::string& name, std::int64_t bytes);

} // namespace maas::serve
