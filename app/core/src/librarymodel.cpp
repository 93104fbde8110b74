#include "maas/app/librarymodel.h"

#include <algorithm>

#include <QFileInfo>
#include <QLocale>
#include <cmath>

#include "maas/app/format.h"

namespace maas::app {

LibraryModel::LibraryModel(Library* library, QObject* parent)
    : QAbstractItemModel(parent)
    , m_library(library)
{
    reload();
}

void LibraryModel::reload()
{
    beginResetModel();
    m_entries = m_library ? m_library->models() : QList<ModelEntry> {};
    QHash<qint64, int> entryOf;
    for (int e = 0; e < m_entries.size(); ++e)
        entryOf.insert(m_entries[e].id, e);
    m_parent.fill(-1, m_entries.size());
    m_row.fill(0, m_entries.size());
    m_children.clear();
    for (int e = 0; e < m_entries.size(); ++e) {
        // A model whose parent is in the trash (or gone) stands at the top.
        const auto& parentId = m_entries[e].parentId;
        m_parent[e] = parentId ? entryOf.value(*parentId, -1) : -1;
        auto& siblings = m_children[m_parent[e]];
        m_row[e] = static_cast<int>(siblings.size());
        siblings.append(e);
    }
    m_exports.clear();
    m_exportParent.clear();
    m_exportMissing.clear();
    m_exportsOf.clear();
    for (const auto& x : m_library ? m_library->exports() : QList<ExportEntry> {}) {
        const int owner = entryOf.value(x.modelId, -1);
        if (owner < 0) // its model is in the trash
            continue;
        m_exportsOf[owner].append(static_cast<int>(m_exports.size()));
        m_exports.append(x);
        m_exportParent.append(owner);
        m_exportMissing.append(!QFileInfo::exists(x.path));
    }
    endResetModel();
}

const ExportEntry* LibraryModel::exportEntry(const QModelIndex& index) const
{
    if (!index.isValid() || index.model() != this)
        return nullptr;
    const auto k = static_cast<qsizetype>(index.internalId()) - m_entries.size();
    return k >= 0 && k < m_exports.size() ? &m_exports[k] : nullptr;
}

const ModelEntry* LibraryModel::entry(const QModelIndex& index) const
{
    if (!index.isValid() || index.model() != this)
        return nullptr;
    const auto e = static_cast<qsizetype>(index.internalId());
    return e < m_entries.size() ? &m_entries[e] : nullptr;
}

QModelIndex LibraryModel::indexOf(qint64 id) const
{
    for (int e = 0; e < m_entries.size(); ++e)
        if (m_entries[e].id == id)
            return createIndex(m_row[e], 0, static_cast<quintptr>(e));
    return {};
}

QModelIndex LibraryModel::index(int row, int column, const QModelIndex& parent) const
{
    if (column < 0 || column >= ColumnCount || (parent.isValid() && parent.column() != 0))
        return {};
    const int owner = parent.isValid() ? static_cast<int>(parent.internalId()) : -1;
    if (owner >= m_entries.size() || row < 0)
        return {}; // an export row has no rows under it
    const auto children = m_children.value(owner);
    if (row < children.size())
        return createIndex(row, column, static_cast<quintptr>(children.at(row)));
    const auto exports = m_exportsOf.value(owner);
    const auto k = row - children.size();
    return k < exports.size() ? createIndex(row, column, static_cast<quintptr>(m_entries.size() + exports.at(k)))
                              : QModelIndex();
}

QModelIndex LibraryModel::parent(const QModelIndex& child) const
{
    if (!child.isValid())
        return {};
    const auto id = static_cast<qsizetype>(child.internalId());
    const int p = id >= m_entries.size() ? m_exportParent.value(id - m_entries.size(), -1) : m_parent.value(id, -1);
    return p < 0 ? QModelIndex() : createIndex(m_row[p], 0, static_cast<quintptr>(p));
}

int LibraryModel::rowCount(const QModelIndex& parent) const
{
    if (parent.isValid() && parent.column() != 0)
        return 0;
    const int owner = parent.isValid() ? static_cast<int>(parent.internalId()) : -1;
    if (owner >= m_entries.size())
        return 0;
    return static_cast<int>(m_children.value(owner).size() + m_exportsOf.value(owner).size());
}

int LibraryModel::columnCount(const QModelIndex&) const { return ColumnCount; }

QVariant LibraryModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid))
        return {};
    if (const auto* x = exportEntry(index))
        return exportData(*x, m_exportMissing[index.internalId() - m_entries.size()], index.column(), role);
    if (!entry(index))
        return {};
    const ModelEntry& e = *entry(index);
    switch (role) {
    case ExportRole: return false;
    case IdRole: return e.id;
    case PathRole: return e.path;
    case TagsRole: return e.tags;
    case Qt::TextAlignmentRole:
        return index.column() >= Parameters && index.column() <= Latency ? QVariant(Qt::AlignRight | Qt::AlignVCenter)
                                                                         : QVariant();
    case Qt::ToolTipRole:
        switch (index.column()) {
        case Parameters: return formatExact(e.parameters);
        case Size: return tr("%1 bytes").arg(formatExact(e.fileBytes));
        default: return e.path;
        }
    case SortRole:
        switch (index.column()) {
        case Parameters: return e.parameters;
        case Size: return e.fileBytes;
        case Accuracy: return std::isnan(e.accuracy) ? -1.0 : e.accuracy;
        case Latency: return std::isnan(e.latencyMs) ? 1e300 : e.latencyMs;
        case Added: return e.added.toMSecsSinceEpoch(); // integers compare faster than date-times
        default: return data(index, Qt::DisplayRole);
        }
    case Qt::DisplayRole:
        switch (index.column()) {
        case Name: return e.name;
        case Task: return e.task;
        case Parameters: return formatCount(e.parameters);
        case Size: return formatBytes(e.fileBytes);
        case Accuracy:
            return std::isnan(e.accuracy) ? QString()
                                          : QStringLiteral("%1%").arg(QLocale().toString(e.accuracy * 100.0, 'f', 1));
        case Latency: return std::isnan(e.latencyMs) ? QString() : formatSeconds(e.latencyMs / 1000.0);
        case Added: return QLocale().toString(e.added.toLocalTime(), QLocale::ShortFormat);
        default: return {};
        }
    default: return {};
    }
}

