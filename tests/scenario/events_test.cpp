// The event timeline: decoding each type, validation messages, `extends:` merging and `--set`
// by event name, and build_events (names to ids, pools expanded, defaults filled in).
// Fixtures: events_all.yaml (one event of each type), events_parent.yaml <- events_child.yaml.
#include <gtest/gtest.h>

#include <cmath>

#include "support.hpp"

namespace mercato::scenario::test {
namespace {

// Regions North (tax 0.4) and South, organisations Meta, Helix, Uni and the pool Shops (3);
// 24 months from 2025-01. Events appended to it start on line 16.
const std::string kWorld =
    "mercato: 1\n"                                                                   // 1
    "name: ev\n"                                                                     // 2
    "months: 24\n"                                                                   // 3
    "regions:\n"                                                                     // 4
    "  - {id: North, tax_rate: 0.4}\n"                                               // 5
    "  - {id: South}\n"                                                              // 6
    "organisations:\n"                                                               // 7
    "  - {name: Meta, kind: big_tech, region: North, ai_value: 1.0e+9}\n"            // 8
    "  - {name: Helix, kind: frontier_lab, region: North, ai_value: 1.0e+9}\n"       // 9
    "  - {name: Uni, kind: university, region: South, ai_value: 1.0e+6}\n"           // 10
    "  - {name: Shops, kind: startup, region: South, count: 3, ai_value: 1.0e+7}\n"  // 11
    "talents:\n"                                                                     // 12
    "  - {origin: North, count: 60}\n"                                               // 13
    "outputs: {moves: none}\n"                                                       // 14
    "events:\n";                                                                     // 15

const EventConfig& event(const Config& c, const std::string& name) {
  for (const auto& e : c.events)
    if (e.name == name) return e;
  throw std::runtime_error("no event " + name);
}

// --- decoding ------------------------------------------------------------------------------

TEST(ScenarioEvents, OneEventOfEachTypeIsDecoded) {
  const Config c = load(fixture("events_all.yaml"));
  ASSERT_EQ(c.events.size(), static_cast<std::size_t>(kEventTypeCount));
  for (int k = 0; k < kEventTypeCount; ++k)
    EXPECT_EQ(c.events[k].type, static_cast<EventType>(k)) << k;

  const EventConfig& raid = c.events[0];
  EXPECT_EQ(raid.name, "meta-raid");
  EXPECT_EQ(raid.start_month, 6);
  EXPECT_EQ(raid.end_month, 11);
  EXPECT_EQ(raid.org, "Meta");
  EXPECT_EQ(raid.targets, (std::vector<std::string>{"Helix", "Shops"}));
  EXPECT_EQ(raid.top_k, 60);
  EXPECT_EQ(raid.budget, 2e9);
  EXPECT_EQ(raid.role, Role::research);
  EXPECT_EQ(raid.max_offer, 1e8);
  EXPECT_FALSE(raid.value_share.has_value());  // the organisation's, in build_events
  EXPECT_EQ(raid.immediate_vesting, true);

  const EventConfig& grant = c.events[1];
  EXPECT_EQ(grant.name, "retention_grant-2");  // type and position
  EXPECT_EQ(grant.start_month, 7);
  EXPECT_FALSE(grant.end_month.has_value());
  EXPECT_EQ(grant.org, "Helix");
  EXPECT_EQ(grant.top_share, 0.1);
  EXPECT_FALSE(grant.top_k.has_value());
  EXPECT_EQ(grant.wage_multiple, 2);
  EXPECT_EQ(grant.vest_months, 36);

  const EventConfig& shift = c.events[2];
  EXPECT_EQ(shift.end_month, 12);
  EXPECT_EQ(shift.openness, 0.9);
  EXPECT_FALSE(shift.mission.has_value());

  const EventConfig& compute = c.events[3];
  EXPECT_EQ(compute.start_month, 12);  // 2026-01
  EXPECT_EQ(compute.factor, 2);
  EXPECT_EQ(compute.growth, 0.5);
  EXPECT_EQ(compute.cost_per_gpu, 20000);

  const EventConfig& alliance = c.events[4];
  EXPECT_EQ(alliance.targets, (std::vector<std::string>{"Meta"}));
  EXPECT_EQ(alliance.share, 0.25);

  const EventConfig& training = c.events[5];
  EXPECT_EQ(training.region, "South");
  EXPECT_EQ(training.end_month, 23);
  EXPECT_EQ(training.graduates_per_year, 50);
  EXPECT_EQ(training.cost_per_place, 1e5);
  EXPECT_EQ(training.lag_months, 24);
  EXPECT_FALSE(training.research_share.has_value());

  const EventConfig& tax = c.events[6];
  EXPECT_EQ(tax.start_month, 2);
  EXPECT_EQ(tax.tax_rate, 0.2);
  EXPECT_EQ(tax.years, 5);

  const EventConfig& gpus = c.events[7];
  EXPECT_EQ(gpus.gpus, 1000);
  EXPECT_EQ(gpus.cost_per_gpu, 15000);
  EXPECT_EQ(gpus.kind, OrgKind::university);

  EXPECT_EQ(c.events[8].visa_friction, 0.1);
  EXPECT_EQ(c.events[9].months, 12);

  const EventConfig& shock = c.events[10];
  EXPECT_EQ(shock.name, "funding_shock-11");
  EXPECT_EQ(shock.factor, 0.5);
  EXPECT_EQ(shock.kind, OrgKind::startup);
  EXPECT_TRUE(shock.region.empty());
}

TEST(ScenarioEvents, MonthsAreCountedFromTheScenarioStart) {
  const Config c = load_string(kWorld +
                                   "  - {type: visa_policy, start: 2026-03, end: 30, region: "
                                   "North, visa_friction: 0}\n"
                                   "start: 2025-11\n",
                               "x.yaml");
  EXPECT_EQ(c.events[0].start_month, 4);
  EXPECT_EQ(c.events[0].end_month, 30);  // an end beyond the run is allowed
}

TEST(ScenarioEvents, ValidateAcceptsALoadedTimeline) {
  EXPECT_NO_THROW(validate(load(fixture("events_all.yaml"))));
}

TEST(ScenarioEvents, ValidateChecksEventsBuiltInCode) {
  Config c = load_string(kWorld, "x.yaml");
  c.source_file.clear();
  EventConfig e;
  e.type = EventType::alliance;
  e.org = "Helix";
  e.targets = {"Shops"};
  e.share = 0.3;
  e.budget = 5;  // alliances take no budget
  c.events.push_back(e);
  try {
    validate(c);
    FAIL() << "expected ScenarioError";
  } catch (const ScenarioError& err) {
    ASSERT_EQ(err.diagnostics().size(), 2u) << err.what();
    EXPECT_EQ(err.diagnostics()[0].key, "events[0].budget");
    EXPECT_EQ(err.diagnostics()[0].message,
              "event type 'alliance' does not take key 'budget' (it takes: type, name, start, "
              "end, org, targets, share, cost_per_gpu)");
    EXPECT_EQ(err.diagnostics()[1].key, "events[0].targets[0]");
    EXPECT_EQ(err.diagnostics()[1].message,
              "'Shops' is a pool of organisations; alliance partners must be named "
              "organisations (without count)");
  }
}

// --- messages ------------------------------------------------------------------------------

TEST(ScenarioEvents, UnknownTypeSuggestsNearMiss) {
  EXPECT_EQ(only_error(kWorld + "  - {type: alliances, start: 0}\n"),
            "x.yaml:16:12: events[0].type: unknown event type 'alliances'; did you mean "
            "'alliance'?");
}

TEST(ScenarioEvents, MissingTypeListsTheTypes) {
  EXPECT_EQ(only_error(kWorld + "  - {start: 0}\n"),
            "x.yaml:16:5: events[0].type: missing required key 'type' (one of offensive, "
            "retention_grant, mission_shift, compute_change, alliance, training_program, "
            "tax_regime, public_compute, visa_policy, non_compete, funding_shock)");
}

TEST(ScenarioEvents, TypeThatIsNotAWordIsTheOnlyMessage) {
  EXPECT_EQ(only_error(kWorld + "  - {name: x, type: [offensive], start: 0}\n"),
            "x.yaml:16:21: events.x.type: expected a string, got a list");
}

TEST(ScenarioEvents, UnknownOrganisationSuggestsNearMiss) {
  EXPECT_EQ(only_error(kWorld + "  - {type: mission_shift, start: 0, org: Meat, mission: 1}\n"),
            "x.yaml:16:42: events.mission_shift-1.org: no organisation 'Meat' is defined; did "
            "you mean 'Meta'?");
}

TEST(ScenarioEvents, UnknownTargetSuggestsNearMiss) {
  EXPECT_EQ(
      only_error(kWorld + "  - {type: offensive, start: 0, org: Meta, targets: [Helix, Shop], "
                          "top_k: 5, budget: 1.0e+8}\n"),
      "x.yaml:16:61: events.offensive-1.targets[1]: no organisation 'Shop' is defined; "
      "did you mean 'Shops'?");
}

TEST(ScenarioEvents, UnknownRegionSuggestsNearMiss) {
  EXPECT_EQ(
      only_error(kWorld + "  - {type: visa_policy, start: 0, region: Nort, visa_friction: 0}\n"),
      "x.yaml:16:43: events.visa_policy-1.region: no region 'Nort' is defined; did you mean "
      "'North'?");
}

TEST(ScenarioEvents, UnknownRoleSuggestsNearMiss) {
  EXPECT_EQ(
      only_error(kWorld + "  - {type: retention_grant, start: 0, org: Meta, top_k: 5, amount: 1, "
                          "role: reserch}\n"),
      "x.yaml:16:77: events.retention_grant-1.role: unknown role 'reserch'; did you mean "
      "'research'?");
}

TEST(ScenarioEvents, EndBeforeStart) {
  EXPECT_EQ(
      only_error(kWorld + "  - {type: mission_shift, start: 2025-07, end: 2025-03, org: Meta, "
                          "mission: 1}\n"),
      "x.yaml:16:48: events.mission_shift-1.end: ends (2025-03) before it starts (2025-07)");
}

TEST(ScenarioEvents, StartBeforeTheScenarioStart) {
  EXPECT_EQ(only_error(kWorld + "  - {type: visa_policy, start: 2024-12, region: North, "
                                "visa_friction: 0}\n"),
            "x.yaml:16:32: events.visa_policy-1.start: 2024-12 is before the scenario start "
            "(2025-01)");
}

TEST(ScenarioEvents, StartAfterTheRun) {
  EXPECT_EQ(
      only_error(kWorld + "  - {type: visa_policy, start: 24, region: North, visa_friction: 0}\n"),
      "x.yaml:16:32: events.visa_policy-1.start: starts after the run ends (months: 24): "
      "2027-01 is month 24");
}

TEST(ScenarioEvents, StartThatIsNotAMonth) {
  EXPECT_EQ(
      only_error(kWorld +
                 "  - {type: visa_policy, start: soon, region: North, visa_friction: 0}\n"),
      "x.yaml:16:32: events.visa_policy-1.start: expected a month as YYYY-MM (e.g. 2025-07) or "
      "a number of months from the scenario start (0 = the start month), got 'soon'");
  EXPECT_EQ(
      only_error(kWorld + "  - {type: visa_policy, start: 1.5, region: North, visa_friction: 0}\n"),
      "x.yaml:16:32: events.visa_policy-1.start: expected a month as YYYY-MM or a whole number "
      "of months in [0, 12000] from the scenario start, got 1.5");
}

TEST(ScenarioEvents, MissingStart) {
  EXPECT_EQ(only_error(kWorld + "  - {type: visa_policy, region: North, visa_friction: 0}\n"),
            "x.yaml:16:5: events.visa_policy-1.start: missing required key 'start' for a "
            "visa_policy event");
}

TEST(ScenarioEvents, NegativeBudget) {
  EXPECT_EQ(
      only_error(kWorld + "  - {type: offensive, start: 0, org: Meta, targets: [Helix], top_k: 5, "
                          "budget: -1}\n"),
      "x.yaml:16:80: events.offensive-1.budget: expected a number > 0, got -1");
}

TEST(ScenarioEvents, FractionalTopK) {
  EXPECT_EQ(only_error(kWorld +
                       "  - {type: offensive, start: 0, org: Meta, targets: [Helix], top_k: 2.5, "
                       "budget: 1}\n"),
            "x.yaml:16:69: events.offensive-1.top_k: expected an integer, got 2.5");
}

TEST(ScenarioEvents, IntegerOutOfRange) {
  EXPECT_EQ(only_error(kWorld + "  - {type: non_compete, start: 0, region: North, months: 61}\n"),
            "x.yaml:16:58: events.non_compete-1.months: expected an integer in [0, 60], got 61");
}

TEST(ScenarioEvents, NotANumber) {
  EXPECT_EQ(only_error(kWorld +
                       "  - {type: visa_policy, start: 0, region: North, visa_friction: .nan}\n"),
            "x.yaml:16:65: events.visa_policy-1.visa_friction: expected a finite number, got .nan");
}

TEST(ScenarioEvents, MissingRequiredKey) {
  EXPECT_EQ(only_error(kWorld + "  - name: raid\n"
                                "    type: offensive\n"
                                "    start: 2025-07\n"
                                "    org: Meta\n"
                                "    targets: [Helix]\n"
                                "    budget: 1.0e+9\n"),
            "x.yaml:16:5: events.raid.top_k: missing required key 'top_k' for an offensive event");
}

TEST(ScenarioEvents, KeyTheTypeDoesNotTake) {
  EXPECT_EQ(only_error(kWorld + "  - type: visa_policy\n"
                                "    start: 0\n"
                                "    region: North\n"
                                "    visa_friction: 0\n"
                                "    budget: 5\n"),
            "x.yaml:20:5: events.visa_policy-1.budget: event type 'visa_policy' does not take key "
            "'budget' (it takes: type, name, start, end, region, visa_friction)");
}

TEST(ScenarioEvents, MisspeltKeySuggestsTheTypesKey) {
  EXPECT_EQ(only_error(kWorld + "  - type: offensive\n"
                                "    start: 0\n"
                                "    org: Meta\n"
                                "    targets: [Helix]\n"
                                "    top_k: 5\n"
                                "    budgte: 5\n"),
            "x.yaml:21:5: events.offensive-1.budgte: unknown key 'budgte'; did you mean 'budget'?");
}

TEST(ScenarioEvents, RetentionGrantTakesNoEnd) {
  EXPECT_EQ(only_error(kWorld + "  - type: retention_grant\n"
                                "    start: 0\n"
                                "    end: 12\n"
                                "    org: Helix\n"
                                "    top_k: 10\n"
                                "    amount: 1.0e+6\n"),
            "x.yaml:18:5: events.retention_grant-1.end: a retention_grant event happens once, at "
            "its start: it takes no 'end' (it takes: type, name, start, org, top_k, top_share, "
            "amount, wage_multiple, role, vest_months)");
}

TEST(ScenarioEvents, RetentionGrantNeedsExactlyOneOfEachPair) {
  auto ds = diagnostics_of(kWorld +
                           "  - type: retention_grant\n"
                           "    start: 0\n"
                           "    org: Helix\n"
                           "    top_k: 10\n"
                           "    top_share: 0.1\n");
  ASSERT_EQ(ds.size(), 2u);
  EXPECT_EQ(ds[0].to_string(),
            "x.yaml:16:5: events.retention_grant-1.amount: missing required key 'amount' or "
            "'wage_multiple' for a retention_grant event");
  EXPECT_EQ(ds[1].to_string(),
            "x.yaml:20:16: events.retention_grant-1.top_share: give either top_k or top_share, "
            "not both");
}

TEST(ScenarioEvents, MissionShiftNeedsMissionOrOpenness) {
  EXPECT_EQ(only_error(kWorld + "  - {type: mission_shift, start: 0, org: Helix}\n"),
            "x.yaml:16:5: events.mission_shift-1.mission: missing required key 'mission' or "
            "'openness' (or both) for a mission_shift event");
}

TEST(ScenarioEvents, PoolAsTheOrganisationOfAnOffensive) {
  EXPECT_EQ(
      only_error(kWorld + "  - {type: offensive, start: 0, org: Shops, targets: [Helix], top_k: 5, "
                          "budget: 1}\n"),
      "x.yaml:16:38: events.offensive-1.org: 'Shops' is a pool of organisations; the org "
      "of an offensive event must be a named organisation (one without count)");
}

TEST(ScenarioEvents, OffensiveCannotTargetItsOwnOrganisation) {
  EXPECT_EQ(
      only_error(kWorld + "  - {type: offensive, start: 0, org: Meta, targets: [Meta], top_k: 5, "
                          "budget: 1}\n"),
      "x.yaml:16:54: events.offensive-1.targets[0]: 'Meta' is the event's own organisation "
      "(org); an organisation cannot raid itself");
}

TEST(ScenarioEvents, EmptyTargets) {
  EXPECT_EQ(only_error(kWorld + "  - {type: offensive, start: 0, org: Meta, targets: [], top_k: 5, "
                                "budget: 1}\n"),
            "x.yaml:16:53: events.offensive-1.targets: expected a list of at least one "
            "organisation or pool");
}

TEST(ScenarioEvents, InboundTaxRateMustBeBelowTheRegions) {
  EXPECT_EQ(
      only_error(kWorld + "  - {type: tax_regime, start: 0, region: North, tax_rate: 0.45, years: "
                          "5}\n"),
      "x.yaml:16:59: events.tax_regime-1.tax_rate: expected a rate below the tax_rate of "
      "North (0.4), got 0.45");
}

TEST(ScenarioEvents, PublicComputeGoesToUniversitiesOrPublicLabs) {
  EXPECT_EQ(only_error(kWorld + "  - {type: public_compute, start: 0, region: North, gpus: 10, "
                                "cost_per_gpu: 0, kind: startup}\n"),
            "x.yaml:16:86: events.public_compute-1.kind: expected university or public_lab "
            "(leave `kind` out for both), got 'startup'");
}

TEST(ScenarioEvents, BooleansAreTrueOrFalse) {
  EXPECT_EQ(
      only_error(kWorld + "  - {type: offensive, start: 0, org: Meta, targets: [Helix], top_k: 5, "
                          "budget: 1, immediate_vesting: yes}\n"),
      "x.yaml:16:102: events.offensive-1.immediate_vesting: expected true or false, got "
      "'yes'");
}

TEST(ScenarioEvents, DuplicateNamesPointAtBoth) {
  EXPECT_EQ(only_error(kWorld +
                       "  - {name: v, type: visa_policy, start: 0, region: North, visa_friction: "
                       "0}\n"
                       "  - {name: v, type: visa_policy, start: 5, region: North, visa_friction: "
                       "1}\n"),
            "x.yaml:17:12: events.v: duplicate event 'v' (first defined at x.yaml:16:12)");
}

TEST(ScenarioEvents, ExplicitNameClashingWithADefaultName) {
  EXPECT_EQ(
      only_error(kWorld + "  - {type: visa_policy, start: 0, region: North, visa_friction: 0}\n"
                          "  - {name: visa_policy-1, type: non_compete, start: 0, region: North, "
                          "months: 3}\n"),
      "x.yaml:17:12: events.visa_policy-1: duplicate event 'visa_policy-1' (first defined "
      "at x.yaml:16:5)");
}

TEST(ScenarioEvents, RemoveWithoutAParentIsExplained) {
  EXPECT_EQ(only_error(kWorld + "  - {name: v, type: visa_policy, start: 0, region: North, "
                                "visa_friction: 0, remove: true}\n"),
            "x.yaml:16:85: events.v.remove: 'remove' needs a parent scenario (extends:) that "
            "defines this event");
}

TEST(ScenarioEvents, AllEventMistakesAreReportedAtOnce) {
  auto ds = diagnostics_of(kWorld +
                           "  - {type: ofensive, start: 0}\n"
                           "  - {type: visa_policy, start: 0, region: Nort, visa_friction: 0}\n"
                           "  - {type: non_compete, start: 0, region: North, months: -1}\n");
  ASSERT_EQ(ds.size(), 3u);
  EXPECT_EQ(ds[0].line, 16);
  EXPECT_EQ(ds[1].line, 17);
  EXPECT_EQ(ds[2].line, 18);
}

// --- extends and --set ----------------------------------------------------------------------

TEST(ScenarioEvents, ChildMergesEventsByName) {
  const Config c = load(fixture("events_child.yaml"));
  ASSERT_EQ(c.events.size(), 3u);
  EXPECT_EQ(c.events[0].name, "raid");
  EXPECT_EQ(c.events[0].budget, 3e9);  // child
  EXPECT_EQ(c.events[0].top_k, 10);    // parent
  EXPECT_EQ(c.events[0].start_month, 5);
  EXPECT_EQ(c.events[1].name, "mission_shift-3");  // visas removed; the name is kept
  EXPECT_EQ(c.events[1].mission, 0.9);
  EXPECT_EQ(c.events[1].openness, 0.8);
  EXPECT_EQ(c.events[2].name, "tax cut");
  EXPECT_EQ(c.events[2].type, EventType::tax_regime);
  EXPECT_EQ(c.events[2].start_month, 12);
}

TEST(ScenarioEvents, ChildWithUnnamedEventsReplacesTheParentsList) {
  const Config c = load_string(
      "extends: events_parent.yaml\n"
      "name: inline\n"
      "events:\n"
      "  - {type: visa_policy, start: 1, region: North, visa_friction: 0.9}\n",
      "inline", {}, fixture(""));
  ASSERT_EQ(c.events.size(), 1u);
  EXPECT_EQ(c.events[0].name, "visa_policy-1");
  EXPECT_EQ(c.events[0].visa_friction, 0.9);
}

TEST(ScenarioEvents, RemovingAnEventTheParentLacksIsAnError) {
  try {
    load_string(
        "extends: events_parent.yaml\nname: inline\nevents:\n  - {name: raids, remove: true}\n",
        "inline", {}, fixture(""));
    FAIL() << "expected ScenarioError";
  } catch (const ScenarioError& e) {
    ASSERT_EQ(e.diagnostics().size(), 1u) << e.what();
    EXPECT_EQ(e.diagnostics()[0].to_string(),
              "inline:4:27: events.raids.remove: nothing to remove: the parent scenario has no "
              "event 'raids'");
  }
}

TEST(ScenarioEvents, SetChangesAFieldOfAnEventByName) {
  const Config c = load(fixture("events_parent.yaml"), {parse_override("events.raid.budget=2e9")});
  EXPECT_EQ(event(c, "raid").budget, 2e9);
  EXPECT_EQ(event(c, "raid").top_k, 10);
}

TEST(ScenarioEvents, SetAddressesAnUnnamedEventByItsDefaultName) {
  const Config c =
      load(fixture("events_parent.yaml"), {parse_override("events.mission_shift-3.openness=0.5"),
                                           parse_override("events.mission_shift-3.end=2026-06")});
  EXPECT_EQ(event(c, "mission_shift-3").openness, 0.5);
  EXPECT_EQ(event(c, "mission_shift-3").end_month, 17);
}

TEST(ScenarioEvents, SetOnAnUnknownEventSuggestsNearMiss) {
  auto ds = file_diagnostics_of(fixture("events_parent.yaml"),
                                {parse_override("events.raids.budget=2e9")});
  ASSERT_EQ(ds.size(), 1u);
  EXPECT_EQ(ds[0].to_string(),
            "--set: events.raids: no event 'raids' in events; did you mean 'raid'?");
}

TEST(ScenarioEvents, SetValueIsCheckedLikeAValueOfTheFile) {
  auto ds =
      file_diagnostics_of(fixture("events_parent.yaml"), {parse_override("events.raid.budget=-3")});
  ASSERT_EQ(ds.size(), 1u);
  EXPECT_EQ(ds[0].to_string(), "--set: events.raid.budget: expected a number > 0, got -3");
}

// --- build_events ---------------------------------------------------------------------------

TEST(ScenarioBuildEvents, ResolvesNamesExpandsPoolsAndFillsDefaults) {
  const Config c = load(fixture("events_all.yaml"));
  const World w = build_world(c);
  const std::vector<Event> events = build_events(c, w);
  ASSERT_EQ(events.size(), c.events.size());
  auto name_of = [&](OrgId o) { return w.orgs.name[o.index()]; };

  const Event& raid = events[0];
  EXPECT_EQ(raid.type, EventType::offensive);
  EXPECT_EQ(raid.name, "meta-raid");
  EXPECT_EQ(raid.start, 6);
  EXPECT_EQ(raid.end, 11);
  EXPECT_EQ(name_of(raid.org), "Meta");
  std::vector<std::string> targets;
  for (OrgId t : raid.targets) targets.push_back(name_of(t));
  EXPECT_EQ(targets, (std::vector<std::string>{"Helix", "Shops#1", "Shops#2", "Shops#3"}));
  EXPECT_EQ(raid.top_k, 60);
  EXPECT_EQ(raid.budget, 2e9);
  EXPECT_EQ(raid.role, static_cast<int>(Role::research));
  EXPECT_EQ(raid.max_offer, 1e8);  // its own
  const std::size_t meta = raid.org.index();
  EXPECT_EQ(raid.value_share, static_cast<double>(w.orgs.value_share[meta]));  // Meta's
  EXPECT_EQ(raid.buyout_ratio, static_cast<double>(w.orgs.buyout_ratio[meta]));
  EXPECT_FLOAT_EQ(static_cast<float>(raid.value_share), 0.5f);
  EXPECT_FLOAT_EQ(static_cast<float>(raid.buyout_ratio), 0.7f);
  EXPECT_TRUE(raid.immediate_vesting);
  EXPECT_TRUE(raid.active(6));
  EXPECT_FALSE(raid.active(12));

  const Event& grant = events[1];
  EXPECT_EQ(grant.name, "retention_grant-2");
  EXPECT_EQ(grant.end, -1);
  EXPECT_EQ(grant.top_k, 0);
  EXPECT_EQ(grant.top_share, 0.1);
  EXPECT_EQ(grant.wage_multiple, 2);
  EXPECT_EQ(grant.vest_months, 36);
  EXPECT_EQ(grant.role, -1);

  const Event& shift = events[2];
  EXPECT_TRUE(std::isnan(shift.mission));  // kUnchanged
  EXPECT_EQ(shift.openness, 0.9);

  const Event& alliance = events[4];
  ASSERT_EQ(alliance.targets.size(), 1u);
  EXPECT_EQ(name_of(alliance.targets[0]), "Meta");
  EXPECT_EQ(alliance.cost_per_gpu, 0);

  const Event& training = events[5];
  EXPECT_EQ(w.regions[training.region.index()].id, "South");
  EXPECT_EQ(training.research_share, 0.5);  // South trains nobody: half and half
  EXPECT_EQ(training.lag_months, 24);

  const Event& gpus = events[7];
  EXPECT_EQ(gpus.kind, static_cast<int>(OrgKind::university));
  EXPECT_EQ(gpus.gpus, 1000);

  EXPECT_EQ(events[9].months, 12);

  const Event& shock = events[10];
  EXPECT_FALSE(shock.region.valid());  // every region
  EXPECT_EQ(shock.kind, static_cast<int>(OrgKind::startup));
  EXPECT_EQ(shock.factor, 0.5);
  EXPECT_TRUE(std::isnan(shock.growth));
}

TEST(ScenarioBuildEvents, DefaultsOfUnsetKeys) {
  std::string yaml = kWorld +
                     "  - {type: training_program, start: 0, region: North, "
                     "graduates_per_year: 10, cost_per_place: 0}\n"
                     "  - {type: compute_change, start: 0, org: Helix, growth: 1}\n"
                     "  - {type: retention_grant, start: 0, org: Helix, top_k: 3, amount: 1.0e+6}\n"
                     "  - {type: offensive, start: 0, org: Helix, targets: [Meta], top_k: 3, "
                     "budget: 1.0e+8}\n";
  const std::string north = "  - {id: North, tax_rate: 0.4}\n";
  yaml.replace(yaml.find(north), north.size(),
               "  - {id: North, graduates_per_year: {research: 30, engineering: 10}}\n");
  const Config c = load_string(yaml, "x.yaml");
  const World w = build_world(c);
  const std::vector<Event> events = build_events(c, w);
  ASSERT_EQ(events.size(), 4u);
  EXPECT_EQ(events[0].research_share, 0.75);  // North's graduates: 30 of 40 in research
  EXPECT_EQ(events[0].lag_months, 36);
  EXPECT_EQ(events[0].end, -1);
  EXPECT_EQ(events[1].factor, 1.0);
  EXPECT_EQ(events[1].growth, 1.0);
  EXPECT_TRUE(std::isnan(events[1].mission));
  EXPECT_EQ(events[2].vest_months, 24);
  EXPECT_EQ(events[2].top_k, 3);
  EXPECT_EQ(events[2].amount, 1e6);
  const std::size_t helix = events[3].org.index();
  EXPECT_EQ(w.orgs.name[helix], "Helix");
  EXPECT_EQ(events[3].max_offer, static_cast<double>(w.orgs.max_offer[helix]));
  EXPECT_EQ(events[3].value_share, static_cast<double>(w.orgs.value_share[helix]));
  EXPECT_EQ(events[3].buyout_ratio, static_cast<double>(w.orgs.buyout_ratio[helix]));
  EXPECT_FALSE(events[3].immediate_vesting);
  EXPECT_EQ(events[3].role, -1);
}

TEST(ScenarioBuildEvents, NoEventsGiveAnEmptyTimeline) {
  const Config c = load_string(kWorld + "  []\n", "x.yaml");
  EXPECT_TRUE(build_events(c, build_world(c)).empty());
}

}  // namespace
}  // namespace mercato::scenario::test
