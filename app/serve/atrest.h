// Models encrypted at rest: AES-256-GCM over each model file of the repository, with a key file that
// stays off the repository's disk. A stolen repository gives away no weights; a changed file will not load.
#pragma once

#include <string>

namespace maas::serve {

class AtRestKey {
public:
    /// Reads a key file: 32 bytes, or 64 hex digits. Throws std::runtime_error with one sentence.
    static AtRestKey read(const std::string& path);
    /// The stored form of the model file `name` ("<model>/<version>/model.pt"): "MAASGCM1", a random
    /// 12-byte nonce, the ciphertext and the 16-byte tag, which also covers the name.
    std::string seal(const std::string& name, const std::string& plain) const;
    /// The plain bytes of a stored file; throws engine::Error(InvalidModel) with a sentence naming it when
    /// it is not sealed, or fails its check (changed on disk, moved from another name, another key).
    std::string open(const std::string& name, const std::string& stored) const;
    static bool sealed(const std::string& stored);

private:
    std::string m_key;
};

/// Seals every plain model file (<model>/<version>/model.pt) of a repository in place, each replaced
/// atomically; returns how many it sealed. Throws std::runtime_error with a sentence.
int sealRepository(const std::string& root, const AtRestKey& key);
/// Writes a copy of the repository's models to `out` (a new folder) with plain model files, as Triton
/// reads them; `key` opens the sealed ones (null: there must be none). Returns the files written.
int exportRepository(const std::string& root, const AtRestKey* key, const std::string& out);

} // namespace maas::serve
