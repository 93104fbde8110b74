#include "maas/app/remote.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFile>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QRegularExpression>
#include <QScopeGuard>
#include <QSslCertificate>
#include <QSslConfiguration>
#include <QSslKey>
#include <QSslSocket>
#include <QTcpSocket>
#include <QThread>
#include <QTimer>
#include <QUrlQuery>

#include <algorithm>
#include <cmath>

#include "maas/app/localendpoint.h"
#include "maas/engine/card.h"
#include "maas/engine/error.h"
#include "maas/engine/inputs.h"

namespace maas::app {

namespace {

using maas::engine::Error;
using maas::engine::ErrorKind;
using nlohmann::json;

struct Remote {
    Q_DECLARE_TR_FUNCTIONS(Remote)
};

struct Reply {
    int status = 0; ///< 0: no answer (NetworkError in `error`)
    QNetworkReply::NetworkError error = QNetworkReply::NoError;
    QString errorText;
    QByteArray body;
    QByteArray headerLength; ///< Inference-Header-Content-Length
    double ms = 0;
};

// The certificate errors "allow self-signed" lets through; a wrong host name or an expired one never.
QList<QSslError> selfSignedOnly(const QList<QSslError>& errors)
{
    QList<QSslError> allowed;
    for (const auto& e : errors)
        if (e.error() == QSslError::SelfSignedCertificate || e.error() == QSslError::SelfSignedCertificateInChain
            || e.error() == QSslError::UnableToGetLocalIssuerCertificate || e.error() == QSslError::CertificateUntrusted
            || e.error() == QSslError::UnableToVerifyFirstCertificate)
            allowed.append(e);
    return allowed;
}

QSslConfiguration tlsFor(const Endpoint& e)
{
    auto tls = QSslConfiguration::defaultConfiguration();
    tls.setProtocol(QSsl::TlsV1_2OrLater);
    if (!e.caFile.isEmpty())
        tls.setCaCertificates(QSslCertificate::fromPath(e.caFile, QSsl::Pem));
    if (!e.clientCertificate.isEmpty()) {
        const auto chain = QSslCertificate::fromPath(e.clientCertificate, QSsl::Pem);
        QFile keyFile(e.clientKey);
        if (!chain.isEmpty() && keyFile.open(QIODevice::ReadOnly)) {
            const auto pem = keyFile.readAll();
            auto key = QSslKey(pem, QSsl::Rsa, QSsl::Pem);
            if (key.isNull())
                key = QSslKey(pem, QSsl::Ec, QSsl::Pem);
            tls.setLocalCertificate(chain.first());
            tls.setPrivateKey(key);
        }
    }
    return tls;
}

// The header that carries the secret: "Authorization: Bearer SECRET", or the endpoint's own header name.
QPair<QByteArray, QByteArray> authorization(const Endpoint& e, const QString& secret)
{
    if (secret.isEmpty())
        return {};
    if (e.authHeader.isEmpty())
        return { QByteArrayLiteral("Authorization"), "Bearer " + secret.toUtf8() };
    return { e.authHeader.toUtf8(), secret.toUtf8() };
}

// A keep-alive connection for the upload's chunks. QNetworkAccessManager moves a 16 MiB body at about
// 120 MB/s here (its HTTP thread copies it in small pieces); a socket written in 1 MiB pieces moves it at
// about 400 MB/s, so the bulk of a publish goes this way. Blocking: meant for a worker thread.
class ChunkConnection {
public:
    ChunkConnection(const Endpoint& endpoint, const QString& secret)
        : m_endpoint(endpoint)
        , m_secret(secret)
        , m_url(endpoint.url)
    {
    }

