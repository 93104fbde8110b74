// The `maas` command line as a user runs it: a real process on real PyTorch models.
#include <QRegularExpression>
#include <QtTest>

#include <cmath>
#include <csignal>
#include <map>

#include <sys/stat.h>
#include <sys/types.h>

#include <nlohmann/json.hpp>

namespace {

QString fixture(const QString& name) { return QStringLiteral(MAAS_FIXTURES_DIR "/") + name; }

struct Run {
    int code = -1;
    QString out, err;
};

// What no message may hold, whatever went wrong: LibTorch's and the library's internals are no use to a user.
const char* const kInternals[] = { "INTERNAL", "ASSERT", "Exception raised from", "frame #", ".cpp",
    "c10::", "json.exception", "bad_alloc", "unexpected failure", "what():" };

// Every message of every run goes through this check (issue 9: no stack trace, no internal text, ever).
void checkMessages(const QStringList& args, const QString& err)
{
    for (const char* internal : kInternals)
        QTest::qVerify(!err.contains(QLatin1String(internal)), "no internals",
            qPrintable(args.join(u' ') + u'\n' + err), __FILE__, __LINE__);
}

Run maas(const QStringList& args, const QString& language = QStringLiteral("en"),
    const QHash<QString, QString>& extraEnvironment = {})
{
    QProcess p;
    auto env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("MAAS_LANGUAGE"), language);
    for (auto it = extraEnvironment.begin(); it != extraEnvironment.end(); ++it)
        env.insert(it.key(), it.value());
    p.setProcessEnvironment(env);
    p.start(QStringLiteral(MAAS_CLI), args);
    p.waitForFinished(300000);
    Run run { p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1, QString::fromUtf8(p.readAllStandardOutput()),
        QString::fromUtf8(p.readAllStandardError()) };
    checkMessages(args, run.err);
    return run;
}

// Waits until `pid` has a SIGINT handler (SigCgt in /proc), so a Ctrl-C sent next is the program's to
// handle; also ends when the process is gone (the caller's checks of its exit then say why).
bool waitForInterruptHandler(qint64 pid)
{
    return QTest::qWaitFor(
        [pid] {
            QFile status(QStringLiteral("/proc/%1/status").arg(pid));
            if (!status.open(QIODevice::ReadOnly))
                return true;
            // Before exec the child is a copy of this test, whose own SIGINT handler would answer.
            if (QFileInfo(QStringLiteral("/proc/%1/exe").arg(pid)).canonicalFilePath()
                != QFileInfo(QStringLiteral(MAAS_CLI)).canonicalFilePath())
                return false;
            for (const QByteArray& line : status.readAll().split('\n'))
                if (line.startsWith("SigCgt:"))
                    return (line.mid(7).trimmed().toULongLong(nullptr, 16) & (1ULL << (SIGINT - 1))) != 0;
            return false;
        },
        120000);
}

nlohmann::json facts()
{
    QFile f(fixture(QStringLiteral("facts.json")));
    f.open(QIODevice::ReadOnly);
    return nlohmann::json::parse(f.readAll().toStdString());
}

nlohmann::json npyValues(const QString& path)
{
    // The CLI itself converts: `predict --output` round trips are checked in the engine tests.
    QProcess p;
    p.start(QStringLiteral(MAAS_PYTHON),
        { QStringLiteral("-c"),
            QStringLiteral("import numpy,json,sys; print(json.dumps(numpy.load(sys.argv[1]).ravel().tolist()))"),
            path });
    p.waitForFinished(60000);
    return nlohmann::json::parse(p.readAllStandardOutput().toStdString());
}

QByteArray fileHash(const QString& path)
{
    QFile f(path);
    f.open(QIODevice::ReadOnly);
    return QCryptographicHash::hash(f.readAll(), QCryptographicHash::Sha256);
}

} // namespace

// Settings, endpoints, credentials and the local endpoint in `dir`, not the user's (and no keychain).
QHash<QString, QString> privateHome(const QTemporaryDir& dir)
{
    return { { QStringLiteral("XDG_CONFIG_HOME"), dir.filePath(QStringLiteral("config")) },
        { QStringLiteral("XDG_DATA_HOME"), dir.filePath(QStringLiteral("data")) },
        { QStringLiteral("MAAS_KEYCHAIN"), QStringLiteral("off") } };
}

// A small text data set: short reviews labelled positive or negative.
QString writeReviews(const QTemporaryDir& dir)
{
    QFile csv(dir.filePath(QStringLiteral("reviews.csv")));
    if (!csv.open(QIODevice::WriteOnly))
        return {};
    csv.write("text,label\n");
    const char* good[] = { "I love machine learning", "what a great model", "I love this", "great and fast",
        "wonderful results", "I love it" };
    const char* bad[]
        = { "terrible and slow", "I hate waiting", "awful results", "slow and broken", "I hate this", "bad model" };
    for (int round = 0; round < 8; ++round)
        for (int i = 0; i < 6; ++i)
            csv.write(QByteArray(good[i]) + ",positive\n" + QByteArray(bad[i]) + ",negative\n");
    csv.close();
    return csv.fileName();
}

