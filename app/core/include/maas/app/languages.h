#pragma once

#include <QString>
#include <QStringList>

class QCoreApplication;

namespace maas::app {

/// Installs the program's translation for `language` ("zh_CN", "en"), or for the system locale when
/// empty. The environment variable MAAS_LANGUAGE overrides the system locale. Returns the language
/// in force ("en" when no translation matched). Calling it again replaces the earlier translations;
/// widgets made afterwards speak the new language.
QString installTranslations(QCoreApplication& app, const QString& language = {});

/// Languages the program ships, as locale names: "en", "zh_CN".
QStringList availableLanguages();

} // namespace maas::app
