#pragma once

#include <QMainWindow>

#include <functional>
#include <optional>

class QLabel;
class QMenu;
class QStackedWidget;
class QTabWidget;

namespace maas::app {
class Job;
class JobManager;
class Library;
class LibraryModel;
class WorkbenchController;
enum class Page;
struct DropPlan;
struct ModelEntry;
} // namespace maas::app

namespace maas::widgets {

class LibraryPanel;
class InspectorPage;
class JobsPanel;
class MessageBanner;
class ModelOverview;
class OptimizePage;
class BenchmarkPage;
class ComparePage;
class ProfilePage;
class TrainPage;
class PublishPage;
class TryItPage;
class WelcomePage;

/// The workbench window: library on the left, the chosen model in the centre, jobs at the bottom.
/// Files dropped anywhere on it are imported (models) or registered (data sets) by jobs off the UI
/// thread. It lays out and navigates; what the workbench does is the controller's (app/core), whose
/// signals the window shows. It lives in widgets/ (not app/workbench) so that tests can drive it
/// offscreen.
class WorkbenchWindow : public QMainWindow {
    Q_OBJECT
public:
    explicit WorkbenchWindow(maas::app::WorkbenchController* controller, QWidget* parent = nullptr);
    /// With a controller of its own over `library` and `jobs` (tests, benchmarks).
    WorkbenchWindow(maas::app::Library* library, maas::app::JobManager* jobs, QWidget* parent = nullptr);

    maas::app::WorkbenchController* controller() const { return m_controller; }

    /// What a drop of `paths` does: starts import jobs and reports unusable files in the banner.
    maas::app::DropPlan importPaths(const QStringList& paths);

    MessageBanner* banner() const { return m_banner; }
    LibraryPanel* libraryPanel() const { return m_libraryPanel; }
    ModelOverview* overview() const { return m_overview; }
    TrainPage* trainPage() const { return m_train; }
    OptimizePage* optimizePage() const { return m_optimize; }
    ComparePage* comparePage() const { return m_compare; }
    BenchmarkPage* benchmarkPage() const { return m_benchmark; }
    ProfilePage* profilePage() const { return m_profile; }
    TryItPage* tryItPage() const { return m_tryIt; }
    PublishPage* publishPage() const { return m_publish; }
    InspectorPage* inspector() const { return m_inspector; }
    /// Opens the Train tab (with or without a model chosen).
    void showTraining();
    /// Opens the Inspect tab of the model shown.
    void showInspector();
    QLabel* dropOverlay() const { return m_overlay; }
    /// Shows a model of the library in the centre.
    void showModel(qint64 id);
    /// Shows a file exported from model `id` (an ONNX file) in the inspector: its layers and graph, read.
    void showExport(qint64 id, const QString& path);
    /// The model shown in the centre, if any.
    std::optional<qint64> currentModel() const { return m_current; }
    /// Asks, then moves the model to the library's trash (Edit > Move to trash, the Delete key).
    bool trashModel(qint64 id);
    /// Asks, then takes an export off the library's list (the Delete key on an export row); the file stays.
    bool forgetExport(qint64 exportId);
    /// Writes the model shown as ONNX to `target` in a job (File > Export to ONNX); the banner says what
    /// was written, or why not. Nothing when no model is shown.
    maas::app::Job* exportToOnnx(const QString& target);
    /// The recently opened models' menu (File > Open recent), rebuilt each time it opens.
    QMenu* recentMenu() const { return m_recent; }
    void openSettings();
    /// Opens the page a job belongs to (and its model, when it has one and it is still in the library).
    void openJob(maas::app::Job* job);
    JobsPanel* jobsPanel() const { return m_jobsPanel; }
    WelcomePage* welcomePage() const { return m_welcome; }
    /// The status bar's runtime line: threads, LibTorch and BLAS in words, the details in its tooltip.
    QLabel* runtimeLabel() const { return m_runtime; }
    /// Writes the model shown with a new card (a job), then records it in the library.
    maas::app::Job* saveCard(const QString& cardJson);
    /// Times the model (batch 1) in a job and records the result in the library.
    maas::app::Job* measureLatency(qint64 id);
    void openTrash();

Q_SIGNALS:
    /// An import or registration finished (successfully or not).
    void importFinished();
    /// Settings chose another interface language ("" follows the system): main() rebuilds the window in it.
    void languageChosen(const QString& language);

protected:
    void dragEnterEvent(QDragEnterEvent* event) override;
    void dragLeaveEvent(QDragLeaveEvent* event) override;
    void dropEvent(QDropEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;
    void closeEvent(QCloseEvent* event) override;

private:
    void createMenus();
    void fillRecentMenu();
    QList<QPair<qint64, QString>> recentModels() const;
    void showRuntime();
    void connectPages();
    void connectController();
    void modelChanged(qint64 id);
    void modelRemoved(qint64 id);
    QWidget* pageWidget(maas::app::Page page) const;
    /// The data set lists (library panel, Train page) read again.
    void datasetsChanged();
    QString parentName(const maas::app::ModelEntry& entry) const;

    maas::app::WorkbenchController* m_controller;
    maas::app::Library* m_library;
    maas::app::JobManager* m_jobs;
    maas::app::LibraryModel* m_model;
    LibraryPanel* m_libraryPanel;
    JobsPanel* m_jobsPanel;
    MessageBanner* m_banner;
    QStackedWidget* m_pages;
    WelcomePage* m_welcome;
    QTabWidget* m_tabs;
    ModelOverview* m_overview;
    TrainPage* m_train;
    OptimizePage* m_optimize;
    ComparePage* m_compare;
    BenchmarkPage* m_benchmark;
    ProfilePage* m_profile;
    TryItPage* m_tryIt;
    PublishPage* m_publish;
    InspectorPage* m_inspector;
    QLabel* m_overlay;
    QLabel* m_runtime;
    QMenu* m_recent = nullptr;
    std::optional<qint64> m_current;
    QString m_currentPath; ///< the current model's file (a saved card makes a new one)
};

} // namespace maas::widgets