    // PUT `body` to `target` (path and query); a Reply with status 0 when the connection failed.
    Reply put(const QString& target, const QByteArray& body, int timeoutMs, const std::function<void(qint64)>& sent,
        const std::function<bool()>& cancelled)
    {
        QElapsedTimer timer;
        timer.start();
        Reply r;
        if (!connected(timeoutMs, r))
            return r;
        QByteArray head = "PUT " + (m_url.path() + target).toUtf8() + " HTTP/1.1\r\nHost: " + m_url.host().toUtf8()
            + ':' + QByteArray::number(m_url.port(m_url.scheme() == QLatin1String("https") ? 443 : 80))
            + "\r\nContent-Type: application/octet-stream\r\nContent-Length: " + QByteArray::number(body.size())
            + "\r\n";
        if (const auto [name, value] = authorization(m_endpoint, m_secret); !name.isEmpty())
            head += name + ": " + value + "\r\n";
        m_socket->write(head + "\r\n");
        qint64 offset = 0;
        while (offset < body.size()) {
            const auto n = m_socket->write(body.constData() + offset, std::min<qint64>(1 << 20, body.size() - offset));
            if (n < 0)
                return dropped(r);
            offset += n;
            while (m_socket->bytesToWrite() > (4 << 20))
                if (cancelled() || !m_socket->waitForBytesWritten(timeoutMs))
                    return dropped(r);
            if (sent)
                sent(offset - m_socket->bytesToWrite());
        }
        while (m_socket->bytesToWrite() > 0)
            if (cancelled() || !m_socket->waitForBytesWritten(timeoutMs))
                return dropped(r);
        if (!readReply(timeoutMs, r, cancelled))
            return dropped(r);
        r.ms = static_cast<double>(timer.nsecsElapsed()) / 1e6;
        return r;
    }

private:
    bool connected(int timeoutMs, Reply& r)
    {
        if (m_socket && m_socket->state() == QAbstractSocket::ConnectedState)
            return true;
        const bool tls = m_url.scheme() == QLatin1String("https");
        if (tls) {
            auto* socket = new QSslSocket;
            socket->setSslConfiguration(tlsFor(m_endpoint));
            socket->setPeerVerifyName(m_url.host());
            if (m_endpoint.allowSelfSigned)
                QObject::connect(socket, &QSslSocket::sslErrors, socket,
                    [socket](const QList<QSslError>& errors) { socket->ignoreSslErrors(selfSignedOnly(errors)); });
            m_socket.reset(socket);
            socket->connectToHostEncrypted(m_url.host(), quint16(m_url.port(443)));
            if (!socket->waitForEncrypted(timeoutMs)) {
                r.error = QNetworkReply::SslHandshakeFailedError;
                r.errorText = socket->errorString();
                m_socket.reset();
                return false;
            }
            return true;
        }
        m_socket = std::make_unique<QTcpSocket>();
        m_socket->connectToHost(m_url.host(), quint16(m_url.port(80)));
        if (!m_socket->waitForConnected(timeoutMs)) {
            r.error = QNetworkReply::ConnectionRefusedError;
            r.errorText = m_socket->errorString();
            m_socket.reset();
            return false;
        }
        m_socket->setSocketOption(QAbstractSocket::LowDelayOption, 1);
        return true;
    }

    Reply& dropped(Reply& r)
    {
        r.status = 0;
        r.error = QNetworkReply::RemoteHostClosedError;
        r.errorText = m_socket ? m_socket->errorString() : QString();
        m_socket.reset();
        return r;
    }

    // Waits for more of the answer; false on a timeout, a closed connection, a cancel or too much.
    bool more(QByteArray& data, int timeoutMs, const std::function<bool()>& cancelled)
    {
        QElapsedTimer waited;
        waited.start();
        while (m_socket->bytesAvailable() == 0) {
            if (cancelled() || waited.elapsed() > timeoutMs)
                return false;
            if (!m_socket->waitForReadyRead(100) && m_socket->state() != QAbstractSocket::ConnectedState)
                return false;
        }
        data += m_socket->readAll();
        return data.size() <= kMaxReply;
    }

    // A chunked body (RFC 9112, 7.1), trailers and all; false when it is not well formed.
    bool dechunk(QByteArray& data, QByteArray& body, int timeoutMs, const std::function<bool()>& cancelled)
    {
        for (;;) {
            qsizetype eol;
            while ((eol = data.indexOf("\r\n")) < 0)
                if (!more(data, timeoutMs, cancelled))
                    return false;
            bool hex = false;
            const auto size = data.left(eol).split(';').first().trimmed().toLongLong(&hex, 16);
            if (!hex || size < 0 || size > kMaxReply - body.size())
                return false;
            data.remove(0, eol + 2);
            if (size == 0) { // trailer fields, then an empty line
                while (data.indexOf("\r\n") != 0) {
                    const auto next = data.indexOf("\r\n");
                    if (next > 0)
                        data.remove(0, next + 2);
                    else if (!more(data, timeoutMs, cancelled))
                        return false;
                }
                return true;
            }
            while (data.size() < size + 2)
                if (!more(data, timeoutMs, cancelled))
                    return false;
            body += data.left(size);
            data.remove(0, size + 2);
        }
    }

