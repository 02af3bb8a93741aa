// The World: talents, organisations and regions as structure-of-arrays (MODEL.md fixes the
// fields, so columns are typed at compile time). Ids are indices. Per-organisation power sums,
// headcounts and payroll are maintained incrementally by the phases that change them;
// `recompute_aggregates` rebuilds them from the arrays (invariant checks, yearly resync).
#pragma once

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <limits>
#include <map>
#include <string>
#include <vector>

#include "mercato/core/distribution.hpp"
#include "mercato/core/types.hpp"

namespace mercato {

// Removes the rows listed in `gone` (increasing, not empty) from a column by moving the runs
// between them down: a few block copies instead of a test per row. Talents::compact applies it
// to every talent column; a phase applies it to its own per-talent scratch the same way.
template <class Column>
void remove_rows(Column& c, const std::vector<std::size_t>& gone) {
  std::size_t out = gone.front();
  for (std::size_t g = 0; g < gone.size(); ++g) {
    const std::size_t from = gone[g] + 1;
    const std::size_t to = g + 1 < gone.size() ? gone[g + 1] : c.size();
    std::copy(c.begin() + static_cast<std::ptrdiff_t>(from),
              c.begin() + static_cast<std::ptrdiff_t>(to),
              c.begin() + static_cast<std::ptrdiff_t>(out));
    out += to - from;
  }
  c.resize(out);
}

struct Preferences {
  float w_money, w_mission, w_open, w_compute, home_bias;
};
inline constexpr std::size_t kPreferenceFields = 5;
// Preferences' fields by number, in the order above (checkpoints and Python use that order).
inline constexpr std::array<float Preferences::*, kPreferenceFields> kPreferenceField = {
    &Preferences::w_money, &Preferences::w_mission, &Preferences::w_open, &Preferences::w_compute,
    &Preferences::home_bias};
// The stored value of field f drawn (or given) as x: a float, and w_money kept >= 0.05 so that
// money always matters a little (indifference money is finite); the others may be any sign.
inline float preference_value(std::size_t f, double x) {
  return static_cast<float>(f == 0 ? std::max(0.05, x) : x);
}

// One column per talent field: 29 bytes a talent, plus 4 for each preference a persona draws.
struct Talents {
  std::vector<std::uint32_t> uid;  // persistent id (outputs, RNG keys); index may change
  std::vector<float> ability;      // a > 0
  std::vector<Role> role;
  std::vector<RegionId> origin;           // where trained
  std::vector<RegionId> region;           // where working (or last worked)
  std::vector<OrgId> employer;            // kNoEmployer when unemployed
  std::vector<std::uint16_t> experience;  // months
  std::vector<std::uint16_t> tenure;      // months with the current employer, or months idle
  std::vector<float> wage;                // USD/yr (0 when unemployed)
  std::vector<float> unvested;            // USD not yet vested
  std::vector<std::uint8_t> vest_left;    // months until the grant is fully vested
  std::vector<std::uint8_t> persona;
  // Preferences. A field that every persona gives as a constant is the same for all of a
  // persona's talents, so it is kept once per persona (persona_prefs, by persona); a field that
  // some persona draws at random has a column in drawn_prefs, the other columns stay empty.
  // world-2025's personas draw only w_mission: 4 bytes a talent instead of 20. Until
  // set_preference_layout, every field is drawn (a column each, persona_prefs unused).
  std::vector<Preferences> persona_prefs;
  std::array<std::vector<float>, kPreferenceFields> drawn_prefs;
  std::array<bool, kPreferenceFields> pref_drawn = {true, true, true, true, true};

  // Fixes which fields are drawn and, for each persona, the value of the others. Existing rows
  // keep no preferences: set them again with set_prefs.
  void set_preference_layout(std::vector<Preferences> per_persona,
                             std::array<bool, kPreferenceFields> drawn);
  Preferences prefs(std::size_t i) const {
    Preferences p = persona_prefs.empty() ? Preferences{} : persona_prefs[persona[i]];
    for (std::size_t f = 0; f < kPreferenceFields; ++f)
      if (pref_drawn[f]) p.*kPreferenceField[f] = drawn_prefs[f][i];
    return p;
  }
  // Whether p's fields that are not drawn are row i's persona's.
  bool keeps_persona_constants(std::size_t i, const Preferences& p) const;
  // Stores row i's drawn fields; the others must be its persona's (checked in invariant builds).
  void set_prefs(std::size_t i, const Preferences& p);

