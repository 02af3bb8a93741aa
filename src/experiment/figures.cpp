#include "mercato/experiment/figures.hpp"

#include <string_view>
#include <utility>

#include <fmt/format.h>

namespace mercato::experiment {

namespace {

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

double at_or_zero(const std::vector<std::int64_t>& values, std::size_t i) {
  return i < values.size() ? static_cast<double>(values[i]) : 0.0;
}

}  // namespace

std::unique_ptr<Observer> record_end_headcounts(EndHeadcounts& out) {
  return std::make_unique<TopHeadcountRecorder>(out);
}

std::vector<Figure> run_figures(const RunSummary& s, const EndHeadcounts& headcounts,
                                const std::vector<std::string>& regions,
                                const std::vector<std::string>& groups, bool with_events) {
  std::vector<Figure> out;
  auto add = [&out](std::string_view section, std::string metric, std::string label,
                    std::string unit, double value) {
    out.push_back(
        {std::string(section), std::move(metric), std::move(label), std::move(unit), value});
  };
  auto region_field = [&s](std::size_t i, double RunSummary::RegionShare::*field) {
    return i < s.regions.size() ? s.regions[i].*field : 0.0;
  };
  auto group_field = [&s](std::size_t g, double RunSummary::GroupShare::*field) {
    return g < s.groups.size() ? s.groups[g].*field : 0.0;
  };

  constexpr std::string_view kWorkShare = "share of top-tier talent working here";
  for (std::size_t i = 0; i < regions.size(); ++i) {
    add(kWorkShare, fmt::format("regions.{}.top_work_share", regions[i]), regions[i], "share",
        region_field(i, &RunSummary::RegionShare::top_work_share));
  }
  for (std::size_t g = 0; g < groups.size(); ++g) {
    add(kWorkShare, fmt::format("groups.{}.top_work_share", groups[g]), "group " + groups[g],
        "share", group_field(g, &RunSummary::GroupShare::top_work_share));
  }

  constexpr std::string_view kHeadcount = "top-tier talents working here";
  for (std::size_t i = 0; i < regions.size(); ++i) {
    add(kHeadcount, fmt::format("regions.{}.top_employed", regions[i]), regions[i], "talents",
        at_or_zero(headcounts.top_by_region, i));
  }
  for (std::size_t g = 0; g < groups.size(); ++g) {
    add(kHeadcount, fmt::format("groups.{}.top_employed", groups[g]), "group " + groups[g],
        "talents", at_or_zero(headcounts.top_by_group, g));
  }

  constexpr std::string_view kDrain =
      "brain drain of top-tier talent (trained here, working elsewhere)";
  for (std::size_t i = 0; i < regions.size(); ++i) {
    add(kDrain, fmt::format("regions.{}.brain_drain_top", regions[i]), regions[i], "share",
        region_field(i, &RunSummary::RegionShare::brain_drain_top));
  }
  for (std::size_t g = 0; g < groups.size(); ++g) {
    add(kDrain, fmt::format("groups.{}.brain_drain_top", groups[g]), "group " + groups[g], "share",
        group_field(g, &RunSummary::GroupShare::brain_drain_top));
  }

  constexpr std::string_view kWages = "wages at the end of the run";
  for (int t = 0; t < kReportTierCount; ++t) {
    const std::string tier(to_string(static_cast<ReportTier>(t)));
    const Quantiles& q = s.wage_end[static_cast<std::size_t>(t)];
    for (const auto& [name, value] :
         {std::pair{"p50", q.p50}, std::pair{"p90", q.p90}, std::pair{"p99", q.p99}}) {
      add(kWages, fmt::format("wage_end.{}.{}", tier, name), fmt::format("{} {}", tier, name),
          "USD/yr", value);
    }
  }

  constexpr std::string_view kMarket = "market";
  add(kMarket, "moves_per_talent_year", "moves per talent-year", "moves/talent-year",
      s.moves_per_talent_year);
  add(kMarket, "unemployment_end", "unemployment at the end", "share", s.unemployment_end);
  add(kMarket, "elite_top5_share_end", "elite talent at the 5 largest employers", "share",
      s.elite_top5_share_end);
  add(kMarket, "elite_hhi_end", "elite concentration (HHI)", "index", s.elite_hhi_end);

  if (with_events) {
    double cost = 0, accepted = 0, avoided = 0, trained = 0, attracted = 0, retained = 0;
    for (const EventSummary& e : s.events) {
      cost += e.cost;
      accepted += static_cast<double>(e.accepted);
      avoided += static_cast<double>(e.departures_avoided);
      trained += static_cast<double>(e.trained);
      attracted += static_cast<double>(e.attracted);
      retained += static_cast<double>(e.retained_end);
    }
    constexpr std::string_view kPolicy = "policy (sum over the scenario's events)";
    add(kPolicy, "events.cost", "cost", "USD", cost);
    add(kPolicy, "events.accepted", "offers accepted", "talents", accepted);
    add(kPolicy, "events.departures_avoided", "departures avoided", "talents", avoided);
    add(kPolicy, "events.trained", "talents trained", "talents", trained);
    add(kPolicy, "events.attracted", "talents attracted", "talents", attracted);
    add(kPolicy, "events.retained_end", "retained at the end", "talents", retained);
  }
  return out;
}

}  // namespace mercato::experiment
