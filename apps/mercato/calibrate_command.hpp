// `mercato calibrate`: fits a scenario's free parameters to published figures
// (docs/calibration.md). The work is the experiment library's; this file turns flags into
// options, shows progress and prints the fit.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace mercato::cli {

struct CalibrateArgs {
  std::string file;            // the calibration file
  std::string output;          // empty: runs/<calibration name>-calibration
  std::optional<int> threads;  // replicates at once per process; default every core, 1 per rank
  bool force = false;
  bool quiet = false;
  bool evaluate = false;          // --evaluate: optimiser none (one evaluation at the starts)
  std::vector<std::string> sets;  // --set K=V: a parameter's start, or a fixed value
  std::optional<int> replicates;  // --replicates: overrides the file's
};

// Returns the exit code; user errors are thrown as mercato::Error, Ctrl-C as Interrupted.
int calibrate_command(const CalibrateArgs& args);

}  // namespace mercato::cli
