#include "mainwindow.h"

#include <QFileDialog>
#include <QLabel>
#include <QStatusBar>

#include "maas/app/about.h"
#include "maas/app/format.h"
#include "maas/engine/error.h"
#include "maas/engine/model.h"
#include "maas/widgets/welcomepage.h"

namespace maas::workbench {

MainWindow::MainWindow(QWidget* parent)
    : QMainWindow(parent)
    , m_welcome(new maas::widgets::WelcomePage(this))
{
    setWindowTitle(tr("MaaS Workbench"));
    setCentralWidget(m_welcome);
    statusBar()->addPermanentWidget(new QLabel(maas::app::runtimeSummary(), this));
    connect(m_welcome, &maas::widgets::WelcomePage::openModelRequested, this, [this] {
        const QString path = QFileDialog::getOpenFileName(this, tr("Open a model"), QString(),
            tr("TorchScript models (*.pt *.pth);;All files (*)"));
        if (!path.isEmpty())
            openModel(path);
    });
    resize(960, 640);
}

void MainWindow::openModel(const QString& path)
{
    // Loading a model takes well under a second for the models of this first version; the job system
    // that moves long work off the UI thread arrives with the library.
    try {
        const auto model = maas::engine::Model::load(path.toStdString());
        const auto report = model.inspect();
        m_welcome->showMessage(tr("%1: %2 parameters, %3 on disk")
                                   .arg(QString::fromStdString(model.card().name),
                                       maas::app::formatCount(report.totalParameters),
                                       maas::app::formatBytes(report.fileBytes)),
            false);
    } catch (const maas::engine::Error& e) {
        m_welcome->showMessage(QString::fromStdString(e.what()), true);
    }
}

} // namespace maas::workbench
