#include "maas/widgets/workbenchwindow.h"

#include <QApplication>
#include <QCloseEvent>
#include <QDockWidget>
#include <QDragEnterEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QMimeData>
#include <QSettings>
#include <QStackedWidget>
#include <QStatusBar>
#include <QTabWidget>
#include <QTreeView>
#include <QVBoxLayout>

#include "maas/app/about.h"
#include "maas/app/benchmark.h"
#include "maas/app/drops.h"
#include "maas/app/jobs.h"
#include "maas/app/library.h"
#include "maas/app/librarymodel.h"
#include "maas/app/preferences.h"
#include "maas/widgets/cardeditor.h"
#include "maas/widgets/inspectorpage.h"
#include "maas/widgets/jobspanel.h"
#include "maas/widgets/librarypanel.h"
#include "maas/widgets/messagebanner.h"
#include "maas/widgets/modeloverview.h"
#include "maas/widgets/settingsdialog.h"
#include "maas/widgets/trainpage.h"
#include "maas/widgets/trashdialog.h"
#include "maas/widgets/tryitpage.h"
#include "maas/widgets/welcomepage.h"

Q_DECLARE_METATYPE(maas::app::PreparedImport)
Q_DECLARE_METATYPE(maas::app::DatasetEntry)

namespace maas::widgets {

namespace {

QStringList localPaths(const QMimeData* mime)
{
    QStringList paths;
    if (mime && mime->hasUrls())
        for (const QUrl& url : mime->urls())
            if (url.isLocalFile())
                paths << url.toLocalFile();
    return paths;
}

} // namespace

WorkbenchWindow::WorkbenchWindow(maas::app::Library* library, maas::app::JobManager* jobs, QWidget* parent)
    : QMainWindow(parent)
    , m_library(library)
    , m_jobs(jobs)
    , m_model(new maas::app::LibraryModel(library, this))
    , m_libraryPanel(new LibraryPanel(m_model, this))
    , m_jobsPanel(new JobsPanel(jobs, this))
    , m_banner(new MessageBanner(this))
    , m_pages(new QStackedWidget(this))
    , m_welcome(new WelcomePage(this))
    , m_tabs(new QTabWidget(this))
    , m_overview(new ModelOverview(this))
    , m_train(new TrainPage(library, jobs, this))
    , m_tryIt(new TryItPage(jobs, this))
    , m_inspector(new InspectorPage(jobs, this))
    , m_overlay(new QLabel(this))
    , m_runtime(new QLabel(this))
{
    setWindowTitle(tr("MaaS Workbench"));
    setObjectName(QStringLiteral("workbench"));
    auto* central = new QWidget(this);
    auto* layout = new QVBoxLayout(central);
    layout->addWidget(m_banner);
    m_tabs->addTab(m_overview, tr("Overview"));
    m_tabs->addTab(m_inspector, tr("Inspect"));
    m_tabs->addTab(m_train, tr("Train"));
    m_tabs->addTab(m_tryIt, tr("Try it"));
    m_pages->addWidget(m_welcome);
    m_pages->addWidget(m_tabs);
    layout->addWidget(m_pages, 1);
    setCentralWidget(central);

    auto* libraryDock = new QDockWidget(tr("Library"), this);
    libraryDock->setObjectName(QStringLiteral("libraryDock"));
    libraryDock->setWidget(m_libraryPanel);
    addDockWidget(Qt::LeftDockWidgetArea, libraryDock);
    auto* jobsDock = new QDockWidget(tr("Jobs"), this);
    jobsDock->setObjectName(QStringLiteral("jobsDock"));
    jobsDock->setWidget(m_jobsPanel);
    addDockWidget(Qt::BottomDockWidgetArea, jobsDock);

    resizeDocks({ libraryDock }, { 380 }, Qt::Horizontal);
    resizeDocks({ jobsDock }, { m_jobsPanel->sizeHint().height() }, Qt::Vertical);
    statusBar()->addPermanentWidget(m_runtime);
    showRuntime();
    m_overlay->setObjectName(QStringLiteral("dropOverlay"));
    m_overlay->setAlignment(Qt::AlignCenter);
    m_overlay->setWordWrap(true);
    m_overlay->setStyleSheet(QStringLiteral("background: rgba(25, 118, 210, 200); color: white; font-size: 18pt; padding: 24px;"));
    m_overlay->hide();
    setAcceptDrops(true);

    connect(m_libraryPanel, &LibraryPanel::modelSelected, this, &WorkbenchWindow::showModel);
    connect(m_welcome, &WelcomePage::modelChosen, this, &WorkbenchWindow::showModel);
    connect(m_welcome, &WelcomePage::trainSampleRequested, this, [this] {
        importPaths({ maas::app::Library::sampleDataset() });
        showTraining();
    });
    connect(m_train, &TrainPage::trained, this, [this](qint64 id) {
        m_model->reload();
        if (const auto entry = m_library->model(id))
            m_overview->display(*entry, parentName(*entry));
    });
    connect(m_train, &TrainPage::failed, this, [this](const QString& message) { m_banner->show(MessageBanner::Kind::Error, message); });
    connect(m_welcome, &WelcomePage::openModelRequested, this, [this] {
        const QStringList paths = QFileDialog::getOpenFileNames(this, tr("Open a model"), QString(),
            tr("TorchScript models (*.pt *.pth);;All files (*)"));
        if (!paths.isEmpty())
            importPaths(paths);
    });
    connect(m_overview, &ModelOverview::tagsEdited, this, [this](qint64 id, const QStringList& tags) {
        if (orReport([&] { m_library->setTags(id, tags); }))
            m_model->reload();
    });
    connect(m_jobsPanel, &JobsPanel::jobActivated, this, &WorkbenchWindow::openJob);
    m_libraryPanel->setDatasets(m_library->datasets());
    connect(m_libraryPanel, &LibraryPanel::datasetRemovalRequested, this, [this](qint64 id) {
        if (orReport([&] { m_library->forgetDataset(id); }))
            datasetsChanged();
    });
    connect(m_libraryPanel, &LibraryPanel::datasetActivated, this, [this](const QString& path) {
        m_train->selectDataset(path);
        showTraining();
    });
    connect(m_overview, &ModelOverview::measureRequested, this, &WorkbenchWindow::measureLatency);
    connect(m_overview, &ModelOverview::editCardRequested, this, [this] {
        showInspector();
        m_inspector->showCardForm();
    });
    connect(m_inspector->cardEditor(), &CardEditor::saveRequested, this, &WorkbenchWindow::saveCard);
    createMenus();
    resize(1200, 760);
    QSettings settings;
    restoreGeometry(settings.value(QStringLiteral("window/geometry")).toByteArray());
    restoreState(settings.value(QStringLiteral("window/state")).toByteArray());
}

void WorkbenchWindow::createMenus()
{
    auto* file = menuBar()->addMenu(tr("&File"));
    auto* open = file->addAction(tr("&Open a model…"), this, [this] { m_welcome->openModelRequested(); });
    open->setShortcut(QKeySequence::Open);
    auto* data = file->addAction(tr("Register a &data set…"), this, [this] {
        const QString folder = QFileDialog::getExistingDirectory(this, tr("Register a data set"));
        if (!folder.isEmpty())
            importPaths({ folder });
    });
    data->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_O));
    m_recent = file->addMenu(tr("Open &recent"));
    connect(m_recent, &QMenu::aboutToShow, this, &WorkbenchWindow::fillRecentMenu);
    fillRecentMenu();
    file->addSeparator();
    file->addAction(tr("&Trash…"), this, &WorkbenchWindow::openTrash);
    file->addSeparator();
    auto* quit = file->addAction(tr("&Quit"), this, &QWidget::close);
    quit->setShortcut(QKeySequence::Quit);

    auto* edit = menuBar()->addMenu(tr("&Edit"));
    auto* trash = edit->addAction(tr("&Move to trash"), this, [this] {
        if (m_current)
            trashModel(*m_current);
    });
    trash->setShortcut(QKeySequence::Delete);
    trash->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    // Delete works where the models are listed (not in the filter box, where it deletes text).
    m_libraryPanel->view()->setContextMenuPolicy(Qt::ActionsContextMenu);
    m_libraryPanel->view()->addAction(trash);
    edit->addSeparator();
    auto* settings = edit->addAction(tr("&Settings…"), this, &WorkbenchWindow::openSettings);
    settings->setShortcuts({ QKeySequence::Preferences, QKeySequence(Qt::CTRL | Qt::Key_Comma) });

    auto* view = menuBar()->addMenu(tr("&View"));
    const QList<QWidget*> pages { m_overview, m_inspector, m_train, m_tryIt };
    for (int i = 0; i < pages.size(); ++i) {
        auto* action = view->addAction(m_tabs->tabText(i), this, [this, page = pages[i]] {
            m_pages->setCurrentWidget(m_tabs);
            m_tabs->setCurrentWidget(page);
        });
        action->setShortcut(QKeySequence(Qt::CTRL | static_cast<Qt::Key>(Qt::Key_1 + i)));
    }

    auto* help = menuBar()->addMenu(tr("&Help"));
    help->addAction(tr("&About MaaS Workbench"), this, [this] {
        QMessageBox::about(this, tr("About MaaS Workbench"),
            tr("<b>MaaS Workbench %1</b><p>Make, shrink, measure and ship models for Model-as-a-Service.</p><p>%2</p>")
                .arg(maas::app::version(), maas::app::runtimeSummary().toHtmlEscaped()));
    });
}

