#include <QApplication>

#include "mainwindow.h"
#include "maas/app/about.h"
#include "maas/app/languages.h"

int main(int argc, char** argv)
{
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("MaaS Workbench"));
    QApplication::setOrganizationName(QStringLiteral("MaaS Workbench"));
    QApplication::setApplicationVersion(maas::app::version());
    maas::app::installTranslations(app);
    maas::workbench::MainWindow window;
    window.show();
    for (const QString& path : app.arguments().mid(1))
        window.openModel(path);
    return app.exec();
}
