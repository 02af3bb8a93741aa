// Clearing: the worked example of MODEL.md ("One month", step 6), computed by hand.
//
// System: talent i works at A for $1.0M with $2.0M unvested, H = 4, kappa = 1 everywhere,
// w_money = 1, move_cost = 0.1, no taste shock, no home, visa, openness or compute terms.
// Missions: A 0.9, B 0.3, C 0.5. B's WTP is $8M and C's $5M (their max_offer; their marginal
// values are far larger); A counters up to $3M (its max_offer). A mover nets WTP - 2.0/4:
// $7.5M from B, $4.5M from C.
#include <gtest/gtest.h>

#include <cmath>

#include "model/model.hpp"
#include "support/world_builder.hpp"

namespace mercato {
namespace {

using testing::OrgSpec;
using testing::TalentSpec;
using testing::WorldBuilder;

struct WorkedExample {
  World world;
  std::size_t i = 0;
  OrgId a, b, c;
};

WorkedExample worked_example(float w_mission) {
  WorldBuilder builder;
  const RegionId r = builder.region("X");
  WorkedExample ex;
  OrgSpec spec;
  spec.mission = 0.9f, spec.max_offer = 3e6f, spec.counter_probability = 1, spec.counter_share = 1;
  ex.a = builder.org("A", r, spec);
  spec = OrgSpec{};
  spec.mission = 0.3f, spec.max_offer = 8e6f, spec.buyout_ratio = 1;
  ex.b = builder.org("B", r, spec);
  spec.mission = 0.5f, spec.max_offer = 5e6f;
  ex.c = builder.org("C", r, spec);
  TalentSpec t;
  t.employer = ex.a, t.wage = 1e6f, t.unvested = 2e6f, t.vest_left = 24;
  t.prefs = {1, w_mission, 0, 0, 0};
  ex.i = builder.talent(t);
  ex.world = builder.build();
  return ex;
}

MonthState month_with_candidates(const WorkedExample& ex) {
  MonthState m;
  m.reset(ex.world.orgs.size());
  m.candidates = {{static_cast<std::uint32_t>(ex.i), ex.b.value},
                  {static_cast<std::uint32_t>(ex.i), ex.c.value}};
  return m;
}

TEST(Clearing, OffersAreCappedAtMaxOffer) {
  // Expectation: WTP = min(value_share x MV, max_offer, cash) = max_offer, because the
  // marginal values (~$10^8) dwarf the caps.
  auto ex = worked_example(2.0f);
  MonthState m = month_with_candidates(ex);
  make_offers(ex.world, m);
  ASSERT_EQ(m.offers.size(), 2u);
  EXPECT_DOUBLE_EQ(m.offers[0].wtp, 8e6);
  EXPECT_DOUBLE_EQ(m.offers[1].wtp, 5e6);
}

TEST(Clearing, MissionaryIsKeptByACounterOfferAtTheRunnerUpsPrice) {
  // Missionary, w_mission = 2: U_A(3) = ln 3 + 1.8 = 2.899 beats U_B = ln 7.5 + 0.6 - 0.1 =
  // 2.515 and U_C = 2.404. A keeps i and pays what makes i indifferent to B:
  // ln m + 1.8 = 2.515, m = 7.5 exp(-1.3) = $2.04M, because second price.
  auto ex = worked_example(2.0f);
  MonthState m = month_with_candidates(ex);
  make_offers(ex.world, m);
  clear_auctions(ex.world, m);
  ASSERT_EQ(m.decisions.size(), 1u);
  EXPECT_EQ(m.decisions[0].kind, Decision::Kind::counter);
  const double hand = 7.5e6 * std::exp(0.6 - 0.1 - 1.8);
  EXPECT_NEAR(m.decisions[0].wage, hand, 1.0);
  EXPECT_NEAR(m.decisions[0].wage, 2.04e6, 0.01e6);
  apply_moves(ex.world, m);
  EXPECT_EQ(ex.world.talents.employer[ex.i], ex.a);
  EXPECT_NEAR(ex.world.talents.wage[ex.i], hand, 1.0);
  EXPECT_NEAR(ex.world.orgs.payroll[ex.a.index()], hand, 1.0);
  EXPECT_EQ(m.counters_won, 1);
  EXPECT_TRUE(m.moves.empty());
}

TEST(Clearing, MercenaryMovesAndTheRunnerUpSetsThePrice) {
  // Mercenary, w_mission = 0.2: U_A = 1.279, U_B = 1.975, U_C = 1.504. B wins; the runner-up
  // is C: ln m + 0.06 - 0.1 = ln 4.5 + 0.1 - 0.1, m = 4.5 exp(0.04) = $4.68M.
  // buyout_ratio = 1: the bonus is the forfeited $2.0M and the wage $4.68M; B spends
  // 4.68 + 2.0/4 = $5.18M a year; the package the press quotes is 4 x 4.68 + 2.0 = $20.7M.
  auto ex = worked_example(0.2f);
  MonthState m = month_with_candidates(ex);
  make_offers(ex.world, m);
  clear_auctions(ex.world, m);
  ASSERT_EQ(m.decisions.size(), 1u);
  const Decision d = m.decisions[0];
  EXPECT_EQ(d.kind, Decision::Kind::move);
  EXPECT_EQ(d.to, ex.b);
  const double hand = 4.5e6 * std::exp(0.04);
  EXPECT_NEAR(d.wage, hand, 1.0);
  EXPECT_NEAR(d.wage, 4.68e6, 0.01e6);
  EXPECT_DOUBLE_EQ(d.bonus, 2e6);
  EXPECT_NEAR(d.wage + d.bonus / 4, 5.18e6, 0.01e6);
  apply_moves(ex.world, m);
  ASSERT_EQ(m.moves.size(), 1u);
  EXPECT_NEAR(m.moves[0].package_value(), 20.7e6, 0.05e6);
  EXPECT_DOUBLE_EQ(m.moves[0].forfeited, 2e6);
  EXPECT_EQ(ex.world.talents.employer[ex.i], ex.b);
}

TEST(Clearing, ABonusBelowTheForfeitedEquityIsPaidAsWage) {
  // Same mercenary with B's buyout_ratio = 0.5: bonus = $1.0M, and the money-equivalent
  // m = wage + (bonus - forfeited) / H is unchanged, so wage = 4.68 + 1.0 / 4 = $4.93M:
  // B's yearly spend (wage + bonus / H) is the same $5.18M whatever the split.
  auto ex = worked_example(0.2f);
  ex.world.orgs.buyout_ratio[ex.b.index()] = 0.5f;
  MonthState m = month_with_candidates(ex);
  make_offers(ex.world, m);
  clear_auctions(ex.world, m);
  ASSERT_EQ(m.decisions.size(), 1u);
  const double m_hand = 4.5e6 * std::exp(0.04);
  EXPECT_NEAR(m.decisions[0].bonus, 1e6, 1.0);
  EXPECT_NEAR(m.decisions[0].wage, m_hand + 0.25e6, 1.0);
  EXPECT_NEAR(m.decisions[0].wage + m.decisions[0].bonus / 4, m_hand + 0.5e6, 1.0);
}

TEST(Clearing, WithoutACounterTheIncumbentOffersOnlyTheCurrentWage) {
  // Missionary again but A never counters: U_A(1.0) = ln 1 + 1.8 = 1.8 < U_B = 2.515, so B
  // wins; the runner-up is now C (2.404 > 1.8): ln m + 0.5 = ln 4.5 + 0.9, m = 4.5 e^0.4.
  auto ex = worked_example(2.0f);
  ex.world.orgs.counter_probability[ex.a.index()] = 0;
  MonthState m = month_with_candidates(ex);
  make_offers(ex.world, m);
  clear_auctions(ex.world, m);
  ASSERT_EQ(m.decisions.size(), 1u);
  EXPECT_EQ(m.decisions[0].to, ex.b);
  EXPECT_NEAR(m.decisions[0].wage, 4.5e6 * std::exp(0.4), 1.0);
}

TEST(Clearing, AFullOrganisationDropsOutOfLaterAuctions) {
  // One vacancy at B, two unemployed talents with offers from B only. Talents are processed
  // by ability descending, so the abler one is hired and the second finds B full.
  WorldBuilder builder;
  const RegionId r = builder.region("X");
  OrgSpec spec;
  spec.target_research = 1;
  const OrgId b = builder.org("B", r, spec);
  TalentSpec t;
  t.ability = 1.0f;
  const std::size_t weak = builder.talent(t);
  t.ability = 2.0f;
  const std::size_t strong = builder.talent(t);
  World w = builder.build();
  MonthState m;
  m.reset(w.orgs.size());
  m.candidates = {{static_cast<std::uint32_t>(weak), b.value},
                  {static_cast<std::uint32_t>(strong), b.value}};
  make_offers(w, m);
  ASSERT_EQ(m.offers.size(), 2u);
  clear_auctions(w, m);
  ASSERT_EQ(m.decisions.size(), 1u);
  EXPECT_EQ(m.decisions[0].talent, strong);
}

TEST(Clearing, AnUnemployedTalentWithOneOfferGetsItsReservationWage) {
  // No competition: the runner-up is staying unemployed at the graduate wage ($100k, kappa 1,
  // no home bias, no taste), so the winner pays the reservation wage plus the move cost's
  // worth: ln m - 0.1 = ln 1e5, m = 1e5 e^0.1.
  WorldBuilder builder;
  const RegionId r = builder.region("X");
  const OrgId b = builder.org("B", r);
  const std::size_t i = builder.talent(TalentSpec{});
  World w = builder.build();
  MonthState m;
  m.reset(w.orgs.size());
  m.candidates = {{static_cast<std::uint32_t>(i), b.value}};
  make_offers(w, m);
  clear_auctions(w, m);
  ASSERT_EQ(m.decisions.size(), 1u);
  EXPECT_NEAR(m.decisions[0].wage, 1e5 * std::exp(0.1), 1e-3);
}

// System: the worked example's mercenary, with B posting a floor (min_offer) of $6M a year.
// Expectation: B still wins (its best attainable offer is unchanged) but pays the floor: the
// second price against C, $4.68M, is below it, so the talent nets m = $6.0M; with the bonus
// buying out the $2.0M forfeited, the wage is $6.0M. Because: a posted floor is the least an
// organisation pays a hire, whatever the competition.
TEST(Clearing, APostedFloorRaisesTheWinnersPrice) {
  auto ex = worked_example(0.2f);
  ex.world.orgs.min_offer[ex.b.index()] = 6e6f;
  MonthState m = month_with_candidates(ex);
  make_offers(ex.world, m);
  clear_auctions(ex.world, m);
  ASSERT_EQ(m.decisions.size(), 1u);
  EXPECT_EQ(m.decisions[0].to, ex.b);
  EXPECT_NEAR(m.decisions[0].wage, 6e6, 1.0);
  EXPECT_DOUBLE_EQ(m.decisions[0].bonus, 2e6);
}

// System: the worked example's mercenary, with C posting a floor of $6M, above its WTP of $5M.
// Expectation: C makes no offer, so B's runner-up is A's counter-offer (U_A = ln 3 + 0.18):
// ln m + 0.06 - 0.1 = ln 3 + 0.18, m = 3 e^0.22 = $3.74M. Because: an organisation makes no
// offer it could not pay its own floor on.
TEST(Clearing, NoOfferBelowTheOrganisationsFloor) {
  auto ex = worked_example(0.2f);
  ex.world.orgs.min_offer[ex.c.index()] = 6e6f;
  MonthState m = month_with_candidates(ex);
  make_offers(ex.world, m);
  ASSERT_EQ(m.offers.size(), 1u);
  EXPECT_EQ(m.offers[0].org, ex.b.value);
  clear_auctions(ex.world, m);
  ASSERT_EQ(m.decisions.size(), 1u);
  EXPECT_EQ(m.decisions[0].to, ex.b);
  EXPECT_NEAR(m.decisions[0].wage, 3e6 * std::exp(0.22), 1.0);
  EXPECT_NEAR(m.decisions[0].wage, 3.74e6, 0.01e6);
}

}  // namespace
}  // namespace mercato
