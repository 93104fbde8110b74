#include "maas/widgets/publishpage.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialog>
#include <QDialogButtonBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QInputDialog>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QSpinBox>
#include <QSplitter>
#include <QTableWidget>
#include <QTreeWidget>
#include <QVBoxLayout>

#include "maas/app/endpoints.h"
#include "maas/app/format.h"
#include "maas/app/jobs.h"
#include "maas/app/library.h"
#include "maas/app/localendpoint.h"
#include "maas/app/publish.h"
#include "maas/app/remote.h"
#include "maas/app/textinput.h"
#include "maas/widgets/messagebanner.h"

namespace maas::widgets {

namespace {

using maas::app::Endpoint;

// Add or edit an endpoint: address, token (kept in the keychain), header, TLS files, self-signed switch.
class EndpointDialog : public QDialog {
public:
    EndpointDialog(const Endpoint& e, bool existing, QWidget* parent)
        : QDialog(parent)
    {
        setWindowTitle(existing ? PublishPage::tr("Edit endpoint") : PublishPage::tr("Add endpoint"));
        auto* form = new QFormLayout(this);
        m_name->setText(e.name);
        m_name->setEnabled(!existing);
        m_url->setText(e.url);
        m_url->setPlaceholderText(QStringLiteral("https://models.example.com:8000"));
        m_token->setEchoMode(QLineEdit::Password);
        m_token->setPlaceholderText(existing ? PublishPage::tr("unchanged") : QString());
        m_header->setText(e.authHeader);
        m_header->setPlaceholderText(PublishPage::tr("Authorization: Bearer"));
        m_ca->setText(e.caFile);
        m_cert->setText(e.clientCertificate);
        m_key->setText(e.clientKey);
        m_selfSigned->setChecked(e.allowSelfSigned);
        m_warning->setStyleSheet(QStringLiteral("color: #c62828;"));
        m_warning->setWordWrap(true);
        form->addRow(PublishPage::tr("Name"), m_name);
        form->addRow(PublishPage::tr("Address"), m_url);
        form->addRow(PublishPage::tr("Token"), m_token);
        form->addRow(PublishPage::tr("Token header"), m_header);
        form->addRow(PublishPage::tr("CA file (PEM)"), m_ca);
        form->addRow(PublishPage::tr("Client certificate"), m_cert);
        form->addRow(PublishPage::tr("Client key"), m_key);
        form->addRow(QString(), m_selfSigned);
        form->addRow(QString(), m_warning);
        auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
        form->addRow(buttons);
        connect(buttons, &QDialogButtonBox::accepted, this, &EndpointDialog::check);
        connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
        connect(m_selfSigned, &QCheckBox::toggled, this, [this](bool on) {
            m_warning->setText(on ? PublishPage::tr("The server's identity will not be checked: anyone between you and "
                                                    "it could read the token and the models.")
                                  : QString());
        });
        Q_EMIT m_selfSigned->toggled(e.allowSelfSigned);
    }

    Endpoint endpoint() const
    {
        Endpoint e;
        e.name = m_name->text().trimmed();
        e.url = m_url->text().trimmed();
        e.authHeader = m_header->text().trimmed();
        e.caFile = m_ca->text().trimmed();
        e.clientCertificate = m_cert->text().trimmed();
        e.clientKey = m_key->text().trimmed();
        e.allowSelfSigned = m_selfSigned->isChecked();
        return e;
    }
    QString token() const { return m_token->text().trimmed(); }

private:
    void check()
    {
        const auto why = endpoint().problem();
        if (why.isEmpty())
            accept();
        else
            m_warning->setText(why);
    }

