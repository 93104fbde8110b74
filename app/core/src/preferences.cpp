#include "maas/app/preferences.h"

#include <QDir>
#include <QSettings>
#include <QStandardPaths>
#include <QVariant>

#include "maas/engine/runtime.h"

namespace maas::app {

namespace {

const QString kLanguage = QStringLiteral("preferences/language");
const QString kThreads = QStringLiteral("preferences/threads");
const QString kFolder = QStringLiteral("preferences/libraryFolder");
const QString kRecent = QStringLiteral("recent/models");

void storeRecent(const QList<qint64>& ids)
{
    QVariantList values;
    for (const qint64 id : ids)
        values << id;
    QSettings().setValue(kRecent, values);
}

} // namespace

Preferences Preferences::load()
{
    const QSettings settings;
    Preferences p;
    p.language = settings.value(kLanguage).toString();
    p.threads = settings.value(kThreads, 0).toInt();
    p.libraryFolder = settings.value(kFolder).toString();
    return p;
}

void Preferences::applyThreads() const { maas::engine::configureThreads(threads); }

int Preferences::automaticThreads() { return maas::engine::hardwareThreads(); }

void Preferences::save() const
{
    QSettings settings;
    settings.setValue(kLanguage, language);
    settings.setValue(kThreads, threads);
    settings.setValue(kFolder, libraryFolder);
}

QString Preferences::defaultLibraryFolder()
{
    return QDir(QStandardPaths::writableLocation(QStandardPaths::AppDataLocation)).filePath(QStringLiteral("library"));
}

QString Preferences::effectiveLibraryFolder() const
{
    const QString fromEnvironment = qEnvironmentVariable("MAAS_DATA_DIR");
    if (!fromEnvironment.isEmpty())
        return fromEnvironment;
    return libraryFolder.isEmpty() ? defaultLibraryFolder() : libraryFolder;
}

QList<qint64> RecentModels::list()
{
    QList<qint64> ids;
    for (const QVariant& v : QSettings().value(kRecent).toList())
        ids << v.toLongLong();
    return ids;
}

void RecentModels::touch(qint64 id)
{
    QList<qint64> ids = list();
    ids.removeAll(id);
    ids.prepend(id);
    storeRecent(ids.mid(0, kRecentLimit));
}

void RecentModels::forget(qint64 id)
{
    QList<qint64> ids = list();
    ids.removeAll(id);
    storeRecent(ids);
}

} // namespace maas::app