QList<QPair<qint64, QString>> WorkbenchWindow::recentModels() const
{
    QList<QPair<qint64, QString>> models;
    for (const qint64 id : maas::app::RecentModels::list())
        if (const auto entry = m_library->model(id); entry && !entry->trashed)
            models.append({ id, entry->name });
    return models;
}

void WorkbenchWindow::fillRecentMenu()
{
    m_recent->clear();
    const auto models = recentModels();
    for (const auto& [id, name] : models)
        m_recent->addAction(name, this, [this, id = id] { showModel(id); });
    if (models.isEmpty()) // a disabled menu never shows, so it would never refill: say it is empty instead
        m_recent->addAction(tr("No recent models"))->setEnabled(false);
    m_welcome->setRecentModels(models.mid(0, 5));
}

bool WorkbenchWindow::trashModel(qint64 id)
{
    const auto entry = m_library->model(id);
    if (!entry)
        return false;
    const auto answer = QMessageBox::question(this, tr("Move to trash"),
        tr("Move %1 to the trash? You can restore it from File > Trash.").arg(entry->name),
        QMessageBox::Yes | QMessageBox::Cancel, QMessageBox::Cancel);
    if (answer != QMessageBox::Yes)
        return false;
    if (!orReport([&] { m_library->trash(id); }))
        return false;
    maas::app::RecentModels::forget(id);
    m_model->reload();
    fillRecentMenu();
    if (m_current == id) {
        m_current.reset();
        m_train->setModel(std::nullopt);
        m_pages->setCurrentWidget(m_welcome);
    }
    m_banner->show(MessageBanner::Kind::Info, tr("%1 is in the trash (File > Trash restores it).").arg(entry->name));
    return true;
}

