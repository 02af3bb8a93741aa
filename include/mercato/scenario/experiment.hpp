// The experiment file of `mercato sweep` and `mercato ensemble` (docs/experiments.md, "The
// experiment file"): a base scenario, overrides applied to every run, the parameters to vary
// and how (a grid or a Latin hypercube), replicates and the tables to keep. Read here, in the
// only layer that reads YAML; the experiment layer runs the points.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "mercato/scenario/config.hpp"
#include "mercato/scenario/scenario.hpp"

namespace mercato::scenario {

enum class Design : std::uint8_t { grid, lhs };

// One varied key. A grid parameter has `values` (as written) or a range with `steps`; an lhs
// parameter has a range only.
struct ExperimentParameter {
  std::string key;                  // a --set key path, e.g. "regions.EU.tax_rate"
  std::vector<std::string> values;  // `values:` as YAML text, or the grid of range + steps
  double low = 0, high = 0;         // `range: [low, high]`
  bool has_range = false;
  bool log = false;  // `log: true`: steps / samples evenly spaced in log space (low > 0)
  int steps = 0;     // grid with a range: evenly spaced values, ends included (>= 2)
};

struct ExperimentPoint {
  int index = 0;                    // 0-based, in design order
  std::vector<Override> overrides;  // one per parameter, in parameter order: {key, value text}
};

struct Experiment {
  std::string name;                   // `name:`; default the file's (or the scenario's) stem
  std::string description;            // `description:` (free text, not part of the fingerprint)
  std::string file;                   // path as given ("" when built in code)
  std::string scenario_file;          // the base scenario, relative to the experiment's folder
  std::vector<Override> fixed;        // `set:`, applied to every point before the point's own
  std::optional<std::uint64_t> seed;  // `seed:`; default the scenario's seed
  std::optional<int> months;          // `months:`; default the scenario's horizon
  int replicates = 1;                 // `replicates:` per point, >= 1
  Design design = Design::grid;       // `design: grid | lhs`
  int samples = 0;                    // `samples:` (lhs only, >= 1)
  std::vector<ExperimentParameter> parameters;  // empty: one point, the base scenario
  // Per-run tables stored in the database, from the vocabulary of `outputs.tables` (regions,
  // kinds, orgs, flows, moves, origins, market, events).
  std::vector<std::string> keep = default_keep();
  std::vector<ExperimentPoint> points;  // the expanded design

  static std::vector<std::string> default_keep() { return {"regions", "market", "events"}; }
};

// The most points one experiment may expand to (a typo in `steps` should not fill the disk).
inline constexpr int kMaxExperimentPoints = 100000;

// Reads and validates an experiment file, expands its points, and loads the base scenario with
// the fixed overrides and with every point's overrides, so an unknown key path or a value the
// scenario rejects is reported now, at the line of the experiment file that wrote it. Throws
// ScenarioError listing every problem (file:line:column, key path, what was expected), IoError
// when the experiment file cannot be read.
Experiment load_experiment(const std::string& path);

// The experiment of `mercato ensemble SCENARIO --replicates N [--set ...] [--seed] [--months]
// [--keep ...]`: no parameters, one point. An empty `keep` means the default tables. Throws
// UsageError for replicates < 1, months < 1 or an unknown table, ScenarioError when the
// scenario (with the overrides) does not load, IoError when it cannot be read.
Experiment ensemble_experiment(const std::string& scenario_file, std::vector<Override> overrides,
                               int replicates, std::optional<std::uint64_t> seed,
                               std::optional<int> months, std::vector<std::string> keep);

// The Config of one point: the base scenario with the fixed overrides, the point's overrides,
// then `seed` and `months` applied last as `--seed` / `--months` are (overrides of the keys
// `seed` and `months`).
Config point_config(const Experiment& experiment, const ExperimentPoint& point);

// Every override of a point in the order point_config applies them: fixed, the point's own,
// then seed and months.
std::vector<Override> point_overrides(const Experiment& experiment, const ExperimentPoint& point);

// Canonical text of everything that determines the results: the resolved base scenario
// (to_yaml of the base file with the fixed overrides, read from disk now), the seed, months,
// replicates, kept tables and every point's overrides. Equal fingerprints, equal database
// rows; the name, description and file paths are not part of it.
std::string experiment_fingerprint(const Experiment& experiment);

}  // namespace mercato::scenario
