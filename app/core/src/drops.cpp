#include "maas/app/drops.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>

namespace maas::app {

namespace {

QByteArray head(const QString& path, int bytes)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.read(bytes) : QByteArray();
}

bool isImageFolder(const QDir& dir)
{
    const QStringList images { QStringLiteral("*.png"), QStringLiteral("*.jpg"), QStringLiteral("*.jpeg"), QStringLiteral("*.bmp") };
    int classes = 0;
    for (const auto& sub : dir.entryList(QDir::Dirs | QDir::NoDotAndDotDot))
        if (!QDir(dir.filePath(sub)).entryList(images, QDir::Files).isEmpty())
            ++classes;
    return classes >= 2;
}

} // namespace

DropPlan Drops::plan(const QStringList& paths)
{
    DropPlan plan;
    for (const QString& path : paths) {
        const QFileInfo info(path);
        const QString name = info.fileName();
        if (info.isDir()) {
            const QDir dir(path);
            if (!dir.entryList({ QStringLiteral("*-idx3-ubyte*") }, QDir::Files).isEmpty() || isImageFolder(dir))
                plan.datasets << path;
            else
                plan.unusable << tr("%1 is a folder without IDX files or class subfolders of images; drop a data set "
                                    "folder, a CSV file or a TorchScript model.")
                                     .arg(name);
            continue;
        }
        if (!info.isFile()) {
            plan.unusable << tr("%1 cannot be read.").arg(name);
            continue;
        }
        const QString suffix = info.suffix().toLower();
        const QByteArray start = head(path, 4);
        if (start.startsWith("PK\x03\x04") && (suffix == QLatin1String("pt") || suffix == QLatin1String("pth") || suffix == QLatin1String("zip"))) {
            plan.models << path;
        } else if (suffix == QLatin1String("csv") || name.contains(QLatin1String("-idx"))) {
            plan.datasets << path;
        } else if (suffix == QLatin1String("onnx")) {
            plan.unusable << tr("%1 is an ONNX model; the workbench runs TorchScript: export it with "
                                "torch.jit.save(torch.jit.script(model), 'model.pt').")
                                 .arg(name);
        } else if (suffix == QLatin1String("pt") || suffix == QLatin1String("pth")) {
            plan.unusable << tr("%1 is not a TorchScript archive (a state_dict or a legacy pickle?); save the model with "
                                "torch.jit.save.")
                                 .arg(name);
        } else {
            plan.unusable << tr("%1 is neither a TorchScript model (.pt) nor a data set (IDX, CSV, image folder).").arg(name);
        }
    }
    return plan;
}

QString DropPlan::summary() const
{
    QStringList parts;
    if (!models.isEmpty())
        parts << Drops::tr("Import %n model(s)", nullptr, static_cast<int>(models.size()));
    if (datasets.size() == 1)
        parts << Drops::tr("Register data set: %1").arg(QFileInfo(datasets.front()).fileName());
    else if (datasets.size() > 1)
        parts << Drops::tr("Register %n data set(s)", nullptr, static_cast<int>(datasets.size()));
    if (parts.isEmpty())
        return unusable.isEmpty() ? Drops::tr("Nothing to import here.") : unusable.front();
    return parts.join(QStringLiteral(" · "));
}

} // namespace maas::app
