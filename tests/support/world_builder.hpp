// Builds small worlds by hand for unit tests (STYLE.md: "a WorldBuilder tests use to make a
// five-talent world by hand"). Defaults switch off every utility term and every random
// shock, so a test states only what its hand computation uses.
#pragma once

#include <string>

#include "mercato/core/world.hpp"

namespace mercato::testing {

struct OrgSpec {
  OrgKind kind = OrgKind::frontier_lab;
  double compute = 1000;
  double tfp = 1e9;  // with P = 1, Y ~ tfp * C^alpha * ...: large, so marginal values are large
  float mission = 0, openness = 0;
  double payroll_budget = 1e12;
  double target_research = 10, target_engineering = 10;
  float value_share = 1, max_offer = 1e12, min_offer = 0, counter_probability = 0,
        counter_share = 1;
  float buyout_ratio = 1, equity_share = 0, poach_intensity = 0, search_reach = 1;
};

struct TalentSpec {
  float ability = 1;
  Role role = Role::research;
  OrgId employer = kNoEmployer;
  float wage = 0, unvested = 0;
  int vest_left = 0;
  int tenure = 6;
  int experience = 60;
  Preferences prefs{1, 0, 0, 0, 0};
  RegionId origin = RegionId(0);
};

class WorldBuilder {
 public:
  WorldBuilder() {
    auto& p = world_.params;
    p.alpha = 0.4, p.beta[0] = 0.3, p.beta[1] = 0.2, p.rho = 1.5;
    p.floor_pow[0] = p.floor_pow[1] = 1.0;
    p.sigma_taste = 0, p.move_cost = 0.1, p.vesting_years = 4;
    p.applications = 3, p.seek_rate = 0, p.seek_multiplier_vested = 1;
    p.seek_multiplier_shrinking = 1, p.abroad_application_weight = 1;
    p.visibility_exponent = 1, p.compute_exponent = 0;
    p.exit_rate = 0, p.retirement_years = 100, p.retirement_rate = 0, p.max_idle_months = 1000;
    p.move_raise_floor = 0.05;
    for (int k = 0; k < kOrgKindCount; ++k) p.ability_growth[k] = 0, p.annual_raise[k] = 0;
    world_.personas.push_back({"default", 1.0, Distribution::constant(1), Distribution::constant(0),
                               Distribution::constant(0), Distribution::constant(0),
                               Distribution::constant(0)});
    world_.elite_threshold = 10, world_.top_threshold = 2;
  }
  Params& params() { return world_.params; }

  // kappa = (1 - tax) / cost_of_living = 1 by default; no visa friction.
  RegionId region(const std::string& id, double tax_rate = 0, double cost_of_living = 1,
                  double visa_friction = 0, double graduate_wage = 1e5) {
    Region r{};
    r.id = r.name = id;
    r.cost_of_living = cost_of_living, r.tax_rate = tax_rate, r.visa_friction = visa_friction;
    r.graduate_wage = graduate_wage, r.graduate_ability_sigma = 0.5;
    world_.regions.push_back(r);
    world_.graduate_carry.push_back({0, 0});
    return RegionId(static_cast<std::uint8_t>(world_.regions.size() - 1));
  }

  OrgId org(const std::string& name, RegionId region, const OrgSpec& s = {}) {
    auto& o = world_.orgs;
    const std::size_t i = o.size();
    o.resize(i + 1);
    o.name[i] = name, o.kind[i] = s.kind, o.region[i] = region, o.named[i] = 1, o.pool[i] = 0;
    o.compute[i] = s.compute, o.compute_growth[i] = 0, o.tfp[i] = s.tfp, o.price[i] = 1;
    o.mission[i] = s.mission, o.openness[i] = s.openness;
    o.payroll_budget[i] = s.payroll_budget, o.budget_growth[i] = 0;
    o.target[i] = {s.target_research, s.target_engineering}, o.headcount_growth[i] = 0;
    o.value_share[i] = s.value_share, o.max_offer[i] = s.max_offer, o.min_offer[i] = s.min_offer;
    o.counter_probability[i] = s.counter_probability, o.counter_share[i] = s.counter_share;
    o.buyout_ratio[i] = s.buyout_ratio, o.equity_share[i] = s.equity_share;
    o.poach_intensity[i] = s.poach_intensity, o.search_reach[i] = s.search_reach;
    o.power_sum[i] = {0, 0}, o.headcount[i] = {0, 0}, o.payroll[i] = 0;
    return OrgId(static_cast<std::uint32_t>(i));
  }

  std::size_t talent(const TalentSpec& s) {
    auto& t = world_.talents;
    const std::size_t i = t.size();
    t.resize(i + 1);
    t.uid[i] = world_.next_uid++;
    t.ability[i] = s.ability, t.role[i] = s.role, t.origin[i] = s.origin;
    t.region[i] = s.employer.valid() ? world_.orgs.region[s.employer.index()] : s.origin;
    t.employer[i] = s.employer;
    t.experience[i] = static_cast<std::uint16_t>(s.experience);
    t.tenure[i] = static_cast<std::uint16_t>(s.tenure);
    t.wage[i] = s.employer.valid() ? s.wage : 0;
    t.unvested[i] = s.unvested, t.vest_left[i] = static_cast<std::uint8_t>(s.vest_left);
    t.persona[i] = 0;
    t.set_prefs(i, s.prefs);
    return i;
  }

  World build() {
    recompute_aggregates(world_);
    return world_;
  }

 private:
  World world_;
};

}  // namespace mercato::testing
