// A validated scenario: plain data, no YAML. `scenario::load` produces it from a file,
// `scenario::build_world` turns it into a World. Tests may fill one by hand.
// Every field is documented (meaning, unit, default, range) in docs/scenarios.md.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "mercato/core/distribution.hpp"
#include "mercato/core/types.hpp"

namespace mercato {

struct RegionConfig {
  std::string id;                       // short id used everywhere (US, CN, FR, EU-other, ...)
  std::string name;                     // display name
  double cost_of_living = 1.0;          // US = 1
  double tax_rate = 0.35;               // effective rate at top incomes, [0, 1)
  double visa_friction = 0.5;           // utility cost for a non-native moving in, >= 0
  double graduates_research = 0.0;      // new research graduates per year (before `scale`)
  double graduates_engineering = 0.0;   // new engineering graduates per year (before `scale`)
  double graduate_growth = 0.0;         // growth of graduates per year (0.05 = +5%/yr)
  double graduate_ability_mu = 0.0;     // lognormal mu of graduates' ability
  double graduate_ability_sigma = 0.5;  // lognormal sigma of graduates' ability, > 0
  double graduate_wage = 100000.0;      // USD/yr: graduates' reservation wage
  double training_boost = 0.0;          // extra ability growth per year of talents working here
  // Shares of this region's graduates who do their graduate study in another region (by region
  // id) and enter the market there; they keep this region as their origin. The rest enter here.
  std::map<std::string, double> study_abroad;
  // How strongly going abroad for graduate study selects on ability: the correlation in [0, 1]
  // between a graduate's log-ability and the propensity to go (0: the same distribution as those
  // who stay; 1: the best go). The region's graduates as a whole keep their distribution.
  double study_abroad_selection = 0.0;
  // Months an unemployed talent from another region may stay here looking for a job before
  // returning to their origin region (a visa's grace period); 0: no limit.
  double foreign_idle_months = 0.0;
  // Months that research graduates who do their graduate study here spend as doctoral students
  // before they enter the market (rounded to whole months); 0: no doctoral stage, they enter at
  // once. Students are off the market; the calibration measures count them by ability.
  double doctoral_months = 0.0;
  bool operator==(const RegionConfig&) const = default;
};

// A named group of regions, used only for reporting (e.g. EU = [FR, EU-other]).
struct GroupConfig {
  std::string id;
  std::vector<std::string> regions;
  bool operator==(const GroupConfig&) const = default;
};

// A mixture component of talents' preferences (MODEL.md, Talents).
struct PersonaConfig {
  std::string name;
  double share = 1.0;  // weight in the mixture (normalised over personas)
  Distribution w_money = Distribution::constant(1.0);
  Distribution w_mission = Distribution::constant(0.5);
  Distribution w_open = Distribution::constant(0.2);
  Distribution w_compute = Distribution::constant(0.1);
  Distribution home_bias = Distribution::constant(0.3);
  bool operator==(const PersonaConfig&) const = default;
};

// One organisation (count == 1, typically named) or a pool of `count` organisations whose
// fields are drawn from distributions. Fields left unset take the kind's defaults
// (`model.kinds.<kind>`), then the built-in defaults below.
struct OrgConfig {
  std::string name;  // a named organisation's name, or the pool's name (members: name#1..)
  OrgKind kind = OrgKind::startup;
  std::string region;  // region id
  // Region id of the group it belongs to, when that is headquartered elsewhere (Google
  // DeepMind in London belongs to Alphabet, US); empty: `region`. Used by measures that count
  // by headquarters, as MacroPolo's work shares do (docs/calibration.md), not by the model.
  std::string headquarters;
  int count = 1;  // > 1 makes a pool; `scale` multiplies pool counts (at least 1 kept)
  bool is_pool = false;

