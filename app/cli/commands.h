#pragma once

#include <QCoreApplication>
#include <QStringList>

namespace maas::cli {

/// Exit codes: 0 success, 1 the work failed (bad model, bad input, I/O), 2 the command line is wrong.
enum ExitCode { Success = 0, Failure = 1, Usage = 2 };

/// The `maas` command line: one static function per subcommand, each parsing its own options.
class Cli {
    Q_DECLARE_TR_FUNCTIONS(Cli)
public:
    static int run(const QStringList& arguments);

private:
    static int inspect(const QStringList& arguments);
    static int predict(const QStringList& arguments);
    static int card(const QStringList& arguments);
    static int newModel(const QStringList& arguments);
    static int train(const QStringList& arguments);
    static int eval(const QStringList& arguments);
    static int graph(const QStringList& arguments);
    static int bench(const QStringList& arguments);
    static QString overview();
};

} // namespace maas::cli
