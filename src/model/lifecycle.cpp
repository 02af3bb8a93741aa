// Lifecycle (MODEL.md, One month, step 2): organisations grow; talents age, exit, learn,
// vest and get their anniversary raises; the unemployed from elsewhere whose grace period
// (`foreign_idle_months`) is over go home. Talents are updated in parallel in fixed chunks; the
// organisations' aggregates are then updated from the chunks' deltas in chunk order, so the
// result is bit-identical for any thread count.
#include <algorithm>
#include <cmath>
#include <limits>

#include "model/model.hpp"

namespace mercato {

namespace {

double monthly(double annual_rate) {
  return std::pow(1.0 + annual_rate, 1.0 / 12.0);
}
double monthly_hazard(double annual) {
  return 1.0 - std::pow(1.0 - std::min(annual, 1.0), 1.0 / 12.0);
}

// An organisation's growth rates are usually those of the one before it (a pool's members come
// together), so each monthly factor is computed again only when its rate changes.
class MonthlyFactor {
 public:
  double operator()(double annual_rate) {
    if (annual_rate != rate_) rate_ = annual_rate, factor_ = monthly(annual_rate);
    return factor_;
  }

 private:
  double rate_ = 0, factor_ = 1;  // monthly(0) == 1
};

void grow_organisations(World& w) {
  auto& orgs = w.orgs;
  MonthlyFactor compute, budget, headcount;
  for (std::size_t o = 0; o < orgs.size(); ++o) {
    orgs.compute[o] *= compute(orgs.compute_growth[o]);
    orgs.payroll_budget[o] *= budget(orgs.budget_growth[o]);
    const double g = headcount(orgs.headcount_growth[o]);
    orgs.target[o][0] *= g;
    orgs.target[o][1] *= g;
  }
}

// a <- a * (1 + g_kind * (C/h)^phi + training_boost_r), rates per year taken monthly.
std::vector<double> ability_growth_factors(const World& w, int threads) {
  const auto& orgs = w.orgs;
  const auto& p = w.params;
  std::vector<double> factor(orgs.size());
#pragma omp parallel for schedule(static) num_threads(threads)
  for (std::size_t o = 0; o < orgs.size(); ++o) {
    const double per_head = orgs.effective_compute(o) / std::max(1, orgs.total_headcount(o));
    const double yearly =
        p.ability_growth[static_cast<int>(orgs.kind[o])] * std::pow(per_head, p.compute_exponent) +
        w.regions[orgs.region[o].index()].training_boost;
    factor[o] = 1.0 + yearly / 12.0;
  }
  return factor;
}

// A change to an organisation's aggregates caused by one talent this month.
struct OrgDelta {
  std::uint32_t org;
  std::uint8_t role;
  std::int8_t headcount;
  double power;
  double payroll;
};

}  // namespace

void run_lifecycle(World& w, MonthState& m) {
  auto& t = w.talents;
  auto& orgs = w.orgs;
  const auto& p = w.params;
  if (m.growth) grow_organisations(w);
  const std::vector<double> factor = ability_growth_factors(w, m.threads);

  const std::size_t n = t.size();
  const std::size_t chunks = (n + kChunk - 1) / kChunk;
  std::vector<std::vector<OrgDelta>> deltas(chunks);
  std::vector<std::vector<std::size_t>> gone(chunks);  // each chunk's exits, in order
  // One block per talent for the exit draw and search's seek draw (decision 021), whose word
  // is kept for search; the talents who leave need none, the unemployed's is never read.
  auto& seek = m.seek_draws;
  seek.resize(n);  // not zeroed (FilledLater): the chunks below write every slot
  const double hazard_working = monthly_hazard(p.exit_rate);
  const double hazard_retiring = monthly_hazard(p.exit_rate + p.retirement_rate);
  const auto retirement_months = static_cast<int>(p.retirement_years * 12.0);
  // Idle months after which an unemployed talent from elsewhere goes home, by region.
  std::vector<double> grace(w.regions.size());
  for (std::size_t r = 0; r < grace.size(); ++r)
    grace[r] = w.regions[r].foreign_idle_months > 0 ? w.regions[r].foreign_idle_months
                                                    : std::numeric_limits<double>::infinity();

  std::int64_t returned_home = 0;
#pragma omp parallel for schedule(dynamic, 1) num_threads(m.threads) reduction(+ : returned_home)
  for (std::size_t c = 0; c < chunks; ++c) {
    auto& out = deltas[c];
    // Local copies: the stores of seek draws (32-bit words) could otherwise alias the key and
    // the month, which would then be reloaded for every talent.
    const Rng rng = m.rng;
    const int month = m.month;
    const int max_idle_months = p.max_idle_months;
    const std::size_t end = std::min(n, (c + 1) * kChunk);
    for (std::size_t i = c * kChunk; i < end; ++i) {
      const bool employed = t.employer[i].valid();
      const std::size_t o = employed ? t.employer[i].index() : 0;
      const auto role = static_cast<std::uint8_t>(t.role[i]);
      const double hazard = t.experience[i] >= retirement_months ? hazard_retiring : hazard_working;
      bool leaves = !employed && t.tenure[i] >= max_idle_months;  // idle too long
      std::uint32_t seek_draw = 0;  // every slot is written: the column is not zeroed first
      if (!leaves) {
        const TalentDraws draws = talent_draws(rng, month, t.uid[i]);
        seek_draw = draws.seek;
        leaves = draws.exit < hazard;
      }
      seek[i] = seek_draw;
      if (leaves) {
        gone[c].push_back(i);
        if (employed)
          out.push_back({static_cast<std::uint32_t>(o), role, -1,
                         -std::pow(static_cast<double>(t.ability[i]), p.rho), -t.wage[i]});
        continue;
      }
      if (t.experience[i] < 0xFFFF) ++t.experience[i];
      if (t.tenure[i] < 0xFFFF) ++t.tenure[i];
      if (!employed) {
        if (t.region[i] != t.origin[i] && t.tenure[i] >= grace[t.region[i].index()]) {
          t.region[i] = t.origin[i];  // the grace period is over: home to look for work
          ++returned_home;
        }
        continue;
      }
      t.ability[i] = static_cast<float>(t.ability[i] * factor[o]);
      if (t.vest_left[i] > 0) {
        t.unvested[i] -= t.unvested[i] / static_cast<float>(t.vest_left[i]);
        if (--t.vest_left[i] == 0) t.unvested[i] = 0;
      }
      if (t.tenure[i] % 12 == 0) {
        const float raised =
            static_cast<float>(t.wage[i] * (1.0 + p.annual_raise[static_cast<int>(orgs.kind[o])]));
        out.push_back({static_cast<std::uint32_t>(o), role, 0, 0.0,
                       static_cast<double>(raised) - static_cast<double>(t.wage[i])});
        t.wage[i] = raised;
      }
    }
  }

  // Exits leave with their pre-growth power; then every remaining member's a^rho grew by
  // factor^rho, so the power sums scale exactly (maintained incrementally, no rescan). Each
  // thread takes a range of organisations and applies their deltas in chunk order.
  const auto parts = static_cast<std::size_t>(std::max(1, m.threads));
#pragma omp parallel for schedule(static, 1) num_threads(m.threads)
  for (std::size_t part = 0; part < parts; ++part) {
    const std::size_t first = orgs.size() * part / parts, last = orgs.size() * (part + 1) / parts;
    for (const auto& chunk : deltas) {
      for (const auto& d : chunk) {
        if (d.org < first || d.org >= last) continue;
        orgs.power_sum[d.org][d.role] += d.power;
        orgs.headcount[d.org][d.role] += d.headcount;
        orgs.payroll[d.org] += d.payroll;
      }
    }
    for (std::size_t o = first; o < last; ++o) {
      const double scale = std::pow(factor[o], p.rho);
      for (int k = 0; k < kRoleCount; ++k)
        orgs.power_sum[o][k] =
            orgs.headcount[o][k] == 0 ? 0.0 : std::max(0.0, orgs.power_sum[o][k]) * scale;
    }
  }

  m.returned_home = returned_home;
  std::vector<std::size_t> exits;
  exits.reserve(total_size(gone));
  for (const auto& chunk : gone) exits.insert(exits.end(), chunk.begin(), chunk.end());
  if (!exits.empty()) {
    t.compact(exits, m.threads);
    remove_rows(seek, exits);  // the seek draws follow their talents
  }
  m.exits = static_cast<std::int64_t>(exits.size());
}

}  // namespace mercato