    QLineEdit* m_name = new QLineEdit(this);
    QLineEdit* m_url = new QLineEdit(this);
    QLineEdit* m_token = new QLineEdit(this);
    QLineEdit* m_header = new QLineEdit(this);
    QLineEdit* m_ca = new QLineEdit(this);
    QLineEdit* m_cert = new QLineEdit(this);
    QLineEdit* m_key = new QLineEdit(this);
    QCheckBox* m_selfSigned = new QCheckBox(PublishPage::tr("Allow a self-signed certificate"), this);
    QLabel* m_warning = new QLabel(this);
};

QVariantList rowsOf(const QList<maas::app::RemoteModel>& models)
{
    QVariantList rows;
    for (const auto& m : models)
        rows.append(QStringList { m.name, m.version, m.state, m.reason });
    return rows;
}

// The ONNX form's export options when the page's format is ONNX; empty: publish TorchScript. `problem` gets
// a sentence when the input shape typed is not one.
std::optional<maas::engine::OnnxExportOptions> onnxFormOf(
    const QComboBox* format, const QSpinBox* opset, const QLineEdit* inputShape, QString& problem)
{
    problem.clear();
    if (format->currentData().toString() != QLatin1String("onnx"))
        return std::nullopt;
    maas::engine::OnnxExportOptions options;
    options.opset = opset->value();
    const auto text = inputShape->text().trimmed();
    if (const auto shape = maas::app::parseOpenShape(text); shape && !text.isEmpty())
        options.inputShape = *shape;
    else if (!text.isEmpty())
        problem = PublishPage::tr("The ONNX input shape '%1' is not a shape; write positive sizes separated by "
                                  "commas, -1 for an axis left open, or nothing for the card's.")
                      .arg(text);
    return options;
}

} // namespace

PublishPage::PublishPage(maas::app::JobManager* jobs, QWidget* parent)
    : QWidget(parent)
    , m_jobs(jobs)
    , m_banner(new MessageBanner(this))
    , m_endpoints(new QComboBox(this))
    , m_endpointState(new QLabel(this))
    , m_name(new QLineEdit(this))
    , m_maxBatch(new QSpinBox(this))
    , m_format(new QComboBox(this))
    , m_opset(new QSpinBox(this))
    , m_inputShape(new QLineEdit(this))
    , m_newVersion(new QCheckBox(tr("New version even if unchanged"), this))
    , m_config(new QPlainTextEdit(this))
    , m_publish(new QPushButton(tr("Publish"), this))
    , m_cancel(new QPushButton(tr("Cancel"), this))
    , m_progress(new QProgressBar(this))
    , m_progressText(new QLabel(this))
    , m_verdict(new QLabel(this))
    , m_verification(new QTableWidget(0, 3, this))
    , m_repository(new QTreeWidget(this))
{
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(m_banner);
    m_banner->hide();
    layout->addWidget(buildEndpointRow());
    auto* split = new QSplitter(Qt::Horizontal, this);
    split->addWidget(buildPublishBox());
    split->addWidget(buildRepositoryBox());
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 2);
    layout->addWidget(split, 1);
    reloadEndpoints();
    m_publish->setEnabled(false);
}

QWidget* PublishPage::buildEndpointRow()
{
    auto* row = new QWidget(this);
    auto* h = new QHBoxLayout(row);
    h->setContentsMargins(0, 0, 0, 0);
    h->addWidget(new QLabel(tr("Endpoint"), row));
    h->addWidget(m_endpoints, 1);
    const auto button = [&](const QString& text, auto slot) {
        auto* b = new QPushButton(text, row);
        connect(b, &QPushButton::clicked, this, slot);
        h->addWidget(b);
        return b;
    };
    button(tr("Add…"), [this] { editEndpoint(false); });
    auto* edit = button(tr("Edit…"), [this] { editEndpoint(true); });
    auto* remove = button(tr("Remove"), [this] { removeEndpoint(); });
    button(tr("Test"), [this] { testEndpoint(); });
    auto* stop = button(tr("Stop local"), [this] {
        auto* job = m_jobs->start(tr("Stop the local endpoint"),
            [](const maas::app::JobContext&) { return QVariant(maas::app::LocalEndpoint::stop()); });
        connect(job, &maas::app::Job::finished, this, [this, job] {
            m_endpointState->setText(job->result().toBool() ? tr("The local endpoint is stopped.")
                                                            : tr("The local endpoint was not running."));
            m_repository->clear();
        });
    });
    h->addWidget(m_endpointState, 1);
    m_endpointState->setWordWrap(true);
    connect(m_endpoints, &QComboBox::currentIndexChanged, this, [this, edit, remove, stop] {
        const bool local = endpointName() == QLatin1String(maas::app::kLocalEndpoint);
        edit->setEnabled(!local);
        remove->setEnabled(!local);
        stop->setEnabled(local);
        m_endpointState->clear();
        m_repository->clear();
    });
    return row;
}

