#include "report/csv_table.hpp"

#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstring>
#include <fstream>
#include <sstream>

#include <fmt/format.h>

#include "mercato/core/error.hpp"

namespace mercato::report {
namespace {

std::string read_whole(const std::filesystem::path& path) {
  std::error_code error;
  if (!std::filesystem::is_regular_file(path, error)) {
    throw IoError(fmt::format("cannot read {}: no such file", path.string()));
  }
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  if (in) text << in.rdbuf();
  if (!in || in.bad()) {
    throw IoError(fmt::format("cannot read {}: {}", path.string(), std::strerror(errno)));
  }
  return text.str();
}

// Splits the text into records of fields; a quoted field may hold commas, quotes ("") and
// line breaks.
std::vector<std::vector<std::string>> parse_records(const std::string& text,
                                                    const std::filesystem::path& path) {
  std::vector<std::vector<std::string>> records;
  std::vector<std::string> record;
  std::string field;
  bool quoted = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (quoted) {
      if (c != '"') {
        field += c;
      } else if (i + 1 < text.size() && text[i + 1] == '"') {
        field += '"';
        ++i;
      } else {
        quoted = false;
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      record.push_back(std::move(field));
      field.clear();
    } else if (c == '\n') {
      record.push_back(std::move(field));
      field.clear();
      records.push_back(std::move(record));
      record.clear();
    } else if (c != '\r') {
      field += c;
    }
  }
  if (quoted)
    throw IoError(fmt::format("cannot read {}: a quoted field never ends", path.string()));
  if (!field.empty() || !record.empty()) {
    record.push_back(std::move(field));
    records.push_back(std::move(record));
  }
  return records;
}

}  // namespace

CsvTable CsvTable::read(const std::filesystem::path& path) {
  std::vector<std::vector<std::string>> records = parse_records(read_whole(path), path);
  if (records.empty()) {
    throw IoError(fmt::format("cannot read {}: the file is empty (no header line)", path.string()));
  }
  CsvTable table;
  table.path_ = path;
  table.header_ = std::move(records.front());
  for (std::size_t i = 1; i < records.size(); ++i) {
    if (records[i].size() != table.header_.size()) {
      throw IoError(fmt::format("cannot read {}: line {} has {} fields, the header {}",
                                path.string(), i + 1, records[i].size(), table.header_.size()));
    }
    table.rows_.push_back(std::move(records[i]));
  }
  return table;
}

std::optional<std::size_t> CsvTable::find_column(const std::string& name) const {
  for (std::size_t i = 0; i < header_.size(); ++i) {
    if (header_[i] == name) return i;
  }
  return std::nullopt;
}

std::size_t CsvTable::column(const std::string& name) const {
  if (const std::optional<std::size_t> index = find_column(name)) return *index;
  throw IoError(fmt::format("cannot read {}: no column '{}', which docs/outputs.md lists",
                            path_.string(), name));
}

std::optional<double> CsvTable::number(std::size_t row, std::size_t column) const {
  const std::string& field = rows_[row][column];
  if (field.empty()) return std::nullopt;
  double value = 0;
  const char* end = field.data() + field.size();
  const auto [stop, error] = std::from_chars(field.data(), end, value);
  if (error != std::errc() || stop != end || !std::isfinite(value)) {
    throw IoError(fmt::format("cannot read {}: line {}, column '{}': '{}' is not a number",
                              path_.string(), row + 2, header_[column], field));
  }
  return value;
}

double CsvTable::required_number(std::size_t row, std::size_t column) const {
  const std::optional<double> value = number(row, column);
  if (!value) {
    throw IoError(fmt::format("cannot read {}: line {}, column '{}' is empty", path_.string(),
                              row + 2, header_[column]));
  }
  return *value;
}

}  // namespace mercato::report
