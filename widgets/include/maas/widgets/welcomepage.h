#pragma once

#include <QList>
#include <QPair>
#include <QWidget>

class QLabel;
class QPushButton;
class QVBoxLayout;

namespace maas::widgets {

/// The first thing a person sees: the program's icon and what it does in one line, a drop target, the
/// first actions and the models opened lately.
class WelcomePage : public QWidget {
    Q_OBJECT
public:
    explicit WelcomePage(QWidget* parent = nullptr);

    /// Shows a one-line result or error under the drop target.
    void showMessage(const QString& text, bool error);
    /// The recent models (library id, name), newest first; a click on one emits modelChosen.
    void setRecentModels(const QList<QPair<qint64, QString>>& models);

Q_SIGNALS:
    void openModelRequested();
    void trainSampleRequested();
    void modelChosen(qint64 id);

private:
    void buildHeading(QVBoxLayout* layout);
    void buildDropTarget(QVBoxLayout* layout);
    void buildRecent(QVBoxLayout* layout);

    QLabel* m_message = nullptr;
    QPushButton* m_open = nullptr;
    QPushButton* m_sample = nullptr;
    QLabel* m_recentTitle = nullptr;
    QVBoxLayout* m_recent = nullptr;
    QList<QPushButton*> m_recentButtons;
};

} // namespace maas::widgets
