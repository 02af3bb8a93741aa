// Kept apart from run_writer.cpp: it is the io layer's only use of the scenario layer, so a
// program (or io_tests) that builds RunDescription by hand does not link the YAML loader.
#include <utility>

#include "mercato/io/outputs.hpp"
#include "mercato/scenario/scenario.hpp"

namespace mercato::io {

RunDescription describe_run(const Config& config, int threads, std::string command_line) {
  RunDescription d;
  d.scenario_file = config.source_file;
  d.scenario_name = config.name;
  d.seed = config.seed;
  d.months = config.months;
  d.start = config.start;
  d.threads = threads;
  d.command_line = std::move(command_line);
  d.resolved_scenario = scenario::to_yaml(config);
  return d;
}

}  // namespace mercato::io
