#include "maas/app/endpoints.h"

#include <QCoreApplication>
#include <QDir>
#include <QEventLoop>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QSaveFile>
#include <QSslCertificate>
#include <QStandardPaths>
#include <QUrl>

#include <qt6keychain/keychain.h>

#include "maas/engine/error.h"

namespace maas::app {

namespace {

using maas::engine::Error;
using maas::engine::ErrorKind;

struct Endpoints {
    Q_DECLARE_TR_FUNCTIONS(Endpoints)
};

QString configDir()
{
    return QDir(QStandardPaths::writableLocation(QStandardPaths::GenericConfigLocation))
        .filePath(QStringLiteral("maas"));
}

// The JSON object in `path`: empty when there is no file; a file that is there but cannot be read as
// one is an error, so that nothing written next drops what it held.
QJsonObject readObject(const QString& path)
{
    QFile f(path);
    if (!f.exists())
        return {};
    QJsonParseError error;
    const auto document = f.open(QIODevice::ReadOnly) ? QJsonDocument::fromJson(f.readAll(), &error) : QJsonDocument();
    if (!document.isObject())
        throw Error(ErrorKind::InvalidInput,
            Endpoints::tr("%1 cannot be read as the JSON object it should be; fix it or move it away (nothing was "
                          "changed).")
                .arg(path)
                .toStdString());
    return document.object();
}

// Writes `object` to `path` atomically; `privateFile` makes it readable by the user only, from the start.
void writeObject(const QString& path, const QJsonObject& object, bool privateFile)
{
    QDir().mkpath(QFileInfo(path).absolutePath());
    QSaveFile f(path);
    if (!f.open(QIODevice::WriteOnly))
        throw Error(
            ErrorKind::Io, Endpoints::tr("%1 cannot be written (%2).").arg(path, f.errorString()).toStdString());
    if (privateFile)
        f.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner);
    f.write(QJsonDocument(object).toJson());
    if (!f.commit())
        throw Error(
            ErrorKind::Io, Endpoints::tr("%1 cannot be written (%2).").arg(path, f.errorString()).toStdString());
}

Endpoint fromJson(const QString& name, const QJsonObject& o)
{
    Endpoint e;
    e.name = name;
    e.url = o.value(QLatin1String("url")).toString();
    e.authHeader = o.value(QLatin1String("auth_header")).toString();
    e.caFile = o.value(QLatin1String("ca_file")).toString();
    e.clientCertificate = o.value(QLatin1String("client_certificate")).toString();
    e.clientKey = o.value(QLatin1String("client_key")).toString();
    e.allowSelfSigned = o.value(QLatin1String("allow_self_signed")).toBool();
    return e;
}

QJsonObject toJson(const Endpoint& e)
{
    QJsonObject o { { QStringLiteral("url"), e.url } };
    const auto put = [&o](const char* key, const QString& value) {
        if (!value.isEmpty())
            o.insert(QLatin1String(key), value);
    };
    put("auth_header", e.authHeader);
    put("ca_file", e.caFile);
    put("client_certificate", e.clientCertificate);
    put("client_key", e.clientKey);
    if (e.allowSelfSigned)
        o.insert(QStringLiteral("allow_self_signed"), true);
    return o;
}

Endpoint localEndpoint()
{
    Endpoint e;
    e.name = QLatin1String(kLocalEndpoint);
    e.builtIn = true;
    return e;
}

// ---- secrets -------------------------------------------------------------------------------------------

const QString kService = QStringLiteral("maas-workbench");

QString credentialsFile() { return QDir(configDir()).filePath(QStringLiteral("credentials")); }

// The keychain answers over D-Bus; with no session bus (a server, a container) it is not asked at all,
// rather than waiting for D-Bus to time out.
bool keychainReachable()
{
    return qEnvironmentVariable("MAAS_KEYCHAIN") != QLatin1String("off")
        && !qEnvironmentVariableIsEmpty("DBUS_SESSION_BUS_ADDRESS");
}

// Runs a keychain job to its end; true when it succeeded, false when the keychain could not be used.
bool runJob(QKeychain::Job& job)
{
    job.setAutoDelete(false);
    QEventLoop loop;
    QObject::connect(&job, &QKeychain::Job::finished, &loop, &QEventLoop::quit);
    job.start();
    loop.exec();
    return job.error() == QKeychain::NoError;
}

bool g_usedFile = false;

} // namespace