QWidget* PublishPage::buildPublishBox()
{
    auto* box = new QGroupBox(tr("Publish"), this);
    auto* v = new QVBoxLayout(box);
    auto* form = new QFormLayout;
    m_name->setPlaceholderText(tr("the model's name on the endpoint"));
    form->addRow(tr("Name"), m_name);
    m_maxBatch->setRange(1, 1'000'000);
    m_maxBatch->setValue(64);
    form->addRow(tr("Max batch size"), m_maxBatch);
    m_format->addItem(tr("TorchScript (Triton's PyTorch backend, maas-serve)"), QStringLiteral("torchscript"));
    m_format->addItem(tr("ONNX, exported here (Triton's onnxruntime backend)"), QStringLiteral("onnx"));
    m_format->setToolTip(tr("ONNX sends the model exported to ONNX with a config for ONNX Runtime; maas-serve "
                            "serves TorchScript only, so publish ONNX to a Triton server."));
    form->addRow(tr("Format"), m_format);
    m_opset->setRange(maas::engine::kOnnxMinOpset, maas::engine::kOnnxMaxOpset);
    m_opset->setValue(maas::engine::kOnnxMaxOpset);
    m_opset->setEnabled(false);
    form->addRow(tr("ONNX opset"), m_opset);
    m_inputShape->setPlaceholderText(tr("one sample's, such as 1,28,28; empty: the card's (-1 leaves an axis open)"));
    m_inputShape->setEnabled(false);
    form->addRow(tr("ONNX input shape"), m_inputShape);
    form->addRow(QString(), m_newVersion);
    v->addLayout(form);
    v->addWidget(new QLabel(tr("Triton config (generated from the card; edit before sending)"), box));
    m_config->setFont(QFont(QStringLiteral("monospace")));
    v->addWidget(m_config, 2);
    auto* buttons = new QHBoxLayout;
    buttons->addWidget(m_publish);
    buttons->addWidget(m_cancel);
    buttons->addWidget(m_progress, 1);
    v->addLayout(buttons);
    v->addWidget(m_progressText);
    m_cancel->setEnabled(false);
    v->addWidget(m_verdict);
    m_verdict->setWordWrap(true);
    m_verification->setHorizontalHeaderLabels({ tr("Sample"), tr("Here"), tr("On the endpoint") });
    m_verification->horizontalHeader()->setSectionResizeMode(QHeaderView::Stretch);
    m_verification->setEditTriggers(QAbstractItemView::NoEditTriggers);
    v->addWidget(m_verification, 1);
    connect(m_publish, &QPushButton::clicked, this, [this] { publish(); });
    connect(m_cancel, &QPushButton::clicked, this, [this] {
        if (m_job)
            m_job->cancel();
    });
    connect(m_maxBatch, &QSpinBox::editingFinished, this, [this] { loadConfig(); });
    connect(m_format, &QComboBox::currentIndexChanged, this, [this] {
        const bool onnx = m_format->currentData().toString() == QLatin1String("onnx");
        m_opset->setEnabled(onnx);
        m_inputShape->setEnabled(onnx);
        loadConfig();
    });
    connect(m_opset, &QSpinBox::editingFinished, this, [this] { loadConfig(); });
    connect(m_inputShape, &QLineEdit::editingFinished, this, [this] { loadConfig(); });
    return box;
}

QWidget* PublishPage::buildRepositoryBox()
{
    auto* box = new QGroupBox(tr("On the endpoint"), this);
    auto* v = new QVBoxLayout(box);
    m_repository->setHeaderLabels({ tr("Model"), tr("Version"), tr("State"), tr("Reason") });
    m_repository->setRootIsDecorated(false);
    v->addWidget(m_repository, 1);
    auto* h = new QHBoxLayout;
    auto* refreshButton = new QPushButton(tr("Refresh"), box);
    auto* unload = new QPushButton(tr("Unload"), box);
    auto* rollBack = new QPushButton(tr("Roll back…"), box);
    h->addWidget(refreshButton);
    h->addWidget(unload);
    h->addWidget(rollBack);
    h->addStretch();
    v->addLayout(h);
    connect(refreshButton, &QPushButton::clicked, this, [this] { refresh(); });
    connect(unload, &QPushButton::clicked, this, [this] { changeRemote(true); });
    connect(rollBack, &QPushButton::clicked, this, [this] { changeRemote(false); });
    return box;
}