  Distribution compute = Distribution::constant(100.0);       // GPU-equivalents
  Distribution compute_growth = Distribution::constant(0.3);  // per year
  // Either ai_value (USD/yr of AI output at start; then P = 1 and A is derived), or tfp & price.
  std::optional<Distribution> ai_value;
  std::optional<Distribution> tfp;
  std::optional<Distribution> price;
  Distribution mission = Distribution::constant(0.3);   // [0, 1]
  Distribution openness = Distribution::constant(0.3);  // [0, 1]
  // USD/yr; when unset, the initial payroll times (1 + model.budget_headroom).
  std::optional<Distribution> payroll_budget;
  Distribution budget_growth = Distribution::constant(0.1);      // per year
  Distribution target_research = Distribution::constant(10);     // headcount (before `scale`)
  Distribution target_engineering = Distribution::constant(10);  // headcount (before `scale`)
  Distribution headcount_growth = Distribution::constant(0.05);  // per year
  Distribution value_share = Distribution::constant(0.4);  // share of marginal value paid, (0,1]
  Distribution max_offer = Distribution::constant(1e7);    // USD/yr cap on an offer
  Distribution min_offer = Distribution::constant(0);      // USD/yr floor on a hire's package
  Distribution counter_probability = Distribution::constant(0.5);  // [0, 1]
  Distribution counter_share = Distribution::constant(0.8);    // share of own WTP it counters up to
  Distribution buyout_ratio = Distribution::constant(0.5);     // [0, 1]
  Distribution equity_share = Distribution::constant(0.2);     // [0, 1]
  Distribution poach_intensity = Distribution::constant(2.0);  // headhunting draws per vacancy
  Distribution search_reach = Distribution::constant(0.2);     // weight of other regions, [0, 1]
  bool operator==(const OrgConfig&) const = default;
};

// Per-kind parameters (MODEL.md: g_kind, raises). In YAML, `model.kinds.<kind>` may also give
// defaults for any organisation field; the loader applies them, so OrgConfig arrives resolved.
struct KindConfig {
  double ability_growth = 0.02;  // g_kind: ability growth per year at one GPU per head
  double annual_raise = 0.03;    // raise on each work anniversary
  bool operator==(const KindConfig&) const = default;
};

struct ModelConfig {
  // Production (MODEL.md, Production).
  double alpha = 0.4;
  double beta_research = 0.3;
  double beta_engineering = 0.2;
  double rho = 1.5;
  double research_floor = 1.0;     // r0
  double engineering_floor = 1.0;  // e0
  // Utility (MODEL.md, Utility).
  double sigma_taste = 0.15;  // Gumbel scale of eps_io
  double move_cost = 0.1;
  double vesting_years = 4.0;  // H
  // Search (MODEL.md, One month: search).
  int applications = 3;
  double seek_rate = 0.02;                  // monthly share of the employed searching
  double seek_multiplier_vested = 2.0;      // after full vesting
  double seek_multiplier_shrinking = 3.0;   // when the employer is above target
  double abroad_application_weight = 0.15;  // region weight of another region in applications
  double visibility_exponent = 1.0;         // headhunting draws talents in proportion to a^this
  double compute_exponent = 0.1;            // phi in the ability-growth law
  // Lifecycle.
  double exit_rate = 0.03;         // leaving AI, per year
  double retirement_years = 35.0;  // experience from which retirement hazard applies
  double retirement_rate = 0.15;   // per year, beyond retirement_years
  int max_idle_months = 12;        // unemployed longer than this leave
  double move_raise_floor = 0.05;  // a mover gets at least (1 + this) x current wage
  double budget_headroom = 0.15;   // default payroll budget over initial payroll
  // Tiers from percentiles of the initial population.
  double elite_share = 0.02;
  double top_share = 0.20;
  // Initial state (docs/model.md, Initial state).
  int warmup_months = 24;
  double placement_noise = 0.5;         // lognormal noise on ability in the assortative assignment
  double initial_wage_share = 0.6;      // initial wage as a share of value_share x marginal value
  std::map<OrgKind, KindConfig> kinds;  // every kind present after loading
  bool operator==(const ModelConfig&) const = default;
};

// The initial stock of talents trained in one origin region.
struct TalentStockConfig {
  std::string origin;  // region id
  double count = 0;    // before `scale`
  double research_share = 0.5;
  std::optional<double> ability_mu;     // default: the origin's graduate_ability_mu
  std::optional<double> ability_sigma;  // default: the origin's graduate_ability_sigma
  Distribution experience_years = Distribution::uniform(0, 20);
  double employed_share = 0.95;
  // Where they work at the start, shares by region id (normalised); default {origin: 1}.
  std::map<std::string, double> work;
  bool operator==(const TalentStockConfig&) const = default;
};

// One scheduled event (MODEL.md, Events and policies). Which keys each type takes, which are
// required, their ranges and defaults are in src/scenario/schema.hpp (kEventTypes) and
// docs/scenarios.md ("events"); a key a type does not take is an error, so a set field here is
// always one its type uses. In YAML `start` and `end` are months (`2025-07`) or month counts
// from the scenario start.
struct EventConfig {
  EventType type = EventType::offensive;
  std::string name;              // label in outputs; default "<type>-<position in the list>"
  int start_month = 0;           // months from the scenario start (0 = the start month)
  std::optional<int> end_month;  // inclusive; absent = until the end of the run