    // Reads the final answer (1xx ones are skipped): status line, headers, and a body by Content-Length,
    // chunked, or up to the connection's end. Anything else, or past 16 MiB, counts as a dropped connection.
    bool readReply(int timeoutMs, Reply& r, const std::function<bool()>& cancelled)
    {
        QByteArray data;
        for (;;) {
            qsizetype headEnd;
            while ((headEnd = data.indexOf("\r\n\r\n")) < 0)
                if (!more(data, timeoutMs, cancelled))
                    return false;
            const auto head = data.left(headEnd).split('\n');
            data.remove(0, headEnd + 4);
            bool number = false;
            r.status = head.value(0).split(' ').value(1).toInt(&number);
            if (!number || r.status < 100 || r.status > 599)
                return false;
            if (r.status < 200)
                continue; // 100 Continue: the answer follows
            qint64 length = -1;
            bool chunked = false, close = false;
            for (const auto& raw : head) {
                const auto line = raw.trimmed().toLower();
                if (line.startsWith("content-length:"))
                    length = line.mid(15).trimmed().toLongLong();
                else if (line.startsWith("transfer-encoding:"))
                    chunked = line.contains("chunked");
                else if (line.startsWith("connection:"))
                    close = line.contains("close");
            }
            if (chunked) {
                if (!dechunk(data, r.body, timeoutMs, cancelled))
                    return false;
            } else if (length >= 0) {
                if (length > kMaxReply)
                    return false;
                while (data.size() < length)
                    if (!more(data, timeoutMs, cancelled))
                        return false;
                r.body = data.left(length);
            } else { // the body ends with the connection
                while (more(data, timeoutMs, cancelled)) { }
                r.body = data;
                close = true;
            }
            if (close)
                m_socket.reset();
            return true;
        }
    }

    static constexpr qsizetype kMaxReply = qsizetype { 16 } << 20;
    Endpoint m_endpoint;
    QString m_secret;
    QUrl m_url;
    std::unique_ptr<QTcpSocket> m_socket;
};

// A server's reason as it may be shown: one line of at most 300 printable characters, and never the
// secret (a hostile or careless server could echo the request's headers).
QString printable(QString text, const QString& secret)
{
    if (!secret.isEmpty())
        text.replace(secret, QStringLiteral("…"));
    for (auto& c : text)
        if (c.unicode() < 0x20 || c.unicode() == 0x7f)
            c = QLatin1Char(' ');
    return text.size() > 300 ? text.left(300) + QStringLiteral("…") : text;
}

// A string field of an answer, empty when it is missing or not a string.
std::string stringField(const json& j, const char* key)
{
    return j.is_object() && j.contains(key) && j[key].is_string() ? j[key].get<std::string>() : std::string();
}

// An upload's "offset", -1 when the answer has none.
qint64 offsetIn(const json& j)
{
    return j.is_object() && j.contains("offset") && j["offset"].is_number_integer() ? j["offset"].get<qint64>() : -1;
}

} // namespace

struct RemoteClient::Impl {
    Endpoint endpoint;
    QString secret;
    RemoteOptions options;
    QNetworkAccessManager network;

    QString where() const { return endpoint.name + QLatin1String(" (") + endpoint.url + QLatin1Char(')'); }

    bool cancelled() const { return cancellable && options.cancel && options.cancel->cancelled(); }
    /// False while a request runs that must finish once sent (a load: the server does it whatever happens).
    bool cancellable = true;

