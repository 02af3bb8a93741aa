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

// Keeps the top-tier headcount by region and group of the latest month; after the run, that of
// the last month.
class TopHeadcountRecorder final : public Observer {
 public:
  explicit TopHeadcountRecorder(EndHeadcounts& out) : out_(out) {}

  void on_month(const World& world, const MonthMetrics& metrics) override {
    out_.top_by_region.assign(world.regions.size(), 0);
    for (const RegionRow& row : metrics.regions) {
      if (row.tier != ReportTier::top || !row.region.valid() ||
          row.region.index() >= out_.top_by_region.size()) {
        continue;
      }
      out_.top_by_region[row.region.index()] = row.employed;
    }
    out_.top_by_group.assign(world.groups.size(), 0);
    for (std::size_t g = 0; g < world.groups.size(); ++g) {
      for (const RegionId r : world.groups[g].regions) {
        out_.top_by_group[g] += out_.top_by_region[r.index()];
      }
    }
  }

 private:
  EndHeadcounts& out_;
};

std::string scenario_name(const Config& config, std::string_view fallback) {
  return config.name.empty() ? std::string(fallback) : config.name;
}

std::string regions_text(const Config& config) {
  std::vector<std::string> ids;
  for (const RegionConfig& r : config.regions) ids.push_back(r.id);
  return fmt::format("[{}]", fmt::join(ids, ", "));
}

// The sums over a run's events of the figures compare reports.
struct EventTotals {
  double cost = 0, accepted = 0, departures_avoided = 0, trained = 0, attracted = 0,
         retained_end = 0;
};

EventTotals event_totals(const RunSummary& s) {
  EventTotals t;
  for (const EventSummary& e : s.events) {
    t.cost += e.cost;
    t.accepted += static_cast<double>(e.accepted);
    t.departures_avoided += static_cast<double>(e.departures_avoided);
    t.trained += static_cast<double>(e.trained);
    t.attracted += static_cast<double>(e.attracted);
    t.retained_end += static_cast<double>(e.retained_end);
  }
  return t;
}

class RowBuilder {
 public:
  RowBuilder(const ScenarioReplicates& base, const ScenarioReplicates& policy)
      : base_(base), policy_(policy), n_(base.summaries.size()) {}

  // A figure of both sides: `value(side, r)` is its value in replicate r of that side.
  template <typename Value>
  void add(std::string_view section, std::string metric, std::string label, std::string unit,
           const Value& value) {
    std::vector<double> b(n_), p(n_), d(n_);
    for (std::size_t r = 0; r < n_; ++r) {
      b[r] = value(base_, r);
      p[r] = value(policy_, r);
      d[r] = p[r] - b[r];
    }
    const MeanEstimate diff = estimate_mean(d);
    rows_.push_back({std::string(section), std::move(metric), std::move(label), std::move(unit),
                     mean_of(b), mean_of(p), diff.mean, diff.low, diff.high});
  }

  // A figure that exists only as a difference, without an interval.
  void add_difference(std::string_view section, std::string metric, std::string label,
                      std::string unit, double difference) {
    rows_.push_back({std::string(section), std::move(metric), std::move(label), std::move(unit),
                     kNaN, kNaN, difference, kNaN, kNaN});
  }

  // Mean over replicates of policy - base of `value`.
  template <typename Value>
  double mean_difference(const Value& value) const {
    std::vector<double> d(n_);
    for (std::size_t r = 0; r < n_; ++r) d[r] = value(policy_, r) - value(base_, r);
    return mean_of(d);
  }

  std::vector<ComparisonRow> rows() && { return std::move(rows_); }

 private:
  const ScenarioReplicates& base_;
  const ScenarioReplicates& policy_;
  std::size_t n_;
  std::vector<ComparisonRow> rows_;
};

