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
#include "maas/app/drops.h"
#include "maas/app/jobs.h"
#include "maas/app/library.h"
#include "maas/app/librarymodel.h"
#include "maas/widgets/inspectorpage.h"
#include "maas/widgets/jobspanel.h"
#include "maas/widgets/librarypanel.h"
#include "maas/widgets/messagebanner.h"
#include "maas/widgets/modeloverview.h"
#include "maas/widgets/trainpage.h"
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
    resizeDocks({ jobsDock }, { 150 }, Qt::Vertical);
    statusBar()->addPermanentWidget(new QLabel(maas::app::runtimeSummary(), this));
    m_overlay->setObjectName(QStringLiteral("dropOverlay"));
    m_overlay->setAlignment(Qt::AlignCenter);
    m_overlay->setWordWrap(true);
    m_overlay->setStyleSheet(QStringLiteral("background: rgba(25, 118, 210, 200); color: white; font-size: 18pt; padding: 24px;"));
    m_overlay->hide();
    setAcceptDrops(true);

    connect(m_libraryPanel, &LibraryPanel::modelSelected, this, &WorkbenchWindow::showModel);
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
    file->addAction(tr("Register a &data set…"), this, [this] {
        const QString folder = QFileDialog::getExistingDirectory(this, tr("Register a data set"));
        if (!folder.isEmpty())
            importPaths({ folder });
    });
    file->addSeparator();
    auto* quit = file->addAction(tr("&Quit"), this, &QWidget::close);
    quit->setShortcut(QKeySequence::Quit);
    auto* help = menuBar()->addMenu(tr("&Help"));
    help->addAction(tr("&About MaaS Workbench"), this, [this] {
        QMessageBox::about(this, tr("About MaaS Workbench"),
            tr("<b>MaaS Workbench %1</b><p>Make, shrink, measure and ship models for Model-as-a-Service.</p><p>%2</p>")
                .arg(maas::app::version(), maas::app::runtimeSummary().toHtmlEscaped()));
    });
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
                try {
                    const auto entry = m_library->commitImport(job->result().value<maas::app::PreparedImport>());
                    m_model->reload();
                    showModel(entry.id);
                } catch (const std::exception& e) {
                    m_banner->show(MessageBanner::Kind::Error, QString::fromUtf8(e.what()));
                }
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
                try {
                    const auto entry = m_library->commitDataset(job->result().value<maas::app::DatasetEntry>());
                    m_train->reloadDatasets();
                    m_banner->show(MessageBanner::Kind::Info,
                        tr("Registered data set %1: %n samples", nullptr, static_cast<int>(entry.samples)).arg(entry.name));
                } catch (const std::exception& e) {
                    m_banner->show(MessageBanner::Kind::Error, QString::fromUtf8(e.what()));
                }
            } else if (state == maas::app::JobState::Failed) {
                m_banner->show(MessageBanner::Kind::Error, job->error());
            }
            Q_EMIT importFinished();
        });
    }
    return plan;
}

QString WorkbenchWindow::parentName(const maas::app::ModelEntry& entry) const
{
    const auto parent = entry.parentId ? m_library->model(*entry.parentId) : std::nullopt;
    return parent ? parent->name : QString();
}

void WorkbenchWindow::showModel(qint64 id)
{
    const auto entry = m_library->model(id);
    if (!entry)
        return;
    m_overview->display(*entry, parentName(*entry));
    m_train->setModel(id);
    m_tryIt->setModel(*entry);
    m_inspector->inspect(entry->path);
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
