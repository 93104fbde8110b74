// The workbench window offscreen: drops of real models and data sets, drops of junk, the library
// table and its filter, the jobs dock, and pictures of the pages for people to look at.
#include <QtTest>

#include <QAbstractItemModelTester>
#include <QChartView>
#include <QCheckBox>
#include <QComboBox>
#include <QDockWidget>
#include <QGraphicsItem>
#include <QGraphicsScene>
#include <QLabel>
#include <QLineEdit>
#include <QLineSeries>
#include <QMenuBar>
#include <QMimeData>
#include <QSpinBox>
#include <QTemporaryDir>
#include <QTreeView>

#include <nlohmann/json.hpp>

#include "maas/app/drops.h"
#include "maas/app/format.h"
#include "maas/app/jobs.h"
#include "maas/app/languages.h"
#include "maas/app/library.h"
#include "maas/app/librarymodel.h"
#include "maas/app/training.h"
#include "maas/engine/dataset.h"
#include "maas/engine/model.h"
#include "maas/engine/tensor.h"
#include "maas/widgets/benchmarkpage.h"
#include "maas/widgets/cardeditor.h"
#include "maas/widgets/comparepage.h"
#include "maas/widgets/confusionmatrix.h"
#include "maas/widgets/graphview.h"
#include "maas/widgets/inspectorpage.h"
#include "maas/widgets/jobspanel.h"
#include "maas/widgets/librarypanel.h"
#include "maas/widgets/messagebanner.h"
#include "maas/widgets/modeloverview.h"
#include "maas/widgets/optimizepage.h"
#include "maas/widgets/pictures.h"
#include "maas/widgets/profilepage.h"
#include "maas/widgets/profileviews.h"
#include "maas/widgets/samplebrowser.h"
#include "maas/widgets/trainpage.h"
#include "maas/widgets/tryitpage.h"
#include "maas/widgets/varianttable.h"
#include <QListView>
#include <QTableWidget>
#include <QTreeWidget>

#include "maas/app/preferences.h"
#include "maas/engine/runtime.h"
#include "maas/widgets/settingsdialog.h"
#include "maas/widgets/trashdialog.h"
#include "maas/widgets/workbenchwindow.h"
#include <QDoubleSpinBox>
#include <QListWidget>
#include <QMenu>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QTreeWidget>

using namespace maas;

namespace {

QString fixture(const QString& name) { return QStringLiteral(MAAS_FIXTURES_DIR "/") + name; }

struct Bench {
    QTemporaryDir dir;
    std::unique_ptr<app::Library> library = app::Library::open(dir.path());
    app::JobManager jobs;
    widgets::WorkbenchWindow window { library.get(), &jobs };
};

// The Optimize page on `modelId`, shown, with Fashion-MNIST registered and offered.
widgets::OptimizePage* openOptimizePage(Bench& b, qint64 modelId)
{
    b.library->registerDataset(QStringLiteral("/usr/share/datasets/fashion-mnist"));
    b.window.showModel(modelId);
    b.window.show();
    auto* page = b.window.optimizePage();
    b.window.findChild<QTabWidget*>()->setCurrentWidget(page);
    page->reloadDatasets();
    return page;
}

// The Optimize page on `modelId`, shown, with Export to ONNX chosen.
widgets::OptimizePage* openOnnxExport(Bench& b, qint64 modelId)
{
    b.window.showModel(modelId);
    b.window.show();
    auto* page = b.window.optimizePage();
    b.window.findChild<QTabWidget*>()->setCurrentWidget(page);
    page->operation()->setCurrentIndex(page->operation()->findData(QStringLiteral("onnx")));
    return page;
}

// Exports the page's model to `target` at `opset` and waits for the job; how it ended.
app::JobState exportOnPage(widgets::OptimizePage* page, const QString& target, int opset)
{
    page->exportPath()->setText(target);
    page->opset()->setValue(opset);
    auto* job = page->start();
    if (!job)
        return app::JobState::Failed;
    return QTest::qWaitFor([&] { return job->isFinished(); }, 120000) ? job->state() : app::JobState::Running;
}

// Drags `paths` over the window and drops them, as a file manager would.
void drop(widgets::WorkbenchWindow& window, const QStringList& paths, QString* overlayText = nullptr)
{
    QMimeData mime;
    QList<QUrl> urls;
    for (const auto& p : paths)
        urls << QUrl::fromLocalFile(p);
    mime.setUrls(urls);
    const QPoint centre = window.rect().center();
    QDragEnterEvent enter(centre, Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(&window, &enter);
    if (overlayText)
        *overlayText = window.dropOverlay()->isVisible() ? window.dropOverlay()->text() : QString();
    QDropEvent dropEvent(QPointF(centre), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
    QApplication::sendEvent(&window, &dropEvent);
}

// Clicks `button` on the next message box that opens (message boxes run their own event loop).
void answerNextMessageBox(QMessageBox::StandardButton button)
{
    auto* timer = new QTimer;
    QObject::connect(timer, &QTimer::timeout, [timer, button] {
        if (auto* box = qobject_cast<QMessageBox*>(QApplication::activeModalWidget())) {
            timer->deleteLater();
            box->button(button)->click();
        }
    });
    timer->start(10);
}

// A cell of the run's confusion matrix opens its samples: each is of the row's true class (checked
// against the Fashion-MNIST labels), drawn as a 28x28 image; column headers are short, named in full
// by their tooltips.
void confusionCellsOpenTheirSamples(widgets::TrainPage* page)
{
    // A cell opens its samples: each is of the row's true class, drawn as a 28x28 image.
    int row = -1, column = -1;
    qint64 count = 0;
    for (int r = 0; r < 10 && row < 0; ++r)
        for (int c = 0; c < 10; ++c)
            if (r != c && QLocale().toLongLong(page->confusion()->item(r, c)->text()) > 0) {
                row = r, column = c, count = QLocale().toLongLong(page->confusion()->item(r, c)->text());
                break;
            }
    QVERIFY(row >= 0);
    Q_EMIT page->confusion()->cellClicked(row, column);
    QVERIFY(page->samples()->isVisible());
    QCOMPARE(qint64(page->samples()->count()), std::min<qint64>(count, app::TrainedModel::kExamplesPerCell));
    QVERIFY(page->samplesTitle()->text().contains(page->confusion()->verticalHeaderItem(column)->text()));
    // Column headers are short enough to read (the full class name is their tooltip).
    for (int c = 0; c < 10; ++c) {
        const auto* header = page->confusion()->horizontalHeaderItem(c);
        QVERIFY2(header->text().size() <= 8, qPrintable(header->text()));
        QVERIFY(header->toolTip().contains(page->confusion()->verticalHeaderItem(c)->text()));
    }
    const auto fashion = engine::Dataset::open("/usr/share/datasets/fashion-mnist", [] {
        engine::DataOptions o;
        o.limit = 3000;
        return o;
    }());
    const auto labels = fashion.labels();
    for (int i = 0; i < page->samples()->count(); ++i) {
        const qint64 index = page->samples()->item(i)->toolTip().section(QLatin1Char(' '), -1).toLongLong();
        QCOMPARE(labels[index], qint64(row));
        QVERIFY(!page->samples()->item(i)->icon().isNull());
    }
}

} // namespace

class TestWorkbench : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName(QStringLiteral("maas-workbench-tests"));
        QSettings().clear(); // each run starts from no settings, no recent models
    }

    void settingsAreCheckedAndSaved()
    {
        QTemporaryDir dir;
        widgets::SettingsDialog dialog;
        dialog.language()->setCurrentIndex(dialog.language()->findData(QStringLiteral("zh_CN")));
        dialog.threads()->setValue(1);
        // A file where a folder should be: one sentence in the dialog, nothing saved.
        QFile file(dir.filePath(QStringLiteral("not-a-folder")));
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.close();
        dialog.folder()->setText(file.fileName());
        dialog.accept();
        QVERIFY(!dialog.error()->isHidden());
        QVERIFY(dialog.error()->text().contains(file.fileName()));
        QCOMPARE(dialog.result(), int(QDialog::Rejected));
        QCOMPARE(app::Preferences::load().threads, 0);

        dialog.folder()->setText(dir.filePath(QStringLiteral("library")));
        dialog.accept();
        QCOMPARE(dialog.result(), int(QDialog::Accepted));
        const auto saved = app::Preferences::load();
        QCOMPARE(saved.language, QStringLiteral("zh_CN"));
        QCOMPARE(saved.threads, 1);
        QCOMPARE(saved.libraryFolder, dir.filePath(QStringLiteral("library")));
        QVERIFY(QFileInfo(saved.libraryFolder).isDir());
        QCOMPARE(engine::currentThreads().budget, 1);
        QVERIFY(dialog.grab().save(QStringLiteral("settings.png")));
        app::Preferences {}.save();
        engine::configureThreads(0);
    }

