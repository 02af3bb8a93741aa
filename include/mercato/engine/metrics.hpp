// What a month produced (MODEL.md, Metrics): plain structs filled by the engine, written by io.
// Tiers in reports: elite, top (elite included, MacroPolo's "top-tier"), all.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "mercato/core/types.hpp"
#include "mercato/engine/events.hpp"

namespace mercato {

enum class ReportTier : std::uint8_t { elite = 0, top = 1, all = 2 };
inline constexpr int kReportTierCount = 3;
constexpr std::string_view to_string(ReportTier t) {
  return t == ReportTier::elite ? "elite" : (t == ReportTier::top ? "top" : "all");
}

struct Quantiles {
  double p50 = 0, p90 = 0, p99 = 0, max = 0;
};

// One move between employers (or from unemployment) decided by clearing (MODEL.md, moves).
struct MoveRecord {
  int month = 0;             // month index from the scenario start (0-based)
  std::uint32_t talent = 0;  // talent uid
  Tier tier = Tier::rest;
  Role role = Role::research;
  float ability = 0;
  OrgId from;  // kNoEmployer when hired from unemployment
  OrgId to;
  RegionId from_region, to_region;
  double wage_before = 0;  // USD/yr
  double wage = 0;         // USD/yr
  double bonus = 0;        // signing bonus, USD
  double forfeited = 0;    // unvested equity left behind, USD
  int event = -1;          // the offensive whose offer this was (timeline index), or -1
  double package_value() const { return 4.0 * wage + bonus; }  // MODEL.md, Time and units
};

struct RegionRow {
  RegionId region;
  ReportTier tier = ReportTier::all;
  std::int64_t employed = 0;                     // working for an organisation in the region
  std::int64_t unemployed = 0;                   // unemployed, last in the region
  std::int64_t research = 0, engineering = 0;    // employed by role
  std::int64_t trained_here = 0;                 // alive talents whose origin is the region
  std::int64_t trained_here_working_abroad = 0;  // of those, employed in another region
  double brain_drain = 0;       // working abroad / trained here employed (0 if none)
  std::int64_t arrivals = 0;    // moves this month into the region from another region
  std::int64_t departures = 0;  // moves this month out of the region to another region
  Quantiles wage;               // of the employed in the region
  double output = 0;            // USD/yr of the region's organisations (tier all only)
};

struct KindRow {
  OrgKind kind = OrgKind::startup;
  ReportTier tier = ReportTier::all;
  std::int64_t headcount = 0;
  double wage_mean = 0;
  Quantiles wage;
  std::int64_t hires = 0, departures = 0;  // this month, counted in each tier of the mover
  double output = 0;                       // tier all only
};

// Named organisations only (pools are reported through kinds).
struct OrgRow {
  OrgId org;
  std::int64_t research = 0, engineering = 0, elite = 0, top = 0;
  std::int64_t vacancies = 0;
  double payroll = 0, payroll_budget = 0, compute = 0, output = 0;
  double wage_mean = 0;
  std::int64_t hires = 0, departures = 0, counters_won = 0;
};

struct FlowRow {
  RegionId from_region, to_region;
  int from_kind = -1;  // OrgKind, or -1 for unemployment
  OrgKind to_kind = OrgKind::startup;
  ReportTier tier = ReportTier::all;  // elite, top or all; a move counts in each tier it is in
  std::int64_t moves = 0;
};

struct OriginRow {
  RegionId origin;
  int work_region = -1;  // RegionId value, or -1 for unemployed
  ReportTier tier = ReportTier::all;
  std::int64_t talents = 0;
};

// World-level figures of the month.
struct MarketRow {
  std::int64_t talents = 0, employed = 0, entries = 0, exits = 0;
  std::int64_t returned_home = 0;      // unemployed foreigners whose grace period ended
  std::int64_t doctoral_students = 0;  // research graduates in their doctorate, off the market
  std::int64_t seekers = 0, candidates = 0, offers = 0, moves = 0, hires_from_unemployment = 0;
  std::int64_t counters_won = 0;  // incumbents that kept a talent by countering
  double poaching_success = 0;    // moves of employed talents / offers to employed talents
  double signing_bonuses = 0;     // USD paid this month
  Quantiles package;              // package value of this month's moves
  double elite_top5_share = 0;    // share of elite talent in the 5 largest elite employers
  double elite_hhi = 0;           // Herfindahl index of elite employment, 0..1
  double output = 0;              // USD/yr, all organisations
  double payroll = 0;             // USD/yr, all organisations
};

struct MonthMetrics {
  int month = 0;  // 0-based from the scenario start
  YearMonth date;
  MarketRow market;
  std::vector<RegionRow> regions;  // region x tier
  std::vector<KindRow> kinds;      // kind x tier
  std::vector<OrgRow> orgs;        // named organisations
  std::vector<FlowRow> flows;      // non-zero cells only
  std::vector<OriginRow> origins;  // only in months when origins are due (else empty)
  std::vector<MoveRecord> moves;   // every move of the month, in clearing order
  std::vector<EventRow> events;    // one row per event from its start month on
};

// Headline figures of a whole run (summary.json and the CLI's summary).
struct RunSummary {
  std::string scenario;
  std::uint64_t seed = 0;
  int months = 0;
  YearMonth start, end;
  std::int64_t talents_start = 0, talents_end = 0, organisations = 0;
  std::int64_t moves = 0, entries = 0, exits = 0, counters_won = 0;
  double moves_per_talent_year = 0;  // moves / (average talents x years)
  double unemployment_end = 0;
  struct RegionShare {
    RegionId region;
    double top_work_share = 0;    // share of top-tier talent employed there (end)
    double top_origin_share = 0;  // share of top-tier talent trained there (end)
    double brain_drain_top = 0;   // trained there, top tier, working elsewhere (end)
    double brain_drain_all = 0;
  };
  std::vector<RegionShare> regions;
  struct GroupShare {
    std::string group;
    double top_work_share = 0, top_origin_share = 0, brain_drain_top = 0;
  };
  std::vector<GroupShare> groups;
  std::array<Quantiles, kReportTierCount> wage_end;  // by report tier
  double elite_top5_share_end = 0, elite_hhi_end = 0;
  double signing_bonuses = 0;
  std::vector<MoveRecord> largest_packages;  // top 10 by package value over the run
  std::vector<EventSummary> events;          // one per event of the timeline
};

}  // namespace mercato
