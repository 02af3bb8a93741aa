// The scenario schema in one place: every key a section accepts and the range of every number.
// The loader (decode.cpp), the checks on a Config (checks.cpp), the writer (emit.cpp) and
// docs/scenarios.md follow these tables, so a new field is added here once.
#pragma once

#include <array>
#include <limits>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "mercato/scenario/config.hpp"

namespace mercato::scenario::detail {

inline constexpr double kInf = std::numeric_limits<double>::infinity();
// Larger magnitudes are typos (1e51 for 1e5.1) or overflow bait; the largest real figure in a
// scenario, an organisation's AI output, is below 1e13 USD/yr.
inline constexpr double kMaxMagnitude = 1e15;

// An interval of admissible values, printed the way the messages and the docs show it.
struct Range {
  double lo = -kInf;
  double hi = kInf;
  bool lo_open = false;
  bool hi_open = false;

  bool contains(double x) const {
    bool above = lo_open ? x > lo : x >= lo;
    bool below = hi_open ? x < hi : x <= hi;
    return above && below;  // false for NaN
  }
  // "in [0, 1)", "> 0", ">= 0", "<= 5" or "" (any finite number)
  std::string describe() const;
};

inline constexpr Range kAny{};
constexpr Range at_least(double lo) {
  return {lo, kInf, false, false};
}
constexpr Range above(double lo) {
  return {lo, kInf, true, false};
}
constexpr Range closed(double lo, double hi) {
  return {lo, hi, false, false};
}
constexpr Range closed_open(double lo, double hi) {
  return {lo, hi, false, true};
}
constexpr Range open_closed(double lo, double hi) {
  return {lo, hi, true, false};
}
constexpr Range open(double lo, double hi) {
  return {lo, hi, true, true};
}
inline constexpr Range kShare = closed(0, 1);
// Growth rates per year: -1 would make a quantity vanish in a year; 10 = x11 a year is a typo.
inline constexpr Range kGrowth = open_closed(-1, 10);

// A number of the Config: its key below the section ("graduate_ability.sigma") and its range.
template <class Owner, class Value>
struct Field {
  std::string_view key;
  Range range;
  Value Owner::*member;
};

using RealField = Field<ModelConfig, double>;
using IntField = Field<ModelConfig, int>;
using RegionField = Field<RegionConfig, double>;
using KindField = Field<KindConfig, double>;
using PersonaField = Field<PersonaConfig, Distribution>;

// An organisation field: always a number or a distribution; some have no built-in default.
struct OrgField {
  std::string_view key;
  Range range;
  Distribution OrgConfig::*value = nullptr;
  std::optional<Distribution> OrgConfig::*optional_value = nullptr;
};

inline constexpr std::array kModelReals = {
    RealField{"alpha", closed_open(0, 1), &ModelConfig::alpha},
    RealField{"beta_research", open(0, 1), &ModelConfig::beta_research},
    RealField{"beta_engineering", open(0, 1), &ModelConfig::beta_engineering},
    RealField{"rho", at_least(1), &ModelConfig::rho},
    RealField{"research_floor", above(0), &ModelConfig::research_floor},
    RealField{"engineering_floor", above(0), &ModelConfig::engineering_floor},
    RealField{"sigma_taste", at_least(0), &ModelConfig::sigma_taste},
    RealField{"move_cost", at_least(0), &ModelConfig::move_cost},
    RealField{"vesting_years", open_closed(0, 10), &ModelConfig::vesting_years},
    RealField{"seek_rate", kShare, &ModelConfig::seek_rate},
    RealField{"seek_multiplier_vested", at_least(0), &ModelConfig::seek_multiplier_vested},
    RealField{"seek_multiplier_shrinking", at_least(0), &ModelConfig::seek_multiplier_shrinking},
    RealField{"abroad_application_weight", kShare, &ModelConfig::abroad_application_weight},
    RealField{"visibility_exponent", at_least(0), &ModelConfig::visibility_exponent},
    RealField{"compute_exponent", at_least(0), &ModelConfig::compute_exponent},
    RealField{"exit_rate", kShare, &ModelConfig::exit_rate},
    RealField{"retirement_years", at_least(0), &ModelConfig::retirement_years},
    RealField{"retirement_rate", kShare, &ModelConfig::retirement_rate},
    RealField{"move_raise_floor", at_least(0), &ModelConfig::move_raise_floor},
    RealField{"budget_headroom", at_least(0), &ModelConfig::budget_headroom},
    RealField{"elite_share", open(0, 1), &ModelConfig::elite_share},
    RealField{"top_share", open_closed(0, 1), &ModelConfig::top_share},
    RealField{"placement_noise", at_least(0), &ModelConfig::placement_noise},
    RealField{"initial_wage_share", open_closed(0, 1), &ModelConfig::initial_wage_share},
};

inline constexpr std::array kModelInts = {
    IntField{"applications", closed(0, 100), &ModelConfig::applications},
    IntField{"max_idle_months", closed(1, 1200), &ModelConfig::max_idle_months},
    IntField{"warmup_months", closed(0, 1200), &ModelConfig::warmup_months},
};

inline constexpr std::array kKindFields = {
    KindField{"ability_growth", closed(0, 1), &KindConfig::ability_growth},
    KindField{"annual_raise", kShare, &KindConfig::annual_raise},
};

inline constexpr std::array kRegionFields = {
    RegionField{"cost_of_living", above(0), &RegionConfig::cost_of_living},
    RegionField{"tax_rate", closed_open(0, 1), &RegionConfig::tax_rate},
    RegionField{"visa_friction", at_least(0), &RegionConfig::visa_friction},
    RegionField{"graduates_per_year.research", at_least(0), &RegionConfig::graduates_research},
    RegionField{"graduates_per_year.engineering", at_least(0),
                &RegionConfig::graduates_engineering},
    RegionField{"graduate_growth", kGrowth, &RegionConfig::graduate_growth},
    RegionField{"graduate_ability.mu", kAny, &RegionConfig::graduate_ability_mu},
    RegionField{"graduate_ability.sigma", above(0), &RegionConfig::graduate_ability_sigma},
    RegionField{"graduate_wage", above(0), &RegionConfig::graduate_wage},
    RegionField{"training_boost", closed(0, 1), &RegionConfig::training_boost},
};

inline constexpr std::array kPersonaFields = {
    PersonaField{"w_money", at_least(0), &PersonaConfig::w_money},
    PersonaField{"w_mission", kAny, &PersonaConfig::w_mission},
    PersonaField{"w_open", kAny, &PersonaConfig::w_open},
    PersonaField{"w_compute", kAny, &PersonaConfig::w_compute},
    PersonaField{"home_bias", kAny, &PersonaConfig::home_bias},
};

inline constexpr std::array kOrgFields = {
    OrgField{"compute", at_least(0), &OrgConfig::compute},
    OrgField{"compute_growth", kGrowth, &OrgConfig::compute_growth},
    OrgField{"ai_value", above(0), nullptr, &OrgConfig::ai_value},
    OrgField{"tfp", above(0), nullptr, &OrgConfig::tfp},
    OrgField{"price", above(0), nullptr, &OrgConfig::price},
    OrgField{"mission", kShare, &OrgConfig::mission},
    OrgField{"openness", kShare, &OrgConfig::openness},
    OrgField{"payroll_budget", above(0), nullptr, &OrgConfig::payroll_budget},
    OrgField{"budget_growth", kGrowth, &OrgConfig::budget_growth},
    OrgField{"target_headcount.research", at_least(0), &OrgConfig::target_research},
    OrgField{"target_headcount.engineering", at_least(0), &OrgConfig::target_engineering},
    OrgField{"headcount_growth", kGrowth, &OrgConfig::headcount_growth},
    OrgField{"value_share", open_closed(0, 1), &OrgConfig::value_share},
    OrgField{"max_offer", above(0), &OrgConfig::max_offer},
    OrgField{"counter_policy.probability", kShare, &OrgConfig::counter_probability},
    OrgField{"counter_policy.share", kShare, &OrgConfig::counter_share},
    OrgField{"buyout_ratio", kShare, &OrgConfig::buyout_ratio},
    OrgField{"equity_share", kShare, &OrgConfig::equity_share},
    OrgField{"poach_intensity", at_least(0), &OrgConfig::poach_intensity},
    OrgField{"search_reach", kShare, &OrgConfig::search_reach},
};

// Ranges of the remaining numbers (top level, talents, outputs, counts).
inline constexpr Range kMonthsRange = closed(1, 1200);
inline constexpr Range kScaleRange = open_closed(0, 1000);
inline constexpr Range kOrgCountRange = closed(1, 10'000'000);
inline constexpr Range kTalentCountRange = closed(0, 1e9);
inline constexpr Range kExperienceRange = closed(0, 60);
inline constexpr Range kOriginsEveryRange = closed(1, 1200);
// RegionId and the persona index are 8-bit, the pool index 16-bit (core/world.hpp).
inline constexpr std::size_t kMaxRegions = 254;
inline constexpr std::size_t kMaxPersonas = 255;
inline constexpr std::size_t kMaxOrganisationEntries = 65535;

inline constexpr std::array<std::string_view, 4> kMoveLogNames = {"none", "elite", "top", "all"};
inline constexpr std::array<std::string_view, 7> kTableNames = {
    "regions", "kinds", "orgs", "flows", "moves", "origins", "market"};
inline constexpr std::array<std::string_view, 3> kDistributionNames = {"uniform", "normal",
                                                                       "lognormal"};

// The top-level lists whose items are named, and the key that names them: `extends:` merges
// them item by item and `--set` addresses their items by that name.
struct NamedList {
  std::string_view section;
  std::string_view key;
  std::string_view noun;
};
inline constexpr std::array<NamedList, 4> kNamedLists = {
    NamedList{"regions", "id", "region"},
    NamedList{"personas", "name", "persona"},
    NamedList{"organisations", "name", "organisation"},
    NamedList{"talents", "origin", "talent stock"},
};
const NamedList* named_list(std::string_view section);

// The closest candidate to a mistyped `word` (edit distance, case-insensitive), if any is
// close enough to be a plausible typo.
std::optional<std::string> nearest(std::string_view word, std::span<const std::string> candidates);
// "; did you mean 'tax_rate'?" or "; expected one of: a, b, c" (or "" without candidates).
std::string suggestion(std::string_view word, std::span<const std::string> candidates);

// "0.3", "{uniform: [0, 1]}": how a message shows a value.
std::string format_number(double x);
std::string format_distribution(const Distribution& d);

}  // namespace mercato::scenario::detail