  std::size_t size() const { return uid.size(); }
  void resize(std::size_t n);
  void reserve(std::size_t n);
  // Removes the rows listed in `gone` (increasing), preserving order (deterministic compaction);
  // the columns are compacted side by side on up to `threads` threads.
  void compact(const std::vector<std::size_t>& gone, int threads = 1);
  bool employed(std::size_t i) const { return employer[i].valid(); }
};

// One column per organisation field (static parameters) and aggregate (state).
struct Orgs {
  std::vector<std::string> name;  // side table
  std::vector<OrgKind> kind;
  std::vector<RegionId> region;
  std::vector<std::uint8_t> named;  // 1 for a named organisation, 0 for a pool member
  std::vector<std::uint16_t> pool;  // index of the OrgConfig it came from

  // Parameters (MODEL.md, Organisations), monthly-updated where the model says so.
  std::vector<double> compute, compute_growth;  // GPU-equivalents; per year
  // Compute received (or, for a large alliance member, lent: < 0) through events this month
  // (alliance, public_compute); production and the compute term of utility use compute + this.
  std::vector<double> compute_extra;
  std::vector<double> tfp, price;  // A, P
  std::vector<float> mission, openness;
  std::vector<double> payroll_budget, budget_growth;
  std::vector<std::array<double, kRoleCount>> target;  // target headcount per role
  std::vector<double> headcount_growth;
  std::vector<float> value_share, max_offer, min_offer, counter_probability, counter_share;
  std::vector<float> buyout_ratio, equity_share, poach_intensity, search_reach;

  // Aggregates, maintained incrementally (checked against the arrays in invariant builds).
  std::vector<std::array<double, kRoleCount>> power_sum;  // sum of a^rho per role
  std::vector<std::array<std::int32_t, kRoleCount>> headcount;
  std::vector<double> payroll;  // sum of wages, USD/yr