maas::app::Job* WorkbenchWindow::saveCard(const QString& cardJson)
{
    const auto entry = m_current ? m_library->model(*m_current) : std::nullopt;
    if (!entry)
        return nullptr;
    auto* editor = m_inspector->cardEditor();
    editor->setSaving(true);
    const QString folder = m_library->folder();
    auto* job = m_jobs->start(tr("Save the card of %1").arg(entry->name), [folder, entry = *entry, cardJson](const maas::app::JobContext&) {
        return QVariant::fromValue(maas::app::Library::prepareCardEdit(folder, entry, cardJson));
    });
    job->setOrigin(QStringLiteral("inspect"), entry->id);
    connect(job, &maas::app::Job::finished, this, [this, job, editor, id = entry->id](maas::app::JobState state) {
        editor->setSaving(false);
        if (state != maas::app::JobState::Done) {
            editor->showError(job->error());
            return;
        }
        try {
            const auto saved = m_library->commitCardEdit(id, job->result().value<maas::app::PreparedImport>());
            m_model->reload();
            if (m_current == id) {
                m_overview->display(saved, parentName(saved));
                editor->setCard(saved.cardJson);
                m_tryIt->setModel(saved);
            }
            m_banner->show(MessageBanner::Kind::Info, tr("Saved the card of %1.").arg(saved.name));
        } catch (const std::exception& e) {
            editor->showError(QString::fromUtf8(e.what()));
        }
    });
    return job;
}

