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
#include "scenario/source_tree.hpp"

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
    RegionField{"study_abroad_selection", kShare, &RegionConfig::study_abroad_selection},
    RegionField{"foreign_idle_months", closed(0, 1200), &RegionConfig::foreign_idle_months},
    RegionField{"doctoral_months", closed(0, 120), &RegionConfig::doctoral_months},
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
    OrgField{"payroll_budget", at_least(0), nullptr, &OrgConfig::payroll_budget},
    OrgField{"budget_growth", kGrowth, &OrgConfig::budget_growth},
    OrgField{"target_headcount.research", at_least(0), &OrgConfig::target_research},
    OrgField{"target_headcount.engineering", at_least(0), &OrgConfig::target_engineering},
    OrgField{"headcount_growth", kGrowth, &OrgConfig::headcount_growth},
    OrgField{"value_share", open_closed(0, 1), &OrgConfig::value_share},
    OrgField{"max_offer", above(0), &OrgConfig::max_offer},
    OrgField{"min_offer", at_least(0), &OrgConfig::min_offer},
    OrgField{"counter_policy.probability", kShare, &OrgConfig::counter_probability},
    OrgField{"counter_policy.share", kShare, &OrgConfig::counter_share},
    OrgField{"buyout_ratio", kShare, &OrgConfig::buyout_ratio},
    OrgField{"equity_share", kShare, &OrgConfig::equity_share},
    OrgField{"poach_intensity", at_least(0), &OrgConfig::poach_intensity},
    OrgField{"search_reach", kShare, &OrgConfig::search_reach},
};

// --- events ---------------------------------------------------------------------------------
// An event's number: its key, its range and whether it is a whole number (a count of talents or
// months). The same key has the same range in every type that takes it; which types take it is
// in kEventTypes below.
struct EventField {
  std::string_view key;
  Range range;
  std::optional<double> EventConfig::*member;
  bool integer = false;
};

inline constexpr std::array kEventFields = {
    EventField{"top_k", at_least(1), &EventConfig::top_k, true},
    EventField{"budget", above(0), &EventConfig::budget},
    EventField{"max_offer", above(0), &EventConfig::max_offer},
    EventField{"value_share", open_closed(0, 1), &EventConfig::value_share},
    EventField{"buyout_ratio", kShare, &EventConfig::buyout_ratio},
    EventField{"top_share", open_closed(0, 1), &EventConfig::top_share},
    EventField{"amount", above(0), &EventConfig::amount},
    EventField{"wage_multiple", above(0), &EventConfig::wage_multiple},
    EventField{"vest_months", closed(1, 120), &EventConfig::vest_months, true},
    EventField{"mission", kShare, &EventConfig::mission},
    EventField{"openness", kShare, &EventConfig::openness},
    EventField{"factor", above(0), &EventConfig::factor},
    EventField{"growth", kGrowth, &EventConfig::growth},
    EventField{"share", open_closed(0, 1), &EventConfig::share},
    EventField{"gpus", above(0), &EventConfig::gpus},
    EventField{"cost_per_gpu", at_least(0), &EventConfig::cost_per_gpu},
    EventField{"graduates_per_year", above(0), &EventConfig::graduates_per_year},
    EventField{"cost_per_place", at_least(0), &EventConfig::cost_per_place},
    EventField{"research_share", kShare, &EventConfig::research_share},
    EventField{"lag_months", closed(0, 240), &EventConfig::lag_months, true},
    EventField{"tax_rate", closed_open(0, 1), &EventConfig::tax_rate},
    EventField{"years", open_closed(0, 50), &EventConfig::years},
    EventField{"visa_friction", at_least(0), &EventConfig::visa_friction},
    EventField{"months", closed(0, 60), &EventConfig::months, true},
};

// Keys every event takes (`end` only when its type has a duration), and the keys that are not
// numbers: names resolved against the scenario, and one boolean.
inline constexpr std::array<std::string_view, 4> kEventCommonKeys = {"type", "name", "start",
                                                                     "end"};
inline constexpr std::array<std::string_view, 6> kEventNameKeys = {
    "org", "targets", "region", "kind", "role", "immediate_vesting"};
// `start` and `end` written as a number of months from the scenario start.
inline constexpr Range kEventMonthRange = closed(0, 12000);
// The organisation kinds a public_compute event may target (absent = both).
inline constexpr std::array<OrgKind, 2> kPublicKinds = {OrgKind::university, OrgKind::public_lab};

