// `mercato ensemble` and `mercato sweep`: many runs into one SQLite database (docs/experiments.md).
// The work is the experiment library's; this file turns flags into an Experiment and reports.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace mercato::cli {

struct ExperimentArgs {
  std::string file;                   // ensemble: the scenario; sweep: the experiment file
  int replicates = 10;                // ensemble only
  std::optional<std::uint64_t> seed;  // ensemble only
  std::optional<int> months;          // ensemble only
  std::vector<std::string> sets;      // ensemble only
  std::vector<std::string> keep;      // ensemble only; empty: the default tables
  std::optional<int> threads;         // runs at once in this process
  std::string output;                 // the database; empty: runs/<name>.db
  std::string on_error = "stop";
  bool force = false;
  bool json = false;
  bool quiet = false;
};

// Both return the exit code; user errors are thrown as mercato::Error.
int ensemble_command(const ExperimentArgs& args);
int sweep_command(const ExperimentArgs& args);

}  // namespace mercato::cli
