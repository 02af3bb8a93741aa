#include "io/tables.hpp"

#include <array>

#include "mercato/io/outputs.hpp"

namespace mercato::io {

namespace {

using Columns = std::span<const std::string_view>;

// Money columns are USD (per year for wages, payroll and output); see docs/outputs.md.
constexpr std::string_view kRegionColumns[] = {
    "month",       "date",     "region",      "tier",         "employed",
    "unemployed",  "research", "engineering", "trained_here", "trained_here_working_abroad",
    "brain_drain", "arrivals", "departures",  "wage_p50",     "wage_p90",
    "wage_p99",    "wage_max", "output"};
constexpr std::string_view kKindColumns[] = {
    "month",    "date",     "kind",     "tier",  "headcount",  "wage_mean", "wage_p50",
    "wage_p90", "wage_p99", "wage_max", "hires", "departures", "output"};
constexpr std::string_view kOrgColumns[] = {
    "month",       "date",   "org",       "kind",      "region",     "research",
    "engineering", "elite",  "top",       "vacancies", "payroll",    "payroll_budget",
    "compute",     "output", "wage_mean", "hires",     "departures", "counters_won"};
constexpr std::string_view kFlowColumns[] = {"month",     "date",    "from_region", "to_region",
                                             "from_kind", "to_kind", "tier",        "moves"};
constexpr std::string_view kMoveColumns[] = {
    "month",       "date",      "talent",      "tier",      "role",          "ability",
    "from_org",    "from_kind", "from_region", "to_org",    "to_kind",       "to_region",
    "wage_before", "wage",      "bonus",       "forfeited", "package_value", "event"};
constexpr std::string_view kEventColumns[] = {"month",
                                              "date",
                                              "event",
                                              "type",
                                              "payer",
                                              "cost",
                                              "cost_total",
                                              "offers",
                                              "accepted",
                                              "declined",
                                              "package_value",
                                              "beneficiaries",
                                              "departures_avoided",
                                              "trained",
                                              "attracted",
                                              "retained"};
constexpr std::string_view kOriginColumns[] = {"month",       "date", "origin",
                                               "work_region", "tier", "talents"};
constexpr std::string_view kMarketColumns[] = {"month",
                                               "date",
                                               "talents",
                                               "employed",
                                               "entries",
                                               "exits",
                                               "returned_home",
                                               "doctoral_students",
                                               "seekers",
                                               "candidates",
                                               "offers",
                                               "moves",
                                               "hires_from_unemployment",
                                               "counters_won",
                                               "poaching_success",
                                               "signing_bonuses",
                                               "package_p50",
                                               "package_p90",
                                               "package_p99",
                                               "package_max",
                                               "elite_top5_share",
                                               "elite_hhi",
                                               "output",
                                               "payroll"};

static_assert(kTableNames.size() == kTableCount, "one name per Table, in enum order");

constexpr std::string_view kUnemployed = "unemployed";

// One CSV line: fields are appended left to right, the line ends when the Row goes away.
class Row {
 public:
  Row(Buffer& out, const MonthMetrics& metrics) : out_(out) {
    append_int(out_, metrics.month);
    out_.push_back(',');
    out_.append(date_string(metrics.date));
  }
  Row(const Row&) = delete;
  Row& operator=(const Row&) = delete;
  ~Row() { out_.push_back('\n'); }

  Row& integer(std::int64_t value) {
    out_.push_back(',');
    append_int(out_, value);
    return *this;
  }
  Row& money(double usd) {
    out_.push_back(',');
    append_money(out_, usd);
    return *this;
  }
  Row& real(double value) {
    out_.push_back(',');
    append_real(out_, value);
    return *this;
  }
  Row& text(std::string_view value) {
    out_.push_back(',');
    append_text(out_, value);
    return *this;
  }
  Row& quantiles(const Quantiles& q) { return money(q.p50).money(q.p90).money(q.p99).money(q.max); }
  // Figures the engine measures for the whole population only (output) are left empty in the
  // elite and top rows rather than printed as a misleading 0.
  Row& money_if_all(ReportTier tier, double usd) {
    if (tier == ReportTier::all) return money(usd);
    out_.push_back(',');
    return *this;
  }

