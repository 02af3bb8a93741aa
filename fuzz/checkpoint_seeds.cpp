// Writes real checkpoints for the checkpoint fuzzer's corpus (tools/fuzz.sh):
//   checkpoint_seeds SOURCE_DIR OUT_DIR
// scenarios/tiny.yaml after 1 and 5 months, and tests/integration/fixtures/tiny-timeline.yaml
// (events under way: budgets, grants, beneficiaries, carries) after 8 months.
#include <cstdio>
#include <filesystem>
#include <string>

#include "mercato/core/error.hpp"
#include "mercato/io/checkpoint.hpp"
#include "mercato/scenario/scenario.hpp"

namespace {

void write_seed(const std::filesystem::path& scenario, int months,
                const std::filesystem::path& out) {
  mercato::Config config = mercato::scenario::load(scenario.string());
  config.months = months + 1;
  mercato::World world = mercato::scenario::build_world(config);
  std::vector<mercato::Event> events = mercato::scenario::build_events(config, world);
  mercato::Simulation simulation(std::move(world), mercato::scenario::simulation_options(config),
                                 std::move(events));
  for (int m = 0; m < months; ++m) simulation.step();
  mercato::io::CheckpointRun run;
  run.description = mercato::io::describe_run(config, 1, "mercato run --checkpoint-every 1");
  run.checkpoint_every = 1;
  run.writer.tables = {{"regions.csv", 100, 1, 4}, {"market.csv", 50, 2, 1}};
  mercato::io::write_checkpoint(out, run, simulation.world(), simulation.progress());
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: checkpoint_seeds SOURCE_DIR OUT_DIR\n");
    return 2;
  }
  const std::filesystem::path source = argv[1], out = argv[2];
  try {
    std::filesystem::create_directories(out);
    write_seed(source / "scenarios/tiny.yaml", 1, out / "seed-tiny-1.bin");
    write_seed(source / "scenarios/tiny.yaml", 5, out / "seed-tiny-5.bin");
    write_seed(source / "tests/integration/fixtures/tiny-timeline.yaml", 8,
               out / "seed-timeline-8.bin");
  } catch (const mercato::Error& e) {
    std::fprintf(stderr, "checkpoint_seeds: %s\n", e.what());
    return 1;
  }
  return 0;
}
