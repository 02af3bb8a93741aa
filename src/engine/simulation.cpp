// The Simulation: warm-up, then the scenario's months, metrics to observers.
#include "mercato/engine/simulation.hpp"

#include <algorithm>
#include <limits>
#include <string>

#include "engine/engine.hpp"
#include "mercato/core/error.hpp"

namespace mercato {

struct Simulation::State {
  World world;
  SimulationOptions options;
  MonthState month_state;
  EventTimeline events;
  MonthMetrics last;
  SummaryAccumulator summary;
  int months_run = 0;
  bool warmed_up = false;
};

Simulation::Simulation(World world, SimulationOptions options, std::vector<Event> events)
    : state_(std::make_unique<State>()) {
  state_->world = std::move(world);
  state_->events = EventTimeline(std::move(events), state_->world);
  state_->summary.set_events(state_->events.events(), state_->world);
  state_->options = options;
  state_->options.threads = std::max(1, options.threads);
  state_->month_state.threads = state_->options.threads;
  state_->month_state.rng = Rng(state_->world.seed, state_->world.replicate);
  state_->summary.set_header(options.scenario_name, state_->world.seed, options.start);
}

namespace {

// A progress that does not fit its timeline or World would index out of range in the phases;
// a checkpoint that passed its checksum never holds one, but a Simulation checks for itself.
void check_fits(const World& w, const std::vector<Event>& events, const SimulationProgress& p,
                const SimulationOptions& options) {
  auto refuse = [](const std::string& what) {
    throw Error("the saved simulation does not fit its scenario: " + what);
  };
  if (p.months_run < 0 || p.months_run > options.months)
    refuse("month " + std::to_string(p.months_run) + " is outside the run's " +
           std::to_string(options.months) + " months");
  if (p.months_run > 0 && !p.warmed_up) refuse("months were run before the warm-up");
  if (p.events.size() != events.size())
    refuse(std::to_string(p.events.size()) + " events saved, the timeline has " +
           std::to_string(events.size()));
  for (std::size_t e = 0; e < events.size(); ++e) {
    const bool offensive = events[e].type == EventType::offensive;
    if (p.events[e].raided.size() != (offensive ? w.orgs.size() : 0))
      refuse("event " + std::to_string(e) + " has a target list of the wrong size");
  }
  if (p.summary.events.size() != events.size())
    refuse("the summary has " + std::to_string(p.summary.events.size()) + " events, the timeline " +
           std::to_string(events.size()));
  const auto event_ok = [&](int e) {
    return e >= 0 && static_cast<std::size_t>(e) < events.size();
  };
  const auto org_ok = [&](OrgId o) { return o.valid() && o.index() < w.orgs.size(); };
  for (const auto& [uid, b] : w.policy.tax_benefits)
    if (!event_ok(b.event) || !b.region.valid() || b.region.index() >= w.regions.size())
      refuse("a tax benefit names an unknown event or region");
  for (const auto& [uid, g] : w.policy.grants)
    if (!event_ok(g.event) || !org_ok(g.org) || g.vest_months <= 0)
      refuse("a retention grant names an unknown event or organisation");
  for (const auto& [uid, e] : w.policy.program_graduates)
    if (!event_ok(e)) refuse("a programme graduate names an unknown event");
  if (w.policy.program_carry.size() > events.size() * kRoleCount)
    refuse("the training carry has more entries than the timeline's events");
  for (const Region& r : w.regions)
    if (r.tax_event >= static_cast<int>(events.size()) ||
        r.non_compete_event >= static_cast<int>(events.size()))
      refuse("a region names an unknown event");
  if (p.has_last) {
    const std::size_t regions = w.regions.size() * kReportTierCount;
    if (p.last.regions.size() != regions)
      refuse("the last month's region rows do not match the regions");
    for (const OriginRow& row : p.last.origins)
      if (!row.origin.valid() || row.origin.index() >= w.regions.size())
        refuse("an origin row names an unknown region");
  }
  for (const MoveRecord& m : p.summary.largest_packages)
    if (m.month < 0) refuse("a package has a negative month");
}

}  // namespace

Simulation::Simulation(World world, SimulationOptions options, std::vector<Event> events,
                       SimulationProgress progress)
    : Simulation(std::move(world), std::move(options), std::move(events)) {
  auto& s = *state_;
  check_fits(s.world, s.events.events(), progress, s.options);
  s.months_run = progress.months_run;
  s.warmed_up = progress.warmed_up;
  s.events.restore(std::move(progress.events));
  s.summary.restore(progress);
}

SimulationProgress Simulation::progress() const {
  const auto& s = *state_;
  SimulationProgress p;
  p.months_run = s.months_run;
  p.warmed_up = s.warmed_up;
  p.events = s.events.progress();
  s.summary.save(p);
  return p;
}

Simulation::~Simulation() = default;
Simulation::Simulation(Simulation&&) noexcept = default;
Simulation& Simulation::operator=(Simulation&&) noexcept = default;

namespace {

// A share or a wage of nobody is undefined, not 0 (docs/outputs.md): NaN here, which the
// writers print as an empty CSV cell, a JSON null and "-" in the command line's summary.
constexpr double kUndefined = std::numeric_limits<double>::quiet_NaN();
constexpr Quantiles kNobody{kUndefined, kUndefined, kUndefined, kUndefined};

// Marks the month's figures whose population is empty as undefined. collect_metrics writes 0
// for them; the counts beside each figure say whether anybody was there.
void mark_undefined(MonthMetrics& m, const World& w, std::int64_t offers_to_employed) {
  bool drain_unknown = false;
  std::int64_t elite_employed = 0;
  for (RegionRow& r : m.regions) {
    if (r.employed == 0) r.wage = kNobody;
    if (r.tier == ReportTier::elite) elite_employed += r.employed;
    if (r.trained_here == 0) {
      r.brain_drain = kUndefined;
    } else if (r.trained_here_working_abroad == 0) {
      drain_unknown = true;  // 0 abroad: of some employed, or of nobody employed?
    }
  }
  if (drain_unknown) {
    // Employed talents by region of training and report tier, the brain drain's denominator.
    std::vector<std::int64_t> employed(w.regions.size() * kReportTierCount, 0);
    const Talents& t = w.talents;
    for (std::size_t i = 0; i < t.size(); ++i) {
      if (!t.employer[i].valid()) continue;
      const Tier tier = w.tier_of(t.ability[i]);
      const std::size_t at = t.origin[i].index() * kReportTierCount;
      if (tier == Tier::elite) ++employed[at + 0];
      if (tier != Tier::rest) ++employed[at + 1];
      ++employed[at + 2];
    }
    for (RegionRow& r : m.regions) {
      const std::size_t at = r.region.index() * kReportTierCount + static_cast<std::size_t>(r.tier);
      if (r.trained_here_working_abroad == 0 && at < employed.size() && employed[at] == 0)
        r.brain_drain = kUndefined;
    }
  }
  for (KindRow& k : m.kinds) {
    if (k.headcount > 0) continue;
    k.wage_mean = kUndefined;
    k.wage = kNobody;
  }
  for (OrgRow& o : m.orgs)
    if (o.research + o.engineering == 0) o.wage_mean = kUndefined;
  if (m.market.moves == 0) m.market.package = kNobody;
  if (offers_to_employed == 0) m.market.poaching_success = kUndefined;
  if (elite_employed == 0) m.market.elite_top5_share = m.market.elite_hhi = kUndefined;
}

void finish_month(World& w, const MonthState& m) {
#ifdef MERCATO_CHECK_INVARIANTS
  check_invariants(w);
#endif
  // Power sums scale by a rounded factor each month; a yearly exact recount keeps the float
  // drift of the incremental updates bounded (deterministic: same months for every run).
  if ((m.month + 1) % 12 == 0) recompute_aggregates(w);
}
}  // namespace

// Warm-up months run the full step with growth frozen (compute, budgets, targets and
// graduates stay at the scenario's start values) and discard their metrics, so that month 0
// starts near the model's own steady state rather than at the builder's placement.
void Simulation::warm_up() {
  auto& s = *state_;
  if (s.warmed_up) return;
  s.warmed_up = true;
  s.month_state.growth = false;
  for (int k = s.options.warmup_months; k > 0; --k) {
    s.month_state.month = -k;
    step_month(s.world, s.month_state, s.events);
    finish_month(s.world, s.month_state);
  }
  s.month_state.growth = true;
}

const MonthMetrics& Simulation::step() {
  auto& s = *state_;
  warm_up();
  s.month_state.month = s.months_run;
  step_month(s.world, s.month_state, s.events);
  finish_month(s.world, s.month_state);
  const bool last = s.months_run + 1 >= s.options.months;
  const bool origins_due = last || (s.options.origins_every_months > 0 &&
                                    (s.months_run + 1) % s.options.origins_every_months == 0);
  const YearMonth date = s.options.start.plus_months(s.months_run);
  s.last = collect_metrics(s.world, s.month_state, date, origins_due);
  mark_undefined(s.last, s.world, s.month_state.offers_to_employed);
  s.last.events = s.events.record(s.world, s.month_state, date);
  s.summary.add(s.world, s.last);
  ++s.months_run;
  return s.last;
}

bool Simulation::done() const {
  return state_->months_run >= state_->options.months;
}
int Simulation::month() const {
  return state_->months_run;
}
const World& Simulation::world() const {
  return state_->world;
}
const SimulationOptions& Simulation::options() const {
  return state_->options;
}
const std::vector<Event>& Simulation::events() const {
  return state_->events.events();
}
RunSummary Simulation::summary() const {
  return state_->summary.summary(state_->world);
}

RunSummary run_simulation(Simulation& simulation, const std::vector<Observer*>& observers,
                          const std::function<void(int, int)>& on_progress) {
  const int total = simulation.options().months;
  while (!simulation.done()) {
    const MonthMetrics& metrics = simulation.step();
    for (Observer* o : observers) o->on_month(simulation.world(), metrics);
    if (on_progress) on_progress(simulation.month(), total);
  }
  RunSummary summary = simulation.summary();
  for (Observer* o : observers) o->on_finish(simulation.world(), summary);
  return summary;
}

// --- SummaryAccumulator ---

void SummaryAccumulator::set_header(std::string scenario, std::uint64_t seed, YearMonth start) {
  summary_.scenario = std::move(scenario);
  summary_.seed = seed;
  summary_.start = start;
  summary_.end = start;
}

void SummaryAccumulator::add(const World& w, const MonthMetrics& metrics) {
  auto& s = summary_;
  if (s.months == 0)
    s.talents_start = metrics.market.talents - metrics.market.entries + metrics.market.exits;
  ++s.months;
  s.end = metrics.date;
  s.talents_end = metrics.market.talents;
  s.organisations = static_cast<std::int64_t>(w.orgs.size());
  s.moves += metrics.market.moves;
  s.entries += metrics.market.entries;
  s.exits += metrics.market.exits;
  s.counters_won += metrics.market.counters_won;
  s.signing_bonuses += metrics.market.signing_bonuses;
  talent_months_ += static_cast<double>(metrics.market.talents);
  // The ten largest packages of the run (ties: earlier month, then smaller uid first).
  auto larger = [](const MoveRecord& a, const MoveRecord& b) {
    if (a.package_value() != b.package_value()) return a.package_value() > b.package_value();
    if (a.month != b.month) return a.month < b.month;
    return a.talent < b.talent;
  };
  for (const auto& mv : metrics.moves) {
    auto& top = s.largest_packages;
    if (top.size() == 10 && !larger(mv, top.back())) continue;
    top.insert(std::upper_bound(top.begin(), top.end(), mv, larger), mv);
    if (top.size() > 10) top.pop_back();
  }
  for (const EventRow& row : metrics.events) {
    EventSummary& e = s.events[row.event];
    e.cost += row.cost;
    e.offers += row.offers;
    e.accepted += row.accepted;
    e.declined += row.declined;
    e.package_value += row.package_value;
    e.departures_avoided += row.departures_avoided;
    e.trained += row.trained;
    e.attracted += row.attracted;
    e.retained_end = row.retained;
    e.beneficiaries_end = row.beneficiaries;
  }
  for (const auto& mv : metrics.moves) {
    if (mv.event < 0) continue;
    auto& from = s.events[mv.event].accepted_from;
    const std::string name = mv.from.valid() ? w.orgs.name[mv.from.index()] : "(unemployed)";
    auto it =
        std::find_if(from.begin(), from.end(), [&](const auto& p) { return p.first == name; });
    if (it == from.end()) {
      from.push_back({name, 1});
    } else {
      ++it->second;
    }
  }
  last_copy_ = metrics;
  last_copy_.moves.clear();
  last_ = &last_copy_;
}

void SummaryAccumulator::save(SimulationProgress& progress) const {
  progress.summary = summary_;
  progress.talent_months = talent_months_;
  progress.has_last = last_ != nullptr;
  if (last_ != nullptr) progress.last = last_copy_;
}

void SummaryAccumulator::restore(SimulationProgress& progress) {
  summary_ = std::move(progress.summary);
  talent_months_ = progress.talent_months;
  last_copy_ = std::move(progress.last);
  last_copy_.moves.clear();
  last_ = progress.has_last ? &last_copy_ : nullptr;
}

void SummaryAccumulator::set_events(const std::vector<Event>& events, const World& w) {
  summary_.events.clear();
  for (const Event& e : events) {
    EventSummary es;
    es.name = e.name;
    es.type = e.type;
    es.payer = payer_of(e, w);
    summary_.events.push_back(std::move(es));
  }
}

RunSummary SummaryAccumulator::summary(const World& w) const {
  RunSummary s = summary_;
  for (auto& e : s.events)
    std::stable_sort(e.accepted_from.begin(), e.accepted_from.end(),
                     [](const auto& a, const auto& b) { return a.second > b.second; });
  if (last_ == nullptr) return s;
  const MonthMetrics& m = *last_;
  s.moves_per_talent_year =
      talent_months_ > 0 ? static_cast<double>(s.moves) / (talent_months_ / 12.0) : kUndefined;
  s.unemployment_end = m.market.talents > 0 ? 1.0 - static_cast<double>(m.market.employed) /
                                                        static_cast<double>(m.market.talents)
                                            : kUndefined;
  const std::size_t regions = w.regions.size();
  std::int64_t top_employed = 0, top_alive = 0;
  for (std::size_t r = 0; r < regions; ++r) {
    top_employed += m.regions[r * kReportTierCount + 1].employed;
    top_alive += m.regions[r * kReportTierCount + 1].trained_here;
  }
  auto share = [](std::int64_t a, std::int64_t b) {
    return b > 0 ? static_cast<double>(a) / static_cast<double>(b) : kUndefined;
  };
  for (std::size_t r = 0; r < regions; ++r) {
    const auto& top = m.regions[r * kReportTierCount + 1];
    const auto& all = m.regions[r * kReportTierCount + 2];
    s.regions.push_back({RegionId(static_cast<std::uint8_t>(r)), share(top.employed, top_employed),
                         share(top.trained_here, top_alive), top.brain_drain, all.brain_drain});
  }
  // Groups: work and origin shares add up; brain drain counts moves out of the whole group.
  // The origin x work matrix of the last month gives the employed trained in the group.
  for (const auto& g : w.groups) {
    RunSummary::GroupShare gs;
    gs.group = g.id;
    std::int64_t employed = 0, trained_alive = 0;
    for (const auto r : g.regions) {
      employed += m.regions[r.index() * kReportTierCount + 1].employed;
      trained_alive += m.regions[r.index() * kReportTierCount + 1].trained_here;
    }
    std::int64_t trained_employed = 0, trained_in_group = 0;
    for (const auto& row : m.origins) {
      if (row.tier != ReportTier::top || row.work_region < 0) continue;
      const bool from_group =
          std::find(g.regions.begin(), g.regions.end(), row.origin) != g.regions.end();
      if (!from_group) continue;
      trained_employed += row.talents;
      const bool in_group =
          std::find(g.regions.begin(), g.regions.end(),
                    RegionId(static_cast<std::uint8_t>(row.work_region))) != g.regions.end();
      if (in_group) trained_in_group += row.talents;
    }
    gs.top_work_share = share(employed, top_employed);
    gs.top_origin_share = share(trained_alive, top_alive);
    gs.brain_drain_top = share(trained_employed - trained_in_group, trained_employed);
    s.groups.push_back(gs);
  }
  // Wage quantiles by tier over all regions: the "all regions" rows of kinds are by kind, so
  // recompute from the talents (the end state).
  std::array<std::vector<float>, kReportTierCount> wages;
  const auto& t = w.talents;
  for (std::size_t i = 0; i < t.size(); ++i) {
    if (!t.employer[i].valid()) continue;
    const Tier tier = w.tier_of(t.ability[i]);
    if (tier == Tier::elite) wages[0].push_back(t.wage[i]);
    if (tier != Tier::rest) wages[1].push_back(t.wage[i]);
    wages[2].push_back(t.wage[i]);
  }
  for (int q = 0; q < kReportTierCount; ++q) {
    auto& v = wages[q];
    if (v.empty()) {
      s.wage_end[q] = kNobody;
      continue;
    }
    std::sort(v.begin(), v.end());
    auto at = [&](double p) {
      return static_cast<double>(
          v[static_cast<std::size_t>(p * static_cast<double>(v.size() - 1))]);
    };
    s.wage_end[q] = {at(0.5), at(0.9), at(0.99), v.back()};
  }
  s.elite_top5_share_end = m.market.elite_top5_share;
  s.elite_hhi_end = m.market.elite_hhi;
  return s;
}

}  // namespace mercato
