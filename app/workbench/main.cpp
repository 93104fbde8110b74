#include <QApplication>
#include <QDir>
#include <QMessageBox>
#include <QStandardPaths>

#include "maas/app/about.h"
#include "maas/app/drops.h"
#include "maas/app/jobs.h"
#include "maas/app/languages.h"
#include "maas/app/library.h"
#include "maas/engine/error.h"
#include "maas/widgets/workbenchwindow.h"

int main(int argc, char** argv)
{
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("MaaS Workbench"));
    QApplication::setOrganizationName(QStringLiteral("MaaS Workbench"));
    QApplication::setApplicationVersion(maas::app::version());
    maas::app::installTranslations(app);

    // MAAS_DATA_DIR moves the library (tests, portable installs); otherwise the user's data folder.
    QString folder = qEnvironmentVariable("MAAS_DATA_DIR");
    if (folder.isEmpty())
        folder = QDir(QStandardPaths::writableLocation(QStandardPaths::AppDataLocation)).filePath(QStringLiteral("library"));
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
    const QStringList files = app.arguments().mid(1);
    if (!files.isEmpty())
        window.importPaths(files);
    const int code = app.exec();
    jobs.waitForAll();
    return code;
}
