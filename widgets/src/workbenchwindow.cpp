#include "maas/widgets/workbenchwindow.h"

#include <QApplication>
#include <QCloseEvent>
#include <QDir>
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

#include <algorithm>

#include "maas/app/about.h"
#include "maas/app/controller.h"
#include "maas/app/drops.h"
#include "maas/app/jobs.h"
#include "maas/app/library.h"
#include "maas/app/librarymodel.h"
#include "maas/app/preferences.h"
#include "maas/app/publish.h"
#include "maas/widgets/benchmarkpage.h"
#include "maas/widgets/cardeditor.h"
#include "maas/widgets/comparepage.h"
#include "maas/widgets/inspectorpage.h"
#include "maas/widgets/jobspanel.h"
#include "maas/widgets/librarypanel.h"
#include "maas/widgets/messagebanner.h"
#include "maas/widgets/modeloverview.h"
#include "maas/widgets/optimizepage.h"
#include "maas/widgets/profilepage.h"
#include "maas/widgets/publishpage.h"
#include "maas/widgets/settingsdialog.h"
#include "maas/widgets/trainpage.h"
#include "maas/widgets/trashdialog.h"
#include "maas/widgets/tryitpage.h"
#include "maas/widgets/welcomepage.h"

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
    : WorkbenchWindow(new maas::app::WorkbenchController(library, jobs), parent)
{
    m_controller->setParent(this);
}

WorkbenchWindow::WorkbenchWindow(maas::app::WorkbenchController* controller, QWidget* parent)
    : QMainWindow(parent)
    , m_controller(controller)
    , m_library(controller->library())
    , m_jobs(controller->jobs())
    , m_model(new maas::app::LibraryModel(m_library, this))
    , m_libraryPanel(new LibraryPanel(m_model, this))
    , m_jobsPanel(new JobsPanel(m_jobs, this))
    , m_banner(new MessageBanner(this))
    , m_pages(new QStackedWidget(this))
    , m_welcome(new WelcomePage(this))
    , m_tabs(new QTabWidget(this))
    , m_overview(new ModelOverview(this))
    , m_train(new TrainPage(controller, this))
    , m_optimize(new OptimizePage(controller, this))
    , m_compare(new ComparePage(controller, this))
    , m_benchmark(new BenchmarkPage(controller, this))
    , m_profile(new ProfilePage(controller, this))
    , m_tryIt(new TryItPage(m_jobs, this))
    , m_publish(new PublishPage(m_jobs, this))
    , m_inspector(new InspectorPage(m_jobs, this))
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
    m_tabs->addTab(m_optimize, tr("Optimize"));
    m_tabs->addTab(m_compare, tr("Compare"));
    m_tabs->addTab(m_benchmark, tr("Benchmark"));
    m_tabs->addTab(m_profile, tr("Profile"));
    m_tabs->addTab(m_tryIt, tr("Try it"));
    m_tabs->addTab(m_publish, tr("Publish"));
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
    m_overlay->setStyleSheet(
        QStringLiteral("background: rgba(25, 118, 210, 200); color: white; font-size: 18pt; padding: 24px;"));
    m_overlay->hide();
    setAcceptDrops(true);
    connectPages();
    connectController();
    createMenus();
    resize(1200, 760);
    QSettings settings;
    restoreGeometry(settings.value(QStringLiteral("window/geometry")).toByteArray());
    restoreState(settings.value(QStringLiteral("window/state")).toByteArray());
}

// What the user asks of a page goes to the controller or to another page.
void WorkbenchWindow::connectPages()
{
    connect(m_libraryPanel, &LibraryPanel::modelSelected, this, &WorkbenchWindow::showModel);
    connect(m_libraryPanel, &LibraryPanel::exportSelected, this, &WorkbenchWindow::showExport);
    connect(m_welcome, &WelcomePage::modelChosen, this, &WorkbenchWindow::showModel);
    connect(m_publish, &PublishPage::endpointsChanged, m_tryIt, &TryItPage::reloadTargets);
    connect(m_welcome, &WelcomePage::trainSampleRequested, this, [this] {
        importPaths({ maas::app::Library::sampleDataset() });
        showTraining();
    });
    connect(m_train, &TrainPage::trained, this, [this](qint64 id) {
        if (const auto entry = m_library->model(id))
            m_overview->display(*entry, parentName(*entry));
    });
    connect(m_optimize, &OptimizePage::optimized, this, [this](qint64 id) {
        if (const auto entry = m_library->model(id))
            m_overview->display(*entry, parentName(*entry));
    });
    connect(m_train, &TrainPage::failed, this,
        [this](const QString& message) { m_banner->show(MessageBanner::Kind::Error, message); });
    connect(m_welcome, &WelcomePage::openModelRequested, this, [this] {
        const QStringList paths = QFileDialog::getOpenFileNames(
            this, tr("Open a model"), QString(), tr("TorchScript models (*.pt *.pth);;All files (*)"));
        if (!paths.isEmpty())
            importPaths(paths);
    });
    connect(m_overview, &ModelOverview::tagsEdited, m_controller, &maas::app::WorkbenchController::setTags);
    connect(m_jobsPanel, &JobsPanel::jobActivated, this, &WorkbenchWindow::openJob);
    // A profile colours the graph of its model; a layer clicked in it is shown there.
    connect(m_profile, &ProfilePage::profileShown, m_inspector, &InspectorPage::setHeat);
    connect(m_profile, &ProfilePage::layerActivated, this, [this](const QString& path, const QString& module) {
        if (path == m_currentPath && m_inspector->selectModule(module))
            m_tabs->setCurrentWidget(m_inspector);
    });
    m_libraryPanel->setDatasets(m_library->datasets());
    connect(m_libraryPanel, &LibraryPanel::datasetRemovalRequested, m_controller,
        &maas::app::WorkbenchController::forgetDataset);
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
}

