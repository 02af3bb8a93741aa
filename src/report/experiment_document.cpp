// The data documents of experiments (docs/report.md, "Experiments"): an ensemble's or a sweep's
// results database and a `mercato compare` folder, reduced in C++ to what the page draws: each
// headline figure per point with its 95% interval, each point against the baseline (point 0)
// with the interval of the paired difference, and the top tier's work share over time.
#include <sqlite3.h>

#include <array>
#include <cmath>
#include <cstring>
#include <fstream>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "io/sqlite_statement.hpp"
#include "mercato/core/error.hpp"
#include "mercato/experiment/statistics.hpp"
#include "mercato/report/report.hpp"

namespace mercato::report {
namespace {

namespace fs = std::filesystem;
using experiment::estimate_mean;
using experiment::MeanEstimate;
using io::Statement;
using nlohmann::json;

json number_or_null(double value) {
  return std::isfinite(value) ? json(value) : json(nullptr);
}

// {n, mean, low, high} of the finite values; null when there is none.
json estimate_of(const std::vector<double>& values) {
  std::vector<double> finite;
  for (const double v : values) {
    if (std::isfinite(v)) finite.push_back(v);
  }
  if (finite.empty()) return nullptr;
  const MeanEstimate e = estimate_mean(finite);
  return {{"n", e.n},
          {"mean", number_or_null(e.mean)},
          {"low", number_or_null(e.low)},
          {"high", number_or_null(e.high)}};
}

// The paired differences point - baseline, replicate by replicate (common random numbers).
json paired_difference(const std::vector<double>& point, const std::vector<double>& baseline) {
  std::vector<double> differences;
  for (std::size_t r = 0; r < point.size() && r < baseline.size(); ++r) {
    if (std::isfinite(point[r]) && std::isfinite(baseline[r]))
      differences.push_back(point[r] - baseline[r]);
  }
  return estimate_of(differences);
}

// A results database opened read-only; refuses a file that is not SQLite or not mercato's.
class Database {
 public:
  explicit Database(const fs::path& path) : path_(path) {
    require_sqlite_header(path);
    if (sqlite3_open_v2(path.c_str(), &db_, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
      const std::string message = sqlite3_errmsg(db_);
      sqlite3_close(db_);
      throw IoError(fmt::format("cannot read {}: {}", path.string(), message));
    }
    if (!has_table("experiment") || !has_table("run") || !has_table("metric")) {
      sqlite3_close(db_);
      throw IoError(fmt::format(
          "{} is an SQLite file but not a mercato results database (it has no experiment, run "
          "and metric tables; `mercato ensemble` and `mercato sweep` write them)",
          path.string()));
    }
  }
  ~Database() { sqlite3_close(db_); }
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  Statement query(const std::string& sql) const { return Statement(db_, sql, path_); }

  bool has_table(const std::string& name) const {
    Statement s(db_, "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", path_);
    s.bind(1, std::string_view(name));
    return s.step();
  }

  std::string fact(const std::string& key) const {
    Statement s = query("SELECT value FROM experiment WHERE key = ?");
    s.bind(1, std::string_view(key));
    return s.step() ? s.text_at(0) : std::string();
  }

 private:
  static void require_sqlite_header(const fs::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw IoError(fmt::format("cannot read {}: no such file", path.string()));
    std::array<char, 16> header{};
    in.read(header.data(), header.size());
    if (in.gcount() != 16 || std::memcmp(header.data(), "SQLite format 3", 16) != 0) {
      throw IoError(fmt::format(
          "{} is neither a run folder nor a results database (an ensemble's or sweep's SQLite "
          "file); give the folder `mercato run` or `mercato compare` wrote, or the database of "
          "`mercato ensemble` or `mercato sweep`",
          path.string()));
    }
  }

  fs::path path_;
  sqlite3* db_ = nullptr;
};

// Points in design order with their labels, values and how their runs went.
json points_of(const Database& db, std::vector<std::string>& keys) {
  json points = json::array();
  Statement p = db.query("SELECT point, label FROM point ORDER BY point");
  while (p.step()) {
    points.push_back({{"point", p.int_at(0)},
                      {"label", p.text_at(1)},
                      {"values", json::object()},
                      {"done", 0},
                      {"failed", 0},
                      {"pending", 0}});
  }
  Statement v = db.query("SELECT point, key, value FROM parameter ORDER BY point, rowid");
  while (v.step()) {
    const auto point = static_cast<std::size_t>(v.int_at(0));
    const std::string key = v.text_at(1);
    if (point == 0) keys.push_back(key);
    if (point < points.size()) points[point]["values"][key] = v.text_at(2);
  }
  Statement r = db.query("SELECT point, status, COUNT(*) FROM run GROUP BY point, status");
  while (r.step()) {
    const auto point = static_cast<std::size_t>(r.int_at(0));
    const std::string status = r.text_at(1);
    if (point < points.size() && points[point].contains(status))
      points[point][status] = r.int_at(2);
  }
  return points;
}

// Each headline figure: per point its estimate over the finished runs, and the paired
// difference against point 0.
json metrics_of(const Database& db, std::size_t point_count, std::size_t replicates) {
  std::vector<std::pair<std::string, std::string>> info;
  std::map<std::string, std::size_t> index;
  Statement m = db.query("SELECT metric, unit FROM metric_info ORDER BY ord");
  while (m.step()) {
    index.emplace(m.text_at(0), info.size());
    info.emplace_back(m.text_at(0), m.text_at(1));
  }
  const double nan = std::numeric_limits<double>::quiet_NaN();
  // values[metric][point][replicate]
  std::vector<std::vector<std::vector<double>>> values(
      info.size(),
      std::vector<std::vector<double>>(point_count, std::vector<double>(replicates, nan)));
  Statement v = db.query(
      "SELECT r.point, r.replicate, m.metric, m.value FROM metric m JOIN run r USING (run) "
      "WHERE r.status = 'done'");
  while (v.step()) {
    const auto point = static_cast<std::size_t>(v.int_at(0));
    const auto replicate = static_cast<std::size_t>(v.int_at(1));
    const auto found = index.find(v.text_at(2));
    if (found == index.end() || point >= point_count || replicate >= replicates) continue;
    values[found->second][point][replicate] = v.real_at(3);
  }
  json metrics = json::array();
  for (std::size_t k = 0; k < info.size(); ++k) {
    json estimates = json::array(), differences = json::array();
    for (std::size_t p = 0; p < point_count; ++p) {
      estimates.push_back(estimate_of(values[k][p]));
      differences.push_back(p == 0 ? json(nullptr) : paired_difference(values[k][p], values[k][0]));
    }
    metrics.push_back({{"metric", info[k].first},
                       {"unit", info[k].second},
                       {"values", std::move(estimates)},
                       {"differences", std::move(differences)}});
  }
  return metrics;
}

// The top tier's work share by region and month, per point: the mean over the finished runs
// and its 95% interval (kept `regions` table only).
json work_share_of(const Database& db, std::size_t point_count) {
  if (!db.has_table("regions")) return nullptr;
  std::vector<std::string> dates, regions;
  std::map<std::string, std::size_t> date_index, region_index;
  // share[point][region][date] over runs, filled run by run
  std::map<std::int64_t,
           std::pair<std::size_t, std::map<std::pair<std::size_t, std::size_t>, double>>>
      runs;
  Statement s = db.query(
      "SELECT g.run, r.point, g.date, g.region, g.employed FROM regions g JOIN run r USING (run) "
      "WHERE r.status = 'done' AND g.tier = 'top' ORDER BY g.run, g.month");
  while (s.step()) {
    const std::string date = s.text_at(2), region = s.text_at(3);
    if (date_index.emplace(date, dates.size()).second) dates.push_back(date);
    if (region_index.emplace(region, regions.size()).second) regions.push_back(region);
    auto& run = runs[s.int_at(0)];
    run.first = static_cast<std::size_t>(s.int_at(1));
    run.second[{date_index[date], region_index[region]}] = s.real_at(4);
  }
  if (dates.empty()) return nullptr;
  // samples[point][region][date] -> shares over runs
  std::vector<std::vector<std::vector<std::vector<double>>>> samples(
      point_count, std::vector<std::vector<std::vector<double>>>(
                       regions.size(), std::vector<std::vector<double>>(dates.size())));
  for (const auto& [run, entry] : runs) {
    const auto& [point, employed] = entry;
    if (point >= point_count) continue;
    std::vector<double> totals(dates.size(), 0.0);
    for (const auto& [key, count] : employed) totals[key.first] += std::isfinite(count) ? count : 0;
    for (const auto& [key, count] : employed) {
      if (totals[key.first] > 0 && std::isfinite(count))
        samples[point][key.second][key.first].push_back(count / totals[key.first]);
    }
  }
  json points = json::array();
  for (std::size_t p = 0; p < point_count; ++p) {
    json by_region = json::object();
    for (std::size_t g = 0; g < regions.size(); ++g) {
      json mean = json::array(), low = json::array(), high = json::array();
      for (std::size_t d = 0; d < dates.size(); ++d) {
        const json e = estimate_of(samples[p][g][d]);
        mean.push_back(e.is_null() ? json(nullptr) : e["mean"]);
        low.push_back(e.is_null() ? json(nullptr) : e["low"]);
        high.push_back(e.is_null() ? json(nullptr) : e["high"]);
      }
      by_region[regions[g]] = {{"mean", mean}, {"low", low}, {"high", high}};
    }
    points.push_back(std::move(by_region));
  }
  return {{"dates", dates}, {"regions", regions}, {"points", points}};
}

std::size_t replicates_of(const Database& db) {
  Statement s = db.query("SELECT COALESCE(MAX(replicate) + 1, 0) FROM run");
  return s.step() ? static_cast<std::size_t>(s.int_at(0)) : 0;
}

json comparison_estimate(const json& row, const char* mean) {
  if (!row.contains(mean) || row[mean].is_null()) return nullptr;
  return {{"mean", row[mean]}, {"low", nullptr}, {"high", nullptr}};
}

}  // namespace

bool is_comparison_folder(const fs::path& folder) {
  std::error_code error;
  return fs::is_directory(folder, error) && fs::exists(folder / "comparison.json", error);
}

std::string database_document(const fs::path& database) {
  const Database db(database);
  std::vector<std::string> keys;
  json points = points_of(db, keys);
  const std::size_t replicates = replicates_of(db);
  json document = {{"format", "mercato-report-experiment-1"},
                   {"kind", db.fact("kind")},
                   {"name", db.fact("name")},
                   {"source", database.string()},
                   {"mercato_version", db.fact("mercato_version")},
                   {"replicates", replicates},
                   {"parameters", keys},
                   {"baseline", points.size() > 1 ? json(0) : json(nullptr)},
                   {"interval",
                    "95% interval of the mean over replicates (Student t); against "
                    "the baseline, of the mean paired difference"}};
  document["metrics"] = metrics_of(db, points.size(), replicates);
  document["work_share"] = work_share_of(db, points.size());
  document["points"] = std::move(points);
  return document.dump(-1, ' ', false, json::error_handler_t::replace);
}

std::string comparison_document(const fs::path& folder) {
  const fs::path path = folder / "comparison.json";
  std::ifstream in(path, std::ios::binary);
  if (!in) throw IoError(fmt::format("cannot read {}: no such file", path.string()));
  json comparison;
  try {
    comparison = json::parse(in);
  } catch (const json::exception& e) {
    throw IoError(fmt::format("cannot read {}: not valid JSON ({})", path.string(), e.what()));
  }
  if (!comparison.is_object() || !comparison.contains("rows") || !comparison["rows"].is_array()) {
    throw IoError(
        fmt::format("cannot read {}: it has no rows (is it mercato compare's?)", path.string()));
  }
  const auto overrides = [&](const char* key) {
    return comparison.value(key, json::array()).dump();
  };
  json points =
      json::array({{{"point", 0},
                    {"label", fmt::format("{} (base) {}", comparison.value("base", ""),
                                          overrides("base_overrides"))},
                    {"values", json::object()},
                    {"done", comparison.value("replicates", 0)}},
                   {{"point", 1},
                    {"label", fmt::format("{} (policy) {}", comparison.value("policy", ""),
                                          overrides("policy_overrides"))},
                    {"values", json::object()},
                    {"done", comparison.value("replicates", 0)}}});
  json metrics = json::array();
  for (const json& row : comparison["rows"]) {
    json difference = {{"mean", row.value("difference", json())},
                       {"low", row.value("ci_low", json())},
                       {"high", row.value("ci_high", json())}};
    metrics.push_back({{"metric", row.value("metric", "")},
                       {"unit", row.value("unit", "")},
                       {"section", row.value("section", "")},
                       {"label", row.value("label", "")},
                       {"values", json::array({comparison_estimate(row, "base_mean"),
                                               comparison_estimate(row, "policy_mean")})},
                       {"differences", json::array({nullptr, std::move(difference)})}});
  }
  json document = {{"format", "mercato-report-experiment-1"},
                   {"kind", "comparison"},
                   {"name", fmt::format("{} vs {}", comparison.value("base", ""),
                                        comparison.value("policy", ""))},
                   {"source", folder.string()},
                   {"mercato_version", comparison.value("mercato_version", "")},
                   {"replicates", comparison.value("replicates", 0)},
                   {"parameters", json::array()},
                   {"baseline", 0},
                   {"interval", comparison.value("interval", "")},
                   {"metrics", std::move(metrics)},
                   {"work_share", nullptr},
                   {"points", std::move(points)}};
  return document.dump(-1, ' ', false, json::error_handler_t::replace);
}

}  // namespace mercato::report
