#pragma once

#include <QCoreApplication>
#include <QList>
#include <QString>
#include <QStringList>

namespace maas::app {

/// The engine's image extensions as name filters for file dialogs and folder listings: "*.png", "*.jpg", ...
QStringList imageNameFilters();

/// What the workbench would do with the files dragged over it, decided by the engine's file-type detector
/// (names, first bytes and a zip archive's directory: fast enough for a drag-enter event); the import itself checks
/// everything again.
struct DropPlan {
    QStringList models; ///< TorchScript archives to import
    QStringList datasets; ///< IDX folders or files, image folders, CSV files to register
    QStringList inspect; ///< ONNX files, to read in the inspector (they are not imported: the library runs TorchScript)
    QStringList unusable; ///< one sentence each: what the file is and what would work
    /// The overlay's text: "Import 2 models", "Register data set: fashion-mnist", "Inspect model.onnx", or why
    /// nothing happens.
    QString summary() const;
    bool empty() const { return models.isEmpty() && datasets.isEmpty() && inspect.isEmpty(); }
};

class Drops {
    Q_DECLARE_TR_FUNCTIONS(Drops)
public:
    static DropPlan plan(const QStringList& paths);
};

} // namespace maas::app
