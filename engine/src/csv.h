// The one CSV parser of the engine (RFC 4180), for prediction inputs and data sets alike.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace maas::engine {

/// One record of a CSV text, with the line it starts on (1-based) for error messages.
struct CsvRow {
    std::size_t line = 0;
    std::vector<std::string> cells;
};

/// Splits CSV text into records as RFC 4180 says: fields are separated by commas; a field in double
/// quotes may hold commas, line breaks and doubled quotes (""), which stand for one quote. Lines end
/// in LF, CRLF or CR; a leading UTF-8 byte order mark is dropped; blank lines are skipped. A quote
/// inside an unquoted field is kept as it is. `source` names the text in errors ("rows.csv",
/// "your input"): a quoted field that is never closed throws Error(InvalidInput) naming the source,
/// the line and the column where the field starts.
std::vector<CsvRow> parseCsv(const std::string& text, const std::string& source);

/// A cell as a number: the whole cell but surrounding spaces and tabs must be one ("1.5", " -2e3 ").
bool parseCsvNumber(const std::string& cell, float& out);

/// "source, line 3, column 2": where a cell is, for error messages (columns are 1-based).
std::string csvWhere(const std::string& source, std::size_t line, std::size_t column);

} // namespace maas::engine
