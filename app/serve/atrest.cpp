#include "atrest.h"

#include <openssl/evp.h>
#include <openssl/rand.h>
#include <sys/stat.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <memory>
#include <stdexcept>

#include "maas/engine/card.h"
#include "maas/engine/error.h"
#include "maas/engine/model.h"
#include "maas/engine/serving.h"

namespace maas::serve {

namespace fs = std::filesystem;

namespace {

constexpr char kMagic[] = "MAASGCM1";
constexpr std::size_t kMagicBytes = 8, kNonceBytes = 12, kTagBytes = 16;

using Cipher = std::unique_ptr<EVP_CIPHER_CTX, decltype(&EVP_CIPHER_CTX_free)>;

// EVP takes lengths as int: a model file of any size goes through in pieces of 1 GiB.
template <typename Update>
bool update(EVP_CIPHER_CTX* c, Update step, const unsigned char* in, std::size_t size, unsigned char* out)
{
    constexpr std::size_t piece = std::size_t { 1 } << 30;
    for (std::size_t done = 0; done < size; done += piece) {
        int n = 0;
        if (step(c, out + done, &n, in + done, static_cast<int>(std::min(piece, size - done))) != 1)
            return false;
    }
    return true;
}

std::string readWhole(const fs::path& path)
{
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw std::runtime_error("cannot read " + path.string() + ".");
    return std::string(std::istreambuf_iterator<char>(in), {});
}

// Writes beside the target, then renames over it: a reader sees the old file or the new, never half.
void replaceFile(const fs::path& path, const std::string& bytes)
{
    const auto tmp = path.string() + ".sealing";
    {
        std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
        out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
        out.flush();
        if (!out) {
            std::error_code ec;
            fs::remove(tmp, ec);
            throw std::runtime_error("cannot write " + tmp + "; is the disk full?");
        }
    }
    fs::rename(tmp, path);
}

// The model files of a repository: <model>/<version>/model.pt, hidden folders (staging, uploads) left out;
// each with its name in the repository.
template <typename F> void forEachModelFile(const fs::path& root, F&& visit)
{
    for (const auto& model : fs::directory_iterator(root)) {
        const auto name = model.path().filename().string();
        if (!model.is_directory() || !engine::validModelName(name))
            continue;
        for (const auto& version : fs::directory_iterator(model.path()))
            if (version.is_directory() && fs::is_regular_file(version.path() / "model.pt"))
                visit(version.path() / "model.pt", engine::modelFileName(name, version.path().filename().string()));
    }
}

// Triton needs a config.pbtxt; one made from the card of the model's latest version (and the labels file
// it names) where the folder has none, as maas-serve itself makes it.
void writeConfigIfMissing(const fs::path& dir)
{
    if (fs::exists(dir / "config.pbtxt"))
        return;
    long long latest = -1;
    for (const auto& version : fs::directory_iterator(dir))
        if (version.is_directory() && fs::is_regular_file(version.path() / "model.pt"))
            latest = std::max(latest, std::strtoll(version.path().filename().c_str(), nullptr, 10));
    if (latest < 0)
        return;
    const auto model = engine::Model::load((dir / std::to_string(latest) / "model.pt").string());
    const auto config = engine::configFromCard(model, dir.filename().string());
    for (const auto& o : config.outputs)
        if (!o.labelFilename.empty()) {
            std::string text;
            for (const auto& label : model.card().labels)
                text += label + "\n";
            replaceFile(dir / o.labelFilename, text);
        }
    replaceFile(dir / "config.pbtxt", config.toPbtxt());
}

} // namespace

AtRestKey AtRestKey::read(const std::string& path)
{
    struct stat st { };
    if (::stat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode) || st.st_size > 4096)
        throw std::runtime_error("cannot read the at-rest key " + path + "; make one with `head -c 32 /dev/urandom > "
            + path + " && chmod 600 " + path + "`.");
    const auto raw = readWhole(path);
    auto text = raw;
    while (!text.empty() && (text.back() == '\n' || text.back() == '\r'))
        text.pop_back();
    AtRestKey key;
    if (text.size() == 64 && std::all_of(text.begin(), text.end(), ::isxdigit)) {
        for (std::size_t i = 0; i < 64; i += 2)
            key.m_key += static_cast<char>(std::stoi(text.substr(i, 2), nullptr, 16));
    } else if (raw.size() == 32) {
        key.m_key = raw;
    } else {
        throw std::runtime_error("the at-rest key " + path + " holds " + std::to_string(raw.size())
            + " bytes; an AES-256 key is 32 bytes (or 64 hex digits), such as `head -c 32 /dev/urandom > " + path
            + "` makes.");
    }
    return key;
}

bool AtRestKey::sealed(const std::string& stored)
{
    return stored.size() >= kMagicBytes + kNonceBytes + kTagBytes && stored.compare(0, kMagicBytes, kMagic) == 0;
}

// The authenticated data: the magic and the file's name in the repository, so a sealed file copied over
// another model's, or over another version of its own, fails its check.
std::string associated(const std::string& name) { return std::string(kMagic, kMagicBytes) + name; }

