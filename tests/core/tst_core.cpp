// app/core: numbers formatted for people, versions, and the shipped translations.
#include <QtTest>

#include "maas/app/about.h"
#include "maas/app/format.h"
#include "maas/app/languages.h"

using namespace maas::app;

class TestCore : public QObject {
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { QLocale::setDefault(QLocale(QLocale::English, QLocale::UnitedStates)); }

    void countsAreShort()
    {
        QCOMPARE(formatCount(9999), QStringLiteral("9,999"));
        QCOMPARE(formatCount(11689512), QStringLiteral("11.7 M"));
        QCOMPARE(formatCount(42300), QStringLiteral("42.3 K"));
        QCOMPARE(formatCount(1814073344), QStringLiteral("1.81 G"));
        QCOMPARE(formatExact(11689512), QStringLiteral("11,689,512"));
    }

    void bytesAndSeconds()
    {
        QCOMPARE(formatBytes(512), QStringLiteral("512 B"));
        QCOMPARE(formatBytes(46884845), QStringLiteral("44.7 MB"));
        QCOMPARE(formatSeconds(0.01237), QStringLiteral("12.37 ms"));
        QCOMPARE(formatSeconds(0.2), QStringLiteral("200.0 ms"));
        QCOMPARE(formatSeconds(2.5), QStringLiteral("2.50 s"));
        QCOMPARE(formatSeconds(0.0), QStringLiteral("0 s"));
    }

    void runtimeSummaryNamesEverything()
    {
        const QString s = runtimeSummary();
        QVERIFY2(s.contains(QLatin1String("Qt 6")) && s.contains(QLatin1String("LibTorch")), qPrintable(s));
        QVERIFY(!version().isEmpty());
    }

    void chineseTranslationIsShippedAndComplete()
    {
        QCOMPARE(installTranslations(*QCoreApplication::instance(), QStringLiteral("zh_CN")), QStringLiteral("zh_CN"));
        QCOMPARE(QCoreApplication::translate("Cli", "Show this help."), QStringLiteral("显示此帮助。"));
        // The source file has no unfinished or empty entries.
        QFile ts(QStringLiteral(MAAS_SOURCE_DIR "/translations/maas_zh_CN.ts"));
        QVERIFY(ts.open(QIODevice::ReadOnly));
        const QByteArray text = ts.readAll();
        QVERIFY(text.count("<message") > 20);
        QCOMPARE(text.count("type=\"unfinished\""), 0);
        QCOMPARE(text.count("<translation></translation>"), 0);
        QVERIFY(availableLanguages().contains(QStringLiteral("zh_CN")));
    }

    // The layers' rule, checked on the sources: the engine has no Qt, widgets see the engine only
    // through app/core (whose headers re-export its plain structs).
    void layersKeepToTheirDependencies_data()
    {
        QTest::addColumn<QString>("folder");
        QTest::addColumn<QString>("forbidden");
        QTest::newRow("engine includes no Qt") << QStringLiteral("engine") << QStringLiteral("#include <Q");
        QTest::newRow("widgets include no engine header") << QStringLiteral("widgets/src") << QStringLiteral("#include \"maas/engine/");
        QTest::newRow("widget headers include no engine header") << QStringLiteral("widgets/include") << QStringLiteral("#include \"maas/engine/");
        QTest::newRow("app/core includes no widget") << QStringLiteral("app/core") << QStringLiteral("#include <QWidget");
    }
    void layersKeepToTheirDependencies()
    {
        QFETCH(QString, folder);
        QFETCH(QString, forbidden);
        QStringList offenders;
        int files = 0;
        QDirIterator it(QStringLiteral(MAAS_SOURCE_DIR "/") + folder, { QStringLiteral("*.h"), QStringLiteral("*.cpp") },
            QDir::Files, QDirIterator::Subdirectories);
        while (it.hasNext()) {
            QFile file(it.next());
            QVERIFY(file.open(QIODevice::ReadOnly));
            ++files;
            if (QString::fromUtf8(file.readAll()).contains(forbidden))
                offenders << file.fileName();
        }
        QVERIFY(files > 3);
        QVERIFY2(offenders.isEmpty(), qPrintable(offenders.join(QLatin1Char(' '))));
    }
};

QTEST_GUILESS_MAIN(TestCore)
#include "tst_core.moc"
