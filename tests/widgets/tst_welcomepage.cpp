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

        // Inviting, not a grey box: the program's icon (drawn from the embedded SVG), what it does, and
        // the models opened lately, each one click away.
        const auto* icon = page.findChild<QLabel*>(QStringLiteral("icon"));
        QVERIFY(icon && !icon->pixmap().isNull());
        const QImage drawn = icon->pixmap().toImage();
        QCOMPARE(drawn.pixelColor(drawn.width() / 2, drawn.height() / 2).alpha(), 255);
        QVERIFY(!page.findChild<QLabel*>(QStringLiteral("tagline"))->text().isEmpty());
        QVERIFY(page.findChildren<QPushButton*>(QStringLiteral("recentModel")).isEmpty());
        page.setRecentModels({ { 7, QStringLiteral("fashion-cnn") }, { 3, QStringLiteral("resnet18") } });
        const auto recent = page.findChildren<QPushButton*>(QStringLiteral("recentModel"));
        QCOMPARE(recent.size(), 2);
        QSignalSpy chosen(&page, &maas::widgets::WelcomePage::modelChosen);
        for (auto* button : recent)
            if (button->text() == QLatin1String("resnet18"))
                QTest::mouseClick(button, Qt::LeftButton);
        QCOMPARE(chosen.count(), 1);
        QCOMPARE(chosen.first().first().toLongLong(), qint64 { 3 });

        // A picture of the page for people to look at (build/tests/welcome.png).
        QVERIFY(page.grab().save(QStringLiteral("welcome.png")));
    }
};

QTEST_MAIN(TestWelcomePage)
#include "tst_welcomepage.moc"
