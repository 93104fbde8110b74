#pragma once

#include <QTableWidget>

namespace maas::app {
struct VariantNumbers;
}

namespace maas::widgets {

/// The numbers people choose a model variant by, for two models side by side: size (as written and
/// gzip-compressed), weights, nonzero weights, latency at batch 1 and 16 and accuracy, with the change
/// from the first to the second as a ratio. The Optimize and Compare pages show one.
class VariantTable : public QTableWidget {
    Q_OBJECT
public:
    explicit VariantTable(QWidget* parent = nullptr);

    /// Names the two columns ("Before" and "After", "Teacher" and "Student", two models' names).
    void setColumns(const QString& first, const QString& second);
    /// Fills the table and shows it, every row in view.
    void showNumbers(const maas::app::VariantNumbers& first, const maas::app::VariantNumbers& second);
};

} // namespace maas::widgets
