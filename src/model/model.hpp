// The model's phases (MODEL.md, "One month"), each a free function over the World and the
// month's scratch state. Knows nothing of files, YAML or thread pools (OpenMP pragmas only).
#pragma once

#include <array>
#include <cmath>
#include <cstdint>
#include <limits>
#include <vector>

#include "core/default_init.hpp"
#include "core/rng.hpp"
#include "mercato/core/world.hpp"
#include "mercato/engine/metrics.hpp"

namespace mercato {

// A talent x organisation pair produced by search (indices into the World's arrays).
struct Candidate {
  std::uint32_t talent;
  std::uint32_t org;
  auto operator<=>(const Candidate&) const = default;
};

// An offer: the most the organisation will spend per year on the talent (MODEL.md, offers).
// 16 bytes; which offers come from an offensive is in MonthState::offer_offensives.
struct Offer {
  std::uint32_t talent;
  std::uint32_t org;
  double wtp;  // with the month-start cash; clearing caps it by the cash still left
};

// What clearing decided for one talent; applied by apply_moves.
struct Decision {
  enum class Kind : std::uint8_t { move, counter };
  Kind kind = Kind::move;
  std::uint32_t talent = 0;
  OrgId to;                     // the winner (for a counter: the incumbent)
  double wage = 0;              // new annual wage
  double bonus = 0;             // signing bonus
  std::int32_t offensive = -1;  // the offensive whose offer won (MonthState::offensives index)
};

// An active offensive this month (MODEL.md, Events: offensive), set by the event timeline.
// Its offers ignore the organisation's vacancies and payroll budget: the offensive's own budget
// (USD of package value, 4 x wage + bonus) pays for them.
struct OffensiveTerms {
  int event = -1;  // timeline index
  std::uint32_t org = 0;
  int role = -1;  // -1: both roles
  int top_k = 0;
  double max_offer = 0, value_share = 0, buyout_ratio = 0;
  double budget_left = 0;  // USD of package value
  bool immediate_vesting = false;
  std::vector<std::uint8_t> raided;  // per organisation: 1 if its staff are targeted
};

// A training programme's graduates arriving this month (MODEL.md, Events: training_program).
struct ProgramIntake {
  int event = -1;
  RegionId region;
  double per_year = 0;  // before `scale`
  double research_share = 0.5;
};

// What the phases observed for each event this month (events.csv).
struct EventCounts {
  std::int64_t offers = 0, accepted = 0, departures_avoided = 0, trained = 0, attracted = 0;
  double package_value = 0;
};

// Scratch state of one month, reused across months to avoid allocations.
struct MonthState {
  int month = 0;       // month index: < 0 during warm-up, 0 = the scenario's start
  bool growth = true;  // false during warm-up: compute, budgets, targets, graduates frozen
  int threads = 1;
  Rng rng{1, 0};

  // Each talent's seek draw (TalentDraws::seek), kept by run_lifecycle in the talents' order
  // after its exits, so that search reads it instead of drawing the block again; released by
  // search. Empty when lifecycle has not run this month (search then draws the same block).
  FilledLater<std::uint32_t> seek_draws;
  std::size_t seekers = 0;                // talents actively searching this month
  std::vector<Candidate> candidates;      // sorted, unique; released by make_offers
  std::size_t candidates_found = 0;       // candidates.size() before the release
  std::vector<Candidate> targeted;        // offensives' targets, sorted; see targeted_by
  std::vector<std::int32_t> targeted_by;  // the offensive of each `targeted` pair
  FilledLater<Offer> offers;              // sorted by (talent, org); released once cleared
  std::size_t offers_made = 0;            // offers.size() before the release
  // Per offer, the offensive that made it (index into `offensives`) or -1; empty when no
  // offensive made an offer this month (the usual case), so ordinary offers carry nothing.
  std::vector<std::int32_t> offer_offensives;
  std::vector<Decision> decisions;  // in clearing order
  std::vector<MoveRecord> moves;    // filled by apply_moves