std::string AtRestKey::seal(const std::string& name, const std::string& plain) const
{
    std::string out(kMagic, kMagicBytes);
    out.resize(kMagicBytes + kNonceBytes + plain.size() + kTagBytes);
    auto* nonce = reinterpret_cast<unsigned char*>(&out[kMagicBytes]);
    if (RAND_bytes(nonce, kNonceBytes) != 1)
        throw std::runtime_error("the system's random number generator failed; try again.");
    Cipher c(EVP_CIPHER_CTX_new(), EVP_CIPHER_CTX_free);
    int n = 0, tail = 0;
    const auto* key = reinterpret_cast<const unsigned char*>(m_key.data());
    auto* body = reinterpret_cast<unsigned char*>(&out[kMagicBytes + kNonceBytes]);
    const auto aad = associated(name);
    const bool ok = c && EVP_EncryptInit_ex(c.get(), EVP_aes_256_gcm(), nullptr, key, nonce) == 1
        && EVP_EncryptUpdate(
               c.get(), nullptr, &n, reinterpret_cast<const unsigned char*>(aad.data()), static_cast<int>(aad.size()))
            == 1
        && update(c.get(), EVP_EncryptUpdate, reinterpret_cast<const unsigned char*>(plain.data()), plain.size(), body)
        && EVP_EncryptFinal_ex(c.get(), body + plain.size(), &tail) == 1
        && EVP_CIPHER_CTX_ctrl(c.get(), EVP_CTRL_GCM_GET_TAG, kTagBytes, body + plain.size()) == 1;
    if (!ok)
        throw engine::Error(engine::ErrorKind::Io, "the model " + name + " could not be encrypted (OpenSSL failed).");
    return out;
}

std::string AtRestKey::open(const std::string& name, const std::string& stored) const
{
    if (!sealed(stored))
        throw engine::Error(engine::ErrorKind::InvalidModel,
            name
                + " is not encrypted, but this repository's models are: seal it with `maas-serve seal`, or load it "
                  "again through the server.");
    const auto size = stored.size() - kMagicBytes - kNonceBytes - kTagBytes;
    std::string plain(size, '\0');
    const auto* nonce = reinterpret_cast<const unsigned char*>(&stored[kMagicBytes]);
    const auto* body = nonce + kNonceBytes;
    Cipher c(EVP_CIPHER_CTX_new(), EVP_CIPHER_CTX_free);
    int n = 0, tail = 0;
    std::string tag = stored.substr(stored.size() - kTagBytes);
    const auto* key = reinterpret_cast<const unsigned char*>(m_key.data());
    const auto aad = associated(name);
    const bool ok = c && EVP_DecryptInit_ex(c.get(), EVP_aes_256_gcm(), nullptr, key, nonce) == 1
        && EVP_DecryptUpdate(
               c.get(), nullptr, &n, reinterpret_cast<const unsigned char*>(aad.data()), static_cast<int>(aad.size()))
            == 1
        && update(c.get(), EVP_DecryptUpdate, body, size, reinterpret_cast<unsigned char*>(plain.data()))
        && EVP_CIPHER_CTX_ctrl(c.get(), EVP_CTRL_GCM_SET_TAG, kTagBytes, tag.data()) == 1
        && EVP_DecryptFinal_ex(c.get(), reinterpret_cast<unsigned char*>(plain.data()) + size, &tail) == 1;
    if (!ok)
        throw engine::Error(engine::ErrorKind::InvalidModel,
            name
                + " failed its integrity check: the file was changed on disk, moved from another model or version, "
                  "or sealed with another key (check --at-rest-key); if the key is right, publish it again.");
    return plain;
}

int sealRepository(const std::string& root, const AtRestKey& key)
{
    int sealedFiles = 0;
    forEachModelFile(root, [&](const fs::path& file, const std::string& name) {
        const auto bytes = readWhole(file);
        if (AtRestKey::sealed(bytes))
            return;
        replaceFile(file, key.seal(name, bytes));
        ++sealedFiles;
    });
    return sealedFiles;
}

int exportRepository(const std::string& root, const AtRestKey* key, const std::string& out)
{
    if (fs::exists(out))
        throw std::runtime_error(out + " exists already; export into a new folder.");
    const auto inside = fs::weakly_canonical(out).lexically_relative(fs::canonical(root));
    if (!inside.empty() && *inside.begin() != "..")
        throw std::runtime_error(out + " is inside the repository; export to a folder outside it.");
    const auto staging = fs::path(out + ".exporting");
    fs::remove_all(staging);
    int written = 0;
    try {
        fs::create_directories(staging);
        for (const auto& model : fs::directory_iterator(root)) {
            const auto name = model.path().filename().string();
            if (model.is_directory() && engine::validModelName(name))
                fs::copy(model.path(), staging / name, fs::copy_options::recursive);
        }
        forEachModelFile(staging, [&](const fs::path& file, const std::string& name) {
            const auto bytes = readWhole(file);
            if (AtRestKey::sealed(bytes)) {
                if (!key)
                    throw std::runtime_error(name + " is encrypted; give the repository's key with --at-rest-key.");
                replaceFile(file, key->open(name, bytes));
            }
            ++written;
        });
        for (const auto& model : fs::directory_iterator(staging))
            writeConfigIfMissing(model.path());
        fs::rename(staging, out);
    } catch (...) {
        std::error_code ec;
        fs::remove_all(staging, ec);
        throw;
    }
    return written;
}

} // namespace maas::serve
