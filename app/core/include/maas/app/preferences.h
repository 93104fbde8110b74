#pragma once

#include <QList>
#include <QString>

namespace maas::app {

/// What the user sets in the Settings dialog, kept in QSettings. Threads and language take effect at
/// once (the window is rebuilt in the new language); the library folder at the next start.
struct Preferences {
    QString language; ///< "" follows the system, else "en" or "zh_CN"
    int threads = 0; ///< 0: one per core (or MAAS_THREADS)
    QString libraryFolder; ///< "" for the default folder

    static Preferences load();
    void save() const;

    /// Gives LibTorch the thread budget chosen here (0: one per core, or MAAS_THREADS). The one place
    /// the preference reaches the engine: at start and when Settings are accepted.
    void applyThreads() const;
    /// The threads "Automatic" means: one per core.
    static int automaticThreads();

    /// The library folder to open: MAAS_DATA_DIR when set, else the chosen folder, else the user's data folder.
    QString effectiveLibraryFolder() const;
    static QString defaultLibraryFolder();
};

/// Library models opened lately, newest first, at most `kRecentLimit`.
class RecentModels {
public:
    static constexpr int kRecentLimit = 8;
    static QList<qint64> list();
    static void touch(qint64 id);
    static void forget(qint64 id);
};

} // namespace maas::app
