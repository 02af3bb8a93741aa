// `mercato compare BASE POLICY`: replicates of both scenarios with the same seeds, the headline
// figures side by side with the paired difference and its 95% interval (docs/compare.md). The
// work is the experiment library's; this file parses nothing and only lays the table out.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "mercato/experiment/comparison.hpp"

namespace mercato::cli {

struct CompareArgs {
  std::string base;    // scenario file
  std::string policy;  // scenario file
  int replicates = 10;
  int threads = 1;
  std::optional<std::uint64_t> seed;
  std::optional<int> months;
  std::vector<std::string> sets;         // both scenarios
  std::vector<std::string> base_sets;    // the base only
  std::vector<std::string> policy_sets;  // the policy only
  std::string output;                    // empty: runs/compare-<base>-vs-<policy>
  bool force = false;
  bool quiet = false;
};

// Returns the exit code; user errors are thrown as mercato::Error, Ctrl-C as Interrupted.
int compare_command(const CompareArgs& args);

// The printed table (without the trailing "outputs:" line).
std::string comparison_report(const experiment::Comparison& comparison);

}  // namespace mercato::cli
