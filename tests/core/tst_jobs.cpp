// Jobs on worker threads: throttled progress, step ends, final states, cancel, and a real training job
// while the event loop stays responsive.
#include <QtTest>

#include <QAbstractItemModelTester>
#include <QElapsedTimer>
#include <QTimer>

#include <thread>

#include <nlohmann/json.hpp>

#include "maas/app/jobs.h"
#include "maas/engine/architectures.h"
#include "maas/engine/dataset.h"
#include "maas/engine/error.h"
#include "maas/engine/training.h"

using namespace maas::app;

namespace {

bool waitFinished(Job* job, int ms = 120000)
{
    return QTest::qWaitFor([job] { return job->isFinished(); }, ms);
}

} // namespace

class TestJobs : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void progressIsThrottledButStepsAreNot()
    {
        JobManager jobs;
        QAbstractItemModelTester tester(&jobs, QAbstractItemModelTester::FailureReportingMode::QtTest);
        Job* job = jobs.start(QStringLiteral("count"), [](const JobContext& context) {
            for (int i = 1; i <= 2000; ++i) {
                maas::engine::Progress p;
                p.fraction = i / 2000.0;
                p.metrics = { { "i", i } };
                p.epochEnd = i % 400 == 0;
                context.progress(p);
                std::this_thread::sleep_for(std::chrono::microseconds(100));
            }
            return QVariant(42);
        });
        QSignalSpy progressed(job, &Job::progressed), steps(job, &Job::stepEnded), finished(job, &Job::finished);
        QVERIFY(waitFinished(job));
        QCOMPARE(job->state(), JobState::Done);
        QCOMPARE(job->result().toInt(), 42);
        QCOMPARE(steps.size(), 5);
        QCOMPARE(steps.last().first().toMap().value(QStringLiteral("i")).toInt(), 2000);
        QVERIFY(progressed.size() >= 1);
        QVERIFY2(progressed.size() < 200, qPrintable(QString::number(progressed.size()))); // 2,000 reports, throttled
        QCOMPARE(finished.size(), 1);
        QCOMPARE(jobs.rowCount(), 1);
        QCOMPARE(jobs.data(jobs.index(0), JobManager::StateRole).value<JobState>(), JobState::Done);
    }

    void failuresAndCancelsEndTheirJob()
    {
        JobManager jobs;
        QAbstractItemModelTester tester(&jobs, QAbstractItemModelTester::FailureReportingMode::QtTest);
        Job* failing = jobs.start(QStringLiteral("fail"), [](const JobContext&) -> QVariant {
            throw maas::engine::Error(maas::engine::ErrorKind::InvalidModel, "model.pt is empty");
        });
        Job* endless = jobs.start(QStringLiteral("endless"), [](const JobContext& context) {
            while (!context.cancel->cancelled())
                std::this_thread::sleep_for(std::chrono::milliseconds(5));
            return QVariant();
        });
        QVERIFY(waitFinished(failing));
        QCOMPARE(failing->state(), JobState::Failed);
        QCOMPARE(failing->error(), QStringLiteral("model.pt is empty"));
        QVERIFY(!endless->isFinished());
        endless->cancel();
        QVERIFY(waitFinished(endless));
        QCOMPARE(endless->state(), JobState::Cancelled);
        jobs.clearFinished();
        QCOMPARE(jobs.rowCount(), 0);
    }

    void trainingRunsOffTheEventLoop()
    {
        maas::engine::DataOptions options;
        options.limit = 3000;
        auto data = std::make_shared<maas::engine::Dataset>(maas::engine::Dataset::open("/usr/share/datasets/fashion-mnist", options));
        auto model = std::make_shared<maas::engine::Model>(
            maas::engine::buildModel(maas::engine::completeSpec({ { "arch", "cnn" }, { "channels", { 8 } } }, *data)));
        JobManager jobs;
        Job* job = jobs.start(QStringLiteral("train"), [model, data](const JobContext& context) {
            maas::engine::TrainOptions o;
            o.epochs = 2;
            const auto result = maas::engine::train(*model, *data, o, context.progress, context.cancel);
            return QVariant(static_cast<int>(result.history.size()));
        });
        QSignalSpy steps(job, &Job::stepEnded);
        // A 10 ms timer measures how late the event loop runs while the job trains.
        QElapsedTimer clock;
        clock.start();
        qint64 last = 0, worst = 0;
        QTimer timer;
        QObject::connect(&timer, &QTimer::timeout, [&] {
            const qint64 now = clock.elapsed();
            worst = std::max(worst, now - last - 10);
            last = now;
        });
        timer.start(10);
        QVERIFY(waitFinished(job, 300000));
        timer.stop();
        QCOMPARE(job->state(), JobState::Done);
        QCOMPARE(job->result().toInt(), 2);
        QCOMPARE(steps.size(), 2);
        QVERIFY(steps.first().first().toMap().contains(QStringLiteral("validation_accuracy")));
        qInfo("largest lateness of a 10 ms timer during training: %lld ms", worst);
        QVERIFY2(worst < 500, qPrintable(QString::number(worst))); // generous: catches real blocking, not noise
    }
};

QTEST_GUILESS_MAIN(TestJobs)
#include "tst_jobs.moc"
