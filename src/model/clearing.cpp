// Clearing (MODEL.md, One month, step 6): an English auction per talent, second price.
// Talents are processed in a fixed order (ability descending, then uid) so that the outcome
// does not depend on thread order; organisations that fill their vacancies or spend their
// cash drop out of later auctions in the same month. Power sums are those of the month's
// start (moves applies the changes), so a second hire in a month is valued on the same team.
#include <algorithm>
#include <cmath>
#include <limits>

#include "model/model.hpp"

namespace mercato {

namespace {

constexpr double kMinusInfinity = -std::numeric_limits<double>::infinity();

struct OfferRange {
  std::uint32_t talent, begin, end;
};

// The offers grouped by talent, in clearing order.
std::vector<OfferRange> auction_order(const World& w, const MonthState& m) {
  std::vector<OfferRange> ranges;
  for (std::uint32_t j = 0; j < m.offers.size();) {
    std::uint32_t e = j;
    while (e < m.offers.size() && m.offers[e].talent == m.offers[j].talent) ++e;
    ranges.push_back({m.offers[j].talent, j, e});
    j = e;
  }
  const auto& t = w.talents;
  std::sort(ranges.begin(), ranges.end(), [&](const OfferRange& x, const OfferRange& y) {
    if (t.ability[x.talent] != t.ability[y.talent])
      return t.ability[x.talent] > t.ability[y.talent];
    return t.uid[x.talent] < t.uid[y.talent];
  });
  return ranges;
}

// The incumbent's option: it counters with probability counter_probability, up to
// counter_share of its own willingness to pay to keep the talent; otherwise the current wage.
struct Incumbent {
  double max_money = 0;  // the most it will pay (>= current wage)
  double non_money = 0;
  double best_utility = kMinusInfinity;
};

}  // namespace

void clear_auctions(World& w, MonthState& m) {
  const auto& t = w.talents;
  const auto& orgs = w.orgs;
  const double horizon = w.params.vesting_years;
  std::vector<std::array<std::int32_t, kRoleCount>> hired(orgs.size(), {0, 0});
  std::vector<double> committed(orgs.size(), 0.0);  // annual spend promised this month
  m.decisions.clear();
  if (m.output.size() != orgs.size()) value_outputs(w, m);

  for (const OfferRange& range : auction_order(w, m)) {
    const std::uint32_t i = range.talent;
    const Role role = t.role[i];
    const int k = static_cast<int>(role);
    const double ability = t.ability[i];
    const bool employed = t.employer[i].valid();
    const double forfeited = employed ? t.unvested[i] : 0.0;

    // Staying: with the incumbent (who may counter) or unemployed at the reservation wage.
    Incumbent stay;
    std::size_t incumbent = 0;
    if (employed) {
      incumbent = t.employer[i].index();
      stay.non_money = non_money_utility(w, m, i, incumbent);
      stay.max_money = t.wage[i];
      const bool counters =
          m.rng.uniform(Stream::counter, m.month, t.uid[i], static_cast<std::uint32_t>(incumbent)) <
          orgs.counter_probability[incumbent];
      if (counters) {
        const double cap =
            std::min({orgs.counter_share[incumbent] * orgs.value_share[incumbent] *
                          marginal_value_member(w, incumbent, role, ability, m.output[incumbent]),
                      static_cast<double>(orgs.max_offer[incumbent]),
                      t.wage[i] + orgs.cash_left(incumbent) - committed[incumbent]});
        stay.max_money = std::max(stay.max_money, cap);
      }
      stay.best_utility = utility(w, i, incumbent, stay.max_money, stay.non_money);
    } else {
      stay.best_utility = reservation_utility(w, m, i);
    }

    // Outside offers, re-priced with what is left of each organisation's vacancies and cash.
    double best_u = kMinusInfinity, second_u = kMinusInfinity;
    std::size_t best = 0;
    double best_max_money = 0, best_non_money = 0;
    for (std::uint32_t j = range.begin; j < range.end; ++j) {
      const std::size_t o = m.offers[j].org;
      if (hired[o][k] >= orgs.vacancies(o, role)) continue;
      const double cash = orgs.cash_left(o) - committed[o];
      if (cash <= 0) continue;
      // A mover's money-equivalent is the spend less the forfeited equity spread over H.
      const double max_money =
          willingness_to_pay(w, o, role, ability, cash, m.output[o]) - forfeited / horizon;
      if (max_money <= 0) continue;
      const double non_money = non_money_utility(w, m, i, o);
      const double u = utility(w, i, o, max_money, non_money);
      if (u > best_u) {
        second_u = best_u;
        best_u = u, best = o, best_max_money = max_money, best_non_money = non_money;
      } else if (u > second_u) {
        second_u = u;
      }
    }
    if (best_u == kMinusInfinity) continue;

    if (best_u <= stay.best_utility) {
      // The incumbent keeps the talent; it pays only what matches the best outside option.
      if (!employed) continue;
      const double current = utility(w, i, incumbent, t.wage[i], stay.non_money);
      if (best_u <= current) continue;
      const double wage = std::clamp(indifference_money(w, i, incumbent, best_u, stay.non_money),
                                     static_cast<double>(t.wage[i]), stay.max_money);
      committed[incumbent] += wage - t.wage[i];
      m.decisions.push_back({Decision::Kind::counter, i, t.employer[i], wage, 0.0});
      continue;
    }

    // The winner pays the money-equivalent that makes the talent indifferent to the runner-up
    // (second price), at least a raise over the current wage, at most its own maximum.
    const double runner_up = std::max(second_u, stay.best_utility);
    const double floor =
        employed ? t.wage[i] * (1.0 + w.params.move_raise_floor) : reservation_wage(w, i);
    const double money = std::min(
        std::max(indifference_money(w, i, best, runner_up, best_non_money), floor), best_max_money);
    // The signing bonus buys out the forfeited equity first (buyout_ratio); the rest of the
    // money-equivalent is wage: money = wage + (bonus - forfeited) / H.
    const double bonus = orgs.buyout_ratio[best] * forfeited;
    const double wage = money + (forfeited - bonus) / horizon;
    hired[best][k] += 1;
    committed[best] += wage + bonus / horizon;
    m.decisions.push_back(
        {Decision::Kind::move, i, OrgId(static_cast<std::uint32_t>(best)), wage, bonus});
  }
}

}  // namespace mercato
