// The floor of the performance issue, shared by the scale and phase benchmarks.
#pragma once

#include "core/rng.hpp"
#include "mercato/core/world.hpp"

namespace mercato::bench {

// The floor (performance issue): one streaming pass over every talent column with one Philox
// draw per talent, on one core. No monthly step can cost less; the ratio full step / floor,
// measured in the same run, says how far the model's month is from it.
inline double floor_pass(const World& w, const Rng& rng, int month) {
  const auto& t = w.talents;
  double sum = 0;
  for (std::size_t i = 0; i < t.size(); ++i) {
    const double u = rng.uniform(Stream::exit, month, t.uid[i]);
    sum += u * t.ability[i] + t.wage[i] + t.unvested[i] + t.experience[i] + t.tenure[i] +
           t.vest_left[i] + t.persona[i] + static_cast<int>(t.role[i]) + t.origin[i].value +
           t.region[i].value + (t.employer[i].valid() ? 1.0 : 0.0);
  }
  // The preference columns that exist (a persona's constants are not per talent), streamed
  // with four sums so that the adds do not wait on each other.
  for (const auto& column : t.drawn_prefs) {
    double part[4] = {0, 0, 0, 0};
    for (std::size_t i = 0; i < column.size(); ++i) part[i % 4] += column[i];
    sum += part[0] + part[1] + part[2] + part[3];
  }
  return sum;
}

}  // namespace mercato::bench
