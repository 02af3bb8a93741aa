// `--set key.path=value`: parsing, addressing map keys and named list items, values parsed as
// YAML, and mistakes reported like mistakes in a file, under the file name "--set".
#include <gtest/gtest.h>

#include "support.hpp"

namespace mercato::scenario::test {
namespace {

Config tiny_with(const std::vector<std::string>& sets) {
  std::vector<Override> overrides;
  for (const auto& s : sets) overrides.push_back(parse_override(s));
  return load(repo_path("scenarios/tiny.yaml"), overrides);
}

std::vector<ScenarioDiagnostic> tiny_errors_with(const std::vector<std::string>& sets) {
  std::vector<Override> overrides;
  for (const auto& s : sets) overrides.push_back(parse_override(s));
  return file_diagnostics_of(repo_path("scenarios/tiny.yaml"), overrides);
}

const OrgConfig& org(const Config& c, const std::string& name) {
  for (const auto& o : c.organisations)
    if (o.name == name) return o;
  throw std::runtime_error("no organisation " + name);
}

TEST(ScenarioOverride, ParseSplitsAtTheFirstEquals) {
  const Override o = parse_override("description=a=b");
  EXPECT_EQ(o.key, "description");
  EXPECT_EQ(o.value, "a=b");
}

TEST(ScenarioOverride, ParseAcceptsAnEmptyValue) {
  EXPECT_EQ(parse_override("description=").value, "");
}

TEST(ScenarioOverride, ParseRejectsMalformedText) {
  EXPECT_THROW(parse_override("months"), UsageError);
  EXPECT_THROW(parse_override("=3"), UsageError);
  EXPECT_THROW(parse_override("regions..FR=3"), UsageError);
  EXPECT_THROW(parse_override(".months=3"), UsageError);
  try {
    parse_override("months");
  } catch (const UsageError& e) {
    EXPECT_STREQ(e.what(),
                 "--set expects KEY=VALUE with a dotted key path, e.g. --set "
                 "regions.FR.tax_rate=0.3; got 'months'");
  }
}

TEST(ScenarioOverride, SetsATopLevelValue) {
  EXPECT_EQ(tiny_with({"months=36"}).months, 36);
}

TEST(ScenarioOverride, SetsAFieldOfARegionById) {
  const Config c = tiny_with({"regions.South.tax_rate=0.3"});
  EXPECT_DOUBLE_EQ(c.regions[1].tax_rate, 0.3);
  EXPECT_DOUBLE_EQ(c.regions[0].tax_rate, 0.37);
}

TEST(ScenarioOverride, SetsAFieldOfAnOrganisationByName) {
  const Config c = tiny_with({"organisations.Orbit.max_offer=3e8"});
  EXPECT_EQ(org(c, "Orbit").max_offer, Distribution::constant(3e8));
}

TEST(ScenarioOverride, SetsANestedFieldOfAnOrganisation) {
  const Config c = tiny_with({"organisations.Helix.counter_policy.share=0.5"});
  EXPECT_EQ(org(c, "Helix").counter_share, Distribution::constant(0.5));
  EXPECT_EQ(org(c, "Helix").counter_probability, Distribution::constant(0.8));  // kept
}

TEST(ScenarioOverride, AddressesNamesWithSpaces) {
  const Config c = tiny_with({"organisations.South University.mission=0.95"});
  EXPECT_EQ(org(c, "South University").mission, Distribution::constant(0.95));
}

TEST(ScenarioOverride, SetsAKindDefaultThatOrganisationsInherit) {
  const Config c = tiny_with({"model.kinds.startup.value_share=0.6"});
  EXPECT_EQ(org(c, "South startups").value_share, Distribution::constant(0.6));
}

TEST(ScenarioOverride, CreatesAKeyTheFileDoesNotSet) {
  const Config c = tiny_with({"model.rho=2.5", "regions.North.training_boost=0.02"});
  EXPECT_DOUBLE_EQ(c.model.rho, 2.5);
  EXPECT_DOUBLE_EQ(c.regions[0].training_boost, 0.02);
}

TEST(ScenarioOverride, ValueIsParsedAsYaml) {
  const Config c = tiny_with(
      {"organisations.Helix.compute={lognormal: [2.0e+4, 0.3]}", "groups.Everywhere=[South]"});
  EXPECT_EQ(org(c, "Helix").compute, Distribution::lognormal(2e4, 0.3));
  EXPECT_EQ(c.groups[0].regions, (std::vector<std::string>{"South"}));
}

TEST(ScenarioOverride, LaterOverridesWin) {
  EXPECT_EQ(tiny_with({"months=36", "months=48"}).months, 48);
}

TEST(ScenarioOverride, AppliesAfterTheExtendsMerge) {
  const Config c = load(fixture("child.yaml"), {parse_override("regions.East.tax_rate=0.1")});
  EXPECT_EQ(c.regions[2].id, "East");
  EXPECT_DOUBLE_EQ(c.regions[2].tax_rate, 0.1);
}

TEST(ScenarioOverride, UnknownKeySuggestsNearMissUnderSet) {
  auto ds = tiny_errors_with({"regions.South.tax_rat=0.3"});
  ASSERT_EQ(ds.size(), 1u);
  EXPECT_EQ(ds[0].to_string(),
            "--set: regions.South.tax_rat: unknown key 'tax_rat'; did you mean 'tax_rate'?");
}

TEST(ScenarioOverride, UnknownNestedPathSuggestsNearMissUnderSet) {
  auto ds = tiny_errors_with({"modle.rho=2"});
  ASSERT_EQ(ds.size(), 1u);
  EXPECT_EQ(ds[0].to_string(), "--set: modle: unknown key 'modle'; did you mean 'model'?");
}

TEST(ScenarioOverride, UnknownItemNameSuggestsNearMiss) {
  auto ds = tiny_errors_with({"organisations.Helx.max_offer=3e8"});
  ASSERT_EQ(ds.size(), 1u);
  EXPECT_EQ(ds[0].to_string(),
            "--set: organisations.Helx: no organisation 'Helx' in organisations; did you mean "
            "'Helix'?");
}

TEST(ScenarioOverride, OutOfRangeValueIsReportedUnderSet) {
  auto ds = tiny_errors_with({"regions.North.tax_rate=1.3"});
  ASSERT_EQ(ds.size(), 1u);
  EXPECT_EQ(ds[0].to_string(),
            "--set: regions.North.tax_rate: expected a number in [0, 1), got 1.3");
}

TEST(ScenarioOverride, WrongTypeIsReportedUnderSet) {
  auto ds = tiny_errors_with({"months=soon"});
  ASSERT_EQ(ds.size(), 1u);
  EXPECT_EQ(ds[0].to_string(), "--set: months: expected a number, got 'soon'");
}

TEST(ScenarioOverride, InvalidYamlValueIsReported) {
  auto ds = tiny_errors_with({"groups.Everywhere=[North"});
  ASSERT_EQ(ds.size(), 1u);
  EXPECT_EQ(ds[0].file, "--set");
  EXPECT_EQ(ds[0].key, "groups.Everywhere");
  EXPECT_NE(ds[0].message.find("invalid YAML"), std::string::npos) << ds[0].message;
}

TEST(ScenarioOverride, PathThroughASingleValueIsReported) {
  auto ds = tiny_errors_with({"months.first=3"});
  ASSERT_EQ(ds.size(), 1u);
  EXPECT_EQ(ds[0].to_string(),
            "--set: months.first: cannot set 'months.first': 'months' is a single value (24), "
            "not a map of keys");
}

TEST(ScenarioOverride, ItemsOfUnnamedListsCannotBeAddressed) {
  auto ds = tiny_errors_with({"groups.Everywhere.North=1"});
  ASSERT_EQ(ds.size(), 1u);
  EXPECT_EQ(ds[0].to_string(),
            "--set: groups.Everywhere: cannot address an item of 'groups.Everywhere' by name in "
            "'groups.Everywhere.North'; set the whole list instead (--set "
            "groups.Everywhere=[...])");
}

TEST(ScenarioOverride, ErrorsInTheFileAndInOverridesComeTogether) {
  const std::string yaml = kMinimal + "months: 0\n";
  auto ds = diagnostics_of(yaml, {parse_override("regions.North.cost_of_living=-1")});
  ASSERT_EQ(ds.size(), 2u);
  EXPECT_EQ(ds[0].to_string(), "x.yaml:11:9: months: expected an integer in [1, 1200], got 0");
  EXPECT_EQ(ds[1].to_string(),
            "--set: regions.North.cost_of_living: expected a number > 0, got -1");
}

}  // namespace
}  // namespace mercato::scenario::test
