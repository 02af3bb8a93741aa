// A CSV table as mercato writes it (docs/outputs.md, "Conventions of every table"): a header
// line, comma-separated, fields quoted RFC 4180-style only when needed.
#pragma once

#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace mercato::report {

class CsvTable {
 public:
  // Reads the whole file. Throws IoError naming the file when it cannot be read, has no
  // header, or has a row whose field count differs from the header's.
  static CsvTable read(const std::filesystem::path& path);

  // The index of `name`; throws IoError naming the file when the column is missing.
  std::size_t column(const std::string& name) const;
  // The index of `name`, or nullopt when the table has no such column.
  std::optional<std::size_t> find_column(const std::string& name) const;
  const std::vector<std::vector<std::string>>& rows() const { return rows_; }
  const std::filesystem::path& path() const { return path_; }

  // The field as a number; empty (undefined, docs/outputs.md) gives nullopt. Throws IoError
  // naming the file, row and column when it is not a number.
  std::optional<double> number(std::size_t row, std::size_t column) const;
  // The same, with an empty field an error (for counts that are always written).
  double required_number(std::size_t row, std::size_t column) const;

 private:
  std::filesystem::path path_;
  std::vector<std::string> header_;
  std::vector<std::vector<std::string>> rows_;
};

}  // namespace mercato::report
