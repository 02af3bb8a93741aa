// Moves (MODEL.md, One month, step 7): apply clearing's decisions to the talents and to the
// organisations' power sums, headcounts and payroll (incrementally, O(1) per move), and
// record each move. Money is conserved: the old employer's payroll loses exactly the old
// wage, the new one gains exactly the new wage, and the bonus is recorded where it is paid.
#include <cmath>

#include "model/model.hpp"

namespace mercato {

namespace {

// A move ends the talent's retention grant (forfeited) and a tax benefit of another region,
// and a move into a region with an inbound tax regime starts one (MODEL.md, Events).
void enter_policies(World& w, MonthState& m, std::uint32_t i, const MoveRecord& move) {
  auto& policy = w.policy;
  const std::uint32_t uid = w.talents.uid[i];
  if (!policy.grants.empty()) policy.grants.erase(uid);
  if (!policy.tax_benefits.empty()) {
    const auto it = policy.tax_benefits.find(uid);
    if (it != policy.tax_benefits.end() && it->second.region != move.to_region)
      policy.tax_benefits.erase(it);
  }
  const Region& region = w.regions[move.to_region.index()];
  if (move.from_region != move.to_region && !std::isnan(region.inbound_tax_rate)) {
    policy.tax_benefits[uid] = {
        region.tax_event, move.to_region, region.inbound_tax_rate,
        m.month + static_cast<int>(std::lround(region.inbound_tax_years * 12))};
    ++m.event_counts[region.tax_event].attracted;
  }
}

}  // namespace

void apply_moves(World& w, MonthState& m) {
  auto& t = w.talents;
  auto& orgs = w.orgs;
  const double rho = w.params.rho;
  const double horizon = w.params.vesting_years;
  const std::size_t decisions = m.decisions.size();
  for (std::size_t r = 0; r < decisions; ++r) {
    // The decisions come in clearing order (by ability): their talents are random reads,
    // fetched a few decisions ahead.
    if (constexpr std::size_t kAhead = 8; r + kAhead < decisions) {
      const std::uint32_t ahead = m.decisions[r + kAhead].talent;
      __builtin_prefetch(&t.role[ahead]);
      __builtin_prefetch(&t.wage[ahead], 1);
      __builtin_prefetch(&t.employer[ahead], 1);
      __builtin_prefetch(&t.uid[ahead]);
      __builtin_prefetch(&t.ability[ahead]);
      __builtin_prefetch(&t.region[ahead], 1);
      __builtin_prefetch(&t.unvested[ahead], 1);
      __builtin_prefetch(&t.vest_left[ahead], 1);
      __builtin_prefetch(&t.tenure[ahead], 1);
      const std::size_t to = m.decisions[r + kAhead].to.index();
      __builtin_prefetch(&orgs.power_sum[to], 1);
      __builtin_prefetch(&orgs.headcount[to], 1);
      __builtin_prefetch(&orgs.payroll[to], 1);
    }
    const Decision& d = m.decisions[r];
    const std::uint32_t i = d.talent;
    const int k = static_cast<int>(t.role[i]);
    const auto new_wage = static_cast<float>(d.wage);
    if (d.kind == Decision::Kind::counter) {
      const std::size_t o = d.to.index();
      orgs.payroll[o] += static_cast<double>(new_wage) - static_cast<double>(t.wage[i]);
      t.wage[i] = new_wage;
      ++m.counters[o];
      ++m.counters_won;
      continue;
    }
    const OrgId from = t.employer[i];
    const std::size_t to = d.to.index();
    MoveRecord record;
    record.month = m.month;
    record.talent = t.uid[i];
    record.tier = w.tier_of(t.ability[i]);
    record.role = t.role[i];
    record.ability = t.ability[i];
    record.from = from;
    record.to = d.to;
    record.from_region = t.region[i];
    record.to_region = orgs.region[to];
    record.wage_before = from.valid() ? t.wage[i] : 0.0;
    record.wage = new_wage;
    record.bonus = d.bonus;
    record.forfeited = from.valid() ? t.unvested[i] : 0.0;

    const double power = std::pow(static_cast<double>(t.ability[i]), rho);
    if (from.valid()) {
      const std::size_t o = from.index();
      orgs.power_sum[o][k] -= power;
      if (--orgs.headcount[o][k] == 0) orgs.power_sum[o][k] = 0.0;
      orgs.payroll[o] -= t.wage[i];
      ++m.departures[o];
    }
    orgs.power_sum[to][k] += power;
    orgs.headcount[to][k] += 1;
    orgs.payroll[to] += new_wage;
    ++m.hires[to];

    // A new grant of equity_share x wage x H, vesting linearly over H years (at once for an
    // offensive with immediate vesting).
    bool vests_now = false;
    if (d.offensive >= 0) {
      const OffensiveTerms& terms = m.offensives[d.offensive];
      record.event = terms.event;
      vests_now = terms.immediate_vesting;
      // The offensive's budget pays: the recruit's wage is added to the payroll budget.
      orgs.payroll_budget[to] += new_wage;
      auto& counts = m.event_counts[terms.event];
      ++counts.accepted;
      counts.package_value += record.package_value();
    }
    enter_policies(w, m, i, record);

    t.employer[i] = d.to;
    t.region[i] = orgs.region[to];
    t.wage[i] = new_wage;
    t.unvested[i] = vests_now ? 0.0f : static_cast<float>(orgs.equity_share[to] * d.wage * horizon);
    t.vest_left[i] = vests_now ? 0 : static_cast<std::uint8_t>(std::lround(horizon * 12.0));
    t.tenure[i] = 0;
    m.moves.push_back(record);
  }
}

}  // namespace mercato