// The controller says what changed; the window shows it.
void WorkbenchWindow::connectController()
{
    using maas::app::WorkbenchController;
    connect(m_controller, &WorkbenchController::modelAdded, m_model, &maas::app::LibraryModel::reload);
    connect(m_controller, &WorkbenchController::imported, this, &WorkbenchWindow::showModel);
    connect(m_controller, &WorkbenchController::modelChanged, this, &WorkbenchWindow::modelChanged);
    connect(m_controller, &WorkbenchController::modelRemoved, this, &WorkbenchWindow::modelRemoved);
    connect(m_controller, &WorkbenchController::datasetsChanged, this, &WorkbenchWindow::datasetsChanged);
    connect(m_controller, &WorkbenchController::failed, this, [this](const QString& message, const QString& details) {
        m_banner->show(MessageBanner::Kind::Error, message, details);
    });
    connect(m_controller, &WorkbenchController::informed, this,
        [this](const QString& message) { m_banner->show(MessageBanner::Kind::Info, message); });
    connect(m_controller, &WorkbenchController::importFinished, this, &WorkbenchWindow::importFinished);
}

void WorkbenchWindow::modelChanged(qint64 id)
{
    m_model->reload();
    const auto entry = m_library->model(id);
    if (!entry || m_current != id)
        return;
    m_overview->display(*entry, parentName(*entry));
    m_inspector->cardEditor()->setCard(entry->cardJson);
    if (entry->path != m_currentPath) { // a new card is a new file: Try it runs that one
        m_currentPath = entry->path;
        m_tryIt->setModel(*entry);
        m_publish->setModel(*entry);
    }
}

