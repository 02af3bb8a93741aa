// Clearing (MODEL.md, One month, step 6): an English auction per talent, second price.
// Talents are processed in a fixed order (ability descending, then uid) so that the outcome
// does not depend on thread order; organisations that fill their vacancies or spend their
// cash drop out of later auctions in the same month. Power sums are those of the month's
// start (moves applies the changes), so a second hire in a month is valued on the same team.
#include <algorithm>
#include <bit>
#include <cmath>
#include <limits>

#include "core/radix_sort.hpp"
#include "model/model.hpp"

namespace mercato {

namespace {

constexpr double kMinusInfinity = -std::numeric_limits<double>::infinity();

// A talent's offers m.offers[begin, end), with its place in the clearing order as one key:
// ability descending (a positive float's bits order like the float), then uid ascending.
struct OfferRange {
  std::uint64_t key;
  std::uint32_t begin, end;
};

// The offers grouped by talent, in clearing order. The offers are sorted by talent index, so
// the keys are read in one forward pass; the sort then moves 16-byte records only.
std::vector<OfferRange> auction_order(const World& w, const MonthState& m) {
  const auto& t = w.talents;
  std::vector<OfferRange> ranges;
  for (std::uint32_t j = 0; j < m.offers.size();) {
    const std::uint32_t i = m.offers[j].talent;
    std::uint32_t e = j;
    while (e < m.offers.size() && m.offers[e].talent == i) ++e;
    const std::uint32_t bits = std::bit_cast<std::uint32_t>(t.ability[i]);
    ranges.push_back({std::uint64_t{~bits} << 32 | t.uid[i], j, e});
    j = e;
  }
  radix_sort_by_key(ranges, [](const OfferRange& r) { return r.key; });  // keys are unique
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

namespace {

// What an employed talent's outside options would be worth without each policy that holds it
// back (a retention grant's equity, a non-compete's wait): when it stays but would have left
// without one, that event counts a departure avoided (MODEL.md, Metrics: per event).
struct Restraints {
  int grant_event = -1;
  double grant_left = 0;  // the grant's unvested part, part of `forfeited`
  int non_compete_event = -1;
  double wait_factor = 1;  // a non-compete's wait of N months costs N / (12 H) of the package
  double best_without_grant = kMinusInfinity, best_without_wait = kMinusInfinity;
  bool any() const { return grant_event >= 0 || non_compete_event >= 0; }
};

Restraints restraints_of(const World& w, const MonthState& m, std::uint32_t i) {
  Restraints r;
  const auto& t = w.talents;
  if (!t.employer[i].valid()) return r;
  const Region& region = w.regions[w.orgs.region[t.employer[i].index()].index()];
  if (region.non_compete_months > 0) {
    r.non_compete_event = region.non_compete_event;
    r.wait_factor =
        std::max(0.0, 1.0 - region.non_compete_months / (12.0 * w.params.vesting_years));
  }
  if (!w.policy.grants.empty()) {
    const auto it = w.policy.grants.find(t.uid[i]);
    if (it != w.policy.grants.end() && it->second.org == t.employer[i]) {
      r.grant_event = it->second.event;
      r.grant_left = std::min<double>(it->second.remaining(m.month), t.unvested[i]);
    }
  }
  return r;
}

}  // namespace

void clear_auctions(World& w, MonthState& m) {
  const auto& t = w.talents;
  const auto& orgs = w.orgs;
  const double horizon = w.params.vesting_years;
  // What is left of each organisation this month, one small record each, so that an offer's
  // checks read one cache line rather than five columns.
  struct Room {
    double cash_left;      // payroll budget - payroll at the month's start
    double committed = 0;  // annual spend promised this month
    std::array<std::int32_t, kRoleCount> vacancies;
    std::array<std::int32_t, kRoleCount> hired{0, 0};
  };
  std::vector<Room> room(orgs.size());
  for (std::size_t o = 0; o < orgs.size(); ++o)
    room[o] = {orgs.cash_left(o),
               0.0,
               {orgs.vacancies(o, Role::research), orgs.vacancies(o, Role::engineering)}};
  std::vector<double> raid_committed(m.offensives.size(), 0.0);  // package value promised
  m.decisions.clear();
  if (m.output.size() != orgs.size()) value_outputs(w, m);

  const std::vector<OfferRange> order = auction_order(w, m);
  // Each talent's offers still open (vacancy, cash, posted floor), with their capped wtp.
  struct Open {
    std::uint32_t offer;
    std::int32_t raid;
    double wtp;
  };
  std::vector<Open> open;
  // Clearing visits talents in ability order, so their columns and offers are random reads,
  // fetched ahead in stages: a talent's offers; its role; then, if one of its offers is still
  // open as things stand (a closed offer stays closed), the columns its valuation reads.
  auto prefetch_if_open = [&](const OfferRange& ahead) {
    const std::uint32_t i = m.offers[ahead.begin].talent;
    const int k = static_cast<int>(t.role[i]);
    for (std::uint32_t j = ahead.begin; j < ahead.end; ++j) {
      const Room& left = room[m.offers[j].org];
      if (m.offensive_of(j) < 0 &&
          (left.hired[k] >= left.vacancies[k] || left.cash_left - left.committed <= 0))
        continue;
      __builtin_prefetch(&t.employer[i]);
      __builtin_prefetch(&t.ability[i]);
      __builtin_prefetch(&t.uid[i]);
      __builtin_prefetch(&t.unvested[i]);
      __builtin_prefetch(&t.wage[i]);
      __builtin_prefetch(&t.region[i]);
      __builtin_prefetch(&t.origin[i]);
      __builtin_prefetch(&t.prefs[i]);
      return;
    }
  };
  constexpr std::size_t kAhead = 12;
  for (std::size_t r = 0; r < order.size(); ++r) {
    const OfferRange& range = order[r];
    if (r + kAhead < order.size()) __builtin_prefetch(&m.offers[order[r + kAhead].begin]);
    if (r + 2 * kAhead / 3 < order.size())
      __builtin_prefetch(&t.role[m.offers[order[r + 2 * kAhead / 3].begin].talent]);
    if (r + kAhead / 3 < order.size()) prefetch_if_open(order[r + kAhead / 3]);
    const std::uint32_t i = m.offers[range.begin].talent;
    const Role role = t.role[i];
    const int k = static_cast<int>(role);

    // Outside offers, re-priced with what is left of each organisation's vacancies and cash
    // (an offensive's offer: of the offensive's budget, outside the vacancies). Most offers
    // are closed by the time their talent's turn comes, so this screen reads only the role;
    // the talent's other columns are read when an offer is still open (decision 025).
    open.clear();
    for (std::uint32_t j = range.begin; j < range.end; ++j) {
      const Offer& offer = m.offers[j];
      const std::size_t o = offer.org;
      const std::int32_t raid = m.offensive_of(j);
      // The offer's wtp is min(value, max_offer, month-start cash); the cash left now is at
      // most the month-start cash, so capping by it gives min(value, max_offer, cash left).
      if (raid >= 0) {
        const OffensiveTerms& terms = m.offensives[raid];
        const double cash = (terms.budget_left - raid_committed[raid]) / 4.0;
        if (cash <= 0) continue;
        ++m.event_counts[terms.event].offers;
        open.push_back({j, raid, std::min(offer.wtp, cash)});
      } else {
        const Room& left = room[o];
        if (left.hired[k] >= left.vacancies[k]) continue;
        const double cash = left.cash_left - left.committed;
        if (cash <= 0) continue;
        const double wtp = std::min(offer.wtp, cash);
        if (wtp < orgs.min_offer[o]) continue;  // it can no longer pay its posted floor
        open.push_back({j, raid, wtp});
      }
    }
    // No outside option is open (vacancies filled, cash spent): nothing changes, and neither
    // the talent nor the incumbent need be valued (draws are keyed, so skipping shifts none).
    if (open.empty()) continue;

    const double ability = t.ability[i];
    const bool employed = t.employer[i].valid();
    const double forfeited = employed ? t.unvested[i] : 0.0;
    const double w_money = t.prefs[i].w_money;
    Restraints held = restraints_of(w, m, i);
    double best_u = kMinusInfinity, second_u = kMinusInfinity;
    std::size_t best = 0;
    std::int32_t best_raid = -1;
    double best_max_money = 0, best_non_money = 0;
    for (const Open& offer : open) {
      const std::size_t o = m.offers[offer.offer].org;
      // A mover's money-equivalent is the spend less the forfeited equity spread over H.
      const double money = offer.wtp - forfeited / horizon;
      const double max_money = money * held.wait_factor;
      if (max_money <= 0 && !held.any()) continue;
      const double non_money = non_money_utility(w, m, i, o);
      const double kappa = kappa_for(w, i, o);
      const double u = utility_at(kappa, w_money, max_money, non_money);  // -inf if <= 0
      if (held.any()) {
        held.best_without_wait =
            std::max(held.best_without_wait, utility_at(kappa, w_money, money, non_money));
        held.best_without_grant =
            std::max(held.best_without_grant,
                     utility_at(kappa, w_money,
                                (money + held.grant_left / horizon) * held.wait_factor, non_money));
      }
      if (u > best_u) {
        second_u = best_u;
        best_u = u, best = o, best_raid = offer.raid, best_max_money = max_money,
        best_non_money = non_money;
      } else if (u > second_u) {
        second_u = u;
      }
    }
    // No outside option survived (vacancies filled, cash spent): nothing changes, and the
    // incumbent's side need not be valued (its draws are keyed, so skipping them shifts none).
    if (best_u == kMinusInfinity && held.best_without_grant == kMinusInfinity &&
        held.best_without_wait == kMinusInfinity)
      continue;

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
                      t.wage[i] + room[incumbent].cash_left - room[incumbent].committed});
        stay.max_money = std::max(stay.max_money, cap);
      }
      stay.best_utility = utility(w, i, incumbent, stay.max_money, stay.non_money);
    } else {
      stay.best_utility = reservation_utility(w, m, i);
    }

