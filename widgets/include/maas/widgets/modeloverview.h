#pragma once

#include <QWidget>

class QLabel;
class QLineEdit;
class QPushButton;

namespace maas::app {
struct ModelEntry;
}

namespace maas::widgets {

/// The Overview tab: four numbers as cards (parameters, size, accuracy, latency), the lineage line, the
/// tags (editable) and the model card as a summary a person reads, its form one click away.
class ModelOverview : public QWidget {
    Q_OBJECT
public:
    explicit ModelOverview(QWidget* parent = nullptr);
    /// Shows `entry` and its card; `parentName` is the model it was made from ("" when none).
    void display(const maas::app::ModelEntry& entry, const QString& parentName);
    QString statText(int index) const;
    QLineEdit* tags() const { return m_tags; }
    QPushButton* measureButton() const { return m_measure; }
    /// The card's summary (inputs, outputs, labels, preprocessing, lineage).
    QLabel* cardSummary() const { return m_card; }
    QPushButton* editCardButton() const { return m_editCard; }
    /// Shows a latency measurement running (button disabled) or done.
    void setMeasuring(bool measuring);

Q_SIGNALS:
    /// The tags were edited (comma-separated in the box), for the library to record.
    void tagsEdited(qint64 modelId, const QStringList& tags);
    /// "Measure latency" was clicked.
    void measureRequested(qint64 modelId);
    /// "Edit the card" was clicked: the card's form should open.
    void editCardRequested(qint64 modelId);

private:
    QLabel* m_title;
    QList<QLabel*> m_values;
    QLabel* m_lineage;
    QLineEdit* m_tags;
    QPushButton* m_measure;
    qint64 m_id = 0;
    QLabel* m_card;
    QPushButton* m_editCard;
};

} // namespace maas::widgets
