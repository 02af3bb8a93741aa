// libFuzzer target for the checkpoint reader (`make fuzz`; docs/reliability.md). Any bytes must
// either load or be refused with a mercato::Error; a crash, a sanitizer report, an uncaught
// exception of another type or a hang is a bug.
//
// A checkpoint's CRC-32 rejects almost every mutation before the payload is decoded, which
// would leave the decoder unexplored; so each input is read twice: as a file (checksum
// verified, as `mercato resume` reads it) and with the checksum skipped, so that mutated
// payloads reach every decoding and range check. A payload that decodes is then taken as far
// as `mercato resume` takes it before the first month: its scenario is loaded, the World is
// compared with a freshly built one, the timeline is built and the Simulation restored.
// The corpus is seeded with real checkpoints of scenarios/tiny.yaml and a timeline fixture
// (tools/fuzz.sh); inputs that once failed live in fuzz/regressions/checkpoint/ and are replayed
// by CheckpointRobustness.FuzzRegressionsLoadOrFailCleanly.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "mercato/core/error.hpp"
#include "mercato/engine/simulation.hpp"
#include "mercato/io/checkpoint.hpp"
#include "mercato/scenario/scenario.hpp"

namespace {

bool small_enough(const mercato::Config& c) {
  double talents = 0;
  for (const mercato::TalentStockConfig& s : c.talents) talents += s.count * c.scale;
  double orgs = 0;
  for (const mercato::OrgConfig& o : c.organisations) orgs += o.count;
  return talents <= 5000 && orgs <= 200;
}

void resume_as_far_as_the_first_month(std::string_view bytes, bool verify_checksum) {
  mercato::io::CheckpointReadOptions options;
  options.verify_checksum = verify_checksum;
  mercato::io::Checkpoint checkpoint = mercato::io::decode_checkpoint(bytes, "fuzz.bin", options);
  // `extends:` is resolved against a folder that does not exist: the fuzzer reads no file.
  const mercato::Config config =
      mercato::scenario::load_string(checkpoint.run.description.resolved_scenario,
                                     "fuzz.bin (scenario)", {}, "/nonexistent-mercato-fuzz");
  if (!small_enough(config)) return;
  mercato::io::check_world_matches(checkpoint, mercato::scenario::build_world(config), "fuzz.bin");
  std::vector<mercato::Event> events = mercato::scenario::build_events(config, checkpoint.world);
  mercato::Simulation simulation(std::move(checkpoint.world),
                                 mercato::scenario::simulation_options(config, 1),
                                 std::move(events), std::move(checkpoint.simulation));
  (void)simulation.summary();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size > 4 * 1024 * 1024) return 0;
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  for (const bool verify : {true, false}) {
    try {
      resume_as_far_as_the_first_month(bytes, verify);
    } catch (const mercato::Error&) {
      // Refused with a message: what a damaged checkpoint should get.
    }
  }
  return 0;
}
