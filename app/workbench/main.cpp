#include <QApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QTextStream>
#include <QTimer>
#include <QMessageBox>

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
    const QString folder = preferences.effectiveLibraryFolder();
    std::unique_ptr<maas::app::Library> library;
    try {
        library = maas::app::Library::open(folder);
    } catch (const maas::engine::Error& e) {
        QMessageBox::critical(nullptr, QApplication::translate("main", "MaaS Workbench"), QString::fromUtf8(e.what()));
        return 1;
    }
    maas::app::JobManager jobs;
    maas::widgets::WorkbenchWindow window(library.get(), &jobs);
    window.show();
    // First launch: the Fashion-MNIST sample is registered, so there is something to train on at once.
    const QString sample = maas::app::Library::sampleDataset();
    if (library->datasets().isEmpty() && QDir(sample).exists())
        window.importPaths({ sample });
    QStringList files = app.arguments().mid(1);
    // For scripts/bench-workbench.sh: once the window has painted, say how long that took and quit.
    if (files.removeAll(QStringLiteral("--quit-when-ready")) > 0)
        QTimer::singleShot(0, &window, [&] {
            window.repaint();
            QTextStream(stdout) << "ready " << sinceStart.nsecsElapsed() / 1e6 << " ms" << Qt::endl;
            QApplication::quit();
        });
    if (!files.isEmpty())
        window.importPaths(files);
    const int code = app.exec();
    jobs.waitForAll();
    return code;
}
