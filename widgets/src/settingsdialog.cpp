#include "maas/widgets/settingsdialog.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>

#include "maas/app/preferences.h"
#include "maas/widgets/messagebanner.h"

namespace maas::widgets {

SettingsDialog::SettingsDialog(QWidget* parent)
    : QDialog(parent)
    , m_language(new QComboBox(this))
    , m_threads(new QSpinBox(this))
    , m_folder(new QLineEdit(this))
    , m_error(new MessageBanner(this))
{
    setWindowTitle(tr("Settings"));
    const auto prefs = maas::app::Preferences::load();
    auto* form = new QFormLayout(this);

    m_language->addItem(tr("Follow the system"), QString());
    m_language->addItem(QStringLiteral("English"), QStringLiteral("en"));
    m_language->addItem(QStringLiteral("简体中文"), QStringLiteral("zh_CN"));
    m_language->setCurrentIndex(std::max(0, m_language->findData(prefs.language)));
    form->addRow(tr("&Language"), m_language);

    m_threads->setRange(0, 256);
    m_threads->setSpecialValueText(tr("Automatic (%n cores)", nullptr, maas::app::Preferences::automaticThreads()));
    m_threads->setValue(prefs.threads);
    form->addRow(tr("LibTorch &threads"), m_threads);

    auto* folderRow = new QHBoxLayout;
    m_folder->setText(prefs.libraryFolder);
    m_folder->setPlaceholderText(maas::app::Preferences::defaultLibraryFolder());
    folderRow->addWidget(m_folder, 1);
    auto* browse = new QPushButton(tr("Browse…"), this);
    connect(browse, &QPushButton::clicked, this, [this] {
        const QString folder = QFileDialog::getExistingDirectory(this, tr("Library folder"), m_folder->text());
        if (!folder.isEmpty())
            m_folder->setText(folder);
    });
    folderRow->addWidget(browse);
    auto* folderLabel = new QLabel(tr("Library &folder"), this);
    folderLabel->setBuddy(m_folder);
    form->addRow(folderLabel, folderRow);

    auto* note = new QLabel(tr("The language applies at once (when no job is running); the library folder the next "
                               "time the workbench starts."),
        this);
    note->setWordWrap(true);
    form->addRow(note);
    form->addRow(m_error);

    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    connect(buttons, &QDialogButtonBox::accepted, this, &SettingsDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &SettingsDialog::reject);
    form->addRow(buttons);
}

void SettingsDialog::accept()
{
    m_error->hide();
    const QString folder = m_folder->text().trimmed();
    if (!folder.isEmpty()) {
        const QFileInfo info(folder);
        if (info.exists() && !info.isDir()) {
            m_error->show(MessageBanner::Kind::Error,
                tr("%1 is a file, not a folder: choose a folder for the library.").arg(folder));
            return;
        }
        if (!QDir().mkpath(folder) || !QFileInfo(folder).isWritable()) {
            m_error->show(MessageBanner::Kind::Error,
                tr("The workbench cannot write to %1: choose a folder you can write to.").arg(folder));
            return;
        }
    }
    maas::app::Preferences prefs;
    prefs.language = m_language->currentData().toString();
    prefs.threads = m_threads->value();
    prefs.libraryFolder = folder;
    prefs.save();
    prefs.applyThreads();
    QDialog::accept();
}

} // namespace maas::widgets
