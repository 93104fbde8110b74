#include "maas/app/localendpoint.h"

#include <QCoreApplication>
#include <QCryptographicHash>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLockFile>
#include <QProcess>
#include <QRegularExpression>
#include <QSaveFile>
#include <QStandardPaths>
#include <QThread>

#include <csignal>
#include <sys/types.h>

#include "maas/app/endpoints.h"
#include "maas/engine/error.h"

namespace maas::app {

namespace {

using maas::engine::Error;
using maas::engine::ErrorKind;

struct LocalServe {
    Q_DECLARE_TR_FUNCTIONS(LocalServe)
};

QString path(const char* name) { return QDir(LocalEndpoint::folder()).filePath(QLatin1String(name)); }

// Whether process `pid` exists and has not ended (a zombie, not yet reaped, has ended). Its command line
// is not looked at: while a process execs (setsid becoming maas-serve) the kernel shows it empty.
bool running(qint64 pid)
{
    if (pid <= 0 || ::kill(static_cast<pid_t>(pid), 0) != 0)
        return false;
    QFile stat(QStringLiteral("/proc/%1/stat").arg(pid));
    if (!stat.open(QIODevice::ReadOnly))
        return true;
    const auto text = stat.readAll(); // "PID (COMM) STATE ...", COMM may hold spaces and parentheses
    const auto close = text.lastIndexOf(')');
    const char state = close >= 0 && close + 2 < text.size() ? text[close + 2] : 'R';
    return state != 'Z' && state != 'X';
}

// Whether `pid` is a maas-serve: a pid read back from state.json may have been reused by another program.
bool alive(qint64 pid)
{
    if (!running(pid))
        return false;
    QFile cmdline(QStringLiteral("/proc/%1/cmdline").arg(pid));
    return cmdline.open(QIODevice::ReadOnly) && cmdline.readAll().contains("maas-serve");
}

// Whether the tokens file lists `token` (its line holds SALT and SHA-256("SALT:TOKEN"), as maas-serve
// writes it): a token kept from before a tokens file was made anew would only get 401s.
bool tokenIsListed(const QString& token)
{
    QFile f(path("tokens"));
    if (token.isEmpty() || !f.open(QIODevice::ReadOnly))
        return false;
    for (const auto& line : QString::fromUtf8(f.readAll()).split(QLatin1Char('\n'), Qt::SkipEmptyParts)) {
        const auto words = line.split(QLatin1Char(' '), Qt::SkipEmptyParts);
        if (words.size() < 2)
            continue;
        const auto salt = words[words.size() - 2];
        const auto hash
            = QCryptographicHash::hash((salt + QLatin1Char(':') + token).toUtf8(), QCryptographicHash::Sha256);
        if (QString::fromLatin1(hash.toHex()) == words.last())
            return true;
    }
    return false;
}

// A new token for the local endpoint: a fresh tokens file with one token, kept in the credentials.
QString newToken(const QString& serve)
{
    QFile::remove(path("tokens"));
    QProcess add;
    add.start(serve,
        { QStringLiteral("token"), QStringLiteral("add"), QStringLiteral("--tokens"), path("tokens"),
            QStringLiteral("--id"), QStringLiteral("workbench"), QStringLiteral("--scope"),
            QStringLiteral("infer,repository") });
    add.waitForFinished(30'000);
    const auto token = QString::fromUtf8(add.readAllStandardOutput()).trimmed();
    if (add.exitCode() != 0 || token.isEmpty())
        throw Error(ErrorKind::Io,
            LocalServe::tr("the local endpoint's token could not be made: %1")
                .arg(QString::fromUtf8(add.readAllStandardError()).trimmed())
                .toStdString());
    QFile::setPermissions(path("tokens"), QFileDevice::ReadOwner | QFileDevice::WriteOwner);
    Credentials::store(QLatin1String(kLocalEndpoint), token);
    return token;
}

// Waits for a started maas-serve to print the line that says where it listens (after loading the
// repository's models); the log is read from `from`, where this start's lines begin.
int waitForPort(qint64 pid, qint64 from)
{
    static const QRegularExpression listening(QStringLiteral("listening on https?://[^:]+:(\\d+)"));
    QElapsedTimer timer;
    timer.start();
    QString text;
    while (timer.elapsed() < 120'000) {
        QFile log(path("serve.log"));
        if (log.open(QIODevice::ReadOnly)) {
            log.seek(from);
            text = QString::fromUtf8(log.readAll());
            if (const auto m = listening.match(text); m.hasMatch())
                return m.captured(1).toInt();
        }
        if (!running(pid)) { // the process just started: its pid cannot have been reused yet
            const auto lines = text.trimmed().split(QLatin1Char('\n'));
            const auto reason = lines.last().trimmed();
            throw Error(ErrorKind::Unavailable,
                LocalServe::tr("the local endpoint did not start: %1 (its log: %2).")
                    .arg(reason.isEmpty() ? LocalServe::tr("maas-serve ended at once") : reason, path("serve.log"))
                    .toStdString());
        }
        QThread::msleep(50);
    }
    throw Error(ErrorKind::Unavailable,
        LocalServe::tr("the local endpoint did not start within two minutes; see its log, %1.")
            .arg(path("serve.log"))
            .toStdString());
}

} // namespace

QString LocalEndpoint::folder()
{
    return QDir(QStandardPaths::writableLocation(QStandardPaths::GenericDataLocation))
        .filePath(QStringLiteral("maas/local-endpoint"));
}

QString LocalEndpoint::serveProgram()
{
    if (const auto fromEnv = qEnvironmentVariable("MAAS_SERVE"); !fromEnv.isEmpty())
        return QFileInfo(fromEnv).isExecutable() ? fromEnv : QString();
    const QDir here(QCoreApplication::applicationDirPath());
    // Installed side by side; in the build tree, app/cli/maas and tests/... find app/serve/maas-serve.
    for (const auto& candidate : { QStringLiteral("maas-serve"), QStringLiteral("../serve/maas-serve"),
             QStringLiteral("../app/serve/maas-serve"), QStringLiteral("../../app/serve/maas-serve") })
        if (QFileInfo(here.filePath(candidate)).isExecutable())
            return QFileInfo(here.filePath(candidate)).canonicalFilePath();
    return QStandardPaths::findExecutable(QStringLiteral("maas-serve"));
}

std::optional<LocalEndpoint::Running> LocalEndpoint::status()
{
    QFile f(path("state.json"));
    if (!f.open(QIODevice::ReadOnly))
        return std::nullopt;
    const auto o = QJsonDocument::fromJson(f.readAll()).object();
    Running r;
    r.pid = o.value(QLatin1String("pid")).toInteger();
    r.url = QStringLiteral("http://127.0.0.1:%1").arg(o.value(QLatin1String("port")).toInt());
    if (!alive(r.pid))
        return std::nullopt;
    r.token = Credentials::read(QLatin1String(kLocalEndpoint));
    return r;
}

LocalEndpoint::Running LocalEndpoint::ensureRunning()
{
    QDir().mkpath(folder());
    QLockFile starting(path("start.lock")); // two commands at once start one server
    starting.setStaleLockTime(0); // held for as long as a start takes (it may load many models)
    starting.lock();
    if (auto running = status(); running && tokenIsListed(running->token))
        return *running;
    stop(); // one without its token cannot be used: it starts again with a new one
    const auto serve = serveProgram();
    if (serve.isEmpty())
        throw Error(ErrorKind::NotFound,
            LocalServe::tr(
                "maas-serve, the program behind the local endpoint, is not installed beside this one or on PATH; "
                "install it or set MAAS_SERVE to its path.")
                .toStdString());
    QDir().mkpath(path("repository"));
    QFile::setPermissions(folder(), QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner);
    auto token = Credentials::read(QLatin1String(kLocalEndpoint));
    if (!tokenIsListed(token))
        token = newToken(serve);
    const qint64 from = QFileInfo(path("serve.log")).size();
    QProcess process;
    const QStringList serveArgs { QStringLiteral("--repository"), path("repository"), QStringLiteral("--port"),
        QStringLiteral("0"), QStringLiteral("--tokens"), path("tokens"), QStringLiteral("--infer-needs-token") };
    // Its own session: a Ctrl-C meant for the command that started it does not stop it.
    const auto setsid = QStandardPaths::findExecutable(QStringLiteral("setsid"));
    process.setProgram(setsid.isEmpty() ? serve : setsid);
    process.setArguments(setsid.isEmpty() ? serveArgs : QStringList { serve } + serveArgs);
    process.setStandardOutputFile(path("serve.log"), QIODevice::Append);
    process.setStandardErrorFile(path("serve.log"), QIODevice::Append);
    process.setStandardInputFile(QProcess::nullDevice());
    qint64 pid = 0;
    if (!process.startDetached(&pid))
        throw Error(ErrorKind::Io, LocalServe::tr("maas-serve (%1) could not be started.").arg(serve).toStdString());
    const int port = waitForPort(pid, from);
    QSaveFile state(path("state.json"));
    state.open(QIODevice::WriteOnly);
    state.write(
        QJsonDocument(QJsonObject { { QStringLiteral("pid"), pid }, { QStringLiteral("port"), port } }).toJson());
    state.commit();
    return { QStringLiteral("http://127.0.0.1:%1").arg(port), token, pid };
}

bool LocalEndpoint::stop()
{
    const auto server = status();
    QFile::remove(path("state.json"));
    if (!server)
        return false;
    ::kill(static_cast<pid_t>(server->pid), SIGTERM);
    QElapsedTimer timer;
    timer.start();
    while (running(server->pid) && timer.elapsed() < 30'000)
        QThread::msleep(20);
    return true;
}

} // namespace maas::app
