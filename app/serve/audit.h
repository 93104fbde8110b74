// The audit log of maas-serve: who did what to which model, when and from where, as JSON lines.
#pragma once

#include <mutex>
#include <string>

#include <nlohmann/json.hpp>

namespace maas::serve {

/// An append-only file of JSON lines: one record per line, written with one write() so that lines of
/// concurrent requests never interleave. It names callers by their token's id, never by the token.
class AuditLog {
public:
    AuditLog() = default; ///< no file: records go nowhere
    /// Opens (or creates, mode 0600) the file for appending; throws std::runtime_error with a sentence.
    explicit AuditLog(const std::string& path);
    ~AuditLog();
    AuditLog(const AuditLog&) = delete;
    AuditLog& operator=(const AuditLog&) = delete;
    bool enabled() const { return m_fd >= 0; }
    /// Adds the time ("time", UTC with milliseconds) and appends the record.
    void write(nlohmann::json record);

private:
    int m_fd = -1;
    std::mutex m_mutex;
};

/// UTC now as 2026-11-30T06:25:19.123Z.
std::string timestamp();

} // namespace maas::serve
