#pragma once

#include <QAbstractTableModel>
#include <QSortFilterProxyModel>

#include "maas/app/library.h"

namespace maas::app {

/// The library's models as a table for views: one row per model, numbers formatted for people in
/// DisplayRole and exact in SortRole (so sorting by size or parameters is numeric).
class LibraryModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { Name, Task, Parameters, Size, Accuracy, Latency, Added, ColumnCount };
    enum Role { SortRole = Qt::UserRole + 1, IdRole, PathRole, TagsRole };

    explicit LibraryModel(Library* library, QObject* parent = nullptr);

    /// Reads the library again (after an import, a training run, a deletion).
    void reload();
    const ModelEntry* entry(int row) const;
    int rowOf(qint64 id) const;

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    Library* m_library;
    QList<ModelEntry> m_entries;
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
