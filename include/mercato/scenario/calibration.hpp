// The calibration file of `mercato calibrate` (docs/calibration.md, "The calibration file"): a
// base scenario, the free parameters with their bounds, the targets (a published figure from
// data/figures.yaml or a literal value, the measure of a run to compare with it, a weight),
// replicates per evaluation, the optimiser and its budget. Read here, in the only layer that
// reads YAML; the experiment layer runs the evaluations.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "mercato/scenario/config.hpp"
#include "mercato/scenario/scenario.hpp"

namespace mercato::scenario {

// NLopt's derivative-free methods: two local (BOBYQA, Nelder-Mead), two global (CRS2 with local
// mutation, ISRES); `none` evaluates the parameters' starts once (a check of a fitted point).
enum class Optimiser : std::uint8_t { bobyqa, nelder_mead, crs2, isres, none };
std::string_view to_string(Optimiser o);

struct CalibrationParameter {
  std::string key;  // a --set key path, e.g. "model.seek_rate"
  double low = 0, high = 0;
  bool log = false;             // searched in log space (low > 0)
  std::optional<double> start;  // first candidate; default the middle of the range (in log
                                // space with `log`)
};

struct CalibrationTarget {
  std::string measure;  // a measure key (experiment/measures.hpp), e.g. "top_work_share.US"
  std::string figure;   // "work_shares_top_tier_2019.US", or "" for a literal value
  double value = 0;     // the data value (a range's middle when the figure is a range)
  bool has_range = false;
  double low = 0, high = 0;  // the data range: the figure's, `range:`, or value +- tolerance
  double weight = 1;
  // Deviations are measured in units of the range's half-width, or of |value| without a range:
  // a target whose model mean sits at the end of its range adds `weight` to the loss.
  double scale() const;
};

struct Calibration {
  std::string name;                   // `name:`; default the file's stem
  std::string description;            // `description:`
  std::string file;                   // path as given
  std::string scenario_file;          // the base scenario, resolved against the file's folder
  std::string scenario_as_written;    // `scenario:` as written
  std::string figures_file;           // data/figures.yaml, resolved ("" when no target uses one)
  std::vector<Override> fixed;        // `set:`, applied before the parameters
  std::optional<std::uint64_t> seed;  // `seed:`
  std::optional<int> months;          // `months:` of every evaluation's runs
  std::optional<int> warmup_months;   // `warmup_months:` (sets model.warmup_months)
  int replicates = 1;                 // per evaluation; replicate r has the same seed for all
  Optimiser optimiser = Optimiser::bobyqa;
  int budget = 0;  // evaluations, >= 1
  std::vector<CalibrationParameter> parameters;
  std::vector<CalibrationTarget> targets;
};

// The measure keys a run of this scenario can compute (experiment::measure_keys), so a target
// naming an unknown measure is reported at its line.
using MeasureKeys = std::function<std::vector<std::string>(const Config&)>;

// Reads and validates a calibration file: every problem is reported at once as
// file:line:column: key: message (ScenarioError), unknown keys with a suggestion; the base
// scenario is loaded with `set:` and with each parameter at both ends of its range, and the
// figures are read from the figures file. Throws IoError when the file cannot be read.
Calibration load_calibration(const std::string& path, const MeasureKeys& measure_keys);

// Changes from the command line (`mercato calibrate --set`): a parameter's key sets its start
// (a number within its range); any other key is added to `set:`. The base scenario must still
// load with them. Throws UsageError naming the `--set` that is wrong.
void apply_command_line_sets(Calibration& calibration, const std::vector<Override>& sets);

// The overrides of one candidate: `set:`, then each parameter's value, then seed, months and
// warm-up.
std::vector<Override> candidate_overrides(const Calibration& calibration,
                                          const std::vector<double>& values);

// A parameter value as the shortest text that reads back as the same double.
std::string format_parameter(double value);

// A scenario file that `extends:` the base (`extends_path`, relative to where the file will be
// written) and sets `set:` and every parameter to `values`: key paths become nested maps, and
// named lists (regions by id, organisations by name, ...) items with their name key. `header`
// is written as a comment at the top.
std::string calibrated_scenario_yaml(const Calibration& calibration,
                                     const std::vector<double>& values,
                                     const std::string& extends_path, const std::string& header);

// Canonical text of everything that determines the result (the resolved base scenario with
// `set:`, seed, months, warm-up, replicates, optimiser, budget, parameters and targets): a
// resumed calibration must have the fingerprint of the one it continues.
std::string calibration_fingerprint(const Calibration& calibration);

}  // namespace mercato::scenario
