#include "mercato/core/world.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <functional>
#include <stdexcept>

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
             vest_left, persona);
  for (std::size_t f = 0; f < kPreferenceFields; ++f)
    if (pref_drawn[f]) drawn_prefs[f].resize(n);
}

void Talents::reserve(std::size_t n) {
  uid.reserve(n), ability.reserve(n), role.reserve(n), origin.reserve(n), region.reserve(n);
  employer.reserve(n), experience.reserve(n), tenure.reserve(n), wage.reserve(n);
  unvested.reserve(n), vest_left.reserve(n), persona.reserve(n);
  for (std::size_t f = 0; f < kPreferenceFields; ++f)
    if (pref_drawn[f]) drawn_prefs[f].reserve(n);
}

void Talents::set_preference_layout(std::vector<Preferences> per_persona,
                                    std::array<bool, kPreferenceFields> drawn) {
  persona_prefs = std::move(per_persona);
  pref_drawn = drawn;
  for (std::size_t f = 0; f < kPreferenceFields; ++f) {
    if (drawn[f])
      drawn_prefs[f].resize(size());
    else
      drawn_prefs[f] = {};
  }
}

bool Talents::keeps_persona_constants(std::size_t i, const Preferences& p) const {
  for (std::size_t f = 0; f < kPreferenceFields; ++f)
    if (!pref_drawn[f] &&
        !(p.*kPreferenceField[f] == persona_prefs[persona[i]].*kPreferenceField[f]))
      return false;
  return true;
}

void Talents::set_prefs(std::size_t i, const Preferences& p) {
#ifdef MERCATO_CHECK_INVARIANTS
  if (!keeps_persona_constants(i, p))
    throw std::logic_error("a talent's constant preference differs from its persona's");
#endif
  for (std::size_t f = 0; f < kPreferenceFields; ++f)
    if (pref_drawn[f]) drawn_prefs[f][i] = p.*kPreferenceField[f];
}

void Talents::compact(const std::vector<std::size_t>& gone, [[maybe_unused]] int threads) {
  if (gone.empty()) return;
  auto remove = [&gone](auto& column) { return [&column, &gone] { remove_rows(column, gone); }; };
  // The widest columns first, so that the threads finish together.
  std::vector<std::function<void()>> columns = {
      remove(uid),      remove(ability),    remove(employer),  remove(wage),
      remove(unvested), remove(experience), remove(tenure),    remove(role),
      remove(origin),   remove(region),     remove(vest_left), remove(persona)};
  for (std::size_t f = kPreferenceFields; f-- > 0;)
    if (pref_drawn[f]) columns.insert(columns.begin(), remove(drawn_prefs[f]));
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

void lay_out_preferences(World& world) {
  std::array<bool, kPreferenceFields> drawn{};
  if (world.personas.empty()) drawn.fill(true);  // without personas every field is per talent
  std::vector<Preferences> per_persona(world.personas.size(), Preferences{});
  for (std::size_t k = 0; k < world.personas.size(); ++k) {
    const auto d = preference_distributions(world.personas[k]);
    for (std::size_t f = 0; f < kPreferenceFields; ++f) {
      if (d[f]->kind == Distribution::Kind::constant)
        per_persona[k].*kPreferenceField[f] = preference_value(f, d[f]->a);
      else
        drawn[f] = true;
    }
  }
  world.talents.set_preference_layout(std::move(per_persona), drawn);
}

}  // namespace mercato