void PublishPage::reloadEndpoints(const QString& select)
{
    const auto current = select.isEmpty() ? endpointName() : select;
    m_endpoints->clear();
    QString problem;
    const auto endpoints = maas::app::EndpointStore::all(&problem);
    if (!problem.isEmpty())
        m_banner->show(MessageBanner::Kind::Error, problem);
    for (const auto& e : endpoints)
        m_endpoints->addItem(e.builtIn ? tr("local (this computer)") : e.name + QStringLiteral("  ") + e.url, e.name);
    selectEndpoint(current);
}

bool PublishPage::selectEndpoint(const QString& name)
{
    const int i = m_endpoints->findData(name);
    if (i >= 0)
        m_endpoints->setCurrentIndex(i);
    return i >= 0;
}

QString PublishPage::endpointName() const { return m_endpoints->currentData().toString(); }

void PublishPage::editEndpoint(bool existing)
{
    Endpoint e;
    if (existing)
        e = maas::app::EndpointStore::find(endpointName()).value_or(Endpoint {});
    EndpointDialog dialog(e, existing, this);
    if (dialog.exec() != QDialog::Accepted)
        return;
    const auto endpoint = dialog.endpoint();
    const auto token = dialog.token();
    changeEndpoints(tr("Save endpoint %1").arg(endpoint.name), endpoint.name, [endpoint, token] {
        if (!token.isEmpty())
            maas::app::Credentials::store(endpoint.name, token);
        maas::app::EndpointStore::save(endpoint);
        return token.isEmpty() || maas::app::Credentials::where() == QLatin1String("keychain")
            ? QString()
            : tr("No keychain service runs here, so the token is kept in %1, readable only by you.")
                  .arg(maas::app::Credentials::where());
    });
}

void PublishPage::changeEndpoints(const QString& title, const QString& select, std::function<QString()> work)
{
    // Tokens go to the keychain over D-Bus, which may wait for the user to unlock it: never on this thread.
    auto* job = m_jobs->start(title, [work](const maas::app::JobContext&) { return QVariant(work()); });
    connect(job, &maas::app::Job::finished, this, [this, job, select] {
        if (job->state() != maas::app::JobState::Done)
            return fail(job);
        if (!job->result().toString().isEmpty())
            m_banner->show(MessageBanner::Kind::Info, job->result().toString());
        reloadEndpoints(select);
        Q_EMIT endpointsChanged();
    });
}

void PublishPage::removeEndpoint()
{
    const auto name = endpointName();
    if (QMessageBox::question(this, tr("Remove endpoint"), tr("Remove %1 and its stored token?").arg(name))
        != QMessageBox::Yes)
        return;
    changeEndpoints(tr("Remove endpoint %1").arg(name), QString(), [name] {
        maas::app::EndpointStore::remove(name);
        return QString();
    });
}

void PublishPage::setModel(const maas::app::ModelEntry& entry)
{
    m_modelPath = entry.path;
    m_modelName = entry.name;
    m_modelId = entry.id;
    m_name->setText(maas::app::modelNameFor(entry.name));
    m_verification->setRowCount(0);
    m_verdict->clear();
    m_progress->setValue(0);
    m_progressText->clear();
    loadConfig();
}

void PublishPage::loadConfig()
{
    if (m_modelPath.isEmpty())
        return;
    const auto path = m_modelPath;
    const auto name = m_name->text();
    const auto batch = m_maxBatch->value();
    m_config->clear(); // another model's config must never go out with this one
    m_publish->setEnabled(false);
    const int request = ++m_configRequest;
    QString problem;
    const auto onnx = onnxFormOf(m_format, m_opset, m_inputShape, problem);
    if (!problem.isEmpty()) {
        m_banner->show(MessageBanner::Kind::Error, problem);
        return;
    }
    auto* job
        = m_jobs->start(tr("Config for %1").arg(m_modelName), [path, name, batch, onnx](const maas::app::JobContext&) {
              return QVariant(QString::fromStdString(maas::app::publishConfig(path, name, batch, onnx).dump(2)));
          });
    connect(job, &maas::app::Job::finished, this, [this, job, request](maas::app::JobState state) {
        if (request != m_configRequest)
            return; // another model or form was chosen since
        if (state == maas::app::JobState::Done) {
            m_banner->hide(); // what was wrong with the form before is not any more
            m_config->setPlainText(job->result().toString());
            m_publish->setEnabled(!m_job || m_job->isFinished());
        } else {
            fail(job);
        }
    });
}

