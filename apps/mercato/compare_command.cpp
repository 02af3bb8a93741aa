#include "compare_command.hpp"

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <string_view>

#include <fmt/format.h>

#include "commands.hpp"
#include "progress_bar.hpp"
#include "run_report.hpp"

namespace mercato::cli {

namespace fs = std::filesystem;

namespace {

bool is_money(std::string_view unit) {
  return unit.starts_with("USD");
}

// A mean of one side: shares as percentages, money as $1.2M, counts with one decimal (they
// are means over replicates).
std::string value_text(std::string_view unit, double v) {
  if (!std::isfinite(v)) return "-";
  if (unit == "share") return fmt::format("{:.1f}%", 100.0 * v);
  if (is_money(unit)) return human_money(v);
  if (unit == "talents") return fmt::format("{:.1f}", v);
  return fmt::format("{:.3f}", v + 0.0);
}

// A difference, signed: shares in percentage points, money as +$1.2M.
std::string signed_text(std::string_view unit, double v) {
  if (!std::isfinite(v)) return "-";
  // An exact zero (a scenario against itself) has no sign.
  if (unit == "share") return v == 0 ? "0.00" : fmt::format("{:+.2f}", 100.0 * v);
  if (v == 0) return "0";
  if (is_money(unit)) return v > 0 ? "+" + human_money(v) : human_money(v);
  if (unit == "talents") return fmt::format("{:+.1f}", v);
  return fmt::format("{:+.3f}", v);
}

std::string difference_text(const experiment::ComparisonRow& row) {
  if (!std::isfinite(row.diff_mean)) return "-";
  // A figure that only exists as a difference (cost per additional talent) is a plain amount.
  if (!std::isfinite(row.base_mean) && !std::isfinite(row.policy_mean)) {
    return value_text(row.unit, row.diff_mean);
  }
  std::string text = signed_text(row.unit, row.diff_mean);
  if (row.unit == "share") text += " pts";
  if (std::isfinite(row.diff_lo) && std::isfinite(row.diff_hi)) {
    text += fmt::format(" [{}, {}]", signed_text(row.unit, row.diff_lo),
                        signed_text(row.unit, row.diff_hi));
  }
  return text;
}

fs::path default_compare_folder(const Config& base, const std::string& base_path,
                                const Config& policy, const std::string& policy_path) {
  return fs::path("runs") /
         file_name_part(fmt::format("compare-{}-vs-{}", scenario_display_name(base, base_path),
                                    scenario_display_name(policy, policy_path)));
}

std::vector<std::string> joined(const std::vector<std::string>& a,
                                const std::vector<std::string>& b) {
  std::vector<std::string> all = a;
  all.insert(all.end(), b.begin(), b.end());
  return all;
}

}  // namespace

std::string comparison_report(const experiment::Comparison& c) {
  std::string out;
  auto line = [&out](std::string_view text) {
    out.append(text);
    out.push_back('\n');
  };
  const YearMonth last = c.start.plus_months(std::max(0, c.months - 1));
  line(
      fmt::format("{} (base) vs {} (policy): {} replicate{} of {} months, {:04}-{:02} to "
                  "{:04}-{:02}, seed {}",
                  c.base_name, c.policy_name, c.replicates, c.replicates == 1 ? "" : "s", c.months,
                  c.start.year, c.start.month, last.year, last.month, c.seed));
  // What tells the two sides apart when they share a file: the overrides of one side only.
  auto only_in = [](const std::vector<std::string>& a, const std::vector<std::string>& b) {
    std::vector<std::string> out;
    for (const std::string& x : a) {
      if (std::find(b.begin(), b.end(), x) == b.end()) out.push_back(x);
    }
    return out;
  };
  for (const auto& [side, own] :
       {std::pair{"base", only_in(c.base_overrides, c.policy_overrides)},
        std::pair{"policy", only_in(c.policy_overrides, c.base_overrides)}}) {
    if (!own.empty()) line(fmt::format("  {} with {}", side, fmt::join(own, ", ")));
  }
  line(c.replicates > 1
           ? "difference = policy - base, paired by replicate (same random numbers), with its "
             "95% interval"
           : "difference = policy - base (one replicate: no interval; use --replicates)");

  std::size_t width = 0;
  for (const auto& row : c.rows) width = std::max(width, row.label.size());
  width += 2;
  auto table_line = [&](std::string_view label, std::string_view base, std::string_view policy,
                        std::string_view difference) {
    std::string text =
        fmt::format("  {:<{}}  {:>10}  {:>10}  {}", label, width, base, policy, difference);
    while (!text.empty() && text.back() == ' ') text.pop_back();
    line(text);
  };
  line("");
  table_line("", "base", "policy", "difference [95% interval]");
  std::string section;
  for (const auto& row : c.rows) {
    if (row.section != section) {
      if (!section.empty()) line("");
      section = row.section;
      line(fmt::format("  {}", section));
    }
    table_line("  " + row.label, value_text(row.unit, row.base_mean),
               value_text(row.unit, row.policy_mean), difference_text(row));
  }
  return out;
}

int compare_command(const CompareArgs& args) {
  const bool on_terminal = ::isatty(STDERR_FILENO) == 1;
  ProgressBar progress(on_terminal && !args.quiet);

  const auto base_overrides =
      overrides_of(joined(args.sets, args.base_sets), args.seed, args.months);
  const auto policy_overrides =
      overrides_of(joined(args.sets, args.policy_sets), args.seed, args.months);
  const Config base = load_scenario(args.base, base_overrides);
  const Config policy = load_scenario(args.policy, policy_overrides);
  // Before the folder is touched: a pair that cannot be compared changes nothing on disk.
  experiment::check_comparable(base, policy);

  const fs::path folder = args.output.empty()
                              ? default_compare_folder(base, args.base, policy, args.policy)
                              : fs::path(args.output);
  experiment::ComparisonWriter writer(folder, args.force);

  progress.stage(fmt::format("running {} replicates of each scenario on {} thread{}",
                             args.replicates, args.threads, args.threads == 1 ? "" : "s"));
  std::atomic<bool> stop{false};
  experiment::ReplicateOptions options;
  options.threads = args.threads;
  options.stop = &stop;
  // Called by one worker at a time; the signal handler only sets a flag, polled here.
  options.on_progress = [&progress, &stop](int done, int total) {
    progress.update(done, total);
    if (interrupt_was_requested()) stop.store(true);
  };
  experiment::Comparison comparison;
  try {
    comparison = experiment::compare(base, policy, args.replicates, options);
  } catch (const experiment::Stopped&) {
    throw Interrupted();
  }
  comparison.base_file = args.base;
  comparison.policy_file = args.policy;
  for (const auto& o : base_overrides) comparison.base_overrides.push_back(o.key + "=" + o.value);
  for (const auto& o : policy_overrides) {
    comparison.policy_overrides.push_back(o.key + "=" + o.value);
  }
  writer.write(comparison);
  progress.clear();

  if (!args.quiet) {
    std::string report = comparison_report(comparison);
    report += fmt::format("\noutputs: {}/ ({})\n", writer.folder().string(),
                          fmt::join(writer.file_names(), ", "));
    std::fputs(report.c_str(), stdout);
  }
  return 0;
}

}  // namespace mercato::cli
