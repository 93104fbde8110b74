#include "maas/widgets/tryitpage.h"

#include <QComboBox>
#include <QDragEnterEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLocale>
#include <QMimeData>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QTreeWidget>
#include <QVBoxLayout>

#include "maas/app/drops.h"
#include "maas/app/endpoints.h"
#include "maas/app/format.h"
#include "maas/app/jobs.h"
#include "maas/app/library.h"
#include "maas/app/publish.h"
#include "maas/app/tryit.h"

namespace maas::widgets {

TryItPage::TryItPage(maas::app::JobManager* jobs, QWidget* parent)
    : QWidget(parent)
    , m_jobs(jobs)
    , m_target(new QComboBox(this))
    , m_hint(new QLabel(this))
    , m_texts(new QPlainTextEdit(this))
    , m_run(new QPushButton(tr("Run"), this))
    , m_choose(new QPushButton(tr("Choose files…"), this))
    , m_results(new QTreeWidget(this))
    , m_status(new QLabel(this))
{
    setAcceptDrops(true);
    auto* layout = new QVBoxLayout(this);
    auto* target = new QHBoxLayout;
    target->addWidget(new QLabel(tr("Run on"), this));
    target->addWidget(m_target);
    target->addStretch();
    layout->addLayout(target);
    reloadTargets();
    m_hint->setWordWrap(true);
    layout->addWidget(m_hint);
    m_texts->setPlaceholderText(tr("One text per line"));
    m_texts->setMaximumHeight(120);
    layout->addWidget(m_texts);
    auto* buttons = new QHBoxLayout;
    m_run->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_R));
    buttons->addWidget(m_run);
    buttons->addWidget(m_choose);
    buttons->addStretch();
    layout->addLayout(buttons);
    m_results->setColumnCount(3);
    m_results->setHeaderLabels({ tr("Input / class"), tr("Probability"), QString() });
    m_results->header()->setSectionResizeMode(0, QHeaderView::Stretch);
    layout->addWidget(m_results, 1);
    m_status->setWordWrap(true);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(m_status);
    connect(m_run, &QPushButton::clicked, this, [this] { run(); });
    connect(m_choose, &QPushButton::clicked, this, [this] {
        const QStringList files = QFileDialog::getOpenFileNames(this, tr("Inputs for %1").arg(m_modelName), QString(),
            tr("Inputs (%1);;All files (*)")
                .arg((maas::app::imageNameFilters()
                    << QStringLiteral("*.csv") << QStringLiteral("*.npy") << QStringLiteral("*.pt"))
                         .join(QLatin1Char(' '))));
        if (!files.isEmpty())
            run(files);
    });
    setEnabled(false);
}

void TryItPage::reloadTargets()
{
    const auto current = m_target->currentData().toString();
    m_target->clear();
    m_target->addItem(tr("this computer"), QString());
    QString problem;
    const auto endpoints = maas::app::EndpointStore::all(&problem);
    if (!problem.isEmpty())
        m_status->setText(problem);
    for (const auto& e : endpoints)
        m_target->addItem(e.builtIn ? tr("local endpoint") : e.name, e.name);
    setTarget(current);
}

bool TryItPage::setTarget(const QString& endpoint)
{
    const int i = m_target->findData(endpoint);
    if (i >= 0)
        m_target->setCurrentIndex(i);
    return i >= 0;
}

void TryItPage::setModel(const maas::app::ModelEntry& entry)
{
    if (m_job && !m_job->isFinished())
        m_job->cancel(); // its result belongs to the model shown before
    m_job = nullptr;
    m_modelPath = entry.path;
    m_modelId = entry.id;
    m_modelName = entry.name;
    const auto inputs
        = QJsonDocument::fromJson(entry.cardJson.toUtf8()).object().value(QLatin1String("inputs")).toArray();
    const auto input = inputs.at(0).toObject();
    m_text = input.value(QLatin1String("datatype")).toString() == QLatin1String("BYTES");
    m_rows = !m_text && input.value(QLatin1String("shape")).toArray().size() == 2;
    m_texts->setVisible(m_text || m_rows);
    m_run->setVisible(m_text || m_rows);
    m_texts->clear();
    if (m_text)
        m_hint->setText(tr("Type texts for %1, one per line, then Run.").arg(entry.name));
    else if (m_rows && input.value(QLatin1String("datatype")).toString().startsWith(QLatin1String("INT")))
        m_hint->setText(tr("Type token ids for %1, one sequence per line, separated by commas (or drop .npy files of "
                           "ids), then Run.")
                            .arg(entry.name));
    else if (m_rows)
        m_hint->setText(
            tr("Type rows of raw values for %1, one per line, separated by commas (or drop CSV files), then Run.")
                .arg(entry.name));
    else
        m_hint->setText(tr("Drop images, CSV rows or tensor files on this page to run %1 on them.").arg(entry.name));
    m_results->clear();
    m_status->clear();
    setEnabled(true);
}