    void trashAsksAndRestores()
    {
        Bench b;
        const auto mlp = b.library->importModel(fixture(QStringLiteral("mlp.pt")));
        const auto cnn = b.library->importModel(fixture(QStringLiteral("cnn.pt")));
        b.window.showModel(mlp.id);
        b.window.showModel(cnn.id);
        // Recent models, newest first.
        Q_EMIT b.window.recentMenu()->aboutToShow();
        QCOMPARE(b.window.recentMenu()->actions().size(), 2);
        QCOMPARE(b.window.recentMenu()->actions().first()->text(), cnn.name);

        answerNextMessageBox(QMessageBox::Cancel);
        QVERIFY(!b.window.trashModel(cnn.id));
        QCOMPARE(b.library->models().size(), 2);
        answerNextMessageBox(QMessageBox::Yes);
        QVERIFY(b.window.trashModel(cnn.id));
        QCOMPARE(b.library->models().size(), 1);
        QVERIFY(!QFileInfo::exists(cnn.path));
        QVERIFY(!b.window.currentModel());
        Q_EMIT b.window.recentMenu()->aboutToShow();
        QCOMPARE(b.window.recentMenu()->actions().size(), 1);

        // Tags typed on the overview reach the library and its filter.
        b.window.showModel(mlp.id);
        b.window.overview()->tags()->setText(QStringLiteral("iris, baseline,  iris"));
        Q_EMIT b.window.overview()->tags()->editingFinished();
        QCOMPARE(b.library->model(mlp.id)->tags, (QStringList { QStringLiteral("iris"), QStringLiteral("baseline") }));
        b.window.libraryPanel()->filter()->setText(QStringLiteral("basel"));
        QCOMPARE(b.window.libraryPanel()->view()->model()->rowCount(), 1);
        b.window.libraryPanel()->filter()->clear();

        widgets::TrashDialog trash(b.library.get());
        QCOMPARE(trash.list()->count(), 1);
        trash.list()->setCurrentRow(0);
        trash.restoreButton()->click();
        QCOMPARE(b.library->models().size(), 2);
        QVERIFY(QFileInfo::exists(cnn.path));
        QCOMPARE(trash.list()->item(0)->flags(), Qt::NoItemFlags); // "the trash is empty"
    }

