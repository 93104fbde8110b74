#pragma once

#include <QDialog>

class QComboBox;
class QLabel;
class QLineEdit;
class QSpinBox;

namespace maas::widgets {

class MessageBanner;

/// Settings: interface language, LibTorch threads and the library folder. OK checks the folder can
/// be used and saves; a wrong folder gets a sentence in the dialog and the dialog stays open.
class SettingsDialog : public QDialog {
    Q_OBJECT
public:
    explicit SettingsDialog(QWidget* parent = nullptr);

    QComboBox* language() const { return m_language; }
    QSpinBox* threads() const { return m_threads; }
    QLineEdit* folder() const { return m_folder; }
    MessageBanner* error() const { return m_error; }

    void accept() override;

private:
    QComboBox* m_language;
    QSpinBox* m_threads;
    QLineEdit* m_folder;
    MessageBanner* m_error;
};

} // namespace maas::widgets
