// Entry (MODEL.md, One month, step 3): each region's graduates of the month arrive with no
// employer and an active search; their reservation wage is the graduate wage of the region
// where they enter the market. A region's `study_abroad` shares enter in the region of their
// graduate study, keeping their region of training as origin.
#include <algorithm>
#include <cmath>

#include "model/model.hpp"
#include "model/talent_draws.hpp"

namespace mercato {

namespace {

// A new graduate of region r and role k entering the market in region `at`: no employer,
// searching, ability drawn from region r's graduate distribution. Returns its index.
std::size_t add_graduate(World& w, MonthState& m, std::size_t r, int k, RegionId at) {
  auto& t = w.talents;
  const Region& region = w.regions[r];
  const std::size_t i = t.size();
  t.resize(i + 1);
  t.uid[i] = w.next_uid++;
  const auto b = m.rng.bits(Stream::entry, m.month, t.uid[i], 0);
  t.ability[i] = static_cast<float>(std::exp(
      region.graduate_ability_mu + region.graduate_ability_sigma * Rng::normal_from(b[0], b[1])));
  t.role[i] = static_cast<Role>(k);
  t.origin[i] = RegionId(static_cast<std::uint8_t>(r));
  t.region[i] = at;
  t.employer[i] = kNoEmployer;
  t.experience[i] = 0;
  t.tenure[i] = 0;
  t.wage[i] = 0;
  t.unvested[i] = 0;
  t.vest_left[i] = 0;
  draw_preferences(w, m.rng, Stream::entry, m.month, i);
  ++m.entries;
  return i;
}

// Fractional graduates are carried over, so entry is deterministic and unbiased.
std::size_t due_now(double per_month, double& carry) {
  const double due = per_month + carry;
  const auto count = static_cast<std::size_t>(std::floor(due));
  carry = due - static_cast<double>(count);
  return count;
}

}  // namespace

void admit_graduates(World& w, MonthState& m) {
  const double years = m.growth ? std::max(0, m.month) / 12.0 : 0.0;
  for (std::size_t r = 0; r < w.regions.size(); ++r) {
    Region& region = w.regions[r];
    const RegionId home(static_cast<std::uint8_t>(r));
    const double growth = std::pow(1.0 + region.graduate_growth, years);
    double abroad = 0;
    for (const StudyFlow& flow : region.study_abroad) abroad += flow.share;
    for (int k = 0; k < kRoleCount; ++k) {
      const double per_month = region.graduates_per_year[k] * w.scale * growth / 12.0;
      for (std::size_t j = due_now(per_month * std::max(0.0, 1.0 - abroad), w.graduate_carry[r][k]);
           j > 0; --j)
        add_graduate(w, m, r, k, home);
      for (StudyFlow& flow : region.study_abroad)
        for (std::size_t j = due_now(per_month * flow.share, flow.carry[k]); j > 0; --j)
          add_graduate(w, m, r, k, flow.to);
    }
  }
  // Training programmes (MODEL.md, Events: training_program): their graduates are marked, so
  // that the programme can report how many it trained and how many stay.
  auto& policy = w.policy;
  for (const ProgramIntake& intake : m.programs) {
    const std::size_t e = static_cast<std::size_t>(intake.event);
    if (policy.program_carry.size() < (e + 1) * kRoleCount)
      policy.program_carry.resize((e + 1) * kRoleCount, 0.0);
    for (int k = 0; k < kRoleCount; ++k) {
      const double share = k == 0 ? intake.research_share : 1.0 - intake.research_share;
      const double per_month = intake.per_year * share * w.scale / 12.0;
      for (std::size_t j = due_now(per_month, policy.program_carry[e * kRoleCount + k]); j > 0;
           --j) {
        const std::size_t i = add_graduate(w, m, intake.region.index(), k, intake.region);
        policy.program_graduates[w.talents.uid[i]] = intake.event;
        ++m.event_counts[intake.event].trained;
      }
    }
  }
}

}  // namespace mercato