// The keys of one event type, space-separated. Besides `required` and `optional` keys, an event
// gives exactly one key of each `exactly_one` group ("top_k|top_share") and at least one key of
// each `at_least_one` group. The decoder, the checks, to_yaml and docs/scenarios.md follow it.
struct EventTypeSchema {
  EventType type;
  std::string_view required;
  std::string_view optional;
  std::string_view exactly_one = "";
  std::string_view at_least_one = "";
  bool takes_end = true;  // false: the event happens once, at `start`
};

inline constexpr std::array<EventTypeSchema, kEventTypeCount> kEventTypes = {
    EventTypeSchema{EventType::offensive, "org targets top_k budget",
                    "role max_offer value_share buyout_ratio immediate_vesting"},
    EventTypeSchema{EventType::retention_grant, "org", "role vest_months",
                    "top_k|top_share amount|wage_multiple", "", false},
    EventTypeSchema{EventType::mission_shift, "org", "", "", "mission|openness"},
    EventTypeSchema{EventType::compute_change, "org", "cost_per_gpu", "", "factor|growth"},
    EventTypeSchema{EventType::alliance, "org targets share", "cost_per_gpu"},
    EventTypeSchema{EventType::training_program, "region graduates_per_year cost_per_place",
                    "research_share lag_months"},
    EventTypeSchema{EventType::tax_regime, "region tax_rate years", ""},
    EventTypeSchema{EventType::public_compute, "region gpus cost_per_gpu", "kind"},
    EventTypeSchema{EventType::visa_policy, "region visa_friction", ""},
    EventTypeSchema{EventType::non_compete, "region months", ""},
    EventTypeSchema{EventType::funding_shock, "factor", "region kind"},
};

const EventTypeSchema& event_schema(EventType type);
// Every key an event of this type takes, in the order to_yaml writes them: type, name, start,
// end (if it has one), the required keys, the keys of the groups, the optional keys.
std::vector<std::string> event_keys(EventType type);
bool takes_key(EventType type, std::string_view key);
// Every key some event type takes (for unknown keys when the type is not known).
std::vector<std::string> all_event_keys();
const EventField* event_field(std::string_view key);
// Whether `key` is set in `e` (type, name and start always are).
bool event_has(const EventConfig& e, std::string_view key);
// A group "top_k|top_share" as its keys.
std::vector<std::string> split_keys(std::string_view keys, char separator = ' ');
// "offensive-3": the name of the third event of a list when it has no `name`.
std::string default_event_name(std::string_view type, std::size_t index);
// "an offensive event", "a tax_regime event".
std::string event_noun(EventType type);
// Why an event of `type` cannot have `key`, listing the keys it takes.
std::string not_taken_message(EventType type, std::string_view key);

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
inline constexpr std::array<std::string_view, 8> kTableNames = {
    "regions", "kinds", "orgs", "flows", "moves", "origins", "market", "events"};
inline constexpr std::array<std::string_view, 3> kDistributionNames = {"uniform", "normal",
                                                                       "lognormal"};

// The top-level lists whose items are named, and the key that names them: `extends:` merges
// them item by item and `--set` addresses their items by that name.
struct NamedList {
  std::string_view section;
  std::string_view key;
  std::string_view noun;
};
// Events without a `name` are named after their type and position (default_event_name).
inline constexpr std::array<NamedList, 5> kNamedLists = {
    NamedList{"regions", "id", "region"},
    NamedList{"personas", "name", "persona"},
    NamedList{"organisations", "name", "organisation"},
    NamedList{"talents", "origin", "talent stock"},
    NamedList{"events", "name", "event"},
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

// Reading numbers the way every YAML file of mercato reads them (scenarios, experiment files).
// A finite number, or nullopt after adding "expected a number" / "expected a finite number" at
// the node to `diagnostics`.
std::optional<double> read_number(const SourceNode& node, const std::string& path,
                                  Diagnostics& diagnostics);
// Whether `x`, read from `node`, is a whole number in `range`; if not, adds "expected an
// integer ..." to `diagnostics`.
bool is_whole_in(const SourceNode& node, const std::string& path, double x, const Range& range,
                 Diagnostics& diagnostics);

}  // namespace mercato::scenario::detail
