// The Publish page and remote Try it, driven offscreen against the real local endpoint (a maas-serve
// started on loopback by the page's own code), with a PNG of each state.
#include <QComboBox>
#include <QDir>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QSpinBox>
#include <QStandardPaths>
#include <QTableWidget>
#include <QTreeWidget>
#include <QtTest>

#include "maas/app/endpoints.h"
#include "maas/app/jobs.h"
#include "maas/app/library.h"
#include "maas/app/localendpoint.h"
#include "maas/widgets/messagebanner.h"
#include "maas/widgets/publishpage.h"
#include "maas/widgets/tryitpage.h"

using maas::widgets::PublishPage;

namespace {

maas::app::ModelEntry entryFor(const char* file, const char* name)
{
    maas::app::ModelEntry e;
    e.id = 1;
    e.name = QString::fromLatin1(name);
    e.path = QStringLiteral(MAAS_FIXTURES_DIR "/") + QLatin1String(file);
    return e;
}

bool listed(QTreeWidget* tree, const QString& name, const QString& state)
{
    for (int i = 0; i < tree->topLevelItemCount(); ++i)
        if (tree->topLevelItem(i)->text(0) == name && tree->topLevelItem(i)->text(2) == state)
            return true;
    return false;
}

// A Publish page on screen with a fixture's model chosen.
struct ShownPage {
    maas::app::JobManager jobs;
    PublishPage page { &jobs };
    ShownPage(const char* file, const char* name)
    {
        page.resize(1200, 800);
        page.show();
        page.setModel(entryFor(file, name));
    }
};

} // namespace

class TestPublishPage : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        qputenv("MAAS_SERVE", MAAS_SERVE);
        qputenv("MAAS_KEYCHAIN", "off");
        maas::app::LocalEndpoint::stop();
        QDir(maas::app::LocalEndpoint::folder()).removeRecursively();
        QFile::remove(maas::app::EndpointStore::file());
        maas::app::Endpoint down;
        down.name = QStringLiteral("down");
        down.url = QStringLiteral("http://127.0.0.1:9"); // nothing listens there
        maas::app::EndpointStore::save(down);
    }
    void cleanupTestCase() { maas::app::LocalEndpoint::stop(); }
    void publishesVerifiesAndLists();
    void remoteTryIt();
    void endpointThatIsDownShowsTheError();
    void onnxFormIsRefusedByTheLocalEndpointWithWhereItGoes();
    void onnxOptionsAreCheckedAndUsed();
};

void TestPublishPage::publishesVerifiesAndLists()
{
    ShownPage shown("cnn.pt", "Fashion CNN");
    auto& page = shown.page;
    QTRY_VERIFY_WITH_TIMEOUT(page.config()->toPlainText().contains(QLatin1String("pytorch_libtorch")), 30000);
    QVERIFY(page.config()->toPlainText().contains(QLatin1String("\"name\": \"Fashion-CNN\"")));
    QVERIFY(page.selectEndpoint(QStringLiteral("local")));
    auto* job = page.publish();
    QVERIFY(job);
    QVERIFY(!page.publish()); // one at a time
    QTRY_VERIFY_WITH_TIMEOUT(page.progress()->value() > 0, 60000);
    page.grab().save(QStringLiteral("workbench-publish-progress.png"));
    QTRY_VERIFY_WITH_TIMEOUT(job->isFinished(), 120000);
    QCOMPARE(job->state(), maas::app::JobState::Done);
    QVERIFY2(
        page.verdict()->text().startsWith(QLatin1String("Verification passed")), qPrintable(page.verdict()->text()));
    QVERIFY(page.verification()->rowCount() > 0);
    QCOMPARE(page.verification()->item(0, 1)->text().section(QLatin1Char(' '), 0, 0),
        page.verification()->item(0, 2)->text().section(QLatin1Char(' '), 0, 0));
    QTRY_VERIFY_WITH_TIMEOUT(listed(page.repository(), QStringLiteral("Fashion-CNN"), QStringLiteral("READY")), 30000);
    page.grab().save(QStringLiteral("workbench-publish.png"));
}

void TestPublishPage::remoteTryIt()
{
    maas::app::JobManager jobs;
    maas::widgets::TryItPage page(&jobs);
    page.resize(900, 600);
    page.show();
    page.setModel(entryFor("cnn.pt", "Fashion CNN")); // published by the test before
    QVERIFY(page.setTarget(QStringLiteral("local")));
    auto* job = page.run({ QStringLiteral(MAAS_FIXTURES_DIR "/cnn.image.png") });
    QVERIFY(job);
    QTRY_VERIFY_WITH_TIMEOUT(job->isFinished(), 60000);
    QVERIFY2(job->state() == maas::app::JobState::Done, qPrintable(job->error()));
    QCOMPARE(page.results()->topLevelItemCount(), 1);
    QVERIFY(page.results()->topLevelItem(0)->childCount() > 0);
    QVERIFY(page.status()->text().startsWith(QLatin1String("round trip")));
    page.grab().save(QStringLiteral("workbench-tryit-remote.png"));
}

