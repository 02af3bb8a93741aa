// The data document of a run folder (docs/report.md, "The data document"): each chart's
// figures, reduced from the tables in C++ so the page stays small whatever the run's size
// (a world-2025 run's flows.csv has tens of thousands of rows; the Sankey needs a few dozen).
#include <algorithm>
#include <cstddef>
#include <fstream>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "mercato/core/error.hpp"
#include "mercato/report/report.hpp"
#include "report/csv_table.hpp"

namespace mercato::report {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

constexpr std::size_t kLargestPackages = 25;
constexpr std::size_t kEliteEmployers = 12;
const std::vector<std::string> kTiers = {"elite", "top", "all"};

json read_json_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw IoError(fmt::format("cannot read {}: no such file", path.string()));
  try {
    return json::parse(in);
  } catch (const json::exception& e) {
    throw IoError(fmt::format("cannot read {}: not valid JSON ({})", path.string(), e.what()));
  }
}

json number_or_null(const std::optional<double>& value) {
  return value ? json(*value) : json(nullptr);
}

// The run's months in order, from market.csv (one row per month), or regions.csv when the
// scenario did not write market.csv.
struct Calendar {
  std::vector<std::string> dates;
  std::map<std::string, std::size_t> index;  // date -> position

  // The position of row `r`'s date; a date that regions.csv does not have means the tables
  // are not of one run.
  std::size_t month_of(const CsvTable& table, std::size_t r, std::size_t date_column) const {
    const auto found = index.find(table.rows()[r][date_column]);
    if (found == index.end()) {
      throw IoError(
          fmt::format("cannot read {}: line {} has the date '{}', which regions.csv "
                      "does not have (are the files of one run?)",
                      table.path().string(), r + 2, table.rows()[r][date_column]));
    }
    return found->second;
  }
};

Calendar calendar_of(const CsvTable& table) {
  Calendar calendar;
  const std::size_t date = table.column("date");
  for (const auto& row : table.rows()) {
    if (calendar.index.emplace(row[date], calendar.dates.size()).second) {
      calendar.dates.push_back(row[date]);
    }
  }
  return calendar;
}

std::vector<std::string> regions_of(const CsvTable& regions) {
  std::vector<std::string> ids;
  const std::size_t region = regions.column("region");
  for (const auto& row : regions.rows()) {
    if (std::find(ids.begin(), ids.end(), row[region]) == ids.end()) ids.push_back(row[region]);
  }
  return ids;
}

// Per region, one value per month of `tier` rows: the column's value, or (share) the
// region's part of the column's world total that month.
json region_series(const CsvTable& table, const Calendar& calendar,
                   const std::vector<std::string>& regions, const std::string& tier,
                   const std::string& column_name, bool share) {
  const std::size_t date = table.column("date"), region = table.column("region"),
                    tier_column = table.column("tier"), column = table.column(column_name);
  std::map<std::string, std::vector<std::optional<double>>> values;
  for (const std::string& id : regions) values[id].assign(calendar.dates.size(), std::nullopt);
  std::vector<double> totals(calendar.dates.size(), 0.0);
  for (std::size_t r = 0; r < table.rows().size(); ++r) {
    const auto& row = table.rows()[r];
    if (row[tier_column] != tier) continue;
    const std::size_t month = calendar.month_of(table, r, date);
    values[row[region]][month] = table.number(r, column);
    totals[month] += table.number(r, column).value_or(0.0);
  }
  json series = json::object();
  for (const std::string& id : regions) {
    json points = json::array();
    for (std::size_t m = 0; m < calendar.dates.size(); ++m) {
      std::optional<double> value = values[id][m];
      if (share)
        value = totals[m] > 0 ? std::optional(value.value_or(0) / totals[m]) : std::nullopt;
      points.push_back(number_or_null(value));
    }
    series[id] = std::move(points);
  }
  return series;
}

// Wage quantiles by region and tier in the last month (regions.csv).
json pay_at_end(const CsvTable& table, const std::string& last_date) {
  const std::size_t date = table.column("date"), region = table.column("region"),
                    tier = table.column("tier");
  const std::vector<std::pair<std::string, std::size_t>> quantiles = {
      {"p50", table.column("wage_p50")},
      {"p90", table.column("wage_p90")},
      {"p99", table.column("wage_p99")},
      {"max", table.column("wage_max")}};
  json rows = json::array();
  for (std::size_t r = 0; r < table.rows().size(); ++r) {
    const auto& row = table.rows()[r];
    if (row[date] != last_date) continue;
    json entry = {{"region", row[region]}, {"tier", row[tier]}};
    for (const auto& [name, column] : quantiles)
      entry[name] = number_or_null(table.number(r, column));
    rows.push_back(std::move(entry));
  }
  return json{{"date", last_date}, {"rows", rows}};
}