  // Month counters (metrics).
  std::int64_t entries = 0, exits = 0, counters_won = 0, offers_to_employed = 0;
  std::int64_t returned_home = 0;  // unemployed foreigners sent home by a grace period
  std::vector<std::int32_t> hires, departures, counters;  // per organisation
  // P * Y per organisation with the month's start teams, computed once by make_offers and used
  // by clearing: marginal values within a month are valued on those teams (see clearing.cpp).
  std::vector<double> output;
  // ln(1 + compute per head) per organisation with the month's start teams, the compute term of
  // utility (MODEL.md, Utility), computed with `output` and used by clearing's utilities.
  std::vector<double> compute_term;

  // Set by the event timeline before the phases run (empty when no event is active).
  std::vector<OffensiveTerms> offensives;
  std::vector<ProgramIntake> programs;
  std::vector<EventCounts> event_counts;  // per timeline event

  void reset(std::size_t org_count);
  // Frees the offers, which no later phase reads, so that the month's other scratch can reuse
  // their memory (a lower peak). make_offers frees the candidates.
  void release_cleared();
  std::int32_t offensive_of(std::size_t offer) const {
    return offer_offensives.empty() ? -1 : offer_offensives[offer];
  }
};

// A talent's draws of the month (decision 021): one Philox block keyed by (Stream::exit, month,
// uid). Words 0 and 1 are the exit draw (lifecycle), word 2 the seek draw (search, an employed
// talent seeks when Rng::to_unit(seek) < its seek rate). Distinct words of one block are
// independent, so the two decisions are as independent as two blocks were.
struct TalentDraws {
  double exit;         // uniform in (0, 1), 53 bits
  std::uint32_t seek;  // one 32-bit word
};
inline TalentDraws talent_draws(const Rng& rng, int month, std::uint32_t uid) {
  const auto b = rng.bits(Stream::exit, month, uid, 0);
  return {Rng::to_unit53(b[0], b[1]), b[2]};
}

// Talents are processed in fixed chunks, whatever the thread count, so that per-chunk
// results merged in chunk order are bit-identical for any number of threads.
inline constexpr std::size_t kChunk = 8192;

// The number of elements in per-chunk results, to reserve their concatenation exactly.
template <class T>
std::size_t total_size(const std::vector<std::vector<T>>& chunks) {
  std::size_t n = 0;
  for (const auto& chunk : chunks) n += chunk.size();
  return n;
}

// --- production and valuation (MODEL.md, Production) ---
// Annual value of o's output, P * Y.
double output_value(const World& w, std::size_t o);
// P * (Y(with i) - Y(without i)) for a talent of ability a and role r joining o: O(1).
// `output` is o's P * Y when the caller has it (MonthState::output), else it is computed.
double marginal_value_hire(const World& w, std::size_t o, Role r, double ability,
                           double output = -1.0);
// A talent's power a^rho, what it adds to its role's power sum.
double power_of(const World& w, double ability);
// marginal_value_hire with the talent's power given (a talent's offers share it).
double marginal_value_of_power(const World& w, std::size_t o, Role r, double power,
                               double output = -1.0);
// The same for a current member leaving o.
double marginal_value_member(const World& w, std::size_t o, Role r, double ability,
                             double output = -1.0);
// What an ordinary offer reads of its organisation, in one record: make_offers fills one per
// organisation each month, so that a candidate pair reads one cache line instead of nine
// columns at random (decision 031).
// 40 bytes (max_offer and min_offer stay in their columns: small, read at random from cache).
struct OfferTerms {
  double output = 0;  // P * Y with the month-start team (MonthState::output)
  double value_share = 0;
  // floor^rho + the power sum, per role; NaN when the organisation makes no offer in the role
  // (no vacancy in it, or no cash left).
  std::array<double, kRoleCount> base{};
  double cash = 0;  // cash_left at the month's start
  bool offers(Role r) const { return !std::isnan(base[static_cast<int>(r)]); }
};
static_assert(sizeof(OfferTerms) == 40);
OfferTerms offer_terms(const World& w, std::size_t o, double output);
// min(value_share * MV, max_offer, cash): the most an organisation (its terms) spends per year
// on a new hire whose power a^rho is `power` (power_of); 0 (no offer) when that is below its
// min_offer. The same arithmetic as marginal_value_of_power.
double willingness_to_pay(const Params& p, const OfferTerms& terms, double max_offer,
                          double min_offer, Role r, double power);
// The same for an offensive's offer: min(terms.value_share * MV, terms.max_offer, cash), where
// cash is the offensive's remaining budget as annual spend.
struct OffensiveTerms;
double offensive_willingness_to_pay(const World& w, const OffensiveTerms& terms, Role r,
                                    double ability, double cash, double output);
// Fills m.output with every organisation's P * Y and m.compute_term with its compute term.
void value_outputs(const World& w, MonthState& m);

// --- utility (MODEL.md, Utility) ---
// ln(1 + compute per head) at o, which w_compute weighs.
double compute_term(const World& w, std::size_t o);
// Everything in U_io except the money term: mission, openness, compute, home, visa, move cost
// and the Gumbel taste shock keyed by (seed, month, talent, organisation).
double non_money_utility(const World& w, const MonthState& m, std::size_t i, std::size_t o);
// Utility of staying unemployed in the talent's region at its reservation wage.
double reservation_utility(const World& w, const MonthState& m, std::size_t i);
double reservation_wage(const World& w, std::size_t i);
// Net purchasing power of a wage at o for talent i: (1 - tax) / cost of living, where the tax
// is an inbound tax regime's rate for a talent moving into o's region, or for a beneficiary
// already working there (MODEL.md, Events: tax_regime), else the region's rate.
double kappa_for(const World& w, std::size_t i, std::size_t o);
// w_money * ln(kappa * money) + non_money (money <= 0 is worth -infinity).
double utility(const World& w, std::size_t i, std::size_t o, double money, double non_money);
// The same with kappa given (an Offer carries it).
inline double utility_at(double kappa, double w_money, double money, double non_money) {
  if (money <= 0) return -std::numeric_limits<double>::infinity();
  return w_money * std::log(kappa * money) + non_money;
}
// The money-equivalent at o that gives utility u (closed form, since money enters as a log).
double indifference_money(const World& w, std::size_t i, std::size_t o, double u, double non_money);
// The same with kappa given.
inline double indifference_money_at(double kappa, double w_money, double u, double non_money) {
  return std::exp((u - non_money) / w_money) / kappa;
}

// --- the phases, in MODEL.md's order ---
void run_lifecycle(World& w, MonthState& m);
// Adds the offensives' targets (MonthState::offensives) as candidate pairs: the top_k talents
// by ability employed by the raided organisations. Part of search.
void target_offensives(const World& w, MonthState& m);
// A retention grant's recipients: org's top_k employees by ability (or, with top_k 0, its top
// top_share), of one role or both (-1).
std::vector<std::uint32_t> select_grantees(const World& w, std::size_t org, int role,
                                           std::size_t top_k, double top_share);
void admit_graduates(World& w, MonthState& m);
// At build: fills World::doctorates with the cohorts enrolled in the `doctoral_months` before
// the start (at the start's graduate numbers), so that new PhDs arrive from month one. `month`
// is the RNG month key of their draws (with World's seed and replicate).
void seed_doctorates(World& w, int month);
// An organisation's visibility to seekers (MODEL.md, search): headcount^0.5 x (1 + mission).
// A named organisation at `scale` s is the real firm with its team shrunk by s, so it is seen as
// s of the real firm: s x (headcount / s + 1)^0.5 x (1 + mission). A pool member keeps its size
// at every scale (the pool has s of its members), so a region's visibility is proportional to
// s and each organisation's share of it does not depend on s.
double visibility(const World& w, std::size_t o);
void search_candidates(World& w, MonthState& m);
// Offers from m.candidates, which it then releases (m.candidates_found keeps their count).
void make_offers(World& w, MonthState& m);
void clear_auctions(World& w, MonthState& m);
void apply_moves(World& w, MonthState& m);

// Recomputes every aggregate from the arrays and compares (MERCATO_CHECK_INVARIANTS builds
// call it each month). Throws InvariantViolation naming the first mismatch.
void check_invariants(const World& w);

}  // namespace mercato