// The ONNX form: its config is read from the exported file; maas-serve serves TorchScript and says where
// the ONNX form goes. (Publishing it to an endpoint that runs ONNX is the onnx test's, against ONNX Runtime.)
void TestPublishPage::onnxFormIsRefusedByTheLocalEndpointWithWhereItGoes()
{
    ShownPage shown("cnn.pt", "Fashion CNN onnx");
    auto& page = shown.page;
    QTRY_VERIFY_WITH_TIMEOUT(page.config()->toPlainText().contains(QLatin1String("pytorch_libtorch")), 30000);
    page.format()->setCurrentIndex(page.format()->findData(QStringLiteral("onnx")));
    QTRY_VERIFY_WITH_TIMEOUT(page.config()->toPlainText().contains(QLatin1String("onnxruntime_onnx")), 60000);
    QVERIFY(page.selectEndpoint(QStringLiteral("local")));
    auto* job = page.publish();
    QVERIFY(job);
    QTRY_VERIFY_WITH_TIMEOUT(job->isFinished(), 120000);
    QCOMPARE(job->state(), maas::app::JobState::Failed);
    QVERIFY(page.banner()->isVisible());
    QVERIFY2(page.banner()->text().contains(QLatin1String("Triton server with the onnxruntime backend")),
        qPrintable(page.banner()->text()));
    QVERIFY(!listed(page.repository(), QStringLiteral("Fashion-CNN-onnx"), QStringLiteral("READY")));
    page.grab().save(QStringLiteral("workbench-publish-onnx.png"));
}

// The ONNX form's opset and input shape: only for that form, a shape that is not one refused on the page
// before any job, and a shape the model does not take refused by the export with the engine's sentence.
void TestPublishPage::onnxOptionsAreCheckedAndUsed()
{
    ShownPage shown("cnn.pt", "Fashion CNN options");
    auto& page = shown.page;
    QTRY_VERIFY_WITH_TIMEOUT(page.config()->toPlainText().contains(QLatin1String("pytorch_libtorch")), 30000);
    QVERIFY(!page.opset()->isEnabled());
    QVERIFY(!page.inputShape()->isEnabled());
    page.format()->setCurrentIndex(page.format()->findData(QStringLiteral("onnx")));
    QVERIFY(page.opset()->isEnabled());
    QVERIFY(page.inputShape()->isEnabled());
    QTRY_VERIFY_WITH_TIMEOUT(page.config()->toPlainText().contains(QLatin1String("onnxruntime_onnx")), 60000);

    page.inputShape()->setText(QStringLiteral("1,x,28"));
    Q_EMIT page.inputShape()->editingFinished();
    QVERIFY(page.banner()->isVisible());
    QVERIFY2(
        page.banner()->text().contains(QLatin1String("'1,x,28' is not a shape")), qPrintable(page.banner()->text()));
    QVERIFY(page.config()->toPlainText().isEmpty()); // no config of another shape left to send
    QVERIFY(!page.publish());

    page.banner()->hide();
    page.inputShape()->setText(QStringLiteral("1,30,30"));
    Q_EMIT page.inputShape()->editingFinished();
    QTRY_VERIFY_WITH_TIMEOUT(page.banner()->isVisible(), 60000);
    QVERIFY2(page.banner()->text().contains(QLatin1String("input shape given [1, 30, 30]")),
        qPrintable(page.banner()->text()));
    QVERIFY(page.config()->toPlainText().isEmpty());

    page.opset()->setValue(13);
    page.inputShape()->setText(QStringLiteral("1,28,28"));
    Q_EMIT page.inputShape()->editingFinished();
    QTRY_VERIFY_WITH_TIMEOUT(page.config()->toPlainText().contains(QLatin1String("onnxruntime_onnx")), 60000);
    QVERIFY(!page.banner()->isVisible()); // the shape's error went with it
    page.grab().save(QStringLiteral("workbench-publish-onnx-options.png"));
}

void TestPublishPage::endpointThatIsDownShowsTheError()
{
    ShownPage shown("mlp.pt", "mlp");
    auto& page = shown.page;
    QTRY_VERIFY_WITH_TIMEOUT(!page.config()->toPlainText().isEmpty(), 30000);
    QVERIFY(page.selectEndpoint(QStringLiteral("down")));
    auto* job = page.publish();
    QTRY_VERIFY_WITH_TIMEOUT(job->isFinished(), 60000);
    QCOMPARE(job->state(), maas::app::JobState::Failed);
    QVERIFY(page.banner()->isVisible());
    QCOMPARE(page.banner()->kind(), maas::widgets::MessageBanner::Kind::Error);
    QVERIFY2(page.banner()->text().contains(QLatin1String("cannot reach down")), qPrintable(page.banner()->text()));
    page.grab().save(QStringLiteral("workbench-publish-error.png"));
    // A config that is not JSON is refused on the page, before any job.
    page.config()->setPlainText(QStringLiteral("{ not json"));
    QVERIFY(!page.publish());
    QVERIFY(page.banner()->text().contains(QLatin1String("not a JSON object")));
}

QTEST_MAIN(TestPublishPage)
#include "tst_publishpage.moc"
