#include "maas/app/textinput.h"

#include <QStringList>

#include <algorithm>

namespace maas::app {

std::vector<std::int64_t> parseShape(const QString& text, bool* ok)
{
    std::vector<std::int64_t> shape;
    *ok = !text.isEmpty();
    for (const QString& part : text.split(QLatin1Char(','))) { // "1,,28" and "1,28," are not shapes
        bool good = false;
        const qlonglong d = part.toLongLong(&good);
        if (!good || d <= 0)
            *ok = false;
        shape.push_back(d);
    }
    return shape;
}

std::optional<std::vector<std::int64_t>> parseOpenShape(const QString& text)
{
    std::vector<std::int64_t> shape;
    for (const QString& part : text.split(QLatin1Char(','))) {
        bool good = false;
        const qlonglong d = part.trimmed().toLongLong(&good);
        if (!good || (d <= 0 && d != -1))
            return std::nullopt;
        shape.push_back(d);
    }
    return shape;
}

std::optional<maas::engine::InputShape> parseInputShape(const QString& text)
{
    const auto colon = text.indexOf(QLatin1Char(':'));
    bool ok = false;
    maas::engine::InputShape input { parseShape(colon < 0 ? text : text.left(colon), &ok), std::nullopt };
    if (!ok)
        return std::nullopt;
    if (colon >= 0) {
        input.dtype = maas::engine::parseDataType(text.mid(colon + 1).trimmed().toUpper().toStdString());
        if (!input.dtype || *input.dtype == maas::engine::DataType::Bytes)
            return std::nullopt;
    }
    return input;
}

std::optional<std::vector<int>> parseWholeNumbers(const QString& text, int minimum, int maximum)
{
    std::vector<int> values;
    for (const QString& part : text.split(QLatin1Char(','))) {
        bool ok = false;
        const int v = part.trimmed().toInt(&ok);
        if (!ok || v < minimum || v > maximum)
            return std::nullopt;
        if (std::find(values.begin(), values.end(), v) == values.end())
            values.push_back(v);
    }
    return values;
}

} // namespace maas::app
