#include <QApplication>
#include <QDir>

#include <functional>
#include <memory>
#include <QFileDialog>
#include <QElapsedTimer>
#include <QTextStream>
#include <QTimer>
#include <QMessageBox>
#include <QPushButton>

#include "maas/app/about.h"
#include "maas/app/drops.h"
#include "maas/app/jobs.h"
#include "maas/app/languages.h"
#include "maas/app/library.h"
#include "maas/app/preferences.h"
#include "maas/engine/error.h"
#include "maas/engine/runtime.h"
#include "maas/widgets/workbenchwindow.h"

int main(int argc, char** argv)
{
    QElapsedTimer sinceStart;
    sinceStart.start();
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("MaaS Workbench"));
    QApplication::setOrganizationName(QStringLiteral("MaaS Workbench"));
    QApplication::setApplicationVersion(maas::app::version());
    const auto preferences = maas::app::Preferences::load();
    maas::app::installTranslations(app, preferences.language);
    if (preferences.threads > 0)
        maas::engine::configureThreads(preferences.threads);

    // MAAS_DATA_DIR moves the library (tests, portable installs); else the folder chosen in Settings.
    // A library that cannot be opened (damaged, newer, unwritable) lets the user pick another folder.
    auto chosen = preferences;
    QString folder = preferences.effectiveLibraryFolder();
    std::unique_ptr<maas::app::Library> library;
    while (!library) {
        try {
            library = maas::app::Library::open(folder);
        } catch (const maas::engine::Error& e) {
            QMessageBox box(QMessageBox::Critical, QApplication::translate("main", "MaaS Workbench"), QString::fromUtf8(e.what()));
            auto* choose = box.addButton(QApplication::translate("main", "Choose another library folder…"), QMessageBox::AcceptRole);
            box.addButton(QMessageBox::Close);
            box.exec();
            if (box.clickedButton() != static_cast<QAbstractButton*>(choose))
                return 1;
            folder = QFileDialog::getExistingDirectory(nullptr, QApplication::translate("main", "Library folder"));
            if (folder.isEmpty())
                return 1;
            chosen.libraryFolder = folder;
            chosen.save();
        }
    }
    maas::app::JobManager jobs;
    // The window is rebuilt when Settings switch the language: the new one is shown before the old one
    // closes (saving its geometry and docks, which the new one restores).
    std::unique_ptr<maas::widgets::WorkbenchWindow> window;
    std::function<void()> openWindow = [&] {
        auto next = std::make_unique<maas::widgets::WorkbenchWindow>(library.get(), &jobs);
        QObject::connect(next.get(), &maas::widgets::WorkbenchWindow::languageChosen, &app, [&](const QString& language) {
            QTimer::singleShot(0, &app, [&, language] {
                maas::app::installTranslations(app, language);
                openWindow();
            });
        });
        next->show();
        if (window)
            window->close();
        window = std::move(next);
    };
    openWindow();
    // First launch: the Fashion-MNIST sample is registered, so there is something to train on at once.
    const QString sample = maas::app::Library::sampleDataset();
    if (library->datasets().isEmpty() && QDir(sample).exists())
        window->importPaths({ sample });
    QStringList files = app.arguments().mid(1);
    // For scripts/bench-workbench.sh: once the window has painted, say how long that took and quit.
    if (files.removeAll(QStringLiteral("--quit-when-ready")) > 0)
        QTimer::singleShot(0, window.get(), [&] {
            window->repaint();
            QTextStream(stdout) << "ready " << sinceStart.nsecsElapsed() / 1e6 << " ms" << Qt::endl;
            QApplication::quit();
        });
    if (!files.isEmpty())
        window->importPaths(files);
    const int code = app.exec();
    jobs.waitForAll();
    return code;
}
