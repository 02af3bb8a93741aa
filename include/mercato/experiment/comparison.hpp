// `mercato compare`: a base scenario and a policy scenario run with the same seeds (common
// random numbers: replicate r of both shares its random streams), and the headline figures of
// both side by side with the paired difference (policy_r - base_r) and its 95% interval over
// replicates. docs/compare.md lists the figures and defines each one.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "mercato/core/types.hpp"
#include "mercato/engine/metrics.hpp"
#include "mercato/experiment/figures.hpp"
#include "mercato/experiment/replicates.hpp"
#include "mercato/scenario/config.hpp"

namespace mercato::experiment {

// One scenario's replicates, as a comparison needs them.
struct ScenarioReplicates {
  std::string name;
  std::vector<std::string> region_ids;    // in scenario order
  std::vector<std::string> group_ids;     // in scenario order
  std::vector<RunSummary> summaries;      // by replicate
  std::vector<EndHeadcounts> headcounts;  // by replicate
};

// run_replicates, plus the end-of-run headcounts of each replicate.
ScenarioReplicates run_scenario_replicates(const Config& config, int replicates,
                                           const ReplicateOptions& options);

// One figure of both scenarios. NaN where a value is not defined: the interval of a single
// replicate; base and policy of a figure that only exists as a difference (cost per additional
// talent); a cost per talent whose difference in talents is not positive.
struct ComparisonRow {
  std::string section;  // heading in the printed table, e.g. "brain drain of top-tier talent"
  std::string metric;   // stable key, e.g. "regions.North.brain_drain_top" (docs/compare.md)
  std::string label;    // the row's name under its heading, e.g. "North"
  std::string unit;     // share, talents, USD/yr, USD, USD/talent, moves/talent-year, index
  double base_mean = 0, policy_mean = 0;
  double diff_mean = 0, diff_lo = 0, diff_hi = 0;  // policy - base, paired by replicate
};

// The figures of docs/compare.md, in its order. Both sides must have the same number of
// replicates (UsageError otherwise); groups are those both scenarios define.
std::vector<ComparisonRow> comparison_rows(const ScenarioReplicates& base,
                                           const ScenarioReplicates& policy);

// Throws Error saying what differs when two scenarios cannot be compared: other regions (ids
// and order), another start month or horizon.
void check_comparable(const Config& base, const Config& policy);

struct Comparison {
  std::string base_name, policy_name;  // the scenarios' `name`
  std::uint64_t seed = 0;
  int replicates = 0;
  int months = 0;
  YearMonth start;
  std::vector<ComparisonRow> rows;
  // How each side was made, recorded in comparison.json when the caller fills them: the files
  // and the overrides applied to each (`key=value`).
  std::string base_file, policy_file;
  std::vector<std::string> base_overrides, policy_overrides;
};

// Checks the pair (check_comparable), runs `replicates` replicates of base then of policy,
// the policy with the base's seed, and builds the rows. options.on_progress counts the months of
// both scenarios (total = replicates x both horizons).
Comparison compare(const Config& base, const Config& policy, int replicates,
                   const ReplicateOptions& options);

// comparison.csv and comparison.json (docs/compare.md).
std::string comparison_csv(const Comparison& comparison);
std::string comparison_json(const Comparison& comparison);

// Writes DIR/comparison.csv and DIR/comparison.json under temporary names, renamed when both
// are complete. The constructor applies the output folder policy of `mercato run` (a
// non-empty folder is refused with UsageError unless `force`) and opens the temporary files,
// so an unusable folder is reported before any simulation. An unfinished writer removes its
// temporary files, and the folder if it created it and nothing else is in it.
class ComparisonWriter {
 public:
  ComparisonWriter(std::filesystem::path dir, bool force);
  ~ComparisonWriter();
  ComparisonWriter(const ComparisonWriter&) = delete;
  ComparisonWriter& operator=(const ComparisonWriter&) = delete;

  void write(const Comparison& comparison);
  const std::filesystem::path& folder() const;
  std::vector<std::string> file_names() const;

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace mercato::experiment