maas::app::Job* WorkbenchWindow::measureLatency(qint64 id)
{
    const auto entry = m_library->model(id);
    if (!entry)
        return nullptr;
    m_overview->setMeasuring(true);
    auto* job = m_jobs->start(tr("Measure %1").arg(entry->name), [path = entry->path](const maas::app::JobContext& context) {
        return QVariant::fromValue(maas::app::benchmarkModel(path, 1, 50, context));
    });
    job->setOrigin(QStringLiteral("overview"), id);
    connect(job, &maas::app::Job::finished, this, [this, job, id](maas::app::JobState state) {
        m_overview->setMeasuring(false);
        if (state == maas::app::JobState::Done)
            orReport([&] { m_library->addBenchmark(id, job->result().value<maas::app::BenchmarkResult>()); });
        else if (state == maas::app::JobState::Failed)
            m_banner->show(MessageBanner::Kind::Error, job->error());
        m_model->reload();
        if (const auto entry = m_library->model(id); entry && m_current == id)
            m_overview->display(*entry, parentName(*entry));
    });
    return job;
}

void WorkbenchWindow::openJob(maas::app::Job* job)
{
    if (!job)
        return;
    const qint64 id = job->originModel();
    if (id && id != m_current && m_library->model(id) && !m_library->model(id)->trashed)
        showModel(id);
    const QHash<QString, QWidget*> pages { { QStringLiteral("overview"), m_overview }, { QStringLiteral("inspect"), m_inspector },
        { QStringLiteral("train"), m_train }, { QStringLiteral("tryit"), m_tryIt } };
    if (QWidget* page = pages.value(job->originPage())) {
        m_pages->setCurrentWidget(m_tabs);
        m_tabs->setCurrentWidget(page);
    }
}

// The status bar says it in words; the build details (OpenBLAS flags, the thread split) are its tooltip.
void WorkbenchWindow::showRuntime()
{
    m_runtime->setText(maas::app::runtimeInWords());
    m_runtime->setToolTip(maas::app::runtimeSummary());
}

void WorkbenchWindow::openSettings()
{
    const QString language = maas::app::Preferences::load().language;
    SettingsDialog dialog(this);
    if (dialog.exec() != QDialog::Accepted)
        return;
    showRuntime();
    const QString chosen = maas::app::Preferences::load().language;
    if (chosen == language)
        return;
    if (m_jobs->hasRunning())
        m_banner->show(MessageBanner::Kind::Info, tr("The new language applies when the jobs have ended and the workbench starts again."));
    else
        Q_EMIT languageChosen(chosen);
}

void WorkbenchWindow::openTrash()
{
    TrashDialog dialog(m_library, this);
    connect(&dialog, &TrashDialog::restored, this, [this](qint64 id) {
        m_model->reload();
        showModel(id);
    });
    dialog.exec();
}

