#pragma once

#include <QWidget>

class QLabel;
class QPlainTextEdit;

namespace maas::app {
struct ModelEntry;
}

namespace maas::widgets {

/// The Overview tab: four numbers as cards (parameters, size, accuracy, latency), the lineage line and
/// the model card.
class ModelOverview : public QWidget {
    Q_OBJECT
public:
    explicit ModelOverview(QWidget* parent = nullptr);
    /// Shows `entry` and its card; `parentName` is the model it was made from ("" when none).
    void display(const maas::app::ModelEntry& entry, const QString& parentName);
    QString statText(int index) const;

private:
    QLabel* m_title;
    QList<QLabel*> m_values;
    QLabel* m_lineage;
    QPlainTextEdit* m_card;
};

} // namespace maas::widgets
