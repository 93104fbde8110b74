#include "maas/app/about.h"

#include <QCoreApplication>
#include <QtGlobal>

#include "maas/engine/runtime.h"

namespace maas::app {

QString version() { return QStringLiteral(MAAS_VERSION); }

QString runtimeSummary()
{
    return QStringLiteral("Qt %1 · %2")
        .arg(QString::fromLatin1(qVersion()), QString::fromStdString(maas::engine::runtimeSummary()));
}

QString runtimeInWords()
{
    const auto threads = maas::engine::currentThreads().budget;
    const QString torch = QString::fromStdString(maas::engine::libtorchVersion()).section(QLatin1Char('.'), 0, 1);
    const QString blas = QString::fromStdString(maas::engine::blasLibrary()).startsWith(QLatin1String("OpenBLAS"))
        ? QStringLiteral("OpenBLAS")
        : QCoreApplication::translate("About", "reference BLAS (slow)");
    const QString count = threads == 1 ? QCoreApplication::translate("About", "1 thread")
                                       : QCoreApplication::translate("About", "%1 threads").arg(threads);
    return QCoreApplication::translate("About", "%1 · LibTorch %2 · %3").arg(count, torch, blas);
}

} // namespace maas::app