maas::app::DropPlan WorkbenchWindow::importPaths(const QStringList& paths)
{
    const auto plan = maas::app::Drops::plan(paths);
    if (!plan.unusable.isEmpty())
        m_banner->show(MessageBanner::Kind::Error, plan.unusable.front(), plan.unusable.join(QLatin1Char('\n')));
    const QString folder = m_library->folder();
    for (const QString& path : plan.models) {
        auto* job = m_jobs->start(tr("Import %1").arg(QFileInfo(path).fileName()), [folder, path](const maas::app::JobContext&) {
            return QVariant::fromValue(maas::app::Library::prepareImport(folder, path));
        });
        connect(job, &maas::app::Job::finished, this, [this, job](maas::app::JobState state) {
            if (state == maas::app::JobState::Done) {
                orReport([&] {
                    const auto entry = m_library->commitImport(job->result().value<maas::app::PreparedImport>());
                    job->setOrigin(QStringLiteral("overview"), entry.id);
                    m_model->reload();
                    showModel(entry.id);
                });
            } else if (state == maas::app::JobState::Failed) {
                m_banner->show(MessageBanner::Kind::Error, job->error());
            }
            Q_EMIT importFinished();
        });
    }
    for (const QString& path : plan.datasets) {
        auto* job = m_jobs->start(tr("Register %1").arg(QFileInfo(path).fileName()),
            [path](const maas::app::JobContext&) { return QVariant::fromValue(maas::app::Library::prepareDataset(path)); });
        connect(job, &maas::app::Job::finished, this, [this, job](maas::app::JobState state) {
            if (state == maas::app::JobState::Done) {
                orReport([&] {
                    const auto entry = m_library->commitDataset(job->result().value<maas::app::DatasetEntry>());
                    datasetsChanged();
                    m_banner->show(MessageBanner::Kind::Info,
                        tr("Registered data set %1: %n samples", nullptr, static_cast<int>(entry.samples)).arg(entry.name));
                });
            } else if (state == maas::app::JobState::Failed) {
                m_banner->show(MessageBanner::Kind::Error, job->error());
            }
            Q_EMIT importFinished();
        });
    }
    return plan;
}

bool WorkbenchWindow::orReport(const std::function<void()>& change)
{
    try {
        change();
        return true;
    } catch (const std::exception& e) { // never out of a Qt slot: into the banner
        m_banner->show(MessageBanner::Kind::Error, QString::fromUtf8(e.what()));
        return false;
    }
}

void WorkbenchWindow::datasetsChanged()
{
    m_train->reloadDatasets();
    m_libraryPanel->setDatasets(m_library->datasets());
}

QString WorkbenchWindow::parentName(const maas::app::ModelEntry& entry) const
{
    const auto parent = entry.parentId ? m_library->model(*entry.parentId) : std::nullopt;
    return parent ? parent->name : QString();
}

void WorkbenchWindow::showModel(qint64 id)
{
    const auto entry = m_library->model(id);
    if (!entry || entry->trashed)
        return;
    m_current = id;
    maas::app::RecentModels::touch(id);
    m_overview->display(*entry, parentName(*entry));
    m_train->setModel(id);
    m_tryIt->setModel(*entry);
    if (auto* job = m_inspector->inspect(entry->path, entry->name))
        job->setOrigin(QStringLiteral("inspect"), id);
    m_inspector->cardEditor()->setCard(entry->cardJson);
    m_pages->setCurrentWidget(m_tabs);
    m_tabs->setCurrentWidget(m_overview);
}

void WorkbenchWindow::showTraining()
{
    m_pages->setCurrentWidget(m_tabs);
    m_tabs->setCurrentWidget(m_train);
}

void WorkbenchWindow::showInspector()
{
    m_pages->setCurrentWidget(m_tabs);
    m_tabs->setCurrentWidget(m_inspector);
}

void WorkbenchWindow::dragEnterEvent(QDragEnterEvent* event)
{
    const auto paths = localPaths(event->mimeData());
    if (paths.isEmpty())
        return;
    const auto plan = maas::app::Drops::plan(paths);
    m_overlay->setText(plan.summary());
    m_overlay->setGeometry(rect().adjusted(40, 40, -40, -40));
    m_overlay->raise();
    m_overlay->show();
    event->acceptProposedAction(); // accepted even when unusable, so the drop can say why
}

void WorkbenchWindow::dragLeaveEvent(QDragLeaveEvent*) { m_overlay->hide(); }

void WorkbenchWindow::dropEvent(QDropEvent* event)
{
    m_overlay->hide();
    importPaths(localPaths(event->mimeData()));
    event->acceptProposedAction();
}

void WorkbenchWindow::resizeEvent(QResizeEvent* event)
{
    QMainWindow::resizeEvent(event);
    m_overlay->setGeometry(rect().adjusted(40, 40, -40, -40));
}

void WorkbenchWindow::closeEvent(QCloseEvent* event)
{
    QSettings settings;
    settings.setValue(QStringLiteral("window/geometry"), saveGeometry());
    settings.setValue(QStringLiteral("window/state"), saveState());
    QMainWindow::closeEvent(event);
}

} // namespace maas::widgets
