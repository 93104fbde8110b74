// SHA-256 through OpenSSL's libcrypto, so the engine fingerprints models and checks uploads at the speed
// of the CPU's SHA instructions.
#include "sha256.h"

#include <fstream>
#include <vector>

#include <openssl/evp.h>

#include "files.h"
#include "maas/engine/error.h"
#include "maas/engine/model.h"

namespace maas::engine {

struct Sha256Stream::State {
    EVP_MD_CTX* context = EVP_MD_CTX_new();
    ~State() { EVP_MD_CTX_free(context); }
};

Sha256Stream::Sha256Stream()
    : m_state(std::make_unique<State>())
{
    if (!m_state->context || EVP_DigestInit_ex(m_state->context, EVP_sha256(), nullptr) != 1)
        throw Error(ErrorKind::Internal, "SHA-256 is not available from OpenSSL.");
}

Sha256Stream::~Sha256Stream() = default;

void Sha256Stream::update(const void* data, std::size_t size) { EVP_DigestUpdate(m_state->context, data, size); }

std::string Sha256Stream::hex() const
{
    State copy;
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    if (EVP_MD_CTX_copy_ex(copy.context, m_state->context) != 1
        || EVP_DigestFinal_ex(copy.context, digest, &length) != 1)
        throw Error(ErrorKind::Internal, "SHA-256 failed in OpenSSL.");
    static const char* hexDigits = "0123456789abcdef";
    std::string out;
    for (unsigned int i = 0; i < length; ++i) {
        out += hexDigits[digest[i] >> 4];
        out += hexDigits[digest[i] & 0xf];
    }
    return out;
}

std::string sha256File(const std::string& path)
{
    requireRegularFile(path, "input");
    std::ifstream in(path, std::ios::binary);
    Sha256Stream s;
    std::vector<char> buffer(1 << 20);
    while (in) {
        in.read(buffer.data(), static_cast<std::streamsize>(buffer.size()));
        s.update(buffer.data(), static_cast<std::size_t>(in.gcount()));
    }
    return s.hex();
}

} // namespace maas::engine
