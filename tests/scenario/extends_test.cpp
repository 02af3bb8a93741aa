// `extends:`: a child merged over its parent (maps merged, named lists merged by id/name,
// `remove: true`, other lists replaced), chains, cycles, missing parents, and error locations
// in the file where a value was written. Fixtures: base.yaml <- child.yaml <- nested/grandchild.
#include <gtest/gtest.h>

#include "support.hpp"

namespace mercato::scenario::test {
namespace {

const OrgConfig* find_org(const Config& c, const std::string& name) {
  for (const auto& o : c.organisations)
    if (o.name == name) return &o;
  return nullptr;
}

TEST(ScenarioExtends, ChildValuesOverrideAndParentValuesRemain) {
  const Config c = load(fixture("child.yaml"));
  EXPECT_EQ(c.name, "child");
  EXPECT_EQ(c.description, "the parent");  // inherited
  EXPECT_EQ(c.months, 60);
}

TEST(ScenarioExtends, MapsMergeKeyByKey) {
  const Config c = load(fixture("child.yaml"));
  EXPECT_DOUBLE_EQ(c.model.rho, 2.0);        // child
  EXPECT_DOUBLE_EQ(c.model.move_cost, 0.2);  // parent
}

TEST(ScenarioExtends, NamedListItemsMergeById) {
  const Config c = load(fixture("child.yaml"));
  ASSERT_EQ(c.regions.size(), 3u);
  EXPECT_EQ(c.regions[0].id, "North");
  EXPECT_DOUBLE_EQ(c.regions[0].tax_rate, 0.25);      // child
  EXPECT_DOUBLE_EQ(c.regions[0].visa_friction, 0.4);  // parent
  EXPECT_EQ(c.regions[1].id, "South");                // untouched, in the parent's place
  EXPECT_EQ(c.regions[2].id, "East");                 // new items are appended
}

TEST(ScenarioExtends, NestedMapsInsideNamedItemsMerge) {
  const Config c = load(fixture("child.yaml"));
  const OrgConfig* lab = find_org(c, "Lab");
  ASSERT_NE(lab, nullptr);
  EXPECT_EQ(lab->counter_probability, Distribution::constant(0.7));  // parent
  EXPECT_EQ(lab->counter_share, Distribution::constant(0.5));        // child
}

TEST(ScenarioExtends, DistributionReplacesTheParentsWhole) {
  const Config c = load(fixture("child.yaml"));
  EXPECT_EQ(find_org(c, "Lab")->compute, Distribution::normal(150, 10));
}

TEST(ScenarioExtends, RemoveTrueDropsTheParentsItem) {
  const Config c = load(fixture("child.yaml"));
  EXPECT_EQ(find_org(c, "Shop"), nullptr);
  ASSERT_EQ(c.organisations.size(), 2u);
  EXPECT_EQ(c.organisations[0].name, "Lab");
  EXPECT_EQ(c.organisations[1].name, "Startup");
}

TEST(ScenarioExtends, OtherListsAreReplaced) {
  const Config c = load(fixture("child.yaml"));
  ASSERT_EQ(c.groups.size(), 1u);
  EXPECT_EQ(c.groups[0].regions, (std::vector<std::string>{"North"}));
  EXPECT_EQ(c.outputs.tables, (std::vector<std::string>{"flows"}));
}

TEST(ScenarioExtends, ListsNotGivenByTheChildAreInherited) {
  const Config c = load(fixture("child.yaml"));
  ASSERT_EQ(c.personas.size(), 2u);
  EXPECT_EQ(c.personas[1].w_mission, Distribution::constant(2.0));
  ASSERT_EQ(c.talents.size(), 1u);
  EXPECT_DOUBLE_EQ(c.talents[0].count, 100);
}

TEST(ScenarioExtends, ChainsResolveEachParentRelativeToItsFile) {
  const Config c = load(fixture("nested/grandchild.yaml"));
  EXPECT_EQ(c.name, "grandchild");
  EXPECT_EQ(c.months, 12);
  EXPECT_DOUBLE_EQ(c.model.rho, 2.0);        // from child.yaml
  EXPECT_DOUBLE_EQ(c.model.move_cost, 0.2);  // from base.yaml
  const OrgConfig* startup = find_org(c, "Startup");
  ASSERT_NE(startup, nullptr);
  EXPECT_TRUE(startup->is_pool);
  EXPECT_EQ(startup->count, 4);
  EXPECT_EQ(startup->ai_value, Distribution::constant(1e7));
}

TEST(ScenarioExtends, StringScenarioResolvesItsParentAgainstBaseDir) {
  const Config c = load_string("extends: child.yaml\nname: inline\n", "inline", {}, fixture(""));
  EXPECT_EQ(c.name, "inline");
  EXPECT_EQ(c.regions.size(), 3u);
}

TEST(ScenarioExtends, CycleIsAnErrorNamingTheChain) {
  const std::string a = fixture("cycle_a.yaml");
  auto ds = file_diagnostics_of(a);
  ASSERT_EQ(ds.size(), 1u);
  EXPECT_EQ(ds[0].key, "extends");
  EXPECT_EQ(ds[0].file, fixture("cycle_b.yaml"));
  EXPECT_EQ(ds[0].line, 1);
  EXPECT_EQ(ds[0].message, "extends cycle: " + a + " -> " + fixture("cycle_b.yaml") + " -> " + a);
}

TEST(ScenarioExtends, FileExtendingItselfIsACycle) {
  const std::string self = fixture("self.yaml");
  auto ds = file_diagnostics_of(self);
  ASSERT_EQ(ds.size(), 1u);
  EXPECT_EQ(ds[0].to_string(), self + ":1:10: extends: extends cycle: " + self + " -> " + self);
}

TEST(ScenarioExtends, MissingParentIsAnErrorNamingTheChain) {
  const std::string child = fixture("missing_parent.yaml");
  auto ds = file_diagnostics_of(child);
  ASSERT_EQ(ds.size(), 1u);
  EXPECT_EQ(ds[0].to_string(), child + ":2:10: extends: parent scenario '" +
                                   fixture("nowhere.yaml") + "' not found (chain: " + child +
                                   " -> " + fixture("nowhere.yaml") + ")");
}

TEST(ScenarioExtends, ErrorsPointAtTheFileWhereTheValueWasWritten) {
  const std::string child = fixture("child_of_bad.yaml");
  auto ds = file_diagnostics_of(child);
  ASSERT_EQ(ds.size(), 2u);
  std::vector<std::string> got = {ds[0].to_string(), ds[1].to_string()};
  std::sort(got.begin(), got.end());
  EXPECT_EQ(got[0], fixture("bad_parent.yaml") +
                        ":6:15: regions.North.tax_rate: expected a number in [0, 1), got 1.3");
  EXPECT_EQ(got[1], child + ":3:9: months: expected an integer in [1, 1200], got 0");
}

TEST(ScenarioExtends, RemovingAnItemTheParentLacksIsAnError) {
  const std::string child = fixture("remove_unknown.yaml");
  auto ds = file_diagnostics_of(child);
  ASSERT_EQ(ds.size(), 1u);
  EXPECT_EQ(ds[0].to_string(), child +
                                   ":4:13: organisations.Nothing.remove: nothing to remove: the "
                                   "parent scenario has no organisation 'Nothing'");
}

TEST(ScenarioExtends, SyntaxErrorInAParentIsReportedInTheParent) {
  auto ds = file_diagnostics_of(fixture("syntax_parent.yaml"));
  ASSERT_EQ(ds.size(), 1u);
  EXPECT_EQ(ds[0].file, fixture("truncated.yaml"));
  EXPECT_NE(ds[0].message.find("invalid YAML"), std::string::npos) << ds[0].message;
}

TEST(ScenarioExtends, ExtendsMustBeAPath) {
  EXPECT_EQ(only_error("extends: [a, b]\nname: x\n"),
            "x.yaml:1:10: extends: expected the path of a parent scenario (relative to this "
            "file), got a list");
}

}  // namespace
}  // namespace mercato::scenario::test
