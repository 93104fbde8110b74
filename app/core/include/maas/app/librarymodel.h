#pragma once

#include <QAbstractItemModel>
#include <QHash>
#include <QSortFilterProxyModel>

#include "maas/app/library.h"

namespace maas::app {

/// The library's models as a tree for views: a model made from another (trained, pruned, quantized,
/// distilled) is its child, so lineage shows without a view of its own; files exported from a model
/// (ONNX) follow its children under it. Numbers are formatted for
/// people in DisplayRole and exact in SortRole (so sorting by size or parameters is numeric).
class LibraryModel : public QAbstractItemModel {
    Q_OBJECT
public:
    enum Column { Name, Task, Parameters, Size, Accuracy, Latency, Added, ColumnCount };
    /// IdRole: the model's id (an export row gives its model's); ExportRole: true on an export row, whose
    /// ExportIdRole is the export's id.
    enum Role { SortRole = Qt::UserRole + 1, IdRole, PathRole, TagsRole, ExportRole, ExportIdRole };

    explicit LibraryModel(Library* library, QObject* parent = nullptr);

    /// Reads the library again (after an import, a training run, a deletion).
    void reload();
    /// The entry an index stands for (any column), or nullptr (an export row, say).
    const ModelEntry* entry(const QModelIndex& index) const;
    /// The export an index stands for, or nullptr.
    const ExportEntry* exportEntry(const QModelIndex& index) const;
    /// The index (column 0) of the model with this id, or an invalid index.
    QModelIndex indexOf(qint64 id) const;

    QModelIndex index(int row, int column, const QModelIndex& parent = {}) const override;
    QModelIndex parent(const QModelIndex& child) const override;
    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    Library* m_library;
    QList<ModelEntry> m_entries;
    QList<int> m_parent; ///< entry -> its parent's entry, -1 at the top
    QList<int> m_row; ///< entry -> its row under its parent
    QHash<int, QList<int>> m_children; ///< entry (-1: the top) -> its children's entries, oldest first
    // Export rows have internal ids from m_entries.size() on: m_entries.size() + their place in m_exports.
    QList<ExportEntry> m_exports;
    QList<int> m_exportParent; ///< export -> its model's entry
    QList<bool> m_exportMissing; ///< the file is no longer where it was written
    QHash<int, QList<int>> m_exportsOf; ///< entry -> its exports, oldest first
    QVariant exportData(const ExportEntry& e, bool missing, int column, int role) const;
};

/// Filters the library by text that may match a model's name, task or tags; sorts numerically.
class LibraryFilter : public QSortFilterProxyModel {
    Q_OBJECT
public:
    explicit LibraryFilter(QObject* parent = nullptr);
    void setText(const QString& text);

protected:
    bool filterAcceptsRow(int row, const QModelIndex& parent) const override;

private:
    QString m_text;
};

} // namespace maas::app
