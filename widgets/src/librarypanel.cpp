#include "maas/widgets/librarypanel.h"

#include <QHeaderView>
#include <QLineEdit>
#include <QTreeView>
#include <QVBoxLayout>

#include "maas/app/librarymodel.h"

namespace maas::widgets {

LibraryPanel::LibraryPanel(maas::app::LibraryModel* model, QWidget* parent)
    : QWidget(parent)
    , m_model(model)
    , m_proxy(new maas::app::LibraryFilter(this))
    , m_filter(new QLineEdit(this))
    , m_view(new QTreeView(this))
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
    layout->addWidget(m_view);
    connect(m_filter, &QLineEdit::textChanged, m_proxy, &maas::app::LibraryFilter::setText);
    connect(m_view->selectionModel(), &QItemSelectionModel::currentRowChanged, this, [this](const QModelIndex& current) {
        if (current.isValid())
            Q_EMIT modelSelected(current.data(maas::app::LibraryModel::IdRole).toLongLong());
    });
}

} // namespace maas::widgets