    // One request, no retries.
    Reply send(const QByteArray& verb, const QString& path, const QByteArray& body, int timeoutMs,
        const QList<QPair<QByteArray, QByteArray>>& headers = {})
    {
        QNetworkRequest request(QUrl(endpoint.url + path));
        if (const auto [name, value] = authorization(endpoint, secret); !name.isEmpty())
            request.setRawHeader(name, value);
        // A redirect is not followed: it would carry the token to wherever it points.
        request.setAttribute(QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::ManualRedirectPolicy);
        request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
        for (const auto& [k, v] : headers)
            request.setRawHeader(k, v);
        request.setTransferTimeout(timeoutMs);
        if (endpoint.url.startsWith(QLatin1String("https:")))
            request.setSslConfiguration(tlsFor(endpoint));
        QElapsedTimer timer;
        timer.start();
        QNetworkReply* reply
            = body.isNull() && verb == "GET" ? network.get(request) : network.sendCustomRequest(request, verb, body);
        if (endpoint.allowSelfSigned)
            QObject::connect(reply, &QNetworkReply::sslErrors, reply,
                [reply](const QList<QSslError>& errors) { reply->ignoreSslErrors(selfSignedOnly(errors)); });
        QEventLoop loop;
        QObject::connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
        QTimer poll; // a cancel from another thread is noticed within 100 ms
        QObject::connect(&poll, &QTimer::timeout, reply, [this, reply] {
            if (cancelled())
                reply->abort();
        });
        poll.start(100);
        if (!reply->isFinished())
            loop.exec();
        Reply r;
        r.ms = static_cast<double>(timer.nsecsElapsed()) / 1e6;
        r.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        r.error = reply->error();
        r.errorText = reply->errorString();
        if (reply->isOpen())
            r.body = reply->readAll();
        r.headerLength = reply->rawHeader("Inference-Header-Content-Length");
        delete reply;
        if (cancelled())
            throw Error(ErrorKind::Cancelled, Remote::tr("cancelled.").toStdString());
        return r;
    }

    // The sentence for a request that got no answer.
    QString unreachable(const Reply& r) const
    {
        switch (r.error) {
        case QNetworkReply::ConnectionRefusedError:
        case QNetworkReply::HostNotFoundError:
            return Remote::tr("cannot reach %1: %2; is the server running there?").arg(where(), r.errorText);
        case QNetworkReply::TimeoutError:
        case QNetworkReply::OperationCanceledError:
            return Remote::tr("%1 did not answer in time; it may be overloaded or stuck.").arg(where());
        case QNetworkReply::SslHandshakeFailedError:
            return Remote::tr("the TLS connection to %1 failed (%2); check its certificate, the CA file, or the client "
                              "certificate it asks for.")
                .arg(where(), r.errorText);
        default: return Remote::tr("the connection to %1 failed: %2.").arg(where(), r.errorText);
        }
    }

    [[noreturn]] void fail(const Reply& r, const QString& what) const
    {
        if (r.status == 0)
            throw Error(ErrorKind::Unavailable, (what + QLatin1String(": ") + unreachable(r)).toStdString());
        const auto sentence = what + QLatin1String(": ") + describe(r.status, r.body);
        const auto kind = r.status == 404 ? ErrorKind::NotFound
            : r.status == 409             ? ErrorKind::Conflict
            : r.status >= 500             ? ErrorKind::Unavailable
                                          : ErrorKind::InvalidInput;
        throw Error(kind, sentence.toStdString());
    }

    QString describe(int status, const QByteArray& body) const
    {
        QString reason;
        const auto parsed = maas::engine::parseJson(body.toStdString()).value_or(json());
        if (parsed.is_object() && parsed.contains("error") && parsed["error"].is_string())
            reason = printable(QString::fromStdString(parsed["error"].get<std::string>()), secret);
        if (status == 401)
            return Remote::tr(
                "%1 does not accept the endpoint's token (401); store the right one with `maas endpoint add`.")
                .arg(where());
        if (status == 403)
            return Remote::tr("the endpoint's token may not do this on %1 (403): %2").arg(where(), reason);
        if (status == 413)
            return Remote::tr("%1 refused a request this large (413): %2").arg(where(), reason);
        if (status == 429)
            return Remote::tr("%1 is limiting this token's requests (429); try again shortly.").arg(where());
        if (status >= 300 && status < 400)
            return Remote::tr("%1 answered with a redirect (%2), which is not followed: it would take the token "
                              "elsewhere; give the endpoint's final address.")
                .arg(where())
                .arg(status);
        return Remote::tr("%1 answered %2: %3")
            .arg(where())
            .arg(status)
            .arg(reason.isEmpty() ? Remote::tr("no reason given") : reason);
    }

