#include "mercato/core/world.hpp"

#include <algorithm>
#include <cmath>

namespace mercato {

namespace {
template <class... Columns>
void resize_all(std::size_t n, Columns&... columns) {
  (columns.resize(n), ...);
}
template <class Column>
void compact_column(Column& c, const std::vector<std::uint8_t>& keep) {
  std::size_t out = 0;
  for (std::size_t i = 0; i < c.size(); ++i)
    if (keep[i]) c[out++] = c[i];
  c.resize(out);
}
}  // namespace

void Talents::resize(std::size_t n) {
  resize_all(n, uid, ability, role, origin, region, employer, experience, tenure, wage, unvested,
             vest_left, persona, prefs);
}

void Talents::reserve(std::size_t n) {
  uid.reserve(n), ability.reserve(n), role.reserve(n), origin.reserve(n), region.reserve(n);
  employer.reserve(n), experience.reserve(n), tenure.reserve(n), wage.reserve(n);
  unvested.reserve(n), vest_left.reserve(n), persona.reserve(n);
  prefs.reserve(n);
}

void Talents::compact(const std::vector<std::uint8_t>& keep) {
  compact_column(uid, keep), compact_column(ability, keep), compact_column(role, keep);
  compact_column(origin, keep), compact_column(region, keep), compact_column(employer, keep);
  compact_column(experience, keep), compact_column(tenure, keep), compact_column(wage, keep);
  compact_column(unvested, keep), compact_column(vest_left, keep);
  compact_column(persona, keep);
  compact_column(prefs, keep);
}

void Orgs::resize(std::size_t n) {
  resize_all(n, name, kind, region, named, pool, compute, compute_growth, compute_extra, tfp, price,
             mission, openness, payroll_budget, budget_growth, target, headcount_growth,
             value_share, max_offer, counter_probability, counter_share, buyout_ratio, equity_share,
             poach_intensity, search_reach, power_sum, headcount, payroll);
}

int Orgs::vacancies(std::size_t o, Role r) const {
  const int k = static_cast<int>(r);
  const int target_k = static_cast<int>(std::floor(target[o][k] + 0.5));
  return std::max(0, target_k - headcount[o][k]);
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
