#include "tls.h"

#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <cstdio>
#include <stdexcept>

namespace maas::serve {

struct Tls::Material {
    X509* cert = nullptr;
    STACK_OF(X509) * chain = nullptr;
    EVP_PKEY* key = nullptr;
    X509_STORE* clientCa = nullptr;
    Material() = default;
    Material(const Material&) = delete;
    Material& operator=(const Material&) = delete;
    ~Material()
    {
        X509_free(cert);
        sk_X509_pop_free(chain, X509_free);
        EVP_PKEY_free(key);
        X509_STORE_free(clientCa);
    }
};

namespace {

std::string opensslReason()
{
    const auto code = ERR_get_error();
    ERR_clear_error();
    if (code == 0)
        return "no PEM data in it";
    char text[256];
    ERR_error_string_n(code, text, sizeof text);
    return text;
}

std::unique_ptr<BIO, decltype(&BIO_free)> openPem(const std::string& path, const char* what)
{
    std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new_file(path.c_str(), "r"), BIO_free);
    if (!bio)
        throw std::runtime_error(
            "cannot read the TLS " + std::string(what) + " " + path + "; check the path and that it is readable.");
    return bio;
}

void readCertificates(const std::string& path, Tls::Material& m)
{
    auto bio = openPem(path, "certificate");
    m.cert = PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr);
    if (!m.cert)
        throw std::runtime_error(
            "the TLS certificate " + path + " is not a PEM certificate (" + opensslReason() + ").");
    m.chain = sk_X509_new_null();
    while (X509* next = PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr))
        sk_X509_push(m.chain, next);
    ERR_clear_error(); // the end of the file
    if (X509_cmp_current_time(X509_get0_notAfter(m.cert)) <= 0)
        throw std::runtime_error(
            "the TLS certificate " + path + " has expired; renew it, then start again (or send SIGHUP).");
    if (X509_cmp_current_time(X509_get0_notBefore(m.cert)) >= 0)
        throw std::runtime_error(
            "the TLS certificate " + path + " is not valid yet; check the machine's clock or the certificate.");
}

void readKey(const std::string& path, const std::string& certPath, Tls::Material& m)
{
    auto bio = openPem(path, "key");
    // A key that needs a password is refused, never asked for on a terminal (the server runs unattended).
    const auto noPassword = [](char*, int, int, void*) { return 0; };
    m.key = PEM_read_bio_PrivateKey(bio.get(), nullptr, noPassword, nullptr);
    if (!m.key)
        throw std::runtime_error(
            "the TLS key " + path + " is not an unencrypted PEM private key (" + opensslReason() + ").");
    if (X509_check_private_key(m.cert, m.key) != 1) {
        ERR_clear_error();
        throw std::runtime_error("the TLS key " + path + " does not match the certificate " + certPath
            + "; give the key the certificate was made for.");
    }
}

void readClientCa(const std::string& path, Tls::Material& m)
{
    auto bio = openPem(path, "client CA file");
    m.clientCa = X509_STORE_new();
    int count = 0;
    while (X509* ca = PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr)) {
        X509_STORE_add_cert(m.clientCa, ca);
        X509_free(ca);
        ++count;
    }
    ERR_clear_error();
    if (count == 0)
        throw std::runtime_error("the client CA file " + path
            + " holds no PEM certificate; give the CA that signs the clients' certificates.");
}

std::shared_ptr<const Tls::Material> readMaterial(const TlsFiles& files)
{
    auto m = std::make_shared<Tls::Material>();
    readCertificates(files.cert, *m);
    readKey(files.key, files.cert, *m);
    if (!files.clientCa.empty())
        readClientCa(files.clientCa, *m);
    return m;
}

} // namespace

Tls::Tls(TlsFiles files)
    : m_files(std::move(files))
    , m_current(readMaterial(m_files))
{
}

Tls::~Tls() = default;

bool Tls::setUp(SSL_CTX& context)
{
    SSL_CTX_set_min_proto_version(&context, TLS1_2_VERSION);
    SSL_CTX_set_options(&context, SSL_OP_NO_RENEGOTIATION | SSL_OP_CIPHER_SERVER_PREFERENCE);
    SSL_CTX_set_cert_cb(&context, &Tls::useCurrent, this);
    if (!m_files.clientCa.empty()) {
        SSL_CTX_set_verify(&context, SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT, nullptr);
        static const unsigned char id[] = "maas-serve";
        SSL_CTX_set_session_id_context(&context, id, sizeof id - 1);
    }
    return true;
}

int Tls::useCurrent(SSL* ssl, void* self)
{
    std::shared_ptr<const Material> m;
    {
        auto& tls = *static_cast<Tls*>(self);
        std::lock_guard lock(tls.m_mutex);
        m = tls.m_current;
    }
    if (SSL_use_cert_and_key(ssl, m->cert, m->key, m->chain, 1) != 1)
        return 0;
    if (m->clientCa && SSL_set1_verify_cert_store(ssl, m->clientCa) != 1)
        return 0;
    return 1;
}

bool Tls::reload(std::string& why)
{
    try {
        auto fresh = readMaterial(m_files);
        std::lock_guard lock(m_mutex);
        m_current = std::move(fresh);
        return true;
    } catch (const std::exception& e) {
        why = e.what();
        return false;
    }
}

} // namespace maas::serve
