#include "maas/widgets/trashdialog.h"

#include <QDialogButtonBox>
#include <QListWidget>
#include <QMessageBox>
#include <QPushButton>
#include <QVBoxLayout>

#include "maas/app/format.h"
#include "maas/app/library.h"

namespace maas::widgets {

TrashDialog::TrashDialog(maas::app::Library* library, QWidget* parent)
    : QDialog(parent)
    , m_library(library)
    , m_list(new QListWidget(this))
    , m_restore(new QPushButton(tr("&Restore"), this))
{
    setWindowTitle(tr("Trash"));
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(m_list, 1);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    buttons->addButton(m_restore, QDialogButtonBox::ActionRole);
    layout->addWidget(buttons);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_list, &QListWidget::currentRowChanged, this, [this](int row) { m_restore->setEnabled(row >= 0); });
    connect(m_restore, &QPushButton::clicked, this, [this] {
        const auto* item = m_list->currentItem();
        if (!item)
            return;
        const qint64 id = item->data(Qt::UserRole).toLongLong();
        try {
            m_library->restore(id);
        } catch (const std::exception& e) {
            QMessageBox::warning(this, windowTitle(), QString::fromUtf8(e.what()));
            return;
        }
        reload();
        Q_EMIT restored(id);
    });
    reload();
    resize(420, 320);
}

void TrashDialog::reload()
{
    m_list->clear();
    for (const auto& entry : m_library->models(true)) {
        if (!entry.trashed)
            continue;
        auto* item = new QListWidgetItem(
            tr("%1 — %2, %3 parameters")
                .arg(entry.name, maas::app::formatBytes(entry.fileBytes), maas::app::formatCount(entry.parameters)),
            m_list);
        item->setData(Qt::UserRole, entry.id);
    }
    if (m_list->count() == 0)
        (new QListWidgetItem(tr("The trash is empty."), m_list))->setFlags(Qt::NoItemFlags);
    m_list->setCurrentRow(-1);
    m_restore->setEnabled(false);
}

} // namespace maas::widgets