// Moves between regions over the whole run, per tier (flows.csv); moves within a region are
// counted apart, since a Sankey of regions shows only the moves that cross a border.
json flows_between_regions(const CsvTable& table) {
  const std::size_t from = table.column("from_region"), to = table.column("to_region"),
                    tier = table.column("tier"), moves = table.column("moves");
  std::map<std::string, std::map<std::pair<std::string, std::string>, double>> links;
  std::map<std::string, double> within;
  for (std::size_t r = 0; r < table.rows().size(); ++r) {
    const auto& row = table.rows()[r];
    const double count = table.required_number(r, moves);
    if (row[from] == row[to]) {
      within[row[tier]] += count;
    } else {
      links[row[tier]][{row[from], row[to]}] += count;
    }
  }
  json result = json::object();
  for (const std::string& name : kTiers) {
    json list = json::array();
    for (const auto& [pair, count] : links[name]) {
      list.push_back({{"from", pair.first}, {"to", pair.second}, {"moves", count}});
    }
    result[name] = {{"links", list}, {"within_regions", within[name]}};
  }
  return result;
}

// The largest packages of the run: from the move log when it was kept, else summary.json's.
json largest_packages(const fs::path& folder, const json& summary) {
  const fs::path path = folder / "moves.csv";
  if (!fs::exists(path)) return summary.value("largest_packages", json::array());
  const CsvTable table = CsvTable::read(path);
  const std::size_t value = table.column("package_value");
  std::vector<std::pair<double, std::size_t>> order;
  for (std::size_t r = 0; r < table.rows().size(); ++r) {
    order.emplace_back(table.required_number(r, value), r);
  }
  // Largest first; ties in log order, so the list does not depend on the sort.
  std::stable_sort(order.begin(), order.end(),
                   [](const auto& a, const auto& b) { return a.first > b.first; });
  order.resize(std::min(order.size(), kLargestPackages));
  const std::vector<std::string> text = {"date",        "tier",   "role",     "from_org",
                                         "from_region", "to_org", "to_region"};
  const std::vector<std::string> numbers = {"talent", "wage_before", "wage", "bonus",
                                            "package_value"};
  json list = json::array();
  for (const auto& [unused, r] : order) {
    json entry;
    for (const std::string& name : text) entry[name] = table.rows()[r][table.column(name)];
    for (const std::string& name : numbers)
      entry[name] = table.required_number(r, table.column(name));
    // A run without events writes no event column.
    const std::optional<std::size_t> event = table.find_column("event");
    entry["event"] = event ? table.rows()[r][*event] : "";
    list.push_back(std::move(entry));
  }
  return list;
}

// World-level series of market.csv that the page draws, one value per month.
json market_series(const CsvTable& table, const Calendar& calendar,
                   const std::vector<std::string>& columns) {
  const std::size_t date = table.column("date");
  json result = json::object();
  for (const std::string& name : columns) {
    const std::size_t column = table.column(name);
    json points = json::array();
    points.get_ref<json::array_t&>().resize(calendar.dates.size(), nullptr);
    for (std::size_t r = 0; r < table.rows().size(); ++r) {
      points[calendar.month_of(table, r, date)] = number_or_null(table.number(r, column));
    }
    result[name] = std::move(points);
  }
  return result;
}

// The named organisations with the most elite talent in the last month (orgs.csv).
json elite_employers(const fs::path& folder, const std::string& last_date) {
  const fs::path path = folder / "orgs.csv";
  if (!fs::exists(path)) return json::array();
  const CsvTable table = CsvTable::read(path);
  const std::size_t date = table.column("date"), org = table.column("org"),
                    region = table.column("region"), elite = table.column("elite"),
                    top = table.column("top");
  json list = json::array();
  for (std::size_t r = 0; r < table.rows().size(); ++r) {
    if (table.rows()[r][date] != last_date) continue;
    list.push_back({{"org", table.rows()[r][org]},
                    {"region", table.rows()[r][region]},
                    {"elite", table.required_number(r, elite)},
                    {"top", table.required_number(r, top)}});
  }
  std::stable_sort(list.begin(), list.end(), [](const json& a, const json& b) {
    return a["elite"].get<double>() > b["elite"].get<double>();
  });
  if (list.size() > kEliteEmployers) list.erase(list.begin() + kEliteEmployers, list.end());
  return list;
}

