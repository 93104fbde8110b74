// What the tests of maas-serve share: fixtures, and a real maas-serve process on a free loopback port.
#pragma once

#include <QProcess>
#include <QStringList>

#include <cstdint>
#include <fstream>
#include <signal.h>
#include <string>

namespace serve_test {

inline std::string fixture(const std::string& name) { return std::string(MAAS_FIXTURES_DIR) + "/" + name; }

inline std::string readAll(const std::string& path)
{
    std::ifstream in(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
}

inline std::string base64(const std::string& bytes)
{
    static const char* alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string out;
    std::size_t i = 0;
    for (; i + 2 < bytes.size(); i += 3) {
        const auto n = (std::uint32_t(std::uint8_t(bytes[i])) << 16) | (std::uint32_t(std::uint8_t(bytes[i + 1])) << 8)
            | std::uint8_t(bytes[i + 2]);
        for (int k = 3; k >= 0; --k)
            out += alphabet[(n >> (6 * k)) & 63];
    }
    if (i < bytes.size()) {
        std::uint32_t n = std::uint32_t(std::uint8_t(bytes[i])) << 16;
        if (i + 1 < bytes.size())
            n |= std::uint32_t(std::uint8_t(bytes[i + 1])) << 8;
        out += alphabet[(n >> 18) & 63];
        out += alphabet[(n >> 12) & 63];
        out += i + 1 < bytes.size() ? alphabet[(n >> 6) & 63] : '=';
        out += '=';
    }
    return out;
}

// maas-serve run to its end (a token command, or a start that must fail).
struct Finished {
    int code = -1;
    std::string out, err;
};

inline Finished runServe(const QStringList& args)
{
    QProcess p;
    p.start(QStringLiteral(MAAS_SERVE), args);
    p.waitForFinished(60000);
    return { p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1, p.readAllStandardOutput().toStdString(),
        p.readAllStandardError().toStdString() };
}

// One maas-serve process; stopped (SIGTERM, then SIGKILL) when it goes.
class ServeProcess {
public:
    bool start(const QStringList& args)
    {
        m_process.setProgram(QStringLiteral(MAAS_SERVE));
        m_process.setArguments(args + QStringList { QStringLiteral("--port"), QStringLiteral("0") });
        m_process.setProcessChannelMode(QProcess::SeparateChannels);
        m_process.start();
        m_process.setReadChannel(QProcess::StandardOutput);
        QByteArray out;
        for (int i = 0; i < 600 && !out.contains('\n'); ++i) {
            if (!m_process.waitForReadyRead(100) && m_process.state() == QProcess::NotRunning)
                break;
            out += m_process.readAllStandardOutput();
        }
        const auto at = out.lastIndexOf(':');
        port = at > 0 ? out.mid(at + 1).trimmed().toInt() : 0;
        return port > 0;
    }
    /// What the server logged so far (it logs every refused request).
    QString errors()
    {
        m_process.setReadChannel(QProcess::StandardError);
        while (m_process.waitForReadyRead(300)) { }
        m_process.setReadChannel(QProcess::StandardOutput);
        m_log += QString::fromUtf8(m_process.readAllStandardError());
        return m_log;
    }
    void signal(int sig) { ::kill(static_cast<pid_t>(m_process.processId()), sig); }
    bool waitForExit(int ms = 30000) { return m_process.waitForFinished(ms); }
    int exitCode() const { return m_process.exitCode(); }
    ~ServeProcess()
    {
        if (m_process.state() != QProcess::NotRunning) {
            signal(SIGTERM);
            if (!m_process.waitForFinished(10000))
                m_process.kill();
            m_process.waitForFinished(5000);
        }
    }
    int port = 0;

private:
    QProcess m_process;
    QString m_log;
};

} // namespace serve_test