class TestCli : public QObject {
    Q_OBJECT
private Q_SLOTS:
    // A desktop program answers --version and --help on the terminal, even with no display to open.
    void workbenchAnswersWithoutADisplay()
    {
        for (const QString& flag : { QStringLiteral("--version"), QStringLiteral("--help") }) {
            QProcess p;
            auto env = QProcessEnvironment::systemEnvironment();
            env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("xcb")); // would abort with no display
            env.remove(QStringLiteral("DISPLAY"));
            env.remove(QStringLiteral("WAYLAND_DISPLAY"));
            env.insert(QStringLiteral("MAAS_LANGUAGE"), QStringLiteral("en"));
            p.setProcessEnvironment(env);
            p.start(QStringLiteral(MAAS_WORKBENCH), { flag });
            QVERIFY(p.waitForFinished(60000));
            const QString out = QString::fromUtf8(p.readAllStandardOutput());
            QCOMPARE(p.exitStatus(), QProcess::NormalExit);
            QCOMPARE(p.exitCode(), 0);
            if (flag == QLatin1String("--version"))
                QVERIFY2(out.startsWith(QLatin1String("MaaS Workbench 0.")), qPrintable(out));
            else
                QVERIFY2(out.contains(QLatin1String("Usage:")) && out.contains(QLatin1String("files"))
                        && !out.contains(QLatin1String("quit-when-ready")),
                    qPrintable(out));
        }
    }

    void versionNamesTheRuntime()
    {
        const auto r = maas({ QStringLiteral("--version") });
        QCOMPARE(r.code, 0);
        QVERIFY2(r.out.contains(QLatin1String("LibTorch 1.13")), qPrintable(r.out));
        QVERIFY(r.out.contains(QLatin1String("threads")));
        QVERIFY(r.out.contains(QLatin1String("OpenBLAS")));
    }

    void helpListsCommands()
    {
        const auto r = maas({ QStringLiteral("--help") });
        QCOMPARE(r.code, 0);
        for (const char* c : { "inspect", "predict", "card" })
            QVERIFY(r.out.contains(QLatin1String(c)));
        const auto sub = maas({ QStringLiteral("predict"), QStringLiteral("--help") });
        QCOMPARE(sub.code, 0);
        QVERIFY(sub.out.contains(QLatin1String("--top-k")));
    }

    void usageMistakesExitTwo_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::newRow("no command") << QStringList {};
        QTest::newRow("unknown command") << QStringList { QStringLiteral("fly") };
        QTest::newRow("missing model") << QStringList { QStringLiteral("inspect") };
        QTest::newRow("bad threads") << QStringList { QStringLiteral("inspect"), fixture(QStringLiteral("mlp.pt")),
            QStringLiteral("--threads"), QStringLiteral("many") };
        QTest::newRow("bad shape") << QStringList { QStringLiteral("inspect"), fixture(QStringLiteral("mlp.pt")),
            QStringLiteral("--input-shape"), QStringLiteral("2,x") };
        QTest::newRow("unknown option") << QStringList { QStringLiteral("predict"), QStringLiteral("--frobnicate") };
        QTest::newRow("bench batch 0") << QStringList { QStringLiteral("bench"), fixture(QStringLiteral("mlp.pt")),
            QStringLiteral("--batch"), QStringLiteral("0") };
        QTest::newRow("graph without model") << QStringList { QStringLiteral("graph") };
        const QString mlp = fixture(QStringLiteral("mlp.pt"));
        QTest::newRow("inspect given two models") << QStringList { QStringLiteral("inspect"), mlp, mlp };
        QTest::newRow("card given two models") << QStringList { QStringLiteral("card"), mlp, mlp };
        QTest::newRow("eval with --top-k 0") << QStringList { QStringLiteral("eval"), mlp, QStringLiteral("--data"),
            fixture(QStringLiteral("mlp.rows.csv")), QStringLiteral("--top-k"), QStringLiteral("0") };
        QTest::newRow("bench with --batch 1e3")
            << QStringList { QStringLiteral("bench"), mlp, QStringLiteral("--batch"), QStringLiteral("1e3") };
        QTest::newRow("bench with --threads 99999999")
            << QStringList { QStringLiteral("bench"), mlp, QStringLiteral("--threads"), QStringLiteral("99999999") };
        QTest::newRow("new with --classes 1.5") << QStringList { QStringLiteral("new"), QStringLiteral("--arch"),
            QStringLiteral("mlp"), QStringLiteral("--classes"), QStringLiteral("1.5"), QStringLiteral("-o"),
            QStringLiteral("/tmp/maas-test-never-written.pt") };
        QTest::newRow("train with an unknown --arch, before reading data") << QStringList { QStringLiteral("train"),
            QStringLiteral("--arch"), QStringLiteral("transformer"), QStringLiteral("--data"),
            QStringLiteral("/no/such/data"), QStringLiteral("-o"), QStringLiteral("/tmp/maas-test-never-written.pt") };
        QTest::newRow("inspect with an input shape past the limit") << QStringList { QStringLiteral("inspect"), mlp,
            QStringLiteral("--input-shape"), QStringLiteral("1000000000,4") };
        QTest::newRow("new with a billion recurrent layers")
            << QStringList { QStringLiteral("new"), QStringLiteral("--arch"), QStringLiteral("rnn"),
                   QStringLiteral("--input-shape"), QStringLiteral("28,28"), QStringLiteral("--classes"),
                   QStringLiteral("10"), QStringLiteral("--set"), QStringLiteral("layers=1000000000"),
                   QStringLiteral("-o"), QStringLiteral("/tmp/maas-test-never-written.pt") };
        QTest::newRow("new with an LSTM wider than the limit")
            << QStringList { QStringLiteral("new"), QStringLiteral("--arch"), QStringLiteral("rnn"),
                   QStringLiteral("--input-shape"), QStringLiteral("28,28"), QStringLiteral("--classes"),
                   QStringLiteral("10"), QStringLiteral("--set"), QStringLiteral("hidden=4611686018427387904"),
                   QStringLiteral("-o"), QStringLiteral("/tmp/maas-test-never-written.pt") };
        QTest::newRow("new with the same label twice") << QStringList { QStringLiteral("new"), QStringLiteral("--arch"),
            QStringLiteral("mlp"), QStringLiteral("--input-shape"), QStringLiteral("4"), QStringLiteral("--labels"),
            QStringLiteral("a,a"), QStringLiteral("-o"), QStringLiteral("/tmp/maas-test-never-written.pt") };
        QTest::newRow("new with an unknown --arch") << QStringList { QStringLiteral("new"), QStringLiteral("--arch"),
            QStringLiteral("transformer"), QStringLiteral("--classes"), QStringLiteral("2"), QStringLiteral("-o"),
            QStringLiteral("/tmp/maas-test-never-written.pt") };
        QTest::newRow("inspect with a datatype that is not one")
            << QStringList { QStringLiteral("inspect"), fixture(QStringLiteral("token_transformer.pt")),
                   QStringLiteral("--input-shape"), QStringLiteral("1,16:words") };
        QTest::newRow("inspect with text as the datatype")
            << QStringList { QStringLiteral("inspect"), fixture(QStringLiteral("token_transformer.pt")),
                   QStringLiteral("--input-shape"), QStringLiteral("1,16:BYTES") };
        QTest::newRow("bench with --duration 0")
            << QStringList { QStringLiteral("bench"), mlp, QStringLiteral("--duration"), QStringLiteral("0") };
        QTest::newRow("bench with --threads -1")
            << QStringList { QStringLiteral("bench"), mlp, QStringLiteral("--threads"), QStringLiteral("1,-1") };
        QTest::newRow("bench with a duration and iterations") << QStringList { QStringLiteral("bench"), mlp,
            QStringLiteral("--duration"), QStringLiteral("1s"), QStringLiteral("--iterations"), QStringLiteral("3") };
        QTest::newRow("bench with --json and --csv")
            << QStringList { QStringLiteral("bench"), mlp, QStringLiteral("--json"), QStringLiteral("--csv") };
        QTest::newRow("bench with --max-latency soon")
            << QStringList { QStringLiteral("bench"), mlp, QStringLiteral("--max-latency"), QStringLiteral("soon") };
        QTest::newRow("profile with --runs 0")
            << QStringList { QStringLiteral("profile"), mlp, QStringLiteral("--runs"), QStringLiteral("0") };
    }
    void usageMistakesExitTwo()
    {
        QFETCH(QStringList, args);
        const auto r = maas(args);
        QCOMPARE(r.code, 2);
        QVERIFY(!r.err.isEmpty());
        QVERIFY(!QFile::exists(QStringLiteral("/tmp/maas-test-never-written.pt")));
    }

    // An option's mistake is found before any data is read: the data set named here does not exist, so a
    // command that got as far as reading it would say so (exit 1) instead of naming the option (exit 2).
    void optionMistakesStopBeforeReading_data()
    {
        QTest::addColumn<QStringList>("options");
        QTest::addColumn<QString>("says");
        const auto row = [](const char* name, const QStringList& options, const char* says) {
            QTest::newRow(name) << options << QString::fromLatin1(says);
        };
        const auto two = [](const char* a, const char* b) {
            return QStringList { QLatin1String(a), QLatin1String(b) };
        };
        row("train with --epochs 0", two("--epochs", "0"), "--epochs must be a whole number from 1");
        row("train with --epochs 1.5", two("--epochs", "1.5"), "not '1.5'");
        row("train with --epochs past the limit", two("--epochs", "99999999999"), "--epochs");
        row("train with --limit 0", two("--limit", "0"), "--limit must be a whole number of at least 1");
        row("train with --lr -1", two("--lr", "-1"), "--lr must be above 0");
        row("train with --lr nan", two("--lr", "nan"), "--lr must be a number");
        row("train with --lr 1e30", two("--lr", "1e30"), "at most 10");
        row("train with --momentum nan", two("--momentum", "nan"), "--momentum must be a number");
        row("train with --patience -1", two("--patience", "-1"), "--patience");
        row("train with --batch-size 0", two("--batch-size", "0"), "--batch-size");
        row("train with --validation 1", two("--validation", "1"), "--validation");
        row("train with --split dev", two("--split", "dev"), "--split");
        row("train with --image-size 28", two("--image-size", "28"), "--image-size");
        row("train with --image-size 100000x100000", two("--image-size", "100000x100000"), "past the limit");
        row("train with --optimizer lion", two("--optimizer", "lion"), "--optimizer");
        row("train --resume without --checkpoint", { QStringLiteral("--resume") }, "--checkpoint");
    }
    void optionMistakesStopBeforeReading()
    {
        QFETCH(QStringList, options);
        QFETCH(QString, says);
        const auto r = maas(QStringList { QStringLiteral("train"), QStringLiteral("--arch"), QStringLiteral("mlp"),
                                QStringLiteral("--data"), QStringLiteral("/no/such/data"), QStringLiteral("-o"),
                                QStringLiteral("/tmp/maas-test-never-written.pt") }
            + options);
        QCOMPARE(r.code, 2);
        QVERIFY2(r.err.contains(says) && r.err.count(u'\n') == 1, qPrintable(r.err));
        QVERIFY(!QFile::exists(QStringLiteral("/tmp/maas-test-never-written.pt")));
    }

    void threadsFromTheEnvironmentAreChecked_data()
    {
        QTest::addColumn<QString>("value");
        QTest::addColumn<int>("code");
        QTest::newRow("MAAS_THREADS=banana") << "banana" << 2;
        QTest::newRow("MAAS_THREADS=99999999") << "99999999" << 2;
        QTest::newRow("MAAS_THREADS=0") << "0" << 2;
        QTest::newRow("MAAS_THREADS=1") << "1" << 0;
        QTest::newRow("MAAS_THREADS set to nothing") << "" << 0;
    }
    void threadsFromTheEnvironmentAreChecked()
    {
        QFETCH(QString, value);
        QFETCH(int, code);
        const auto r = maas(
            { QStringLiteral("--version") }, QStringLiteral("en"), { { QStringLiteral("MAAS_THREADS"), value } });
        QCOMPARE(r.code, code);
        if (code == 0)
            QVERIFY2(r.out.contains(
                         value.isEmpty() ? QLatin1String("(default)") : QLatin1String("threads 1 (MAAS_THREADS)")),
                qPrintable(r.out));
        else
            QVERIFY2(r.err.contains(QLatin1String("MAAS_THREADS is '") + value + u'\''), qPrintable(r.err));
    }

    // Help and messages name the command as it is typed, not the path the program was started from.
    void usageNamesTheCommand()
    {
        const auto r = maas({ QStringLiteral("inspect"), QStringLiteral("--help") });
        QVERIFY2(r.out.startsWith(QLatin1String("Usage: maas inspect ")), qPrintable(r.out));
        QVERIFY(!r.out.contains(QStringLiteral(MAAS_CLI)));
    }

    // Ctrl-C during `maas bench` ends the timing at its next call with exit 130, as it does for training.
    void interruptedBenchStops()
    {
        QProcess p;
        auto env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("MAAS_LANGUAGE"), QStringLiteral("en"));
        p.setProcessEnvironment(env);
        p.start(QStringLiteral(MAAS_CLI),
            { QStringLiteral("bench"), fixture(QStringLiteral("mlp.pt")), QStringLiteral("--iterations"),
                QStringLiteral("10000000") });
        QVERIFY(waitForInterruptHandler(p.processId()));
        ::kill(static_cast<pid_t>(p.processId()), SIGINT);
        QVERIFY(p.waitForFinished(120000));
        QCOMPARE(p.exitStatus(), QProcess::NormalExit);
        QCOMPARE(p.exitCode(), 130);
        QVERIFY(QString::fromUtf8(p.readAllStandardError()).contains(QLatin1String("cancelled")));
    }

    void graphAndBenchOnARealModel()
    {
        auto r = maas({ QStringLiteral("graph"), fixture(QStringLiteral("resnet18.pt")), QStringLiteral("--json") });
        QCOMPARE(r.code, 0);
        const auto graph = nlohmann::json::parse(r.out.toStdString());
        int convolutions = 0;
        for (const auto& node : graph["nodes"])
            convolutions += node["op"] == "aten::conv2d";
        QCOMPARE(convolutions, facts()["resnet18"]["module_types"]["Conv2d"].get<int>());
        r = maas({ QStringLiteral("graph"), fixture(QStringLiteral("mlp.pt")), QStringLiteral("--dot") });
        QCOMPARE(r.code, 0);
        QVERIFY(r.out.startsWith(QLatin1String("digraph")));
        QCOMPARE(r.out.count(QLatin1String("->")), 6); // input, 5 operators, output in a chain

        r = maas({ QStringLiteral("bench"), fixture(QStringLiteral("cnn.pt")), QStringLiteral("--iterations"),
            QStringLiteral("7"), QStringLiteral("--batch"), QStringLiteral("4"), QStringLiteral("--json") });
        QCOMPARE(r.code, 0);
        const auto bench = nlohmann::json::parse(r.out.toStdString())["models"][0]["configurations"][0];
        QCOMPARE(bench["iterations"].get<int>(), 7);
        QCOMPARE(bench["batch"].get<int>(), 4);
        QVERIFY(bench["p50_ms"].get<double>() > 0);
        QVERIFY(bench["p50_ms"].get<double>() <= bench["p99_ms"].get<double>());
        r = maas({ QStringLiteral("bench"), fixture(QStringLiteral("bad_random.pt")) });
        QCOMPARE(r.code, 1);
        QCOMPARE(r.err.trimmed().count(QLatin1Char('\n')), 0);
    }

    // Several models over a sweep, side by side: JSON, CSV and text tell the same configurations, and the
    // sweet spot for a latency budget is one of them.
    void benchSweepsModelsSideBySide()
    {
        const QStringList common { QStringLiteral("bench"), fixture(QStringLiteral("mlp.pt")),
            fixture(QStringLiteral("mlp_two_labels.pt")), QStringLiteral("--batch"), QStringLiteral("1,3"),
            QStringLiteral("--threads"), QStringLiteral("1,2"), QStringLiteral("--iterations"), QStringLiteral("3"),
            QStringLiteral("--max-latency"), QStringLiteral("10s") };
        auto r = maas(common + QStringList { QStringLiteral("--json") });
        QVERIFY2(r.code == 0, qPrintable(r.err));
        const auto json = nlohmann::json::parse(r.out.toStdString());
        QCOMPARE(json["models"].size(), std::size_t(2));
        for (const auto& model : json["models"]) {
            QCOMPARE(model["configurations"].size(), std::size_t(4));
            QVERIFY(model["within_max_latency"]["batch"].get<int>() >= 1);
            QVERIFY(model["configurations"][0]["histogram"].size() > 0);
        }
        QVERIFY(json["models"][1]["configurations"][3]["vs_first"]["p50"].get<double>() > 0);
        r = maas(common + QStringList { QStringLiteral("--csv") });
        QVERIFY2(r.code == 0, qPrintable(r.err));
        QCOMPARE(r.out.trimmed().split(QLatin1Char('\n')).size(), 9);
        r = maas(common);
        QVERIFY2(r.code == 0, qPrintable(r.err));
        QCOMPARE(r.out.count(QLatin1String("within 10000")), 2);
        QVERIFY(r.out.contains(QLatin1String("p50 vs first")));
    }

    // A profile names each layer as the graph does, and writes a trace and folded stacks only when it can.
    void profileOfARealModel()
    {
        QTemporaryDir dir;
        const QString trace = dir.filePath(QStringLiteral("trace.json")),
                      folded = dir.filePath(QStringLiteral("stacks.folded"));
        auto r = maas({ QStringLiteral("profile"), fixture(QStringLiteral("resnet18.pt")), QStringLiteral("--runs"),
            QStringLiteral("2"), QStringLiteral("--trace"), trace, QStringLiteral("--folded"), folded,
            QStringLiteral("--json") });
        QVERIFY2(r.code == 0, qPrintable(r.err));
        const auto json = nlohmann::json::parse(r.out.toStdString());
        bool found = false;
        for (const auto& layer : json["layers"])
            found = found || (layer["module"] == "layer2.0.conv1" && layer["self_ms"].get<double>() > 0);
        QVERIFY(found);
        QFile traceFile(trace);
        QVERIFY(traceFile.open(QIODevice::ReadOnly));
        QVERIFY(nlohmann::json::parse(traceFile.readAll().toStdString())["traceEvents"].size() > 20);
        QFile stacks(folded);
        QVERIFY(stacks.open(QIODevice::ReadOnly));
        QVERIFY(stacks.readAll().contains("model;layer2;layer2.0;layer2.0.conv1;aten::conv2d"));

        r = maas({ QStringLiteral("profile"), fixture(QStringLiteral("resnet18.pt")), QStringLiteral("--input-shape"),
            QStringLiteral("1,5,32,32"), QStringLiteral("--trace"), dir.filePath(QStringLiteral("never.json")) });
        QCOMPARE(r.code, 1);
        QVERIFY2(r.err.startsWith(QLatin1String("maas: error: --input-shape [1, 5, 32, 32] does not fit the model")),
            qPrintable(r.err));
        QVERIFY(!QFile::exists(dir.filePath(QStringLiteral("never.json"))));
        // Outputs that would destroy something are refused before any work: the model itself, the other
        // output, a device, a folder that does not exist.
        const QString copy = dir.filePath(QStringLiteral("model.pt"));
        QVERIFY(QFile::copy(fixture(QStringLiteral("mlp.pt")), copy));
        const auto size = QFileInfo(copy).size();
        for (const auto& [flags, flag] :
            std::initializer_list<std::pair<QStringList, QString>> {
                { { QStringLiteral("--trace"), copy }, QStringLiteral("--trace") },
                { { QStringLiteral("--folded"), copy }, QStringLiteral("--folded") },
                { { QStringLiteral("--trace"), trace, QStringLiteral("--folded"), trace }, QStringLiteral("--folded") },
                { { QStringLiteral("--trace"), QStringLiteral("/dev/null") }, QStringLiteral("--trace") },
                { { QStringLiteral("--trace"), dir.filePath(QStringLiteral("no/such/t.json")) },
                    QStringLiteral("--trace") } }) {
            r = maas(QStringList { QStringLiteral("profile"), copy } + flags);
            QCOMPARE(r.code, 1);
            QVERIFY2(r.err.startsWith(QStringLiteral("maas: error: ") + flag), qPrintable(r.err));
            QCOMPARE(r.err.trimmed().count(QLatin1Char('\n')), 0);
        }
        QCOMPARE(QFileInfo(copy).size(), size);
        QVERIFY(QFileInfo(QStringLiteral("/dev/null")).isFile() == false);

        r = maas({ QStringLiteral("profile"), fixture(QStringLiteral("mlp.pt")), QStringLiteral("--top"),
            QStringLiteral("2") });
        QVERIFY2(r.code == 0, qPrintable(r.err));
        QVERIFY(r.out.contains(QLatin1String("GFLOP/s for matrix products")));
        QVERIFY(r.out.contains(QLatin1String("net.")));
    }

    // A transformer over token ids made in PyTorch: predict on its int64 ids gives PyTorch's logits, and
    // bench and inspect run it on ids of a shape and datatype the user gives.
    void transformerOverTokenIdsFromPyTorch()
    {
        const QString model = fixture(QStringLiteral("token_transformer.pt"));
        auto r = maas({ QStringLiteral("predict"), model, fixture(QStringLiteral("token_transformer.input.npy")),
            QStringLiteral("--json") });
        QVERIFY2(r.code == 0, qPrintable(r.err));
        const auto expected = npyValues(fixture(QStringLiteral("token_transformer.output.npy")));
        const auto predicted = nlohmann::json::parse(r.out.toStdString());
        const auto& got = predicted["outputs"][0]["data"];
        QCOMPARE(got.size(), expected.size());
        for (std::size_t i = 0; i < got.size(); ++i)
            QVERIFY(std::fabs(got[i].get<double>() - expected[i].get<double>()) <= 1e-4);

        // Ids typed as CSV rows become INT64; a fraction among them is named where it is.
        QTemporaryDir dir;
        const QString rows = dir.filePath(QStringLiteral("ids.csv")), fraction = dir.filePath(QStringLiteral("f.csv"));
        for (const auto& [file, text] :
            { std::pair { rows, "1,2,3,4\n5,6,7,8\n" }, std::pair { fraction, "1,2.5\n" } }) {
            QFile f(file);
            QVERIFY(f.open(QIODevice::WriteOnly) && f.write(text) > 0);
        }
        r = maas({ QStringLiteral("predict"), model, rows, QStringLiteral("--json") });
        QVERIFY2(r.code == 0, qPrintable(r.err));
        QCOMPARE(nlohmann::json::parse(r.out.toStdString())["predictions"].size(), std::size_t { 2 });
        r = maas({ QStringLiteral("predict"), model, fraction });
        QCOMPARE(r.code, 1);
        QVERIFY2(r.err.contains(QLatin1String("column 2: 2.5 is not a whole number")), qPrintable(r.err));

        r = maas({ QStringLiteral("bench"), model, QStringLiteral("--iterations"), QStringLiteral("3"),
            QStringLiteral("--input-shape"), QStringLiteral("2,16:int64"), QStringLiteral("--json") });
        QVERIFY2(r.code == 0, qPrintable(r.err));
        QCOMPARE(nlohmann::json::parse(r.out.toStdString())["models"][0]["configurations"][0]["batch"].get<int>(), 2);
        r = maas({ QStringLiteral("bench"), model, QStringLiteral("--iterations"), QStringLiteral("2"),
            QStringLiteral("--input-shape"), QStringLiteral("1,16:int64"), QStringLiteral("--batch"),
            QStringLiteral("3"), QStringLiteral("--json") }); // the batch replaces the shape's first size
        QVERIFY2(r.code == 0, qPrintable(r.err));
        QCOMPARE(nlohmann::json::parse(r.out.toStdString())["models"][0]["configurations"][0]["batch"].get<int>(), 3);
        r = maas({ QStringLiteral("bench"), model, QStringLiteral("--iterations"), QStringLiteral("3") });
        QVERIFY2(r.code == 0, qPrintable(r.err));

        r = maas({ QStringLiteral("inspect"), model, QStringLiteral("--input-shape"), QStringLiteral("1,16:INT64"),
            QStringLiteral("--json") });
        QVERIFY2(r.code == 0, qPrintable(r.err));
        const auto json = nlohmann::json::parse(r.out.toStdString());
        QCOMPARE(json["card"]["inputs"][0]["datatype"].get<std::string>(), std::string("INT64"));
        QCOMPARE(json["compute"]["input_datatypes"][0].get<std::string>(), std::string("INT64"));
        QVERIFY(json["compute"]["macs"].get<std::int64_t>() > 0);
        r = maas({ QStringLiteral("inspect"), model, QStringLiteral("--input-shape"), QStringLiteral("1,16:fp32") });
        QCOMPARE(r.code, 1);
        QVERIFY2(
            r.err.contains(QLatin1String("FP32")) && r.err.trimmed().count(QLatin1Char('\n')) == 0, qPrintable(r.err));
    }

    // Labels that are not one per output: refused when set, warned about when a stored card has them.
    void labelsThatDoNotFitTheOutputs()
    {
        QTemporaryDir dir;
        const QString target = dir.filePath(QStringLiteral("two.pt"));
        auto r = maas({ QStringLiteral("card"), fixture(QStringLiteral("mlp.pt")), QStringLiteral("--set"),
            QStringLiteral("labels=a,b"), QStringLiteral("-o"), target });
        QCOMPARE(r.code, 1);
        QVERIFY2(r.err.contains(QLatin1String("2 labels")) && r.err.contains(QLatin1String("3 outputs"))
                && r.err.trimmed().count(QLatin1Char('\n')) == 0,
            qPrintable(r.err));
        QVERIFY(!QFile::exists(target));
        r = maas({ QStringLiteral("card"), fixture(QStringLiteral("mlp.pt")), QStringLiteral("--set"),
            QStringLiteral("labels=a,b,c"), QStringLiteral("-o"), target });
        QVERIFY2(r.code == 0, qPrintable(r.err));

        r = maas({ QStringLiteral("predict"), fixture(QStringLiteral("mlp_two_labels.pt")),
            fixture(QStringLiteral("mlp.rows.csv")) });
        QVERIFY2(r.code == 0, qPrintable(r.err));
        QVERIFY2(
            r.err.contains(QLatin1String("warning")) && r.err.contains(QLatin1String("2 labels")), qPrintable(r.err));
        r = maas(
            { QStringLiteral("predict"), fixture(QStringLiteral("mlp.pt")), fixture(QStringLiteral("mlp.rows.csv")) });
        QVERIFY2(r.err.isEmpty(), qPrintable(r.err));
    }

    void inspectReportsWhatPyTorchReports()
    {
        const auto r = maas({ QStringLiteral("inspect"), fixture(QStringLiteral("resnet18.pt")),
            QStringLiteral("--json"), QStringLiteral("--input-shape"), QStringLiteral("1,3,224,224") });
        QCOMPARE(r.code, 0);
        const auto json = nlohmann::json::parse(r.out.toStdString());
        QCOMPARE(json["total_parameters"].get<std::int64_t>(), facts()["resnet18"]["parameters"].get<std::int64_t>());
        QCOMPARE(json["compute"]["macs"].get<std::int64_t>(), facts()["resnet18"]["macs"].get<std::int64_t>());
        QCOMPARE(json["card"]["inferred"].get<bool>(), true);
        QCOMPARE(json["sha256"].get<std::string>().size(), std::size_t { 64 });

        const auto text = maas({ QStringLiteral("inspect"), fixture(QStringLiteral("resnet18.pt")) });
        QCOMPARE(text.code, 0);
        QVERIFY2(text.out.contains(QLatin1String("11.7 M")), qPrintable(text.out));
        QVERIFY(text.out.contains(QLatin1String("layer4")));
        QVERIFY(text.out.contains(QLatin1String("BasicBlock")));
    }

    void predictCsvMatchesPyTorch()
    {
        const auto r = maas({ QStringLiteral("predict"), fixture(QStringLiteral("mlp.pt")),
            fixture(QStringLiteral("mlp.rows.csv")), QStringLiteral("--json"), QStringLiteral("--top-k"),
            QStringLiteral("2"), QStringLiteral("--threads"), QStringLiteral("2") });
        QCOMPARE(r.code, 0);
        const auto json = nlohmann::json::parse(r.out.toStdString());
        const auto expected = npyValues(fixture(QStringLiteral("mlp.rows.output.npy")));
        const auto& got = json["outputs"][0]["data"];
        QCOMPARE(got.size(), expected.size());
        for (std::size_t i = 0; i < got.size(); ++i)
            QVERIFY(std::fabs(got[i].get<double>() - expected[i].get<double>()) <= 1e-5);
        QCOMPARE(json["predictions"].size(), std::size_t { 2 });
        QCOMPARE(json["threads"]["blas"].get<int>(), json["threads"]["budget"].get<int>()); // an MLP: BLAS works
        QCOMPARE(json["predictions"][0].size(), std::size_t { 2 });
        const std::string label = json["predictions"][0][0]["label"];
        QVERIFY(label == "setosa" || label == "versicolor" || label == "virginica");
    }

    void predictImageShowsLabels()
    {
        const auto r = maas(
            { QStringLiteral("predict"), fixture(QStringLiteral("cnn.pt")), fixture(QStringLiteral("cnn.image.png")) });
        QCOMPARE(r.code, 0);
        QVERIFY2(r.out.contains(QLatin1String("%")) && r.out.contains(QLatin1String("latency")), qPrintable(r.out));
        const QStringList labels { QStringLiteral("T-shirt/top"), QStringLiteral("Trouser"), QStringLiteral("Pullover"),
            QStringLiteral("Dress"), QStringLiteral("Coat"), QStringLiteral("Sandal"), QStringLiteral("Shirt"),
            QStringLiteral("Sneaker"), QStringLiteral("Bag"), QStringLiteral("Ankle boot") };
        int shown = 0;
        for (const auto& l : labels)
            shown += r.out.contains(l) ? 1 : 0;
        QCOMPARE(shown, 5);
    }

    void predictTextAndTensorFiles()
    {
        const auto text = maas({ QStringLiteral("predict"), fixture(QStringLiteral("text.pt")),
            QStringLiteral("a great movie"), QStringLiteral("awful") });
        QCOMPARE(text.code, 0);
        QVERIFY(text.out.contains(QLatin1String("positive")) && text.out.contains(QLatin1String("negative")));

        QTemporaryDir dir;
        const QString saved = dir.filePath(QStringLiteral("out.npy"));
        const auto r = maas({ QStringLiteral("predict"), fixture(QStringLiteral("lstm_traced.pt")),
            fixture(QStringLiteral("lstm_traced.input.npy")), QStringLiteral("--output"), saved });
        QCOMPARE(r.code, 0);
        const auto got = npyValues(saved), expected = npyValues(fixture(QStringLiteral("lstm_traced.output.npy")));
        QCOMPARE(got.size(), expected.size());
        for (std::size_t i = 0; i < got.size(); ++i)
            QVERIFY(std::fabs(got[i].get<double>() - expected[i].get<double>()) <= 1e-5);
    }

    void badModelsFailWithOneLine_data()
    {
        QTest::addColumn<QString>("file");
        for (const char* f : { "bad_state_dict.pt", "bad_legacy_pickle.pt", "bad_pickled_module.pt", "bad_model.onnx",
                 "bad_empty.pt", "bad_random.pt", "bad_truncated.pt", "no_such.pt", "" })
            QTest::newRow(*f ? f : "directory") << QString::fromLatin1(f);
    }
    void badModelsFailWithOneLine()
    {
        QFETCH(QString, file);
        // inspect reads ONNX files (inspectReadsAnOnnxFile); as a model to use, one is refused
        for (const char* command : { "inspect", "card" }) {
            if (file.endsWith(QLatin1String(".onnx")) && QLatin1String(command) == QLatin1String("inspect"))
                continue;
            const auto r = maas({ QLatin1String(command), fixture(file) });
            QCOMPARE(r.code, 1);
            QVERIFY(r.out.isEmpty());
            QCOMPARE(r.err.trimmed().count(QLatin1Char('\n')), 0);
            QVERIFY2(r.err.contains(fixture(file)), qPrintable(r.err));
        }
    }

    // `maas inspect` and `maas graph` read an ONNX file from another producer (torch.onnx.export) without
    // running it; a damaged one gets one sentence.
    void inspectReadsAnOnnxFile()
    {
        const auto onnx = fixture(QStringLiteral("bad_model.onnx"));
        auto r = maas({ QStringLiteral("inspect"), onnx });
        QVERIFY2(r.code == 0, qPrintable(r.err));
        QVERIFY2(
            r.out.contains(QLatin1String("ONNX, opset")) && r.out.contains(QLatin1String("Gemm")), qPrintable(r.out));
        QVERIFY2(r.out.contains(QRegularExpression(QStringLiteral("checker\\s+passed"))), qPrintable(r.out));
        r = maas({ QStringLiteral("inspect"), onnx, QStringLiteral("--json") });
        const auto info = nlohmann::json::parse(r.out.toStdString());
        r = maas({ QStringLiteral("inspect"), fixture(QStringLiteral("mlp.pt")), QStringLiteral("--json") });
        const auto torch = nlohmann::json::parse(r.out.toStdString());
        QCOMPARE(info["parameters"].get<qint64>(), torch["total_parameters"].get<qint64>()); // same weights
        QVERIFY(info["producer"].get<std::string>().rfind("pytorch", 0) == 0);
        QCOMPARE(info["inputs"].size(), std::size_t { 1 });
        r = maas({ QStringLiteral("graph"), onnx });
        QVERIFY2(r.code == 0 && r.out.contains(QLatin1String("Gemm")), qPrintable(r.err + r.out));

        QTemporaryDir dir;
        QFile whole(onnx), damaged(dir.filePath(QStringLiteral("damaged.onnx")));
        QVERIFY(whole.open(QIODevice::ReadOnly) && damaged.open(QIODevice::WriteOnly));
        damaged.write(whole.readAll().left(static_cast<int>(whole.size() / 2)));
        damaged.close();
        r = maas({ QStringLiteral("inspect"), damaged.fileName() });
        QCOMPARE(r.code, 1);
        QCOMPARE(r.err.trimmed().count(QLatin1Char('\n')), 0);
        QVERIFY2(r.err.contains(QLatin1String("not an ONNX model")), qPrintable(r.err));
    }

    // `maas export --onnx` refuses before any work what would destroy or mislead: the model itself as the
    // output, an input shape the model does not take (the file would load nowhere); nothing is written.
    void exportToOnnxRefusesBadOutputsAndShapes()
    {
        QTemporaryDir dir;
        const auto model = dir.filePath(QStringLiteral("mlp.pt"));
        QVERIFY(QFile::copy(fixture(QStringLiteral("mlp.pt")), model));
        const auto before = QFileInfo(model).size();
        auto r = maas({ QStringLiteral("export"), model, QStringLiteral("--onnx"), model });
        QCOMPARE(r.code, 1);
        QVERIFY2(r.err.contains(QLatin1String("--onnx is also an input")), qPrintable(r.err));
        QCOMPARE(QFileInfo(model).size(), before);
        const auto target = dir.filePath(QStringLiteral("wrong.onnx"));
        r = maas({ QStringLiteral("export"), fixture(QStringLiteral("cnn.pt")), QStringLiteral("--onnx"), target,
            QStringLiteral("--input-shape"), QStringLiteral("1,32,32") });
        QCOMPARE(r.code, 1);
        QCOMPARE(r.err.trimmed().count(QLatin1Char('\n')), 0);
        QVERIFY2(r.err.contains(QLatin1String("--input-shape [1, 32, 32] is not a shape the model takes")),
            qPrintable(r.err));
        QVERIFY(!QFileInfo::exists(target));
        for (const char* shape : { "1,,28", "1,28,28," }) {
            r = maas({ QStringLiteral("export"), fixture(QStringLiteral("cnn.pt")), QStringLiteral("--onnx"), target,
                QStringLiteral("--input-shape"), QLatin1String(shape) });
            QCOMPARE(r.code, 2);
        }
        QCOMPARE(QDir(dir.path()).entryList(QDir::Files | QDir::Hidden).size(), 1); // the model alone, no temporaries
    }

    // `maas export --triton DIR --format onnx`: a repository folder for Triton's onnxruntime backend, whose
    // config names the ONNX file's own tensors; `maas inspect` reads the file it holds.
    void exportsATritonFolderWithOnnx()
    {
        QTemporaryDir dir;
        auto r = maas({ QStringLiteral("export"), fixture(QStringLiteral("cnn.pt")), QStringLiteral("--triton"),
            dir.path(), QStringLiteral("--format"), QStringLiteral("onnx"), QStringLiteral("--name"),
            QStringLiteral("digits"), QStringLiteral("--kserve"), QStringLiteral("s3://bucket/models") });
        QVERIFY2(r.code == 0, qPrintable(r.err));
        QFile config(dir.filePath(QStringLiteral("digits/config.pbtxt")));
        QVERIFY(config.open(QIODevice::ReadOnly));
        const QString text = QString::fromUtf8(config.readAll());
        QVERIFY2(text.contains(QLatin1String("platform: \"onnxruntime_onnx\"")), qPrintable(text));
        QVERIFY2(text.contains(QLatin1String("max_batch_size: 64")), qPrintable(text));
        QVERIFY(!QFileInfo::exists(dir.filePath(QStringLiteral("digits/1/model.pt"))));
        r = maas({ QStringLiteral("inspect"), dir.filePath(QStringLiteral("digits/1/model.onnx")),
            QStringLiteral("--json") });
        QVERIFY2(r.code == 0, qPrintable(r.err));
        const auto info = nlohmann::json::parse(r.out.toStdString());
        const auto input = info["inputs"][0]["name"].get<std::string>();
        QVERIFY2(text.contains(QStringLiteral("name: \"%1\"").arg(QString::fromStdString(input))), qPrintable(text));
        QCOMPARE(info["checker"].get<std::string>(), std::string("passed"));
        QFile manifest(dir.filePath(QStringLiteral("digits.kserve.yaml")));
        QVERIFY(manifest.open(QIODevice::ReadOnly) && manifest.readAll().contains("name: onnx"));
        r = maas({ QStringLiteral("export"), fixture(QStringLiteral("cnn.pt")), QStringLiteral("--triton"), dir.path(),
            QStringLiteral("--format"), QStringLiteral("tflite") });
        QCOMPARE(r.code, 2);
        QVERIFY(r.err.contains(QLatin1String("torchscript or onnx")));
        // A model that cannot be exported leaves nothing: not even the folders made for it.
        r = maas({ QStringLiteral("export"), fixture(QStringLiteral("text.pt")), QStringLiteral("--triton"),
            dir.filePath(QStringLiteral("new/deeper")), QStringLiteral("--format"), QStringLiteral("onnx") });
        QCOMPARE(r.code, 1);
        QVERIFY(!QFileInfo::exists(dir.filePath(QStringLiteral("new"))));
    }

    void wrongInputFailsWithOneLine()
    {
        const auto r = maas(
            { QStringLiteral("predict"), fixture(QStringLiteral("cnn.pt")), fixture(QStringLiteral("mlp.rows.csv")) });
        QCOMPARE(r.code, 1);
        QVERIFY2(r.err.contains(QLatin1String("'image'")), qPrintable(r.err));
        QCOMPARE(r.err.trimmed().count(QLatin1Char('\n')), 0);
    }

    void cardEditsLoadInPyTorch()
    {
        QTemporaryDir dir;
        const QString copy = dir.filePath(QStringLiteral("labelled.pt"));
        const auto r = maas({ QStringLiteral("card"), fixture(QStringLiteral("mlp_nocard.pt")), QStringLiteral("--set"),
            QStringLiteral("labels=a,b,c"), QStringLiteral("--set"), QStringLiteral("task=classification"),
            QStringLiteral("-o"), copy });
        QCOMPARE(r.code, 0);
        QProcess python;
        python.start(QStringLiteral(MAAS_PYTHON),
            { QStringLiteral(MAAS_SOURCE_DIR "/tests/fixtures/check_in_pytorch.py"), copy,
                fixture(QStringLiteral("mlp.input.npy")), fixture(QStringLiteral("mlp.output.npy")) });
        python.waitForFinished(120000);
        QVERIFY2(python.exitCode() == 0, python.readAllStandardError().constData());
        const auto card = nlohmann::json::parse(python.readAllStandardOutput().toStdString());
        QCOMPARE(card["labels"], nlohmann::json({ "a", "b", "c" }));
        QCOMPARE(card["task"].get<std::string>(), std::string("classification"));
        QCOMPARE(card["inputs"][0]["shape"], nlohmann::json({ -1, 4 }));

        const auto shown = maas({ QStringLiteral("card"), copy });
        QCOMPARE(shown.code, 0);
        QCOMPARE(nlohmann::json::parse(shown.out.toStdString())["labels"], card["labels"]);
    }

    void refusedCardEditChangesNothing_data()
    {
        QTest::addColumn<QString>("setting");
        QTest::addColumn<QString>("says");
        QTest::newRow("an unknown datatype") << "inputs.0.datatype=FLOAT"
                                             << "'FLOAT' is not a datatype";
        QTest::newRow("the same label twice") << "labels=a,a,b"
                                              << "'a' is given twice";
        QTest::newRow("an empty label") << "labels=a,,b"
                                        << "a label is empty";
        QTest::newRow("a field cards do not have") << "licence=MIT"
                                                   << "no such field";
        QTest::newRow("an input number far past the end") << "inputs.99999999999999999999.shape=1"
                                                          << "numbered from 0 to 0";
        QTest::newRow("a path into a text field") << "name.first=x"
                                                  << "no such field";
        QTest::newRow("a standard deviation of zero") << "preprocessing.std=0"
                                                      << "divide by zero";
    }
    void refusedCardEditChangesNothing()
    {
        QFETCH(QString, setting);
        QFETCH(QString, says);
        QTemporaryDir dir;
        const QString copy = dir.filePath(QStringLiteral("m.pt"));
        QVERIFY(QFile::copy(fixture(QStringLiteral("mlp.pt")), copy));
        const QByteArray before = fileHash(copy);
        const auto r = maas({ QStringLiteral("card"), copy, QStringLiteral("--set"), setting });
        QCOMPARE(r.code, 2);
        QVERIFY2(
            r.err.contains(says) && r.err.startsWith(QLatin1String("maas: error: --set ")) && r.err.count(u'\n') == 1,
            qPrintable(r.err));
        QCOMPARE(fileHash(copy), before);
        QCOMPARE(QDir(dir.path()).entryList(QDir::Files | QDir::Hidden).size(), 1);
    }

    void trainAndEvaluateFromTheCommandLine()
    {
        QTemporaryDir dir;
        const QString fashion = QStringLiteral("/usr/share/datasets/fashion-mnist");
        const QString fresh = dir.filePath(QStringLiteral("new.pt")),
                      trained = dir.filePath(QStringLiteral("trained.pt"));
        auto r = maas({ QStringLiteral("new"), QStringLiteral("--arch"), QStringLiteral("cnn"),
            QStringLiteral("--data"), fashion, QStringLiteral("--limit"), QStringLiteral("100"),
            QStringLiteral("--set"), QStringLiteral("channels=[4]"), QStringLiteral("--set"),
            QStringLiteral("dense=[]"), QStringLiteral("-o"), fresh });
        QVERIFY2(r.code == 0, qPrintable(r.err));
        QVERIFY(r.out.contains(QLatin1String("parameters")));

        r = maas({ QStringLiteral("train"), fresh, QStringLiteral("--data"), fashion, QStringLiteral("--limit"),
            QStringLiteral("600"), QStringLiteral("--epochs"), QStringLiteral("2"), QStringLiteral("--json"),
            QStringLiteral("--checkpoint"), dir.filePath(QStringLiteral("ckpt.pt")), QStringLiteral("-o"), trained });
        QVERIFY2(r.code == 0, qPrintable(r.err));
        const auto result = nlohmann::json::parse(r.out.toStdString());
        QCOMPARE(result["history"].size(), std::size_t { 2 });
        QCOMPARE(result["card"]["labels"][9].get<std::string>(), std::string("Ankle boot"));
        QVERIFY(r.err.contains(QLatin1String("epoch 2/2"))); // the live lines go to stderr with --json

        r = maas({ QStringLiteral("eval"), trained, QStringLiteral("--data"), fashion, QStringLiteral("--limit"),
            QStringLiteral("300"), QStringLiteral("--json") });
        QVERIFY2(r.code == 0, qPrintable(r.err));
        const auto e = nlohmann::json::parse(r.out.toStdString());
        QCOMPARE(e["samples"].get<int>(), 300);
        QVERIFY(e["accuracy"].get<double>() > 0.3);
        r = maas({ QStringLiteral("eval"), trained, QStringLiteral("--data"), fashion, QStringLiteral("--limit"),
            QStringLiteral("300") });
        QVERIFY(r.out.contains(QLatin1String("confusion matrix")) && r.out.contains(QLatin1String("Sneaker")));

        r = maas({ QStringLiteral("train"), QStringLiteral("--arch"), QStringLiteral("mlp"), QStringLiteral("--data"),
            fashion, QStringLiteral("--limit"), QStringLiteral("300"), QStringLiteral("--epochs"), QStringLiteral("1"),
            QStringLiteral("-o"), dir.filePath(QStringLiteral("quick.pt")) });
        QVERIFY2(r.code == 0, qPrintable(r.err));
        QVERIFY(r.out.contains(QLatin1String("epoch 1/1")));
    }

    // Ctrl-C: the run stops after its batch, the checkpoint keeps the last whole epoch, nothing else
    // is written, and --resume finishes the run.
    void interruptedTrainingResumes()
    {
        QTemporaryDir dir;
        const QString out = dir.filePath(QStringLiteral("out.pt")),
                      checkpoint = dir.filePath(QStringLiteral("ckpt.pt"));
        const QStringList args { QStringLiteral("train"), QStringLiteral("--arch"), QStringLiteral("mlp"),
            QStringLiteral("--data"), QStringLiteral("/usr/share/datasets/fashion-mnist"), QStringLiteral("--limit"),
            QStringLiteral("3000"), QStringLiteral("--checkpoint"), checkpoint, QStringLiteral("-o"), out };
        QProcess p;
        auto env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("MAAS_LANGUAGE"), QStringLiteral("en"));
        p.setProcessEnvironment(env);
        p.start(QStringLiteral(MAAS_CLI), args + QStringList { QStringLiteral("--epochs"), QStringLiteral("1000") });
        QByteArray printed;
        QVERIFY(QTest::qWaitFor(
            [&] {
                printed += p.readAllStandardOutput();
                return printed.contains("epoch 1/1000") || p.state() == QProcess::NotRunning;
            },
            120000));
        QVERIFY2(p.state() == QProcess::Running, printed.constData());
        ::kill(static_cast<pid_t>(p.processId()), SIGINT);
        QVERIFY(p.waitForFinished(60000));
        QCOMPARE(p.exitStatus(), QProcess::NormalExit);
        QCOMPARE(p.exitCode(), 130);
        const QString said = QString::fromUtf8(p.readAllStandardError());
        const auto held = QRegularExpression(QStringLiteral("holds epoch (\\d+): continue with --resume")).match(said);
        QVERIFY2(held.hasMatch(), qPrintable(said));
        const int epochs = held.captured(1).toInt();
        QVERIFY(epochs >= 1);
        QVERIFY(!QFile::exists(out));
        QVERIFY(QFile::exists(checkpoint));

        // One more epoch than the checkpoint holds: the run goes on from there.
        const auto r = maas(args
            + QStringList { QStringLiteral("--epochs"), QString::number(epochs + 1), QStringLiteral("--resume"),
                QStringLiteral("--json") });
        QVERIFY2(r.code == 0, qPrintable(r.err));
        const auto result = nlohmann::json::parse(r.out.toStdString());
        QCOMPARE(result["resumed_from"].get<int>(), epochs);
        QCOMPARE(result["history"].size(), std::size_t(epochs + 1));
        QVERIFY(QFile::exists(out));
        // Fewer epochs than the checkpoint holds (now epochs + 1) is a mistake, said before any work.
        const auto fewer = maas(
            args + QStringList { QStringLiteral("--epochs"), QString::number(epochs), QStringLiteral("--resume") });
        QCOMPARE(fewer.code, 1);
        QVERIFY2(fewer.err.contains(QLatin1String("already holds")), qPrintable(fewer.err));
    }

    // No output ever destroys something: an output that is an input, a device, a pipe, or a folder that is
    // not there is refused before any work, with a sentence naming it; a link is written through.
    void outputsNeverDestroyWhatIsThere_data()
    {
        QTest::addColumn<QString>("what"); // the scenario, prepared in the test body
        QTest::addColumn<QString>("says");
        QTest::newRow("train writes its model over the data set") << "train-o-data"
                                                                  << "also an input";
        QTest::newRow("train writes its checkpoint over the data set") << "train-checkpoint-data"
                                                                       << "also an input";
        QTest::newRow("train writes into a folder that is not there") << "train-missing-folder"
                                                                      << "does not exist";
        QTest::newRow("card writes to /dev/null") << "card-device"
                                                  << "not a regular file";
        QTest::newRow("card writes to a named pipe") << "card-fifo"
                                                     << "not a regular file";
        QTest::newRow("new writes its model over its spec") << "new-o-spec"
                                                            << "also an input";
        QTest::newRow("predict writes its outputs over its input") << "predict-o-input"
                                                                   << "also an input";
    }
    void outputsNeverDestroyWhatIsThere()
    {
        QFETCH(QString, what);
        QFETCH(QString, says);
        QTemporaryDir dir;
        const QString data = dir.filePath(QStringLiteral("d.csv"));
        {
            QFile f(data);
            QVERIFY(f.open(QIODevice::WriteOnly));
            for (int i = 0; i < 40; ++i)
                f.write(QStringLiteral("%1,%2,%3\n")
                            .arg(i % 7)
                            .arg(i % 3)
                            .arg(i % 2 ? QStringLiteral("a") : QStringLiteral("b"))
                            .toUtf8());
            f.close();
            f.open(QIODevice::ReadWrite);
            const QByteArray rows = f.readAll();
            f.resize(0);
            f.write("x,y,label\n" + rows);
        }
        const QString spec = dir.filePath(QStringLiteral("spec.json"));
        {
            QFile f(spec);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write("{\"arch\": \"mlp\", \"input_shape\": [2], \"classes\": 2}");
        }
        const QString npy = dir.filePath(QStringLiteral("in.npy"));
        QVERIFY(QFile::copy(fixture(QStringLiteral("mlp.input.npy")), npy));
        const QString fifo = dir.filePath(QStringLiteral("pipe.pt"));
        QCOMPARE(::mkfifo(fifo.toLocal8Bit().constData(), 0600), 0);
        const QString out = dir.filePath(QStringLiteral("out.pt"));
        const QString mlp = fixture(QStringLiteral("mlp.pt"));
        const QHash<QString, QStringList> commands {
            { QStringLiteral("train-o-data"),
                { QStringLiteral("train"), QStringLiteral("--arch"), QStringLiteral("mlp"), QStringLiteral("--data"),
                    data, QStringLiteral("-o"), data } },
            { QStringLiteral("train-checkpoint-data"),
                { QStringLiteral("train"), QStringLiteral("--arch"), QStringLiteral("mlp"), QStringLiteral("--data"),
                    data, QStringLiteral("--checkpoint"), data, QStringLiteral("-o"), out } },
            { QStringLiteral("train-missing-folder"),
                { QStringLiteral("train"), QStringLiteral("--arch"), QStringLiteral("mlp"), QStringLiteral("--data"),
                    data, QStringLiteral("-o"), dir.filePath(QStringLiteral("missing/x.pt")) } },
            { QStringLiteral("card-device"),
                { QStringLiteral("card"), mlp, QStringLiteral("--set"), QStringLiteral("name=z"), QStringLiteral("-o"),
                    QStringLiteral("/dev/null") } },
            { QStringLiteral("card-fifo"),
                { QStringLiteral("card"), mlp, QStringLiteral("--set"), QStringLiteral("name=z"), QStringLiteral("-o"),
                    fifo } },
            { QStringLiteral("new-o-spec"),
                { QStringLiteral("new"), QStringLiteral("--spec"), spec, QStringLiteral("-o"), spec } },
            { QStringLiteral("predict-o-input"),
                { QStringLiteral("predict"), mlp, npy, QStringLiteral("--output"), npy } },
        };
        const QByteArray before = fileHash(data), specBefore = fileHash(spec), npyBefore = fileHash(npy);
        const auto r = maas(commands.value(what));
        QCOMPARE(r.code, 1);
        QVERIFY2(r.err.contains(says) && r.err.count(QLatin1Char('\n')) == 1, qPrintable(r.err));
        QVERIFY2(!r.out.contains(QLatin1String("epoch")), qPrintable(r.out)); // refused before any training
        QCOMPARE(fileHash(data), before);
        QCOMPARE(fileHash(spec), specBefore);
        QCOMPARE(fileHash(npy), npyBefore);
        QFileInfo devNull(QStringLiteral("/dev/null"));
        QVERIFY(!devNull.isFile()); // still the device
        QVERIFY(QFileInfo(fifo).exists() && !QFileInfo(fifo).isFile());
        QCOMPARE(QDir(dir.path()).entryList(QDir::Files | QDir::Hidden | QDir::System).size(), 4); // no temporary left
    }

    // Issue 9, items 4 and 6: data that cannot train and sizes past the limits stop while reading, with one
    // line (no stack trace, no "unexpected failure"), before anything is written.
    void badInputsStopAtReadingWithOneLine_data()
    {
        QTest::addColumn<QString>("what"); // the scenario, prepared in the test body
        QTest::addColumn<QString>("says");
        QTest::newRow("new with a billion classes") << "classes"
                                                    << "--classes must be at most 100000.";
        QTest::newRow("new with /dev/zero as its spec") << "spec-zero"
                                                        << "/dev/zero is not a regular file";
        QTest::newRow("new with a named pipe as its spec") << "spec-fifo"
                                                           << "spec.fifo is not a regular file";
        QTest::newRow("new with an input shape of a billion") << "new-shape"
                                                              << "--input-shape is [1000000000], more than the limit";
        QTest::newRow("train on a CSV with NaN in a feature")
            << "train-nan"
            << "d.csv, line 3, column 'b': 'nan' is not a finite number";
        QTest::newRow("train on a CSV whose label is not UTF-8")
            << "train-latin1"
            << "d.csv, line 2, column 'label': the label 'caf\\xe9' is not valid UTF-8";
        QTest::newRow("train with an image size of 100000x100000") << "train-image-size"
                                                                   << "--image-size 100000x100000 is past the limit";
        QTest::newRow("predict a .npy whose header claims 2^62 rows")
            << "predict-npy"
            << "declares shape [4611686018427387904, 4], more than 9 EB of data";
        QTest::newRow("inspect with an input shape of a billion")
            << "inspect-shape"
            << "--input-shape '1000000000,4' has more than the limit";
    }
    void badInputsStopAtReadingWithOneLine()
    {
        QFETCH(QString, what);
        QFETCH(QString, says);
        QTemporaryDir dir;
        const auto file = [&](const QString& name, const QByteArray& content) {
            QFile f(dir.filePath(name));
            f.open(QIODevice::WriteOnly);
            f.write(content);
            return f.fileName();
        };
        const QString nan = file(QStringLiteral("d.csv"),
            what == QLatin1String("train-latin1") ? QByteArray("a,b,label\n1,2,caf\xe9\n3,4,x\n")
                                                  : QByteArray("a,b,label\n1,2,x\n3,nan,y\n"));
        const QString fifo = dir.filePath(QStringLiteral("spec.fifo"));
        QCOMPARE(::mkfifo(fifo.toLocal8Bit().constData(), 0600), 0);
        for (const char* label : { "a", "b" }) {
            QVERIFY(QDir(dir.path()).mkpath(QStringLiteral("images/") + QLatin1String(label)));
            QVERIFY(QFile::copy(fixture(QStringLiteral("cnn.image.png")),
                dir.filePath(QStringLiteral("images/%1/1.png").arg(QLatin1String(label)))));
        }
        QByteArray header = "{'descr': '<f4', 'fortran_order': False, 'shape': (4611686018427387904, 4), }";
        header = header.leftJustified(117, ' ') + '\n';
        const QString npy = file(QStringLiteral("rows.npy"), QByteArray("\x93NUMPY\x01\x00\x76\x00", 10) + header);
        const QString out = dir.filePath(QStringLiteral("out.pt"));
        const QString mlp = fixture(QStringLiteral("mlp.pt"));
        const QStringList train { QStringLiteral("train"), QStringLiteral("--arch"), QStringLiteral("mlp"),
            QStringLiteral("-o"), out, QStringLiteral("--data") };
        const QStringList make { QStringLiteral("new"), QStringLiteral("--arch"), QStringLiteral("mlp"),
            QStringLiteral("-o"), out };
        const QHash<QString, QStringList> commands {
            { QStringLiteral("classes"),
                make
                    + QStringList { QStringLiteral("--input-shape"), QStringLiteral("4"), QStringLiteral("--classes"),
                        QStringLiteral("1000000000") } },
            { QStringLiteral("spec-zero"),
                make + QStringList { QStringLiteral("--spec"), QStringLiteral("/dev/zero") } },
            { QStringLiteral("spec-fifo"), make + QStringList { QStringLiteral("--spec"), fifo } },
            { QStringLiteral("new-shape"),
                make
                    + QStringList { QStringLiteral("--input-shape"), QStringLiteral("1000000000"),
                        QStringLiteral("--classes"), QStringLiteral("3") } },
            { QStringLiteral("train-nan"), train + QStringList { nan } },
            { QStringLiteral("train-latin1"), train + QStringList { nan } },
            { QStringLiteral("train-image-size"),
                train
                    + QStringList { dir.filePath(QStringLiteral("images")), QStringLiteral("--image-size"),
                        QStringLiteral("100000x100000") } },
            { QStringLiteral("predict-npy"), { QStringLiteral("predict"), mlp, npy } },
            { QStringLiteral("inspect-shape"),
                { QStringLiteral("inspect"), mlp, QStringLiteral("--input-shape"), QStringLiteral("1000000000,4") } },
        };
        const auto r = maas(commands.value(what));
        QVERIFY2(r.code != 0, qPrintable(r.out));
        QVERIFY2(r.err.contains(says) && r.err.count(QLatin1Char('\n')) == 1, qPrintable(r.err));
        QVERIFY2(!r.err.contains(QLatin1String("unexpected")), qPrintable(r.err));
        QVERIFY2(!r.out.contains(QLatin1String("epoch")), qPrintable(r.out)); // refused before any training
        QVERIFY(!QFile::exists(out));
    }

    // Outputs that cannot be a file: refused before any work, whatever the command.
    void outputsThatCannotBeFilesAreRefused_data()
    {
        QTest::addColumn<QString>("output");
        QTest::addColumn<QString>("says");
        QTest::newRow("an empty file name") << ""
                                            << "is empty";
        QTest::newRow("standard output, a pipe here") << "/dev/stdout"
                                                      << "not a regular file";
        QTest::newRow("a loop of symbolic links") << "loop"
                                                  << "loop of symbolic links";
    }
    void outputsThatCannotBeFilesAreRefused()
    {
        QFETCH(QString, output);
        QFETCH(QString, says);
        QTemporaryDir dir;
        if (output == QLatin1String("loop")) {
            output = dir.filePath(QStringLiteral("a.pt"));
            QVERIFY(QFile::link(dir.filePath(QStringLiteral("b.pt")), output));
            QVERIFY(QFile::link(output, dir.filePath(QStringLiteral("b.pt"))));
        }
        const auto entries = QDir(dir.path()).entryList(QDir::Files | QDir::Hidden | QDir::System).size();
        const auto r = maas(
            { QStringLiteral("new"), QStringLiteral("--arch"), QStringLiteral("mlp"), QStringLiteral("--input-shape"),
                QStringLiteral("4"), QStringLiteral("--classes"), QStringLiteral("3"), QStringLiteral("-o"), output });
        QCOMPARE(r.code, 1);
        QVERIFY2(r.err.contains(says) && r.err.count(u'\n') == 1, qPrintable(r.err));
        QVERIFY(r.out.isEmpty());
        QCOMPARE(QDir(dir.path()).entryList(QDir::Files | QDir::Hidden | QDir::System).size(), entries);
    }

    void writingThroughALinkKeepsTheLink()
    {
        QTemporaryDir dir;
        const QString real = dir.filePath(QStringLiteral("real.pt")), link = dir.filePath(QStringLiteral("link.pt"));
        QVERIFY(QFile::copy(fixture(QStringLiteral("mlp.pt")), real));
        QVERIFY(QFile::link(real, link));
        const auto r = maas({ QStringLiteral("card"), link, QStringLiteral("--set"), QStringLiteral("name=through") });
        QVERIFY2(r.code == 0, qPrintable(r.err));
        QVERIFY(QFileInfo(link).isSymLink());
        const auto card = maas({ QStringLiteral("card"), real });
        QVERIFY2(card.out.contains(QLatin1String("\"through\"")), qPrintable(card.out));
    }

    void trainingMistakesStopBeforeTraining_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<int>("code");
        QTest::addColumn<QString>("says");
        const QString fashion = QStringLiteral("/usr/share/datasets/fashion-mnist");
        const QString out = QStringLiteral("/tmp/maas-test-never-written.pt");
        QTest::newRow("no data") << QStringList { QStringLiteral("train"), QStringLiteral("--arch"),
            QStringLiteral("mlp"), QStringLiteral("-o"), out }
                                 << 2 << "--data";
        QTest::newRow("model and arch") << QStringList { QStringLiteral("train"), fixture(QStringLiteral("mlp.pt")),
            QStringLiteral("--arch"), QStringLiteral("mlp"), QStringLiteral("--data"), fashion, QStringLiteral("-o"),
            out } << 2 << "either";
        QTest::newRow("missing data") << QStringList { QStringLiteral("train"), QStringLiteral("--arch"),
            QStringLiteral("mlp"), QStringLiteral("--data"), QStringLiteral("/no/such/data"), QStringLiteral("-o"),
            out } << 1 << "no such data set";
        QTest::newRow("unknown arch") << QStringList { QStringLiteral("new"), QStringLiteral("--arch"),
            QStringLiteral("transformer"), QStringLiteral("--classes"), QStringLiteral("2"), QStringLiteral("-o"), out }
                                      << 2 << "'arch'";
        QTest::newRow("resume without checkpoint") << QStringList { QStringLiteral("train"), QStringLiteral("--arch"),
            QStringLiteral("mlp"), QStringLiteral("--data"), fashion, QStringLiteral("--limit"), QStringLiteral("100"),
            QStringLiteral("--resume"), QStringLiteral("-o"), out }
                                                   << 2 << "--checkpoint";
        QTest::newRow("wrong classes") << QStringList { QStringLiteral("train"), fixture(QStringLiteral("cnn.pt")),
            QStringLiteral("--data"), fixture(QStringLiteral("mlp.rows.csv")), QStringLiteral("-o"), out }
                                       << 1 << "";
        QTest::newRow("bad number") << QStringList { QStringLiteral("train"), QStringLiteral("--arch"),
            QStringLiteral("mlp"), QStringLiteral("--data"), fashion, QStringLiteral("--epochs"),
            QStringLiteral("many"), QStringLiteral("-o"), out }
                                    << 2 << "number";
    }
    void trainingMistakesStopBeforeTraining()
    {
        QFETCH(QStringList, args);
        QFETCH(int, code);
        QFETCH(QString, says);
        const auto r = maas(args);
        QCOMPARE(r.code, code);
        QVERIFY2(r.err.contains(says), qPrintable(r.err));
        QVERIFY(!QFile::exists(QStringLiteral("/tmp/maas-test-never-written.pt")));
    }

    // maas optimize: the frozen model gives the original's answers in Python PyTorch, names its parent, and
    // reports the numbers before and after; a conversion past its tolerance writes nothing.
    void optimizedModelKeepsItsAnswers()
    {
        QTemporaryDir dir;
        const QString out = dir.filePath(QStringLiteral("cnn.cpu.pt"));
        const auto r = maas({ QStringLiteral("optimize"), fixture(QStringLiteral("cnn.pt")), QStringLiteral("--data"),
            QStringLiteral("/usr/share/datasets/fashion-mnist"), QStringLiteral("--limit"), QStringLiteral("300"),
            QStringLiteral("-o"), out, QStringLiteral("--json") });
        QVERIFY2(r.code == 0, qPrintable(r.err));
        const auto json = nlohmann::json::parse(r.out.toStdString());
        QVERIFY(json["difference"].get<double>() <= json["tolerance"].get<double>());
        for (const char* side : { "before", "after" }) {
            QVERIFY(json[side]["file_bytes"].get<std::int64_t>() > 0);
            QVERIFY(json[side]["latency_batch1_ms"].get<double>() > 0);
            QVERIFY(json[side]["accuracy"].is_number());
        }
        // Folding batch-norm into the convolutions does not lose weights, and hardly moves the accuracy.
        QCOMPARE(
            json["after"]["parameters"].get<std::int64_t>() <= json["before"]["parameters"].get<std::int64_t>(), true);
        QVERIFY(std::fabs(json["after"]["accuracy"].get<double>() - json["before"]["accuracy"].get<double>()) < 0.01);
        const auto parent = nlohmann::json::parse(
            maas({ QStringLiteral("inspect"), fixture(QStringLiteral("cnn.pt")), QStringLiteral("--json") })
                .out.toStdString());
        QCOMPARE(json["card"]["lineage"]["operation"].get<std::string>(), std::string("optimize"));
        QCOMPARE(json["card"]["lineage"]["parent_sha256"], parent["sha256"]);

        QProcess python;
        python.start(QStringLiteral(MAAS_PYTHON),
            { QStringLiteral(MAAS_SOURCE_DIR "/tests/fixtures/check_in_pytorch.py"), out,
                fixture(QStringLiteral("cnn.input.npy")), fixture(QStringLiteral("cnn.output.npy")) });
        python.waitForFinished(120000);
        QVERIFY2(python.exitCode() == 0, python.readAllStandardError().constData());

        const QString refused = dir.filePath(QStringLiteral("refused.pt"));
        const auto strict = maas({ QStringLiteral("optimize"), fixture(QStringLiteral("cnn.pt")),
            QStringLiteral("--tolerance"), QStringLiteral("1e-12"), QStringLiteral("-o"), refused });
        QCOMPARE(strict.code, 1);
        QVERIFY2(strict.err.contains(QLatin1String("more than the tolerance")), qPrintable(strict.err));
        QVERIFY(!QFile::exists(refused));
        for (const QStringList& options : { QStringList { QStringLiteral("--target"), QStringLiteral("gpu") },
                 QStringList { QStringLiteral("--tolerance"), QStringLiteral("0") } }) {
            const auto wrong = maas(QStringList { QStringLiteral("optimize"), fixture(QStringLiteral("cnn.pt")),
                                        QStringLiteral("-o"), refused }
                + options);
            QCOMPARE(wrong.code, 2);
            QVERIFY(!QFile::exists(refused));
        }
    }

    // maas quantize on models made by PyTorch, the workbench's own and torchvision's: smaller, within its
    // tolerance, and running in Python PyTorch with the answers it was checked on.
    void quantizedModelsRunInPython_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QString>("input");
        QTest::addColumn<QString>("engine");
        QTest::newRow("mlp") << "mlp"
                             << "mlp.input.npy"
                             << "";
        QTest::newRow("cnn head, qnnpack") << "cnn"
                                           << "cnn.input.npy"
                                           << "qnnpack";
        QTest::newRow("torchvision resnet18") << "resnet18"
                                              << "resnet18.input.npy"
                                              << "onednn";
        QTest::newRow("transformer over ids") << "token_transformer"
                                              << "token_transformer.input.npy"
                                              << "onednn";
        QTest::newRow("text, words in") << "text"
                                        << "text.input.json"
                                        << "";
    }
    void quantizedModelsRunInPython()
    {
        QFETCH(QString, name);
        QFETCH(QString, input);
        QFETCH(QString, engine);
        QTemporaryDir dir;
        const QString out = dir.filePath(name + QStringLiteral(".int8.pt"));
        QStringList args { QStringLiteral("quantize"), fixture(name + QStringLiteral(".pt")), QStringLiteral("-o"), out,
            QStringLiteral("--json") };
        if (!engine.isEmpty())
            args << QStringLiteral("--engine") << engine;
        const auto r = maas(args);
        QVERIFY2(r.code == 0, qPrintable(r.err));
        const auto json = nlohmann::json::parse(r.out.toStdString());
        QVERIFY(json["difference"].get<double>() <= json["tolerance"].get<double>());
        QVERIFY(json["after"]["file_bytes"].get<std::int64_t>() < json["before"]["file_bytes"].get<std::int64_t>());
        QVERIFY(!json["layers"].empty());
        for (const auto& layer : json["layers"])
            QCOMPARE(layer["form"].get<std::string>(), std::string("int8"));
        QCOMPARE(json["card"]["lineage"]["operation"].get<std::string>(), std::string("quantize"));
        if (!engine.isEmpty())
            QCOMPARE(json["settings"]["engine"].get<std::string>(), engine.toStdString());

        QString in = fixture(input);
        if (input.endsWith(QLatin1String(".json"))) { // the text fixture's sentences, as check_in_pytorch reads them
            in = dir.filePath(QStringLiteral("text.json"));
            QFile f(in);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write(R"(["a great movie", "awful"])");
        }
        QProcess python;
        python.start(QStringLiteral(MAAS_PYTHON),
            { QStringLiteral(MAAS_SOURCE_DIR "/tests/fixtures/check_in_pytorch.py"), out, in,
                fixture(name + QStringLiteral(".output.npy")), QString::number(json["tolerance"].get<double>()) });
        python.waitForFinished(120000);
        QVERIFY2(python.exitCode() == 0, python.readAllStandardError().constData());

        if (engine == QLatin1String("qnnpack")) { // its kernel does not check sizes: the model does
            const auto wrong = maas({ QStringLiteral("bench"), out, QStringLiteral("--input-shape"),
                QStringLiteral("1,1,30,30"), QStringLiteral("--iterations"), QStringLiteral("2") });
            QCOMPARE(wrong.code, 1);
            QVERIFY2(wrong.err.contains(QLatin1String("does not fit the Linear layer head")), qPrintable(wrong.err));
        }

        // A quantized model is not quantized again, and says so.
        const QString again = dir.filePath(QStringLiteral("again.pt"));
        const auto twice = maas({ QStringLiteral("quantize"), out, QStringLiteral("-o"), again });
        QCOMPARE(twice.code, 1);
        QVERIFY2(twice.err.contains(QLatin1String("already quantized")), qPrintable(twice.err));
        QVERIFY(!QFile::exists(again));
    }

    // Weights stored in 16 bits: half the file, answers within the tolerance in Python PyTorch, and the model
    // runs in maas (the casts folded into fp32 weights at load).
    void weightsStoredIn16Bits_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QString>("dtype");
        QTest::newRow("torchvision resnet18, fp16") << "resnet18"
                                                    << "fp16";
        QTest::newRow("cnn, bf16") << "cnn"
                                   << "bf16";
        QTest::newRow("transformer over ids, fp16") << "token_transformer"
                                                    << "fp16";
    }
    // The seed's example end to end: a text classifier trained by `maas train`, published to the local
    // endpoint (a maas-serve the command starts), then called there with "I love machine learning!".
    void publishAndCallTheSeedExample()
    {
        QTemporaryDir dir;
        const auto csv = writeReviews(dir);
        QVERIFY(!csv.isEmpty());
        const auto env = privateHome(dir);
        const auto model = dir.filePath(QStringLiteral("reviews.pt"));
        auto r = maas(
            { QStringLiteral("train"), QStringLiteral("--arch"), QStringLiteral("text"), QStringLiteral("--data"), csv,
                QStringLiteral("--epochs"), QStringLiteral("8"), QStringLiteral("-o"), model },
            QStringLiteral("en"), env);
        QVERIFY2(r.code == 0, qPrintable(r.err));
        r = maas({ QStringLiteral("publish"), model, QStringLiteral("--to"), QStringLiteral("local") },
            QStringLiteral("en"), env);
        QVERIFY2(r.code == 0, qPrintable(r.err));
        QVERIFY2(r.out.contains(QLatin1String("published reviews version 1 to local")), qPrintable(r.out));
        QVERIFY(r.out.contains(QLatin1String("verification passed")));
        r = maas({ QStringLiteral("remote"), QStringLiteral("infer"), QStringLiteral("--on"), QStringLiteral("local"),
                     QStringLiteral("reviews"), QStringLiteral("I love machine learning!"), QStringLiteral("--top-k"),
                     QStringLiteral("1") },
            QStringLiteral("en"), env);
        QVERIFY2(r.code == 0, qPrintable(r.err));
        const auto lines = r.out.split(QLatin1Char('\n'));
        QCOMPARE(lines.value(0), QStringLiteral("I love machine learning!"));
        QVERIFY2(lines.value(1).trimmed().endsWith(QLatin1String("positive")), qPrintable(r.out)); // score, then label
        QVERIFY(lines.value(1).trimmed().section(QLatin1Char(' '), 0, 0).toDouble() > 0.5);
        QVERIFY(r.out.contains(QLatin1String("round trip")));
        r = maas(
            { QStringLiteral("remote"), QStringLiteral("list"), QStringLiteral("--json") }, QStringLiteral("en"), env);
        QCOMPARE(nlohmann::json::parse(r.out.toStdString())[0]["state"].get<std::string>(), std::string("READY"));
        // A model the endpoint does not have, and an endpoint nobody added: one sentence each, exit 1.
        r = maas({ QStringLiteral("remote"), QStringLiteral("infer"), QStringLiteral("nothing"), QStringLiteral("x") },
            QStringLiteral("en"), env);
        QCOMPARE(r.code, 1);
        QVERIFY(r.err.contains(QLatin1String("has no model named nothing")));
        r = maas({ QStringLiteral("publish"), model, QStringLiteral("--to"), QStringLiteral("nowhere") },
            QStringLiteral("en"), env);
        QCOMPARE(r.code, 1);
        QVERIFY(r.err.contains(QLatin1String("no endpoint named \"nowhere\"")));
        r = maas(
            { QStringLiteral("endpoint"), QStringLiteral("stop"), QStringLiteral("local") }, QStringLiteral("en"), env);
        QVERIFY(r.out.contains(QLatin1String("stopped the local endpoint")));
    }

    // `maas demo`: the whole path in one command (a text CSV given, so it needs no apt lists), its report
    // read back.
    void demoRunsTheWholePath()
    {
        QTemporaryDir dir;
        const auto csv = writeReviews(dir);
        QVERIFY(!csv.isEmpty());
        const auto env = privateHome(dir);
        auto r = maas({ QStringLiteral("demo"), QStringLiteral("--out"), dir.filePath(QStringLiteral("demo")),
                          QStringLiteral("--text"), csv },
            QStringLiteral("en"), env);
        if (r.code != 0) { // the local endpoint's log lives in the temporary home, gone after the test: show it
            QFile log(dir.filePath(QStringLiteral("data/maas/local-endpoint/serve.log")));
            if (log.open(QIODevice::ReadOnly))
                qWarning().noquote() << "serve.log:\n" << QString::fromUtf8(log.readAll().right(4000));
        }
        QVERIFY2(r.code == 0, qPrintable(r.err + r.out));
        QVERIFY(r.out.contains(QLatin1String("[7/7")));
        QVERIFY2(r.out.contains(QLatin1String("both int8 models published and verified (passed, passed)")),
            qPrintable(r.out));
        static const QRegularExpression remote(QStringLiteral("remote Fashion-MNIST: ([0-9.]+)% of 64"));
        const auto m = remote.match(r.out);
        QVERIFY2(m.hasMatch() && m.captured(1).toDouble() > 60, qPrintable(r.out)); // a trained model, not chance
        static const QRegularExpression text(
            QStringLiteral("remote text: \"I love machine learning!\" -> (positive|negative) \\("));
        QVERIFY2(text.match(r.out).hasMatch(), qPrintable(r.out)); // few steps on 96 rows: either label, from the model
        QVERIFY(QFileInfo::exists(dir.filePath(QStringLiteral("demo/fashion.int8.pt"))));
        maas(
            { QStringLiteral("endpoint"), QStringLiteral("stop"), QStringLiteral("local") }, QStringLiteral("en"), env);
    }

    // A token is never taken on the command line, and stays out of what `maas endpoint list` shows.
    void endpointTokensStayHidden()
    {
        QTemporaryDir dir;
        const auto env = privateHome(dir);
        QFile token(dir.filePath(QStringLiteral("token")));
        QVERIFY(token.open(QIODevice::WriteOnly) && token.write("tok-123\n") > 0);
        token.close();
        auto r = maas(
            { QStringLiteral("endpoint"), QStringLiteral("add"), QStringLiteral("prod"),
                QStringLiteral("https://models.example.com:8000"), QStringLiteral("--token-file"), token.fileName() },
            QStringLiteral("en"), env);
        QVERIFY2(r.code == 0, qPrintable(r.err));
        QVERIFY(r.err.contains(QLatin1String("readable only by you")));
        r = maas({ QStringLiteral("endpoint"), QStringLiteral("list") }, QStringLiteral("en"), env);
        QVERIFY(r.out.contains(QLatin1String("prod")) && !r.out.contains(QLatin1String("tok-123")));
        r = maas(
            { QStringLiteral("endpoint"), QStringLiteral("add"), QStringLiteral("bad"), QStringLiteral("ftp://x") },
            QStringLiteral("en"), env);
        QCOMPARE(r.code, 2);
        r = maas({ QStringLiteral("endpoint"), QStringLiteral("add"), QStringLiteral("t"), QStringLiteral("http://x"),
                     QStringLiteral("--token"), QStringLiteral("tok") },
            QStringLiteral("en"), env);
        QCOMPARE(r.code, 2); // there is no --token
        r = maas({ QStringLiteral("endpoint"), QStringLiteral("remove"), QStringLiteral("prod") }, QStringLiteral("en"),
            env);
        QCOMPARE(r.code, 0);
    }

    void weightsStoredIn16Bits()
    {
        QFETCH(QString, name);
        QFETCH(QString, dtype);
        QTemporaryDir dir;
        const QString out = dir.filePath(name + QLatin1Char('.') + dtype + QStringLiteral(".pt"));
        const auto r = maas({ QStringLiteral("quantize"), fixture(name + QStringLiteral(".pt")),
            QStringLiteral("--dtype"), dtype, QStringLiteral("-o"), out, QStringLiteral("--json") });
        QVERIFY2(r.code == 0, qPrintable(r.err));
        const auto json = nlohmann::json::parse(r.out.toStdString());
        const double ratio = json["after"]["file_bytes"].get<double>() / json["before"]["file_bytes"].get<double>();
        QVERIFY2(ratio < 0.7, qPrintable(QString::number(ratio))); // weights halve; code and card stay
        for (const auto& layer : json["layers"])
            QCOMPARE(layer["form"].get<std::string>(), dtype.toStdString());
        QProcess python;
        python.start(QStringLiteral(MAAS_PYTHON),
            { QStringLiteral(MAAS_SOURCE_DIR "/tests/fixtures/check_in_pytorch.py"), out,
                fixture(name + QStringLiteral(".input.npy")), fixture(name + QStringLiteral(".output.npy")),
                QString::number(json["tolerance"].get<double>()) });
        python.waitForFinished(120000);
        QVERIFY2(python.exitCode() == 0, python.readAllStandardError().constData());
        const auto bench = maas({ QStringLiteral("bench"), out, QStringLiteral("--iterations"), QStringLiteral("2") });
        QVERIFY2(bench.code == 0, qPrintable(bench.err));
    }

    // An accuracy budget on real data: a trained MLP keeps its accuracy within the budget, each layer's drop
    // alone is reported; a model no layer choice can keep within the budget is refused and nothing written.
    void quantizationKeepsItsAccuracyBudget()
    {
        QTemporaryDir dir;
        const QString fashion = QStringLiteral("/usr/share/datasets/fashion-mnist");
        const QString fresh = dir.filePath(QStringLiteral("mlp.pt")), trained = dir.filePath(QStringLiteral("t.pt"));
        auto r = maas({ QStringLiteral("new"), QStringLiteral("--arch"), QStringLiteral("mlp"),
            QStringLiteral("--data"), fashion, QStringLiteral("-o"), fresh });
        QVERIFY2(r.code == 0, qPrintable(r.err));
        r = maas({ QStringLiteral("train"), fresh, QStringLiteral("--data"), fashion, QStringLiteral("--limit"),
            QStringLiteral("6000"), QStringLiteral("--epochs"), QStringLiteral("1"), QStringLiteral("-o"), trained });
        QVERIFY2(r.code == 0, qPrintable(r.err));
        const QString out = dir.filePath(QStringLiteral("q.pt"));
        r = maas({ QStringLiteral("quantize"), trained, QStringLiteral("--data"), fashion, QStringLiteral("--limit"),
            QStringLiteral("1000"), QStringLiteral("--max-drop"), QStringLiteral("0.3"), QStringLiteral("-o"), out,
            QStringLiteral("--json") });
        QVERIFY2(r.code == 0, qPrintable(r.err));
        const auto json = nlohmann::json::parse(r.out.toStdString());
        const double before = json["before"]["accuracy"].get<double>(), after = json["after"]["accuracy"].get<double>();
        QVERIFY2(before > 0.5, qPrintable(QString::number(before)));
        QVERIFY2((before - after) * 100.0 <= 0.3 + 1e-9, qPrintable(QStringLiteral("%1 -> %2").arg(before).arg(after)));
        QCOMPARE(json["layers"].size(), std::size_t(3));
        for (const auto& layer : json["layers"])
            QVERIFY(layer["accuracy_drop"].is_number());
        QCOMPARE(json["card"]["lineage"]["parameters"]["max_drop"].get<double>(), 0.3);

        const QString refused = dir.filePath(QStringLiteral("refused.pt"));
        r = maas({ QStringLiteral("quantize"), fixture(QStringLiteral("fragile_centroids.pt")),
            QStringLiteral("--data"), fashion, QStringLiteral("--limit"), QStringLiteral("500"),
            QStringLiteral("--max-drop"), QStringLiteral("1"), QStringLiteral("-o"), refused });
        QCOMPARE(r.code, 1);
        QVERIFY2(r.err.contains(QLatin1String("no choice of layers")), qPrintable(r.err));
        QVERIFY(!QFile::exists(refused));
    }

    // maas quantize --static on a CNN trained here: every Conv and Linear layer int8, calibrated on the
    // training split, accuracy on the test split within two points, and PyTorch gives the same answers on
    // real images (it reads the file with its own loader and kernels).
    void staticQuantizationCalibratesOnRealData()
    {
        QTemporaryDir dir;
        const QString fashion = QStringLiteral("/usr/share/datasets/fashion-mnist");
        const QString trained = dir.filePath(QStringLiteral("cnn.pt"));
        const QString out = dir.filePath(QStringLiteral("cnn.int8.pt"));
        auto r = maas({ QStringLiteral("train"), QStringLiteral("--arch"), QStringLiteral("cnn"),
            QStringLiteral("--data"), fashion, QStringLiteral("--limit"), QStringLiteral("3000"),
            QStringLiteral("--epochs"), QStringLiteral("2"), QStringLiteral("-o"), trained });
        QVERIFY2(r.code == 0, qPrintable(r.err));
        r = maas({ QStringLiteral("quantize"), trained, QStringLiteral("--static"), QStringLiteral("--calibration"),
            QStringLiteral("256"), QStringLiteral("--data"), fashion, QStringLiteral("--limit"), QStringLiteral("1000"),
            QStringLiteral("-o"), out, QStringLiteral("--json") });
        QVERIFY2(r.code == 0, qPrintable(r.err));
        const auto json = nlohmann::json::parse(r.out.toStdString());
        QCOMPARE(json["settings"]["mode"].get<std::string>(), std::string("static"));
        QCOMPARE(json["settings"]["calibration_samples"].get<int>(), 256);
        QCOMPARE(json["layers"].size(), std::size_t(4)); // two convolutions, two Linear layers
        for (const auto& layer : json["layers"])
            QCOMPARE(layer["form"].get<std::string>(), std::string("int8"));
        const double drop = json["before"]["accuracy"].get<double>() - json["after"]["accuracy"].get<double>();
        QVERIFY2(drop <= 0.02, qPrintable(QString::number(drop)));

        QProcess python; // both models on 64 test images, normalized as the card says
        python.start(QStringLiteral(MAAS_PYTHON),
            { QStringLiteral("-c"),
                QStringLiteral(
                    "import gzip, json, sys, numpy as np, torch\n"
                    "torch.backends.quantized.engine = sys.argv[3]\n"
                    "extra = {'card.json': ''}\n"
                    "f, q = torch.jit.load(sys.argv[1], _extra_files=extra), torch.jit.load(sys.argv[2])\n"
                    "p = json.loads(extra['card.json'])['preprocessing']\n"
                    "raw = gzip.open(sys.argv[4] + '/t10k-images-idx3-ubyte.gz').read()[16:16 + 64 * 784]\n"
                    "x = torch.tensor(np.frombuffer(raw, np.uint8).reshape(64, 1, 28, 28), dtype=torch.float)\n"
                    "x = (x * p['scale'] - p['mean'][0]) / p['std'][0]\n"
                    "a, b = f(x), q(x)\n"
                    "print(float((a - b).abs().max() / max(1.0, float(a.abs().max()))), "
                    "float((a.argmax(1) == b.argmax(1)).float().mean()))"),
                trained, out, QString::fromStdString(json["settings"]["engine"].get<std::string>()), fashion });
        python.waitForFinished(120000);
        QVERIFY2(python.exitCode() == 0, python.readAllStandardError().constData());
        const auto numbers = QString::fromUtf8(python.readAllStandardOutput()).split(QLatin1Char(' '));
        QCOMPARE(numbers.size(), 2);
        QVERIFY2(numbers[0].toDouble() < 0.1, qPrintable(numbers.join(QLatin1Char(' '))));
        QVERIFY2(numbers[1].toDouble() >= 0.9, qPrintable(numbers.join(QLatin1Char(' '))));
    }

    // On QNNPACK, whose int8 Linear kernel reads what it is given, an input of the wrong size is stopped
    // by the model with a sentence instead.
    void staticQuantizationChecksItsInputOnQnnpack()
    {
        QTemporaryDir dir;
        const QString out = dir.filePath(QStringLiteral("cnn.qnnpack.pt"));
        const auto r = maas({ QStringLiteral("quantize"), fixture(QStringLiteral("cnn.pt")), QStringLiteral("--static"),
            QStringLiteral("--engine"), QStringLiteral("qnnpack"), QStringLiteral("--calibration"),
            QStringLiteral("64"), QStringLiteral("--data"), QStringLiteral("/usr/share/datasets/fashion-mnist"),
            QStringLiteral("--limit"), QStringLiteral("200"), QStringLiteral("-o"), out });
        QVERIFY2(r.code == 0, qPrintable(r.err));
        const auto wrong = maas({ QStringLiteral("bench"), out, QStringLiteral("--input-shape"),
            QStringLiteral("1,1,30,30"), QStringLiteral("--iterations"), QStringLiteral("2") });
        QCOMPARE(wrong.code, 1);
        QVERIFY2(wrong.err.contains(QLatin1String("does not fit the Linear layer head")), qPrintable(wrong.err));
    }

    void quantizeMistakesStopBeforeWork_data()
    {
        QTest::addColumn<QStringList>("options");
        QTest::addColumn<int>("code");
        QTest::addColumn<QString>("says");
        QTest::newRow("unknown engine") << QStringList { QStringLiteral("--engine"), QStringLiteral("fbgemm") } << 2
                                        << "--engine";
        QTest::newRow("budget without data")
            << QStringList { QStringLiteral("--max-drop"), QStringLiteral("1") } << 2 << "--data";
        QTest::newRow("negative budget") << QStringList { QStringLiteral("--max-drop"), QStringLiteral("-1"),
            QStringLiteral("--data"), QStringLiteral("/nowhere") }
                                         << 2 << "--max-drop";
        QTest::newRow("zero tolerance") << QStringList { QStringLiteral("--tolerance"), QStringLiteral("0") } << 2
                                        << "--tolerance";
        QTest::newRow("unknown type") << QStringList { QStringLiteral("--dtype"), QStringLiteral("int4") } << 2
                                      << "--dtype";
        QTest::newRow("engine for fp16") << QStringList { QStringLiteral("--dtype"), QStringLiteral("fp16"),
            QStringLiteral("--engine"), QStringLiteral("onednn") }
                                         << 2 << "--dtype";
        QTest::newRow("static without data") << QStringList { QStringLiteral("--static") } << 2 << "--static";
        QTest::newRow("calibration without static")
            << QStringList { QStringLiteral("--calibration"), QStringLiteral("100") } << 2 << "--calibration";
        QTest::newRow("no calibration samples") << QStringList { QStringLiteral("--static"),
            QStringLiteral("--calibration"), QStringLiteral("0"), QStringLiteral("--data"), QStringLiteral("/nowhere") }
                                                << 2 << "--calibration";
        QTest::newRow("static fp16") << QStringList { QStringLiteral("--static"), QStringLiteral("--dtype"),
            QStringLiteral("fp16"), QStringLiteral("--data"), QStringLiteral("/nowhere") }
                                     << 2 << "--dtype";
        QTest::newRow("drift past the tolerance")
            << QStringList { QStringLiteral("--tolerance"), QStringLiteral("1e-9") } << 1 << "more than the tolerance";
    }
    void quantizeMistakesStopBeforeWork()
    {
        QFETCH(QStringList, options);
        QFETCH(int, code);
        QFETCH(QString, says);
        QTemporaryDir dir;
        const QString out = dir.filePath(QStringLiteral("q.pt"));
        const auto r = maas(
            QStringList { QStringLiteral("quantize"), fixture(QStringLiteral("mlp.pt")), QStringLiteral("-o"), out }
            + options);
        QCOMPARE(r.code, code);
        QVERIFY2(r.err.contains(says), qPrintable(r.err));
        QVERIFY(!QFile::exists(out));
    }

    // maas prune on real data: the share of zeros asked for, kept through fine-tuning, a smaller file once
    // compressed, and a model that still runs in Python PyTorch (its shapes unchanged).
    void prunedModelsKeepTheirZeros()
    {
        QTemporaryDir dir;
        const QString fashion = QStringLiteral("/usr/share/datasets/fashion-mnist");
        const QString out = dir.filePath(QStringLiteral("cnn.pruned.pt"));
        const auto r = maas({ QStringLiteral("prune"), fixture(QStringLiteral("cnn.pt")), QStringLiteral("--sparsity"),
            QStringLiteral("80%"), QStringLiteral("--steps"), QStringLiteral("2"), QStringLiteral("--epochs"),
            QStringLiteral("1"), QStringLiteral("--data"), fashion, QStringLiteral("--limit"), QStringLiteral("600"),
            QStringLiteral("-o"), out, QStringLiteral("--json") });
        QVERIFY2(r.code == 0, qPrintable(r.err));
        const auto json = nlohmann::json::parse(r.out.toStdString());
        QCOMPARE(json["card"]["lineage"]["operation"].get<std::string>(), std::string("prune"));
        QCOMPARE(json["after"]["parameters"], json["before"]["parameters"]);
        QVERIFY(json["after"]["gzip_bytes"].get<std::int64_t>() < json["before"]["gzip_bytes"].get<std::int64_t>());
        double zeros = 0, weights = 0;
        for (const auto& layer : json["layers"]) {
            std::int64_t n = 1;
            for (const auto& size : layer["shape"])
                n *= size.get<std::int64_t>();
            zeros += layer["sparsity"].get<double>() * double(n);
            weights += double(n);
        }
        QVERIFY2(std::fabs(zeros / weights - 0.8) < 0.01, qPrintable(QString::number(zeros / weights)));
        QVERIFY(json["after"]["accuracy"].is_number());

        QProcess python; // the pruned weights, counted by PyTorch itself
        python.start(QStringLiteral(MAAS_PYTHON),
            { QStringLiteral("-c"),
                QStringLiteral("import sys, torch\n"
                               "m = torch.jit.load(sys.argv[1])\n"
                               "w = [p for n, p in m.named_parameters() if n.endswith('weight') and p.dim() >= 2]\n"
                               "print(sum(int((p == 0).sum()) for p in w) / sum(p.numel() for p in w))\n"
                               "m(torch.zeros(2, 1, 28, 28))"),
                out });
        python.waitForFinished(120000);
        QVERIFY2(python.exitCode() == 0, python.readAllStandardError().constData());
        QVERIFY(std::fabs(python.readAllStandardOutput().trimmed().toDouble() - 0.8) < 0.01);
    }

    // maas prune --structured: the convolution of a PyTorch-made CNN loses half its channels and the head
    // the inputs they fed, fine-tuned on real data; PyTorch runs the smaller model and sees its new shapes.
    void structuredPruningShrinksTheLayers()
    {
        QTemporaryDir dir;
        const QString out = dir.filePath(QStringLiteral("cnn.narrow.pt"));
        const auto r = maas({ QStringLiteral("prune"), fixture(QStringLiteral("cnn.pt")),
            QStringLiteral("--structured"), QStringLiteral("--sparsity"), QStringLiteral("50%"),
            QStringLiteral("--epochs"), QStringLiteral("1"), QStringLiteral("--data"),
            QStringLiteral("/usr/share/datasets/fashion-mnist"), QStringLiteral("--limit"), QStringLiteral("600"),
            QStringLiteral("-o"), out, QStringLiteral("--json") });
        QVERIFY2(r.code == 0, qPrintable(r.err));
        const auto json = nlohmann::json::parse(r.out.toStdString());
        QCOMPARE(json["settings"]["scope"].get<std::string>(), std::string("channels"));
        const auto& layers = json["layers"];
        QCOMPARE(layers.size(), std::size_t(2));
        QCOMPARE(layers[0]["form"].get<std::string>(), std::string("narrowed"));
        QCOMPARE(layers[0]["shape"], nlohmann::json({ 4, 1, 3, 3 }));
        QCOMPARE(layers[1]["form"].get<std::string>(), std::string("kept"));
        QCOMPARE(layers[1]["shape"], nlohmann::json({ 10, 784 })); // 4 channels of 14x14 each
        QVERIFY(json["after"]["parameters"].get<std::int64_t>() < json["before"]["parameters"].get<std::int64_t>());
        QVERIFY(json["after"]["accuracy"].is_number());

        QProcess python;
        python.start(QStringLiteral(MAAS_PYTHON),
            { QStringLiteral("-c"),
                QStringLiteral("import sys, torch\n"
                               "m = torch.jit.load(sys.argv[1])\n"
                               "print(tuple(m(torch.zeros(2, 1, 28, 28)).shape), "
                               "sum(t.numel() for t in [*m.parameters(), *m.buffers()]))"),
                out });
        python.waitForFinished(120000);
        QVERIFY2(python.exitCode() == 0, python.readAllStandardError().constData());
        QCOMPARE(QString::fromUtf8(python.readAllStandardOutput().trimmed()),
            QStringLiteral("(2, 10) %1").arg(json["after"]["parameters"].get<std::int64_t>()));
    }

    // torchvision's resnet18: only each block's first convolution feeds a chain; the others meet the
    // residual add and say so, and the narrower network still runs in PyTorch.
    void structuredPruningOfAResidualNetwork()
    {
        QTemporaryDir dir;
        const QString out = dir.filePath(QStringLiteral("resnet18.narrow.pt"));
        const auto r = maas({ QStringLiteral("prune"), fixture(QStringLiteral("resnet18.pt")),
            QStringLiteral("--structured"), QStringLiteral("--sparsity"), QStringLiteral("0.5"), QStringLiteral("-o"),
            out, QStringLiteral("--json") });
        QVERIFY2(r.code == 0, qPrintable(r.err));
        const auto json = nlohmann::json::parse(r.out.toStdString());
        int narrowed = 0, residual = 0;
        for (const auto& layer : json["layers"]) {
            const auto name = layer["layer"].get<std::string>();
            const bool first = name.size() > 6 && name.compare(name.size() - 6, 6, ".conv1") == 0;
            QCOMPARE(layer["form"].get<std::string>() == "narrowed", first);
            narrowed += first;
            residual += layer.value("kept_because", "").find("aten::add") != std::string::npos;
        }
        QCOMPARE(narrowed, 8);
        QVERIFY(residual >= 8);
        QProcess python;
        python.start(QStringLiteral(MAAS_PYTHON),
            { QStringLiteral("-c"),
                QStringLiteral("import sys, torch\n"
                               "m = torch.jit.load(sys.argv[1])\n"
                               "print(tuple(m(torch.zeros(1, 3, 224, 224)).shape), "
                               "tuple(getattr(m.layer1, '0').conv1.weight.shape))"),
                out });
        python.waitForFinished(120000);
        QVERIFY2(python.exitCode() == 0, python.readAllStandardError().constData());
        QCOMPARE(python.readAllStandardOutput().trimmed(), QByteArray("(1, 1000) (32, 64, 3, 3)"));
    }

    // A traced LeNet (convolutions as aten::_convolution, a view to a fixed size): structured pruning narrows
    // the first convolution and says the view keeps the second; static int8 takes all three layers, the
    // view made contiguous after an int8 convolution; both results run in PyTorch.
    void tracedModelsAreOptimizedToo()
    {
        QTemporaryDir dir;
        const QString narrow = dir.filePath(QStringLiteral("narrow.pt")),
                      int8 = dir.filePath(QStringLiteral("int8.pt"));
        auto r = maas({ QStringLiteral("prune"), fixture(QStringLiteral("lenet_traced.pt")),
            QStringLiteral("--structured"), QStringLiteral("--sparsity"), QStringLiteral("50%"), QStringLiteral("-o"),
            narrow, QStringLiteral("--json") });
        QVERIFY2(r.code == 0, qPrintable(r.err));
        auto json = nlohmann::json::parse(r.out.toStdString());
        QCOMPARE(json["layers"][0]["shape"], nlohmann::json({ 4, 1, 3, 3 }));
        QCOMPARE(json["layers"][1]["kept_because"].get<std::string>(), std::string("its output goes to aten::view"));
        r = maas({ QStringLiteral("quantize"), fixture(QStringLiteral("lenet_traced.pt")), QStringLiteral("--static"),
            QStringLiteral("--engine"), QStringLiteral("onednn"), QStringLiteral("--calibration"), QStringLiteral("64"),
            QStringLiteral("--data"), QStringLiteral("/usr/share/datasets/fashion-mnist"), QStringLiteral("--limit"),
            QStringLiteral("200"), QStringLiteral("-o"), int8, QStringLiteral("--json") });
        QVERIFY2(r.code == 0, qPrintable(r.err));
        json = nlohmann::json::parse(r.out.toStdString());
        QCOMPARE(json["layers"].size(), std::size_t(3));
        for (const auto& model : { narrow, int8 }) {
            QProcess python;
            python.start(QStringLiteral(MAAS_PYTHON),
                { QStringLiteral("-c"),
                    QStringLiteral("import sys, torch\n"
                                   "torch.backends.quantized.engine = 'onednn'\n"
                                   "print(tuple(torch.jit.load(sys.argv[1])(torch.zeros(2, 1, 28, 28)).shape))"),
                    model });
            python.waitForFinished(120000);
            QVERIFY2(python.exitCode() == 0, python.readAllStandardError().constData());
            QCOMPARE(python.readAllStandardOutput().trimmed(), QByteArray("(2, 10)"));
        }
        // Data the model was not made for stops before calibration, with a sentence.
        r = maas({ QStringLiteral("quantize"), fixture(QStringLiteral("resnet18.pt")), QStringLiteral("--static"),
            QStringLiteral("--data"), QStringLiteral("/usr/share/datasets/fashion-mnist"), QStringLiteral("--limit"),
            QStringLiteral("50"), QStringLiteral("-o"), dir.filePath(QStringLiteral("r.pt")) });
        QCOMPARE(r.code, 1);
        QVERIFY2(r.err.contains(QLatin1String("cannot calibrate")), qPrintable(r.err));
    }

    // --target mobile: XNNPACK's prepacked kernels, the answers kept within the tolerance, and a .ptl that
    // PyTorch's lite interpreter (what phones run) loads and runs to the same answers.
    void mobileTargetWritesForTheLiteInterpreter()
    {
        QTemporaryDir dir;
        const QString out = dir.filePath(QStringLiteral("cnn.mobile.pt")),
                      lite = dir.filePath(QStringLiteral("cnn.ptl"));
        auto r = maas({ QStringLiteral("optimize"), fixture(QStringLiteral("cnn.pt")), QStringLiteral("--target"),
            QStringLiteral("mobile"), QStringLiteral("--lite"), lite, QStringLiteral("-o"), out,
            QStringLiteral("--json") });
        QVERIFY2(r.code == 0, qPrintable(r.err));
        const auto json = nlohmann::json::parse(r.out.toStdString());
        QCOMPARE(json["settings"]["target"].get<std::string>(), std::string("mobile"));
        QVERIFY(json["difference"].get<double>() <= json["tolerance"].get<double>());
        QProcess python;
        python.start(QStringLiteral(MAAS_PYTHON),
            { QStringLiteral("-c"),
                QStringLiteral(
                    "import sys, numpy as np, torch\n"
                    "from torch.jit.mobile import _load_for_lite_interpreter\n"
                    "x = torch.from_numpy(np.load(sys.argv[3]))\n"
                    "expected = torch.from_numpy(np.load(sys.argv[4]))\n"
                    "full, lite = torch.jit.load(sys.argv[1]), _load_for_lite_interpreter(sys.argv[2])\n"
                    "ops = str(full.graph)\n"
                    "print('prepacked::conv2d_clamp_run' in ops, float((full(x) - expected).abs().max()) < 1e-4, "
                    "float((lite(x) - expected).abs().max()) < 1e-4)"),
                out, lite, fixture(QStringLiteral("cnn.input.npy")), fixture(QStringLiteral("cnn.output.npy")) });
        python.waitForFinished(120000);
        QVERIFY2(python.exitCode() == 0, python.readAllStandardError().constData());
        QCOMPARE(python.readAllStandardOutput().trimmed(), QByteArray("True True True"));
        r = maas({ QStringLiteral("optimize"), fixture(QStringLiteral("cnn.pt")), QStringLiteral("--lite"),
            dir.filePath(QStringLiteral("x.ptl")), QStringLiteral("-o"), dir.filePath(QStringLiteral("x.pt")) });
        QCOMPARE(r.code, 2);
        QVERIFY2(r.err.contains(QLatin1String("--lite")), qPrintable(r.err));
        QVERIFY(!QFile::exists(dir.filePath(QStringLiteral("x.ptl"))));
    }

    void structuredPruningRefusesWhatItCannotNarrow()
    {
        QTemporaryDir dir;
        const QString out = dir.filePath(QStringLiteral("t.pt"));
        const auto r = maas(
            { QStringLiteral("prune"), fixture(QStringLiteral("token_transformer.pt")), QStringLiteral("--structured"),
                QStringLiteral("--sparsity"), QStringLiteral("50%"), QStringLiteral("-o"), out });
        QCOMPARE(r.code, 1);
        QVERIFY2(r.err.contains(QLatin1String("no layer can lose whole channels")), qPrintable(r.err));
        QCOMPARE(r.err.trimmed().count(QLatin1Char('\n')), 0);
        QVERIFY(!QFile::exists(out));
    }

    void pruneMistakesStopBeforeWork_data()
    {
        QTest::addColumn<QStringList>("options");
        QTest::addColumn<int>("code");
        QTest::addColumn<QString>("says");
        QTest::newRow("sparsity 0") << QStringList { QStringLiteral("--sparsity"), QStringLiteral("0") } << 2
                                    << "--sparsity";
        QTest::newRow("sparsity 100%") << QStringList { QStringLiteral("--sparsity"), QStringLiteral("100%") } << 2
                                       << "--sparsity";
        QTest::newRow("sparsity below 0")
            << QStringList { QStringLiteral("--sparsity"), QStringLiteral("-0.2") } << 2 << "--sparsity";
        QTest::newRow("sparsity a word") << QStringList { QStringLiteral("--sparsity"), QStringLiteral("most") } << 2
                                         << "--sparsity";
        QTest::newRow("no sparsity") << QStringList {} << 2 << "--sparsity";
        QTest::newRow("fine-tuning without data") << QStringList { QStringLiteral("--sparsity"), QStringLiteral("0.5"),
            QStringLiteral("--epochs"), QStringLiteral("1") }
                                                  << 2 << "--epochs";
        QTest::newRow("zero steps") << QStringList { QStringLiteral("--sparsity"), QStringLiteral("0.5"),
            QStringLiteral("--steps"), QStringLiteral("0") }
                                    << 2 << "--steps";
    }
    void pruneMistakesStopBeforeWork()
    {
        QFETCH(QStringList, options);
        QFETCH(int, code);
        QFETCH(QString, says);
        QTemporaryDir dir;
        const QString out = dir.filePath(QStringLiteral("p.pt"));
        const auto r
            = maas(QStringList { QStringLiteral("prune"), fixture(QStringLiteral("mlp.pt")), QStringLiteral("-o"), out }
                + options);
        QCOMPARE(r.code, code);
        QVERIFY2(r.err.contains(says), qPrintable(r.err));
        QVERIFY(!QFile::exists(out));
    }

    // maas distill on real data: a teacher trained here, a smaller MLP student, its accuracy next to the same
    // student trained alone, the teacher as its parent, and a student that runs in Python PyTorch.
    void distilledStudentLearnsFromItsTeacher()
    {
        QTemporaryDir dir;
        const QString fashion = QStringLiteral("/usr/share/datasets/fashion-mnist");
        const QString teacher = dir.filePath(QStringLiteral("teacher.pt"));
        const QString student = dir.filePath(QStringLiteral("student.pt"));
        auto r = maas({ QStringLiteral("train"), QStringLiteral("--arch"), QStringLiteral("cnn"),
            QStringLiteral("--data"), fashion, QStringLiteral("--limit"), QStringLiteral("3000"),
            QStringLiteral("--epochs"), QStringLiteral("2"), QStringLiteral("-o"), teacher });
        QVERIFY2(r.code == 0, qPrintable(r.err));
        r = maas({ QStringLiteral("distill"), teacher, QStringLiteral("--student"),
            QStringLiteral(R"({"arch": "mlp", "hidden": [32]})"), QStringLiteral("--data"), fashion,
            QStringLiteral("--limit"), QStringLiteral("3000"), QStringLiteral("--epochs"), QStringLiteral("2"),
            QStringLiteral("-o"), student, QStringLiteral("--json") });
        QVERIFY2(r.code == 0, qPrintable(r.err));
        const auto json = nlohmann::json::parse(r.out.toStdString());
        const auto& lineage = json["card"]["lineage"];
        QCOMPARE(lineage["operation"].get<std::string>(), std::string("distill"));
        QFile t(teacher);
        QVERIFY(t.open(QIODevice::ReadOnly));
        QCOMPARE(QString::fromStdString(lineage["parent_sha256"].get<std::string>()),
            QString::fromLatin1(QCryptographicHash::hash(t.readAll(), QCryptographicHash::Sha256).toHex()));
        QCOMPARE(lineage["parameters"]["temperature"].get<double>(), 2.0);
        QVERIFY(json["after"]["parameters"].get<std::int64_t>() < json["before"]["parameters"].get<std::int64_t>());
        QVERIFY2(
            json["after"]["accuracy"].get<double>() > 0.5, r.out.toUtf8().constData()); // ten classes: 0.1 by chance
        QVERIFY(json["baseline_accuracy"].get<double>() > 0.5);
        QCOMPARE(json["card"]["name"].get<std::string>().find("student") != std::string::npos, true);

        QProcess python;
        python.start(QStringLiteral(MAAS_PYTHON),
            { QStringLiteral("-c"),
                QStringLiteral("import sys, torch\n"
                               "print(tuple(torch.jit.load(sys.argv[1])(torch.zeros(2, 1, 28, 28)).shape))"),
                student });
        python.waitForFinished(120000);
        QVERIFY2(python.exitCode() == 0, python.readAllStandardError().constData());
        QCOMPARE(python.readAllStandardOutput().trimmed(), QByteArray("(2, 10)"));
    }

    void distillMistakesStopWithOneLine_data()
    {
        QTest::addColumn<QString>("teacher");
        QTest::addColumn<QStringList>("options");
        QTest::addColumn<int>("code");
        QTest::addColumn<QString>("says");
        const QString fashion = QStringLiteral("/usr/share/datasets/fashion-mnist");
        const QStringList data { QStringLiteral("--data"), fashion, QStringLiteral("--limit"), QStringLiteral("200") };
        QTest::newRow("no student") << QStringLiteral("cnn.pt") << data << 2 << "--student";
        QTest::newRow("no data") << QStringLiteral("cnn.pt")
                                 << QStringList { QStringLiteral("--student"), QStringLiteral("mlp") } << 2 << "--data";
        QTest::newRow("unknown architecture")
            << QStringLiteral("cnn.pt")
            << (QStringList { QStringLiteral("--student"), QStringLiteral("forest") } + data) << 2 << "forest";
        QTest::newRow("not JSON") << QStringLiteral("cnn.pt")
                                  << (QStringList { QStringLiteral("--student"), QStringLiteral("{arch") } + data) << 2
                                  << "--student";
        QTest::newRow("temperature 0") << QStringLiteral("cnn.pt")
                                       << (QStringList { QStringLiteral("--student"), QStringLiteral("mlp"),
                                               QStringLiteral("--temperature"), QStringLiteral("0") }
                                              + data)
                                       << 2 << "--temperature";
        QTest::newRow("alpha above 1") << QStringLiteral("cnn.pt")
                                       << (QStringList { QStringLiteral("--student"), QStringLiteral("mlp"),
                                               QStringLiteral("--alpha"), QStringLiteral("1.5") }
                                              + data)
                                       << 2 << "--alpha";
        QTest::newRow("student of other classes")
            << QStringLiteral("cnn.pt")
            << (QStringList { QStringLiteral("--student"), QStringLiteral(R"({"arch": "mlp", "classes": 5})") } + data)
            << 1 << "5 classes";
        QTest::newRow("teacher of other classes") // the data's labels do not fit a 3-class teacher
            << QStringLiteral("mlp.pt") << (QStringList { QStringLiteral("--student"), QStringLiteral("mlp") } + data)
            << 1 << "3 classes";
    }
    void distillMistakesStopWithOneLine()
    {
        QFETCH(QString, teacher);
        QFETCH(QStringList, options);
        QFETCH(int, code);
        QFETCH(QString, says);
        QTemporaryDir dir;
        const QString out = dir.filePath(QStringLiteral("s.pt"));
        const auto r
            = maas(QStringList { QStringLiteral("distill"), fixture(teacher), QStringLiteral("-o"), out } + options);
        QCOMPARE(r.code, code);
        QVERIFY2(r.err.contains(says), qPrintable(r.err));
        QCOMPARE(r.err.trimmed().count(QLatin1Char('\n')), 0);
        QVERIFY(!QFile::exists(out));
    }

    // maas compare: a model beside its structurally pruned and its quantized children, as the card's lineage
    // and the graphs tell them apart (a frozen child's layers are the ones its optimization recorded).
    void comparingVariantsOfOneLineage()
    {
        QTemporaryDir dir;
        const QString narrow = dir.filePath(QStringLiteral("narrow.pt"));
        const QString int8 = dir.filePath(QStringLiteral("int8.pt"));
        auto r = maas({ QStringLiteral("prune"), fixture(QStringLiteral("cnn.pt")), QStringLiteral("--structured"),
            QStringLiteral("--sparsity"), QStringLiteral("50%"), QStringLiteral("-o"), narrow });
        QVERIFY2(r.code == 0, qPrintable(r.err));
        r = maas({ QStringLiteral("compare"), fixture(QStringLiteral("cnn.pt")), narrow, QStringLiteral("--json") });
        QVERIFY2(r.code == 0, qPrintable(r.err));
        auto json = nlohmann::json::parse(r.out.toStdString());
        QCOMPARE(json["relation"].get<std::string>(), std::string("B was made from A by prune"));
        const auto& first = json["layers"][0];
        QCOMPARE(first["layer"].get<std::string>(), std::string("features.0"));
        QCOMPARE(first["a"]["shape"], nlohmann::json({ 8, 1, 3, 3 }));
        QCOMPARE(first["b"]["shape"], nlohmann::json({ 4, 1, 3, 3 }));
        QCOMPARE(first["change"].get<std::string>(), std::string("reshaped"));
        QVERIFY(json["b"]["facts"]["parameters"].get<std::int64_t>()
            < json["a"]["facts"]["parameters"].get<std::int64_t>());

        r = maas({ QStringLiteral("quantize"), fixture(QStringLiteral("mlp.pt")), QStringLiteral("-o"), int8 });
        QVERIFY2(r.code == 0, qPrintable(r.err));
        r = maas({ QStringLiteral("compare"), fixture(QStringLiteral("mlp.pt")), int8, QStringLiteral("--json") });
        QVERIFY2(r.code == 0, qPrintable(r.err));
        json = nlohmann::json::parse(r.out.toStdString());
        for (const auto& layer : json["layers"]) {
            QCOMPARE(layer["b"]["form"].get<std::string>(), std::string("int8"));
            QCOMPARE(layer["change"].get<std::string>(), std::string("retyped"));
        }
        std::map<std::string, std::pair<std::int64_t, std::int64_t>> ops;
        for (const auto& op : json["operators"])
            ops[op["op"].get<std::string>()] = { op["a"].get<std::int64_t>(), op["b"].get<std::int64_t>() };
        QCOMPARE(ops["aten::linear"].second, std::int64_t(0));
        QVERIFY(ops["aten::linear"].first > 0);
        QCOMPARE(ops["quantized::linear_dynamic"].second, ops["aten::linear"].first);

        r = maas({ QStringLiteral("compare"), fixture(QStringLiteral("mlp.pt")), int8 }); // the text form
        QVERIFY2(r.code == 0, qPrintable(r.err));
        QVERIFY2(r.out.contains(QLatin1String("quantized::linear_dynamic")), qPrintable(r.out));
        QCOMPARE(maas({ QStringLiteral("compare"), int8 }).code, 2);
        r = maas({ QStringLiteral("compare"), int8, fixture(QStringLiteral("bad_random.pt")) });
        QCOMPARE(r.code, 1);
        QVERIFY2(r.err.contains(QLatin1String("bad_random.pt")), qPrintable(r.err));
    }

    void speaksChinese()
    {
        const auto r = maas({ QStringLiteral("--help") }, QStringLiteral("zh_CN"));
        QCOMPARE(r.code, 0);
        QVERIFY2(r.out.contains(QStringLiteral("用法")), qPrintable(r.out));
        const auto e = maas({ QStringLiteral("fly") }, QStringLiteral("zh_CN"));
        QVERIFY2(e.err.contains(QStringLiteral("错误")), qPrintable(e.err));
    }
};

QTEST_GUILESS_MAIN(TestCli)
#include "tst_cli.moc"
