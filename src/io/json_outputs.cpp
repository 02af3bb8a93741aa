#include "io/json_outputs.hpp"

#include <chrono>
#include <cmath>

#include <fmt/chrono.h>
#include <nlohmann/json.hpp>

#include "io/number_format.hpp"
#include "io/tables.hpp"

namespace mercato::io {

namespace {

// Keys stay in the documented order, which is easier on a human reader than sorted keys.
using Json = nlohmann::ordered_json;

Json money(double usd) {
  if (const auto dollars = whole_dollars(usd)) return *dollars;
  return nullptr;
}

Json real(double value) {
  // nlohmann writes a non-finite double as null too; being explicit keeps the rule in one place.
  if (!std::isfinite(value)) return nullptr;
  return six_digits(value);
}

Json quantiles(const Quantiles& q) {
  return Json{
      {"p50", money(q.p50)}, {"p90", money(q.p90)}, {"p99", money(q.p99)}, {"max", money(q.max)}};
}

Json move_json(const World& world, const MoveRecord& m, YearMonth start) {
  return Json{{"month", m.month},
              {"date", date_string(start.plus_months(m.month))},
              {"talent", m.talent},
              {"tier", to_string(m.tier)},
              {"role", to_string(m.role)},
              {"ability", real(m.ability)},
              {"from_org", org_name(world, m.from)},
              {"from_kind", org_kind_name(world, m.from)},
              {"from_region", region_name(world, m.from_region)},
              {"to_org", org_name(world, m.to)},
              {"to_kind", org_kind_name(world, m.to)},
              {"to_region", region_name(world, m.to_region)},
              {"wage_before", money(m.wage_before)},
              {"wage", money(m.wage)},
              {"bonus", money(m.bonus)},
              {"forfeited", money(m.forfeited)},
              {"package_value", money(m.package_value())}};
}

std::string seconds_since_epoch_utc() {
  const auto now = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
  return fmt::format("{:%Y-%m-%dT%H:%M:%SZ}", now);
}

}  // namespace

std::string summary_json_text(const World& world, const RunSummary& s) {
  Json regions = Json::array();
  for (const auto& r : s.regions) {
    regions.push_back(Json{{"region", region_name(world, r.region)},
                           {"top_work_share", real(r.top_work_share)},
                           {"top_origin_share", real(r.top_origin_share)},
                           {"brain_drain_top", real(r.brain_drain_top)},
                           {"brain_drain_all", real(r.brain_drain_all)}});
  }
  Json groups = Json::array();
  for (const auto& g : s.groups) {
    groups.push_back(Json{{"group", g.group},
                          {"top_work_share", real(g.top_work_share)},
                          {"top_origin_share", real(g.top_origin_share)},
                          {"brain_drain_top", real(g.brain_drain_top)}});
  }
  Json wage_end = Json::object();
  for (int t = 0; t < kReportTierCount; ++t) {
    wage_end[std::string(to_string(static_cast<ReportTier>(t)))] = quantiles(s.wage_end[t]);
  }
  Json largest = Json::array();
  for (const MoveRecord& m : s.largest_packages) largest.push_back(move_json(world, m, s.start));

  Json events = Json::array();
  for (const EventSummary& e : s.events) {
    Json from = Json::array();
    for (const auto& [org, count] : e.accepted_from)
      from.push_back(Json{{"org", org}, {"count", count}});
    events.push_back(Json{{"event", e.name},
                          {"type", to_string(e.type)},
                          {"payer", e.payer},
                          {"cost", money(e.cost)},
                          {"offers", e.offers},
                          {"accepted", e.accepted},
                          {"declined", e.declined},
                          {"package_value", money(e.package_value)},
                          {"departures_avoided", e.departures_avoided},
                          {"trained", e.trained},
                          {"attracted", e.attracted},
                          {"retained_end", e.retained_end},
                          {"beneficiaries_end", e.beneficiaries_end},
                          {"accepted_from", std::move(from)}});
  }

  const Json summary{{"scenario", s.scenario},
                     {"seed", s.seed},
                     {"months", s.months},
                     {"start", date_string(s.start)},
                     {"end", date_string(s.end)},
                     {"talents_start", s.talents_start},
                     {"talents_end", s.talents_end},
                     {"organisations", s.organisations},
                     {"moves", s.moves},
                     {"entries", s.entries},
                     {"exits", s.exits},
                     {"counters_won", s.counters_won},
                     {"moves_per_talent_year", real(s.moves_per_talent_year)},
                     {"unemployment_end", real(s.unemployment_end)},
                     {"regions", std::move(regions)},
                     {"groups", std::move(groups)},
                     {"wage_end", std::move(wage_end)},
                     {"elite_top5_share_end", real(s.elite_top5_share_end)},
                     {"elite_hhi_end", real(s.elite_hhi_end)},
                     {"signing_bonuses", money(s.signing_bonuses)},
                     {"largest_packages", std::move(largest)},
                     {"events", std::move(events)}};
  return summary.dump(2, ' ', false, Json::error_handler_t::replace) + "\n";
}

std::string manifest_json_text(const RunDescription& d, const RunTimings& t,
                               const std::vector<ManifestFile>& files) {
  Json file_list = Json::array();
  for (const ManifestFile& f : files) {
    Json entry{{"name", f.name}};
    if (f.rows) entry["rows"] = *f.rows;
    file_list.push_back(std::move(entry));
  }
  // Timings are kept to the millisecond: finer digits are noise.
  auto seconds = [](double s) { return std::round(s * 1000.0) / 1000.0; };
  const Json manifest{{"mercato_version", mercato_version()},
                      {"finished_at", seconds_since_epoch_utc()},
                      {"scenario", Json{{"file", d.scenario_file}, {"name", d.scenario_name}}},
                      {"seed", d.seed},
                      {"months", d.months},
                      {"start", date_string(d.start)},
                      {"threads", d.threads},
                      {"command_line", d.command_line},
                      {"timings", Json{{"build_seconds", seconds(t.build_seconds)},
                                       {"warmup_seconds", seconds(t.warmup_seconds)},
                                       {"run_seconds", seconds(t.run_seconds)},
                                       {"write_seconds", seconds(t.write_seconds)}}},
                      {"files", std::move(file_list)},
                      {"resolved_scenario", d.resolved_scenario}};
  return manifest.dump(2, ' ', false, Json::error_handler_t::replace) + "\n";
}

}  // namespace mercato::io