  std::size_t size() const { return name.size(); }
  void resize(std::size_t n);
  int total_headcount(std::size_t o) const { return headcount[o][0] + headcount[o][1]; }
  // max(0, round(target) - headcount) in role r.
  int vacancies(std::size_t o, Role r) const {
    const int k = static_cast<int>(r);
    const int target_k = static_cast<int>(std::floor(target[o][k] + 0.5));
    return std::max(0, target_k - headcount[o][k]);
  }
  double cash_left(std::size_t o) const { return payroll_budget[o] - payroll[o]; }
  double effective_compute(std::size_t o) const { return compute[o] + compute_extra[o]; }
};

// Graduates of one region who do their graduate study in another and enter the market there
// (MODEL.md, One month, entry). `carry` holds their fractional count per role (deterministic
// entry, like World::graduate_carry).
struct StudyFlow {
  RegionId to;
  double share = 0;
  std::array<double, kRoleCount> carry{};
};

struct Region {
  std::string id, name;
  double cost_of_living, tax_rate, visa_friction;
  double graduates_per_year[kRoleCount];
  double graduate_growth, graduate_ability_mu, graduate_ability_sigma, graduate_wage;
  double training_boost;
  std::vector<StudyFlow> study_abroad;  // by destination index; the rest enter at home
  double study_abroad_selection = 0;    // correlation of log-ability and going abroad, [0, 1]
  double foreign_idle_months = 0;       // unemployed from elsewhere go home after this; 0: never
  int doctoral_months = 0;  // research graduates who study here spend this in a doctorate first
  // Set by events while they are active (MODEL.md, Events): the tax rate of talents moving in
  // under a tax regime (NaN: no regime), and the months of a non-compete (0: none), with the
  // timeline index of the event responsible (-1: none).
  double inbound_tax_rate = std::numeric_limits<double>::quiet_NaN();
  double inbound_tax_years = 0;
  int non_compete_months = 0;
  int tax_event = -1, non_compete_event = -1;
  double kappa() const { return (1.0 - tax_rate) / cost_of_living; }
  double kappa_at(double rate) const { return (1.0 - rate) / cost_of_living; }
};

// A cohort of doctoral students (docs/model.md, "Doctoral stage"): the research graduates of one
// region of training who enrolled in one month at the universities of one region of study. They
// are off the market (no search, no offers, no pay, no exits) until `months_left` runs out; they
// then enter the market there as new PhDs. Members differ only by their enrolment serials
// (first_serial + j), which key their ability draws, so a cohort is one record and a member's
// ability is drawn again when it is needed (doctoral_ability): no memory per student. They are
// not talents of the market (World::talents) and get a uid when they enter it.
struct DoctoralCohort {
  RegionId origin;  // where trained (the first degree)
  RegionId region;  // where they study, and will enter the market
  std::uint16_t months_left = 0;
  std::int32_t month = 0;  // the RNG month key of their enrolment
  std::uint32_t first_serial = 0, count = 0;
  // The origin's graduate ability and study-abroad selection when they enrolled.
  double mu = 0, sigma = 0, selection = 0, abroad = 0;
  bool operator==(const DoctoralCohort&) const = default;
};

// A named set of regions, for reporting only (e.g. EU = FR + EU-other).
struct RegionGroup {
  std::string id;
  std::vector<RegionId> regions;
};

// A mixture component of preferences (MODEL.md, Talents: personas).
struct Persona {
  std::string name;
  double share = 1.0;
  Distribution w_money, w_mission, w_open, w_compute, home_bias;
};

// The persona's five distributions in Preferences' field order.
inline std::array<const Distribution*, kPreferenceFields> preference_distributions(
    const Persona& p) {
  return {&p.w_money, &p.w_mission, &p.w_open, &p.w_compute, &p.home_bias};
}

// Global parameters the phases need each month (a copy of ModelConfig's numbers, so the
// core does not depend on the scenario layer).
struct Params {
  double alpha, beta[kRoleCount], rho, floor_pow[kRoleCount];  // floor_pow = r0^rho, e0^rho
  double sigma_taste, move_cost, vesting_years;
  int applications;
  double seek_rate, seek_multiplier_vested, seek_multiplier_shrinking;
  double abroad_application_weight, visibility_exponent, compute_exponent;
  double exit_rate, retirement_years, retirement_rate;
  int max_idle_months;
  double move_raise_floor;
  double ability_growth[kOrgKindCount], annual_raise[kOrgKindCount];
};

// Entitlements that events give to individual talents, keyed by uid (which never changes;
// talents are stored in increasing uid order). Sparse: only beneficiaries have an entry.
struct TaxBenefit {
  int event = -1;
  RegionId region;
  double rate = 0;  // the tax rate paid while working in `region`
  int until = 0;    // month index at which it ends
};
struct RetentionGrant {
  int event = -1;
  OrgId org;
  double amount = 0;  // USD granted
  int month = 0;      // month index of the award
  int vest_months = 24;
  // The part not yet vested at month m (linear vesting).
  double remaining(int m) const {
    const double left = 1.0 - static_cast<double>(m - month) / vest_months;
    return left > 0 ? amount * left : 0.0;
  }
};
struct PolicyState {
  std::map<std::uint32_t, TaxBenefit> tax_benefits;
  std::map<std::uint32_t, RetentionGrant> grants;
  std::map<std::uint32_t, int> program_graduates;  // uid -> training_program event
  std::vector<double> program_carry;               // per event x role: fractional graduates
};

struct World {
  Talents talents;
  Orgs orgs;
  std::vector<Region> regions;
  std::vector<RegionGroup> groups;
  std::vector<Persona> personas;
  Params params{};
  std::uint64_t seed = 1;
  std::uint64_t replicate = 0;
  float elite_threshold = 0, top_threshold = 0;  // ability cut-offs fixed at build
  std::uint32_t next_uid = 0;
  std::vector<DoctoralCohort> doctorates;  // in enrolment order
  std::uint32_t next_student = 0;          // enrolment serial: the RNG key of a student's draws
  double scale = 1.0;
  // Fractional graduates carried to the next month, per region x role (deterministic entry).
  std::vector<std::array<double, kRoleCount>> graduate_carry;
  PolicyState policy;

  Tier tier_of(float ability) const {
    return ability >= elite_threshold ? Tier::elite
                                      : (ability >= top_threshold ? Tier::top : Tier::rest);
  }
  std::size_t region_count() const { return regions.size(); }
  std::size_t doctoral_students() const {
    std::size_t n = 0;
    for (const DoctoralCohort& c : doctorates) n += c.count;
    return n;
  }
};

// The ability of member j (< c.count) of a doctoral cohort: drawn from its origin's graduate
// distribution with its selection for study abroad, keyed by its serial (src/model/entry.cpp).
float doctoral_ability(const World& w, const DoctoralCohort& c, std::uint32_t j);

// Rebuilds power sums, headcounts and payroll from the talent arrays.
void recompute_aggregates(World& world);

// Lays out world.talents' preferences from world.personas (Talents::set_preference_layout): a
// field is drawn when some persona gives it a distribution; the others are each persona's
// constant; without personas every field stays drawn.
void lay_out_preferences(World& world);

}  // namespace mercato
