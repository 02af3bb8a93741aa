// Loading valid scenarios: tiny.yaml, defaults, kind defaults, distributions, normalisation.
#include <gtest/gtest.h>

#include <limits>

#include "support.hpp"

namespace mercato::scenario::test {
namespace {

const OrgConfig& org(const Config& c, const std::string& name) {
  for (const auto& o : c.organisations)
    if (o.name == name) return o;
  throw std::runtime_error("no organisation " + name);
}

TEST(ScenarioLoad, TinyScenarioLoadsWithEveryPart) {
  const Config c = load(repo_path("scenarios/tiny.yaml"));
  EXPECT_EQ(c.name, "tiny");
  EXPECT_EQ(c.source_file, repo_path("scenarios/tiny.yaml"));
  EXPECT_EQ(c.months, 24);
  EXPECT_EQ(c.seed, 42u);
  EXPECT_EQ(c.start, (YearMonth{2025, 1}));
  ASSERT_EQ(c.regions.size(), 2u);
  EXPECT_EQ(c.regions[0].id, "North");
  EXPECT_EQ(c.regions[1].name, "The South");
  EXPECT_DOUBLE_EQ(c.regions[1].graduates_engineering, 12);
  ASSERT_EQ(c.groups.size(), 1u);
  EXPECT_EQ(c.groups[0].regions, (std::vector<std::string>{"North", "South"}));
  ASSERT_EQ(c.personas.size(), 2u);
  EXPECT_EQ(c.personas[1].w_mission, Distribution::uniform(1.0, 2.0));
  ASSERT_EQ(c.organisations.size(), 4u);
  const OrgConfig& pool = org(c, "South startups");
  EXPECT_TRUE(pool.is_pool);
  EXPECT_EQ(pool.count, 3);
  EXPECT_EQ(pool.kind, OrgKind::startup);
  EXPECT_EQ(pool.ai_value, Distribution::lognormal(5.0e7, 0.8));
  EXPECT_FALSE(org(c, "Helix").is_pool);
  ASSERT_EQ(c.talents.size(), 2u);
  EXPECT_DOUBLE_EQ(c.talents[1].work.at("North"), 0.2);
  EXPECT_EQ(c.outputs.moves, MoveLog::all);
  EXPECT_EQ(c.outputs.origins_every_months, 6);
  EXPECT_EQ(c.model.warmup_months, 12);
}

TEST(ScenarioLoad, TinyTargetsAreSlightlyBelowTheTalentStock) {
  // The docs promise a tiny world with a little slack: 460 talents for 420 seats.
  const Config c = load(repo_path("scenarios/tiny.yaml"));
  double seats = 0, talents = 0;
  for (const auto& o : c.organisations)
    seats += o.count * (o.target_research.mean() + o.target_engineering.mean());
  for (const auto& t : c.talents) talents += t.count;
  EXPECT_LT(seats, talents);
  EXPECT_GT(seats, 0.85 * talents);
}

TEST(ScenarioLoad, KindDefaultsFillFieldsTheOrganisationLeavesUnset) {
  const Config c = load(repo_path("scenarios/tiny.yaml"));
  // Helix sets no max_offer: model.kinds.frontier_lab.max_offer applies.
  EXPECT_EQ(org(c, "Helix").max_offer, Distribution::constant(2.0e7));
  EXPECT_EQ(org(c, "Helix").value_share, Distribution::constant(0.5));
  // Orbit sets its own.
  EXPECT_EQ(org(c, "Orbit").max_offer, Distribution::constant(1.0e7));
  // A nested kind default (counter_policy) reaches the university.
  EXPECT_EQ(org(c, "South University").counter_probability, Distribution::constant(0.2));
  EXPECT_EQ(org(c, "South University").counter_share, Distribution::constant(0.5));
}

TEST(ScenarioLoad, BuiltInDefaultsApplyWhenNeitherOrganisationNorKindSetsAField) {
  const Config c = load(repo_path("scenarios/tiny.yaml"));
  const OrgConfig built_in;
  EXPECT_EQ(org(c, "Helix").headcount_growth, built_in.headcount_growth);
  EXPECT_EQ(org(c, "Orbit").poach_intensity, built_in.poach_intensity);
  EXPECT_FALSE(org(c, "Orbit").payroll_budget.has_value());
}

TEST(ScenarioLoad, EveryKindIsPresentAfterLoading) {
  const Config c = load_string(kMinimal, "x.yaml");
  ASSERT_EQ(c.model.kinds.size(), static_cast<std::size_t>(kOrgKindCount));
  EXPECT_DOUBLE_EQ(c.model.kinds.at(OrgKind::sme).ability_growth, KindConfig{}.ability_growth);
}

TEST(ScenarioLoad, MinimalScenarioTakesDocumentedDefaults) {
  const Config c = load_string(kMinimal, "x.yaml");
  EXPECT_EQ(c.months, 120);
  EXPECT_EQ(c.seed, 1u);
  EXPECT_DOUBLE_EQ(c.scale, 1.0);
  EXPECT_EQ(c.regions[0].name, "North");  // name defaults to id
  ASSERT_EQ(c.personas.size(), 1u);
  EXPECT_EQ(c.personas[0].name, "default");
  EXPECT_TRUE(c.talents.empty());
  EXPECT_TRUE(c.events.empty());
}

TEST(ScenarioLoad, NullValueMeansTheDefault) {
  const Config c = load_string(kMinimal + "    mission: ~\nmonths:\n", "x.yaml");
  EXPECT_EQ(c.organisations[0].mission, OrgConfig{}.mission);
  EXPECT_EQ(c.months, 120);
}

TEST(ScenarioLoad, DistributionsOfEveryFormAreRead) {
  const Config c = load_string(kMinimal +
                                   "    compute: {uniform: [10, 20]}\n"
                                   "    mission: {normal: [0.5, 0.1]}\n"
                                   "    max_offer: {lognormal: [1.0e+6, 0.5]}\n"
                                   "    openness: 0.25\n",
                               "x.yaml");
  const OrgConfig& o = c.organisations[0];
  EXPECT_EQ(o.compute, Distribution::uniform(10, 20));
  EXPECT_EQ(o.mission, Distribution::normal(0.5, 0.1));
  EXPECT_EQ(o.max_offer, Distribution::lognormal(1e6, 0.5));
  EXPECT_EQ(o.openness, Distribution::constant(0.25));
}

TEST(ScenarioLoad, WorkSharesAreNormalisedAndDefaultToTheOrigin) {
  const Config c = load_string(kMinimal +
                                   "talents:\n"
                                   "  - origin: North\n"
                                   "    count: 10\n"
                                   "    work: {North: 2, South: 6}\n"
                                   "  - origin: South\n"
                                   "    count: 5\n",
                               "x.yaml");
  EXPECT_DOUBLE_EQ(c.talents[0].work.at("North"), 0.25);
  EXPECT_DOUBLE_EQ(c.talents[0].work.at("South"), 0.75);
  EXPECT_EQ(c.talents[1].work, (std::map<std::string, double>{{"South", 1.0}}));
  EXPECT_FALSE(c.talents[1].ability_mu.has_value());  // build_world uses the origin's
}

TEST(ScenarioLoad, TalentAbilityMayGiveMuOrSigmaAlone) {
  const Config c = load_string(kMinimal +
                                   "talents:\n"
                                   "  - origin: North\n"
                                   "    ability: {sigma: 0.7}\n",
                               "x.yaml");
  EXPECT_FALSE(c.talents[0].ability_mu.has_value());
  EXPECT_EQ(c.talents[0].ability_sigma, 0.7);
}

TEST(ScenarioLoad, SeedKeepsAll64Bits) {
  const Config c = load_string(kMinimal + "seed: 18446744073709551615\n", "x.yaml");
  EXPECT_EQ(c.seed, std::numeric_limits<std::uint64_t>::max());
}

TEST(ScenarioLoad, StartIsReadAsYearAndMonth) {
  const Config c = load_string(kMinimal + "start: 2031-11\n", "x.yaml");
  EXPECT_EQ(c.start, (YearMonth{2031, 11}));
}

TEST(ScenarioLoad, ProductionFormIsInheritedAsAWhole) {
  // The kind gives tfp and price; an organisation that gives ai_value must not also inherit
  // them (that would be both forms), and one that gives nothing takes the kind's pair.
  const Config c = load_string(
      "mercato: 1\n"
      "name: forms\n"
      "model:\n"
      "  kinds:\n"
      "    sme: {tfp: 2.0, price: 3.0}\n"
      "regions: [{id: R}]\n"
      "organisations:\n"
      "  - {name: Own, kind: sme, region: R, ai_value: 1.0e+7}\n"
      "  - {name: Inherits, kind: sme, region: R}\n"
      "  - {name: HalfOwn, kind: sme, region: R, tfp: 5.0}\n",
      "x.yaml");
  EXPECT_EQ(c.organisations[0].ai_value, Distribution::constant(1e7));
  EXPECT_FALSE(c.organisations[0].tfp.has_value());
  EXPECT_FALSE(c.organisations[1].ai_value.has_value());
  EXPECT_EQ(c.organisations[1].tfp, Distribution::constant(2.0));
  EXPECT_EQ(c.organisations[1].price, Distribution::constant(3.0));
  EXPECT_EQ(c.organisations[2].tfp, Distribution::constant(5.0));
  EXPECT_EQ(c.organisations[2].price, Distribution::constant(3.0));
}

TEST(ScenarioLoad, MissingFileIsAnIoErrorNamingThePath) {
  const std::string path = fixture("does-not-exist.yaml");
  try {
    load(path);
    FAIL() << "expected IoError";
  } catch (const IoError& e) {
    EXPECT_NE(std::string(e.what()).find(path), std::string::npos) << e.what();
  }
}

TEST(ScenarioLoad, DirectoryIsAnIoError) {
  EXPECT_THROW(load(fixture("")), IoError);
}

TEST(ScenarioValidate, AcceptsALoadedConfig) {
  EXPECT_NO_THROW(validate(load(repo_path("scenarios/tiny.yaml"))));
}

TEST(ScenarioValidate, ChecksAConfigBuiltInCodeWithoutLineNumbers) {
  Config c = load(repo_path("scenarios/tiny.yaml"));
  c.source_file.clear();
  c.regions[0].tax_rate = 1.5;
  c.organisations[0].region = "Nowhere";
  try {
    validate(c);
    FAIL() << "expected ScenarioError";
  } catch (const ScenarioError& e) {
    ASSERT_EQ(e.diagnostics().size(), 2u) << e.what();
    EXPECT_EQ(e.diagnostics()[0].line, 0);
    EXPECT_EQ(e.diagnostics()[0].key, "regions.North.tax_rate");
    EXPECT_EQ(e.diagnostics()[0].message, "expected a number in [0, 1), got 1.5");
    EXPECT_EQ(e.diagnostics()[1].key, "organisations.Helix.region");
    EXPECT_EQ(e.diagnostics()[1].message,
              "no region 'Nowhere' is defined; expected one of: North, South");
  }
}

TEST(ScenarioValidate, RejectsNanAndInfinityInACodeBuiltConfig) {
  Config c = load(repo_path("scenarios/tiny.yaml"));
  c.model.rho = std::numeric_limits<double>::quiet_NaN();
  c.organisations[1].compute = Distribution::uniform(0, std::numeric_limits<double>::infinity());
  try {
    validate(c);
    FAIL() << "expected ScenarioError";
  } catch (const ScenarioError& e) {
    ASSERT_EQ(e.diagnostics().size(), 2u) << e.what();
    EXPECT_EQ(e.diagnostics()[0].message, "expected a finite number, got nan");
    EXPECT_EQ(e.diagnostics()[1].key, "organisations.Orbit.compute");
  }
}

TEST(ScenarioValidate, RequiresEveryKind) {
  Config c = load(repo_path("scenarios/tiny.yaml"));
  c.model.kinds.erase(OrgKind::sme);
  try {
    validate(c);
    FAIL() << "expected ScenarioError";
  } catch (const ScenarioError& e) {
    ASSERT_EQ(e.diagnostics().size(), 1u);
    EXPECT_EQ(e.diagnostics()[0].key, "model.kinds.sme");
  }
}

}  // namespace
}  // namespace mercato::scenario::test
