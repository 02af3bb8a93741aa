// The parts of the events' mechanics that act inside the month's phases (MODEL.md, Events
// and policies): an offensive's target list (search) and a retention grant's award. The
// timeline (src/engine/events.cpp) decides when each applies; docs/model.md, "Events", gives
// the mechanics of every type.
#include <algorithm>
#include <cmath>
#include <numeric>

#include "model/model.hpp"

namespace mercato {

namespace {

// The `k` talents of highest ability among `pool` (ties: smaller uid first), as indices.
std::vector<std::uint32_t> top_by_ability(const World& w, std::vector<std::uint32_t> pool,
                                          std::size_t k) {
  const auto& t = w.talents;
  auto higher = [&](std::uint32_t a, std::uint32_t b) {
    if (t.ability[a] != t.ability[b]) return t.ability[a] > t.ability[b];
    return t.uid[a] < t.uid[b];
  };
  k = std::min(k, pool.size());
  std::partial_sort(pool.begin(), pool.begin() + static_cast<std::ptrdiff_t>(k), pool.end(),
                    higher);
  pool.resize(k);
  return pool;
}

}  // namespace

void target_offensives(const World& w, MonthState& m) {
  const auto& t = w.talents;
  std::vector<std::pair<Candidate, std::int32_t>> pairs;
  for (std::size_t e = 0; e < m.offensives.size(); ++e) {
    const OffensiveTerms& terms = m.offensives[e];
    std::vector<std::uint32_t> staff;
    for (std::size_t i = 0; i < t.size(); ++i) {
      if (!t.employer[i].valid()) continue;
      const std::size_t o = t.employer[i].index();
      if (!terms.raided[o] || o == terms.org) continue;
      if (terms.role >= 0 && static_cast<int>(t.role[i]) != terms.role) continue;
      staff.push_back(static_cast<std::uint32_t>(i));
    }
    for (const std::uint32_t i : top_by_ability(w, std::move(staff), terms.top_k))
      pairs.push_back({{i, terms.org}, static_cast<std::int32_t>(e)});
  }
  // Sorted by pair; when two offensives of one organisation target the same talent, the
  // first in the timeline makes the offer.
  std::stable_sort(pairs.begin(), pairs.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  m.targeted.clear();
  m.targeted_by.clear();
  for (const auto& [pair, offensive] : pairs) {
    if (!m.targeted.empty() && m.targeted.back() == pair) continue;
    m.targeted.push_back(pair);
    m.targeted_by.push_back(offensive);
  }
}

std::vector<std::uint32_t> select_grantees(const World& w, std::size_t org, int role,
                                           std::size_t top_k, double top_share) {
  const auto& t = w.talents;
  std::vector<std::uint32_t> staff;
  for (std::size_t i = 0; i < t.size(); ++i) {
    if (t.employer[i] != OrgId(static_cast<std::uint32_t>(org))) continue;
    if (role >= 0 && static_cast<int>(t.role[i]) != role) continue;
    staff.push_back(static_cast<std::uint32_t>(i));
  }
  if (top_k == 0)
    top_k = static_cast<std::size_t>(std::ceil(top_share * static_cast<double>(staff.size())));
  return top_by_ability(w, std::move(staff), top_k);
}

}  // namespace mercato
