#include "maas/app/format.h"

#include <QStringList>

#include <QLocale>
#include <cmath>

namespace maas::app {

QString formatExact(std::int64_t n) { return QLocale().toString(static_cast<qlonglong>(n)); }

QString formatCount(std::int64_t n)
{
    const double v = static_cast<double>(n);
    if (std::llabs(n) < 10000)
        return formatExact(n);
    if (std::fabs(v) < 1e6)
        return QStringLiteral("%1 K").arg(QLocale().toString(v / 1e3, 'f', 1));
    if (std::fabs(v) < 1e9)
        return QStringLiteral("%1 M").arg(QLocale().toString(v / 1e6, 'f', 1));
    return QStringLiteral("%1 G").arg(QLocale().toString(v / 1e9, 'f', 2));
}

QString formatBytes(std::int64_t bytes)
{
    const char* units[] = { "B", "KB", "MB", "GB", "TB" };
    double v = static_cast<double>(bytes);
    int unit = 0;
    while (std::fabs(v) >= 1024.0 && unit < 4) {
        v /= 1024.0;
        ++unit;
    }
    if (unit == 0)
        return QStringLiteral("%1 B").arg(bytes);
    return QStringLiteral("%1 %2").arg(QLocale().toString(v, 'f', 1), QLatin1String(units[unit]));
}

QString formatSeconds(double seconds)
{
    if (!(seconds > 0.0))
        return QStringLiteral("0 s");
    if (seconds < 1e-3)
        return QStringLiteral("%1 µs").arg(QLocale().toString(seconds * 1e6, 'f', 1));
    if (seconds < 1.0)
        return QStringLiteral("%1 ms").arg(QLocale().toString(seconds * 1e3, 'f', seconds < 0.1 ? 2 : 1));
    return QStringLiteral("%1 s").arg(QLocale().toString(seconds, 'f', 2));
}

QString formatPercent(double fraction)
{
    if (std::isnan(fraction))
        return QStringLiteral("-");
    return QStringLiteral("%1%").arg(QLocale().toString(fraction * 100.0, 'f', 1));
}

QString formatChange(double before, double after, const QString& better, const QString& worse)
{
    if (!(before > 0) || !(after > 0))
        return QString();
    const bool improved = before >= after;
    return QStringLiteral("%1x %2")
        .arg(improved ? before / after : after / before, 0, 'f', 2)
        .arg(improved ? better : worse);
}

QString formatShape(const std::vector<std::int64_t>& shape)
{
    QStringList sizes;
    for (const auto size : shape)
        sizes << QString::number(size);
    return sizes.join(QLatin1Char('x'));
}

} // namespace maas::app
