// API keys for maas-serve: a tokens file of salted SHA-256 hashes, never the tokens themselves.
#pragma once

#include <chrono>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace maas::serve {

/// What a token may do. `admin` may do everything.
enum class Scope { Infer, Repository, Admin };

/// The tenant of anonymous callers and of tokens written before tenants: its models have plain names.
constexpr const char* kDefaultTenant = "default";

struct TokenEntry {
    std::string id; ///< a name for the token, shown in logs instead of the token
    std::string tenant = kDefaultTenant; ///< whose models it reaches
    std::vector<Scope> scopes;
    std::string salt; ///< hex
    std::string hash; ///< hex SHA-256 of "SALT:TOKEN" (the salt as its hex)
    bool allows(Scope scope) const;
};

/// The tokens file: one token per line, "ID TENANT SCOPES SALT HASH" (scopes comma-separated: infer,
/// repository, admin; a line without TENANT is the default tenant's); blank lines and lines starting with
/// # are skipped. Re-read when it changes on disk, so a revoked token stops working without a restart.
class Tokens {
public:
    /// An empty path: no tokens (the repository API then refuses everyone).
    explicit Tokens(std::string path);
    bool empty() const;
    /// The entry a presented token matches (constant-time comparison of the hashes), or nothing.
    std::optional<TokenEntry> check(const std::string& token);

    /// Reads a tokens file; throws std::runtime_error with one sentence naming the file and line.
    static std::vector<TokenEntry> read(const std::string& path);
    /// Adds a token of a tenant with these scopes and writes the file (atomically, mode 0600); returns the
    /// token.
    static std::string add(
        const std::string& path, const std::string& id, const std::string& tenant, const std::vector<Scope>& scopes);
    /// Removes the token named id; false when there is none.
    static bool revoke(const std::string& path, const std::string& id);
    static std::optional<Scope> parseScope(const std::string& name);
    static std::string scopeName(Scope scope);
    static std::string scopeNames(const std::vector<Scope>& scopes);
    /// Called (under the lock) when the file's tokens changed on disk: the ids added and removed.
    void onChange(std::function<void(const std::vector<std::string>&, const std::vector<std::string>&)> f);

private:
    void refresh();
    std::string m_path;
    std::mutex m_mutex;
    std::vector<TokenEntry> m_entries;
    std::chrono::steady_clock::time_point m_checked;
    long long m_modified = -1;
    std::function<void(const std::vector<std::string>&, const std::vector<std::string>&)> m_changed;
};

} // namespace maas::serve
