#include "activity.h"

#include <cstdio>
#include <unistd.h>

namespace maas::cli {

Activity::Activity(const QString& what)
    : m_what(what)
    , m_start(std::chrono::steady_clock::now())
{
    if (::isatty(STDERR_FILENO))
        m_thread = std::thread([this] { run(); });
}

Activity::~Activity()
{
    m_done = true;
    if (m_thread.joinable())
        m_thread.join();
    if (m_drawn)
        std::fputs("\r\033[K", stderr);
}

void Activity::update(const QString& what, double fraction)
{
    std::lock_guard lock(m_mutex);
    m_what = what;
    m_fraction = fraction;
}

void Activity::run()
{
    using namespace std::chrono_literals;
    while (!m_done) {
        std::this_thread::sleep_for(100ms);
        if (std::chrono::steady_clock::now() - m_start >= 1s && !m_done)
            draw();
    }
}

void Activity::draw()
{
    std::lock_guard lock(m_mutex);
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - m_start).count();
    QString bar;
    if (m_fraction >= 0.0) {
        const int filled = static_cast<int>(m_fraction * 20.0 + 0.5);
        bar = QStringLiteral("[%1%2] %3% ")
                  .arg(QString(filled, QLatin1Char('#')), QString(20 - filled, QLatin1Char('.')))
                  .arg(static_cast<int>(m_fraction * 100.0));
    } else {
        static const char spinner[] = "|/-\\";
        bar = QStringLiteral("%1 ").arg(QLatin1Char(spinner[static_cast<int>(seconds * 10) % 4]));
    }
    std::fprintf(stderr, "\r\033[K%s%s %.1fs", qPrintable(bar), qPrintable(m_what), seconds);
    std::fflush(stderr);
    m_drawn = true;
}

} // namespace maas::cli
