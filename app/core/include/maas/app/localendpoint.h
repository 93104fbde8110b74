#pragma once

#include <QString>

#include <optional>

namespace maas::app {

/// The built-in endpoint "local": a maas-serve process on loopback with its own repository and token,
/// under ~/.local/share/maas/local-endpoint (repository/, tokens, state.json, serve.log). The CLI and the
/// workbench start it on demand and share it; it runs until stop() (or the machine stops), so a model
/// published by one `maas` command answers the next.
class LocalEndpoint {
public:
    struct Running {
        QString url; ///< http://127.0.0.1:PORT
        QString token; ///< infer and repository scopes
        qint64 pid = 0;
    };
    /// The running local endpoint, started (and waited for) when it is not running. Throws
    /// maas::engine::Error with a sentence when maas-serve cannot be found or does not start.
    static Running ensureRunning();
    /// The running local endpoint, or nothing; never starts one.
    static std::optional<Running> status();
    /// Stops it (SIGTERM, then waits for it to finish its requests); false when it was not running.
    static bool stop();
    static QString folder();
    /// The maas-serve program: $MAAS_SERVE, beside this program, the build tree's, or on PATH; empty when
    /// none is found.
    static QString serveProgram();
};

} // namespace maas::app
