#pragma once

#include <QTableWidget>

namespace maas::widgets {

/// A confusion matrix as a heat map: rows are true classes, columns predicted ones; each cell shows its
/// count, coloured by its share of the row (so a class's recall reads along the diagonal).
class ConfusionMatrix : public QTableWidget {
    Q_OBJECT
public:
    explicit ConfusionMatrix(QWidget* parent = nullptr);
    void setMatrix(const QList<QList<qint64>>& counts, const QStringList& classes);
    qint64 total() const;
};

} // namespace maas::widgets
