#pragma once

#include <QCoreApplication>
#include <QStringList>

#include <vector>

namespace maas::cli {

/// Exit codes: 0 success, 1 the work failed (bad model, bad input, I/O), 2 the command line is wrong (found
/// before any file is read), 130 stopped by Ctrl-C (as a shell reports a process killed by SIGINT).
enum ExitCode { Success = 0, Failure = 1, Usage = 2, Interrupted = 130 };

/// One `maas` subcommand: what `maas --help` lists for it, and the function that runs it.
struct Command {
    const char* name; ///< the word after `maas`
    const char* usage; ///< its synopsis in `maas --help` (command-line syntax, not translated)
    const char* summary; ///< one line for `maas --help`, marked for translation in the "Cli" context
    int (*run)(const QStringList& arguments); ///< gets "maas NAME" then the arguments after NAME
};

/// The `maas` command line: one static function per subcommand (a file each), each parsing its own
/// options; commands() lists them and run() dispatches through that list.
class Cli {
    Q_DECLARE_TR_FUNCTIONS(Cli)
public:
    static int run(const QStringList& arguments);

private:
    static const std::vector<Command>& commands();
    static int inspect(const QStringList& arguments);
    static int predict(const QStringList& arguments);
    static int card(const QStringList& arguments);
    static int newModel(const QStringList& arguments);
    static int train(const QStringList& arguments);
    static int eval(const QStringList& arguments);
    static int optimize(const QStringList& arguments);
    static int quantize(const QStringList& arguments);
    static int prune(const QStringList& arguments);
    static int distill(const QStringList& arguments);
    static int compare(const QStringList& arguments);
    static int graph(const QStringList& arguments);
    static int bench(const QStringList& arguments);
    static int profile(const QStringList& arguments);
    static int endpoint(const QStringList& arguments);
    static int publish(const QStringList& arguments);
    static int remote(const QStringList& arguments);
    static int exportModel(const QStringList& arguments);
    static int demo(const QStringList& arguments);
    static QString overview();
    static int dispatch(const Command& command, const QStringList& arguments);
};

} // namespace maas::cli
