// The event timeline (MODEL.md, Events and policies; docs/model.md, "Events"). Two kinds of
// effect: changes made once at `start` and undone after `end` (a mission, a visa friction, a
// compute jump, budgets, a retention grant's award), and terms set afresh every month while an
// event is active (offensives, training intakes, tax and non-compete rules, shared compute),
// which the phases read from the MonthState and the regions. Counts and money that describe
// populations (top_k, budget, graduates, GPUs) are multiplied by the scenario's `scale`.
#include <algorithm>
#include <cmath>

#include "engine/engine.hpp"

namespace mercato {

namespace {

bool kind_matches(const Event& e, OrgKind kind) {
  if (e.kind >= 0) return static_cast<int>(kind) == e.kind;
  // public_compute without a kind: universities and public labs.
  return e.type != EventType::public_compute || kind == OrgKind::university ||
         kind == OrgKind::public_lab;
}

bool org_matches(const World& w, const Event& e, std::size_t o) {
  if (e.region.valid() && w.orgs.region[o] != e.region) return false;
  return kind_matches(e, w.orgs.kind[o]);
}

int scaled_count(double count, double scale) {
  return std::max(1, static_cast<int>(std::lround(count * scale)));
}

// The talent with this uid, or -1 if it has left (talents are stored in increasing uid order).
std::int64_t index_of(const Talents& t, std::uint32_t uid) {
  const auto it = std::lower_bound(t.uid.begin(), t.uid.end(), uid);
  return it != t.uid.end() && *it == uid ? it - t.uid.begin() : -1;
}

}  // namespace

std::string payer_of(const Event& e, const World& w) {
  if (e.org.valid()) return w.orgs.name[e.org.index()];
  if (e.type == EventType::funding_shock) return "investors";
  if (e.region.valid()) return w.regions[e.region.index()].name;
  return {};
}

EventTimeline::EventTimeline(std::vector<Event> events, const World& w)
    : events_(std::move(events)), runtime_(events_.size()) {
  for (std::size_t e = 0; e < events_.size(); ++e) {
    const Event& ev = events_[e];
    if (ev.type != EventType::offensive) continue;
    runtime_[e].raided.assign(w.orgs.size(), 0);
    for (const OrgId o : ev.targets) runtime_[e].raided[o.index()] = 1;
  }
}

void EventTimeline::apply(World& w, MonthState& m) {
  m.offensives.clear();
  m.programs.clear();
  m.event_counts.assign(events_.size(), {});
  if (m.month < 0 || events_.empty()) return;
  // Monthly terms are set afresh from the events active this month.
  std::fill(w.orgs.compute_extra.begin(), w.orgs.compute_extra.end(), 0.0);
  for (Region& r : w.regions) {
    r.inbound_tax_rate = std::numeric_limits<double>::quiet_NaN();
    r.inbound_tax_years = 0;
    r.non_compete_months = 0;
    r.tax_event = r.non_compete_event = -1;
  }
  for (std::size_t e = 0; e < events_.size(); ++e) {
    runtime_[e].month_cost = 0;
    apply_changes(w, m.month, e);
    apply_terms(w, m, e);
  }
}

// Changes made once when an event starts, and undone the month after it ends.
void EventTimeline::apply_changes(World& w, int month, std::size_t e) {
  const Event& ev = events_[e];
  Runtime& run = runtime_[e];
  auto& orgs = w.orgs;
  const bool starts = month == ev.start;
  const bool ends = ev.end >= 0 && month == ev.end + 1;
  if (!starts && !ends) return;
  const std::size_t x = ev.org.valid() ? ev.org.index() : 0;
  switch (ev.type) {
    case EventType::offensive:
      if (starts) run.budget_left = ev.budget * w.scale;
      break;
    case EventType::retention_grant: {
      if (!starts) break;
      auto& t = w.talents;
      const std::size_t top_k = ev.top_k > 0 ? scaled_count(ev.top_k, w.scale) : 0;
      for (const std::uint32_t i : select_grantees(w, x, ev.role, top_k, ev.top_share)) {
        const double grant = ev.amount > 0 ? ev.amount : ev.wage_multiple * t.wage[i];
        t.unvested[i] += static_cast<float>(grant);
        t.vest_left[i] = static_cast<std::uint8_t>(std::max<int>(t.vest_left[i], ev.vest_months));
        w.policy.grants[t.uid[i]] = {static_cast<int>(e), ev.org, grant, month, ev.vest_months};
      }
      break;
    }
    case EventType::mission_shift:
      if (starts) {
        run.saved_a = orgs.mission[x], run.saved_b = orgs.openness[x];
        if (!std::isnan(ev.mission)) orgs.mission[x] = static_cast<float>(ev.mission);
        if (!std::isnan(ev.openness)) orgs.openness[x] = static_cast<float>(ev.openness);
      } else {
        orgs.mission[x] = static_cast<float>(run.saved_a);
        orgs.openness[x] = static_cast<float>(run.saved_b);
      }
      break;
    case EventType::compute_change:
      if (starts) {
        run.saved_a = orgs.compute_growth[x];
        orgs.compute[x] *= ev.factor;
        if (!std::isnan(ev.growth)) orgs.compute_growth[x] = ev.growth;
      } else {
        orgs.compute[x] /= ev.factor;
        orgs.compute_growth[x] = run.saved_a;
      }
      break;
    case EventType::visa_policy: {
      double& friction = w.regions[ev.region.index()].visa_friction;
      if (starts) {
        run.saved_a = friction;
        friction = ev.visa_friction;
      } else {
        friction = run.saved_a;
      }
      break;
    }
    case EventType::funding_shock:
      for (std::size_t o = 0; o < orgs.size(); ++o)
        if (org_matches(w, ev, o)) orgs.payroll_budget[o] *= starts ? ev.factor : 1.0 / ev.factor;
      break;
    default:
      break;  // the other types act through monthly terms only
  }
}

// Terms that hold in every month of an event, and the month's cost of the monthly ones.
void EventTimeline::apply_terms(World& w, MonthState& m, std::size_t e) {
  const Event& ev = events_[e];
  Runtime& run = runtime_[e];
  auto& orgs = w.orgs;
  const int month = m.month;
  if (ev.type == EventType::training_program) {
    // Funded from start to end; its graduates arrive lag_months later.
    if (ev.active(month))
      run.month_cost += ev.graduates_per_year * w.scale / 12.0 * ev.cost_per_place;
    const bool arriving =
        month >= ev.start + ev.lag_months && (ev.end < 0 || month <= ev.end + ev.lag_months);
    if (arriving)
      m.programs.push_back(
          {static_cast<int>(e), ev.region, ev.graduates_per_year, ev.research_share});
    return;
  }
  if (!ev.active(month)) return;
  const std::size_t x = ev.org.valid() ? ev.org.index() : 0;
  switch (ev.type) {
    case EventType::offensive:
      // Spent: once what is left cannot pay a graduate wage of X's region for the four years of
      // a package, no offer it can make would beat anyone's reservation wage, and the
      // offensive is over even if its end has not come.
      if (run.budget_left / 4.0 >= w.regions[orgs.region[x].index()].graduate_wage) {
        OffensiveTerms terms;
        terms.event = static_cast<int>(e);
        terms.org = static_cast<std::uint32_t>(x);
        terms.role = ev.role;
        terms.top_k = scaled_count(ev.top_k, w.scale);
        terms.max_offer = ev.max_offer;
        terms.value_share = ev.value_share;
        terms.buyout_ratio = ev.buyout_ratio;
        terms.budget_left = run.budget_left;
        terms.immediate_vesting = ev.immediate_vesting;
        terms.raided = run.raided;
        m.offensives.push_back(std::move(terms));
      }
      break;
    case EventType::compute_change:
      if (ev.factor > 1)
        run.month_cost += ev.cost_per_gpu * orgs.compute[x] * (1.0 - 1.0 / ev.factor) / 12.0;
      break;
    case EventType::alliance: {
      // Each member's effective compute: (1 - share) x own + share x the members' mean.
      std::vector<std::size_t> members = {x};
      for (const OrgId o : ev.targets) members.push_back(o.index());
      double mean = 0;
      for (const std::size_t o : members) mean += orgs.compute[o];
      mean /= static_cast<double>(members.size());
      for (const std::size_t o : members) {
        const double extra = ev.share * (mean - orgs.compute[o]);
        orgs.compute_extra[o] += extra;
        if (extra > 0) run.month_cost += ev.cost_per_gpu * extra / 12.0;
      }
      break;
    }
    case EventType::tax_regime: {
      Region& region = w.regions[ev.region.index()];
      region.inbound_tax_rate = ev.tax_rate;
      region.inbound_tax_years = ev.years;
      region.tax_event = static_cast<int>(e);
      break;
    }
    case EventType::public_compute: {
      // Shared among the region's universities and public labs in proportion to headcount.
      const double gpus = ev.gpus * w.scale;
      double heads = 0;
      for (std::size_t o = 0; o < orgs.size(); ++o)
        if (org_matches(w, ev, o)) heads += orgs.total_headcount(o);
      if (heads > 0) {
        for (std::size_t o = 0; o < orgs.size(); ++o)
          if (org_matches(w, ev, o))
            orgs.compute_extra[o] += gpus * orgs.total_headcount(o) / heads;
        run.month_cost += gpus * ev.cost_per_gpu / 12.0;
      }
      break;
    }
    case EventType::non_compete: {
      Region& region = w.regions[ev.region.index()];
      region.non_compete_months = ev.months;
      region.non_compete_event = static_cast<int>(e);
      break;
    }
    case EventType::funding_shock:
      // The budgets added (or, for a bust, removed) by the shock, per month.
      for (std::size_t o = 0; o < orgs.size(); ++o)
        if (org_matches(w, ev, o))
          run.month_cost += orgs.payroll_budget[o] * (1.0 - 1.0 / ev.factor) / 12.0;
      break;
    default:
      break;
  }
}

std::vector<EventRow> EventTimeline::record(World& w, const MonthState& m, YearMonth date) {
  std::vector<EventRow> rows;
  if (m.month < 0 || events_.empty()) return rows;
  std::vector<EventRow> tally(events_.size());
  const auto& t = w.talents;
  auto& policy = w.policy;

  // Tax benefits: forgone tax on beneficiaries working in the region; expired or gone ones
  // are dropped.
  for (auto it = policy.tax_benefits.begin(); it != policy.tax_benefits.end();) {
    const std::int64_t i = index_of(t, it->first);
    if (i < 0 || it->second.until <= m.month) {
      it = policy.tax_benefits.erase(it);
      continue;
    }
    EventRow& row = tally[it->second.event];
    ++row.beneficiaries;
    if (t.employer[i].valid() && t.region[i] == it->second.region) {
      ++row.retained;
      const double rate = w.regions[it->second.region.index()].tax_rate;
      row.cost += (rate - it->second.rate) * t.wage[i] / 12.0;
    }
    ++it;
  }
  // Retention grants: the cost is the equity as it vests, for grantees still there.
  for (auto it = policy.grants.begin(); it != policy.grants.end();) {
    const std::int64_t i = index_of(t, it->first);
    const RetentionGrant& g = it->second;
    if (i < 0 || g.remaining(m.month) <= 0 || t.employer[i] != g.org) {
      it = policy.grants.erase(it);
      continue;
    }
    ++tally[g.event].beneficiaries;
    ++tally[g.event].retained;
    tally[g.event].cost += g.amount / g.vest_months;
    ++it;
  }
  // Training programmes: their graduates still working in the region.
  for (auto it = policy.program_graduates.begin(); it != policy.program_graduates.end();) {
    const std::int64_t i = index_of(t, it->first);
    if (i < 0) {
      it = policy.program_graduates.erase(it);
      continue;
    }
    const Event& ev = events_[it->second];
    if (t.employer[i].valid() && t.region[i] == ev.region) ++tally[it->second].retained;
    ++it;
  }

  for (std::size_t e = 0; e < events_.size(); ++e) {
    const Event& ev = events_[e];
    if (m.month < ev.start) continue;
    Runtime& run = runtime_[e];
    const EventCounts& counts = m.event_counts[e];
    EventRow row = tally[e];
    row.month = m.month;
    row.date = date;
    row.event = static_cast<std::uint16_t>(e);
    row.name = ev.name;
    row.type = ev.type;
    row.payer = payer_of(ev, w);
    row.offers = counts.offers;
    row.accepted = counts.accepted;
    row.declined = counts.offers - counts.accepted;
    row.package_value = counts.package_value;
    row.departures_avoided = counts.departures_avoided;
    row.trained = counts.trained;
    row.attracted = counts.attracted;
    if (ev.type == EventType::offensive) {
      run.budget_left -= counts.package_value;
      run.month_cost += counts.package_value;
    }
    row.cost += run.month_cost;
    run.cost_total += row.cost;
    row.cost_total = run.cost_total;
    rows.push_back(row);
  }
  return rows;
}

}  // namespace mercato
