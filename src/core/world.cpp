#include "mercato/core/world.hpp"

#include <algorithm>
#include <cmath>

namespace mercato {

namespace {
template <class... Columns>
void resize_all(std::size_t n, Columns&... columns) {
  (columns.resize(n), ...);
}
}  // namespace

void Talents::resize(std::size_t n) {
  // Growth by a thirty-second, not the vectors' doubling: the world grows a little each month, and
  // a doubled capacity would hold nearly twice the memory the talents need.
  if (n > uid.capacity()) reserve(n + n / 32);
  resize_all(n, uid, ability, role, origin, region, employer, experience, tenure, wage, unvested,
             vest_left, persona, prefs);
}

void Talents::reserve(std::size_t n) {
  uid.reserve(n), ability.reserve(n), role.reserve(n), origin.reserve(n), region.reserve(n);
  employer.reserve(n), experience.reserve(n), tenure.reserve(n), wage.reserve(n);
  unvested.reserve(n), vest_left.reserve(n), persona.reserve(n);
  prefs.reserve(n);
}

void Talents::compact(const std::vector<std::size_t>& gone, [[maybe_unused]] int threads) {
  if (gone.empty()) return;
  constexpr int kColumns = 13;
#pragma omp parallel for schedule(dynamic, 1) num_threads(threads)
  for (int column = 0; column < kColumns; ++column) {
    switch (column) {
      case 0:
        remove_rows(prefs, gone);
        break;  // the widest first
      case 1:
        remove_rows(uid, gone);
        break;
      case 2:
        remove_rows(ability, gone);
        break;
      case 3:
        remove_rows(employer, gone);
        break;
      case 4:
        remove_rows(wage, gone);
        break;
      case 5:
        remove_rows(unvested, gone);
        break;
      case 6:
        remove_rows(experience, gone);
        break;
      case 7:
        remove_rows(tenure, gone);
        break;
      case 8:
        remove_rows(role, gone);
        break;
      case 9:
        remove_rows(origin, gone);
        break;
      case 10:
        remove_rows(region, gone);
        break;
      case 11:
        remove_rows(vest_left, gone);
        break;
      default:
        remove_rows(persona, gone);
        break;
    }
  }
}

void Orgs::resize(std::size_t n) {
  resize_all(n, name, kind, region, named, pool, compute, compute_growth, compute_extra, tfp, price,
             mission, openness, payroll_budget, budget_growth, target, headcount_growth,
             value_share, max_offer, min_offer, counter_probability, counter_share, buyout_ratio,
             equity_share, poach_intensity, search_reach, power_sum, headcount, payroll);
}

void recompute_aggregates(World& world) {
  auto& orgs = world.orgs;
  const auto& t = world.talents;
  for (std::size_t o = 0; o < orgs.size(); ++o) {
    orgs.power_sum[o] = {0.0, 0.0};
    orgs.headcount[o] = {0, 0};
    orgs.payroll[o] = 0.0;
  }
  const double rho = world.params.rho;
  for (std::size_t i = 0; i < t.size(); ++i) {
    if (!t.employer[i].valid()) continue;
    const std::size_t o = t.employer[i].index();
    const int k = static_cast<int>(t.role[i]);
    orgs.power_sum[o][k] += std::pow(static_cast<double>(t.ability[i]), rho);
    orgs.headcount[o][k] += 1;
    orgs.payroll[o] += t.wage[i];
  }
}

}  // namespace mercato
