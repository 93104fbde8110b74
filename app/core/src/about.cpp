#include "maas/app/about.h"

#include <QtGlobal>

#include "maas/engine/runtime.h"

namespace maas::app {

QString version() { return QStringLiteral(MAAS_VERSION); }

QString runtimeSummary()
{
    return QStringLiteral("Qt %1 · %2").arg(QString::fromLatin1(qVersion()),
        QString::fromStdString(maas::engine::runtimeSummary()));
}

} // namespace maas::app