    if (best_u <= stay.best_utility) {
      // Stays. Would it have left without a grant or a non-compete?
      if (held.grant_event >= 0 && held.best_without_grant > stay.best_utility)
        ++m.event_counts[held.grant_event].departures_avoided;
      if (held.non_compete_event >= 0 && held.best_without_wait > stay.best_utility)
        ++m.event_counts[held.non_compete_event].departures_avoided;
      if (best_u == kMinusInfinity) continue;
      // The incumbent keeps the talent; it pays only what matches the best outside option.
      if (!employed) continue;
      const double current = utility(w, i, incumbent, t.wage[i], stay.non_money);
      if (best_u <= current) continue;
      const double wage = std::clamp(indifference_money(w, i, incumbent, best_u, stay.non_money),
                                     static_cast<double>(t.wage[i]), stay.max_money);
      room[incumbent].committed += wage - t.wage[i];
      m.decisions.push_back({Decision::Kind::counter, i, t.employer[i], wage, 0.0});
      continue;
    }

    // The winner pays the money-equivalent that makes the talent indifferent to the runner-up
    // (second price), at least a raise over the current wage, at most its own maximum.
    const double runner_up = std::max(second_u, stay.best_utility);
    // An organisation's posted floor (min_offer) binds too, for its ordinary hires.
    const double floor =
        std::max(employed ? t.wage[i] * (1.0 + w.params.move_raise_floor) : reservation_wage(w, i),
                 best_raid >= 0 ? 0.0 : static_cast<double>(orgs.min_offer[best]));
    // Under a non-compete the talent values the package net of the wait (wait_factor); the
    // organisation pays the package itself.
    const double money =
        std::min(std::max(indifference_money(w, i, best, runner_up, best_non_money),
                          floor * held.wait_factor),
                 best_max_money) /
        held.wait_factor;
    // The signing bonus buys out the forfeited equity first (buyout_ratio); the rest of the
    // money-equivalent is wage: money = wage + (bonus - forfeited) / H.
    const double buyout =
        best_raid >= 0 ? m.offensives[best_raid].buyout_ratio : orgs.buyout_ratio[best];
    const double bonus = buyout * forfeited;
    const double wage = money + (forfeited - bonus) / horizon;
    if (best_raid >= 0) {
      raid_committed[best_raid] += 4.0 * wage + bonus;
    } else {
      room[best].hired[k] += 1;
      room[best].committed += wage + bonus / horizon;
    }
    m.decisions.push_back(
        {Decision::Kind::move, i, OrgId(static_cast<std::uint32_t>(best)), wage, bonus, best_raid});
  }
}

}  // namespace mercato
