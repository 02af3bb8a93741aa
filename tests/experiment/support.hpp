// scenarios/tiny.yaml as the experiment tests load it, and a fingerprint of a RunSummary that
// two runs share only if every figure is bit-identical.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "mercato/engine/metrics.hpp"
#include "mercato/scenario/scenario.hpp"

namespace mercato::testing {

inline const std::filesystem::path kTinyScenario =
    std::filesystem::path(MERCATO_SOURCE_DIR) / "scenarios" / "tiny.yaml";

// tiny.yaml (a 439-talent world) with extra overrides.
inline Config tiny_config(std::vector<scenario::Override> overrides = {}) {
  overrides.insert(overrides.begin(), {"months", "24"});
  return scenario::load(kTinyScenario.string(), overrides);
}

// Every figure of a summary, reals as hexadecimal floats (exact).
inline std::string fingerprint(const RunSummary& s) {
  std::string out =
      fmt::format("{} {} {} {} {} {} {} {} {} {} {:a} {:a}|", s.scenario, s.seed, s.months,
                  s.talents_start, s.talents_end, s.organisations, s.moves, s.entries, s.exits,
                  s.counters_won, s.moves_per_talent_year, s.unemployment_end);
  for (const auto& r : s.regions) {
    out += fmt::format("r{} {:a} {:a} {:a} {:a}|", r.region.index(), r.top_work_share,
                       r.top_origin_share, r.brain_drain_top, r.brain_drain_all);
  }
  for (const auto& g : s.groups) {
    out += fmt::format("g{} {:a} {:a} {:a}|", g.group, g.top_work_share, g.top_origin_share,
                       g.brain_drain_top);
  }
  for (const auto& q : s.wage_end)
    out += fmt::format("w {:a} {:a} {:a} {:a}|", q.p50, q.p90, q.p99, q.max);
  out +=
      fmt::format("c {:a} {:a} {:a}|", s.elite_top5_share_end, s.elite_hhi_end, s.signing_bonuses);
  for (const auto& m : s.largest_packages) {
    out += fmt::format("m{} {} {:a} {:a}|", m.month, m.talent, m.wage, m.bonus);
  }
  for (const auto& e : s.events) {
    out += fmt::format("e{} {:a} {} {} {} {} {}|", e.name, e.cost, e.accepted, e.departures_avoided,
                       e.trained, e.attracted, e.retained_end);
  }
  return out;
}

}  // namespace mercato::testing
