#pragma once

#include <QMainWindow>

namespace maas::widgets {
class WelcomePage;
}

namespace maas::workbench {

class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    explicit MainWindow(QWidget* parent = nullptr);

    /// Loads a model and shows its summary on the welcome page (or the error, in place).
    void openModel(const QString& path);

private:
    maas::widgets::WelcomePage* m_welcome;
};

} // namespace maas::workbench
