// Certificates for the TLS tests, made with OpenSSL in the test itself: a CA, certificates it signs for
// the server (for 127.0.0.1) and for clients, and ones that are expired or signed by a stranger.
#pragma once

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <fstream>
#include <string>

namespace serve_test {

struct Issued {
    X509* cert = nullptr;
    EVP_PKEY* key = nullptr;
    void write(const std::string& certPath, const std::string& keyPath) const
    {
        FILE* c = std::fopen(certPath.c_str(), "w");
        PEM_write_X509(c, cert);
        std::fclose(c);
        FILE* k = std::fopen(keyPath.c_str(), "w");
        PEM_write_PrivateKey(k, key, nullptr, nullptr, 0, nullptr, nullptr);
        std::fclose(k);
    }
};

inline void addExtension(X509* cert, X509* issuer, int nid, const char* value)
{
    X509V3_CTX ctx;
    X509V3_set_ctx(&ctx, issuer ? issuer : cert, cert, nullptr, nullptr, 0);
    X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value);
    X509_add_ext(cert, ext, -1);
    X509_EXTENSION_free(ext);
}

/// A certificate for `name`, valid from `fromDays` to `toDays` around now, signed by `issuer` (itself
/// when null). A CA when `ca`; otherwise for `subjectAltName` (the address 127.0.0.1) and for clients.
inline Issued issue(const std::string& name, const Issued* issuer, bool ca, long fromDays = -1, long toDays = 30,
    const char* subjectAltName = "IP:127.0.0.1")
{
    Issued out;
    out.key = EVP_EC_gen("P-256");
    out.cert = X509_new();
    X509_set_version(out.cert, 2);
    static long serial = 1;
    ASN1_INTEGER_set(X509_get_serialNumber(out.cert), serial++);
    X509_gmtime_adj(X509_getm_notBefore(out.cert), fromDays * 86400);
    X509_gmtime_adj(X509_getm_notAfter(out.cert), toDays * 86400);
    X509_set_pubkey(out.cert, out.key);
    X509_NAME* subject = X509_get_subject_name(out.cert);
    X509_NAME_add_entry_by_txt(
        subject, "CN", MBSTRING_ASC, reinterpret_cast<const unsigned char*>(name.c_str()), -1, -1, 0);
    X509_set_issuer_name(out.cert, issuer ? X509_get_subject_name(issuer->cert) : subject);
    addExtension(out.cert, nullptr, NID_subject_key_identifier, "hash");
    addExtension(out.cert, issuer ? issuer->cert : nullptr, NID_authority_key_identifier, "keyid:always");
    if (ca) {
        addExtension(out.cert, nullptr, NID_basic_constraints, "critical,CA:TRUE");
        addExtension(out.cert, nullptr, NID_key_usage, "critical,keyCertSign,cRLSign");
    } else {
        addExtension(out.cert, nullptr, NID_basic_constraints, "critical,CA:FALSE");
        addExtension(out.cert, nullptr, NID_subject_alt_name, subjectAltName);
        addExtension(out.cert, nullptr, NID_ext_key_usage, "serverAuth,clientAuth");
    }
    X509_sign(out.cert, issuer ? issuer->key : out.key, EVP_sha256());
    return out;
}

} // namespace serve_test
