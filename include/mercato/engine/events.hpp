// The scenario timeline (MODEL.md, Events and policies) as the engine sees it: events with
// their organisations and regions resolved to ids and every default filled in
// (scenario::build_events does that from a Config), and what each event cost and did, month by
// month (events.csv) and over the run (summary.json). docs/model.md, "Events", gives the
// mechanics of each type.
#pragma once

#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "mercato/core/types.hpp"

namespace mercato {

inline constexpr double kUnchanged = std::numeric_limits<double>::quiet_NaN();

struct Event {
  EventType type = EventType::offensive;
  std::string name;
  int start = 0;  // month index from the scenario start
  int end = -1;   // inclusive; -1 = until the end of the run

  OrgId org;                   // the acting organisation
  std::vector<OrgId> targets;  // offensive: organisations raided; alliance: partners
  RegionId region;             // invalid = every region (funding_shock)
  int kind = -1;               // OrgKind, or -1 = any (public_compute: university + public_lab)
  int role = -1;               // Role, or -1 = both

  // offensive
  int top_k = 0;
  double max_offer = 0, budget = 0, value_share = 0, buyout_ratio = 0;
  bool immediate_vesting = false;
  // retention_grant: top_k or top_share (> 0), amount or wage_multiple (> 0)
  double top_share = 0, amount = 0, wage_multiple = 0;
  int vest_months = 24;
  // mission_shift (kUnchanged = keep)
  double mission = kUnchanged, openness = kUnchanged;
  // compute_change (factor 1 and growth kUnchanged = no change), alliance, public_compute
  double factor = 1.0, growth = kUnchanged, share = 0, gpus = 0, cost_per_gpu = 0;
  // training_program
  double graduates_per_year = 0, research_share = 0.5, cost_per_place = 0;
  int lag_months = 36;
  // tax_regime
  double tax_rate = 0, years = 0;
  // visa_policy, non_compete
  double visa_friction = 0;
  int months = 0;

  bool active(int month) const { return month >= start && (end < 0 || month <= end); }
};

// What an event cost and did in one month (events.csv). Counts that do not apply to a type
// stay 0. Costs are USD: package value committed (offensive), equity granted (retention
// grant), training places funded, tax forgone, compute given or pooled (at cost_per_gpu),
// budgets added or removed (funding shock).
struct EventRow {
  int month = 0;
  YearMonth date;
  std::uint16_t event = 0;  // index into the timeline
  std::string name;         // the event's name
  EventType type = EventType::offensive;
  std::string payer;      // who pays: the organisation, the region, or "investors"
  double cost = 0;        // this month
  double cost_total = 0;  // since the start
  std::int64_t offers = 0, accepted = 0, declined = 0;  // offensive offers at clearing
  double package_value = 0;             // offensive: package value accepted this month
  std::int64_t beneficiaries = 0;       // grantees, tax beneficiaries (current)
  std::int64_t departures_avoided = 0;  // stayed, but would have left without the event
  std::int64_t trained = 0;             // training_program graduates this month
  std::int64_t attracted = 0;           // moves into the region or organisation due to it
  std::int64_t retained = 0;            // its graduates or beneficiaries working in the region
};

struct World;
// Who pays for an event: its organisation, its region's name, or "investors" (funding shock).
std::string payer_of(const Event& event, const World& world);

// An event over the whole run (summary.json, `mercato compare`).
struct EventSummary {
  std::string name;
  EventType type = EventType::offensive;
  std::string payer;  // organisation or region name
  double cost = 0;
  std::int64_t offers = 0, accepted = 0, declined = 0;
  double package_value = 0;
  std::int64_t departures_avoided = 0, trained = 0, attracted = 0;
  std::int64_t retained_end = 0, beneficiaries_end = 0;
  // offensive: where its recruits came from (organisation name, count), largest first
  std::vector<std::pair<std::string, std::int64_t>> accepted_from;
};

}  // namespace mercato
