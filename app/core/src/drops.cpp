#include "maas/app/drops.h"

#include <QFileInfo>

#include "maas/engine/filetypes.h"

namespace maas::app {

QStringList imageNameFilters()
{
    QStringList filters;
    for (const auto& ext : maas::engine::imageExtensions())
        filters << QStringLiteral("*") + QString::fromStdString(ext);
    return filters;
}

DropPlan Drops::plan(const QStringList& paths)
{
    using maas::engine::FileKind;
    DropPlan plan;
    for (const QString& path : paths) {
        const QString name = QFileInfo(path).fileName();
        const QString suffix = QFileInfo(path).suffix().toLower();
        switch (maas::engine::detectFileKind(path.toStdString())) {
        case FileKind::TorchScript: plan.models << path; break;
        case FileKind::StateDict:
        case FileKind::PickledObject:
        case FileKind::OtherZip:
        case FileKind::DamagedArchive:
            // A zip named like a model is imported, and its job says in the engine's words what it is.
            if (suffix == QLatin1String("pt") || suffix == QLatin1String("pth") || suffix == QLatin1String("zip"))
                plan.models << path;
            else
                plan.unusable
                    << tr("%1 is neither a TorchScript model (.pt) nor a data set (IDX, CSV, image folder).").arg(name);
            break;
        case FileKind::IdxFolder:
        case FileKind::ImageFolder:
        case FileKind::IdxFile:
        case FileKind::Csv: plan.datasets << path; break;
        case FileKind::Folder:
            plan.unusable << tr("%1 is a folder without IDX files or class subfolders of images; drop a data set "
                                "folder, a CSV file or a TorchScript model.")
                                 .arg(name);
            break;
        case FileKind::Missing:
        case FileKind::Unreadable: plan.unusable << tr("%1 cannot be read.").arg(name); break;
        case FileKind::Onnx: plan.inspect << path; break;
        case FileKind::LegacyPickle:
            plan.unusable << tr(
                "%1 is not a TorchScript archive (a state_dict or a legacy pickle?); save the model with "
                "torch.jit.save.")
                                 .arg(name);
            break;
        default:
            plan.unusable
                << tr("%1 is neither a TorchScript model (.pt) nor a data set (IDX, CSV, image folder).").arg(name);
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
    if (!inspect.isEmpty())
        parts << Drops::tr("Inspect %1").arg(QFileInfo(inspect.front()).fileName());
    if (parts.isEmpty())
        return unusable.isEmpty() ? Drops::tr("Nothing to import here.") : unusable.front();
    return parts.join(QStringLiteral(" · "));
}

} // namespace maas::app
