#pragma once

#include <QAbstractItemModel>
#include <QHash>
#include <QSortFilterProxyModel>

#include "maas/app/library.h"

namespace maas::app {

/// The library's models as a tree for views: a model made from another (trained, pruned, quantized,
/// distilled) is its child, so lineage shows without a view of its own. Numbers are formatted for
/// people in DisplayRole and exact in SortRole (so sorting by size or parameters is numeric).
class LibraryModel : public QAbstractItemModel {
    Q_OBJECT
public:
    enum Column { Name, Task, Parameters, Size, Accuracy, Latency, Added, ColumnCount };
    enum Role { SortRole = Qt::UserRole + 1, IdRole, PathRole, TagsRole };

    explicit LibraryModel(Library* library, QObject* parent = nullptr);

    /// Reads the library again (after an import, a training run, a deletion).
    void reload();
    /// The entry an index stands for (any column), or nullptr.
    const ModelEntry* entry(const QModelIndex& index) const;
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
