#include "csv.h"

#include <cstdlib>

#include "maas/engine/error.h"

namespace maas::engine {

bool parseCsvNumber(const std::string& cell, float& out)
{
    char* end = nullptr;
    const double v = std::strtod(cell.c_str(), &end);
    if (end == cell.c_str())
        return false;
    while (*end == ' ' || *end == '\t')
        ++end;
    out = static_cast<float>(v);
    return *end == '\0';
}

std::string csvWhere(const std::string& source, std::size_t line, std::size_t column)
{
    return source + ", line " + std::to_string(line) + ", column " + std::to_string(column);
}

std::vector<CsvRow> parseCsv(const std::string& text, const std::string& source)
{
    std::vector<CsvRow> rows;
    std::size_t i = text.compare(0, 3, "\xEF\xBB\xBF") == 0 ? 3 : 0;
    std::size_t line = 1, lineStart = i;
    CsvRow row { line, {} };
    std::string cell;
    bool quoted = false; // inside a quoted field
    bool wasQuoted = false; // the current cell was quoted (an empty quoted cell still counts)
    std::size_t quoteLine = 0, quoteColumn = 0;
    const auto endRow = [&] {
        const bool blank = row.cells.empty() && !wasQuoted && cell.find_first_not_of(" \t") == std::string::npos;
        if (!blank) {
            row.cells.push_back(std::move(cell));
            rows.push_back(std::move(row));
        }
        cell.clear();
        wasQuoted = false;
        row = { line, {} };
    };
    for (; i < text.size(); ++i) {
        const char c = text[i];
        if (quoted) {
            if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') {
                cell += '"';
                ++i;
            } else if (c == '"') {
                quoted = false;
            } else {
                if (c == '\n' || (c == '\r' && (i + 1 >= text.size() || text[i + 1] != '\n'))) {
                    ++line;
                    lineStart = i + 1;
                }
                cell += c;
            }
        } else if (c == '"' && cell.empty() && !wasQuoted) {
            quoted = wasQuoted = true;
            quoteLine = line;
            quoteColumn = i - lineStart + 1;
        } else if (c == ',') {
            row.cells.push_back(std::move(cell));
            cell.clear();
            wasQuoted = false;
        } else if (c == '\n' || c == '\r') {
            if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n')
                ++i;
            ++line;
            lineStart = i + 1;
            endRow();
        } else {
            cell += c;
        }
    }
    if (quoted)
        throw Error(ErrorKind::InvalidInput,
            csvWhere(source, quoteLine, quoteColumn) + ": a quoted field is never closed; add the closing quote.");
    endRow();
    return rows;
}

} // namespace maas::engine
