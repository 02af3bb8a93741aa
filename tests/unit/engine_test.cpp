// The whole monthly step on worlds built from Configs made in code: determinism across
// threads and repeats, invariants over many random small worlds, conservation of talents.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <random>
#include <vector>

#include "core/radix_sort.hpp"
#include "engine/engine.hpp"
#include "mercato/engine/simulation.hpp"
#include "mercato/scenario/config.hpp"
#include "mercato/scenario/scenario.hpp"
#include "model/model.hpp"

namespace mercato {
namespace {

// Two regions, a frontier lab, a big tech, a university and a pool of startups; `talents`
// initial talents per region. Parameters vary with `variant` for the property test.
Config small_config(std::uint64_t seed, int talents, int variant = 0) {
  Config c;
  c.name = "engine-test";
  c.seed = seed;
  c.months = 24;
  c.model.warmup_months = 6;
  for (int k = 0; k < kOrgKindCount; ++k) c.model.kinds[static_cast<OrgKind>(k)] = KindConfig{};
  c.model.sigma_taste = 0.1 + 0.05 * (variant % 3);
  c.model.seek_rate = 0.01 + 0.01 * (variant % 4);
  RegionConfig north{
      "N", "North", 1.0, 0.35, 0.4, 40.0 + variant, 40.0, 0.03, 0.0, 0.5, 1.2e5, 0, {},
  };
  RegionConfig south{"S",  "South", 0.6, 0.30, 0.6, 60.0, 30.0 + variant,
                     0.05, -0.1,    0.5, 4e4,  0,   {}};
  // Some of the South's graduates study in the North in odd variants (entry's study flows).
  // Those who go are selected on ability and the North sends foreigners home after 4 idle months.
  if (variant % 2 == 1) {
    south.study_abroad = {{"N", 0.3}};
    south.study_abroad_selection = 0.5;
    north.foreign_idle_months = 4;
  }
  c.regions = {north, south};
  c.groups = {{"All", {"N", "S"}}};
  PersonaConfig mercenary{"mercenary",
                          0.5,
                          Distribution::lognormal(1.5, 0.2),
                          Distribution::constant(0.1),
                          Distribution::constant(0.1),
                          Distribution::constant(0.1),
                          Distribution::constant(0.2)};
  PersonaConfig missionary{"missionary",
                           0.5,
                           Distribution::constant(0.7),
                           Distribution::uniform(0.5, 1.5),
                           Distribution::constant(0.3),
                           Distribution::constant(0.2),
                           Distribution::constant(0.5)};
  c.personas = {mercenary, missionary};
  OrgConfig lab;
  lab.name = "Lab";
  lab.kind = OrgKind::frontier_lab;
  lab.region = "N";
  lab.compute = Distribution::constant(5000);
  lab.ai_value = Distribution::constant(2e9);
  lab.target_research = lab.target_engineering = Distribution::constant(30);
  lab.mission = Distribution::constant(0.6);
  lab.max_offer = Distribution::constant(5e7);
  OrgConfig tech = lab;
  tech.name = "Tech";
  tech.kind = OrgKind::big_tech;
  tech.ai_value = Distribution::constant(3e9);
  tech.target_research = Distribution::constant(20);
  tech.target_engineering = Distribution::constant(60);
  tech.mission = Distribution::constant(0.2);
  OrgConfig uni = lab;
  uni.name = "Uni";
  uni.kind = OrgKind::university;
  uni.region = "S";
  uni.ai_value = Distribution::constant(5e7);
  uni.compute = Distribution::constant(50);
  uni.value_share = Distribution::constant(0.8);
  OrgConfig startups = lab;
  startups.name = "startups";
  startups.kind = OrgKind::startup;
  startups.region = "S";
  startups.is_pool = true;
  startups.count = 4 + variant % 3;
  startups.ai_value = Distribution::lognormal(5e7, 0.5);
  startups.target_research = startups.target_engineering = Distribution::uniform(3, 8);
  c.organisations = {lab, tech, uni, startups};
  TalentStockConfig n_stock{"N",          static_cast<double>(talents), 0.5,  std::nullopt,
                            std::nullopt, Distribution::uniform(0, 20), 0.95, {}};
  TalentStockConfig s_stock{
      "S",          static_cast<double>(talents), 0.5, std::nullopt,
      std::nullopt, Distribution::uniform(0, 20), 0.9, {{"S", 0.8}, {"N", 0.2}}};
  c.talents = {n_stock, s_stock};
  return c;
}

// One event of each kind that acts inside the month's phases, from month 2 on.
Config with_timeline(Config c) {
  auto event = [](EventType type, std::string name, int start) {
    EventConfig e;
    e.type = type;
    e.name = std::move(name);
    e.start_month = start;
    return e;
  };
  EventConfig raid = event(EventType::offensive, "raid", 2);
  raid.org = "Tech";
  raid.targets = {"Lab", "startups"};
  raid.top_k = 15;
  raid.budget = 5e8;
  raid.value_share = 1.0;
  raid.immediate_vesting = true;
  raid.end_month = 8;
  EventConfig grant = event(EventType::retention_grant, "grant", 3);
  grant.org = "Lab";
  grant.top_share = 0.3;
  grant.wage_multiple = 1.0;
  EventConfig tax = event(EventType::tax_regime, "tax", 2);
  tax.region = "S";
  tax.tax_rate = 0.1;
  tax.years = 1;
  EventConfig wait = event(EventType::non_compete, "wait", 4);
  wait.region = "N";
  wait.months = 12;
  EventConfig phd = event(EventType::training_program, "phd", 2);
  phd.region = "S";
  phd.graduates_per_year = 60;
  phd.cost_per_place = 1e5;
  phd.lag_months = 3;
  EventConfig gpus = event(EventType::public_compute, "gpus", 2);
  gpus.region = "S";
  gpus.gpus = 500;
  gpus.cost_per_gpu = 2e4;
  EventConfig pool = event(EventType::alliance, "pool", 5);
  pool.org = "Uni";
  pool.targets = {"Lab"};
  pool.share = 0.3;
  EventConfig boom = event(EventType::funding_shock, "boom", 6);
  boom.kind = OrgKind::startup;
  boom.factor = 1.5;
  boom.end_month = 12;
  c.events = {raid, grant, tax, wait, phd, gpus, pool, boom};
  return c;
}

Simulation simulation_of(const Config& c, int threads) {
  World w = scenario::build_world(c);
  std::vector<Event> events = scenario::build_events(c, w);
  return Simulation(std::move(w), scenario::simulation_options(c, threads), std::move(events));
}

// Everything a run produced, as bytes: the final talent columns and every month's moves.
std::string fingerprint(const Config& c, int threads) {
  Simulation sim = simulation_of(c, threads);
  std::string bytes;
  auto append = [&](const void* p, std::size_t n) { bytes.append(static_cast<const char*>(p), n); };
  while (!sim.done()) {
    const MonthMetrics& m = sim.step();
    for (const auto& mv : m.moves) {
      append(&mv.talent, sizeof mv.talent);
      append(&mv.to, sizeof mv.to);
      append(&mv.wage, sizeof mv.wage);
      append(&mv.bonus, sizeof mv.bonus);
    }
    for (const auto& e : m.events) {
      append(&e.cost, sizeof e.cost);
      append(&e.accepted, sizeof e.accepted);
      append(&e.departures_avoided, sizeof e.departures_avoided);
      append(&e.retained, sizeof e.retained);
    }
    append(&m.market.output, sizeof m.market.output);
    append(&m.market.payroll, sizeof m.market.payroll);
  }
  const auto& t = sim.world().talents;
  append(t.uid.data(), t.uid.size() * sizeof(t.uid[0]));
  append(t.ability.data(), t.ability.size() * sizeof(float));
  append(t.wage.data(), t.wage.size() * sizeof(float));
  append(t.unvested.data(), t.unvested.size() * sizeof(float));
  append(t.employer.data(), t.employer.size() * sizeof(OrgId));
  return bytes;
}

TEST(Determinism, SameSeedGivesTheSameBytesForOneAndTwoThreads) {
  // More talents than one chunk (8192), so two threads really split the work. Three and four
  // threads (more than this machine's cores) value clearing's batches on several threads
  // while the auctions run, and wait for each other.
  const Config c = small_config(42, 6000);
  const std::string one = fingerprint(c, 1);
  EXPECT_EQ(one, fingerprint(c, 1)) << "a repeated run differs";
  for (const int threads : {2, 3, 4})
    EXPECT_EQ(one, fingerprint(c, threads)) << threads << " threads differ from one";
}

TEST(Determinism, EventsGiveTheSameBytesForOneAndTwoThreads) {
  const Config c = with_timeline(small_config(43, 6000));
  const std::string one = fingerprint(c, 1);
  EXPECT_EQ(one, fingerprint(c, 2)) << "two threads differ from one";
  EXPECT_NE(one, fingerprint(small_config(43, 6000), 1)) << "the events changed nothing";
}

TEST(Determinism, ADifferentSeedGivesADifferentRun) {
  EXPECT_NE(fingerprint(small_config(1, 300), 1), fingerprint(small_config(2, 300), 1));
}

TEST(Invariants, HoldEveryMonthOnManyRandomSmallWorlds) {
  // 40 random small worlds (seeds and parameters vary), 3 years each: every aggregate equals
  // what the arrays say, talents are conserved (initial + entries - exits = alive), wages
  // are positive and finite, and the payroll of the market equals the sum of wages.
  // Every other world runs with a timeline of events.
  for (int variant = 0; variant < 40; ++variant) {
    Config c = small_config(1000 + variant, 50 + 10 * variant, variant);
    c.months = 36;
    if (variant % 2 == 1) c = with_timeline(c);
    World w = scenario::build_world(c);
    const auto initial = static_cast<std::int64_t>(w.talents.size());
    ASSERT_NO_THROW(check_invariants(w)) << "variant " << variant << " at build";
    std::vector<Event> events = scenario::build_events(c, w);
    Simulation sim(std::move(w), scenario::simulation_options(c, 1 + variant % 2),
                   std::move(events));
    sim.warm_up();
    const auto after_warmup = static_cast<std::int64_t>(sim.world().talents.size());
    EXPECT_GT(after_warmup, 0);
    (void)initial;
    std::int64_t alive = after_warmup;
    while (!sim.done()) {
      const MonthMetrics& m = sim.step();
      alive += m.market.entries - m.market.exits;
      ASSERT_EQ(alive, m.market.talents) << "variant " << variant << " month " << m.month;
      ASSERT_NO_THROW(check_invariants(sim.world())) << "variant " << variant;
      double wages = 0;
      const auto& t = sim.world().talents;
      for (std::size_t i = 0; i < t.size(); ++i) wages += t.wage[i];
      ASSERT_NEAR(wages, m.market.payroll, 1e-6 * std::max(1.0, wages));
      double bonuses = 0;
      for (const auto& mv : m.moves) bonuses += mv.bonus;
      ASSERT_DOUBLE_EQ(bonuses, m.market.signing_bonuses);
    }
  }
}

TEST(Simulation, TheMarketMovesButNotEveryone) {
  // Over two years of a small world, some talents move and most do not: a dead market or a
  // market where everyone moves each month is a bug.
  const Config c = small_config(7, 800);
  Simulation sim(scenario::build_world(c), scenario::simulation_options(c, 1));
  const RunSummary s = run_simulation(sim, {});
  EXPECT_GT(s.moves, 0);
  EXPECT_GT(s.moves_per_talent_year, 0.02);
  EXPECT_LT(s.moves_per_talent_year, 1.0);
  EXPECT_GT(s.talents_end, 0);
  EXPECT_LT(s.unemployment_end, 0.5);
}

TEST(Invariants, HoldOnHundredsOfRandomWorldsAndSeeds) {
  // 200 small worlds (20 to 120 talents per region, parameters varied by `variant`), two years
  // each, on both thread counts: the engine's own per-month check (on in `make test`) and
  // these checks of what every talent's columns say.
  for (int variant = 0; variant < 200; ++variant) {
    Config c = small_config(5000 + 7 * variant, 20 + variant % 101, variant);
    if (variant % 5 == 0) c = with_timeline(c);
    Simulation sim = simulation_of(c, 1 + variant % 2);
    sim.warm_up();
    std::int64_t alive = static_cast<std::int64_t>(sim.world().talents.size());
    while (!sim.done()) {
      const MonthMetrics& m = sim.step();
      alive += m.market.entries - m.market.exits;
      ASSERT_EQ(alive, m.market.talents) << "variant " << variant;
      const auto& t = sim.world().talents;
      for (std::size_t i = 0; i < t.size(); ++i) {
        ASSERT_TRUE(std::isfinite(t.wage[i]) && t.wage[i] >= 0) << "variant " << variant;
      }
      for (const auto& mv : m.moves) {
        ASSERT_TRUE(std::isfinite(mv.wage) && mv.wage > 0) << "variant " << variant;
        ASSERT_TRUE(std::isfinite(mv.bonus) && mv.bonus >= 0) << "variant " << variant;
      }
    }
    ASSERT_NO_THROW(check_invariants(sim.world())) << "variant " << variant;
  }
}

// Runs `c` to the end and checks what a user would read: figures in their ranges, or
// undefined (NaN, printed as an empty cell) where their population is empty.
RunSummary run_and_check(const Config& c) {
  Simulation sim = simulation_of(c, 1);
  const RunSummary s = run_simulation(sim, {});
  EXPECT_NO_THROW(check_invariants(sim.world()));
  EXPECT_TRUE(std::isnan(s.moves_per_talent_year) ||
              (std::isfinite(s.moves_per_talent_year) && s.moves_per_talent_year >= 0));
  EXPECT_TRUE(std::isnan(s.unemployment_end) ||
              (s.unemployment_end >= 0 && s.unemployment_end <= 1));
  for (const auto& r : s.regions) {
    for (double share : {r.top_work_share, r.top_origin_share, r.brain_drain_top}) {
      EXPECT_TRUE(std::isnan(share) || (share >= 0 && share <= 1)) << share;
    }
  }
  for (const Quantiles& q : s.wage_end) {
    for (double w : {q.p50, q.p90, q.p99, q.max})
      EXPECT_TRUE(std::isnan(w) || (std::isfinite(w) && w >= 0)) << w;
  }
  return s;
}

TEST(Extremes, OneOrganisationRuns) {
  Config c = small_config(11, 200);
  c.organisations.resize(1);  // the frontier lab alone
  const RunSummary s = run_and_check(c);
  EXPECT_EQ(s.organisations, 1);
  EXPECT_GT(s.talents_end, 0);
}

TEST(Extremes, OneMonthRuns) {
  Config c = small_config(12, 200);
  c.months = 1;
  const RunSummary s = run_and_check(c);
  EXPECT_EQ(s.months, 1);
}

TEST(Extremes, AScaleThatLeavesNobodyRunsEmpty) {
  Config c = small_config(13, 200);
  c.scale = 1e-4;
  const RunSummary s = run_and_check(c);
  EXPECT_EQ(s.talents_start, 0);
  EXPECT_EQ(s.moves, 0);
  // Shares and wages of nobody are undefined, not 0 (docs/outputs.md).
  EXPECT_TRUE(std::isnan(s.unemployment_end));
  EXPECT_TRUE(std::isnan(s.moves_per_talent_year));
  EXPECT_TRUE(std::isnan(s.elite_top5_share_end));
  for (const auto& r : s.regions) {
    EXPECT_TRUE(std::isnan(r.top_work_share));
    EXPECT_TRUE(std::isnan(r.brain_drain_top));
    EXPECT_TRUE(std::isnan(r.brain_drain_all));
  }
  for (const Quantiles& q : s.wage_end) EXPECT_TRUE(std::isnan(q.p50) && std::isnan(q.max));
  // The monthly rows too: the regions' wages and brain drain, the kinds' mean wage.
  Simulation sim = simulation_of(c, 1);
  const MonthMetrics& m = sim.step();
  for (const RegionRow& r : m.regions) {
    EXPECT_TRUE(std::isnan(r.wage.p50)) << "a wage of nobody";
    EXPECT_TRUE(std::isnan(r.brain_drain)) << "a share of nobody";
  }
  for (const KindRow& k : m.kinds) EXPECT_TRUE(std::isnan(k.wage_mean));
  EXPECT_TRUE(std::isnan(m.market.package.p50));
  EXPECT_TRUE(std::isnan(m.market.elite_hhi));
}

// In a populated world, a figure is undefined only where its own population is empty: the
// wages of a region row are NaN exactly when nobody of that tier is employed there.
TEST(Extremes, OnlyFiguresOfNobodyAreUndefined) {
  Simulation sim = simulation_of(small_config(17, 200), 1);
  const MonthMetrics& m = sim.step();
  for (const RegionRow& r : m.regions) EXPECT_EQ(std::isnan(r.wage.p50), r.employed == 0);
  for (const KindRow& k : m.kinds) EXPECT_EQ(std::isnan(k.wage_mean), k.headcount == 0);
  EXPECT_FALSE(std::isnan(m.market.elite_hhi));
}

TEST(Extremes, ARegionThatTrainsNobodyRuns) {
  Config c = small_config(14, 200);
  c.talents.resize(1);  // only the North's stock
  c.regions[1].graduates_research = c.regions[1].graduates_engineering = 0;
  const RunSummary s = run_and_check(c);
  EXPECT_GT(s.talents_end, 0);
  EXPECT_EQ(s.regions.at(1).top_origin_share, 0.0);
}

// A payroll budget of 0 is valid: the organisation keeps the staff it starts with but has no
// cash, so it makes no offer (offers.cpp: no cash, no offer) and hires nobody, nor counters
// (a counter is paid from the same cash). Everyone else trades as usual.
TEST(Extremes, AZeroPayrollBudgetRunsAndThatOrganisationMakesNoOffers) {
  Config c = small_config(15, 200);
  c.organisations[1].payroll_budget = Distribution::constant(0);  // Tech
  Simulation sim = simulation_of(c, 1);
  const std::size_t tech = 1;
  ASSERT_EQ(sim.world().orgs.name[tech], "Tech");
  EXPECT_EQ(sim.world().orgs.payroll_budget[tech], 0.0);
  const int heads_start = sim.world().orgs.total_headcount(tech);
  std::int64_t moves = 0;
  while (!sim.done()) {
    const MonthMetrics& m = sim.step();
    moves += m.market.moves;
    for (const MoveRecord& mv : m.moves) EXPECT_NE(mv.to.index(), tech) << "month " << m.month;
    for (const OrgRow& row : m.orgs) {
      if (row.org.index() != tech) continue;
      EXPECT_EQ(row.hires, 0);
      EXPECT_EQ(row.counters_won, 0);
      EXPECT_EQ(row.payroll_budget, 0.0);
    }
  }
  EXPECT_GT(moves, 0) << "the other organisations still trade";
  EXPECT_LE(sim.world().orgs.total_headcount(tech), heads_start);
  EXPECT_NO_THROW(check_invariants(sim.world()));
  const RunSummary s = run_and_check(c);
  EXPECT_GT(s.talents_end, 0);
}

TEST(Extremes, EveryPayrollBudgetZeroRunsWithNoMoveBetweenEmployers) {
  Config c = small_config(16, 200);
  for (OrgConfig& o : c.organisations) o.payroll_budget = Distribution::constant(0);
  const RunSummary s = run_and_check(c);
  EXPECT_EQ(s.moves, 0);
  EXPECT_EQ(s.signing_bonuses, 0.0);
}

// System: groups of wages of many sizes (empty, one, below and above the size where the radix
// select takes over, heavy ties, one huge value, negative values). Expectation: the p50, p90,
// p99 and max of exact_quantiles are the values at the same ranks of the sorted group.
// The same for the group cut into ranges. Because: regions.csv's pay quantiles are order
// statistics; the faster select must not move them by one rank.
TEST(Metrics, ExactQuantilesAreTheSortedGroupsValues) {
  std::mt19937 rng(7);
  std::lognormal_distribution<float> wage(12.0F, 0.8F);
  QuantileScratch scratch;
  auto check = [&](std::vector<float> values, const char* what) {
    std::vector<float> sorted = values;
    std::sort(sorted.begin(), sorted.end());
    const std::vector<float> before = values;
    const Quantiles q = exact_quantiles(values.data(), values.data() + values.size(), scratch);
    EXPECT_EQ(values, before) << what;  // read, not reordered
    if (sorted.empty()) {
      EXPECT_EQ(q.max, 0.0) << what;
      return;
    }
    // The same group cut into ranges of varied lengths (metrics' rows are unions of cells):
    // the same quantiles, and the ranges are read, not reordered.
    std::vector<WageSpan> spans;
    for (std::size_t at = 0, len = 1; at < values.size(); at += len, len = len * 3 % 1000 + 1)
      spans.push_back({values.data() + at, values.data() + std::min(values.size(), at + len)});
    const Quantiles by_spans = exact_quantiles(spans, scratch);
    EXPECT_EQ(values, before) << what;
    EXPECT_EQ(by_spans.p50, q.p50) << what;
    EXPECT_EQ(by_spans.p90, q.p90) << what;
    EXPECT_EQ(by_spans.p99, q.p99) << what;
    EXPECT_EQ(by_spans.max, q.max) << what;
    const std::size_t n = sorted.size();
    EXPECT_EQ(q.p50, sorted[static_cast<std::size_t>(quantile_rank(0.50, n))])
        << what << " n=" << n;
    EXPECT_EQ(q.p90, sorted[static_cast<std::size_t>(quantile_rank(0.90, n))])
        << what << " n=" << n;
    EXPECT_EQ(q.p99, sorted[static_cast<std::size_t>(quantile_rank(0.99, n))])
        << what << " n=" << n;
    EXPECT_EQ(q.max, sorted.back()) << what << " n=" << n;
  };
  for (const std::size_t n : {0UL, 1UL, 2UL, 7UL, 4095UL, 4096UL, 4097UL, 10000UL, 250000UL}) {
    std::vector<float> v(n);
    for (auto& x : v) x = wage(rng);
    check(v, "lognormal");
    for (auto& x : v) x = std::round(x / 50000.0F) * 50000.0F;  // a few distinct values
    check(v, "ties");
    if (n > 0) {
      v[n / 3] = 3e8F;
      check(v, "one huge");
      v[n / 2] = -1.0F;
      check(v, "a negative");
    }
  }
}

// System: records (key, original position) with keys that share digits (a constant high half,
// as clearing's ability bits often are), many duplicates, or are all equal, in groups around
// the sizes where the radix sort and its passes on threads take over. Expectation: the same
// order as std::stable_sort by key, on 1, 2 and 3 threads. Because: clearing's auction order must
// not depend on which sort ran.
TEST(RadixSort, OrdersAsAStableSortByKey) {
  struct Record {
    std::uint64_t key;
    std::uint32_t position;
  };
  std::mt19937_64 rng(11);
  auto check = [&](std::size_t n, auto make_key, const char* what) {
    std::vector<Record> records(n);
    for (std::uint32_t j = 0; j < n; ++j) records[j] = {make_key(), j};
    std::vector<Record> expected = records;
    std::stable_sort(expected.begin(), expected.end(),
                     [](const Record& x, const Record& y) { return x.key < y.key; });
    for (const int threads : {1, 2, 3}) {  // several threads share the passes of a large sort
      std::vector<Record> sorted = records;
      radix_sort_by_key(
          sorted, [](const Record& r) { return r.key; }, threads);
      for (std::size_t j = 0; j < n; ++j) {
        ASSERT_EQ(sorted[j].key, expected[j].key) << what << " n=" << n << " at " << j;
        ASSERT_EQ(sorted[j].position, expected[j].position)
            << what << " n=" << n << " at " << j << " threads " << threads;
      }
    }
  };
  for (const std::size_t n : {0UL, 1UL, 511UL, 512UL, 513UL, 5000UL, 65535UL, 65536UL, 200001UL}) {
    check(
        n, [&] { return rng(); }, "random");
    check(
        n, [&] { return (std::uint64_t{0x3F80} << 48) | (rng() % 100000); }, "shared digits");
    check(
        n, [&] { return rng() % 7; }, "duplicates");
    check(
        n, [] { return std::uint64_t{42}; }, "all equal");
  }
}

}  // namespace
}  // namespace mercato