// Each event's cost and effects by month (events.csv); the effect columns kept are those that
// are not 0 in every month (docs/outputs.md: counts that do not apply to a type are 0).
json events_over_time(const fs::path& folder, const Calendar& calendar) {
  const fs::path path = folder / "events.csv";
  if (!fs::exists(path)) return json::array();
  const CsvTable table = CsvTable::read(path);
  const std::vector<std::string> columns = {
      "cost",          "cost_total",         "offers",  "accepted",  "declined", "package_value",
      "beneficiaries", "departures_avoided", "trained", "attracted", "retained"};
  const std::size_t date = table.column("date"), name = table.column("event"),
                    type = table.column("type"), payer = table.column("payer");
  std::vector<std::string> order;
  std::map<std::string, json> events;
  for (std::size_t r = 0; r < table.rows().size(); ++r) {
    const auto& row = table.rows()[r];
    json& event = events[row[name]];
    if (event.is_null()) {
      order.push_back(row[name]);
      event = {{"name", row[name]},
               {"type", row[type]},
               {"payer", row[payer]},
               {"series", json::object()}};
      for (const std::string& column : columns) {
        event["series"][column] = json::array();
        event["series"][column].get_ref<json::array_t&>().resize(calendar.dates.size(), nullptr);
      }
    }
    const std::size_t month = calendar.month_of(table, r, date);
    for (const std::string& column : columns) {
      event["series"][column][month] = table.required_number(r, table.column(column));
    }
  }
  json list = json::array();
  for (const std::string& event_name : order) {
    json& event = events[event_name];
    json kept = json::object();
    for (const std::string& column : columns) {
      const json& points = event["series"][column];
      const bool used = std::any_of(points.begin(), points.end(), [](const json& v) {
        return v.is_number() && v.get<double>() != 0.0;
      });
      if (used || column == "cost" || column == "cost_total") kept[column] = points;
    }
    event["series"] = std::move(kept);
    list.push_back(std::move(event));
  }
  return list;
}

void require_run_folder(const fs::path& folder) {
  std::error_code error;
  if (!fs::exists(folder, error)) {
    throw IoError(fmt::format("cannot read {}: no such file or folder", folder.string()));
  }
  if (!fs::is_directory(folder, error)) {
    throw IoError(fmt::format("{} is not a run folder (give the folder `mercato run` wrote)",
                              folder.string()));
  }
  if (!fs::exists(folder / "manifest.json") || !fs::exists(folder / "summary.json")) {
    throw IoError(fmt::format(
        "{} is not a finished run folder: it has no manifest.json or summary.json (`mercato run` "
        "writes them last, when the run completes)",
        folder.string()));
  }
  if (!fs::exists(folder / "regions.csv")) {
    throw IoError(
        fmt::format("cannot read {}: no such file; the report needs the regions table "
                    "(keep `regions` in the scenario's outputs.tables)",
                    (folder / "regions.csv").string()));
  }
}

json headline_of(const json& summary) {
  json headline = json::object();
  for (const char* key : {"scenario", "seed", "months", "start", "end", "talents_start",
                          "talents_end", "organisations", "moves", "entries", "exits",
                          "moves_per_talent_year", "unemployment_end", "elite_top5_share_end",
                          "elite_hhi_end", "signing_bonuses", "regions", "groups", "wage_end"}) {
    if (summary.contains(key)) headline[key] = summary[key];
  }
  return headline;
}

}  // namespace

std::string run_document(const fs::path& run_folder) {
  require_run_folder(run_folder);
  const json manifest = read_json_file(run_folder / "manifest.json");
  const json summary = read_json_file(run_folder / "summary.json");
  const CsvTable regions_table = CsvTable::read(run_folder / "regions.csv");
  const Calendar calendar = calendar_of(regions_table);
  if (calendar.dates.empty()) {
    throw IoError(
        fmt::format("cannot read {}: it has no rows", (run_folder / "regions.csv").string()));
  }
  const std::vector<std::string> regions = regions_of(regions_table);
  json document = {{"format", "mercato-report-run-1"},
                   {"kind", "run"},
                   {"folder", run_folder.string()},
                   {"mercato_version", manifest.value("mercato_version", "")},
                   {"scenario", manifest.value("scenario", json::object())},
                   {"headline", headline_of(summary)},
                   {"dates", calendar.dates},
                   {"regions", regions}};
  document["work_share_top"] =
      region_series(regions_table, calendar, regions, "top", "employed", true);
  document["brain_drain"] = json::object();
  for (const std::string& tier : kTiers) {
    document["brain_drain"][tier] =
        region_series(regions_table, calendar, regions, tier, "brain_drain", false);
  }
  document["pay_end"] = pay_at_end(regions_table, calendar.dates.back());
  const fs::path flows = run_folder / "flows.csv";
  document["flows"] = fs::exists(flows) ? flows_between_regions(CsvTable::read(flows)) : json();
  document["largest_packages"] = largest_packages(run_folder, summary);
  const fs::path market = run_folder / "market.csv";
  document["market"] = fs::exists(market)
                           ? market_series(CsvTable::read(market), calendar,
                                           {"elite_top5_share", "elite_hhi", "package_p50",
                                            "package_p90", "package_p99", "package_max", "moves"})
                           : json();
  document["elite_employers"] = elite_employers(run_folder, calendar.dates.back());
  document["events"] = events_over_time(run_folder, calendar);
  // Names come from scenario files; a byte that is not UTF-8 is replaced, not fatal.
  return document.dump(-1, ' ', false, json::error_handler_t::replace);
}

}  // namespace mercato::report