    // A request with retries on connection errors and 5xx (unless `retry` is false: a request whose
    // repeat would not be the same, such as a load that uses an upload up); throws for anything but 2xx.
    Reply call(const QByteArray& verb, const QString& path, const QByteArray& body, const QString& what,
        int timeoutMs = 0, const QList<QPair<QByteArray, QByteArray>>& headers = {}, bool retry = true)
    {
        Reply r;
        for (int attempt = 0;; ++attempt) {
            r = send(verb, path, body, timeoutMs > 0 ? timeoutMs : options.timeoutMs, headers);
            const bool connectionLost = r.status == 0 && r.error != QNetworkReply::SslHandshakeFailedError
                && r.error != QNetworkReply::TimeoutError && r.error != QNetworkReply::OperationCanceledError;
            const bool retryable = retry && (connectionLost || r.status >= 500);
            if ((r.status >= 200 && r.status < 300) || !retryable || attempt >= options.retries)
                break;
            backOff(attempt);
        }
        if (r.status < 200 || r.status >= 300)
            fail(r, what);
        return r;
    }

    void backOff(int attempt) const
    {
        const auto wait = static_cast<qint64>(options.backoffMs) << std::min(attempt, 10);
        QElapsedTimer timer;
        timer.start();
        while (timer.elapsed() < wait) {
            if (cancelled())
                throw Error(ErrorKind::Cancelled, Remote::tr("cancelled.").toStdString());
            QThread::msleep(static_cast<unsigned long>(std::min<qint64>(50, wait - timer.elapsed() + 1)));
        }
    }