    void droppingARealModelImportsIt()
    {
        Bench b;
        b.window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&b.window));
        QSignalSpy finished(&b.window, &widgets::WorkbenchWindow::importFinished);
        QString overlay;
        drop(b.window, { fixture(QStringLiteral("mlp.pt")), fixture(QStringLiteral("resnet18.pt")) }, &overlay);
        QVERIFY2(overlay.contains(QLatin1String("2")), qPrintable(overlay));
        QVERIFY(!b.window.dropOverlay()->isVisible());
        QVERIFY(QTest::qWaitFor([&] { return finished.size() == 2; }, 60000));
        QCOMPARE(b.library->models().size(), 2);
        QCOMPARE(b.window.libraryPanel()->view()->model()->rowCount(), 2);
        QVERIFY(!b.window.banner()->isVisible());
        QVERIFY(b.window.overview()->isVisible());
        QVERIFY(!b.window.overview()->statText(0).isEmpty());
        QVERIFY(b.window.grab().save(QStringLiteral("workbench-overview.png")));
    }

    // A stored card with two labels for three outputs is imported, and the window says what is wrong.
    void droppingAModelWhoseLabelsDoNotFitWarns()
    {
        Bench b;
        QSignalSpy finished(&b.window, &widgets::WorkbenchWindow::importFinished);
        drop(b.window, { fixture(QStringLiteral("mlp_two_labels.pt")) });
        QVERIFY(QTest::qWaitFor([&] { return finished.size() == 1; }, 60000));
        QCOMPARE(b.library->models().size(), 1);
        QVERIFY2(b.window.banner()->text().contains(QLatin1String("2 labels"))
                && b.window.banner()->text().contains(QLatin1String("3 outputs")),
            qPrintable(b.window.banner()->text()));
    }

    void droppingJunkSaysWhatItIs()
    {
        Bench b;
        b.window.show();
        QSignalSpy finished(&b.window, &widgets::WorkbenchWindow::importFinished);
        QString overlay;
        drop(b.window, { fixture(QStringLiteral("bad_legacy_pickle.pt")) }, &overlay);
        QVERIFY2(overlay.contains(QLatin1String("torch.jit.save")), qPrintable(overlay));
        QVERIFY(b.window.banner()->isVisible());
        QCOMPARE(b.window.banner()->kind(), widgets::MessageBanner::Kind::Error);
        QVERIFY(b.window.banner()->text().contains(QLatin1String("legacy pickle")));
        QCOMPARE(finished.size(), 0); // nothing was started

        // An ONNX file is not imported (the library runs TorchScript) but read in the inspector.
        drop(b.window, { fixture(QStringLiteral("bad_model.onnx")) }, &overlay);
        QVERIFY2(overlay.contains(QLatin1String("Inspect bad_model.onnx")), qPrintable(overlay));
        auto* inspector = b.window.findChild<widgets::InspectorPage*>();
        QVERIFY(
            QTest::qWaitFor([&] { return inspector->summary()->text().contains(QLatin1String("ONNX opset")); }, 60000));
        QVERIFY(inspector->isVisible());
        QCOMPARE(finished.size(), 0);

        // A zip that is not TorchScript passes the quick look, then fails in its job with the engine's sentence.
        drop(b.window, { fixture(QStringLiteral("bad_state_dict.pt")) });
        QVERIFY(QTest::qWaitFor([&] { return finished.size() == 1; }, 60000));
        QVERIFY2(
            b.window.banner()->text().contains(QLatin1String("state_dict")), qPrintable(b.window.banner()->text()));
        QCOMPARE(b.library->models().size(), 0);
        QVERIFY(b.window.grab().save(QStringLiteral("workbench-error.png")));
    }

    void droppingADataSetRegistersIt()
    {
        Bench b;
        b.window.show();
        QSignalSpy finished(&b.window, &widgets::WorkbenchWindow::importFinished);
        QString overlay;
        drop(b.window, { QStringLiteral("/usr/share/datasets/fashion-mnist") }, &overlay);
        QVERIFY(overlay.contains(QLatin1String("fashion-mnist")));
        QVERIFY(QTest::qWaitFor([&] { return finished.size() == 1; }, 60000));
        QCOMPARE(b.library->datasets().size(), 1);
        QCOMPARE(b.library->datasets().front().samples, qint64 { 60000 });
        QVERIFY(b.window.banner()->text().contains(QLatin1String("60")));
        // It is listed in the library; a double-click opens Train with it chosen.
        auto* datasets = b.window.libraryPanel()->datasets();
        QCOMPARE(datasets->topLevelItemCount(), 1);
        QCOMPARE(datasets->topLevelItem(0)->text(0), QStringLiteral("fashion-mnist"));
        Q_EMIT datasets->itemActivated(datasets->topLevelItem(0), 0);
        QVERIFY(b.window.trainPage()->isVisibleTo(&b.window));
        QCOMPARE(b.window.trainPage()->dataset()->currentData().toString(), b.library->datasets().front().path);
        // Removing it from the library leaves its files alone.
        datasets->setCurrentItem(datasets->topLevelItem(0));
        datasets->actions().first()->trigger();
        QCOMPARE(b.library->datasets().size(), 0);
        QCOMPARE(datasets->topLevelItemCount(), 0);
        QCOMPARE(b.window.trainPage()->dataset()->count(), 0);
        QVERIFY(QFileInfo::exists(QStringLiteral("/usr/share/datasets/fashion-mnist")));
    }

    void trainingFromTheTrainPage()
    {
        Bench b;
        b.library->registerDataset(QStringLiteral("/usr/share/datasets/fashion-mnist"));
        auto* page = b.window.trainPage();
        page->reloadDatasets();
        b.window.showTraining();
        b.window.show();
        QCOMPARE(page->dataset()->count(), 1);
        page->architecture()->setCurrentIndex(page->architecture()->findData(QStringLiteral("mlp")));
        page->epochs()->setValue(2);
        page->sampleLimit()->setValue(3000);
        QSignalSpy trained(page, &widgets::TrainPage::trained);
        QSignalSpy failed(page, &widgets::TrainPage::failed);
        page->layers()->setText(QStringLiteral("64, big"));
        QVERIFY(!page->start());
        QCOMPARE(failed.size(), 1);
        QVERIFY(failed.first().first().toString().contains(QLatin1String("big")));
        page->layers()->setText(QStringLiteral("64"));
        page->dropout()->setValue(0.1);
        app::Job* job = page->start();
        QVERIFY(job);
        QVERIFY(QTest::qWaitFor([&] { return job->isFinished(); }, 120000));
        QCOMPARE(job->state(), app::JobState::Done);
        QVERIFY(QTest::qWaitFor([&] { return trained.size() == 1; }, 5000));
        QVERIFY(page->trainLoss()->count() >= 2); // curves moved during the epochs
        QCOMPARE(page->validationLoss()->count(), 2); // one point per epoch
        const auto models = b.library->models();
        QCOMPARE(models.size(), 1);
        QCOMPARE(models.front().operation, QStringLiteral("train"));
        QCOMPARE(models.front().parameters, qint64 { 784 * 64 + 64 + 64 * 10 + 10 }); // one hidden layer of 64
        QCOMPARE(b.library->runCount(models.front().id), 1);
        QVERIFY(page->numbers()->text().contains(QLatin1String("samples/s")));
        QVERIFY(page->confusion()->isVisible());
        QCOMPARE(page->confusion()->rowCount(), 10);
        QCOMPARE(page->confusion()->total(), qint64 { 300 }); // the 10% validation split of 3,000 samples
        confusionCellsOpenTheirSamples(page);
        QVERIFY(b.window.grab().save(QStringLiteral("workbench-train.png")));

        // Fine-tune the trained model: the new one is its child in the library.
        b.window.showModel(models.front().id);
        b.window.showTraining();
        // The fine-tune entry is chosen; it names no architecture, since the model has its own.
        QVERIFY(page->architecture()->currentText().startsWith(QLatin1String("Fine-tune")));
        QVERIFY(page->architecture()->currentData().toString().isEmpty());
        page->epochs()->setValue(1);
        job = page->start();
        QVERIFY(QTest::qWaitFor([&] { return job->isFinished(); }, 120000));
        QVERIFY(QTest::qWaitFor([&] { return trained.size() == 2; }, 5000));
        const auto child = b.library->model(trained.last().first().toLongLong());
        QCOMPARE(child->parentId.value_or(-1), models.front().id);
        // In the library the fine-tuned model sits under the one it came from.
        auto* tree = b.window.libraryPanel()->view();
        QCOMPARE(tree->model()->rowCount(), 1);
        const QModelIndex parentRow = tree->model()->index(0, 0);
        QCOMPARE(tree->model()->rowCount(parentRow), 1);
        QCOMPARE(tree->model()->index(0, 0, parentRow).data(app::LibraryModel::IdRole).toLongLong(), child->id);
        QVERIFY(tree->isExpanded(parentRow));
    }

    // The Optimize page converts the selected model; the result is its child in the library, with the
    // numbers before and after on the page. A tolerance no conversion can meet adds nothing.
    void optimizingFromTheOptimizePage()
    {
        Bench b;
        const auto parent = b.library->importModel(fixture(QStringLiteral("cnn.pt")));
        auto* page = openOptimizePage(b, parent.id);
        QCOMPARE(page->dataset()->count(), 2); // none, and Fashion-MNIST
        page->tolerance()->setText(QStringLiteral("0"));
        QVERIFY(!page->start());
        QVERIFY(page->status()->text().contains(QLatin1String("Tolerance")));
        QCOMPARE(b.library->models().size(), 1);

        page->tolerance()->setText(QStringLiteral("1e-12")); // folding batch-norm moves the outputs more
        app::Job* job = page->start();
        QVERIFY(job);
        QVERIFY(QTest::qWaitFor([&] { return job->isFinished(); }, 120000));
        QCOMPARE(job->state(), app::JobState::Failed);
        QVERIFY2(page->status()->text().contains(QLatin1String("tolerance")), qPrintable(page->status()->text()));
        QCOMPARE(b.library->models().size(), 1);

        page->tolerance()->setText(QStringLiteral("0.0001"));
        page->dataset()->setCurrentIndex(1);
        page->sampleLimit()->setValue(500);
        QSignalSpy optimized(page, &widgets::OptimizePage::optimized);
        job = page->start();
        QVERIFY(QTest::qWaitFor([&] { return job->isFinished(); }, 120000));
        QCOMPARE(job->state(), app::JobState::Done);
        QVERIFY(QTest::qWaitFor([&] { return optimized.size() == 1; }, 5000));
        const auto child = b.library->model(optimized.first().first().toLongLong());
        QVERIFY(child);
        QCOMPARE(child->parentId.value_or(-1), parent.id);
        QCOMPARE(child->operation, QStringLiteral("optimize"));
        auto* table = page->comparison();
        QVERIFY(!table->isHidden());
        for (int row = 0; row < table->rowCount(); ++row)
            QVERIFY2(table->item(row, 0) && !table->item(row, 0)->text().isEmpty(), qPrintable(QString::number(row)));
        QVERIFY(table->item(6, 1)->text().endsWith(QLatin1Char('%'))); // accuracy measured after, too
        QVERIFY(page->status()->text().contains(child->name));
        QVERIFY(b.window.grab().save(QStringLiteral("workbench-optimize.png")));
    }

    // Quantizing from the Optimize page: a budget without data is refused on the page; with data, each
    // layer's form and drop show beside the numbers, and the child is the parent's, made by "quantize".
    void quantizingFromTheOptimizePage()
    {
        Bench b;
        const auto parent = b.library->importModel(fixture(QStringLiteral("cnn.pt")));
        auto* page = openOptimizePage(b, parent.id);
        QVERIFY(!page->engine()->isVisible());
        page->operation()->setCurrentIndex(page->operation()->findData(QStringLiteral("int8")));
        QVERIFY(page->engine()->isVisible());
        QCOMPARE(page->tolerance()->text(), QStringLiteral("0.1"));
        page->budgetEnabled()->setChecked(true);
        page->budget()->setValue(5);
        page->dataset()->setCurrentIndex(0);
        QVERIFY(!page->start());
        QVERIFY2(page->status()->text().contains(QLatin1String("data set")), qPrintable(page->status()->text()));
        QCOMPARE(b.library->models().size(), 1);

        page->dataset()->setCurrentIndex(1);
        page->sampleLimit()->setValue(300);
        page->engine()->setCurrentIndex(page->engine()->findData(QStringLiteral("qnnpack")));
        QSignalSpy optimized(page, &widgets::OptimizePage::optimized);
        app::Job* job = page->start();
        QVERIFY(job);
        QVERIFY(QTest::qWaitFor([&] { return job->isFinished(); }, 120000));
        QVERIFY2(job->state() == app::JobState::Done, qPrintable(job->error()));
        QVERIFY(QTest::qWaitFor([&] { return optimized.size() == 1; }, 5000));
        const auto child = b.library->model(optimized.first().first().toLongLong());
        QVERIFY(child);
        QCOMPARE(child->parentId.value_or(-1), parent.id);
        QCOMPARE(child->operation, QStringLiteral("quantize"));
        auto* layers = page->layers();
        QVERIFY(!layers->isHidden());
        QCOMPARE(layers->rowCount(), 1);
        QCOMPARE(layers->item(0, 0)->text(), QStringLiteral("head"));
        QCOMPARE(layers->item(0, 1)->text(), QStringLiteral("10x1568"));
        QVERIFY(layers->item(0, 3)->text().contains(QLatin1String("points")));
        QVERIFY2(page->status()->text().contains(QLatin1String("qnnpack")), qPrintable(page->status()->text()));
        QVERIFY(b.window.grab().save(QStringLiteral("workbench-quantize.png")));
    }

    // Static int8 from the page: it needs a data set to calibrate on, shows its calibration samples, and
    // turns the convolution and the head into int8 layers of a child model.
    void staticQuantizationFromTheOptimizePage()
    {
        Bench b;
        const auto parent = b.library->importModel(fixture(QStringLiteral("cnn.pt")));
        auto* page = openOptimizePage(b, parent.id);
        page->operation()->setCurrentIndex(page->operation()->findData(QStringLiteral("static")));
        QVERIFY(page->calibrationSamples()->isVisible());
        QVERIFY(page->engine()->isVisible());
        page->dataset()->setCurrentIndex(0);
        QVERIFY(!page->start());
        QVERIFY2(page->status()->text().contains(QLatin1String("calibrates")), qPrintable(page->status()->text()));
        page->dataset()->setCurrentIndex(1);
        page->sampleLimit()->setValue(300);
        page->calibrationSamples()->setValue(128);
        page->engine()->setCurrentIndex(page->engine()->findData(QStringLiteral("onednn")));
        QSignalSpy optimized(page, &widgets::OptimizePage::optimized);
        app::Job* job = page->start();
        QVERIFY(job);
        QVERIFY(QTest::qWaitFor([&] { return job->isFinished(); }, 120000));
        QVERIFY2(job->state() == app::JobState::Done, qPrintable(job->error()));
        QVERIFY(QTest::qWaitFor([&] { return optimized.size() == 1; }, 5000));
        const auto child = b.library->model(optimized.first().first().toLongLong());
        QVERIFY(child);
        QCOMPARE(child->operation, QStringLiteral("quantize"));
        auto* layers = page->layers();
        QCOMPARE(layers->rowCount(), 2);
        for (int r = 0; r < layers->rowCount(); ++r)
            QCOMPARE(layers->item(r, 2)->text(), QStringLiteral("int8"));
    }

    // Converting for mobile from the page: its tolerance is a conversion's, and the child is the parent's.
    void convertingForMobileFromTheOptimizePage()
    {
        Bench b;
        const auto parent = b.library->importModel(fixture(QStringLiteral("cnn.pt")));
        auto* page = openOptimizePage(b, parent.id);
        page->operation()->setCurrentIndex(page->operation()->findData(QStringLiteral("mobile")));
        QCOMPARE(page->tolerance()->text(), QStringLiteral("0.0001"));
        page->dataset()->setCurrentIndex(0);
        QSignalSpy optimized(page, &widgets::OptimizePage::optimized);
        app::Job* job = page->start();
        QVERIFY(job);
        QVERIFY(QTest::qWaitFor([&] { return job->isFinished(); }, 120000));
        QVERIFY2(job->state() == app::JobState::Done, qPrintable(job->error()));
        QVERIFY(QTest::qWaitFor([&] { return optimized.size() == 1; }, 5000));
        const auto child = b.library->model(optimized.first().first().toLongLong());
        QVERIFY(child);
        QCOMPARE(child->parentId.value_or(-1), parent.id);
        QVERIFY2(child->cardJson.contains(QLatin1String("\"mobile\"")), qPrintable(child->cardJson));
    }

    // Pruning from the Optimize page with fine-tuning: the tolerance gives way to the sparsity settings,
    // fine-tuning without data is refused on the page, and the child's layers show their zeros.
    void pruningFromTheOptimizePage()
    {
        Bench b;
        const auto parent = b.library->importModel(fixture(QStringLiteral("cnn.pt")));
        auto* page = openOptimizePage(b, parent.id);
        page->operation()->setCurrentIndex(page->operation()->findData(QStringLiteral("prune")));
        QVERIFY(page->sparsity()->isVisible());
        QVERIFY(!page->tolerance()->isVisible());
        page->sparsity()->setValue(70);
        page->fineTuneEpochs()->setValue(1);
        page->dataset()->setCurrentIndex(0);
        QVERIFY(!page->start());
        QVERIFY2(page->status()->text().contains(QLatin1String("data set")), qPrintable(page->status()->text()));

        page->dataset()->setCurrentIndex(1);
        page->sampleLimit()->setValue(500);
        QSignalSpy optimized(page, &widgets::OptimizePage::optimized);
        app::Job* job = page->start();
        QVERIFY(job);
        QVERIFY(QTest::qWaitFor([&] { return job->isFinished(); }, 120000));
        QVERIFY2(job->state() == app::JobState::Done, qPrintable(job->error()));
        QVERIFY(QTest::qWaitFor([&] { return optimized.size() == 1; }, 5000));
        const auto child = b.library->model(optimized.first().first().toLongLong());
        QVERIFY(child);
        QCOMPARE(child->operation, QStringLiteral("prune"));
        auto* layers = page->layers();
        QCOMPARE(layers->rowCount(), 2); // the convolution and the head
        for (int r = 0; r < layers->rowCount(); ++r)
            QVERIFY2(
                layers->item(r, 3)->text().contains(QLatin1String("zeros")), qPrintable(layers->item(r, 3)->text()));
        // Fewer nonzero weights after, and a smaller file once compressed.
        QVERIFY(page->comparison()->item(3, 2)->text().contains(QLatin1String("fewer")));
        QVERIFY(page->comparison()->item(1, 2)->text().contains(QLatin1String("smaller")));
        QVERIFY(b.window.grab().save(QStringLiteral("workbench-prune.png")));
    }

    // Distilling from the Optimize page: the student's settings replace the tolerance, widths that are not
    // numbers and a missing data set are refused on the page, and the student lands as the teacher's child
    // with the teacher and student side by side and the student-alone accuracy in the status.
    void distillingFromTheOptimizePage()
    {
        Bench b;
        const auto parent = b.library->importModel(fixture(QStringLiteral("cnn.pt")));
        auto* page = openOptimizePage(b, parent.id);
        page->operation()->setCurrentIndex(page->operation()->findData(QStringLiteral("distill")));
        QVERIFY(page->temperature()->isVisible());
        QVERIFY(!page->tolerance()->isVisible());
        QCOMPARE(page->comparison()->horizontalHeaderItem(0)->text(), QStringLiteral("Teacher"));
        page->dataset()->setCurrentIndex(0);
        QVERIFY(!page->start());
        QVERIFY2(page->status()->text().contains(QLatin1String("data set")), qPrintable(page->status()->text()));
        page->dataset()->setCurrentIndex(1);
        page->studentWidths()->setText(QStringLiteral("16, wide"));
        QVERIFY(!page->start());
        QVERIFY2(page->status()->text().contains(QLatin1String("wide")), qPrintable(page->status()->text()));
        QCOMPARE(b.library->models().size(), 1);

        page->studentWidths()->setText(QStringLiteral("16"));
        page->studentEpochs()->setValue(1);
        page->sampleLimit()->setValue(500);
        QSignalSpy optimized(page, &widgets::OptimizePage::optimized);
        app::Job* job = page->start();
        QVERIFY(job);
        QVERIFY(QTest::qWaitFor([&] { return job->isFinished(); }, 240000));
        QVERIFY2(job->state() == app::JobState::Done, qPrintable(job->error()));
        QVERIFY(QTest::qWaitFor([&] { return optimized.size() == 1; }, 5000));
        const auto child = b.library->model(optimized.first().first().toLongLong());
        QVERIFY(child);
        QCOMPARE(child->parentId.value_or(-1), parent.id);
        QCOMPARE(child->operation, QStringLiteral("distill"));
        QVERIFY(page->comparison()->item(3, 2)->text().contains(QLatin1String("fewer")));
        QVERIFY2(page->status()->text().contains(QLatin1String("alone")), qPrintable(page->status()->text()));
        QVERIFY(b.window.grab().save(QStringLiteral("workbench-distill.png")));
    }

    // Structured pruning from the page: per-layer gives way (every narrowed layer loses the same share), and
    // the layers' table says each layer's channels before and after.
    void structuredPruningFromTheOptimizePage()
    {
        Bench b;
        const auto parent = b.library->importModel(fixture(QStringLiteral("cnn.pt")));
        auto* page = openOptimizePage(b, parent.id);
        page->operation()->setCurrentIndex(page->operation()->findData(QStringLiteral("prune")));
        page->structured()->setChecked(true);
        QVERIFY(!page->perLayer()->isEnabled());
        page->sparsity()->setValue(50);
        page->dataset()->setCurrentIndex(1);
        page->sampleLimit()->setValue(300);
        QSignalSpy optimized(page, &widgets::OptimizePage::optimized);
        app::Job* job = page->start();
        QVERIFY(job);
        QVERIFY(QTest::qWaitFor([&] { return job->isFinished(); }, 120000));
        QVERIFY2(job->state() == app::JobState::Done, qPrintable(job->error()));
        QVERIFY(QTest::qWaitFor([&] { return optimized.size() == 1; }, 5000));
        auto* layers = page->layers();
        QCOMPARE(layers->rowCount(), 2);
        QCOMPARE(layers->item(0, 1)->text(), QStringLiteral("4x1x3x3"));
        QVERIFY2(layers->item(0, 3)->text().contains(QStringLiteral("8 → 4")), qPrintable(layers->item(0, 3)->text()));
        QVERIFY(layers->item(1, 3)->text().startsWith(QLatin1String("kept")));
        QVERIFY(page->comparison()->item(0, 2)->text().contains(QLatin1String("smaller")));
    }

    // The Compare page offers the model's lineage, and lists the pruned layer's new shape beside the old one.
    void comparingAModelWithItsPrunedChild()
    {
        Bench b;
        const auto parent = b.library->importModel(fixture(QStringLiteral("cnn.pt")));
        auto* page = openOptimizePage(b, parent.id);
        page->operation()->setCurrentIndex(page->operation()->findData(QStringLiteral("prune")));
        page->structured()->setChecked(true);
        page->dataset()->setCurrentIndex(0);
        QSignalSpy optimized(page, &widgets::OptimizePage::optimized);
        app::Job* job = page->start();
        QVERIFY(job);
        QVERIFY(QTest::qWaitFor([&] { return optimized.size() == 1; }, 120000));

        b.window.showModel(parent.id);
        auto* compare = b.window.comparePage();
        b.window.findChild<QTabWidget*>()->setCurrentWidget(compare);
        QCOMPARE(compare->other()->count(), 1);
        QCOMPARE(compare->other()->currentData().toLongLong(), optimized.first().first().toLongLong());
        job = compare->start();
        QVERIFY(job);
        QVERIFY(QTest::qWaitFor([&] { return job->isFinished(); }, 120000));
        QVERIFY2(job->state() == app::JobState::Done, qPrintable(job->error()));
        QVERIFY(QTest::qWaitFor([&] { return compare->layers()->rowCount() > 0; }, 5000));
        auto* layers = compare->layers();
        QCOMPARE(layers->item(0, 0)->text(), QStringLiteral("features.0"));
        QVERIFY2(
            layers->item(0, 1)->text().startsWith(QLatin1String("8x1x3x3")), qPrintable(layers->item(0, 1)->text()));
        QVERIFY2(
            layers->item(0, 2)->text().startsWith(QLatin1String("4x1x3x3")), qPrintable(layers->item(0, 2)->text()));
        QCOMPARE(layers->item(0, 3)->text(), QStringLiteral("reshaped"));
        QVERIFY2(compare->status()->text().contains(QLatin1String("prune")), qPrintable(compare->status()->text()));
        QVERIFY(compare->numbers()->item(0, 2)->text().contains(QLatin1String("smaller")));
        QVERIFY(b.window.grab().save(QStringLiteral("workbench-compare.png")));
    }

    // The Benchmark page times a model and its child over two batch sizes and two thread counts: the
    // table has a row per model and configuration with ratios to the first model, the charts have a line per
    // model, a latency budget names a configuration, the library keeps every configuration, and the results
    // and charts export.
    void benchmarkingAModelAndItsChild()
    {
        Bench b;
        const auto parent = b.library->importModel(fixture(QStringLiteral("cnn.pt")));
        const auto child = b.library->importModel(fixture(QStringLiteral("lenet_traced.pt")), parent.id);
        b.library->importModel(fixture(QStringLiteral("mlp.pt"))); // another lineage: not offered
        b.window.showModel(parent.id);
        b.window.show();
        auto* page = b.window.benchmarkPage();
        b.window.findChild<QTabWidget*>()->setCurrentWidget(page);
        QCOMPARE(page->models()->count(), 2);
        QCOMPARE(page->models()->item(1)->checkState(), Qt::Checked);
        page->batches()->setText(QStringLiteral("1,0"));
        QVERIFY(!page->start());
        QVERIFY(page->status()->text().contains(QLatin1String("Batch sizes")));
        page->batches()->setText(QStringLiteral("1,4"));
        page->threads()->setText(QStringLiteral("1,2"));
        page->seconds()->setValue(0.1);
        auto* job = page->start();
        QVERIFY(job);
        QVERIFY(QTest::qWaitFor([&] { return job->isFinished(); }, 120000));
        QVERIFY2(job->state() == app::JobState::Done, qPrintable(job->error()));
        QVERIFY(QTest::qWaitFor([&] { return page->table()->rowCount() == 8; }, 5000));
        QVERIFY(page->table()->item(0, 7)->text().isEmpty()); // the first model is the reference
        QVERIFY(page->table()->item(4, 7)->text().endsWith(QStringLiteral("×")));
        QCOMPARE(page->throughputChart()->chart()->series().size(), 4); // 2 models x 2 thread counts
        QCOMPARE(page->threadsChart()->chart()->series().size(), 4); // 2 models x 2 batch sizes
        auto* histogram = qobject_cast<QLineSeries*>(page->histogramChart()->chart()->series().value(0));
        QVERIFY(histogram && histogram->count() > 0);
        QCOMPARE(page->histogramChart()->chart()->series().size(), 4); // calls, p50, p90, p99
        QCOMPARE(page->histogramChoice()->count(), 8);
        page->maxLatency()->setValue(100000);
        QVERIFY2(page->sweetSpot()->text().contains(QLatin1String("batch")), qPrintable(page->sweetSpot()->text()));
        QCOMPARE(b.library->benchmarks(child.id).size(), 4);
        QCOMPARE(page->historyChart()->chart()->series().size(), 4); // the parent's four configurations
        QVERIFY(!b.library->benchmarks(child.id).front().detailsJson.isEmpty());

        QTemporaryDir out;
        QCOMPARE(page->exportResults(out.filePath(QStringLiteral("r.csv"))), QString());
        QFile csv(out.filePath(QStringLiteral("r.csv")));
        QVERIFY(csv.open(QIODevice::ReadOnly));
        QCOMPARE(csv.readAll().trimmed().split('\n').size(), 9);
        QCOMPARE(page->exportResults(out.filePath(QStringLiteral("r.json"))), QString());
        QCOMPARE(widgets::saveViewPicture(page->throughputChart(), out.filePath(QStringLiteral("t.png"))), QString());
        QVERIFY(QImage(out.filePath(QStringLiteral("t.png"))).width() > 100);
        QCOMPARE(widgets::saveViewPicture(page->histogramChart(), out.filePath(QStringLiteral("h.svg"))), QString());
        QVERIFY(QFileInfo(out.filePath(QStringLiteral("h.svg"))).size() > 1000);
        QVERIFY(b.window.grab().save(QStringLiteral("workbench-benchmark.png")));
    }

    // The Profile page on a real CNN: a bar per layer, the operator table, a timeline and a flame graph; a
    // click on a layer shows it in the graph, which the profile colours by time; the trace exports.
    void profilingColoursTheGraph()
    {
        Bench b;
        const auto model = b.library->importModel(fixture(QStringLiteral("lenet_traced.pt")));
        b.window.showModel(model.id);
        b.window.show();
        auto* inspector = b.window.findChild<widgets::InspectorPage*>();
        QVERIFY(QTest::qWaitFor([&] { return !inspector->graphView()->graph().nodes.empty(); }, 60000));
        auto* page = b.window.profilePage();
        b.window.findChild<QTabWidget*>()->setCurrentWidget(page);
        page->inputShape()->setText(QStringLiteral("1,x"));
        QVERIFY(!page->start());
        QVERIFY(page->status()->text().contains(QLatin1String("not a shape")));
        page->inputShape()->clear();
        page->passes()->setValue(3);
        auto* job = page->start();
        QVERIFY(job);
        QVERIFY(QTest::qWaitFor([&] { return job->isFinished(); }, 120000));
        QVERIFY2(job->state() == app::JobState::Done, qPrintable(job->error()));
        QVERIFY(QTest::qWaitFor([&] { return page->shown() != nullptr; }, 5000));
        const auto& layers = page->layerBars()->layers();
        QVERIFY(layers.size() >= 4);
        QVERIFY(std::any_of(layers.begin(), layers.end(), [](const auto& l) { return l.flops > 0; }));
        QVERIFY(page->operators()->rowCount() > 3);
        QVERIFY(page->timeline()->eventCount() > 3);
        QVERIFY(page->flame()->boxes().size() >= 4); // the model and its three layers, at least
        QCOMPARE(b.library->benchmarks(model.id).back().kind, QStringLiteral("profile"));

        // The graph's nodes take the heat colours: a busier layer is darker.
        auto* graph = inspector->graphView();
        QVERIFY(graph->showsHeat());
        QVERIFY(inspector->heatAction()->isChecked());
        const auto& nodes = graph->graph().nodes;
        const auto nodeOf = [&](const std::string& module) {
            for (int i = 0; i < static_cast<int>(nodes.size()); ++i)
                if (nodes[i].module == module && !module.empty())
                    return i;
            return -1;
        };
        int busiestNode = -1, quietestNode = -1, busiestBar = -1;
        for (int i = 0; i < static_cast<int>(layers.size()); ++i) // largest first
            if (const int node = nodeOf(layers[i].module); node >= 0) {
                if (busiestNode < 0)
                    busiestNode = node, busiestBar = i;
                quietestNode = node;
            }
        QVERIFY(busiestNode >= 0 && quietestNode >= 0 && busiestNode != quietestNode);
        QVERIFY(graph->nodeFill(busiestNode).lightness() < graph->nodeFill(quietestNode).lightness());
        const auto heated = graph->nodeFill(busiestNode);
        inspector->heatAction()->trigger(); // off: the usual colours again
        QVERIFY(!graph->showsHeat());
        QVERIFY(graph->nodeFill(busiestNode) != heated);
        inspector->heatAction()->trigger();
        QCOMPARE(graph->nodeFill(busiestNode), heated);

        // A click on that layer's bar selects it in the graph.
        const auto bar = page->layerBars()->barRect(busiestBar);
        QTest::mouseClick(page->layerBars(), Qt::LeftButton, {}, bar.center().toPoint());
        QCOMPARE(b.window.findChild<QTabWidget*>()->currentWidget(), inspector);
        QCOMPARE(nodes[static_cast<std::size_t>(graph->selectedNode())].module,
            layers[static_cast<std::size_t>(busiestBar)].module);
        QVERIFY(b.window.grab().save(QStringLiteral("workbench-heatmap.png")));

        b.window.findChild<QTabWidget*>()->setCurrentWidget(page);
        QTemporaryDir out;
        QCOMPARE(page->exportTrace(out.filePath(QStringLiteral("trace.json"))), QString());
        QFile trace(out.filePath(QStringLiteral("trace.json")));
        QVERIFY(trace.open(QIODevice::ReadOnly));
        QVERIFY(nlohmann::json::parse(trace.readAll().toStdString())["traceEvents"].size() > 3);
        QVERIFY(!page->exportTrace(QStringLiteral("/no/such/folder/trace.json")).isEmpty());
        for (int tab = 0; tab < page->views()->count(); ++tab) {
            page->views()->setCurrentIndex(tab);
            QVERIFY(b.window.grab().save(QStringLiteral("workbench-profile-%1.png").arg(tab)));
        }
    }

    // A sparsity sweep draws nine variants and adds none until one is kept; the kept one is the parent's
    // child, pruned as its row says.
    void sweepingSparsityAndKeepingAVariant()
    {
        Bench b;
        const auto parent = b.library->importModel(fixture(QStringLiteral("cnn.pt")));
        auto* page = openOptimizePage(b, parent.id);
        page->operation()->setCurrentIndex(page->operation()->findData(QStringLiteral("prune")));
        QVERIFY(page->sweepButton()->isVisible());
        page->dataset()->setCurrentIndex(0);
        QVERIFY(!page->startSweep());
        QVERIFY2(page->status()->text().contains(QLatin1String("data set")), qPrintable(page->status()->text()));

        page->dataset()->setCurrentIndex(1);
        page->sampleLimit()->setValue(300);
        app::Job* job = page->startSweep();
        QVERIFY(job);
        QVERIFY(QTest::qWaitFor([&] { return job->isFinished(); }, 180000));
        QVERIFY2(job->state() == app::JobState::Done, qPrintable(job->error()));
        QVERIFY(QTest::qWaitFor([&] { return page->points()->rowCount() == 9; }, 5000));
        QCOMPARE(b.library->models().size(), 1); // nothing kept yet
        QCOMPARE(page->points()->item(6, 0)->text(), QStringLiteral("70%"));
        QVERIFY(b.window.grab().save(QStringLiteral("workbench-sweep.png")));

        QSignalSpy optimized(page, &widgets::OptimizePage::optimized);
        app::Job* keep = page->keepVariant(6);
        QVERIFY(keep);
        QVERIFY(QTest::qWaitFor([&] { return keep->isFinished(); }, 60000));
        QVERIFY2(keep->state() == app::JobState::Done, qPrintable(keep->error()));
        QCOMPARE(b.library->models().size(), 2);
        const auto models = b.library->models();
        const auto child = std::find_if(models.begin(), models.end(), [&](const auto& m) { return m.id != parent.id; });
        QCOMPARE(child->parentId.value_or(-1), parent.id);
        QCOMPARE(child->operation, QStringLiteral("prune"));
        QVERIFY(QTest::qWaitFor([&] { return optimized.size() == 1; }, 5000));
        // The kept variant's numbers are shown against the model swept, not against nothing.
        QVERIFY(page->comparison()->item(0, 0)->text() != QStringLiteral("0 B"));
        QVERIFY(!page->comparison()->item(6, 0)->text().startsWith(QLatin1String("0.0")));
        QVERIFY(!page->keepVariant(9)); // past the last row
    }

    void pausingAndCancellingTrainingAddsNothing()
    {
        Bench b;
        b.library->registerDataset(QStringLiteral("/usr/share/datasets/fashion-mnist"));
        auto* page = b.window.trainPage();
        page->reloadDatasets();
        page->architecture()->setCurrentIndex(page->architecture()->findData(QStringLiteral("cnn")));
        page->epochs()->setValue(5);
        page->sampleLimit()->setValue(20000);
        app::Job* job = page->start();
        QVERIFY(QTest::qWaitFor([&] { return page->trainLoss()->count() > 0 || job->isFinished(); }, 60000));
        // Pause holds the work between batches; Resume lets it go on; Cancel wakes a paused job.
        page->pauseButton()->click();
        QVERIFY(job->isPaused());
        // A batch already under way finishes (and may report) before the work is held; once held, and
        // the reports it posted are delivered, nothing moves, however slow the machine.
        QVERIFY(QTest::qWaitFor([&] { return job->isHeld(); }, 60000));
        QCoreApplication::sendPostedEvents();
        const double held = job->fraction();
        QTest::qWait(1000);
        QCOMPARE(job->fraction(), held);
        QVERIFY(!job->isFinished());
        page->pauseButton()->click();
        QVERIFY(!job->isPaused());
        QVERIFY(QTest::qWaitFor([&] { return job->fraction() > held; }, 60000));
        page->pauseButton()->click();
        QVERIFY(job->isPaused());
        job->cancel();
        QVERIFY(QTest::qWaitFor([&] { return job->isFinished(); }, 60000));
        QCOMPARE(job->state(), app::JobState::Cancelled);
        QCOMPARE(b.library->models().size(), 0);
    }

    void tryingModelsShowsTopClassesAndLatency()
    {
        Bench b;
        const auto cnn = b.library->importModel(fixture(QStringLiteral("cnn.pt")));
        const auto text = b.library->importModel(fixture(QStringLiteral("text.pt")));
        auto* page = b.window.tryItPage();
        b.window.showModel(cnn.id);
        b.window.show();
        app::Job* job = page->run({ fixture(QStringLiteral("cnn.image.png")) });
        QVERIFY(job);
        QVERIFY(QTest::qWaitFor([&] { return page->results()->topLevelItemCount() == 1 || job->isFinished(); }, 60000));
        QVERIFY(QTest::qWaitFor([&] { return page->results()->topLevelItemCount() == 1; }, 5000));
        QCOMPARE(page->results()->topLevelItem(0)->childCount(), 5);
        const QStringList fashion { QStringLiteral("T-shirt/top"), QStringLiteral("Trouser"),
            QStringLiteral("Pullover"), QStringLiteral("Dress"), QStringLiteral("Coat"), QStringLiteral("Sandal"),
            QStringLiteral("Shirt"), QStringLiteral("Sneaker"), QStringLiteral("Bag"), QStringLiteral("Ankle boot") };
        QVERIFY(fashion.contains(page->results()->topLevelItem(0)->child(0)->text(0)));
        QVERIFY(page->status()->text().contains(QLatin1String("latency")));

        // A wrong input is said on the page, in one sentence.
        job = page->run({ fixture(QStringLiteral("mlp.rows.csv")) });
        QVERIFY(QTest::qWaitFor([&] { return job->isFinished(); }, 60000));
        QVERIFY(QTest::qWaitFor([&] { return page->status()->text().contains(QLatin1String("'image'")); }, 5000));

        b.window.showModel(text.id);
        page->texts()->setPlainText(QStringLiteral("a great movie\nawful"));
        job = page->run();
        QVERIFY(job);
        QVERIFY(QTest::qWaitFor([&] { return page->results()->topLevelItemCount() == 2; }, 60000));
        QCOMPARE(page->results()->topLevelItem(0)->text(0), QStringLiteral("a great movie"));

        // A model over rows of numbers takes rows typed as CSV; its best class is PyTorch's.
        const auto iris = b.library->importModel(fixture(QStringLiteral("mlp.pt")));
        b.window.showModel(iris.id);
        QVERIFY(page->texts()->isVisibleTo(page));
        page->texts()->setPlainText(QStringLiteral("5.1, 3.5, 1.4, 0.2\n6.7,3,5.2,2.3"));
        job = page->run();
        QVERIFY(QTest::qWaitFor([&] { return job->isFinished(); }, 60000));
        QCOMPARE(page->results()->topLevelItemCount(), 2);
        QCOMPARE(page->results()->topLevelItem(0)->text(0), QStringLiteral("5.1, 3.5, 1.4, 0.2"));
        const auto expected = engine::readNpy(fixture(QStringLiteral("mlp.rows.output.npy")).toStdString()).toDoubles();
        const QStringList labels { QStringLiteral("setosa"), QStringLiteral("versicolor"),
            QStringLiteral("virginica") };
        for (int row = 0; row < 2; ++row) {
            const auto first = expected.begin() + row * 3;
            const int best = static_cast<int>(std::max_element(first, first + 3) - first);
            QCOMPARE(page->results()->topLevelItem(row)->child(0)->text(0), labels[best]);
        }
        QVERIFY(b.window.grab().save(QStringLiteral("workbench-tryit.png")));
        page->texts()->setPlainText(QStringLiteral("1, 2"));
        job = page->run();
        QVERIFY(QTest::qWaitFor([&] { return job->isFinished(); }, 60000));
        QCOMPARE(job->state(), app::JobState::Failed);
        QVERIFY2(
            page->status()->text().startsWith(QLatin1String("your input has 2 ")), qPrintable(page->status()->text()));
    }

    // Choosing the same model twice (re-selecting it, Open recent, dropping its file again) runs two
    // inspections at once; the first to finish used to read the second's unfinished job and crash.
    void twoInspectionsOfOneModelAtOnce()
    {
        Bench b;
        const auto mlp = b.library->importModel(fixture(QStringLiteral("mlp.pt")));
        app::Job* first = b.window.inspector()->inspect(mlp.path, mlp.name);
        app::Job* second = b.window.inspector()->inspect(mlp.path, mlp.name);
        QVERIFY(first != second);
        QVERIFY(QTest::qWaitFor([&] { return first->isFinished() && second->isFinished(); }, 60000));
        QCOMPARE(first->state(), app::JobState::Done);
        QCOMPARE(second->state(), app::JobState::Done);
        QVERIFY(QTest::qWaitFor([&] { return b.window.inspector()->tree()->topLevelItemCount() == 1; }, 5000));
        QCOMPARE(b.window.inspector()->tree()->topLevelItemCount(), 1); // shown once, not twice
    }

    // A transformer over token ids from PyTorch: the Inspect tab counts its compute on ids, [1, 32] INT64.
    void inspectingATokenModelCountsComputeOnIds()
    {
        Bench b;
        const auto model = b.library->importModel(fixture(QStringLiteral("token_transformer.pt")));
        b.window.showModel(model.id);
        QVERIFY(QTest::qWaitFor([&] { return b.window.inspector()->tree()->topLevelItemCount() == 1; }, 60000));
        QVERIFY2(b.window.inspector()->summary()->text().contains(QLatin1String("MACs for one sample [1, 32] INT64")),
            qPrintable(b.window.inspector()->summary()->text()));
    }

    void inspectorShowsTheLayerTree()
    {
        Bench b;
        const auto resnet = b.library->importModel(fixture(QStringLiteral("resnet18.pt")));
        b.window.showModel(resnet.id);
        auto* tree = b.window.inspector()->tree();
        QVERIFY(QTest::qWaitFor([&] { return tree->topLevelItemCount() == 1; }, 60000));
        QTreeWidgetItem* root = tree->topLevelItem(0);
        QCOMPARE(root->childCount(), 10); // conv1, bn1, relu, maxpool, layer1-4, avgpool, fc
        QCOMPARE(root->toolTip(2), QStringLiteral("11,689,512"));
        QTreeWidgetItem* conv1 = root->child(0);
        QCOMPARE(conv1->text(0), QStringLiteral("conv1"));
        QCOMPARE(conv1->child(0)->text(1), QStringLiteral("[64, 3, 7, 7] FP32"));
        QVERIFY(b.window.inspector()->summary()->text().contains(QLatin1String("11,689,512")));
        // Compute on one sample of the card's shape, as PyTorch's forward hooks count it.
        QFile factsFile(fixture(QStringLiteral("facts.json")));
        QVERIFY(factsFile.open(QIODevice::ReadOnly));
        const auto macs = nlohmann::json::parse(factsFile.readAll().toStdString())["resnet18"]["macs"].get<qint64>();
        const QString expected = app::formatCount(macs) + QStringLiteral(" MACs for one sample [1, 3, 224, 224]");
        QVERIFY2(b.window.inspector()->summary()->text().contains(expected),
            qPrintable(b.window.inspector()->summary()->text()));

        // The graph tab: laid out by Graphviz, one box per node, a click shows the node's weights.
        auto* graph = b.window.inspector()->graphView();
        QCOMPARE(static_cast<int>(graph->graph().nodes.size()), 71); // input, 69 operators, output
        const auto& nodes = graph->graph().nodes;
        const auto conv
            = std::find_if(nodes.begin(), nodes.end(), [](const auto& n) { return n.module == "layer3.0.conv1"; });
        QVERIFY(conv != nodes.end());
        int boxes = 0;
        for (QGraphicsItem* item : graph->scene()->items())
            boxes += item->flags().testFlag(QGraphicsItem::ItemIsSelectable);
        QCOMPARE(boxes, 71);
        // Dot draws top to bottom: every edge starts above where it ends.
        QList<QRectF> rects(71);
        for (QGraphicsItem* item : graph->scene()->items())
            if (item->flags().testFlag(QGraphicsItem::ItemIsSelectable))
                rects[item->data(0).toInt()] = item->boundingRect();
        for (const auto& edge : graph->graph().edges)
            QVERIFY(rects[int(edge.from)].center().y() < rects[int(edge.to)].center().y());
        b.window.resize(1200, 800);
        b.window.show();
        b.window.showInspector();
        b.window.inspector()->sections()->setCurrentIndex(1);
        graph->selectNode(static_cast<int>(conv - nodes.begin()));
        auto* details = b.window.inspector()->nodeDetails();
        QCOMPARE(details->topLevelItem(0)->text(1), QStringLiteral("aten::conv2d"));
        QCOMPARE(details->findItems(QStringLiteral("weight"), Qt::MatchExactly).value(0)->text(1),
            QStringLiteral("layer3.0.conv1.weight [256, 128, 3, 3]"));
        // Find: the next node whose operator or module matches, wrapping around.
        const int firstFc = graph->findNext(QStringLiteral("fc"));
        QCOMPARE(graph->graph().nodes[firstFc].module, std::string("fc"));
        QCOMPARE(graph->selectedNode(), firstFc);
        const int firstAdd = graph->findNext(QStringLiteral("add_"));
        QCOMPARE(graph->graph().nodes[firstAdd].op, std::string("aten::add_"));
        QVERIFY(graph->findNext(QStringLiteral("add_")) > firstAdd);
        QCOMPARE(graph->findNext(QStringLiteral("no such thing")), -1);
        graph->selectNode(static_cast<int>(conv - nodes.begin()));
        const double before = graph->zoom();
        const QPointF centre = graph->viewport()->rect().center();
        QWheelEvent wheel(centre, graph->viewport()->mapToGlobal(centre), QPoint(), QPoint(0, 120), Qt::NoButton,
            Qt::ControlModifier, Qt::NoScrollPhase, false);
        QApplication::sendEvent(graph->viewport(), &wheel);
        QVERIFY(graph->zoom() > before);
        QVERIFY(b.window.grab().save(QStringLiteral("workbench-graph.png")));
        // The whole graph as a picture: SVG with the operators' names, PNG at twice the scene's size.
        QTemporaryDir pictures;
        QCOMPARE(graph->savePicture(pictures.filePath(QStringLiteral("graph.svg"))), QString());
        QFile svg(pictures.filePath(QStringLiteral("graph.svg")));
        QVERIFY(svg.open(QIODevice::ReadOnly));
        const QByteArray drawing = svg.readAll();
        QVERIFY(drawing.contains("<svg"));
        QVERIFY(drawing.contains("layer3.0.conv1"));
        QCOMPARE(graph->savePicture(pictures.filePath(QStringLiteral("graph.png"))), QString());
        const QImage png(pictures.filePath(QStringLiteral("graph.png")));
        QCOMPARE(png.size(), (graph->scene()->sceneRect().size() * 2).toSize());
        QVERIFY(!graph->savePicture(QStringLiteral("/proc/no-such-dir/graph.png")).isEmpty());
        QVERIFY(!QFileInfo::exists(QStringLiteral("/proc/no-such-dir/graph.png")));
    }

    // The Overview reads as a summary, not raw JSON; the form is one click away.
    void overviewSummarizesTheCard()
    {
        Bench b;
        const auto cnn = b.library->importModel(fixture(QStringLiteral("cnn.pt")));
        b.window.showModel(cnn.id);
        const QString summary = b.window.overview()->cardSummary()->text();
        QVERIFY2(!summary.contains(QLatin1Char('{')), qPrintable(summary));
        QVERIFY2(summary.contains(QStringLiteral("FP32 [N × 1 × 28 × 28]")), qPrintable(summary));
        QVERIFY2(summary.contains(QLatin1String("Ankle boot")) && summary.contains(QLatin1String("grayscale")),
            qPrintable(summary));
        QVERIFY2(summary.contains(QLatin1String("imported")), qPrintable(summary));
        b.window.overview()->editCardButton()->click();
        QCOMPARE(b.window.inspector()->sections()->currentWidget()->findChild<widgets::CardEditor*>(),
            b.window.inspector()->cardEditor());
    }

    void measuringLatencyFillsTheLibrary()
    {
        Bench b;
        const auto cnn = b.library->importModel(fixture(QStringLiteral("cnn.pt")));
        b.window.showModel(cnn.id);
        QCOMPARE(b.window.overview()->statText(3), QStringLiteral("—"));
        b.window.overview()->measureButton()->click();
        QVERIFY(!b.window.overview()->measureButton()->isEnabled());
        QVERIFY(QTest::qWaitFor([&] { return b.window.overview()->measureButton()->isEnabled(); }, 60000));
        const auto results = b.library->benchmarks(cnn.id);
        QCOMPARE(results.size(), 1);
        QCOMPARE(results.front().batch, 1);
        QVERIFY(results.front().p50Ms > 0 && results.front().p50Ms <= results.front().p90Ms);
        // The jobs dock takes you back: the measure job opens this model's overview, from anywhere.
        const auto other = b.library->importModel(fixture(QStringLiteral("mlp.pt")));
        b.window.showModel(other.id);
        b.window.showTraining();
        auto* jobsView = b.window.jobsPanel()->view();
        int measureRow = -1;
        for (int row = 0; row < jobsView->model()->rowCount(); ++row)
            if (jobsView->model()->index(row, 0).data().toString().startsWith(QLatin1String("Measure")))
                measureRow = row;
        QVERIFY(measureRow >= 0);
        Q_EMIT jobsView->activated(jobsView->model()->index(measureRow, 0));
        QCOMPARE(b.window.currentModel().value_or(-1), cnn.id);
        QVERIFY(b.window.overview()->isVisibleTo(&b.window)); // the Overview tab is the current one again
        QCOMPARE(b.library->model(cnn.id)->latencyMs, results.front().p50Ms);
        QVERIFY2(b.window.overview()->statText(3).contains(QLatin1String("ms"))
                || b.window.overview()->statText(3).contains(QStringLiteral("µs")),
            qPrintable(b.window.overview()->statText(3)));
    }

    void editingTheCardRewritesTheModel()
    {
        Bench b;
        const auto before = b.library->importModel(fixture(QStringLiteral("mlp_nocard.pt")));
        b.window.showModel(before.id);
        auto* editor = b.window.inspector()->cardEditor();
        QVERIFY(editor->isEnabled());
        QCOMPARE(editor->inputs()->rowCount(), 1);
        editor->labels()->setPlainText(QStringLiteral("setosa\nversicolor\nvirginica\n"));
        editor->task()->setCurrentText(QStringLiteral("classification"));
        editor->mean()->setText(QStringLiteral("5.8, 3.0, 3.7, 1.2"));
        editor->stddev()->setText(QStringLiteral("0.8 0.4 1.7 0.7"));

        // Wrong fields: one sentence naming the field, and nothing is written.
        editor->inputs()->item(0, 2)->setText(QStringLiteral("-1, four"));
        QSignalSpy requested(editor, &widgets::CardEditor::saveRequested);
        editor->saveButton()->click();
        QCOMPARE(requested.size(), 0);
        QVERIFY(!editor->error()->isHidden());
        QVERIFY2(editor->error()->text().contains(QLatin1String("four")), qPrintable(editor->error()->text()));
        editor->inputs()->item(0, 2)->setText(QStringLiteral("-1, 4"));
        editor->inputs()->item(0, 1)->setText(QStringLiteral("FP99"));
        editor->saveButton()->click();
        QCOMPARE(requested.size(), 0);
        QVERIFY2(editor->error()->text().contains(QLatin1String("FP99")), qPrintable(editor->error()->text()));
        editor->inputs()->item(0, 1)->setText(QStringLiteral("FP32"));

        // Two labels for the MLP's three outputs: the engine refuses them in the form, and nothing is written.
        editor->labels()->setPlainText(QStringLiteral("setosa\nother\n"));
        editor->saveButton()->click();
        QCOMPARE(requested.size(), 1);
        QVERIFY(QTest::qWaitFor([&] { return editor->error()->text().contains(QLatin1String("3 outputs")); }, 60000));
        QVERIFY2(editor->error()->text().contains(QLatin1String("2 labels")), qPrintable(editor->error()->text()));
        QCOMPARE(b.library->model(before.id)->sha256, before.sha256);
        editor->labels()->setPlainText(QStringLiteral("setosa\nversicolor\nvirginica\n"));

        editor->saveButton()->click();
        QCOMPARE(requested.size(), 2);
        QVERIFY(QTest::qWaitFor([&] { return b.library->model(before.id)->sha256 != before.sha256; }, 60000));
        const auto after = *b.library->model(before.id);
        QVERIFY(!QFileInfo::exists(before.path));
        const auto card = engine::Model::load(after.path.toStdString()).card();
        QCOMPARE(card.labels, (std::vector<std::string> { "setosa", "versicolor", "virginica" }));
        QCOMPARE(card.preprocessing.std, (std::vector<double> { 0.8, 0.4, 1.7, 0.7 }));
        QCOMPARE(card.task, std::string("classification"));
        QVERIFY(!card.inferred);
        QCOMPARE(after.sha256.toStdString(), engine::sha256File(after.path.toStdString()));
        QVERIFY(b.window.banner()->text().contains(after.name));
        b.window.show();
        b.window.showInspector();
        b.window.inspector()->sections()->setCurrentIndex(2);
        QVERIFY(b.window.grab().save(QStringLiteral("workbench-card.png")));
    }

    void libraryTreeSortsAndFilters()
    {
        QTemporaryDir dir;
        auto library = app::Library::open(dir.path());
        for (const char* f : { "mlp.pt", "cnn.pt", "resnet18.pt", "text.pt" })
            library->importModel(fixture(QLatin1String(f)));
        app::LibraryModel model(library.get());
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        widgets::LibraryPanel panel(&model);
        QAbstractItemModelTester proxyTester(
            panel.view()->model(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        QCOMPARE(panel.view()->model()->rowCount(), 4);
        panel.filter()->setText(QStringLiteral("image"));
        QCOMPARE(panel.view()->model()->rowCount(), 2); // resnet18 (inferred card) and the CNN
        panel.filter()->clear();
        panel.view()->sortByColumn(app::LibraryModel::Parameters, Qt::DescendingOrder);
        QCOMPARE(
            panel.view()->model()->index(0, app::LibraryModel::Name).data().toString(), QStringLiteral("resnet18"));
        library->setTags(library->models().front().id, { QStringLiteral("tabular") });
        model.reload();
        panel.filter()->setText(QStringLiteral("tabular"));
        QCOMPARE(panel.view()->model()->rowCount(), 1);

        // A variant sits under its model; filtering for it keeps the model it came from.
        panel.filter()->clear();
        const auto iris = library->models().front();
        const auto variant = library->importModel(fixture(QStringLiteral("mlp_nocard.pt")), iris.id);
        model.reload();
        QCOMPARE(model.rowCount(), 4);
        const QModelIndex parent = model.indexOf(iris.id);
        QCOMPARE(model.rowCount(parent), 1);
        QCOMPARE(model.index(0, 0, parent).data(app::LibraryModel::IdRole).toLongLong(), variant.id);
        QCOMPARE(model.parent(model.indexOf(variant.id)), parent);
        panel.filter()->setText(QStringLiteral("nocard"));
        QCOMPARE(panel.view()->model()->rowCount(), 1);
        QCOMPARE(panel.view()->model()->rowCount(panel.view()->model()->index(0, 0)), 1);
        // With its parent in the trash, the variant stands at the top.
        library->trash(iris.id);
        model.reload();
        QCOMPARE(model.rowCount(), 4);
        QVERIFY(!model.parent(model.indexOf(variant.id)).isValid());
    }

    // File > Export to ONNX: a job writes the file and the banner says what it wrote; a folder as the
    // target fails in the banner with the reason, and nothing is written into it.
    void exportingToOnnxFromTheFileMenu()
    {
        Bench b;
        const auto entry = b.library->importModel(fixture(QStringLiteral("cnn.pt")));
        QVERIFY(!b.window.exportToOnnx(QStringLiteral("nothing.onnx"))); // no model shown yet
        b.window.showModel(entry.id);
        const auto actions = b.window.menuBar()->actions().first()->menu()->actions();
        QVERIFY(std::any_of(
            actions.begin(), actions.end(), [](QAction* a) { return a->text().contains(QLatin1String("ONNX")); }));
        QTemporaryDir dir;
        const QString target = dir.filePath(QStringLiteral("cnn.onnx"));
        auto* job = b.window.exportToOnnx(target);
        QVERIFY(job);
        QVERIFY(QTest::qWaitFor([&] { return job->isFinished(); }, 120000));
        QCOMPARE(job->state(), app::JobState::Done);
        QVERIFY(QFileInfo(target).size() > 1000);
        QVERIFY2(b.window.banner()->text().contains(QLatin1String("opset 17")), qPrintable(b.window.banner()->text()));
        const QString folder = dir.filePath(QStringLiteral("target.onnx"));
        QVERIFY(QDir().mkpath(folder));
        job = b.window.exportToOnnx(folder);
        QVERIFY(QTest::qWaitFor([&] { return job->isFinished(); }, 120000));
        QCOMPARE(job->state(), app::JobState::Failed);
        QVERIFY2(b.window.banner()->text().contains(QLatin1String("folder")), qPrintable(b.window.banner()->text()));
        QVERIFY(QDir(folder).isEmpty());
    }

    // Export to ONNX on the Optimize page: its own rows (opset, file), a job, the opset and the checker's
    // verdict in the status; the file is listed under its model in the library, once per path. An empty file
    // name or a folder is refused on the page, with no job.
    void exportingToOnnxFromTheOptimizePage()
    {
        Bench b;
        const auto entry = b.library->importModel(fixture(QStringLiteral("cnn.pt")));
        auto* page = openOnnxExport(b, entry.id);
        QVERIFY(page->opset()->isVisible() && page->exportPath()->isVisible());
        QVERIFY(!page->comparison()->isVisible() && !page->dataset()->isVisible());
        const auto suggested = QFileInfo(page->exportPath()->text()).fileName(); // cnn.onnx, or cnn-2.onnx if taken
        QVERIFY2(suggested.contains(QLatin1String("cnn")) && suggested.endsWith(QLatin1String(".onnx")),
            qPrintable(suggested));
        QVERIFY(!QFileInfo::exists(page->exportPath()->text()));
        QCOMPARE(page->startButton()->text(), QStringLiteral("Export"));

        page->exportPath()->clear();
        QVERIFY(!page->start());
        QVERIFY(page->status()->text().contains(QLatin1String("file")));
        QTemporaryDir dir;
        page->exportPath()->setText(dir.path());
        QVERIFY(!page->start());
        QVERIFY(page->status()->text().contains(QLatin1String("folder")));

        const QString target = dir.filePath(QStringLiteral("small.onnx"));
        for (int round = 0; round < 2; ++round) // the same file again: one row, not two
            QCOMPARE(exportOnPage(page, target, 13), app::JobState::Done);
        QVERIFY2(page->status()->text().contains(QLatin1String("opset 13"))
                && page->status()->text().contains(QLatin1String("checker")),
            qPrintable(page->status()->text()));
        QVERIFY(page->startButton()->isEnabled());
        auto* tree = b.window.libraryPanel()->view()->model();
        const auto modelRow = tree->index(0, 0);
        QCOMPARE(tree->rowCount(modelRow), 1);
        const auto exportRow = tree->index(0, 0, modelRow);
        QVERIFY(exportRow.data(app::LibraryModel::ExportRole).toBool());
        QCOMPARE(exportRow.data().toString(), QStringLiteral("small.onnx"));
        QCOMPARE(exportRow.siblingAtColumn(app::LibraryModel::Task).data().toString(),
            QStringLiteral("ONNX export, opset 13"));
        QCOMPARE(exportRow.data(app::LibraryModel::IdRole).toLongLong(), entry.id);
        QCOMPARE(tree->rowCount(exportRow), 0);
    }

    // An export listed under its model: one that has gone says so, the filter keeps a model's exports,
    // choosing one opens the file in the inspector (read without running it), and the Delete key takes it
    // off the list after asking, leaving the file.
    void exportsListedUnderTheirModel()
    {
        Bench b;
        const auto entry = b.library->importModel(fixture(QStringLiteral("cnn.pt")));
        auto* page = openOnnxExport(b, entry.id);
        QTemporaryDir dir;
        const QString gone = dir.filePath(QStringLiteral("small.onnx")),
                      kept = dir.filePath(QStringLiteral("other.onnx"));
        QCOMPARE(exportOnPage(page, gone, 13), app::JobState::Done);
        QVERIFY(QFile::remove(gone));
        auto* tree = b.window.libraryPanel()->view()->model();
        b.window.libraryPanel()->filter()->setText(QStringLiteral("cnn"));
        QCOMPARE(tree->rowCount(tree->index(0, 0)), 1);
        b.window.libraryPanel()->filter()->clear();
        QCOMPARE(exportOnPage(page, kept, 13), app::JobState::Done);
        const auto rows = tree->index(0, 0);
        QCOMPARE(tree->rowCount(rows), 2);
        const QStringList names { tree->index(0, 0, rows).data().toString(),
            tree->index(1, 0, rows).data().toString() };
        QVERIFY2(names.contains(QStringLiteral("small.onnx (moved or deleted)"))
                && names.contains(QStringLiteral("other.onnx")),
            qPrintable(names.join(QLatin1String(", "))));

        b.window.showExport(entry.id, kept);
        auto* inspector = b.window.findChild<widgets::InspectorPage*>();
        QVERIFY(QTest::qWaitFor(
            [&] { return inspector->summary()->text().contains(QLatin1String("ONNX opset 13")); }, 60000));
        QVERIFY(inspector->isVisible());
        QVERIFY(inspector->tree()->topLevelItemCount() > 0);
        b.window.showExport(entry.id, gone);
        QVERIFY2(b.window.banner()->text().contains(QLatin1String("no longer there")),
            qPrintable(b.window.banner()->text()));

        const auto forgotten = b.library->exports().front().id;
        answerNextMessageBox(QMessageBox::Cancel);
        QVERIFY(!b.window.forgetExport(forgotten));
        answerNextMessageBox(QMessageBox::Yes);
        QVERIFY(b.window.forgetExport(forgotten));
        QCOMPARE(b.library->exports().size(), 1);
        QCOMPARE(tree->rowCount(tree->index(0, 0)), 1);
        QVERIFY(QFileInfo::exists(kept));
    }

    // The status bar speaks in words; OpenBLAS's build flags live in the tooltip.
    void statusBarSaysTheRuntimeInWords()
    {
        Bench b;
        const QString text = b.window.runtimeLabel()->text();
        QVERIFY2(QRegularExpression(QStringLiteral("^\\d+ threads? · LibTorch \\d+\\.\\d+ · ")).match(text).hasMatch(),
            qPrintable(text));
        QVERIFY2(!text.contains(QLatin1String("OpenMP")) && text.size() < 60, qPrintable(text));
        QVERIFY(b.window.runtimeLabel()->toolTip().contains(QLatin1String("OpenMP")));
    }

    // The jobs dock is as tall as two jobs, not a third of the window.
    void jobsDockFitsItsContent()
    {
        QSettings().remove(QStringLiteral("window/state"));
        Bench b;
        b.window.resize(1200, 760);
        b.window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&b.window));
        const int height = b.window.jobsPanel()->height();
        QVERIFY2(height <= b.window.jobsPanel()->sizeHint().height() + 8 && height < 760 / 6,
            qPrintable(QString::number(height)));
    }

    void dropPlansNameWhatTheyDo()
    {
        const auto plan = app::Drops::plan({ fixture(QStringLiteral("mlp.pt")), fixture(QStringLiteral("mlp.rows.csv")),
            fixture(QStringLiteral("cnn.image.png")), fixture(QStringLiteral("bad_legacy_pickle.pt")) });
        QCOMPARE(plan.models.size(), 1);
        QCOMPARE(plan.datasets.size(), 1);
        QCOMPARE(plan.unusable.size(), 2);
        QVERIFY(plan.summary().contains(QLatin1String("1 model")));
    }

    void speaksChinese()
    {
        QCOMPARE(
            app::installTranslations(*QCoreApplication::instance(), QStringLiteral("zh_CN")), QStringLiteral("zh_CN"));
        const auto translators = [] {
            return QCoreApplication::instance()
                ->findChildren<QTranslator*>(QString(), Qt::FindDirectChildrenOnly)
                .size();
        };
        const auto installed = translators();
        QVERIFY(installed >= 1);
        {
            Bench b;
            const auto menus = b.window.menuBar()->actions();
            QVERIFY(!menus.isEmpty());
            QCOMPARE(menus.first()->text(), QStringLiteral("文件(&F)"));
            b.window.show();
            QVERIFY(b.window.grab().save(QStringLiteral("workbench-zh_CN.png")));
        }
        // Switching back (as Settings do, rebuilding the window) drops the Chinese translations.
        QCOMPARE(app::installTranslations(*QCoreApplication::instance(), QStringLiteral("en")), QStringLiteral("en"));
        Bench english;
        QCOMPARE(english.window.menuBar()->actions().first()->text(), QStringLiteral("&File"));
        QCOMPARE(
            app::installTranslations(*QCoreApplication::instance(), QStringLiteral("zh_CN")), QStringLiteral("zh_CN"));
        QCOMPARE(translators(), installed); // replaced, not piled up
        app::installTranslations(*QCoreApplication::instance(), QStringLiteral("en"));
    }
};

QTEST_MAIN(TestWorkbench)
#include "tst_workbench.moc"
