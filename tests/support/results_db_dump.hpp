// A results database as text, for comparing two databases row by row: every table in name
// order, its rows sorted, without the columns that record when and where a run ran (timings,
// worker, creation time), which are allowed to differ between otherwise identical experiments.
#pragma once

#include <sqlite3.h>

#include <filesystem>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

namespace mercato::testing {

inline std::string dump_results_db(const std::filesystem::path& path) {
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
    sqlite3_close(db);
    throw std::runtime_error("cannot open " + path.string());
  }
  const std::set<std::string> timing = {"worker", "seconds", "finished_at"};
  auto query = [db](const std::string& sql) {
    std::vector<std::vector<std::string>> rows;
    std::vector<std::string> names;
    sqlite3_stmt* stmt = nullptr;
    if (sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt, nullptr) != SQLITE_OK) {
      throw std::runtime_error(sqlite3_errmsg(db));
    }
    for (int c = 0; c < sqlite3_column_count(stmt); ++c)
      names.emplace_back(sqlite3_column_name(stmt, c));
    while (sqlite3_step(stmt) == SQLITE_ROW) {
      std::vector<std::string> row;
      for (int c = 0; c < sqlite3_column_count(stmt); ++c) {
        const unsigned char* t = sqlite3_column_text(stmt, c);
        row.emplace_back(t == nullptr ? "NULL" : reinterpret_cast<const char*>(t));
      }
      rows.push_back(std::move(row));
    }
    sqlite3_finalize(stmt);
    return std::pair{names, rows};
  };
  std::string out;
  for (const auto& table :
       query("SELECT name FROM sqlite_master WHERE type='table' ORDER BY name").second) {
    const std::string& name = table[0];
    // Sorted by every column: the order rows were written in is not part of the contents.
    const std::size_t count = query("SELECT * FROM \"" + name + "\" LIMIT 0").first.size();
    std::string order;
    for (std::size_t c = 1; c <= count; ++c) order += (c > 1 ? ", " : "") + std::to_string(c);
    auto [columns, rows] = query("SELECT * FROM \"" + name + "\" ORDER BY " + order);
    out += "table " + name + "\n";
    for (const auto& row : rows) {
      if (name == "experiment" && row[0] == "created_at") continue;
      for (std::size_t c = 0; c < row.size(); ++c) {
        if (name == "run" && timing.count(columns[c]) != 0) continue;
        out += columns[c] + "=" + row[c] + (c + 1 < row.size() ? "," : "\n");
      }
      if (row.empty()) out += "\n";
    }
  }
  sqlite3_close(db);
  return out;
}

}  // namespace mercato::testing
