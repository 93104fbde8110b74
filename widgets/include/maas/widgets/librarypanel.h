#pragma once

#include <QWidget>

class QLineEdit;
class QTreeView;
class QTreeWidget;

namespace maas::app {
struct DatasetEntry;
class LibraryModel;
class LibraryFilter;
} // namespace maas::app

namespace maas::widgets {

/// The library on the left: a filter box and a sortable tree of models, each model's variants and exported
/// files under it, and below them the registered data sets.
class LibraryPanel : public QWidget {
    Q_OBJECT
public:
    explicit LibraryPanel(maas::app::LibraryModel* model, QWidget* parent = nullptr);
    QTreeView* view() const { return m_view; }
    QLineEdit* filter() const { return m_filter; }
    QTreeWidget* datasets() const { return m_datasets; }
    /// Lists the registered data sets under the models.
    void setDatasets(const QList<maas::app::DatasetEntry>& datasets);

Q_SIGNALS:
    /// A model was chosen (clicked or selected with the keyboard).
    void modelSelected(qint64 id);
    /// A file exported from model `id` (listed under it) was chosen.
    void exportSelected(qint64 id, const QString& path);
    /// A data set was double-clicked (or chosen with Enter): train on it.
    void datasetActivated(const QString& path);
    /// "Remove from library" was chosen on a data set.
    void datasetRemovalRequested(qint64 id);

private:
    maas::app::LibraryModel* m_model;
    maas::app::LibraryFilter* m_proxy;
    QLineEdit* m_filter;
    QTreeView* m_view;
    QTreeWidget* m_datasets;
};

} // namespace maas::widgets
