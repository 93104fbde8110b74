#pragma once

#include <QList>
#include <QString>

#include <optional>

namespace maas::app {

/// A named MaaS endpoint: where it is and how to reach it. Its secret (a token, or a header's value) is
/// never stored here: see Credentials.
struct Endpoint {
    QString name;
    QString url; ///< http:// or https://, without a path ("https://models.example.com:8000")
    /// The header the secret goes in: empty for "Authorization: Bearer SECRET"; else a header name that
    /// carries the secret as it is (Triton's --http-restricted-api takes a header name and value).
    QString authHeader;
    QString caFile; ///< PEM file of the CA to trust instead of the system's
    QString clientCertificate; ///< PEM certificate for mutual TLS, with clientKey
    QString clientKey;
    bool allowSelfSigned = false; ///< accept a self-signed certificate: visibly warned about everywhere
    bool builtIn = false; ///< "local": the maas-serve this program starts on loopback

    /// One sentence saying what is wrong with the fields (a name or URL that cannot work, a TLS file that
    /// is missing); empty when they are fine.
    QString problem() const;
};

/// The name of the built-in endpoint that runs on this machine.
inline constexpr const char* kLocalEndpoint = "local";

/// Named endpoints, kept in one JSON file shared by the CLI and the workbench
/// (~/.config/maas/endpoints.json), written atomically. The built-in "local" endpoint is always listed.
class EndpointStore {
public:
    /// Every endpoint. A damaged file is an Error, or, with `problem`, the built-in one alone and the
    /// sentence in *problem (for a window, which shows it and goes on).
    static QList<Endpoint> all(QString* problem = nullptr);
    static std::optional<Endpoint> find(const QString& name);
    /// Adds or replaces an endpoint (not "local"); throws maas::engine::Error with a sentence when its
    /// fields do not work or the file cannot be written.
    static void save(const Endpoint& endpoint);
    /// Removes an endpoint and its secret; false when there was none of that name.
    static bool remove(const QString& name);
    static QString file();
};

/// Endpoint secrets, in the operating system's keychain through QtKeychain. Where no keychain service
/// runs (a server, a container), in ~/.config/maas/credentials, readable only by the user; where() then
/// says so, for the warning a user must see. MAAS_KEYCHAIN=off goes straight to the file.
class Credentials {
public:
    static void store(const QString& endpoint, const QString& secret);
    static QString read(const QString& endpoint);
    static void remove(const QString& endpoint);
    /// "keychain", or "file" with the file's path when the keychain was not reachable.
    static QString where();
};

} // namespace maas::app
