#pragma once

#include <QWidget>

class QLabel;
class QPushButton;

namespace maas::widgets {

/// The first thing a person sees: what the workbench does, a drop target and the first actions.
class WelcomePage : public QWidget {
    Q_OBJECT
public:
    explicit WelcomePage(QWidget* parent = nullptr);

    /// Shows a one-line result or error under the drop target.
    void showMessage(const QString& text, bool error);

Q_SIGNALS:
    void openModelRequested();
    void trainSampleRequested();

private:
    QLabel* m_message;
    QPushButton* m_open;
    QPushButton* m_sample;
};

} // namespace maas::widgets
