// to_yaml writes the fully resolved Config (defaults filled in, kind defaults applied, no
// extends); loading it again gives an equal Config, so a manifest reproduces its run.
#include <gtest/gtest.h>

#include <limits>

#include "support.hpp"

namespace mercato::scenario::test {
namespace {

Config round_trip(const Config& c) {
  Config again = load_string(to_yaml(c), c.source_file);
  return again;
}

TEST(ScenarioToYaml, RoundTripOfTinyGivesAnEqualConfig) {
  const Config c = load(repo_path("scenarios/tiny.yaml"));
  const Config again = round_trip(c);
  EXPECT_TRUE(again == c) << to_yaml(c) << "\n---- reloaded ----\n" << to_yaml(again);
  EXPECT_EQ(to_yaml(again), to_yaml(c));
}

TEST(ScenarioToYaml, RoundTripOfAnExtendedScenarioNeedsNoParent) {
  const Config c = load(fixture("nested/grandchild.yaml"));
  const std::string yaml = to_yaml(c);
  EXPECT_EQ(yaml.find("extends"), std::string::npos);
  EXPECT_EQ(yaml.find("remove"), std::string::npos);
  EXPECT_TRUE(round_trip(c) == c) << yaml;
}

TEST(ScenarioToYaml, WritesEveryKeyWithDefaultsFilledIn) {
  const std::string yaml = to_yaml(load_string(kMinimal, "x.yaml"));
  for (const char* key :
       {"mercato: 1", "start: 2025-01", "months: 120", "seed: 1", "scale: 1", "seek_rate: 0.02",
        "warmup_months: 24", "public_lab: {ability_growth: 0.02, annual_raise: 0.03}",
        "graduate_ability: {mu: 0, sigma: 0.5}", "name: default", "headcount_growth: 0.05",
        "counter_policy: {probability: 0.5, share: 0.8}", "moves: top", "events: []"})
    EXPECT_NE(yaml.find(key), std::string::npos) << "missing '" << key << "' in\n" << yaml;
}

TEST(ScenarioToYaml, OrganisationsAreWrittenFullyResolved) {
  // Helix inherits max_offer from model.kinds.frontier_lab; the output states it on Helix, so
  // the reloaded Config does not depend on kind defaults (which are not part of a Config).
  const std::string yaml = to_yaml(load(repo_path("scenarios/tiny.yaml")));
  const auto helix = yaml.find("name: Helix");
  const auto orbit = yaml.find("name: Orbit");
  ASSERT_NE(helix, std::string::npos);
  const std::string helix_block = yaml.substr(helix, orbit - helix);
  EXPECT_NE(helix_block.find("max_offer: 20000000"), std::string::npos) << helix_block;
  EXPECT_NE(helix_block.find("value_share: 0.5"), std::string::npos) << helix_block;
}

TEST(ScenarioToYaml, NamesThatLookLikeOtherYamlValuesSurvive) {
  Config c = load_string(kMinimal, "x.yaml");
  c.name = "yes";
  c.description = "";
  c.regions[0].name = "null";
  c.regions[1].name = "1e5";
  c.organisations[0].name = "Lab: the sequel #1";
  c.personas[0].name = "  padded ";
  c.groups.push_back({"~", {"North"}});
  EXPECT_TRUE(round_trip(c) == c) << to_yaml(c);
}

TEST(ScenarioToYaml, DoublesAndSeedsRoundTripExactly) {
  Config c = load_string(kMinimal, "x.yaml");
  c.model.move_cost = 0.1 + 0.2;  // 0.30000000000000004
  c.regions[0].graduate_wage = 1.0 / 3.0 * 1e5;
  c.organisations[0].compute = Distribution::uniform(1e-7, 123456.789012345);
  c.seed = std::numeric_limits<std::uint64_t>::max();
  const Config again = round_trip(c);
  EXPECT_EQ(again.model.move_cost, c.model.move_cost);
  EXPECT_EQ(again.regions[0].graduate_wage, c.regions[0].graduate_wage);
  EXPECT_TRUE(again == c) << to_yaml(c);
}

TEST(ScenarioToYaml, ThreeWayWorkSplitsKeepTheirValues) {
  // Normalised shares whose sum is 1 only up to rounding are not normalised again.
  const Config c = load_string(
      "mercato: 1\n"
      "name: thirds\n"
      "regions: [{id: North}, {id: South}, {id: East}]\n"
      "organisations: [{name: Lab, kind: sme, region: North, ai_value: 1}]\n"
      "talents:\n"
      "  - {origin: North, work: {North: 1, South: 1, East: 1}}\n",
      "x.yaml");
  EXPECT_TRUE(round_trip(c) == c) << to_yaml(c);
}

TEST(ScenarioToYaml, RoundTripWithOneEventOfEachType) {
  const Config c = load(fixture("events_all.yaml"));
  ASSERT_FALSE(c.events.empty());
  const Config again = round_trip(c);
  EXPECT_TRUE(again == c) << to_yaml(c) << "\n---- reloaded ----\n" << to_yaml(again);
  EXPECT_EQ(to_yaml(again), to_yaml(c));
}

TEST(ScenarioToYaml, EventsAreWrittenWithTheKeysTheySet) {
  const std::string yaml = to_yaml(load(fixture("events_all.yaml")));
  const auto raid = yaml.find("name: meta-raid");
  const auto grant = yaml.find("name: retention_grant-2");  // default names are written
  ASSERT_NE(raid, std::string::npos) << yaml;
  ASSERT_NE(grant, std::string::npos) << yaml;
  const std::string raid_block = yaml.substr(raid, grant - raid);
  for (const char* key : {"start: 2025-07", "end: 2025-12", "targets: [Helix, Shops]", "top_k: 60",
                          "budget: 2000000000", "role: research", "immediate_vesting: true"})
    EXPECT_NE(raid_block.find(key), std::string::npos) << "missing '" << key << "' in\n"
                                                       << raid_block;
  // Unset keys stay unset: the organisation's value_share applies in build_events.
  EXPECT_EQ(raid_block.find("value_share"), std::string::npos) << raid_block;
  EXPECT_NE(yaml.find("start: 2026-01"), std::string::npos) << yaml;  // written as a month
}

TEST(ScenarioToYaml, EventMonthsFollowTheScenarioStart) {
  Config c = load(fixture("events_all.yaml"));
  c.start = {2030, 11};
  const Config again = round_trip(c);
  EXPECT_TRUE(again == c) << to_yaml(c);
  EXPECT_NE(to_yaml(c).find("start: 2031-05"), std::string::npos);  // meta-raid, month 6
}

}  // namespace
}  // namespace mercato::scenario::test
