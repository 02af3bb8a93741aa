// Each event type on a tiny hand-built world (MODEL.md, Events and policies): it does exactly
// what it says, costs what it says, and ends when it says. The worlds switch off every random
// term (support/world_builder.hpp), so winners and prices follow from hand computations.
#include <gtest/gtest.h>

#include <cmath>

#include "mercato/engine/simulation.hpp"
#include "model/model.hpp"
#include "support/world_builder.hpp"

namespace mercato {
namespace {

using testing::OrgSpec;
using testing::TalentSpec;
using testing::WorldBuilder;

SimulationOptions options(int months) {
  SimulationOptions o;
  o.months = months;
  o.warmup_months = 0;
  return o;
}

// Runs `months` months and returns every month's metrics.
std::vector<MonthMetrics> run(World w, std::vector<Event> events, int months) {
  Simulation sim(std::move(w), options(months), std::move(events));
  std::vector<MonthMetrics> out;
  while (!sim.done()) out.push_back(sim.step());
  return out;
}

const EventRow& row_of(const MonthMetrics& m, std::size_t event = 0) {
  for (const EventRow& r : m.events)
    if (r.event == event) return r;
  throw std::runtime_error("no row for the event this month");
}

// A raider with no vacancies (so it makes no ordinary offer) and a lab with three researchers
// of ability 3, 2 and 1, each paid $100k. No counter-offers, no taste shocks, kappa = 1.
struct RaidWorld {
  World world;
  OrgId raider, lab;
  RaidWorld() {
    WorldBuilder b;
    const RegionId us = b.region("US");
    OrgSpec raider_spec;
    raider_spec.target_research = raider_spec.target_engineering = 0;
    raider_spec.tfp = 1e10;
    raider = b.org("Raider", us, raider_spec);
    OrgSpec lab_spec;
    lab_spec.target_research = 3, lab_spec.target_engineering = 0;
    lab = b.org("Lab", us, lab_spec);
    for (float a : {3.0f, 2.0f, 1.0f}) b.talent({.ability = a, .employer = lab, .wage = 1e5f});
    world = b.build();
  }
  Event offensive(int top_k, double budget) const {
    Event e;
    e.type = EventType::offensive;
    e.name = "raid";
    e.org = raider;
    e.targets = {lab};
    e.top_k = top_k;
    e.budget = budget;
    e.max_offer = 1e12;
    e.value_share = 1;
    e.buyout_ratio = 1;
    e.end = 0;
    return e;
  }
};

TEST(Offensive, HiresItsTopTargetsAtTheSecondPrice) {
  RaidWorld rw;
  const auto months = run(rw.world, {rw.offensive(2, 1e9)}, 2);
  // Month 0: the two best researchers move. Each is indifferent between the raider at m and
  // staying at $100k: ln m - move_cost = ln 1e5, so m = 1e5 x e^0.1 (above the 5% raise floor).
  const double wage = 1e5 * std::exp(0.1);
  ASSERT_EQ(months[0].moves.size(), 2u);
  for (const MoveRecord& mv : months[0].moves) {
    EXPECT_EQ(mv.to, rw.raider);
    EXPECT_EQ(mv.event, 0);
    EXPECT_NEAR(mv.wage, wage, 1.0);
    EXPECT_GE(mv.ability, 2.0f);
  }
  const EventRow& r = row_of(months[0]);
  EXPECT_EQ(r.offers, 2);
  EXPECT_EQ(r.accepted, 2);
  EXPECT_EQ(r.declined, 0);
  EXPECT_NEAR(r.package_value, 2 * 4 * wage, 10.0);
  EXPECT_NEAR(r.cost, r.package_value, 1e-6);
  // The offensive's budget pays: the raider's payroll budget grew by the recruits' wages.
  EXPECT_NEAR(months[0].orgs[rw.raider.index()].payroll_budget, 1e12 + 2 * wage, 1e3);
}

TEST(Offensive, EndsWhenItSays) {
  RaidWorld rw;
  const auto months = run(rw.world, {rw.offensive(1, 1e9)}, 3);
  EXPECT_EQ(row_of(months[0]).accepted, 1);
  // Ended after month 0: no offers in months 1 and 2, the cost stays what it was.
  EXPECT_EQ(row_of(months[1]).offers, 0);
  EXPECT_EQ(row_of(months[2]).offers, 0);
  EXPECT_EQ(row_of(months[2]).cost_total, row_of(months[0]).cost_total);
  EXPECT_TRUE(months[1].moves.empty());
}

TEST(Offensive, NeverCommitsMoreThanItsBudget) {
  RaidWorld rw;
  const double one_package = 4 * 1e5 * std::exp(0.1);
  const auto months = run(rw.world, {rw.offensive(3, 1.5 * one_package)}, 1);
  const EventRow& r = row_of(months[0]);
  // The first target takes one package; what is left buys half a package a year, which the
  // other two decline (each worth ln(0.5 x 1.105e5) - 0.1 < ln 1e5 to them).
  EXPECT_EQ(r.offers, 3);
  EXPECT_EQ(r.accepted, 1);
  EXPECT_LE(r.cost_total, 1.5 * one_package);
}

TEST(Offensive, StopsWhenWhatIsLeftCannotPayAGraduateWage) {
  // Month 0 as above: one package taken, half a package left, $55k a year for an offer,
  // under the region's $100k graduate wage. The offensive is spent: no offers in month 1,
  // although its end is month 2 and two targets are left.
  RaidWorld rw;
  const double one_package = 4 * 1e5 * std::exp(0.1);
  Event raid = rw.offensive(3, 1.5 * one_package);
  raid.end = 2;
  const auto months = run(rw.world, {raid}, 3);
  EXPECT_EQ(row_of(months[0]).accepted, 1);
  EXPECT_EQ(row_of(months[1]).offers, 0);
  EXPECT_EQ(row_of(months[2]).offers, 0);
  EXPECT_EQ(row_of(months[2]).cost_total, row_of(months[0]).cost_total);
}

TEST(RetentionGrant, KeepsAGranteeWhoWouldHaveLeftAndCostsItsVesting) {
  RaidWorld rw;
  Event grant;
  grant.type = EventType::retention_grant;
  grant.name = "grant";
  grant.org = rw.lab;
  grant.top_k = 1;
  grant.amount = 1.2e6;
  grant.vest_months = 24;
  Event raid = rw.offensive(1, 1e9);
  raid.start = raid.end = 1;
  raid.max_offer = 2e5;  // worth ln 2e5 - 0.1 > ln 1e5 without the grant
  const auto months = run(rw.world, {grant, raid}, 3);
  // Month 1: the grant's $1.2M unvested (less one month of vesting) costs more than the
  // raider's $200k a year over 4 years can pay for: the talent stays.
  EXPECT_TRUE(months[1].moves.empty());
  EXPECT_EQ(row_of(months[1], 0).departures_avoided, 1);
  EXPECT_EQ(row_of(months[1], 1).offers, 1);
  EXPECT_EQ(row_of(months[1], 1).declined, 1);
  // Cost: the equity as it vests, $1.2M / 24 a month while the grantee stays.
  EXPECT_NEAR(row_of(months[0], 0).cost, 5e4, 1e-6);
  EXPECT_NEAR(row_of(months[2], 0).cost_total, 1.5e5, 1e-6);
  EXPECT_EQ(row_of(months[2], 0).beneficiaries, 1);
}

TEST(RetentionGrant, WithoutTheGrantTheSameTalentLeaves) {
  RaidWorld rw;
  Event raid = rw.offensive(1, 1e9);
  raid.start = raid.end = 1;
  raid.max_offer = 2e5;
  const auto months = run(rw.world, {raid}, 2);
  ASSERT_EQ(months[1].moves.size(), 1u);
  EXPECT_EQ(months[1].moves[0].to, rw.raider);
}

TEST(NonCompete, AWaitKeepsATalentWhoWouldHaveLeft) {
  RaidWorld rw;
  Event wait;
  wait.type = EventType::non_compete;
  wait.name = "wait";
  wait.region = RegionId(0);
  wait.months = 30;  // 30 / 48 of the package lost: $200k is worth $75k
  Event raid = rw.offensive(1, 1e9);
  raid.max_offer = 2e5;
  const auto months = run(rw.world, {wait, raid}, 1);
  EXPECT_TRUE(months[0].moves.empty());
  EXPECT_EQ(row_of(months[0], 0).departures_avoided, 1);
}

// Two regions with 50% tax; a talent in A, a raider in B paying at most 1.08x its wage. With kappa
// 0.5 on both sides and the move cost, it stays; a tax regime of 0% for inbound talent in B doubles
// the raider's net pay, and it moves.
struct TaxWorld {
  World world;
  OrgId home, raider;
  TaxWorld() {
    WorldBuilder b;
    const RegionId a = b.region("A", 0.5);
    const RegionId bb = b.region("B", 0.5);
    OrgSpec spec;
    spec.target_research = 1, spec.target_engineering = 0;
    home = b.org("Home", a, spec);
    spec.target_research = 0;
    raider = b.org("Raider", bb, spec);
    b.talent({.ability = 2, .employer = home, .wage = 1e5f});
    world = b.build();
  }
};

TEST(TaxRegime, AttractsInboundTalentAndCountsTheTaxForgone) {
  TaxWorld tw;
  Event raid;
  raid.type = EventType::offensive;
  raid.name = "raid";
  raid.org = tw.raider;
  raid.targets = {tw.home};
  // ln(0.5 x 1.08e5) - 0.1 < ln(0.5 x 1e5): not enough at 50% tax; enough at 0%.
  raid.top_k = 1, raid.budget = 1e9, raid.max_offer = 1.08e5, raid.value_share = 1;
  EXPECT_TRUE(run(tw.world, {raid}, 1)[0].moves.empty());

  Event regime;
  regime.type = EventType::tax_regime;
  regime.name = "regime";
  regime.region = RegionId(1);
  regime.tax_rate = 0;
  regime.years = 1;
  const auto months = run(tw.world, {regime, raid}, 14);
  ASSERT_EQ(months[0].moves.size(), 1u);
  const double wage = months[0].moves[0].wage;
  EXPECT_EQ(row_of(months[0], 0).attracted, 1);
  EXPECT_EQ(row_of(months[0], 0).beneficiaries, 1);
  // Forgone tax: (50% - 0%) of the wage, a twelfth each month, for `years` = 12 months.
  EXPECT_NEAR(row_of(months[0], 0).cost, 0.5 * wage / 12, 1e-3);
  EXPECT_NEAR(row_of(months[11], 0).cost_total, 0.5 * wage, 1e-2);
  EXPECT_EQ(row_of(months[13], 0).beneficiaries, 0);
  EXPECT_NEAR(row_of(months[13], 0).cost_total, row_of(months[11], 0).cost_total, 1e-6);
}

TEST(TrainingProgram, GraduatesArriveAfterTheLagAndThePlacesCostFromTheStart) {
  WorldBuilder b;
  b.region("FR");
  World w = b.build();
  Event program;
  program.type = EventType::training_program;
  program.name = "phd";
  program.region = RegionId(0);
  program.graduates_per_year = 120;
  program.research_share = 0.5;
  program.lag_months = 2;
  program.cost_per_place = 1000;
  program.end = 2;
  const auto months = run(std::move(w), {program}, 6);
  EXPECT_EQ(row_of(months[0]).trained, 0);
  EXPECT_EQ(row_of(months[1]).trained, 0);
  for (int m : {2, 3, 4}) EXPECT_EQ(row_of(months[m]).trained, 10) << m;
  EXPECT_EQ(row_of(months[5]).trained, 0);  // funded months 0..2 arrive in 2..4
  EXPECT_NEAR(row_of(months[0]).cost, 10 * 1000, 1e-9);
  EXPECT_NEAR(row_of(months[5]).cost_total, 3 * 10 * 1000, 1e-9);
  EXPECT_EQ(months[2].market.entries, 10);
}

TEST(MissionShift, ChangesAndRevertsAfterItsEnd) {
  WorldBuilder b;
  const RegionId r = b.region("US");
  OrgSpec spec;
  spec.mission = 0.3f, spec.openness = 0.2f;
  const OrgId o = b.org("Lab", r, spec);
  World w = b.build();
  Event shift;
  shift.type = EventType::mission_shift;
  shift.org = o;
  shift.openness = 0.9;
  shift.start = 1, shift.end = 2;
  Simulation sim(std::move(w), options(5), {shift});
  std::vector<float> openness, mission;
  while (!sim.done()) {
    sim.step();
    openness.push_back(sim.world().orgs.openness[0]);
    mission.push_back(sim.world().orgs.mission[0]);
  }
  EXPECT_EQ(openness, (std::vector<float>{0.2f, 0.9f, 0.9f, 0.2f, 0.2f}));
  EXPECT_EQ(mission, (std::vector<float>(5, 0.3f)));
}

TEST(VisaPolicy, SetsTheFrictionWhileActive) {
  WorldBuilder b;
  b.region("US", 0, 1, 0.4);
  World w = b.build();
  Event visa;
  visa.type = EventType::visa_policy;
  visa.region = RegionId(0);
  visa.visa_friction = 1.0;
  visa.start = 1, visa.end = 1;
  Simulation sim(std::move(w), options(3), {visa});
  std::vector<double> friction;
  while (!sim.done()) {
    sim.step();
    friction.push_back(sim.world().regions[0].visa_friction);
  }
  EXPECT_EQ(friction, (std::vector<double>{0.4, 1.0, 0.4}));
}

TEST(ComputeAndFunding, JumpsAndRevertsAndCostsPerGpuYear) {
  WorldBuilder b;
  const RegionId r = b.region("US");
  OrgSpec spec;
  spec.compute = 1000;
  spec.payroll_budget = 1e6;
  const OrgId o = b.org("Lab", r, spec);
  World w = b.build();
  Event jump;
  jump.type = EventType::compute_change;
  jump.org = o;
  jump.factor = 3;
  jump.cost_per_gpu = 12;
  jump.end = 0;
  Event boom;
  boom.type = EventType::funding_shock;
  boom.factor = 2;
  boom.end = 0;
  Simulation sim(std::move(w), options(2), {jump, boom});
  const MonthMetrics m0 = sim.step();
  EXPECT_DOUBLE_EQ(sim.world().orgs.compute[0], 3000);
  EXPECT_DOUBLE_EQ(sim.world().orgs.payroll_budget[0], 2e6);
  EXPECT_NEAR(row_of(m0, 0).cost, 2000, 1e-9);      // 2000 extra GPUs at $12 a year
  EXPECT_NEAR(row_of(m0, 1).cost, 1e6 / 12, 1e-6);  // $1M a year more budget
  sim.step();
  EXPECT_DOUBLE_EQ(sim.world().orgs.compute[0], 1000);
  EXPECT_DOUBLE_EQ(sim.world().orgs.payroll_budget[0], 1e6);
}

TEST(AllianceAndPublicCompute, ShareComputeWhileActive) {
  WorldBuilder b;
  const RegionId r = b.region("FR");
  OrgSpec big, small, uni;
  big.compute = 9000, small.compute = 1000, uni.compute = 100;
  uni.kind = OrgKind::university;
  const OrgId giant = b.org("Giant", r, big);
  const OrgId mistral = b.org("Small", r, small);
  const OrgId u = b.org("Uni", r, uni);
  b.talent({.ability = 1, .employer = u, .wage = 5e4f});
  World w = b.build();
  Event alliance;
  alliance.type = EventType::alliance;
  alliance.org = mistral;
  alliance.targets = {giant};
  alliance.share = 0.5;  // each keeps half its own and gets half the mean (5000)
  Event gift;
  gift.type = EventType::public_compute;
  gift.region = r;
  gift.gpus = 500;
  gift.cost_per_gpu = 24;
  Simulation sim(std::move(w), options(1), {alliance, gift});
  const MonthMetrics m0 = sim.step();
  const auto& orgs = sim.world().orgs;
  EXPECT_DOUBLE_EQ(orgs.effective_compute(mistral.index()), 3000);
  EXPECT_DOUBLE_EQ(orgs.effective_compute(giant.index()), 7000);
  EXPECT_DOUBLE_EQ(orgs.effective_compute(u.index()), 600);
  EXPECT_NEAR(row_of(m0, 1).cost, 500 * 24 / 12.0, 1e-9);
}

}  // namespace
}  // namespace mercato