QString Endpoint::problem() const
{
    static const QRegularExpression validName(QStringLiteral("^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$"));
    if (!validName.match(name).hasMatch())
        return Endpoints::tr("\"%1\" cannot name an endpoint: use up to 64 letters, digits, '.', '_' and '-'.")
            .arg(name);
    if (builtIn)
        return {};
    const QUrl u(url, QUrl::StrictMode);
    if (!u.isValid() || (u.scheme() != QLatin1String("http") && u.scheme() != QLatin1String("https"))
        || u.host().isEmpty())
        return Endpoints::tr("\"%1\" is not an endpoint's address; give one such as https://models.example.com:8000.")
            .arg(url);
    if (!u.userInfo().isEmpty())
        return Endpoints::tr("the address of %1 holds a user name or password; give the secret as its token instead.")
            .arg(name);
    if (u.scheme() == QLatin1String("http") && (!caFile.isEmpty() || !clientCertificate.isEmpty() || allowSelfSigned))
        return Endpoints::tr("%1 is plain http, so its TLS settings would not be used; give an https:// address.")
            .arg(name);
    static const QRegularExpression headerName(QStringLiteral("^[A-Za-z0-9!#$%&'*+.^_`|~-]{1,64}$"));
    if (!authHeader.isEmpty() && !headerName.match(authHeader).hasMatch())
        return Endpoints::tr("\"%1\" cannot name a header; use letters, digits and '-', such as X-Api-Key.")
            .arg(authHeader);
    if (clientCertificate.isEmpty() != clientKey.isEmpty())
        return Endpoints::tr("a client certificate needs its private key, and a key its certificate.");
    for (const QString& f : { caFile, clientCertificate, clientKey })
        if (!f.isEmpty() && !QFileInfo(f).isReadable())
            return Endpoints::tr("%1 cannot be read; give the PEM file's path.").arg(f);
    for (const QString& f : { caFile, clientCertificate })
        if (!f.isEmpty() && QSslCertificate::fromPath(f, QSsl::Pem).isEmpty())
            return Endpoints::tr("%1 holds no PEM certificate.").arg(f);
    return {};
}

QList<Endpoint> EndpointStore::all(QString* problem)
{
    QList<Endpoint> out { localEndpoint() };
    QJsonObject o;
    try {
        o = readObject(file());
    } catch (const Error& e) {
        if (!problem)
            throw;
        *problem = QString::fromUtf8(e.what());
    }
    const auto endpoints = o.value(QLatin1String("endpoints")).toObject();
    for (auto it = endpoints.begin(); it != endpoints.end(); ++it)
        if (it.key() != QLatin1String(kLocalEndpoint))
            out.append(fromJson(it.key(), it.value().toObject()));
    return out;
}

std::optional<Endpoint> EndpointStore::find(const QString& name)
{
    for (const auto& e : all())
        if (e.name == name)
            return e;
    return std::nullopt;
}

void EndpointStore::save(const Endpoint& endpoint)
{
    if (endpoint.name == QLatin1String(kLocalEndpoint))
        throw Error(ErrorKind::InvalidInput,
            Endpoints::tr("\"local\" is the built-in endpoint on this machine; give yours another name.")
                .toStdString());
    if (const auto why = endpoint.problem(); !why.isEmpty())
        throw Error(ErrorKind::InvalidInput, why.toStdString());
    auto o = readObject(file());
    auto endpoints = o.value(QLatin1String("endpoints")).toObject();
    auto kept = endpoint; // TLS files by absolute path: the next command may run elsewhere
    for (QString* f : { &kept.caFile, &kept.clientCertificate, &kept.clientKey })
        if (!f->isEmpty())
            *f = QFileInfo(*f).absoluteFilePath();
    endpoints.insert(endpoint.name, toJson(kept));
    o.insert(QStringLiteral("endpoints"), endpoints);
    writeObject(file(), o, false);
}

bool EndpointStore::remove(const QString& name)
{
    auto o = readObject(file());
    auto endpoints = o.value(QLatin1String("endpoints")).toObject();
    if (!endpoints.contains(name))
        return false;
    endpoints.remove(name);
    o.insert(QStringLiteral("endpoints"), endpoints);
    writeObject(file(), o, false);
    Credentials::remove(name);
    return true;
}

QString EndpointStore::file() { return QDir(configDir()).filePath(QStringLiteral("endpoints.json")); }

void Credentials::store(const QString& endpoint, const QString& secret)
{
    for (const QChar c : secret)
        if (c.unicode() < 0x20 || c.unicode() == 0x7f)
            throw Error(ErrorKind::InvalidInput,
                Endpoints::tr("a token cannot hold line breaks or other control characters; check what was pasted.")
                    .toStdString());
    if (keychainReachable()) {
        QKeychain::WritePasswordJob job(kService);
        job.setKey(endpoint);
        job.setTextData(secret);
        if (runJob(job)) {
            auto o = readObject(credentialsFile()); // a copy left from a time without a keychain goes
            if (o.contains(endpoint)) {
                o.remove(endpoint);
                writeObject(credentialsFile(), o, true);
            }
            return;
        }
    }
    g_usedFile = true;
    auto o = readObject(credentialsFile());
    o.insert(endpoint, secret);
    writeObject(credentialsFile(), o, true);
}

QString Credentials::read(const QString& endpoint)
{
    if (keychainReachable()) {
        QKeychain::ReadPasswordJob job(kService);
        job.setKey(endpoint);
        if (runJob(job))
            return job.textData();
    }
    return readObject(credentialsFile()).value(endpoint).toString();
}

void Credentials::remove(const QString& endpoint)
{
    if (keychainReachable()) {
        QKeychain::DeletePasswordJob job(kService);
        job.setKey(endpoint);
        runJob(job);
    }
    auto o = readObject(credentialsFile());
    if (o.contains(endpoint)) {
        o.remove(endpoint);
        writeObject(credentialsFile(), o, true);
    }
}

QString Credentials::where()
{
    if (keychainReachable() && !g_usedFile)
        return QStringLiteral("keychain");
    return credentialsFile();
}

} // namespace maas::app
