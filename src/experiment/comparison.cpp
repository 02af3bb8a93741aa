#include "mercato/experiment/comparison.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string_view>
#include <utility>

#include <fmt/format.h>

#include "mercato/experiment/statistics.hpp"
#include "mercato/scenario/scenario.hpp"

namespace mercato::experiment {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

std::string scenario_name(const Config& config, std::string_view fallback) {
  return config.name.empty() ? std::string(fallback) : config.name;
}

std::string regions_text(const Config& config) {
  std::vector<std::string> ids;
  for (const RegionConfig& r : config.regions) ids.push_back(r.id);
  return fmt::format("[{}]", fmt::join(ids, ", "));
}

bool has_events(const ScenarioReplicates& s) {
  return std::any_of(s.summaries.begin(), s.summaries.end(),
                     [](const RunSummary& summary) { return !summary.events.empty(); });
}

// The figures of every replicate of one side.
std::vector<std::vector<Figure>> figures_of(const ScenarioReplicates& s, bool with_events) {
  std::vector<std::vector<Figure>> out;
  for (std::size_t r = 0; r < s.summaries.size(); ++r) {
    out.push_back(
        run_figures(s.summaries[r], s.headcounts[r], s.region_ids, s.group_ids, with_events));
  }
  return out;
}

// The value of `metric` in each replicate; empty when a side does not have it (a group only
// the other scenario defines).
std::vector<double> values_of(const std::vector<std::vector<Figure>>& figures,
                              const std::string& metric) {
  std::vector<double> out;
  for (const std::vector<Figure>& run : figures) {
    const auto it = std::find_if(run.begin(), run.end(),
                                 [&metric](const Figure& f) { return f.metric == metric; });
    if (it == run.end()) return {};
    out.push_back(it->value);
  }
  return out;
}

}  // namespace

ScenarioReplicates run_scenario_replicates(const Config& config, int replicates,
                                           const ReplicateOptions& options) {
  ScenarioReplicates out;
  out.name = scenario_name(config, "scenario");
  for (const RegionConfig& r : config.regions) out.region_ids.push_back(r.id);
  for (const GroupConfig& g : config.groups) out.group_ids.push_back(g.id);
  out.headcounts.resize(static_cast<std::size_t>(std::max(0, replicates)));
  ReplicateOptions with_headcounts = options;
  with_headcounts.observers = [&out, &options](int r) {
    std::vector<std::unique_ptr<Observer>> observers;
    if (options.observers) observers = options.observers(r);
    observers.push_back(record_end_headcounts(out.headcounts[static_cast<std::size_t>(r)]));
    return observers;
  };
  out.summaries = run_replicates(config, replicates, with_headcounts);
  return out;
}