void PublishPage::fail(maas::app::Job* job)
{
    if (job->state() == maas::app::JobState::Cancelled)
        m_banner->show(MessageBanner::Kind::Info, tr("%1: cancelled.").arg(job->title()));
    else
        m_banner->show(MessageBanner::Kind::Error, job->error());
}

maas::app::Job* PublishPage::publish()
{
    if (m_modelPath.isEmpty() || (m_job && !m_job->isFinished()))
        return nullptr;
    maas::app::PublishOptions options;
    options.name = m_name->text().trimmed();
    options.newVersion = m_newVersion->isChecked();
    options.maxBatchSize = m_maxBatch->value();
    QString problem;
    options.onnx = onnxFormOf(m_format, m_opset, m_inputShape, problem);
    if (!problem.isEmpty()) {
        m_banner->show(MessageBanner::Kind::Error, problem);
        return nullptr;
    }
    if (!m_config->toPlainText().trimmed().isEmpty()) {
        const auto parsed = maas::app::parseConfigText(m_config->toPlainText());
        if (!parsed) {
            m_banner->show(MessageBanner::Kind::Error,
                tr("The config is not a JSON object; fix it, or choose the model again for a new one."));
            return nullptr;
        }
        options.config = parsed;
    }
    m_banner->hide();
    m_verification->setRowCount(0);
    m_verdict->clear();
    const auto path = m_modelPath;
    const auto endpoint = endpointName();
    auto* job = m_jobs->start(tr("Publish %1 to %2").arg(m_modelName, endpoint),
        [path, endpoint, options](const maas::app::JobContext& context) {
            maas::app::RemoteOptions remote;
            remote.cancel = context.cancel;
            auto client = maas::app::connectTo(endpoint, remote);
            return QVariant::fromValue(maas::app::publish(*client, path, options, context.progress));
        });
    m_job = job;
    job->setOrigin(maas::app::Page::Publish, m_modelId);
    m_publish->setEnabled(false);
    m_cancel->setEnabled(true);
    connect(job, &maas::app::Job::progressed, this, [this, job] {
        m_progress->setValue(static_cast<int>(job->fraction() * 100));
        const auto m = job->metrics();
        QString text = job->message();
        if (m.contains(QStringLiteral("bytes")))
            text += QStringLiteral(": %1 / %2, %3/s, %4")
                        .arg(maas::app::formatBytes(m.value(QStringLiteral("bytes")).toDouble()),
                            maas::app::formatBytes(m.value(QStringLiteral("total_bytes")).toDouble()),
                            maas::app::formatBytes(m.value(QStringLiteral("bytes_per_second")).toDouble()),
                            tr("%1 left").arg(
                                maas::app::formatSeconds(m.value(QStringLiteral("eta_seconds")).toDouble())));
        m_progressText->setText(text);
    });
    connect(job, &maas::app::Job::finished, this, [this, job] { showPublished(job); });
    return job;
}

