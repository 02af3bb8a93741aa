// Production, utility, lifecycle, entry, search, offers and moves on hand-built worlds.
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <map>

#include "core/alias_table.hpp"
#include "mercato/core/error.hpp"
#include "model/headhunting.hpp"
#include "model/model.hpp"
#include "model/talent_draws.hpp"
#include "support/world_builder.hpp"

namespace mercato {
namespace {

using testing::OrgSpec;
using testing::TalentSpec;
using testing::WorldBuilder;

// Y = A C^alpha (r0^rho + S_res)^(beta_r/rho) (e0^rho + S_eng)^(beta_e/rho), from scratch.
double output_by_hand(const World& w, std::size_t o, double s_res, double s_eng) {
  const auto& p = w.params;
  return w.orgs.tfp[o] * std::pow(w.orgs.compute[o], p.alpha) *
         std::pow(1.0 + s_res, p.beta[0] / p.rho) * std::pow(1.0 + s_eng, p.beta[1] / p.rho);
}

TEST(Production, MarginalValueIsTheDifferenceInOutput) {
  // A lab of three researchers (a = 1, 2, 3); the value of hiring a = 1.5 and of losing the
  // a = 3 member are Y(with) - Y(without), computed here from scratch.
  WorldBuilder b;
  const RegionId r = b.region("X");
  const OrgId lab = b.org("Lab", r);
  for (float a : {1.0f, 2.0f, 3.0f}) b.talent({a, Role::research, lab, 1e5f});
  World w = b.build();
  const double s = 1 + std::pow(2.0, 1.5) + std::pow(3.0, 1.5);
  const double y = output_by_hand(w, 0, s, 0);
  EXPECT_NEAR(output_value(w, 0) / y, 1.0, 1e-12);
  EXPECT_NEAR(marginal_value_hire(w, 0, Role::research, 1.5) /
                  (output_by_hand(w, 0, s + std::pow(1.5, 1.5), 0) - y),
              1.0, 1e-9);
  EXPECT_NEAR(marginal_value_member(w, 0, Role::research, 3.0) /
                  (y - output_by_hand(w, 0, s - std::pow(3.0, 1.5), 0)),
              1.0, 1e-9);
}

TEST(Production, AStarsValueIsNearOutputTimesBetaOverRhoTimesShare) {
  // MODEL.md: a star holding 2% of the research power sum of a lab whose output is worth
  // $50B a year has a marginal value near 50e9 x (0.3 / 1.5) x 0.02 = $200M a year.
  WorldBuilder b;
  const RegionId r = b.region("X");
  const OrgId lab = b.org("Lab", r);
  for (int k = 0; k < 980; ++k) b.talent({1.0f, Role::research, lab, 1e5f});
  const float star = static_cast<float>(std::pow(20.0, 1.0 / 1.5));  // a^rho = 20 = 2% of 1000
  b.talent({star, Role::research, lab, 1e5f});
  World w = b.build();
  w.orgs.tfp[0] *= 50e9 / output_value(w, 0);
  EXPECT_NEAR(output_value(w, 0), 50e9, 1.0);
  EXPECT_NEAR(marginal_value_member(w, 0, Role::research, star) / 200e6, 1.0, 0.02);
}

TEST(Utility, IndifferenceMoneyInvertsUtility) {
  // kappa = (1 - 0.45) / 1.2 in region Y; any utility level maps back to its money.
  WorldBuilder b;
  b.region("X");
  const RegionId y = b.region("Y", 0.45, 1.2, 0.3);
  const OrgId o = b.org("O", y, OrgSpec{.mission = 0.7f});
  TalentSpec t;
  t.prefs = {1.3f, 0.8f, 0, 0, 0.2f};
  const std::size_t i = b.talent(t);
  World w = b.build();
  MonthState m;
  const double nm = non_money_utility(w, m, i, o.index());
  EXPECT_NEAR(nm, 0.8 * 0.7 - 0.3 - 0.1, 1e-6);  // mission, visa (abroad), move cost
  const double u = utility(w, i, o.index(), 2.5e6, nm);
  EXPECT_NEAR(u, 1.3 * std::log(0.55 / 1.2 * 2.5e6) + nm, 1e-5);  // w_money is a float
  EXPECT_NEAR(indifference_money(w, i, o.index(), u, nm), 2.5e6, 1e-3);
}

TEST(Talents, APersonasConstantPreferencesAreKeptOncePerPersonaWithTheSameValues) {
  // Persona 0 gives every weight as a constant (w_money under the 0.05 floor); persona 1 draws
  // w_mission. Laid out, the talents keep one column (w_mission), and every talent's
  // preferences are, bit for bit, those of a layout that keeps all five columns.
  World compact_world, full_world;
  for (World* w : {&compact_world, &full_world}) {
    w->personas = {
        {"constant", 1.0, Distribution::constant(0.01), Distribution::constant(0.3),
         Distribution::constant(-0.2), Distribution::constant(0.1), Distribution::constant(0.4)},
        {"drawn", 1.0, Distribution::constant(0.7), Distribution::uniform(1.0, 2.0),
         Distribution::constant(0.3), Distribution::constant(0.2), Distribution::constant(0.2)}};
  }
  lay_out_preferences(compact_world);
  const std::array<bool, kPreferenceFields> drawn = {false, true, false, false, false};
  EXPECT_EQ(compact_world.talents.pref_drawn, drawn);
  const Rng rng(7, 0);
  constexpr std::size_t n = 400;
  for (World* w : {&compact_world, &full_world}) {
    w->talents.resize(n);
    for (std::size_t i = 0; i < n; ++i) {
      w->talents.uid[i] = static_cast<std::uint32_t>(i);
      draw_preferences(*w, rng, Stream::entry, 3, i);
    }
  }
  const Talents& t = compact_world.talents;
  for (std::size_t f = 0; f < kPreferenceFields; ++f)
    EXPECT_EQ(t.drawn_prefs[f].size(), f == 1 ? n : 0u) << f;
  int seen[2] = {0, 0};
  for (std::size_t i = 0; i < n; ++i) {
    const Preferences a = t.prefs(i), b = full_world.talents.prefs(i);
    ASSERT_EQ(t.persona[i], full_world.talents.persona[i]);
    EXPECT_EQ(0, std::memcmp(&a, &b, sizeof(Preferences))) << i;
    ++seen[t.persona[i]];
    if (t.persona[i] == 0) {
      EXPECT_EQ(a.w_money, 0.05f);
      EXPECT_EQ(a.w_open, -0.2f);
    } else {
      EXPECT_GE(a.w_mission, 1.0f);
      EXPECT_LE(a.w_mission, 2.0f);
      EXPECT_EQ(a.home_bias, 0.2f);
    }
  }
  EXPECT_GT(seen[0], 150);
  EXPECT_GT(seen[1], 150);
  // Compaction keeps each row's preferences with it.
  const Preferences third = t.prefs(3);
  compact_world.talents.compact({0, 1, 2}, 2);
  const Preferences first = compact_world.talents.prefs(0);
  EXPECT_EQ(0, std::memcmp(&first, &third, sizeof(Preferences)));
}

TEST(Lifecycle, UnvestedEquityVestsLinearlyOverTheRemainingMonths) {
  // $1.2M unvested with 12 months left: $100k vests each month, none is left after 12.
  WorldBuilder b;
  const RegionId r = b.region("X");
  const OrgId o = b.org("O", r);
  TalentSpec t;
  t.employer = o, t.wage = 1e5f, t.unvested = 1.2e6f, t.vest_left = 12, t.tenure = 1;
  const std::size_t i = b.talent(t);
  World w = b.build();
  MonthState m;
  for (int month = 0; month < 12; ++month) {
    m.month = month;
    m.reset(w.orgs.size());
    run_lifecycle(w, m);
    EXPECT_NEAR(w.talents.unvested[i], 1.2e6 - 1e5 * (month + 1), 1.0) << "month " << month;
  }
  EXPECT_EQ(w.talents.unvested[i], 0.0f);
  EXPECT_EQ(w.talents.vest_left[i], 0);
}

TEST(Lifecycle, RaisesComeOnWorkAnniversariesAndKeepPayrollEqualToWages) {
  // annual_raise 5% for frontier labs; tenure 11 -> 12 this month: one raise, payroll follows.
  WorldBuilder b;
  b.params().annual_raise[static_cast<int>(OrgKind::frontier_lab)] = 0.05;
  const RegionId r = b.region("X");
  const OrgId o = b.org("O", r);
  TalentSpec t;
  t.employer = o, t.wage = 2e5f, t.tenure = 11;
  const std::size_t i = b.talent(t);
  t.tenure = 3;
  const std::size_t j = b.talent(t);
  World w = b.build();
  MonthState m;
  m.reset(w.orgs.size());
  run_lifecycle(w, m);
  EXPECT_FLOAT_EQ(w.talents.wage[i], 2.1e5f);
  EXPECT_FLOAT_EQ(w.talents.wage[j], 2e5f);
  EXPECT_NEAR(w.orgs.payroll[0], 4.1e5, 1e-6);
  EXPECT_NO_THROW(check_invariants(w));
}

TEST(Lifecycle, AbilityGrowthScalesThePowerSumsExactly) {
  // g = 12% a year at one GPU per head (phi = 0): every member's a grows by 1% this month and
  // the incrementally scaled power sum matches a recount.
  WorldBuilder b;
  b.params().ability_growth[static_cast<int>(OrgKind::frontier_lab)] = 0.12;
  const RegionId r = b.region("X");
  const OrgId o = b.org("O", r);
  for (float a : {0.5f, 1.0f, 4.0f}) b.talent({a, Role::engineering, o, 1e5f});
  World w = b.build();
  MonthState m;
  m.reset(w.orgs.size());
  run_lifecycle(w, m);
  EXPECT_FLOAT_EQ(w.talents.ability[2], 4.04f);
  EXPECT_NO_THROW(check_invariants(w));
}

TEST(Lifecycle, IdleTalentsLeaveAfterMaxIdleMonths) {
  // max_idle_months = 3: an unemployed talent idle for 3 months leaves; one idle for 1 stays.
  WorldBuilder b;
  b.params().max_idle_months = 3;
  b.region("X");
  TalentSpec t;
  t.tenure = 3;
  b.talent(t);
  t.tenure = 1;
  b.talent(t);
  World w = b.build();
  MonthState m;
  m.reset(w.orgs.size());
  run_lifecycle(w, m);
  EXPECT_EQ(m.exits, 1);
  ASSERT_EQ(w.talents.size(), 1u);
  EXPECT_EQ(w.talents.uid[0], 1u);
  EXPECT_EQ(w.talents.tenure[0], 2);
}

TEST(Lifecycle, ExitsRemoveTalentsFromTheirEmployersAggregates) {
  // exit_rate = 1 per year means a monthly hazard of 1: everyone leaves, aggregates go to 0.
  WorldBuilder b;
  b.params().exit_rate = 1.0;
  const RegionId r = b.region("X");
  const OrgId o = b.org("O", r);
  for (int k = 0; k < 5; ++k) b.talent({1.5f, Role::research, o, 3e5f});
  World w = b.build();
  MonthState m;
  m.reset(w.orgs.size());
  run_lifecycle(w, m);
  EXPECT_EQ(w.talents.size(), 0u);
  EXPECT_EQ(w.orgs.headcount[0][0], 0);
  EXPECT_EQ(w.orgs.power_sum[0][0], 0.0);
  EXPECT_NEAR(w.orgs.payroll[0], 0.0, 1e-6);
}

TEST(Entry, GraduatesArriveAtTheRegionsRateWithFractionsCarried) {
  // 18 research graduates a year = 1.5 a month: months bring 1, 2, 1, 2, ... (3 every two).
  WorldBuilder b;
  const RegionId r = b.region("X");
  World w = b.build();
  w.scale = 1.0;
  w.regions[r.index()].graduates_per_year[0] = 18;
  MonthState m;
  std::vector<std::int64_t> arrivals;
  for (int month = 0; month < 4; ++month) {
    m.month = month;
    m.reset(w.orgs.size());
    admit_graduates(w, m);
    arrivals.push_back(m.entries);
  }
  EXPECT_EQ(arrivals, (std::vector<std::int64_t>{1, 2, 1, 2}));
  EXPECT_EQ(w.talents.size(), 6u);
  for (std::size_t i = 0; i < w.talents.size(); ++i) {
    EXPECT_FALSE(w.talents.employer[i].valid());
    EXPECT_GT(w.talents.ability[i], 0.0f);
  }
}

// Entry's worlds: regions X and Y at scale 1, a share `abroad` of X's graduates doing their
// graduate study in Y.
const RegionId kX(0), kY(1);
World two_regions(double abroad) {
  WorldBuilder b;
  b.region("X");
  b.region("Y");
  World w = b.build();
  w.scale = 1.0;
  w.regions[kX.index()].study_abroad.push_back({kY, abroad, {}});
  return w;
}

TEST(Entry, GraduatesWhoStudyAbroadEnterThereAndKeepTheirOrigin) {
  // 120 research graduates a year = 10 a month, a quarter of them studying in Y: 7.5 a month
  // enter at home and 2.5 in Y, each stream with its own carried fraction.
  const RegionId x = kX, y = kY;
  World w = two_regions(0.25);
  w.regions[x.index()].graduates_per_year[0] = 120;
  MonthState m;
  for (int month = 0; month < 4; ++month) {
    m.month = month;
    m.reset(w.orgs.size());
    admit_graduates(w, m);
  }
  std::size_t home = 0, abroad = 0;
  for (std::size_t i = 0; i < w.talents.size(); ++i) {
    EXPECT_EQ(w.talents.origin[i], x);
    if (w.talents.region[i] == x) ++home;
    if (w.talents.region[i] == y) ++abroad;
  }
  EXPECT_EQ(home, 30u);
  EXPECT_EQ(abroad, 10u);
  EXPECT_EQ(w.talents.size(), 40u);
}

// Mean and standard deviation of log-ability of region x's graduates, by where they entered.
struct LogAbility {
  double mean_home = 0, mean_abroad = 0, mean_all = 0, sd_all = 0;
};
LogAbility graduates_log_ability(double selection, double abroad_share) {
  const RegionId x = kX;
  World w = two_regions(abroad_share);
  Region& region = w.regions[x.index()];
  region.graduates_per_year[0] = 120000;  // 10,000 a month
  region.graduate_ability_mu = 0.2, region.graduate_ability_sigma = 0.5;
  region.study_abroad_selection = selection;
  MonthState m;
  m.reset(w.orgs.size());
  admit_graduates(w, m);
  double home = 0, abroad = 0, sum = 0, squares = 0;
  std::size_t n_home = 0, n_abroad = 0;
  for (std::size_t i = 0; i < w.talents.size(); ++i) {
    const double a = std::log(w.talents.ability[i]);
    (w.talents.region[i] == x ? home : abroad) += a;
    ++(w.talents.region[i] == x ? n_home : n_abroad);
    sum += a, squares += a * a;
  }
  const auto n = static_cast<double>(w.talents.size());
  const double mean = sum / n;
  return {home / static_cast<double>(n_home), abroad / static_cast<double>(n_abroad), mean,
          std::sqrt(squares / n - mean * mean)};
}

TEST(Entry, StudyAbroadSelectionSendsTheAbleAbroadAndKeepsTheRegionsDistribution) {
  // A fifth abroad, selection 0.6: u above the normal's 80th percentile (z = 0.8416) has mean
  // phi(0.8416) / 0.2 = 1.3998, below it -0.35; log-ability differs by 0.6 * 1.75 * 0.5 = 0.525.
  const LogAbility selected = graduates_log_ability(0.6, 0.2);
  EXPECT_NEAR(selected.mean_abroad - selected.mean_home, 0.525, 0.03);
  EXPECT_NEAR(selected.mean_all, 0.2, 0.015);  // the region's lognormal as a whole
  EXPECT_NEAR(selected.sd_all, 0.5, 0.015);
  const LogAbility unselected = graduates_log_ability(0.0, 0.2);
  EXPECT_NEAR(unselected.mean_abroad - unselected.mean_home, 0.0, 0.03);
  EXPECT_NEAR(unselected.sd_all, 0.5, 0.015);
}

TEST(Entry, ResearchGraduatesSpendTheirDoctorateOffTheMarketThenEnterIt) {
  // X trains 48 researchers and 48 engineers a year (4 of each a month), a quarter of its
  // graduates study in Y. Y has a 3-month doctorate, X none: X's researchers who stay enter at
  // once; those in Y are students for 3 months, then enter Y's market with the ability drawn
  // when they enrolled. Engineers never enrol.
  const RegionId x = kX, y = kY;
  World w = two_regions(0.25);  // 1 + 1 a month in Y
  Region& region = w.regions[x.index()];
  region.graduates_per_year[0] = 48, region.graduates_per_year[1] = 48;  // 4 + 4 a month
  w.regions[y.index()].doctoral_months = 3;
  MonthState m;
  std::vector<float> enrolled;
  std::vector<std::size_t> students;
  for (int month = 0; month < 6; ++month) {
    m.month = month;
    m.reset(w.orgs.size());
    admit_graduates(w, m);
    students.push_back(w.doctoral_students());
    if (month == 0) {
      ASSERT_EQ(w.doctorates.size(), 1u);
      enrolled = {doctoral_ability(w, w.doctorates[0], 0)};
    }
    if (month == 2) {
      // The first cohort is still in its doctorate, and no researcher has entered Y's market.
      for (std::size_t i = 0; i < w.talents.size(); ++i)
        EXPECT_FALSE(w.talents.region[i] == y && w.talents.role[i] == Role::research);
    }
    if (month == 3) {
      // Month 0's student enters now, the first new PhD of Y, with the ability it enrolled with.
      std::size_t phds = 0;
      for (std::size_t i = 0; i < w.talents.size(); ++i) {
        if (w.talents.region[i] != y || w.talents.role[i] != Role::research) continue;
        ++phds;
        EXPECT_EQ(w.talents.origin[i], x);
        EXPECT_FALSE(w.talents.employer[i].valid());
        ASSERT_EQ(enrolled.size(), 1u);
        EXPECT_EQ(w.talents.ability[i], enrolled[0]);
      }
      EXPECT_EQ(phds, 1u);
    }
  }
  // One enrols a month and stays three: 1, 2, 3, then 3 (one leaves as one comes).
  EXPECT_EQ(students, (std::vector<std::size_t>{1, 2, 3, 3, 3, 3}));
  std::map<std::pair<std::uint8_t, Role>, std::size_t> entered;  // (region, role) -> talents
  for (std::size_t i = 0; i < w.talents.size(); ++i)
    ++entered[{w.talents.region[i].value, w.talents.role[i]}];
  EXPECT_EQ((entered[{x.value, Role::research}]), 18u);  // 3 a month for 6 months
  EXPECT_EQ((entered[{x.value, Role::engineering}]), 18u);
  EXPECT_EQ((entered[{y.value, Role::engineering}]), 6u);  // engineers enter at once
  EXPECT_EQ((entered[{y.value, Role::research}]), 3u);     // enrolled in months 0-2
  ASSERT_EQ(w.doctorates.size(), 3u);  // one cohort of one a month: months 3, 4 and 5
  for (std::size_t i = 0; i < w.doctorates.size(); ++i) {
    const DoctoralCohort& c = w.doctorates[i];
    EXPECT_EQ(c.region, y);
    EXPECT_EQ(c.origin, x);
    EXPECT_EQ(c.count, 1u);
    EXPECT_EQ(c.months_left, 1 + i);  // in enrolment order: the oldest first
    EXPECT_EQ(c.month, static_cast<int>(3 + i));
  }
  EXPECT_EQ(w.next_student, 6u);
}

TEST(Entry, SeededDoctoratesSendNewPhdsFromTheFirstMonth) {
  // A 4-month doctorate and 2 research graduates a month: the build's cohorts (4 of 2, with
  // 1..4 months left) make the market's research entries 2 a month from month 0 on, as if the
  // stage had always been there.
  WorldBuilder b;
  const RegionId x = b.region("X");
  World w = b.build();
  w.scale = 1.0;
  w.regions[x.index()].graduates_per_year[0] = 24;
  w.regions[x.index()].doctoral_months = 4;
  w.seed = 7;
  seed_doctorates(w, -4000);
  ASSERT_EQ(w.doctoral_students(), 8u);
  std::map<int, int> by_months_left;
  for (const DoctoralCohort& c : w.doctorates) by_months_left[c.months_left] += c.count;
  EXPECT_EQ(by_months_left, (std::map<int, int>{{1, 2}, {2, 2}, {3, 2}, {4, 2}}));
  // The abilities the new PhDs enter with are those their cohorts' serials key, in order.
  std::vector<float> seeded;
  for (const DoctoralCohort& c : w.doctorates)
    if (c.months_left == 1)
      for (std::uint32_t j = 0; j < c.count; ++j) seeded.push_back(doctoral_ability(w, c, j));
  MonthState m;
  m.rng = Rng(7, 0);
  for (int month = 0; month < 6; ++month) {
    m.month = month;
    m.reset(w.orgs.size());
    admit_graduates(w, m);
    EXPECT_EQ(m.entries, 2) << "month " << month;
    EXPECT_EQ(w.doctoral_students(), 8u);
    if (month == 0) {
      ASSERT_EQ(w.talents.size(), 2u);
      EXPECT_EQ(w.talents.ability, seeded);
      EXPECT_NE(seeded[0], seeded[1]);
    }
  }
  // Without a stage, seeding adds nobody.
  World none = b.build();
  seed_doctorates(none, -4000);
  EXPECT_TRUE(none.doctorates.empty());
}

TEST(Lifecycle, UnemployedForeignersGoHomeWhenTheGracePeriodIsOver) {
  // Y gives foreigners 3 idle months: X's graduate waiting in Y goes home after the third
  // month; Y's own unemployed stay, and so does X's graduate in Z, which sets no limit.
  WorldBuilder b;
  const RegionId x = b.region("X");
  const RegionId y = b.region("Y");
  const RegionId z = b.region("Z");
  TalentSpec t;
  t.tenure = 0, t.origin = x;
  const std::size_t in_y = b.talent(t);
  const std::size_t in_z = b.talent(t);
  t.origin = y;
  const std::size_t native = b.talent(t);
  World w = b.build();
  w.regions[y.index()].foreign_idle_months = 3;
  w.talents.region[in_y] = y, w.talents.region[in_z] = z;
  MonthState m;
  for (int month = 0; month < 5; ++month) {
    m.month = month;
    m.reset(w.orgs.size());
    run_lifecycle(w, m);
    EXPECT_EQ(w.talents.region[in_y], month < 2 ? y : x) << "month " << month;
    EXPECT_EQ(w.talents.region[in_z], z);
    EXPECT_EQ(w.talents.region[native], y);
    EXPECT_EQ(w.talents.origin[in_y], x);
    EXPECT_EQ(m.returned_home, month == 2 ? 1 : 0) << "month " << month;
  }
}

TEST(Search, CandidatesAreUniqueAndNeverTheCurrentEmployer) {
  // Everyone seeks (seek_rate 1) and the lab headhunts heavily: pairs are de-duplicated and no
  // talent is a candidate of its own employer.
  WorldBuilder b;
  b.params().seek_rate = 1.0;
  b.params().applications = 5;
  const RegionId r = b.region("X");
  OrgSpec hunter;
  hunter.poach_intensity = 20;
  hunter.target_research = 20;
  const OrgId a = b.org("A", r, hunter);
  const OrgId c = b.org("C", r, hunter);
  for (int k = 0; k < 10; ++k) b.talent({1.0f + k, Role::research, k % 2 ? a : c, 1e5f});
  for (int k = 0; k < 5; ++k) b.talent({1.0f, Role::research});
  World w = b.build();
  MonthState m;
  m.reset(w.orgs.size());
  search_candidates(w, m);
  ASSERT_FALSE(m.candidates.empty());
  EXPECT_TRUE(std::is_sorted(m.candidates.begin(), m.candidates.end()));
  EXPECT_EQ(std::adjacent_find(m.candidates.begin(), m.candidates.end()), m.candidates.end());
  for (const auto& cand : m.candidates) EXPECT_NE(w.talents.employer[cand.talent], OrgId(cand.org));
}

// `scale` is a sample size: a named organisation at scale s is the real firm with s of its
// team, seen as s of the firm, and a pool member keeps its size (the pool keeps s of its
// members), so each organisation's share of a region's visibility is the same at every scale.
// (Before, a named firm with s of its team was seen as (s x headcount)^0.5, so at scale 0.05 the
// named labs drew 4.5 times their share of applications, and world-2019's fit leant on it.)
TEST(Search, VisibilityOfANamedOrganisationScalesWithItsTeam) {
  WorldBuilder b;
  const RegionId r = b.region("X");
  OrgSpec spec;
  spec.mission = 0.5;
  b.org("Lab", r, spec);
  b.org("Pool#1", r, spec);
  World w = b.build();
  w.orgs.named[1] = 0;
  const auto seen = [&w](double scale, std::int32_t lab_heads, std::int32_t member_heads) {
    w.scale = scale;
    w.orgs.headcount[0] = {lab_heads, 0};
    w.orgs.headcount[1] = {member_heads, 0};
    return std::pair{visibility(w, 0), visibility(w, 1)};
  };
  const auto [lab1, member1] = seen(1.0, 400, 30);
  EXPECT_DOUBLE_EQ(lab1, std::sqrt(401.0) * 1.5);
  EXPECT_DOUBLE_EQ(member1, std::sqrt(31.0) * 1.5);
  const auto [lab, member] = seen(0.05, 20, 30);  // the lab with a twentieth of its team
  EXPECT_NEAR(lab, 0.05 * lab1, 1e-12);
  EXPECT_DOUBLE_EQ(member, member1);
}

TEST(Search, SeekDrawsKeptByLifecycleAreTheDrawsSearchWouldMake) {
  // Lifecycle keeps word 2 of each staying talent's block (decision 021), in the talents' order
  // after its exits; search with those words finds the same seekers and pairs as search drawing
  // the blocks itself (its path when lifecycle has not run).
  WorldBuilder b;
  b.params().exit_rate = 0.5;  // a monthly hazard of 5.6%: some of the 600 leave
  b.params().seek_rate = 0.3;
  const RegionId r = b.region("X");
  OrgSpec org;
  org.target_research = 400;
  const OrgId a = b.org("A", r, org);
  const OrgId c = b.org("C", r, org);
  for (int k = 0; k < 600; ++k)
    b.talent({1.0f + 0.01f * k, Role::research, k % 3 == 0 ? kNoEmployer : (k % 3 == 1 ? a : c),
              k % 3 == 0 ? 0.0f : 1e5f});
  World w = b.build();
  MonthState m;
  m.month = 2;
  m.reset(w.orgs.size());
  run_lifecycle(w, m);
  ASSERT_GT(m.exits, 0);
  ASSERT_EQ(m.seek_draws.size(), w.talents.size());
  for (std::size_t i = 0; i < w.talents.size(); ++i) {
    if (w.talents.employed(i)) {
      ASSERT_EQ(m.seek_draws[i], talent_draws(m.rng, m.month, w.talents.uid[i]).seek) << i;
    }
  }
  World w2 = w;
  MonthState m2 = m;
  m2.seek_draws.clear();
  search_candidates(w, m);
  search_candidates(w2, m2);
  EXPECT_GT(m.seekers, 250u);  // the unemployed who stay, and some of the employed
  EXPECT_EQ(m.seekers, m2.seekers);
  EXPECT_EQ(m.candidates, m2.candidates);
  EXPECT_TRUE(m.seek_draws.empty());  // released once read
}

TEST(Search, ExitAndSeekDrawsOfOneBlockAreIndependent) {
  // Over 200,000 talents, P(exit < 0.2), P(seek < 0.3) and P(both) are 0.2, 0.3 and 0.06
  // (binomial standard deviations under 0.0011).
  const Rng rng(20251129, 0);
  const int n = 200000;
  int exits = 0, seeks = 0, both = 0;
  for (int uid = 0; uid < n; ++uid) {
    const TalentDraws d = talent_draws(rng, 7, static_cast<std::uint32_t>(uid));
    const bool exit = d.exit < 0.2, seek = Rng::to_unit(d.seek) < 0.3;
    exits += exit, seeks += seek, both += exit && seek;
  }
  EXPECT_NEAR(exits / double(n), 0.2, 0.005);
  EXPECT_NEAR(seeks / double(n), 0.3, 0.005);
  EXPECT_NEAR(both / double(n), 0.06, 0.003);
}

TEST(Headhunting, DrawsByInversionFollowEachCellsWeights) {
  // 20,000 talents over three chunks, employed in two regions (a cell is region x role), a
  // tenth unemployed; each cell drawn 100,000 times: every draw is an employed talent of the
  // cell, at frequencies proportional to its ability (chi-square); chunks are grouped in
  // their drawn order and found alike in any order.
  WorldBuilder b;
  const RegionId x = b.region("X"), y = b.region("Y");
  const OrgId ox = b.org("OX", x), oy = b.org("OY", y);
  const Rng rng(5, 0);
  const std::size_t n = 20000;
  for (std::size_t i = 0; i < n; ++i) {
    const auto w = rng.bits(Stream::placement, 0, static_cast<std::uint32_t>(i), 0);
    TalentSpec t;
    t.ability = static_cast<float>(std::exp(2 * Rng::to_unit(w[0])));
    t.role = w[1] % 2 ? Role::research : Role::engineering;
    t.employer = w[2] % 10 == 0 ? kNoEmployer : (w[2] % 3 ? ox : oy);
    b.talent(t);
  }
  World world = b.build();
  const auto& t = world.talents;
  HeadhuntingCells cells(world);  // counted here as search's seekers' pass counts them
  for (std::size_t i = 0; i < t.size(); ++i)
    if (t.employed(i)) cells.count(i / kChunk, i);
  cells.finish();
  const std::size_t cell_count = world.regions.size() * kRoleCount;
  std::vector<HeadhuntingCells::Draw> draws;
  const int per_cell = 100000;
  for (std::size_t c = 0; c < cell_count; ++c)
    for (int k = 0; k < per_cell; ++k) {
      const auto w = rng.bits(Stream::headhunting, 1, static_cast<std::uint32_t>(k),
                              static_cast<std::uint32_t>(c));
      draws.push_back(cells.draw(static_cast<std::uint32_t>(c), c, Rng::to_unit53(w[0], w[1])));
    }
  // Grouped by chunk, each chunk's draws together and in their drawn order (a stable
  // counting sort); finding the talents of each chunk's draws is the same in any chunk order.
  auto drawn = draws;
  const auto first = cells.group_by_chunk(draws);
  ASSERT_EQ(first.size(), (n + kChunk - 1) / kChunk + 1);
  ASSERT_EQ(first.back(), drawn.size());
  std::size_t at = 0;
  for (std::size_t c = 0; c + 1 < first.size(); ++c) {
    ASSERT_EQ(at, first[c]);
    for (const auto& x : drawn)
      if (x.chunk() == c) {
        ASSERT_EQ(draws[at].who, x.who);
        ASSERT_EQ(draws[at].point, x.point);
        ASSERT_EQ(draws[at++].org, x.org);
      }
  }
  auto backwards = draws;
  for (std::size_t c = 0; c + 1 < first.size(); ++c)
    cells.find(draws.data() + first[c], draws.data() + first[c + 1], c);
  for (std::size_t c = first.size() - 1; c-- > 0;)
    cells.find(backwards.data() + first[c], backwards.data() + first[c + 1], c);
  for (std::size_t k = 0; k < draws.size(); ++k) {
    ASSERT_EQ(draws[k].who, backwards[k].who);
    ASSERT_EQ(draws[k].org, backwards[k].org);
  }
  std::vector<int> seen(n, 0);
  for (const auto& d : draws) {
    const std::size_t i = d.who, c = d.org;  // org: the cell drawn, in this test
    ASSERT_LT(i, n);
    ASSERT_TRUE(t.employed(i));
    ASSERT_EQ(t.region[i].index() * kRoleCount + static_cast<std::size_t>(t.role[i]), c);
    ++seen[i];
  }
  for (std::size_t c = 0; c < cell_count; ++c) {
    double total = 0;
    std::size_t items = 0;
    for (std::size_t i = 0; i < n; ++i)
      if (t.employed(i) &&
          t.region[i].index() * kRoleCount + static_cast<std::size_t>(t.role[i]) == c)
        total += t.ability[i], ++items;
    EXPECT_NEAR(cells.total_weight(c), total, 1e-9 * total);
    double chi2 = 0;
    for (std::size_t i = 0; i < n; ++i) {
      if (!t.employed(i) ||
          t.region[i].index() * kRoleCount + static_cast<std::size_t>(t.role[i]) != c)
        continue;
      const double expected = per_cell * t.ability[i] / total;
      chi2 += (seen[i] - expected) * (seen[i] - expected) / expected;
    }
    // About `items` degrees of freedom; a talent off by one gives thousands.
    EXPECT_LT(chi2, 1.2 * static_cast<double>(items) + 100) << "cell " << c;
  }
}

TEST(Offers, NoOfferWithoutAVacancyOrCash) {
  // Candidates for a full organisation and a broke one get no offer; the ordinary pairs do.
  WorldBuilder b;
  const RegionId r = b.region("X");
  OrgSpec full;
  full.target_research = 1;
  const OrgId f = b.org("Full", r, full);
  OrgSpec broke;
  broke.payroll_budget = 0;
  const OrgId k = b.org("Broke", r, broke);
  const OrgId ok = b.org("Open", r);
  b.talent({1.0f, Role::research, f, 1e5f});
  const auto i = static_cast<std::uint32_t>(b.talent(TalentSpec{}));
  const auto j = static_cast<std::uint32_t>(b.talent(TalentSpec{}));
  World w = b.build();
  MonthState m;
  m.month = 2;
  m.reset(w.orgs.size());
  m.candidates = {{i, f.value}, {i, k.value}, {i, ok.value}, {j, ok.value}};
  make_offers(w, m);
  ASSERT_EQ(m.offers.size(), 2u);
  EXPECT_EQ(m.offers[0].talent, i);
  EXPECT_EQ(m.offers[0].org, ok.value);
  EXPECT_EQ(m.offers[1].talent, j);
}

TEST(Moves, AMoveConservesMoneyAndUpdatesBothEmployers) {
  // i moves from A ($300k) to B at $500k with a $200k bonus: A's payroll loses exactly the old
  // wage, B's gains exactly the new one, the power sums and headcounts follow, and the new
  // grant is equity_share x wage x H.
  WorldBuilder b;
  const RegionId x = b.region("X");
  const RegionId y = b.region("Y");
  const OrgId a = b.org("A", x);
  OrgSpec spec;
  spec.equity_share = 0.25f;
  const OrgId bb = b.org("B", y, spec);
  const std::size_t i = b.talent({2.0f, Role::research, a, 3e5f, 4e5f, 20});
  b.talent({1.0f, Role::research, a, 1e5f});
  World w = b.build();
  const double total_before = w.orgs.payroll[0] + w.orgs.payroll[1];
  MonthState m;
  m.reset(w.orgs.size());
  m.decisions = {{Decision::Kind::move, static_cast<std::uint32_t>(i), bb, 5e5, 2e5}};
  apply_moves(w, m);
  EXPECT_NEAR(w.orgs.payroll[0], 1e5, 1e-6);
  EXPECT_NEAR(w.orgs.payroll[1], 5e5, 1e-6);
  EXPECT_NEAR(w.orgs.payroll[0] + w.orgs.payroll[1] - total_before, 5e5 - 3e5, 1e-6);
  EXPECT_EQ(w.orgs.headcount[0][0], 1);
  EXPECT_EQ(w.orgs.headcount[1][0], 1);
  EXPECT_EQ(w.talents.region[i], y);
  EXPECT_FLOAT_EQ(w.talents.unvested[i], 0.25f * 5e5f * 4.0f);
  ASSERT_EQ(m.moves.size(), 1u);
  EXPECT_EQ(m.moves[0].from, a);
  EXPECT_EQ(m.moves[0].from_region, x);
  EXPECT_EQ(m.moves[0].to_region, y);
  EXPECT_DOUBLE_EQ(m.moves[0].forfeited, 4e5);
  EXPECT_DOUBLE_EQ(m.moves[0].package_value(), 4 * 5e5 + 2e5);
  EXPECT_NO_THROW(check_invariants(w));
}

TEST(Invariants, AStaleAggregateIsReported) {
  // A payroll that no longer equals the sum of wages is a bug the check must name.
  WorldBuilder b;
  const RegionId r = b.region("X");
  const OrgId o = b.org("Lab", r);
  b.talent({1.0f, Role::research, o, 1e5f});
  World w = b.build();
  w.orgs.payroll[0] += 1000;
  try {
    check_invariants(w);
    FAIL() << "expected an InvariantViolation";
  } catch (const InvariantViolation& e) {
    EXPECT_NE(std::string(e.what()).find("organisation Lab payroll"), std::string::npos);
  }
}

TEST(AliasTables, DrawFrequenciesFollowTheWeights) {
  // Items 10, 20, 30, 40 in cell 0 with weights 1, 2, 0, 7: over 100k draws the frequencies
  // are 0.1, 0.2, 0, 0.7 within 1%.
  const std::vector<double> weight = {1, 2, 0, 7};
  AliasTables tables;
  tables.build(
      1, 41, [](std::size_t i) { return i % 10 == 0 && i > 0 ? 0 : -1; },
      [&](std::size_t i) { return i % 10 == 0 && i > 0 ? weight[i / 10 - 1] : 0.0; });
  ASSERT_EQ(tables.size(0), 3u);
  EXPECT_EQ(tables.total_weight(0), 10.0);
  Rng rng(7, 0);
  std::map<std::uint32_t, int> seen;
  const int draws = 100000;
  for (int k = 0; k < draws; ++k) {
    const auto b = rng.bits(Stream::applications, 0, static_cast<std::uint32_t>(k), 0);
    ++seen[tables.draw(0, Rng::to_unit(b[0]), Rng::to_unit(b[1]))];
  }
  EXPECT_EQ(seen.count(30), 0u);
  EXPECT_NEAR(seen[10] / double(draws), 0.1, 0.01);
  EXPECT_NEAR(seen[20] / double(draws), 0.2, 0.01);
  EXPECT_NEAR(seen[40] / double(draws), 0.7, 0.01);
}

// System: 5,000 items in 6 cells (cell 3 empty, some items in no cell, some weights 0 or
// negative), 200,000 draws from each cell. Expectation: a cell holds exactly its items of
// positive weight, its total is their sum, and each item's frequency is its share of the
// cell's weight (within 4 standard errors, summed over the cell's items as a chi-square below
// a generous bound); items of other cells or of weight <= 0 are never drawn. Because: the
// cells share flat arrays, so an offset error would draw another cell's items.
TEST(AliasTables, EachCellDrawsItsOwnItemsInProportionToTheirWeights) {
  const std::size_t n = 5000, cells = 6;
  Rng rng(11, 0);
  std::vector<int> cell(n);
  std::vector<double> weight(n);
  for (std::size_t i = 0; i < n; ++i) {
    const auto b = rng.bits(Stream::placement, 0, static_cast<std::uint32_t>(i), 0);
    cell[i] = static_cast<int>(b[0] % 7) - 1;  // -1: in no cell
    if (cell[i] == 3) cell[i] = 2;             // cell 3 stays empty
    weight[i] = b[1] % 10 == 0 ? (b[1] % 20 == 0 ? 0.0 : -1.0) : std::exp(3 * Rng::to_unit(b[2]));
  }
  AliasTables tables;
  tables.build(
      cells, n, [&](std::size_t i) { return cell[i]; }, [&](std::size_t i) { return weight[i]; });
  for (std::size_t c = 0; c < cells; ++c) {
    std::size_t items = 0;
    double total = 0;
    for (std::size_t i = 0; i < n; ++i) {
      if (cell[i] == static_cast<int>(c) && weight[i] > 0) {
        ++items;
        total += weight[i];
      }
    }
    ASSERT_EQ(tables.size(c), items) << "cell " << c;
    EXPECT_DOUBLE_EQ(tables.total_weight(c), total) << "cell " << c;
    if (items == 0) continue;
    std::vector<int> seen(n, 0);
    const int draws = 200000;
    for (int k = 0; k < draws; ++k) {
      const auto b = rng.bits(Stream::headhunting, 1, static_cast<std::uint32_t>(k),
                              static_cast<std::uint32_t>(c));
      const std::uint32_t i = tables.draw(c, Rng::to_unit(b[0]), Rng::to_unit(b[1]));
      ASSERT_LT(i, n);
      ASSERT_EQ(cell[i], static_cast<int>(c)) << "item " << i << " of another cell";
      ASSERT_GT(weight[i], 0) << "item " << i << " of weight " << weight[i];
      ++seen[i];
    }
    double chi2 = 0;
    for (std::size_t i = 0; i < n; ++i) {
      if (cell[i] != static_cast<int>(c) || !(weight[i] > 0)) continue;
      const double expected = draws * weight[i] / total;
      chi2 += (seen[i] - expected) * (seen[i] - expected) / expected;
    }
    // About `items` degrees of freedom; a wrong alias or probability gives thousands.
    EXPECT_LT(chi2, 1.5 * static_cast<double>(items) + 100) << "cell " << c;
  }
}

}  // namespace
}  // namespace mercato
