#include "tokens.h"

#include "maas/engine/serving.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace maas::serve {

namespace {

std::string hex(const unsigned char* bytes, std::size_t n)
{
    static const char* digits = "0123456789abcdef";
    std::string out;
    for (std::size_t i = 0; i < n; ++i) {
        out += digits[bytes[i] >> 4];
        out += digits[bytes[i] & 15];
    }
    return out;
}

std::string randomHex(std::size_t n)
{
    std::vector<unsigned char> bytes(n);
    if (RAND_bytes(bytes.data(), static_cast<int>(n)) != 1)
        throw std::runtime_error("the system's random number generator failed; try again.");
    return hex(bytes.data(), n);
}

std::string hashToken(const std::string& saltHex, const std::string& token)
{
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    const std::string input = saltHex + ":" + token;
    EVP_Digest(input.data(), input.size(), digest, &length, EVP_sha256(), nullptr);
    return hex(digest, length);
}

// A token id or a tenant: the letters a model's name takes (the engine's rule), without a namespace.
bool validName(const std::string& name, std::size_t longest)
{
    return name.size() <= longest && name.find(engine::kNamespaceSeparator) == std::string::npos
        && engine::validModelName(name);
}

long long modifiedTime(const std::string& path)
{
    struct stat st { };
    if (::stat(path.c_str(), &st) != 0)
        return -2;
    // The inode too: every rewrite renames a new file into place, so a change within one timestamp tick
    // that keeps the size (revoke one token, add another) is still seen.
    return (static_cast<long long>(st.st_mtim.tv_sec) * 1'000'000'000LL + st.st_mtim.tv_nsec)
        ^ (static_cast<long long>(st.st_ino) << 20) ^ st.st_size;
}

void write(const std::string& path, const std::vector<TokenEntry>& entries)
{
    std::string text
        = "# maas-serve tokens: ID TENANT SCOPES SALT SHA256(SALT:TOKEN). Written by `maas-serve token`.\n";
    for (const auto& e : entries)
        text += e.id + " " + e.tenant + " " + Tokens::scopeNames(e.scopes) + " " + e.salt + " " + e.hash + "\n";
    const auto tmp = path + ".tmp-" + randomHex(4);
    {
        const auto old = ::umask(077);
        std::ofstream out(tmp, std::ios::trunc);
        ::umask(old);
        out << text;
        out.close();
        if (!out) {
            std::remove(tmp.c_str());
            throw std::runtime_error("cannot write the tokens file " + path + "; check that its folder is writable.");
        }
    }
    ::chmod(tmp.c_str(), 0600);
    // The file keeps its owner: root adding a token to the service's file must not lock the service out.
    struct stat before { };
    if (::stat(path.c_str(), &before) == 0 && ::chown(tmp.c_str(), before.st_uid, before.st_gid) != 0) {
        std::remove(tmp.c_str());
        throw std::runtime_error("cannot give the new tokens file the owner of " + path + ".");
    }
    if (std::rename(tmp.c_str(), path.c_str()) != 0) {
        std::remove(tmp.c_str());
        throw std::runtime_error("cannot replace the tokens file " + path + ".");
    }
}

} // namespace

bool TokenEntry::allows(Scope scope) const
{
    return std::find(scopes.begin(), scopes.end(), scope) != scopes.end()
        || std::find(scopes.begin(), scopes.end(), Scope::Admin) != scopes.end();
}

std::optional<Scope> Tokens::parseScope(const std::string& name)
{
    if (name == "infer")
        return Scope::Infer;
    if (name == "repository")
        return Scope::Repository;
    if (name == "admin")
        return Scope::Admin;
    return std::nullopt;
}

std::string Tokens::scopeNames(const std::vector<Scope>& scopes)
{
    std::string names;
    for (const auto s : scopes)
        names += (names.empty() ? "" : ",") + scopeName(s);
    return names;
}

void Tokens::onChange(std::function<void(const std::vector<std::string>&, const std::vector<std::string>&)> f)
{
    std::lock_guard lock(m_mutex);
    m_changed = std::move(f);
}

std::string Tokens::scopeName(Scope scope)
{
    switch (scope) {
    case Scope::Infer: return "infer";
    case Scope::Repository: return "repository";
    case Scope::Admin: return "admin";
    }
    return "infer";
}

Tokens::Tokens(std::string path)
    : m_path(std::move(path))
{
    if (!m_path.empty()) {
        m_entries = read(m_path);
        m_modified = modifiedTime(m_path);
    }
}

bool Tokens::empty() const { return m_path.empty(); }

std::vector<TokenEntry> Tokens::read(const std::string& path)
{
    struct stat st { };
    if (::stat(path.c_str(), &st) == 0 && (!S_ISREG(st.st_mode) || st.st_size == 0))
        throw std::runtime_error("the tokens file " + path + (S_ISREG(st.st_mode) ? " is empty" : " is not a file")
            + "; make it with `maas-serve token add`, which writes it whole.");
    std::ifstream in(path);
    if (!in)
        throw std::runtime_error("cannot read the tokens file " + path
            + "; make one with `maas-serve token add --tokens " + path + " --id NAME --scope infer`.");
    std::vector<TokenEntry> entries;
    std::string line;
    for (int number = 1; std::getline(in, line); ++number) {
        if (line.find_first_not_of(" \t\r") == std::string::npos || line[line.find_first_not_of(" \t")] == '#')
            continue;
        std::istringstream fields(line);
        std::vector<std::string> words;
        for (std::string w; fields >> w;)
            words.push_back(w);
        TokenEntry e;
        std::string scopes;
        if (words.size() == 5)
            e.tenant = words[1];
        if (words.size() == 4 || words.size() == 5) {
            e.id = words[0];
            scopes = words[words.size() - 3];
            e.salt = words[words.size() - 2];
            e.hash = words[words.size() - 1];
        }
        const bool hexHash = e.hash.size() == 64 && std::all_of(e.hash.begin(), e.hash.end(), ::isxdigit);
        if (e.id.empty() || scopes.empty() || e.salt.empty() || !hexHash)
            throw std::runtime_error("the tokens file " + path + " has a line " + std::to_string(number)
                + " that is not \"ID TENANT SCOPES SALT HASH\"; fix it or make the file again with `maas-serve token "
                  "add`.");
        if (!validName(e.tenant, 64))
            throw std::runtime_error("the tokens file " + path + " names the tenant \"" + e.tenant + "\" on line "
                + std::to_string(number) + "; a tenant is 1 to 64 letters, digits, '-', '_' or '.'.");
        std::istringstream list(scopes);
        for (std::string s; std::getline(list, s, ',');) {
            const auto scope = parseScope(s);
            if (!scope)
                throw std::runtime_error("the tokens file " + path + " gives the scope \"" + s + "\" on line "
                    + std::to_string(number) + "; scopes are infer, repository and admin.");
            e.scopes.push_back(*scope);
        }
        for (const auto& other : entries) // one line per token: a copied line would give it two tenants
            if (other.id == e.id || other.hash == e.hash)
                throw std::runtime_error("the tokens file " + path + " gives the token " + e.id + " twice (line "
                    + std::to_string(number) + "); remove one of the lines.");
        entries.push_back(std::move(e));
    }
    return entries;
}

void Tokens::refresh()
{
    const auto now = std::chrono::steady_clock::now();
    if (now - m_checked < std::chrono::milliseconds(200))
        return;
    m_checked = now;
    const auto modified = modifiedTime(m_path);
    if (modified == m_modified)
        return;
    try {
        auto entries = read(m_path);
        std::vector<std::string> added, removed;
        const auto has = [](const std::vector<TokenEntry>& list, const TokenEntry& e) {
            return std::any_of(
                list.begin(), list.end(), [&](const auto& o) { return o.id == e.id && o.hash == e.hash; });
        };
        for (const auto& e : entries)
            if (!has(m_entries, e))
                added.push_back(e.id);
        for (const auto& e : m_entries)
            if (!has(entries, e))
                removed.push_back(e.id);
        m_entries = std::move(entries);
        m_modified = modified;
        if (m_changed && (!added.empty() || !removed.empty()))
            m_changed(added, removed);
    } catch (const std::exception& e) {
        m_modified = modified;
        if (modified == -2) { // the file is gone: nobody gets in (deleting it revokes every token)
            std::vector<std::string> removed;
            for (const auto& old : m_entries)
                removed.push_back(old.id);
            m_entries.clear();
            std::fprintf(stderr, "maas-serve: warning: %s No token is accepted until it is back.\n", e.what());
            if (m_changed && !removed.empty())
                m_changed({}, removed);
            return;
        }
        // A file that turns bad (a typo) leaves the tokens as they were, and says so.
        std::fprintf(
            stderr, "maas-serve: warning: %s The tokens read before stay in force until it is fixed.\n", e.what());
    }
}

std::optional<TokenEntry> Tokens::check(const std::string& token)
{
    if (m_path.empty() || token.empty() || token.size() > 512)
        return std::nullopt;
    std::lock_guard lock(m_mutex);
    refresh();
    std::optional<TokenEntry> found;
    for (const auto& e : m_entries) { // every entry is hashed and compared, so the time says nothing
        const auto hash = hashToken(e.salt, token);
        if (hash.size() == e.hash.size() && CRYPTO_memcmp(hash.data(), e.hash.data(), hash.size()) == 0 && !found)
            found = e;
    }
    return found;
}

std::string Tokens::add(
    const std::string& path, const std::string& id, const std::string& tenant, const std::vector<Scope>& scopes)
{
    if (!validName(id, 64))
        throw std::runtime_error("the token id \"" + id + "\" must be 1 to 64 letters, digits, '-', '_' or '.'.");
    if (!validName(tenant, 64))
        throw std::runtime_error("the tenant \"" + tenant + "\" must be 1 to 64 letters, digits, '-', '_' or '.'.");
    std::vector<TokenEntry> entries;
    std::ifstream probe(path);
    if (probe)
        entries = read(path);
    if (std::any_of(entries.begin(), entries.end(), [&](const auto& e) { return e.id == id; }))
        throw std::runtime_error(
            "the tokens file " + path + " has a token named " + id + " already; revoke it first or choose another id.");
    const auto token = "maas_" + randomHex(24);
    TokenEntry e { id, tenant, scopes, randomHex(16), {} };
    e.hash = hashToken(e.salt, token);
    entries.push_back(e);
    write(path, entries);
    return token;
}

bool Tokens::revoke(const std::string& path, const std::string& id)
{
    auto entries = read(path);
    const auto before = entries.size();
    entries.erase(
        std::remove_if(entries.begin(), entries.end(), [&](const auto& e) { return e.id == id; }), entries.end());
    if (entries.size() == before)
        return false;
    write(path, entries);
    return true;
}

} // namespace maas::serve
