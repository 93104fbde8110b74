#pragma once

#include <QWidget>

class QLineEdit;
class QTreeView;

namespace maas::app {
class LibraryModel;
class LibraryFilter;
}

namespace maas::widgets {

/// The library on the left: a filter box and a sortable tree of models, each model's variants under it.
class LibraryPanel : public QWidget {
    Q_OBJECT
public:
    explicit LibraryPanel(maas::app::LibraryModel* model, QWidget* parent = nullptr);
    QTreeView* view() const { return m_view; }
    QLineEdit* filter() const { return m_filter; }

Q_SIGNALS:
    /// A model was chosen (clicked or selected with the keyboard).
    void modelSelected(qint64 id);

private:
    maas::app::LibraryModel* m_model;
    maas::app::LibraryFilter* m_proxy;
    QLineEdit* m_filter;
    QTreeView* m_view;
};

} // namespace maas::widgets