    json object(const Reply& r, const QString& what) const
    {
        const auto parsed = maas::engine::parseJson(r.body.toStdString()).value_or(json());
        if (!(parsed.is_object() || parsed.is_array()))
            throw Error(ErrorKind::InvalidInput,
                Remote::tr("%1: %2 answered with something that is not JSON; is it an inference server?")
                    .arg(what, where())
                    .toStdString());
        return parsed;
    }
};

RemoteClient::RemoteClient(Endpoint endpoint, QString secret, RemoteOptions options)
    : m_impl(std::make_unique<Impl>())
{
    m_impl->endpoint = std::move(endpoint);
    while (m_impl->endpoint.url.endsWith(QLatin1Char('/')))
        m_impl->endpoint.url.chop(1);
    m_impl->secret = std::move(secret);
    m_impl->options = options;
}

RemoteClient::~RemoteClient() = default;

const Endpoint& RemoteClient::endpoint() const { return m_impl->endpoint; }

const RemoteOptions& RemoteClient::options() const { return m_impl->options; }

bool RemoteClient::cancelRequested() const { return m_impl->options.cancel && m_impl->options.cancel->cancelled(); }

void RemoteClient::finishDespiteCancel() { m_impl->cancellable = false; }

json RemoteClient::server()
{
    const auto what = Remote::tr("asking for the server's metadata");
    return m_impl->object(m_impl->call("GET", QStringLiteral("/v2"), {}, what), what);
}

bool RemoteClient::live()
{
    return m_impl->call("GET", QStringLiteral("/v2/health/live"), {}, Remote::tr("asking whether the server is live"))
               .status
        == 200;
}

bool RemoteClient::ready()
{
    const auto r = m_impl->send("GET", QStringLiteral("/v2/health/ready"), {}, m_impl->options.timeoutMs);
    if (r.status == 0)
        m_impl->fail(r, Remote::tr("asking whether the server is ready"));
    return r.status == 200;
}

QList<RemoteModel> RemoteClient::index()
{
    const auto what = Remote::tr("listing the models");
    const auto list = m_impl->object(m_impl->call("POST", QStringLiteral("/v2/repository/index"), "{}", what), what);
    QList<RemoteModel> out;
    if (!list.is_array())
        return out;
    for (const auto& e : list) {
        if (!e.is_object())
            continue;
        out.append({ QString::fromStdString(stringField(e, "name")), QString::fromStdString(stringField(e, "version")),
            QString::fromStdString(stringField(e, "state")), QString::fromStdString(stringField(e, "reason")) });
    }
    return out;
}

json RemoteClient::metadata(const QString& model, const QString& version)
{
    const auto what = Remote::tr("asking for %1's metadata").arg(model);
    const auto path = QLatin1String("/v2/models/") + QString::fromLatin1(QUrl::toPercentEncoding(model))
        + (version.isEmpty() ? QString() : QLatin1String("/versions/") + version);
    return m_impl->object(m_impl->call("GET", path, {}, what), what);
}

json RemoteClient::statistics(const QString& model)
{
    const auto what = Remote::tr("asking for %1's statistics").arg(model);
    return m_impl->object(m_impl->call("GET",
                              QLatin1String("/v2/models/") + QString::fromLatin1(QUrl::toPercentEncoding(model))
                                  + QLatin1String("/stats"),
                              {}, what),
        what);
}

std::optional<json> RemoteClient::config(const QString& model)
{
    const auto what = Remote::tr("asking for %1's configuration").arg(model);
    try {
        const auto r = m_impl->call("GET",
            QLatin1String("/v2/models/") + QString::fromLatin1(QUrl::toPercentEncoding(model))
                + QLatin1String("/config"),
            {}, what);
        return m_impl->object(r, what);
    } catch (const Error& e) {
        if (e.kind() == ErrorKind::NotFound)
            return std::nullopt;
        throw;
    }
}

void RemoteClient::load(const QString& model, const json& parameters)
{
    const json body = { { "parameters", parameters } };
    // Once sent, the server loads it whatever the client does next: the load runs to its end, and the
    // caller looks at the cancel token after it.
    const bool before = std::exchange(m_impl->cancellable, false);
    const auto restore = qScopeGuard([&] { m_impl->cancellable = before; });
    m_impl->call("POST",
        QLatin1String("/v2/repository/models/") + QString::fromLatin1(QUrl::toPercentEncoding(model))
            + QLatin1String("/load"),
        QByteArray::fromStdString(body.dump()), Remote::tr("loading %1").arg(model), m_impl->options.loadTimeoutMs, {},
        false);
}

void RemoteClient::unload(const QString& model)
{
    m_impl->call("POST",
        QLatin1String("/v2/repository/models/") + QString::fromLatin1(QUrl::toPercentEncoding(model))
            + QLatin1String("/unload"),
        "{}", Remote::tr("unloading %1").arg(model));
}

maas::engine::InferReply RemoteClient::infer(
    const QString& model, const maas::engine::InferBody& body, double* roundTripMs)
{
    QList<QPair<QByteArray, QByteArray>> headers;
    if (body.headerLength) {
        headers.append({ "Inference-Header-Content-Length", QByteArray::number(qulonglong(*body.headerLength)) });
        headers.append(qMakePair(QByteArray("Content-Type"), QByteArray("application/octet-stream")));
    }
    const auto r = m_impl->call("POST",
        QLatin1String("/v2/models/") + QString::fromLatin1(QUrl::toPercentEncoding(model)) + QLatin1String("/infer"),
        QByteArray::fromStdString(body.body), Remote::tr("running %1").arg(model), 0, headers);
    if (roundTripMs)
        *roundTripMs = r.ms;
    std::optional<std::size_t> headerLength;
    if (!r.headerLength.isEmpty())
        headerLength = r.headerLength.toULongLong();
    try {
        return maas::engine::parseInferResponse(
            std::string_view(r.body.constData(), std::size_t(r.body.size())), headerLength);
    } catch (const Error& e) {
        throw Error(ErrorKind::InvalidInput,
            Remote::tr("%1 gave an answer that cannot be read: %2")
                .arg(m_impl->where(), QString::fromUtf8(e.what()))
                .toStdString());
    }
}

QString RemoteClient::upload(const QString& path, const QString& sha256, const maas::engine::ProgressCallback& progress)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        throw Error(
            ErrorKind::NotFound, Remote::tr("%1 cannot be read (%2).").arg(path, file.errorString()).toStdString());
    const auto total = file.size();
    const auto what = Remote::tr("uploading %1").arg(path);
    const auto started
        = m_impl->object(m_impl->call("POST", QStringLiteral("/v2/repository/uploads"), "{}", what), what);
    const auto id = QString::fromStdString(stringField(started, "id"));
    static const QRegularExpression hex(QStringLiteral("^[0-9a-f]{1,64}$"));
    if (!hex.match(id).hasMatch())
        throw Error(ErrorKind::InvalidInput,
            Remote::tr("%1: %2 answered with an upload id that is not one; is it a maas-serve?")
                .arg(what, m_impl->where())
                .toStdString());
    const QString base = QLatin1String("/v2/repository/uploads/") + id;
    QElapsedTimer clock;
    clock.start();
    qint64 offset = 0;
    const auto report = [&](qint64 sent) {
        if (!progress)
            return;
        const double seconds = std::max(1e-3, static_cast<double>(clock.nsecsElapsed()) / 1e9);
        const double rate = static_cast<double>(sent) / seconds;
        maas::engine::Progress p;
        p.fraction = total > 0 ? static_cast<double>(sent) / static_cast<double>(total) : 1.0;
        p.message = Remote::tr("uploading").toStdString();
        p.metrics = { { "bytes", double(sent) }, { "total_bytes", double(total) }, { "bytes_per_second", rate },
            { "eta_seconds", rate > 0 ? double(total - sent) / rate : 0.0 } };
        progress(p);
    };
    // An upload that does not end committed is dropped on the server, as far as the server can be told.
    auto drop = qScopeGuard([&] {
        const bool before = std::exchange(m_impl->cancellable, false);
        m_impl->send("DELETE", base, {}, 2000);
        m_impl->cancellable = before;
    });
    int failures = 0;
    ChunkConnection connection(m_impl->endpoint, m_impl->secret);
    while (offset < total) {
        file.seek(offset);
        const auto chunk = file.read(std::min<qint64>(m_impl->options.chunkBytes, total - offset));
        if (chunk.isEmpty())
            throw Error(ErrorKind::Io,
                Remote::tr("%1 changed while it was being sent; publish it again.").arg(path).toStdString());
        const auto r = connection.put(
            base + QLatin1String("?offset=") + QString::number(offset), chunk, m_impl->options.timeoutMs,
            [&](qint64 sent) { report(offset + sent); }, [this] { return m_impl->cancelled(); });
        if (m_impl->cancelled())
            throw Error(ErrorKind::Cancelled, Remote::tr("cancelled.").toStdString());
        if (r.status == 200) {
            if (offsetIn(m_impl->object(r, what)) != offset + chunk.size())
                throw Error(ErrorKind::InvalidInput,
                    Remote::tr("%1: %2 says it holds another length than was sent; is it a maas-serve?")
                        .arg(what, m_impl->where())
                        .toStdString());
            offset += chunk.size();
            failures = 0;
            report(offset);
            continue;
        }
        // A dropped connection or a server error: ask how far the file got, and go on from there.
        if ((r.status != 0 && r.status < 500 && r.status != 409) || ++failures > m_impl->options.retries)
            m_impl->fail(r, what);
        m_impl->backOff(failures - 1);
        const auto resumed = offsetIn(m_impl->object(m_impl->call("GET", base, {}, what), what));
        if (resumed < 0 || resumed > offset + chunk.size())
            throw Error(ErrorKind::InvalidInput,
                Remote::tr("%1: %2 says it holds more than was sent; is it a maas-serve?")
                    .arg(what, m_impl->where())
                    .toStdString());
        offset = resumed;
    }
    const json commit = { { "sha256", sha256.toStdString() } };
    m_impl->call("POST", base + QLatin1String("/commit"), QByteArray::fromStdString(commit.dump()), what);
    drop.dismiss(); // the load that names it uses it up
    return id;
}