// An export row: the file's name, its format, size and date; a file that has gone says so.
QVariant LibraryModel::exportData(const ExportEntry& e, bool missing, int column, int role) const
{
    switch (role) {
    case ExportRole: return true;
    case ExportIdRole: return e.id;
    case IdRole: return e.modelId;
    case PathRole: return e.path;
    case Qt::TextAlignmentRole: return column == Size ? QVariant(Qt::AlignRight | Qt::AlignVCenter) : QVariant();
    case Qt::ToolTipRole:
        return missing ? tr("Exported to %1, no longer there").arg(e.path)
            : e.vocabularyPath.isEmpty()
            ? e.path
            : tr("%1, with its vocabulary in %2").arg(e.path, QFileInfo(e.vocabularyPath).fileName());
    case SortRole:
        switch (column) {
        case Size: return e.bytes;
        case Added: return e.exported.toMSecsSinceEpoch();
        case Parameters:
        case Accuracy:
        case Latency: return -1;
        default: return exportData(e, missing, column, Qt::DisplayRole);
        }
    case Qt::DisplayRole:
        switch (column) {
        case Name:
            return missing ? tr("%1 (moved or deleted)").arg(QFileInfo(e.path).fileName())
                           : QFileInfo(e.path).fileName();
        case Task: return tr("ONNX export, opset %1").arg(e.opset);
        case Size: return formatBytes(e.bytes);
        case Added: return QLocale().toString(e.exported.toLocalTime(), QLocale::ShortFormat);
        default: return {};
        }
    default: return {};
    }
}

QVariant LibraryModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case Name: return tr("Name");
    case Task: return tr("Task");
    case Parameters: return tr("Parameters");
    case Size: return tr("Size");
    case Accuracy: return tr("Accuracy");
    case Latency: return tr("Latency");
    case Added: return tr("Added");
    default: return {};
    }
}

LibraryFilter::LibraryFilter(QObject* parent)
    : QSortFilterProxyModel(parent)
{
    setSortRole(LibraryModel::SortRole);
    setSortCaseSensitivity(Qt::CaseInsensitive);
    // A match deep in the tree keeps the models it came from; a matching model keeps its variants.
    setRecursiveFilteringEnabled(true);
    setAutoAcceptChildRows(true);
}

void LibraryFilter::setText(const QString& text)
{
    m_text = text.trimmed();
    invalidateFilter();
}

bool LibraryFilter::filterAcceptsRow(int row, const QModelIndex& parent) const
{
    if (m_text.isEmpty())
        return true;
    // Read the entry itself, not through QVariant roles: this runs for every row on every keystroke.
    const auto* library = qobject_cast<const LibraryModel*>(sourceModel());
    const ModelEntry* e = library ? library->entry(library->index(row, 0, parent)) : nullptr;
    if (!e)
        return false;
    return e->name.contains(m_text, Qt::CaseInsensitive) || e->task.contains(m_text, Qt::CaseInsensitive)
        || std::any_of(e->tags.begin(), e->tags.end(),
            [this](const QString& tag) { return tag.contains(m_text, Qt::CaseInsensitive); });
}

} // namespace maas::app