std::vector<ComparisonRow> comparison_rows(const ScenarioReplicates& base,
                                           const ScenarioReplicates& policy) {
  if (base.summaries.size() != policy.summaries.size() ||
      base.headcounts.size() != base.summaries.size() ||
      policy.headcounts.size() != policy.summaries.size()) {
    throw UsageError(fmt::format("cannot pair {} replicates of {} with {} of {}",
                                 base.summaries.size(), base.name, policy.summaries.size(),
                                 policy.name));
  }
  if (base.region_ids != policy.region_ids) {
    throw Error(
        fmt::format("cannot compare {} with {}: their regions differ", base.name, policy.name));
  }
  const bool with_events = has_events(base) || has_events(policy);
  const std::vector<std::vector<Figure>> b = figures_of(base, with_events);
  const std::vector<std::vector<Figure>> p = figures_of(policy, with_events);
  std::vector<ComparisonRow> rows;
  // Mean over replicates of policy - base; NaN when a side lacks the figure.
  auto mean_difference = [&b, &p](const std::string& metric) {
    const std::vector<double> bv = values_of(b, metric), pv = values_of(p, metric);
    if (bv.size() != pv.size() || bv.empty()) return kNaN;
    std::vector<double> d(bv.size());
    for (std::size_t r = 0; r < d.size(); ++r) d[r] = pv[r] - bv[r];
    return mean_of(d);
  };
  if (!b.empty()) {
    for (const Figure& f : b.front()) {
      const std::vector<double> bv = values_of(b, f.metric), pv = values_of(p, f.metric);
      if (pv.size() != bv.size()) continue;  // a group the policy does not define
      std::vector<double> d(bv.size());
      for (std::size_t r = 0; r < d.size(); ++r) d[r] = pv[r] - bv[r];
      const MeanEstimate diff = estimate_mean(d);
      rows.push_back({f.section, f.metric, f.label, f.unit, mean_of(bv), mean_of(pv), diff.mean,
                      diff.low, diff.high});
    }
  }

  // Cost per additional top-tier talent working in a place: the policy's extra cost over the
  // base divided by the extra top-tier talents working there at the end, both as means over
  // replicates. Defined only where the extra headcount is positive; no interval (the ratio's is
  // unstable whenever the headcount's interval comes near zero).
  const double extra_cost = with_events ? mean_difference("events.cost") : 0.0;
  if (with_events && extra_cost != 0.0) {
    constexpr std::string_view kCostPer = "cost per additional top-tier talent working here";
    auto add = [&](const std::string& place, const std::string& label) {
      const double extra = mean_difference(place + ".top_employed");
      if (std::isnan(extra)) return;
      rows.push_back({std::string(kCostPer), place + ".cost_per_additional_top", label,
                      "USD/talent", kNaN, kNaN, extra > 0 ? extra_cost / extra : kNaN, kNaN, kNaN});
    };
    for (const std::string& r : base.region_ids) add("regions." + r, r);
    for (const std::string& g : base.group_ids) add("groups." + g, "group " + g);
  }
  return rows;
}

void check_comparable(const Config& base, const Config& policy) {
  const std::string b = scenario_name(base, "the base"), p = scenario_name(policy, "the policy");
  std::vector<std::string> base_ids, policy_ids;
  for (const RegionConfig& r : base.regions) base_ids.push_back(r.id);
  for (const RegionConfig& r : policy.regions) policy_ids.push_back(r.id);
  if (base_ids != policy_ids) {
    throw Error(fmt::format(
        "cannot compare {} with {}: their regions differ ({} has {}, {} has {}); a comparison "
        "needs the same regions in the same order",
        b, p, b, regions_text(base), p, regions_text(policy)));
  }
  const SimulationOptions bo = scenario::simulation_options(base, 1);
  const SimulationOptions po = scenario::simulation_options(policy, 1);
  if (bo.months != po.months || bo.start != po.start) {
    throw Error(fmt::format(
        "cannot compare {} with {}: they run different periods ({} months from {:04}-{:02}, {} "
        "months from {:04}-{:02}); use --months, or --set start=..., to give both the same",
        b, p, bo.months, bo.start.year, bo.start.month, po.months, po.start.year, po.start.month));
  }
}

Comparison compare(const Config& base, const Config& policy, int replicates,
                   const ReplicateOptions& options) {
  check_comparable(base, policy);
  // Common random numbers: replicate r of both runs on the same streams only with one seed.
  Config policy_run = policy;
  policy_run.seed = base.seed;

  const int months = scenario::simulation_options(base, 1).months;
  const int total = 2 * std::max(0, replicates) * months;
  int offset = 0;
  ReplicateOptions each = options;
  each.on_progress = [&offset, total, &options](int done, int) {
    if (options.on_progress) options.on_progress(offset + done, total);
  };
  const ScenarioReplicates base_runs = run_scenario_replicates(base, replicates, each);
  offset = replicates * months;
  ScenarioReplicates policy_runs = run_scenario_replicates(policy_run, replicates, each);
  policy_runs.name = scenario_name(policy, "policy");

  Comparison c;
  c.base_name = scenario_name(base, "base");
  c.policy_name = scenario_name(policy, "policy");
  c.seed = base.seed;
  c.replicates = replicates;
  c.months = months;
  c.start = scenario::simulation_options(base, 1).start;
  c.rows = comparison_rows(base_runs, policy_runs);
  return c;
}

}  // namespace mercato::experiment