 private:
  Buffer& out_;
};

std::int64_t append_region_rows(Buffer& out, const World& world, const MonthMetrics& metrics) {
  for (const RegionRow& r : metrics.regions) {
    Row(out, metrics)
        .text(region_name(world, r.region))
        .text(to_string(r.tier))
        .integer(r.employed)
        .integer(r.unemployed)
        .integer(r.research)
        .integer(r.engineering)
        .integer(r.trained_here)
        .integer(r.trained_here_working_abroad)
        .real(r.brain_drain)
        .integer(r.arrivals)
        .integer(r.departures)
        .quantiles(r.wage)
        .money_if_all(r.tier, r.output);
  }
  return static_cast<std::int64_t>(metrics.regions.size());
}

std::int64_t append_kind_rows(Buffer& out, const MonthMetrics& metrics) {
  for (const KindRow& k : metrics.kinds) {
    Row(out, metrics)
        .text(to_string(k.kind))
        .text(to_string(k.tier))
        .integer(k.headcount)
        .money(k.wage_mean)
        .quantiles(k.wage)
        .integer(k.hires)
        .integer(k.departures)
        .money_if_all(k.tier, k.output);
  }
  return static_cast<std::int64_t>(metrics.kinds.size());
}

std::int64_t append_org_rows(Buffer& out, const World& world, const MonthMetrics& metrics) {
  for (const OrgRow& o : metrics.orgs) {
    const bool known = o.org.valid() && o.org.index() < world.orgs.size();
    Row(out, metrics)
        .text(org_name(world, o.org))
        .text(known ? to_string(world.orgs.kind[o.org.index()]) : std::string_view{})
        .text(known ? region_name(world, world.orgs.region[o.org.index()]) : std::string_view{})
        .integer(o.research)
        .integer(o.engineering)
        .integer(o.elite)
        .integer(o.top)
        .integer(o.vacancies)
        .money(o.payroll)
        .money(o.payroll_budget)
        .real(o.compute)
        .money(o.output)
        .money(o.wage_mean)
        .integer(o.hires)
        .integer(o.departures)
        .integer(o.counters_won);
  }
  return static_cast<std::int64_t>(metrics.orgs.size());
}

std::int64_t append_flow_rows(Buffer& out, const World& world, const MonthMetrics& metrics) {
  for (const FlowRow& f : metrics.flows) {
    const bool from_unemployment = f.from_kind < 0 || f.from_kind >= kOrgKindCount;
    Row(out, metrics)
        .text(region_name(world, f.from_region))
        .text(region_name(world, f.to_region))
        .text(from_unemployment ? kUnemployed : to_string(static_cast<OrgKind>(f.from_kind)))
        .text(to_string(f.to_kind))
        .text(to_string(f.tier))
        .integer(f.moves);
  }
  return static_cast<std::int64_t>(metrics.flows.size());
}

std::int64_t append_move_rows(Buffer& out, const World& world, const MonthMetrics& metrics,
                              MoveLog move_log) {
  // The names of the events whose offers moved someone (offensives), by timeline index.
  std::vector<std::string_view> event_names;
  for (const EventRow& e : metrics.events) {
    if (event_names.size() <= e.event) event_names.resize(e.event + 1);
    event_names[e.event] = e.name;
  }
  std::int64_t rows = 0;
  for (const MoveRecord& m : metrics.moves) {
    if (!move_is_logged(m, move_log)) continue;
    Row(out, metrics)
        .integer(m.talent)
        .text(to_string(m.tier))
        .text(to_string(m.role))
        .real(m.ability)
        .text(org_name(world, m.from))
        .text(org_kind_name(world, m.from))
        .text(region_name(world, m.from_region))
        .text(org_name(world, m.to))
        .text(org_kind_name(world, m.to))
        .text(region_name(world, m.to_region))
        .money(m.wage_before)
        .money(m.wage)
        .money(m.bonus)
        .money(m.forfeited)
        .money(m.package_value())
        .text(m.event >= 0 && static_cast<std::size_t>(m.event) < event_names.size()
                  ? std::string_view(event_names[m.event])
                  : std::string_view{});
    ++rows;
  }
  return rows;
}

std::int64_t append_origin_rows(Buffer& out, const World& world, const MonthMetrics& metrics) {
  for (const OriginRow& o : metrics.origins) {
    const bool employed =
        o.work_region >= 0 && o.work_region < static_cast<int>(world.region_count());
    Row(out, metrics)
        .text(region_name(world, o.origin))
        .text(employed ? region_name(world, RegionId(static_cast<RegionId::rep>(o.work_region)))
                       : kUnemployed)
        .text(to_string(o.tier))
        .integer(o.talents);
  }
  return static_cast<std::int64_t>(metrics.origins.size());
}

std::int64_t append_event_rows(Buffer& out, const MonthMetrics& metrics) {
  for (const EventRow& e : metrics.events) {
    Row(out, metrics)
        .text(e.name)
        .text(to_string(e.type))
        .text(e.payer)
        .money(e.cost)
        .money(e.cost_total)
        .integer(e.offers)
        .integer(e.accepted)
        .integer(e.declined)
        .money(e.package_value)
        .integer(e.beneficiaries)
        .integer(e.departures_avoided)
        .integer(e.trained)
        .integer(e.attracted)
        .integer(e.retained);
  }
  return static_cast<std::int64_t>(metrics.events.size());
}

std::int64_t append_market_row(Buffer& out, const MonthMetrics& metrics) {
  const MarketRow& m = metrics.market;
  Row(out, metrics)
      .integer(m.talents)
      .integer(m.employed)
      .integer(m.entries)
      .integer(m.exits)
      .integer(m.returned_home)
      .integer(m.doctoral_students)
      .integer(m.seekers)
      .integer(m.candidates)
      .integer(m.offers)
      .integer(m.moves)
      .integer(m.hires_from_unemployment)
      .integer(m.counters_won)
      .real(m.poaching_success)
      .money(m.signing_bonuses)
      .quantiles(m.package)
      .real(m.elite_top5_share)
      .real(m.elite_hhi)
      .money(m.output)
      .money(m.payroll);
  return 1;
}

}  // namespace

std::string_view table_name(Table table) {
  return kTableNames[static_cast<int>(table)];
}

std::optional<Table> table_from_name(std::string_view name) {
  for (int t = 0; t < kTableCount; ++t)
    if (kTableNames[t] == name) return static_cast<Table>(t);
  return std::nullopt;
}

Columns table_columns(Table table) {
  switch (table) {
    case Table::regions:
      return kRegionColumns;
    case Table::kinds:
      return kKindColumns;
    case Table::orgs:
      return kOrgColumns;
    case Table::flows:
      return kFlowColumns;
    case Table::moves:
      return kMoveColumns;
    case Table::origins:
      return kOriginColumns;
    case Table::market:
      return kMarketColumns;
    case Table::events:
      return kEventColumns;
  }
  return {};
}

void append_header(Buffer& out, Table table) {
  bool first = true;
  for (std::string_view column : table_columns(table)) {
    if (!first) out.push_back(',');
    out.append(column);
    first = false;
  }
  out.push_back('\n');
}

std::int64_t append_rows(Buffer& out, Table table, const World& world, const MonthMetrics& metrics,
                         MoveLog move_log) {
  switch (table) {
    case Table::regions:
      return append_region_rows(out, world, metrics);
    case Table::kinds:
      return append_kind_rows(out, metrics);
    case Table::orgs:
      return append_org_rows(out, world, metrics);
    case Table::flows:
      return append_flow_rows(out, world, metrics);
    case Table::moves:
      return append_move_rows(out, world, metrics, move_log);
    case Table::origins:
      return append_origin_rows(out, world, metrics);
    case Table::market:
      return append_market_row(out, metrics);
    case Table::events:
      return append_event_rows(out, metrics);
  }
  return 0;
}

bool move_is_logged(const MoveRecord& move, MoveLog move_log) {
  switch (move_log) {
    case MoveLog::none:
      return false;
    case MoveLog::elite:
      return move.tier == Tier::elite;
    case MoveLog::top:
      return move.tier != Tier::rest;  // the top tier includes the elite
    case MoveLog::all:
      return true;
  }
  return false;
}

std::string_view region_name(const World& world, RegionId region) {
  if (!region.valid() || region.index() >= world.regions.size()) return {};
  return world.regions[region.index()].id;
}

std::string_view org_name(const World& world, OrgId org) {
  if (!org.valid() || org.index() >= world.orgs.name.size()) return {};
  return world.orgs.name[org.index()];
}

std::string_view org_kind_name(const World& world, OrgId org) {
  if (!org.valid()) return kUnemployed;
  if (org.index() >= world.orgs.kind.size()) return {};
  return to_string(world.orgs.kind[org.index()]);
}

}  // namespace mercato::io
