#include "maas/app/languages.h"

#include <QCoreApplication>
#include <QLibraryInfo>
#include <QLocale>
#include <QTranslator>

namespace maas::app {

QStringList availableLanguages() { return { QStringLiteral("en"), QStringLiteral("zh_CN") }; }

QString installTranslations(QCoreApplication& app, const QString& language)
{
    // A second call replaces the first call's translations (the language was switched in Settings).
    const QString ours = QStringLiteral("maas-translation");
    for (auto* previous : app.findChildren<QTranslator*>(ours, Qt::FindDirectChildrenOnly)) {
        QCoreApplication::removeTranslator(previous);
        delete previous;
    }
    QString wanted = language;
    if (wanted.isEmpty())
        wanted = qEnvironmentVariable("MAAS_LANGUAGE");
    const QLocale locale = wanted.isEmpty() ? QLocale::system() : QLocale(wanted);
    if (locale.language() == QLocale::English || locale.language() == QLocale::C)
        return QStringLiteral("en");
    // The program's own strings: an installed program reads the .qm files installed beside it
    // (PREFIX/share/maas-workbench/translations), which a translator may replace; a build reads those
    // compiled into the binary. Qt's strings (standard buttons, ...) come from Qt's installed translations.
    auto* own = new QTranslator(&app);
    own->setObjectName(ours);
    const QString installed
        = QCoreApplication::applicationDirPath() + QStringLiteral("/../share/maas-workbench/translations");
    if (!own->load(locale, QStringLiteral("maas"), QStringLiteral("_"), installed)
        && !own->load(locale, QStringLiteral("maas"), QStringLiteral("_"), QStringLiteral(":/i18n"))) {
        delete own;
        return QStringLiteral("en");
    }
    QCoreApplication::installTranslator(own);
    auto* qt = new QTranslator(&app);
    qt->setObjectName(ours);
    if (qt->load(
            locale, QStringLiteral("qtbase"), QStringLiteral("_"), QLibraryInfo::path(QLibraryInfo::TranslationsPath)))
        QCoreApplication::installTranslator(qt);
    else
        delete qt;
    return locale.name();
}

} // namespace maas::app