  std::string org;                   // the acting organisation (a named one)
  std::vector<std::string> targets;  // offensive: organisations or pools raided; alliance: partners
  std::string region;                // the region of a regional policy (filter for funding_shock)
  std::optional<OrgKind> kind;       // public_compute, funding_shock: which kind of organisation
  std::optional<Role> role;          // offensive, retention_grant: only this role

  // offensive
  std::optional<double> top_k;         // how many talents are targeted (integer)
  std::optional<double> max_offer;     // USD/yr; default: the organisation's max_offer
  std::optional<double> budget;        // USD of package value the offensive may commit
  std::optional<double> value_share;   // default: the organisation's value_share
  std::optional<double> buyout_ratio;  // default: the organisation's buyout_ratio
  std::optional<bool> immediate_vesting;
  // retention_grant (top_k or top_share; amount or wage_multiple)
  std::optional<double> top_share;
  std::optional<double> amount;         // USD of unvested equity per grantee
  std::optional<double> wage_multiple;  // grant = this x the grantee's wage
  std::optional<double> vest_months;    // the grant vests over this many months (integer)
  // mission_shift
  std::optional<double> mission, openness;
  // compute_change, alliance, public_compute, funding_shock
  std::optional<double> factor;        // compute_change: compute x factor; funding_shock: budgets
  std::optional<double> growth;        // compute_change: compute_growth while the event lasts
  std::optional<double> share;         // alliance: share of each member's compute pooled
  std::optional<double> gpus;          // public_compute: GPU-equivalents given
  std::optional<double> cost_per_gpu;  // USD per GPU-equivalent per year
  // training_program
  std::optional<double> graduates_per_year, research_share, lag_months, cost_per_place;
  // tax_regime
  std::optional<double> tax_rate;  // the inbound rate
  std::optional<double> years;     // how long each beneficiary keeps it
  // visa_policy, non_compete
  std::optional<double> visa_friction;
  std::optional<double> months;  // non_compete: months an employee leaving must wait (integer)
  bool operator==(const EventConfig&) const = default;
};

enum class MoveLog : std::uint8_t { none, elite, top, all };

struct OutputsConfig {
  MoveLog moves = MoveLog::top;   // which moves go to moves.csv
  int origins_every_months = 12;  // origins.csv cadence (the last month is always written)
  std::vector<std::string> tables = {"regions", "kinds",   "orgs",   "flows",
                                     "moves",   "origins", "market", "events"};
  bool operator==(const OutputsConfig&) const = default;
};

struct Config {
  int schema_version = 1;  // `mercato:` key
  std::string name;
  std::string description;
  std::string source_file;  // the file it was loaded from (empty when built in code)
  YearMonth start{2025, 1};
  int months = 120;
  std::uint64_t seed = 1;
  double scale = 1.0;  // multiplies every population
  ModelConfig model;
  std::vector<RegionConfig> regions;
  std::vector<GroupConfig> groups;
  std::vector<PersonaConfig> personas;
  std::vector<OrgConfig> organisations;
  std::vector<TalentStockConfig> talents;
  std::vector<EventConfig> events;
  OutputsConfig outputs;
  bool operator==(const Config&) const = default;
};

}  // namespace mercato
