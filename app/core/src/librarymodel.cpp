#include "maas/app/librarymodel.h"

#include <algorithm>

#include <QLocale>
#include <cmath>

#include "maas/app/format.h"

namespace maas::app {

LibraryModel::LibraryModel(Library* library, QObject* parent)
    : QAbstractTableModel(parent)
    , m_library(library)
{
    reload();
}

void LibraryModel::reload()
{
    beginResetModel();
    m_entries = m_library ? m_library->models() : QList<ModelEntry> {};
    endResetModel();
}

const ModelEntry* LibraryModel::entry(int row) const { return row >= 0 && row < m_entries.size() ? &m_entries[row] : nullptr; }

int LibraryModel::rowOf(qint64 id) const
{
    for (int row = 0; row < m_entries.size(); ++row)
        if (m_entries[row].id == id)
            return row;
    return -1;
}

int LibraryModel::rowCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : static_cast<int>(m_entries.size()); }
int LibraryModel::columnCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : ColumnCount; }

QVariant LibraryModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const ModelEntry& e = m_entries[index.row()];
    switch (role) {
    case IdRole: return e.id;
    case PathRole: return e.path;
    case TagsRole: return e.tags;
    case Qt::TextAlignmentRole:
        return index.column() >= Parameters && index.column() <= Latency ? QVariant(Qt::AlignRight | Qt::AlignVCenter) : QVariant();
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
        case Accuracy: return std::isnan(e.accuracy) ? QString() : QStringLiteral("%1%").arg(QLocale().toString(e.accuracy * 100.0, 'f', 1));
        case Latency: return std::isnan(e.latencyMs) ? QString() : formatSeconds(e.latencyMs / 1000.0);
        case Added: return QLocale().toString(e.added.toLocalTime(), QLocale::ShortFormat);
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
    const ModelEntry* e = library && !parent.isValid() ? library->entry(row) : nullptr;
    if (!e)
        return false;
    return e->name.contains(m_text, Qt::CaseInsensitive) || e->task.contains(m_text, Qt::CaseInsensitive)
        || std::any_of(e->tags.begin(), e->tags.end(), [this](const QString& tag) { return tag.contains(m_text, Qt::CaseInsensitive); });
}

} // namespace maas::app
