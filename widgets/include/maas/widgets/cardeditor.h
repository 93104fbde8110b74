#pragma once

#include <QWidget>

#include <optional>

class QComboBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;
class QSpinBox;
class QTableWidget;

namespace maas::widgets {

class MessageBanner;

/// The model card as a form: name, task, description, class labels, each input's name, datatype and
/// shape, and the preprocessing (scale, mean, std, image size and colour). The engine checks the
/// result, so a wrong field gets the same sentence as `maas card --set` gives.
class CardEditor : public QWidget {
    Q_OBJECT
public:
    explicit CardEditor(QWidget* parent = nullptr);

    /// Fills the form from a card (JSON as the library stores it).
    void setCard(const QString& cardJson);
    /// The card with the form's values, as JSON; nothing when a field is wrong (the error label says which).
    std::optional<QString> editedCard();
    void setSaving(bool saving);
    void showError(const QString& message);

    QLineEdit* name() const { return m_name; }
    QComboBox* task() const { return m_task; }
    QPlainTextEdit* labels() const { return m_labels; }
    QTableWidget* inputs() const { return m_inputs; }
    QLineEdit* mean() const { return m_mean; }
    QLineEdit* stddev() const { return m_std; }
    QPushButton* saveButton() const { return m_save; }
    MessageBanner* error() const { return m_error; }

Q_SIGNALS:
    void saveRequested(const QString& cardJson);

private:
    QString m_original;
    QLineEdit* m_name;
    QComboBox* m_task;
    QLineEdit* m_description;
    QPlainTextEdit* m_labels;
    QTableWidget* m_inputs;
    QLineEdit* m_scale;
    QLineEdit* m_mean;
    QLineEdit* m_std;
    QSpinBox* m_width;
    QSpinBox* m_height;
    QComboBox* m_color;
    QPushButton* m_save;
    QPushButton* m_revert;
    MessageBanner* m_error;
};

} // namespace maas::widgets