void WorkbenchWindow::modelRemoved(qint64 id)
{
    maas::app::RecentModels::forget(id);
    m_model->reload();
    fillRecentMenu();
    if (m_current == id) {
        m_current.reset();
        m_currentPath.clear();
        m_train->setModel(std::nullopt);
        m_optimize->setModel(std::nullopt);
        m_compare->setModel(std::nullopt);
        m_benchmark->setModel(std::nullopt);
        m_profile->setModel(std::nullopt);
        m_pages->setCurrentWidget(m_welcome);
    }
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
    file->addAction(tr("&Export to ONNX…"), this, [this] {
        if (!m_current)
            return m_banner->show(MessageBanner::Kind::Error, tr("Choose a model in the library to export."));
        const auto entry = m_library->model(*m_current);
        const QString suggested
            = QFileInfo(entry ? entry->path : QString()).completeBaseName() + QStringLiteral(".onnx");
        const QString target = QFileDialog::getSaveFileName(
            this, tr("Export to ONNX"), QDir::home().filePath(suggested), tr("ONNX models (*.onnx)"));
        if (!target.isEmpty())
            exportToOnnx(target);
    });
    file->addAction(tr("&Inspect an ONNX file…"), this, [this] {
        const QString path = QFileDialog::getOpenFileName(
            this, tr("Inspect an ONNX file"), QDir::homePath(), tr("ONNX models (*.onnx)"));
        if (!path.isEmpty() && m_inspector->inspect(path))
            showInspector();
    });
    file->addSeparator();
    file->addAction(tr("&Trash…"), this, &WorkbenchWindow::openTrash);
    file->addSeparator();
    auto* quit = file->addAction(tr("&Quit"), this, &QWidget::close);
    quit->setShortcut(QKeySequence::Quit);

    auto* edit = menuBar()->addMenu(tr("&Edit"));
    auto* trash = edit->addAction(tr("&Move to trash"), this, [this] {
        const auto row = m_libraryPanel->view()->currentIndex();
        if (m_libraryPanel->view()->hasFocus() && row.data(maas::app::LibraryModel::ExportRole).toBool())
            forgetExport(row.data(maas::app::LibraryModel::ExportIdRole).toLongLong()); // the row chosen there
        else if (m_current)
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
    for (int i = 0; i < m_tabs->count(); ++i) { // Ctrl+1 to Ctrl+9, in the tabs' order
        auto* action = view->addAction(m_tabs->tabText(i), this, [this, page = m_tabs->widget(i)] {
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

maas::app::Job* WorkbenchWindow::exportToOnnx(const QString& target)
{
    auto* job = m_current ? m_controller->exportOnnx(*m_current, target, 17) : nullptr;
    if (!job)
        return nullptr;
    connect(job, &maas::app::Job::finished, this, [this, job] {
        if (job->state() == maas::app::JobState::Done)
            m_banner->show(MessageBanner::Kind::Info, job->resultAs<maas::app::OnnxExport>().summary);
        else if (job->state() == maas::app::JobState::Failed)
            m_banner->show(MessageBanner::Kind::Error, job->error());
    });
    return job;
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

bool WorkbenchWindow::forgetExport(qint64 exportId)
{
    const auto exports = m_library->exports();
    const auto found = std::find_if(
        exports.begin(), exports.end(), [exportId](const maas::app::ExportEntry& e) { return e.id == exportId; });
    if (found == exports.end())
        return false;
    const auto answer = QMessageBox::question(this, tr("Remove from the list"),
        tr("Take %1 off the list under its model? The file itself stays where it is.")
            .arg(QFileInfo(found->path).fileName()),
        QMessageBox::Yes | QMessageBox::Cancel, QMessageBox::Cancel);
    return answer == QMessageBox::Yes && m_controller->forgetExport(exportId, found->modelId);
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
    if (!m_controller->trash(id))
        return false;
    m_banner->show(MessageBanner::Kind::Info, tr("%1 is in the trash (File > Trash restores it).").arg(entry->name));
    return true;
}

maas::app::Job* WorkbenchWindow::saveCard(const QString& cardJson)
{
    if (!m_current)
        return nullptr;
    auto* job = m_controller->saveCard(*m_current, cardJson);
    if (!job)
        return nullptr;
    auto* editor = m_inspector->cardEditor();
    editor->setSaving(true);
    connect(job, &maas::app::Job::finished, editor, [editor, job](maas::app::JobState state) {
        editor->setSaving(false);
        if (state == maas::app::JobState::Failed)
            editor->showError(job->error()); // where the card was written, not in the window's banner
    });
    return job;
}

maas::app::Job* WorkbenchWindow::measureLatency(qint64 id)
{
    auto* job = m_controller->measureLatency(id);
    if (!job)
        return nullptr;
    m_overview->setMeasuring(true);
    connect(job, &maas::app::Job::finished, m_overview, [this] { m_overview->setMeasuring(false); });
    return job;
}

QWidget* WorkbenchWindow::pageWidget(maas::app::Page page) const
{
    switch (page) {
    case maas::app::Page::Overview: return m_overview;
    case maas::app::Page::Inspect: return m_inspector;
    case maas::app::Page::Train: return m_train;
    case maas::app::Page::Optimize: return m_optimize;
    case maas::app::Page::Compare: return m_compare;
    case maas::app::Page::TryIt: return m_tryIt;
    case maas::app::Page::Publish: return m_publish;
    case maas::app::Page::Benchmark: return m_benchmark;
    case maas::app::Page::Profile: return m_profile;
    case maas::app::Page::None: break;
    }
    return nullptr;
}

void WorkbenchWindow::openJob(maas::app::Job* job)
{
    if (!job)
        return;
    const qint64 id = job->originModel();
    if (id && id != m_current && m_library->model(id) && !m_library->model(id)->trashed)
        showModel(id);
    if (QWidget* page = pageWidget(job->originPage())) {
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
        m_banner->show(MessageBanner::Kind::Info,
            tr("The new language applies when the jobs have ended and the workbench starts again."));
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
    const auto plan = m_controller->importPaths(paths);
    if (!plan.inspect.isEmpty() && m_inspector->inspect(plan.inspect.front()))
        showInspector(); // an ONNX file is read in the inspector, not imported
    return plan;
}

void WorkbenchWindow::datasetsChanged()
{
    m_train->reloadDatasets();
    m_optimize->reloadDatasets();
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
    m_currentPath = entry->path;
    maas::app::RecentModels::touch(id);
    m_overview->display(*entry, parentName(*entry));
    m_train->setModel(id);
    m_optimize->setModel(id);
    m_compare->setModel(id);
    m_benchmark->setModel(id);
    m_profile->setModel(id);
    m_tryIt->setModel(*entry);
    m_publish->setModel(*entry);
    if (auto* job = m_inspector->inspect(entry->path, entry->name))
        job->setOrigin(maas::app::Page::Inspect, id);
    m_inspector->cardEditor()->setCard(entry->cardJson);
    m_pages->setCurrentWidget(m_tabs);
    m_tabs->setCurrentWidget(m_overview);
}

void WorkbenchWindow::showExport(qint64 id, const QString& path)
{
    if (m_current != id)
        showModel(id);
    if (!QFileInfo::exists(path)) {
        m_banner->show(MessageBanner::Kind::Error,
            tr("%1 is no longer there: it was moved or deleted after the export. Export the model again from "
               "the Optimize page.")
                .arg(path));
        return;
    }
    if (auto* job = m_inspector->inspect(path))
        job->setOrigin(maas::app::Page::Inspect, id);
    showInspector();
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
