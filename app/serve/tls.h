// TLS for maas-serve: the certificate, its key and the client CAs, read from PEM files, checked, and
// swapped while the server runs (SIGHUP) without dropping a connection.
#pragma once

#include <memory>
#include <mutex>
#include <string>

struct ssl_ctx_st;
struct ssl_st;

namespace maas::serve {

struct TlsFiles {
    std::string cert; ///< PEM: the server's certificate, then its chain
    std::string key; ///< PEM: its private key
    std::string clientCa; ///< PEM: CAs a client's certificate must chain to (mutual TLS); empty: none asked
};

class Tls {
public:
    /// Reads and checks the files; throws std::runtime_error with one sentence (a key that does not match
    /// the certificate, an expired certificate, a file that is not PEM, ...).
    explicit Tls(TlsFiles files);
    ~Tls();
    /// Sets up a new server context: TLS 1.2 or newer, the current certificate for every handshake, and
    /// client certificates required when there are client CAs.
    bool setUp(ssl_ctx_st& context);
    /// Reads the files again; on success new handshakes use them. On failure nothing changes and the
    /// sentence says why.
    bool reload(std::string& why);
    struct Material;

private:
    TlsFiles m_files;
    mutable std::mutex m_mutex;
    std::shared_ptr<const Material> m_current;
    static int useCurrent(ssl_st* ssl, void* self);
};

} // namespace maas::serve
