// Entry (MODEL.md, One month, step 3): each region's graduates of the month arrive with no
// employer and an active search; their reservation wage is the region's graduate wage.
#include <cmath>

#include "model/model.hpp"
#include "model/talent_draws.hpp"

namespace mercato {

void admit_graduates(World& w, MonthState& m) {
  auto& t = w.talents;
  const double years = m.growth ? std::max(0, m.month) / 12.0 : 0.0;
  for (std::size_t r = 0; r < w.regions.size(); ++r) {
    const Region& region = w.regions[r];
    for (int k = 0; k < kRoleCount; ++k) {
      // Fractional graduates are carried over, so entry is deterministic and unbiased.
      const double due = region.graduates_per_year[k] * w.scale *
                             std::pow(1.0 + region.graduate_growth, years) / 12.0 +
                         w.graduate_carry[r][k];
      const auto count = static_cast<std::size_t>(std::floor(due));
      w.graduate_carry[r][k] = due - static_cast<double>(count);
      for (std::size_t j = 0; j < count; ++j) {
        const std::size_t i = t.size();
        t.resize(i + 1);
        t.uid[i] = w.next_uid++;
        const auto b = m.rng.bits(Stream::entry, m.month, t.uid[i], 0);
        t.ability[i] = static_cast<float>(
            std::exp(region.graduate_ability_mu +
                     region.graduate_ability_sigma * Rng::normal_from(b[0], b[1])));
        t.role[i] = static_cast<Role>(k);
        t.origin[i] = t.region[i] = RegionId(static_cast<std::uint8_t>(r));
        t.employer[i] = kNoEmployer;
        t.experience[i] = 0;
        t.tenure[i] = 0;
        t.wage[i] = 0;
        t.unvested[i] = 0;
        t.vest_left[i] = 0;
        t.non_compete_until[i] = std::numeric_limits<std::int16_t>::min();
        draw_preferences(w, m.rng, Stream::entry, m.month, i);
        ++m.entries;
      }
    }
  }
}

}  // namespace mercato
