#include <QCoreApplication>

#include "commands.h"
#include "maas/app/about.h"
#include "maas/app/languages.h"

int main(int argc, char** argv)
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("maas"));
    QCoreApplication::setApplicationVersion(maas::app::version());
    maas::app::installTranslations(app);
    return maas::cli::Cli::run(app.arguments());
}
