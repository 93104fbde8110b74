// app/core: numbers formatted for people, versions, and the shipped translations.
#include <QtTest>

#include "maas/app/about.h"
#include "maas/app/drops.h"
#include "maas/app/format.h"
#include "maas/app/languages.h"
#include "maas/app/textinput.h"
#include "maas/app/tryit.h"
#include "maas/engine/error.h"

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

    // Try it's typed rows go to the engine's CSV parser as text: errors name "your input" and the typed line.
    void typedRowsAreReadAsTyped_data()
    {
        QTest::addColumn<QStringList>("rows");
        QTest::addColumn<QString>("error"); // empty: the rows run
        QTest::addColumn<QString>("model");
        QTest::newRow("two good rows") << QStringList { "5.1, 3.5, 1.4, 0.2", "6.3, 3.3, 6.0, 2.5" } << QString()
                                       << "mlp.pt";
        QTest::newRow("a value typed in quotes") << QStringList { "\"5.1\", 3.5, 1.4, 0.2" } << QString() << "mlp.pt";
        QTest::newRow("a word in the second row") << QStringList { "5.1, 3.5, 1.4, 0.2", "5.9, x, 5.1, 1.8" }
                                                  << "your input, line 2, column 2: ' x' is not a number"
                                                  << "mlp.pt";
        QTest::newRow("a word in the first row is no header")
            << QStringList { "sepal, 3.5, 1.4, 0.2" } << "your input, line 1, column 1"
            << "mlp.pt";
        QTest::newRow("a short second row")
            << QStringList { "5.1, 3.5, 1.4, 0.2", "1, 2" } << "your input, line 2: has 2 values"
            << "mlp.pt";
        QTest::newRow("token ids typed for a transformer")
            << QStringList { "1, 5, 7, 9", "3, 4, 2, 0" } << QString() << "token_transformer.pt";
        QTest::newRow("a fraction typed as a token id")
            << QStringList { "1, 2.5, 3" } << "your input, row 1, column 2: 2.5 is not a whole number"
            << "token_transformer.pt";
    }

    // What people type for shapes, read alike by the CLI and the pages.
    void shapesAreReadAsTyped()
    {
        bool ok = false;
        QCOMPARE(parseShape(QStringLiteral("1,3,224,224"), &ok), (std::vector<std::int64_t> { 1, 3, 224, 224 }));
        QVERIFY(ok);
        for (const auto* bad : { "", "1,,28", "1,28,", "0,28", "-1,16", "1,x" }) {
            parseShape(QString::fromLatin1(bad), &ok);
            QVERIFY2(!ok, bad);
        }
        QCOMPARE(parseOpenShape(QStringLiteral("-1, 16")), std::optional(std::vector<std::int64_t> { -1, 16 }));
        QCOMPARE(parseOpenShape(QStringLiteral("1,28,28")), std::optional(std::vector<std::int64_t> { 1, 28, 28 }));
        for (const auto* bad : { "", "-2,16", "0", "1,,2", "1,x", "-1," })
            QVERIFY2(!parseOpenShape(QString::fromLatin1(bad)), bad);
    }

    void typedRowsAreReadAsTyped()
    {
        QFETCH(QStringList, rows);
        QFETCH(QString, error);
        QFETCH(QString, model);
        model = QStringLiteral(MAAS_FIXTURES_DIR "/") + model;
        try {
            const auto result = maas::app::runPredictionOnRows(model, rows, 2);
            QVERIFY2(error.isEmpty(), "no error");
            QCOMPARE(result.samples.size(), rows.size());
            QCOMPARE(result.samples.front().source, rows.front());
        } catch (const maas::engine::Error& e) {
            QVERIFY2(!error.isEmpty() && QString::fromUtf8(e.what()).startsWith(error), e.what());
        }
    }

    void dataSetFoldersAreDroppedAsDataSets()
    {
        QTemporaryDir dir;
        QFile image(QStringLiteral(MAAS_FIXTURES_DIR "/cnn.image.png"));
        QVERIFY(image.open(QIODevice::ReadOnly));
        const QByteArray png = image.readAll();
        for (const auto* name : { "classes/cat/1.png", "classes/dog/2.jpeg" }) {
            QVERIFY(QDir(dir.path()).mkpath(QFileInfo(dir.filePath(QString::fromLatin1(name))).path()));
            QFile f(dir.filePath(QString::fromLatin1(name)));
            QVERIFY(f.open(QIODevice::WriteOnly) && f.write(png) == png.size());
        }
        const auto plan = maas::app::Drops::plan({ dir.filePath(QStringLiteral("classes")),
            QStringLiteral("/usr/share/datasets/fashion-mnist"), dir.filePath(QStringLiteral("classes/cat")) });
        QCOMPARE(plan.datasets.size(), 2);
        QCOMPARE(plan.unusable.size(), 1); // one class folder alone is not a data set
        QVERIFY(maas::app::imageNameFilters().contains(QStringLiteral("*.png")));
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
        QTest::newRow("widgets include no engine header")
            << QStringLiteral("widgets/src") << QStringLiteral("#include \"maas/engine/");
        QTest::newRow("the workbench benchmark includes no engine header")
            << QStringLiteral("widgets/bench") << QStringLiteral("#include \"maas/engine/");
        QTest::newRow("widget headers include no engine header")
            << QStringLiteral("widgets/include") << QStringLiteral("#include \"maas/engine/");
        QTest::newRow("app/core includes no widget")
            << QStringLiteral("app/core") << QStringLiteral("#include <QWidget");
    }
    void layersKeepToTheirDependencies()
    {
        QFETCH(QString, folder);
        QFETCH(QString, forbidden);
        QStringList offenders;
        int files = 0;
        QDirIterator it(QStringLiteral(MAAS_SOURCE_DIR "/") + folder,
            { QStringLiteral("*.h"), QStringLiteral("*.cpp") }, QDir::Files, QDirIterator::Subdirectories);
        while (it.hasNext()) {
            QFile file(it.next());
            QVERIFY(file.open(QIODevice::ReadOnly));
            ++files;
            if (QString::fromUtf8(file.readAll()).contains(forbidden))
                offenders << file.fileName();
        }
        QVERIFY(files > 0); // the folder is there and was read
        QVERIFY2(offenders.isEmpty(), qPrintable(offenders.join(QLatin1Char(' '))));
    }
};

QTEST_GUILESS_MAIN(TestCore)
#include "tst_core.moc"
