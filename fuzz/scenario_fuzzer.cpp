// libFuzzer target for the scenario loader (`make fuzz`; docs/reliability.md). Any text must
// either load or be refused with a mercato::Error; a crash, a sanitizer report, an uncaught
// exception of another type or a hang is a bug. A text that loads into a small world is also
// built and simulated for a few months, so values the checks let through are exercised by
// the engine too. Inputs that once failed live in fuzz/regressions/scenario/ and are replayed
// by the scenario tests (ScenarioRobustness.FuzzRegressionsLoadOrFailCleanly).
#include <cstddef>
#include <cstdint>
#include <string>

#include "mercato/core/error.hpp"
#include "mercato/engine/simulation.hpp"
#include "mercato/scenario/scenario.hpp"

namespace {

// Small enough that one input runs in milliseconds.
bool small_enough(const mercato::Config& c) {
  double talents = 0;
  for (const mercato::TalentStockConfig& s : c.talents) talents += s.count * c.scale;
  double orgs = 0;
  for (const mercato::OrgConfig& o : c.organisations) orgs += o.count;
  return talents <= 2000 && orgs <= 200 && c.months <= 600;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size > 64 * 1024) return 0;
  const std::string text(reinterpret_cast<const char*>(data), size);
  try {
    // `extends:` is resolved against a folder that does not exist: the fuzzer reads no file.
    mercato::Config config =
        mercato::scenario::load_string(text, "fuzz.yaml", {}, "/nonexistent-mercato-fuzz");
    (void)mercato::scenario::to_yaml(config);
    if (!small_enough(config)) return 0;
    config.months = std::min(config.months, 3);
    config.model.warmup_months = std::min(config.model.warmup_months, 2);
    mercato::World world = mercato::scenario::build_world(config);
    std::vector<mercato::Event> events = mercato::scenario::build_events(config, world);
    mercato::Simulation simulation(
        std::move(world), mercato::scenario::simulation_options(config, 1), std::move(events));
    (void)mercato::run_simulation(simulation, {});
  } catch (const mercato::Error&) {
    // Refused with a message: what a bad scenario should get.
  }
  return 0;
}
