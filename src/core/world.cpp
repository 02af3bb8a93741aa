#include "mercato/core/world.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <functional>

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
  auto remove = [&gone](auto& column) { return [&column, &gone] { remove_rows(column, gone); }; };
  // The widest column first, so that the threads finish together.
  const std::array<std::function<void()>, 13> columns = {
      remove(prefs),    remove(uid),        remove(ability), remove(employer), remove(wage),
      remove(unvested), remove(experience), remove(tenure),  remove(role),     remove(origin),
      remove(region),   remove(vest_left),  remove(persona)};
#pragma omp parallel for schedule(dynamic, 1) num_threads(threads)
  for (std::size_t c = 0; c < columns.size(); ++c) columns[c]();
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