maas::app::Job* TryItPage::run(const QStringList& files)
{
    if (m_modelPath.isEmpty() || (m_job && !m_job->isFinished()))
        return nullptr;
    QStringList inputs = files;
    const bool typedRows = files.isEmpty() && m_rows;
    if (inputs.isEmpty())
        for (const QString& line : m_texts->toPlainText().split(QLatin1Char('\n')))
            if (!line.trimmed().isEmpty())
                inputs << line.trimmed();
    if (inputs.isEmpty()) {
        m_status->setText(m_text ? tr("Type at least one text.")
                : m_rows         ? tr("Type at least one row, or drop a file.")
                                 : tr("Drop or choose at least one file."));
        return nullptr;
    }
    const QString path = m_modelPath;
    const QString endpoint = m_target->currentData().toString();
    const QString remoteName = maas::app::modelNameFor(m_modelName);
    m_status->setText(tr("running…"));
    auto* job = m_jobs->start(
        endpoint.isEmpty() ? tr("Try %1").arg(m_modelName) : tr("Try %1 on %2").arg(m_modelName, endpoint),
        [path, inputs, typedRows, endpoint, remoteName](const maas::app::JobContext& context) {
            if (!endpoint.isEmpty())
                return QVariant::fromValue(
                    maas::app::runRemotePrediction(endpoint, remoteName, inputs, typedRows, 5, context.cancel));
            return QVariant::fromValue(
                typedRows ? maas::app::runPredictionOnRows(path, inputs) : maas::app::runPrediction(path, inputs));
        });
    m_job = job;
    job->setOrigin(maas::app::Page::TryIt, m_modelId);
    connect(job, &maas::app::Job::finished, this, [this, job](maas::app::JobState state) {
        if (job != m_job)
            return; // stale: a newer run was started
        m_results->clear();
        if (state != maas::app::JobState::Done) {
            m_status->setText(job->error());
            m_status->setStyleSheet(QStringLiteral("color: #c62828;"));
            return;
        }
        m_status->setStyleSheet(QString());
        const auto result = job->result().value<maas::app::PredictionResult>();
        for (const auto& sample : result.samples) {
            auto* top = new QTreeWidgetItem(
                m_results, { QFileInfo(sample.source).exists() ? QFileInfo(sample.source).fileName() : sample.source });
            for (const auto& [label, probability] : sample.classes) {
                auto* item = new QTreeWidgetItem(
                    top, { label, QStringLiteral("%1%").arg(QLocale().toString(probability * 100.0, 'f', 1)) });
                item->setToolTip(1, QString::number(probability, 'g', 8));
                auto* bar = new QProgressBar(m_results);
                bar->setRange(0, 1000);
                bar->setValue(static_cast<int>(probability * 1000));
                bar->setTextVisible(false);
                bar->setMaximumHeight(12);
                m_results->setItemWidget(item, 2, bar);
            }
            top->setExpanded(true);
        }
        const int n = static_cast<int>(result.samples.size());
        m_status->setText(
            (m_target->currentData().toString().isEmpty() ? tr("latency %1 for %n input(s)", nullptr, n)
                                                          : tr("round trip %1 for %n input(s)", nullptr, n))
                .arg(maas::app::formatSeconds(result.latencyMs / 1000.0)));
    });
    return m_job;
}

void TryItPage::dragEnterEvent(QDragEnterEvent* event)
{
    if (isEnabled() && event->mimeData()->hasUrls())
        event->acceptProposedAction();
}

void TryItPage::dropEvent(QDropEvent* event)
{
    QStringList files;
    for (const QUrl& url : event->mimeData()->urls())
        if (url.isLocalFile())
            files << url.toLocalFile();
    event->acceptProposedAction();
    run(files);
}

} // namespace maas::widgets
