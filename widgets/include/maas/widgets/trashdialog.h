#pragma once

#include <QDialog>

class QListWidget;
class QPushButton;

namespace maas::app {
class Library;
}

namespace maas::widgets {

/// The models moved to the trash, newest first, with a Restore button.
class TrashDialog : public QDialog {
    Q_OBJECT
public:
    TrashDialog(maas::app::Library* library, QWidget* parent = nullptr);
    QListWidget* list() const { return m_list; }
    QPushButton* restoreButton() const { return m_restore; }

Q_SIGNALS:
    void restored(qint64 id);

private:
    void reload();

    maas::app::Library* m_library;
    QListWidget* m_list;
    QPushButton* m_restore;
};

} // namespace maas::widgets
