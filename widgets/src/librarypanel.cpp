#include "maas/widgets/librarypanel.h"

#include <QAction>
#include <QHeaderView>
#include <QLineEdit>
#include <QSplitter>
#include <QTreeView>
#include <QTreeWidget>
#include <QVBoxLayout>

#include "maas/app/format.h"
#include "maas/app/librarymodel.h"

namespace maas::widgets {

LibraryPanel::LibraryPanel(maas::app::LibraryModel* model, QWidget* parent)
    : QWidget(parent)
    , m_model(model)
    , m_proxy(new maas::app::LibraryFilter(this))
    , m_filter(new QLineEdit(this))
    , m_view(new QTreeView(this))
    , m_datasets(new QTreeWidget(this))
{
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    m_filter->setPlaceholderText(tr("Filter by name, task or tag"));
    m_filter->setClearButtonEnabled(true);
    layout->addWidget(m_filter);
    m_proxy->setSourceModel(model);
    m_view->setModel(m_proxy);
    m_view->setRootIsDecorated(true); // variants (trained, optimized) sit under the model they came from
    m_view->setUniformRowHeights(true); // keeps scrolling cheap with thousands of models
    m_view->setSortingEnabled(true);
    m_view->sortByColumn(maas::app::LibraryModel::Added, Qt::DescendingOrder);
    m_view->setAlternatingRowColors(true);
    // Columns fit their contents when the library is read, not on every change of the visible rows:
    // refitting on each keystroke of the filter made a frame take 12-14 ms with 1,000 models, against
    // 4-5 ms now (scripts/bench-workbench.sh). Widths come from the first 50 rows.
    m_view->header()->setResizeContentsPrecision(50);
    const auto fitColumns = [this] {
        for (int column = 0; column < m_proxy->columnCount(); ++column)
            m_view->resizeColumnToContents(column);
    };
    connect(model, &QAbstractItemModel::modelReset, this, [this, fitColumns] {
        m_view->expandAll();
        fitColumns();
    });
    // Rows the filter brings back come expanded too.
    connect(m_proxy, &QAbstractItemModel::rowsInserted, this, [this](const QModelIndex& parent, int first, int last) {
        for (int row = first; row <= last; ++row)
            if (m_proxy->hasChildren(m_proxy->index(row, 0, parent)))
                m_view->expandRecursively(m_proxy->index(row, 0, parent));
    });
    m_view->expandAll();
    fitColumns();
    m_datasets->setColumnCount(3);
    m_datasets->setHeaderLabels({ tr("Data set"), tr("Kind"), tr("Samples") });
    m_datasets->setRootIsDecorated(false);
    m_datasets->setToolTip(tr("Double-click a data set to train on it"));
    m_datasets->setContextMenuPolicy(Qt::ActionsContextMenu);
    auto* forget = new QAction(tr("Remove from library (the files stay)"), m_datasets);
    connect(forget, &QAction::triggered, this, [this] {
        if (const auto* item = m_datasets->currentItem())
            Q_EMIT datasetRemovalRequested(item->data(1, Qt::UserRole).toLongLong());
    });
    m_datasets->addAction(forget);
    connect(m_datasets, &QTreeWidget::itemActivated, this,
        [this](QTreeWidgetItem* item) { Q_EMIT datasetActivated(item->data(0, Qt::UserRole).toString()); });
    auto* split = new QSplitter(Qt::Vertical, this);
    split->addWidget(m_view);
    split->addWidget(m_datasets);
    split->setStretchFactor(0, 4);
    split->setStretchFactor(1, 1);
    layout->addWidget(split, 1);
    connect(m_filter, &QLineEdit::textChanged, m_proxy, &maas::app::LibraryFilter::setText);
    connect(
        m_view->selectionModel(), &QItemSelectionModel::currentRowChanged, this, [this](const QModelIndex& current) {
            if (!current.isValid())
                return;
            const auto id = current.data(maas::app::LibraryModel::IdRole).toLongLong();
            if (current.data(maas::app::LibraryModel::ExportRole).toBool())
                Q_EMIT exportSelected(id, current.data(maas::app::LibraryModel::PathRole).toString());
            else
                Q_EMIT modelSelected(id);
        });
}

void LibraryPanel::setDatasets(const QList<maas::app::DatasetEntry>& datasets)
{
    m_datasets->clear();
    for (const auto& d : datasets) {
        auto* item = new QTreeWidgetItem(m_datasets, { d.name, d.kind, maas::app::formatCount(d.samples) });
        item->setData(0, Qt::UserRole, d.path);
        item->setData(1, Qt::UserRole, d.id);
        item->setToolTip(0, d.path);
        item->setTextAlignment(2, Qt::AlignRight | Qt::AlignVCenter);
    }
    for (int column = 0; column < m_datasets->columnCount(); ++column)
        m_datasets->resizeColumnToContents(column);
}

} // namespace maas::widgets
