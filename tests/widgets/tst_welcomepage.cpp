// The welcome page as a widget, offscreen: it shows its drop target and reports messages in place.
#include <QtTest>

#include <QLabel>
#include <QPushButton>

#include "maas/widgets/welcomepage.h"

class TestWelcomePage : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void showsDropTargetAndOpensModels()
    {
        maas::widgets::WelcomePage page;
        page.resize(800, 600);
        page.show();
        QVERIFY(QTest::qWaitForWindowExposed(&page));
        auto* target = page.findChild<QLabel*>(QStringLiteral("dropTarget"));
        QVERIFY(target);
        QVERIFY(target->isVisible());
        QVERIFY(target->text().contains(QLatin1String("TorchScript")));

        QSignalSpy open(&page, &maas::widgets::WelcomePage::openModelRequested);
        auto* button = page.findChild<QPushButton*>(QStringLiteral("openModel"));
        QVERIFY(button);
        QTest::mouseClick(button, Qt::LeftButton);
        QCOMPARE(open.count(), 1);
        QSignalSpy sample(&page, &maas::widgets::WelcomePage::trainSampleRequested);
        QTest::mouseClick(page.findChild<QPushButton*>(QStringLiteral("trainSample")), Qt::LeftButton);
        QCOMPARE(sample.count(), 1);

        page.showMessage(QStringLiteral("model.pt is empty"), true);
        auto* message = page.findChild<QLabel*>(QStringLiteral("message"));
        QCOMPARE(message->text(), QStringLiteral("model.pt is empty"));
        QVERIFY(message->styleSheet().contains(QLatin1String("color")));
        page.showMessage(QStringLiteral("ok"), false);
        QVERIFY(message->styleSheet().isEmpty());

        // A picture of the page for people to look at (build/tests/welcome.png).
        QVERIFY(page.grab().save(QStringLiteral("welcome.png")));
    }
};

QTEST_MAIN(TestWelcomePage)
#include "tst_welcomepage.moc"