ServerSummary summarize(RemoteClient& client)
{
    const auto meta = client.server();
    ServerSummary s;
    s.name = QString::fromStdString(stringField(meta, "name"));
    s.version = QString::fromStdString(stringField(meta, "version"));
    if (meta.is_object() && meta.contains("extensions") && meta["extensions"].is_array())
        for (const auto& e : meta["extensions"])
            if (e.is_string())
                s.extensions << QString::fromStdString(e.get<std::string>());
    s.ready = client.ready();
    s.modelVersions = static_cast<int>(client.index().size());
    return s;
}

std::unique_ptr<RemoteClient> connectTo(const QString& name, RemoteOptions options)
{
    const auto endpoint = EndpointStore::find(name);
    if (!endpoint)
        throw Error(ErrorKind::NotFound,
            Remote::tr("there is no endpoint named \"%1\"; add it with `maas endpoint add` or on the Publish page.")
                .arg(name)
                .toStdString());
    if (endpoint->builtIn) {
        const auto local = LocalEndpoint::ensureRunning();
        Endpoint e = *endpoint;
        e.url = local.url;
        return std::make_unique<RemoteClient>(e, local.token, options);
    }
    return std::make_unique<RemoteClient>(*endpoint, Credentials::read(name), options);
}

} // namespace maas::app