void PublishPage::showPublished(maas::app::Job* job)
{
    m_publish->setEnabled(true);
    m_cancel->setEnabled(false);
    if (job->state() != maas::app::JobState::Done) {
        m_progressText->clear();
        fail(job);
        return;
    }
    m_progress->setValue(100);
    const auto r = job->resultAs<maas::app::PublishResult>();
    m_progressText->setText(r.unchanged ? tr("%1 version %2 on %3 is this file already; nothing was sent.")
                                              .arg(r.name)
                                              .arg(r.version)
                                              .arg(r.endpoint)
                                        : tr("Published %1 version %2 to %3: %4 in %5 s.")
                                              .arg(r.name)
                                              .arg(r.version)
                                              .arg(r.endpoint, maas::app::formatBytes(double(r.bytes)))
                                              .arg(r.uploadSeconds, 0, 'f', 2));
    m_verdict->setText((r.passed ? tr("Verification passed") : tr("Verification FAILED"))
        + tr(": largest difference %1 (tolerance %2); here %3 ms, on the endpoint %4 ms (round trip).")
              .arg(r.maxDifference, 0, 'g', 3)
              .arg(r.tolerance, 0, 'g', 3)
              .arg(r.localMs, 0, 'f', 2)
              .arg(r.remoteMs, 0, 'f', 2));
    if (r.restored >= 0)
        m_verdict->setText(m_verdict->text() + QLatin1Char(' ')
            + (r.restored > 0 ? tr("Version %1 serves again.").arg(r.restored) : tr("The model is unloaded.")));
    m_verdict->setStyleSheet(r.passed ? QStringLiteral("color: #2e7d32;") : QStringLiteral("color: #c62828;"));
    m_verification->setRowCount(static_cast<int>(r.samples.size()));
    for (int i = 0; i < r.samples.size(); ++i) {
        m_verification->setItem(i, 0, new QTableWidgetItem(r.samples[i].sample));
        m_verification->setItem(i, 1, new QTableWidgetItem(r.samples[i].local));
        m_verification->setItem(i, 2, new QTableWidgetItem(r.samples[i].remote));
    }
    refresh();
}

maas::app::Job* PublishPage::refresh()
{
    const auto endpoint = endpointName();
    auto* job = m_jobs->start(tr("List %1").arg(endpoint), [endpoint](const maas::app::JobContext& context) {
        maas::app::RemoteOptions remote;
        remote.cancel = context.cancel;
        return QVariant(rowsOf(maas::app::connectTo(endpoint, remote)->index()));
    });
    job->setOrigin(maas::app::Page::Publish, m_modelId);
    connect(job, &maas::app::Job::finished, this, [this, job] { showRepository(job); });
    return job;
}

void PublishPage::showRepository(maas::app::Job* job)
{
    if (job->state() != maas::app::JobState::Done) {
        fail(job);
        return;
    }
    m_repository->clear();
    for (const auto& row : job->result().toList())
        new QTreeWidgetItem(m_repository, row.toStringList());
    for (int c = 0; c < 3; ++c)
        m_repository->resizeColumnToContents(c);
}

maas::app::Job* PublishPage::testEndpoint()
{
    const auto endpoint = endpointName();
    m_endpointState->setText(tr("testing…"));
    auto* job = m_jobs->start(tr("Test %1").arg(endpoint), [endpoint](const maas::app::JobContext& context) {
        maas::app::RemoteOptions remote;
        remote.cancel = context.cancel;
        const auto s = maas::app::summarize(*maas::app::connectTo(endpoint, remote));
        return QVariant(tr("%1 %2, %3; extensions: %4")
                            .arg(s.name, s.version, s.ready ? tr("ready") : tr("not ready"),
                                s.extensions.join(QLatin1String(", "))));
    });
    connect(job, &maas::app::Job::finished, this, [this, job] {
        m_endpointState->setText(job->state() == maas::app::JobState::Done ? job->result().toString() : QString());
        if (job->state() != maas::app::JobState::Done)
            fail(job);
        else
            refresh();
    });
    return job;
}

void PublishPage::changeRemote(bool unload)
{
    auto* item = m_repository->currentItem();
    if (!item)
        return;
    const auto model = item->text(0);
    qint64 version = 0;
    if (!unload) {
        bool ok = false;
        version = QInputDialog::getInt(this, tr("Roll back %1").arg(model), tr("Serve version"),
            std::max(1, item->text(1).toInt() - 1), 1, 1'000'000'000, 1, &ok);
        if (!ok)
            return;
    }
    const auto endpoint = endpointName();
    auto* job = m_jobs->start(unload ? tr("Unload %1").arg(model) : tr("Roll back %1").arg(model),
        [endpoint, model, unload, version](const maas::app::JobContext& context) {
            maas::app::RemoteOptions remote;
            remote.cancel = context.cancel;
            auto client = maas::app::connectTo(endpoint, remote);
            if (unload)
                client->unload(model);
            else
                maas::app::rollback(*client, model, version);
            return QVariant(true);
        });
    connect(job, &maas::app::Job::finished, this, [this, job] {
        if (job->state() != maas::app::JobState::Done)
            fail(job);
        refresh();
    });
}

} // namespace maas::widgets
