// The HTTP front of maas-serve: the open inference protocol's REST paths over the engine's Repository.
#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <string>

#include <nlohmann/json.hpp>

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
    int readTimeoutSeconds = 10; ///< a slow client cannot hold a worker longer
    bool inferNeedsToken = false;
    bool logRequests = false;
    bool jsonLogs = false;
};

class Server {
public:
    Server(engine::Repository& repository, Tokens& tokens, ServerOptions options);
    ~Server();
    /// Binds; returns the port (useful with port 0). Throws std::runtime_error when it cannot.
    int bind();
    /// Serves until stop(); returns false when the socket failed.
    bool run();
    /// Refuses new inference, lets what runs finish, then stops listening (SIGTERM).
    void drainAndStop();
    /// One log line: text or JSON as asked, on stderr.
    void log(const std::string& level, const std::string& message) const;
    /// One JSON log line of these fields and the time (--log-json).
    void logRecord(nlohmann::json record) const;

private:
    /// True when the request may go on; otherwise the response is the 401 or 403 that says why.
    bool authorize(const httplib::Request& req, httplib::Response& res, Scope scope);
    enum class Method { Post, Put };
    using BodyHandler = std::function<void(const httplib::Request&, httplib::Response&, const std::string& body)>;
    /// Registers a handler that gets the whole body (read within the size limit).
    void withBody(const std::string& pattern, const BodyHandler& handler, Method method = Method::Post);
    void routes();
    /// Refusals made on a request's headers, before its body is read.
    void checksBeforeRouting();
    /// Bodies for the errors cpp-httplib answers itself, and the request log.
    void answersAndLog();
    void serverRoutes();
    void modelRoutes();
    void repositoryRoutes();
    void uploadRoutes();
    engine::Repository& m_repository;
    Tokens& m_tokens;
    ServerOptions m_options;
    std::unique_ptr<httplib::Server> m_http;
    std::atomic<bool> m_ended { false };
};

} // namespace maas::serve
