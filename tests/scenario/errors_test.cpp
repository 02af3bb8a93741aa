// Validation messages: each kind of mistake gives one message with file:line:column, the key
// path and what was expected. kMinimal (support.hpp) is ten valid lines; the appended mistake
// sits on line 11 unless a test says otherwise.
#include <gtest/gtest.h>

#include "support.hpp"

namespace mercato::scenario::test {
namespace {

// kMinimal with its line `from` replaced by `to`.
std::string minimal_with(const std::string& from, const std::string& to) {
  std::string s = kMinimal;
  s.replace(s.find(from), from.size(), to);
  return s;
}

// --- unknown keys -------------------------------------------------------------------------

TEST(ScenarioErrors, UnknownKeySuggestsNearMiss) {
  EXPECT_EQ(only_error(kMinimal + "    max_ofer: 5\n"),
            "x.yaml:11:5: organisations.Lab.max_ofer: unknown key 'max_ofer'; "
            "did you mean 'max_offer'?");
}

TEST(ScenarioErrors, UnknownTopLevelKeySuggestsNearMiss) {
  EXPECT_EQ(only_error(kMinimal + "scael: 2\n"),
            "x.yaml:11:1: scael: unknown key 'scael'; did you mean 'scale'?");
}

TEST(ScenarioErrors, SwappedLettersCountAsANearMiss) {
  EXPECT_EQ(only_error(kMinimal + "modle: {rho: 2}\n"),
            "x.yaml:11:1: modle: unknown key 'modle'; did you mean 'model'?");
}

TEST(ScenarioErrors, UnknownKeyFarFromAnyListsTheExpectedKeys) {
  EXPECT_EQ(only_error(kMinimal + "outputs: {colour: red}\n"),
            "x.yaml:11:11: outputs.colour: unknown key 'colour'; expected one of: moves, "
            "origins_every_months, tables");
}

TEST(ScenarioErrors, UnknownNestedKeySuggestsNearMiss) {
  EXPECT_EQ(only_error(kMinimal + "    counter_policy: {probablity: 0.3}\n"),
            "x.yaml:11:22: organisations.Lab.counter_policy.probablity: unknown key "
            "'probablity'; did you mean 'probability'?");
}

TEST(ScenarioErrors, UnknownKindSuggestsNearMiss) {
  EXPECT_EQ(only_error(kMinimal + "  - {name: B, kind: bigtech, region: North, ai_value: 1}\n"),
            "x.yaml:11:21: organisations.B.kind: unknown kind 'bigtech'; did you mean "
            "'big_tech'?");
}

TEST(ScenarioErrors, UnknownKindIsTheOnlyMessageForItsOrganisation) {
  // Without a kind there are no kind defaults; "missing ai_value" would be noise.
  EXPECT_EQ(only_error(kMinimal + "  - {name: B, kind: lab, region: North}\n"),
            "x.yaml:11:21: organisations.B.kind: unknown kind 'lab'; expected one of: "
            "frontier_lab, big_tech, startup, sme, university, public_lab");
}

TEST(ScenarioErrors, UnknownKindUnderModelKindsSuggestsNearMiss) {
  EXPECT_EQ(only_error(kMinimal + "model:\n  kinds:\n    startups: {annual_raise: 0.1}\n"),
            "x.yaml:13:5: model.kinds.startups: unknown kind 'startups'; did you mean "
            "'startup'?");
}

TEST(ScenarioErrors, UnknownDistributionSuggestsNearMiss) {
  EXPECT_EQ(only_error(kMinimal + "    compute: {unifrom: [1, 2]}\n"),
            "x.yaml:11:15: organisations.Lab.compute.unifrom: unknown distribution 'unifrom'; "
            "did you mean 'uniform'?");
}

TEST(ScenarioErrors, RemoveWithoutAParentIsExplained) {
  EXPECT_EQ(only_error(kMinimal + "    remove: true\n"),
            "x.yaml:11:13: organisations.Lab.remove: 'remove' needs a parent scenario "
            "(extends:) that defines this organisation");
}

// --- wrong types --------------------------------------------------------------------------

TEST(ScenarioErrors, WordWhereANumberIsExpected) {
  EXPECT_EQ(only_error(kMinimal + "    mission: high\n"),
            "x.yaml:11:14: organisations.Lab.mission: expected a number, got 'high'");
}

TEST(ScenarioErrors, ListWhereANumberIsExpected) {
  EXPECT_EQ(only_error(kMinimal + "months: [1, 2]\n"),
            "x.yaml:11:9: months: expected a number, got a list");
}

TEST(ScenarioErrors, MapWhereAListIsExpected) {
  EXPECT_EQ(only_error(kMinimal + "talents: {origin: North}\n"),
            "x.yaml:11:10: talents: expected a list of talent stocks (each a map with an "
            "origin region), got a map");
}

TEST(ScenarioErrors, NumberWhereANestedMapIsExpected) {
  EXPECT_EQ(only_error(kMinimal + "    target_headcount: 12\n"),
            "x.yaml:11:23: organisations.Lab.target_headcount: expected a map with keys "
            "research, engineering, got 12");
}

TEST(ScenarioErrors, FractionWhereAnIntegerIsExpected) {
  EXPECT_EQ(only_error(kMinimal + "months: 2.5\n"),
            "x.yaml:11:9: months: expected an integer, got 2.5");
}

TEST(ScenarioErrors, DistributionNeedsTwoParameters) {
  EXPECT_EQ(only_error(kMinimal + "    compute: {normal: [1]}\n"),
            "x.yaml:11:23: organisations.Lab.compute.normal: expected [mean, sd] (a list of two "
            "numbers), got a list of 1");
}

TEST(ScenarioErrors, StartMustBeYearDashMonth) {
  EXPECT_EQ(only_error(kMinimal + "start: 2025-13\n"),
            "x.yaml:11:8: start: expected a month as YYYY-MM (e.g. 2025-01), got '2025-13'");
}

TEST(ScenarioErrors, NegativeSeedIsRejected) {
  EXPECT_EQ(only_error(kMinimal + "seed: -1\n"),
            "x.yaml:11:7: seed: expected a non-negative integer, got -1");
}

// --- out of range -------------------------------------------------------------------------

TEST(ScenarioErrors, TaxRateOutsideZeroToOne) {
  const std::string yaml =
      "mercato: 1\n"
      "name: t\n"
      "regions:\n"
      "  - id: FR\n"
      "    tax_rate: 1.3\n"
      "organisations:\n"
      "  - {name: Lab, kind: frontier_lab, region: FR, ai_value: 1.0e+9}\n";
  EXPECT_EQ(only_error(yaml),
            "x.yaml:5:15: regions.FR.tax_rate: expected a number in [0, 1), got 1.3");
}

// A payroll budget of 0 is valid (the organisation then makes no offers:
// Extremes.AZeroPayrollBudgetRunsAndThatOrganisationMakesNoOffers); a negative one is not.
TEST(ScenarioErrors, PayrollBudgetMayBeZeroButNotNegative) {
  EXPECT_NO_THROW(load_string(kMinimal + "    payroll_budget: 0\n", "x.yaml"));
  EXPECT_EQ(only_error(kMinimal + "    payroll_budget: -1\n"),
            "x.yaml:11:21: organisations.Lab.payroll_budget: expected a number >= 0, got -1");
}

// A posted floor on hires (min_offer) may be 0, the default (none), but not negative, and not
// above max_offer, where the organisation could make no offer at all.
TEST(ScenarioErrors, MinOfferIsAtLeastZeroAndAtMostMaxOffer) {
  EXPECT_NO_THROW(load_string(kMinimal + "    min_offer: 5.0e+5\n", "x.yaml"));
  EXPECT_EQ(only_error(kMinimal + "    min_offer: -1\n"),
            "x.yaml:11:16: organisations.Lab.min_offer: expected a number >= 0, got -1");
  EXPECT_EQ(only_error(kMinimal + "    max_offer: 1.0e+6\n    min_offer: 2.0e+6\n"),
            "x.yaml:12:16: organisations.Lab.min_offer: expected at most max_offer (1e+06), got "
            "2e+06: the organisation could make no offer");
}

TEST(ScenarioErrors, ShareAboveOne) {
  EXPECT_EQ(only_error(kMinimal + "    mission: 1.5\n"),
            "x.yaml:11:14: organisations.Lab.mission: expected a number in [0, 1], got 1.5");
}

TEST(ScenarioErrors, NegativeProbability) {
  EXPECT_EQ(only_error(kMinimal + "    counter_policy: {probability: -0.1}\n"),
            "x.yaml:11:35: organisations.Lab.counter_policy.probability: expected a number in "
            "[0, 1], got -0.1");
}

TEST(ScenarioErrors, NegativeTalentCount) {
  EXPECT_EQ(only_error(kMinimal + "talents:\n  - origin: North\n    count: -5\n"),
            "x.yaml:13:12: talents.North.count: expected a number in [0, 1000000000], got -5");
}

TEST(ScenarioErrors, PoolOfZeroOrganisations) {
  EXPECT_EQ(only_error(kMinimal + "    count: 0\n"),
            "x.yaml:11:12: organisations.Lab.count: expected an integer in [1, 10000000], got 0");
}

TEST(ScenarioErrors, CostOfLivingMustBePositive) {
  EXPECT_EQ(only_error(minimal_with("  - id: South\n", "  - {id: South, cost_of_living: 0}\n")),
            "x.yaml:5:33: regions.South.cost_of_living: expected a number > 0, got 0");
}

TEST(ScenarioErrors, GraduateAbilitySigmaMustBePositive) {
  EXPECT_EQ(only_error(
                minimal_with("  - id: South\n", "  - {id: South, graduate_ability: {sigma: 0}}\n")),
            "x.yaml:5:43: regions.South.graduate_ability.sigma: expected a number > 0, got 0");
}

TEST(ScenarioErrors, StudyAbroadIsAMapOfRegionShares) {
  EXPECT_EQ(only_error(minimal_with("  - id: South\n", "  - {id: South, study_abroad: 0.3}\n")),
            "x.yaml:5:31: regions.South.study_abroad: expected a map from region id to the share "
            "of graduates who study there (e.g. {US: 0.3}), got 0.3");
}

TEST(ScenarioErrors, StudyAbroadNamesAnotherDefinedRegion) {
  EXPECT_EQ(
      only_error(minimal_with("  - id: South\n", "  - {id: South, study_abroad: {Nort: 0.3}}\n")),
      "x.yaml:5:38: regions.South.study_abroad.Nort: no region 'Nort' is defined; did you mean "
      "'North'?");
  // One message: the unknown region's share does not also count towards the total.
  EXPECT_EQ(only_error(minimal_with("  - id: South\n",
                                    "  - {id: South, study_abroad: {North: 0.8, Nort: 0.3}}\n")),
            "x.yaml:5:50: regions.South.study_abroad.Nort: no region 'Nort' is defined; did you "
            "mean 'North'?");
  EXPECT_EQ(
      only_error(minimal_with("  - id: South\n", "  - {id: South, study_abroad: {South: 0.3}}\n")),
      "x.yaml:5:39: regions.South.study_abroad.South: 'South' is the region itself; study_abroad "
      "lists the other regions where its graduates study (the rest study at home)");
}

TEST(ScenarioErrors, StudyAbroadSharesAreSharesAddingUpToAtMostOne) {
  EXPECT_EQ(
      only_error(minimal_with("  - id: South\n", "  - {id: South, study_abroad: {North: 1.2}}\n")),
      "x.yaml:5:39: regions.South.study_abroad.North: expected a number in [0, 1], got 1.2");
  const std::string three_regions = minimal_with(
      "  - id: South\n", "  - {id: South, study_abroad: {North: 0.6, East: 0.5}}\n  - id: East\n");
  EXPECT_EQ(only_error(three_regions),
            "x.yaml:5:31: regions.South.study_abroad: expected shares adding up to at most 1, "
            "got 1.1");
}

TEST(ScenarioErrors, StudyAbroadSelectionAndForeignIdleMonthsOutOfRange) {
  EXPECT_EQ(
      only_error(minimal_with("  - id: South\n", "  - {id: South, study_abroad_selection: 1.5}\n")),
      "x.yaml:5:41: regions.South.study_abroad_selection: expected a number in [0, 1], got "
      "1.5");
  EXPECT_EQ(
      only_error(minimal_with("  - id: South\n", "  - {id: South, foreign_idle_months: -3}\n")),
      "x.yaml:5:38: regions.South.foreign_idle_months: expected a number in [0, 1200], got -3");
  EXPECT_EQ(only_error(minimal_with("  - id: South\n", "  - {id: South, doctoral_months: 200}\n")),
            "x.yaml:5:34: regions.South.doctoral_months: expected a number in [0, 120], got 200");
}

TEST(ScenarioErrors, RhoBelowOne) {
  EXPECT_EQ(only_error(kMinimal + "model: {rho: 0.9}\n"),
            "x.yaml:11:14: model.rho: expected a number >= 1, got 0.9");
}

TEST(ScenarioErrors, ReturnsToScaleMustDecrease) {
  EXPECT_EQ(
      only_error(kMinimal + "model: {alpha: 0.5, beta_research: 0.3, beta_engineering: 0.2}\n"),
      "x.yaml:11:8: model: expected alpha + beta_research + beta_engineering < 1 "
      "(decreasing returns), got 1");
}

TEST(ScenarioErrors, MonthsAboveOneHundredYears) {
  EXPECT_EQ(only_error(kMinimal + "months: 1201\n"),
            "x.yaml:11:9: months: expected an integer in [1, 1200], got 1201");
}

TEST(ScenarioErrors, LognormalMedianMustBePositive) {
  EXPECT_EQ(only_error(kMinimal + "    max_offer: {lognormal: [0, 1]}\n"),
            "x.yaml:11:16: organisations.Lab.max_offer: expected a lognormal median > 0, got 0");
}

TEST(ScenarioErrors, UniformBoundsMustBeOrdered) {
  EXPECT_EQ(only_error(kMinimal + "    compute: {uniform: [5, 1]}\n"),
            "x.yaml:11:14: organisations.Lab.compute: expected {uniform: [lo, hi]} with lo <= hi, "
            "got [5, 1]");
}

TEST(ScenarioErrors, UniformBoundsMustLieInTheFieldsRange) {
  EXPECT_EQ(only_error(kMinimal + "    openness: {uniform: [0.5, 1.5]}\n"),
            "x.yaml:11:15: organisations.Lab.openness: expected uniform bounds in [0, 1], got "
            "[0.5, 1.5]");
}

TEST(ScenarioErrors, NotANumberIsRejected) {
  EXPECT_EQ(only_error(kMinimal + "    compute: .nan\n"),
            "x.yaml:11:14: organisations.Lab.compute: expected a finite number, got .nan");
}

TEST(ScenarioErrors, InfinityIsRejected) {
  EXPECT_EQ(only_error(kMinimal + "    compute: -.inf\n"),
            "x.yaml:11:14: organisations.Lab.compute: expected a finite number, got -.inf");
}

TEST(ScenarioErrors, AbsurdMagnitudeIsRejected) {
  EXPECT_EQ(only_error(kMinimal + "    max_offer: 2e15\n"),
            "x.yaml:11:16: organisations.Lab.max_offer: expected a number of magnitude at most "
            "1e15, got 2e15");
}

// --- references and names -----------------------------------------------------------------

TEST(ScenarioErrors, OrganisationInUndefinedRegionSuggestsNearMiss) {
  EXPECT_EQ(only_error(kMinimal + "  - {name: B, kind: sme, region: Nort, ai_value: 1}\n"),
            "x.yaml:11:34: organisations.B.region: no region 'Nort' is defined; did you mean "
            "'North'?");
}

TEST(ScenarioErrors, HeadquartersInUndefinedRegionSuggestsNearMiss) {
  EXPECT_EQ(
      only_error(kMinimal +
                 "  - {name: B, kind: sme, region: North, headquarters: Sout, ai_value: 1}\n"),
      "x.yaml:11:55: organisations.B.headquarters: no region 'Sout' is defined; did you "
      "mean 'South'?");
}

TEST(ScenarioErrors, TalentsFromUndefinedRegionListTheRegions) {
  EXPECT_EQ(only_error(kMinimal + "talents:\n  - origin: Atlantis\n"),
            "x.yaml:12:13: talents.Atlantis.origin: no region 'Atlantis' is defined; expected "
            "one of: North, South");
}

TEST(ScenarioErrors, WorkInUndefinedRegion) {
  EXPECT_EQ(only_error(kMinimal + "talents:\n  - {origin: North, work: {North: 1, Sout: 1}}\n"),
            "x.yaml:12:44: talents.North.work.Sout: no region 'Sout' is defined; did you mean "
            "'South'?");
}

TEST(ScenarioErrors, WorkWithoutAPositiveShare) {
  EXPECT_EQ(only_error(kMinimal + "talents:\n  - {origin: North, work: {North: 0}}\n"),
            "x.yaml:12:27: talents.North.work: expected at least one region with a share > 0 "
            "(e.g. {US: 1})");
}

TEST(ScenarioErrors, GroupOfUndefinedRegion) {
  EXPECT_EQ(only_error(kMinimal + "groups:\n  Both: [North, Soth]\n"),
            "x.yaml:12:17: groups.Both[1]: no region 'Soth' is defined; did you mean 'South'?");
}

TEST(ScenarioErrors, DuplicateOrganisationNamesPointAtBoth) {
  EXPECT_EQ(only_error(kMinimal + "  - {name: Lab, kind: sme, region: South, ai_value: 1}\n"),
            "x.yaml:11:12: organisations.Lab: duplicate organisation 'Lab' (first defined at "
            "x.yaml:7:11)");
}

TEST(ScenarioErrors, DuplicateRegionIds) {
  EXPECT_EQ(only_error(minimal_with("  - id: South\n", "  - id: North\n")),
            "x.yaml:5:9: regions.North: duplicate region id 'North' (first defined at "
            "x.yaml:4:9)");
}

TEST(ScenarioErrors, DuplicatePersonaNames) {
  EXPECT_EQ(only_error(kMinimal + "personas:\n  - name: a\n  - name: a\n"),
            "x.yaml:13:11: personas.a: duplicate persona 'a' (first defined at x.yaml:12:11)");
}

TEST(ScenarioErrors, DuplicateYamlKey) {
  EXPECT_EQ(only_error(kMinimal + "name: again\n"),
            "x.yaml:11:1: name: duplicate key (first written at line 2)");
}

TEST(ScenarioErrors, MissingRequiredKeysOfAnOrganisation) {
  auto ds = diagnostics_of(kMinimal + "  - name: B\n    ai_value: 1\n");
  ASSERT_EQ(ds.size(), 2u);
  EXPECT_EQ(ds[0].to_string(),
            "x.yaml:11:5: organisations.B.kind: missing required key 'kind' (one of "
            "frontier_lab, big_tech, startup, sme, university, public_lab)");
  EXPECT_EQ(ds[1].to_string(),
            "x.yaml:11:5: organisations.B.region: missing required key 'region'");
}

TEST(ScenarioErrors, AiValueAndTfpAreExclusive) {
  EXPECT_EQ(only_error(kMinimal + "    tfp: 2\n    price: 1\n"),
            "x.yaml:7:5: organisations.Lab: give either ai_value or tfp and price, not both");
}

TEST(ScenarioErrors, TfpNeedsPrice) {
  EXPECT_EQ(only_error(minimal_with("    ai_value: 1.0e+9\n", "    tfp: 3\n")),
            "x.yaml:7:5: organisations.Lab: tfp needs price as well (or give ai_value instead)");
}

TEST(ScenarioErrors, OrganisationWithoutProductionIsExplained) {
  EXPECT_EQ(only_error(minimal_with("    ai_value: 1.0e+9\n", "")),
            "x.yaml:7:5: organisations.Lab: missing ai_value (the annual value of its AI output, "
            "USD/yr) or tfp and price (here or in model.kinds.frontier_lab)");
}

// --- version, events, top level -----------------------------------------------------------

TEST(ScenarioErrors, SchemaVersionOtherThanOne) {
  EXPECT_EQ(only_error(minimal_with("mercato: 1", "mercato: 2")),
            "x.yaml:1:10: mercato: unsupported schema version 2: this mercato reads version 1");
}

TEST(ScenarioErrors, MissingSchemaVersion) {
  EXPECT_EQ(only_error(minimal_with("mercato: 1\n", "")),
            "x.yaml:1:1: mercato: missing required key 'mercato' (the schema version: 1)");
}

TEST(ScenarioErrors, MissingName) {
  EXPECT_EQ(only_error(minimal_with("name: mini\n", "")),
            "x.yaml:1:1: name: missing required key 'name'");
}

TEST(ScenarioErrors, NoOrganisations) {
  EXPECT_EQ(only_error("mercato: 1\nname: t\nregions: [{id: R}]\norganisations: []\n"),
            "x.yaml:4:16: organisations: expected at least one organisation");
}

TEST(ScenarioErrors, UnknownEventTypeSuggestsNearMiss) {
  // More event mistakes are in events_test.cpp.
  EXPECT_EQ(only_error(kMinimal + "events:\n  - type: ofensive\n    start: 3\n"),
            "x.yaml:12:11: events[0].type: unknown event type 'ofensive'; did you mean "
            "'offensive'?");
}

TEST(ScenarioErrors, EmptyEventListIsAccepted) {
  EXPECT_NO_THROW(load_string(kMinimal + "events: []\n", "x.yaml"));
}

TEST(ScenarioErrors, UnknownOutputTableSuggestsNearMiss) {
  EXPECT_EQ(only_error(kMinimal + "outputs: {tables: [flow]}\n"),
            "x.yaml:11:20: outputs.tables[0]: unknown table 'flow'; did you mean 'flows'?");
}

TEST(ScenarioErrors, UnknownMoveLogLevel) {
  EXPECT_EQ(only_error(kMinimal + "outputs: {moves: some}\n"),
            "x.yaml:11:18: outputs.moves: expected one of none, elite, top, all, got 'some'");
}

// --- all at once --------------------------------------------------------------------------

TEST(ScenarioErrors, AllErrorsOfAFileAreReportedAtOnceInFileOrder) {
  const std::string f = fixture("many_errors.yaml");
  std::vector<std::string> got;
  for (const auto& d : file_diagnostics_of(f)) got.push_back(d.to_string());
  const std::vector<std::string> expected = {
      f + ":4:9: months: expected an integer in [1, 1200], got 0",
      f + ":6:8: model.rho: expected a number >= 1, got 0.5",
      f + ":9:15: regions.North.tax_rate: expected a number in [0, 1), got 1.3",
      f + ":10:5: regions.North.cost_of_livng: unknown key 'cost_of_livng'; did you mean "
          "'cost_of_living'?",
      f + ":14:13: organisations.Lab.region: no region 'Nowhere' is defined; expected one of: "
          "North",
      f + ":16:14: organisations.Lab.mission: expected a number, got 'lots'",
      f + ":19:12: talents.North.count: expected a number in [0, 1000000000], got -1",
      f + ":21:11: events[0].type: unknown event type 'ofensive'; did you mean 'offensive'?",
      f + ":23:10: outputs.moves: expected one of none, elite, top, all, got 'several'",
  };
  EXPECT_EQ(got, expected);
}

TEST(ScenarioErrors, WhatListsEveryDiagnosticOnItsOwnLine) {
  try {
    load(fixture("many_errors.yaml"));
    FAIL();
  } catch (const ScenarioError& e) {
    std::string what = e.what();
    EXPECT_EQ(static_cast<std::size_t>(std::count(what.begin(), what.end(), '\n')) + 1,
              e.diagnostics().size());
  }
}

TEST(ScenarioErrors, FaultyKindDefaultIsReportedOnceWhereItIsWritten) {
  // Two organisations inherit the same bad default: one message, at the kind's line.
  auto ds = diagnostics_of(kMinimal +
                           "  - {name: A, kind: sme, region: North, ai_value: 1}\n"
                           "  - {name: B, kind: sme, region: North, ai_value: 1}\n"
                           "model:\n"
                           "  kinds:\n"
                           "    sme: {max_offer: -5}\n");
  ASSERT_EQ(ds.size(), 1u);
  EXPECT_EQ(ds[0].to_string(),
            "x.yaml:15:22: model.kinds.sme.max_offer: expected a number > 0, got -5");
}

}  // namespace
}  // namespace mercato::scenario::test
