#include <QApplication>
#include <QCommandLineParser>
#include <QDir>
#include <QElapsedTimer>
#include <QFileDialog>
#include <QFileInfo>
#include <QIcon>
#include <QMessageBox>
#include <QPushButton>
#include <QTextStream>
#include <QTimer>

#include <cstdlib>
#include <cstring>
#include <functional>
#include <memory>

#include "maas/app/about.h"
#include "maas/app/controller.h"
#include "maas/app/drops.h"
#include "maas/app/jobs.h"
#include "maas/app/languages.h"
#include "maas/app/library.h"
#include "maas/app/preferences.h"
#include "maas/engine/error.h"
#include "maas/widgets/workbenchwindow.h"

namespace {

void describeProgram(QCoreApplication& app)
{
    QCoreApplication::setApplicationName(QStringLiteral("MaaS Workbench"));
    QCoreApplication::setOrganizationName(QStringLiteral("MaaS Workbench"));
    QCoreApplication::setApplicationVersion(maas::app::version());
    maas::app::installTranslations(app, maas::app::Preferences::load().language);
}

// The command line as desktop programs take it: --help and --version answer on the terminal, and the
// files given (a desktop entry's %F) are opened as if dropped on the window.
struct Arguments {
    QStringList files;
    bool quitWhenReady = false; // for scripts/bench-workbench.sh: report the time to a painted window
    QString screenshot; // for installers/try-package.sh: save the painted window as PNG, then quit
};

Arguments parseArguments(const QCoreApplication& app)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QCoreApplication::translate(
        "main", "Make, shrink, measure and ship models for Model-as-a-Service: a desktop workbench on LibTorch."));
    parser.addHelpOption();
    parser.addVersionOption();
    parser.addPositionalArgument(QStringLiteral("files"),
        QCoreApplication::translate(
            "main", "Models (.pt) and data sets (IDX folders, image folders, CSV files) to open."),
        QStringLiteral("[files...]"));
    QCommandLineOption quitWhenReady(QStringLiteral("quit-when-ready"));
    quitWhenReady.setFlags(QCommandLineOption::HiddenFromHelp);
    parser.addOption(quitWhenReady);
    QCommandLineOption screenshot(QStringLiteral("screenshot"), QString(), QStringLiteral("file"));
    screenshot.setFlags(QCommandLineOption::HiddenFromHelp);
    parser.addOption(screenshot);
    parser.process(app); // --help, --version and unknown options print and exit here
    QStringList files;
    for (const QString& file : parser.positionalArguments())
        files << QFileInfo(file).absoluteFilePath();
    if (parser.isSet(screenshot) && parser.value(screenshot).isEmpty()) {
        QTextStream(stderr) << QCoreApplication::translate("main", "--screenshot needs a file name.") << Qt::endl;
        std::exit(2);
    }
    return { files, parser.isSet(quitWhenReady), parser.value(screenshot) };
}

// --help and --version must answer without a display, so they are handled before QApplication
// (which needs one) is created.
// (--help-all lists Qt's GUI options too, so it goes the QApplication way.)
bool asksOnlyForText(int argc, char** argv)
{
    for (int i = 1; i < argc && std::strcmp(argv[i], "--") != 0; ++i)
        for (const char* flag : { "-h", "--help", "-v", "--version" })
            if (std::strcmp(argv[i], flag) == 0)
                return true;
    return false;
}

// MAAS_DATA_DIR moves the library (tests, portable installs); else the folder chosen in Settings.
// A library that cannot be opened (damaged, newer, unwritable) lets the user pick another folder;
// nothing when the user gives up. A run nobody watches (--screenshot) says why on stderr instead.
std::unique_ptr<maas::app::Library> openLibrary(const maas::app::Preferences& preferences, bool interactive)
{
    auto chosen = preferences;
    QString folder = preferences.effectiveLibraryFolder();
    for (;;) {
        try {
            return maas::app::Library::open(folder);
        } catch (const maas::engine::Error& e) {
            if (!interactive) {
                QTextStream(stderr) << "maas-workbench: " << QString::fromUtf8(e.what()) << Qt::endl;
                return nullptr;
            }
            QMessageBox box(
                QMessageBox::Critical, QApplication::translate("main", "MaaS Workbench"), QString::fromUtf8(e.what()));
            auto* choose = box.addButton(
                QApplication::translate("main", "Choose another library folder…"), QMessageBox::AcceptRole);
            box.addButton(QMessageBox::Close);
            box.exec();
            if (box.clickedButton() != static_cast<QAbstractButton*>(choose))
                return nullptr;
            folder = QFileDialog::getExistingDirectory(nullptr, QApplication::translate("main", "Library folder"));
            if (folder.isEmpty())
                return nullptr;
            chosen.libraryFolder = folder;
            chosen.save();
        }
    }
}

} // namespace

int main(int argc, char** argv)
{
    QElapsedTimer sinceStart;
    sinceStart.start();
    if (asksOnlyForText(argc, argv)) {
        QCoreApplication app(argc, argv);
        describeProgram(app);
        parseArguments(app);
        return 0;
    }
    QApplication app(argc, argv);
    QApplication::setWindowIcon(QIcon(QStringLiteral(":/icons/maas-workbench.svg")));
    QApplication::setDesktopFileName(QStringLiteral("maas-workbench"));
    describeProgram(app);
    const Arguments arguments = parseArguments(app);
    const auto preferences = maas::app::Preferences::load();
    preferences.applyThreads();

    auto library = openLibrary(preferences, !arguments.quitWhenReady && arguments.screenshot.isEmpty());
    if (!library)
        return 1;
    maas::app::JobManager jobs;
    maas::app::WorkbenchController controller(library.get(), &jobs);
    // The window is rebuilt when Settings switch the language: the new one is shown before the old one
    // closes (saving its geometry and docks, which the new one restores).
    std::unique_ptr<maas::widgets::WorkbenchWindow> window;
    std::function<void()> openWindow = [&] {
        auto next = std::make_unique<maas::widgets::WorkbenchWindow>(&controller);
        QObject::connect(
            next.get(), &maas::widgets::WorkbenchWindow::languageChosen, &app, [&](const QString& language) {
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
    if (arguments.quitWhenReady || !arguments.screenshot.isEmpty())
        QTimer::singleShot(0, window.get(), [&] {
            window->repaint();
            QTextStream(stdout) << "ready " << sinceStart.nsecsElapsed() / 1e6 << " ms" << Qt::endl;
            if (!arguments.screenshot.isEmpty() && !window->grab().save(arguments.screenshot, "PNG")) {
                QTextStream(stderr)
                    << QCoreApplication::translate("main", "Cannot write the screenshot %1.").arg(arguments.screenshot)
                    << Qt::endl;
                QApplication::exit(1);
            } else {
                QApplication::quit();
            }
        });
    if (!arguments.files.isEmpty())
        window->importPaths(arguments.files);
    const int code = app.exec();
    jobs.waitForAll();
    return code;
}