std::size_t index_of(const std::vector<std::string>& ids, const std::string& id) {
  return static_cast<std::size_t>(std::find(ids.begin(), ids.end(), id) - ids.begin());
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
    observers.push_back(
        std::make_unique<TopHeadcountRecorder>(out.headcounts[static_cast<std::size_t>(r)]));
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
  RowBuilder rows(base, policy);
  const std::vector<std::string>& regions = base.region_ids;
  std::vector<std::string> groups;  // those both define
  for (const std::string& g : base.group_ids) {
    if (index_of(policy.group_ids, g) < policy.group_ids.size()) groups.push_back(g);
  }
  auto region_share = [](std::size_t i, double RunSummary::RegionShare::*field) {
    return [i, field](const ScenarioReplicates& s, std::size_t r) {
      return s.summaries[r].regions.at(i).*field;
    };
  };
  auto group_share = [](const std::string& id, double RunSummary::GroupShare::*field) {
    return [id, field](const ScenarioReplicates& s, std::size_t r) {
      return s.summaries[r].groups.at(index_of(s.group_ids, id)).*field;
    };
  };
  auto region_top = [](std::size_t i) {
    return [i](const ScenarioReplicates& s, std::size_t r) {
      return static_cast<double>(s.headcounts[r].top_by_region.at(i));
    };
  };
  auto group_top = [](const std::string& id) {
    return [id](const ScenarioReplicates& s, std::size_t r) {
      return static_cast<double>(s.headcounts[r].top_by_group.at(index_of(s.group_ids, id)));
    };
  };

  constexpr std::string_view kWorkShare = "share of top-tier talent working here";
  for (std::size_t i = 0; i < regions.size(); ++i) {
    rows.add(kWorkShare, fmt::format("regions.{}.top_work_share", regions[i]), regions[i], "share",
             region_share(i, &RunSummary::RegionShare::top_work_share));
  }
  for (const std::string& g : groups) {
    rows.add(kWorkShare, fmt::format("groups.{}.top_work_share", g), "group " + g, "share",
             group_share(g, &RunSummary::GroupShare::top_work_share));
  }

  constexpr std::string_view kHeadcount = "top-tier talents working here";
  for (std::size_t i = 0; i < regions.size(); ++i) {
    rows.add(kHeadcount, fmt::format("regions.{}.top_employed", regions[i]), regions[i], "talents",
             region_top(i));
  }
  for (const std::string& g : groups) {
    rows.add(kHeadcount, fmt::format("groups.{}.top_employed", g), "group " + g, "talents",
             group_top(g));
  }

  constexpr std::string_view kDrain =
      "brain drain of top-tier talent (trained here, working elsewhere)";
  for (std::size_t i = 0; i < regions.size(); ++i) {
    rows.add(kDrain, fmt::format("regions.{}.brain_drain_top", regions[i]), regions[i], "share",
             region_share(i, &RunSummary::RegionShare::brain_drain_top));
  }
  for (const std::string& g : groups) {
    rows.add(kDrain, fmt::format("groups.{}.brain_drain_top", g), "group " + g, "share",
             group_share(g, &RunSummary::GroupShare::brain_drain_top));
  }

  constexpr std::string_view kWages = "wages at the end of the run";
  for (int t = 0; t < kReportTierCount; ++t) {
    const std::string tier(to_string(static_cast<ReportTier>(t)));
    for (const auto& [name, field] :
         {std::pair{"p50", &Quantiles::p50}, std::pair{"p90", &Quantiles::p90},
          std::pair{"p99", &Quantiles::p99}}) {
      rows.add(kWages, fmt::format("wage_end.{}.{}", tier, name), fmt::format("{} {}", tier, name),
               "USD/yr", [t, field](const ScenarioReplicates& s, std::size_t r) {
                 return s.summaries[r].wage_end[static_cast<std::size_t>(t)].*field;
               });
    }
  }

  constexpr std::string_view kMarket = "market";
  auto summary_field = [](double RunSummary::*field) {
    return [field](const ScenarioReplicates& s, std::size_t r) { return s.summaries[r].*field; };
  };
  rows.add(kMarket, "moves_per_talent_year", "moves per talent-year", "moves/talent-year",
           summary_field(&RunSummary::moves_per_talent_year));
  rows.add(kMarket, "unemployment_end", "unemployment at the end", "share",
           summary_field(&RunSummary::unemployment_end));
  rows.add(kMarket, "elite_top5_share_end", "elite talent at the 5 largest employers", "share",
           summary_field(&RunSummary::elite_top5_share_end));
  rows.add(kMarket, "elite_hhi_end", "elite concentration (HHI)", "index",
           summary_field(&RunSummary::elite_hhi_end));

  // Policy figures, when either scenario has events: sums over all its events.
  auto has_events = [](const ScenarioReplicates& s) {
    return std::any_of(s.summaries.begin(), s.summaries.end(),
                       [](const RunSummary& summary) { return !summary.events.empty(); });
  };
  if (has_events(base) || has_events(policy)) {
    constexpr std::string_view kPolicy = "policy (sum over the scenario's events)";
    auto total = [](double EventTotals::*field) {
      return [field](const ScenarioReplicates& s, std::size_t r) {
        return event_totals(s.summaries[r]).*field;
      };
    };
    rows.add(kPolicy, "events.cost", "cost", "USD", total(&EventTotals::cost));
    rows.add(kPolicy, "events.accepted", "offers accepted", "talents",
             total(&EventTotals::accepted));
    rows.add(kPolicy, "events.departures_avoided", "departures avoided", "talents",
             total(&EventTotals::departures_avoided));
    rows.add(kPolicy, "events.trained", "talents trained", "talents", total(&EventTotals::trained));
    rows.add(kPolicy, "events.attracted", "talents attracted", "talents",
             total(&EventTotals::attracted));
    rows.add(kPolicy, "events.retained_end", "retained at the end", "talents",
             total(&EventTotals::retained_end));

    // Cost per additional top-tier talent working in a place: the policy's extra cost over
    // the base divided by the extra top-tier talents working there at the end, both as means
    // over replicates. Defined only where the extra headcount is positive; no interval (the
    // ratio's is unstable whenever the headcount's interval comes near zero).
    const double extra_cost = rows.mean_difference(total(&EventTotals::cost));
    if (extra_cost != 0.0) {
      constexpr std::string_view kCostPer = "cost per additional top-tier talent working here";
      auto cost_per = [extra_cost](double extra_talents) {
        return extra_talents > 0 ? extra_cost / extra_talents : kNaN;
      };
      for (std::size_t i = 0; i < regions.size(); ++i) {
        rows.add_difference(kCostPer, fmt::format("regions.{}.cost_per_additional_top", regions[i]),
                            regions[i], "USD/talent",
                            cost_per(rows.mean_difference(region_top(i))));
      }
      for (const std::string& g : groups) {
        rows.add_difference(kCostPer, fmt::format("groups.{}.cost_per_additional_top", g),
                            "group " + g, "USD/talent",
                            cost_per(rows.mean_difference(group_top(g))));
      }
    }
  }
  return std::move(rows).rows();
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
