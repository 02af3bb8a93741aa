#include "run_report.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <string_view>
#include <vector>

#include <fmt/format.h>

namespace mercato::cli {

namespace {

// Packages listed in the summary; summary.json keeps the full top ten.
constexpr std::size_t kPackagesShown = 5;

std::string percent(double share) {
  if (!std::isfinite(share)) return "-";
  return fmt::format("{:.1f}%", 100.0 * share);
}

std::string_view region_id(const World& world, RegionId region) {
  if (!region.valid() || region.index() >= world.regions.size()) return "?";
  return world.regions[region.index()].id;
}

std::string employer_text(const World& world, OrgId org, RegionId region) {
  const std::string_view name = org.valid() && org.index() < world.orgs.name.size()
                                    ? std::string_view(world.orgs.name[org.index()])
                                    : std::string_view("unemployed");
  return fmt::format("{} ({})", name, region_id(world, region));
}

}  // namespace

std::string human_money(double usd) {
  if (!std::isfinite(usd)) return "-";
  const char* sign = usd < 0 ? "-" : "";
  double v = std::fabs(usd);
  if (v < 999.5) return fmt::format("{}${:.0f}", sign, v);
  static constexpr std::array<std::string_view, 4> kUnits = {"k", "M", "B", "T"};
  for (std::size_t u = 0; u < kUnits.size(); ++u) {
    v /= 1000.0;
    // One decimal below 10 units ($1.2M), none above ($120M): about two significant digits,
    // which is what a headline needs. Rounding up to 1000 moves to the next unit.
    const bool decimal = v < 9.95;
    const double shown = decimal ? std::round(v * 10) / 10 : std::round(v);
    if (shown < 1000 || u + 1 == kUnits.size()) {
      return decimal ? fmt::format("{}${:.1f}{}", sign, shown, kUnits[u])
                     : fmt::format("{}${:.0f}{}", sign, shown, kUnits[u]);
    }
  }
  return "-";
}

std::string grouped(std::int64_t value) {
  std::string digits = fmt::format(
      "{}", value < 0 ? -static_cast<std::uint64_t>(value) : static_cast<std::uint64_t>(value));
  std::string out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out.push_back(',');
    out.push_back(digits[i]);
  }
  return value < 0 ? "-" + out : out;
}

std::string run_report(const World& world, const RunSummary& s, const ReportContext& context) {
  std::string out;
  auto line = [&out](std::string_view text) {
    out.append(text);
    out.push_back('\n');
  };
  const YearMonth last = s.start.plus_months(std::max(0, s.months - 1));
  line(fmt::format("{}: {} months, {:04}-{:02} to {:04}-{:02}, seed {}", s.scenario, s.months,
                   s.start.year, s.start.month, last.year, last.month, s.seed));
  line(fmt::format("  talents         {} at the start, {} at the end ({} entries, {} exits)",
                   grouped(s.talents_start), grouped(s.talents_end), grouped(s.entries),
                   grouped(s.exits)));
  line(fmt::format("  organisations   {}", grouped(s.organisations)));
  line(fmt::format(
      "  moves           {} ({} per talent-year), {} kept by a counter-offer", grouped(s.moves),
      std::isfinite(s.moves_per_talent_year) ? fmt::format("{:.3f}", s.moves_per_talent_year) : "-",
      grouped(s.counters_won)));
  line(fmt::format("  unemployment    {} at the end", percent(s.unemployment_end)));
  line(fmt::format("  signing bonuses {} paid over the run", human_money(s.signing_bonuses)));
  line(
      fmt::format("  concentration   the 5 largest employers of elite talent hold {} of it "
                  "(HHI {})",
                  percent(s.elite_top5_share_end),
                  std::isfinite(s.elite_hhi_end) ? fmt::format("{:.3f}", s.elite_hhi_end) : "-"));

  // Where the top tier works and where it was trained; brain drain = of the talents trained
  // in a region, the share working elsewhere (MODEL.md, Metrics).
  std::vector<std::string> labels;
  for (const auto& r : s.regions) labels.emplace_back(region_id(world, r.region));
  for (const auto& g : s.groups) labels.push_back("group " + g.group);
  std::size_t width = std::string_view("wages at the end").size();
  for (const std::string& label : labels) width = std::max(width, label.size());
  auto region_line = [&](std::string_view label, std::string_view work, std::string_view trained,
                         std::string_view drain_top, std::string_view drain_all) {
    line(fmt::format("  {:<{}}  {:>10}  {:>12}  {:>17}  {:>17}", label, width, work, trained,
                     drain_top, drain_all));
  };
  line("");
  region_line("top-tier talent", "works here", "trained here", "brain drain (top)",
              "brain drain (all)");
  std::size_t label = 0;
  for (const auto& r : s.regions) {
    region_line(labels[label++], percent(r.top_work_share), percent(r.top_origin_share),
                percent(r.brain_drain_top), percent(r.brain_drain_all));
  }
  for (const auto& g : s.groups) {
    region_line(labels[label++], percent(g.top_work_share), percent(g.top_origin_share),
                percent(g.brain_drain_top), "-");
  }

  line("");
  line(fmt::format("  {:<{}}  {:>8}  {:>8}  {:>8}  {:>8}", "wages at the end", width, "p50", "p90",
                   "p99", "max"));
  for (int t = 0; t < kReportTierCount; ++t) {
    const Quantiles& q = s.wage_end[t];
    line(fmt::format("  {:<{}}  {:>8}  {:>8}  {:>8}  {:>8}", to_string(static_cast<ReportTier>(t)),
                     width, human_money(q.p50), human_money(q.p90), human_money(q.p99),
                     human_money(q.max)));
  }

  if (!s.largest_packages.empty()) {
    line("");
    line("  largest packages (4 x annual pay + signing bonus)");
    const std::size_t shown = std::min(kPackagesShown, s.largest_packages.size());
    for (std::size_t i = 0; i < shown; ++i) {
      const MoveRecord& m = s.largest_packages[i];
      const YearMonth date = s.start.plus_months(m.month);
      line(fmt::format(
          "  {:>8}  {:04}-{:02}  talent {} ({} {}): {} -> {}, wage {}, bonus {}",
          human_money(m.package_value()), date.year, date.month, m.talent, to_string(m.tier),
          to_string(m.role), employer_text(world, m.from, m.from_region),
          employer_text(world, m.to, m.to_region), human_money(m.wage), human_money(m.bonus)));
    }
  }

  if (!s.events.empty()) {
    line("");
    line("  events (cost over the run, and what each did)");
    for (const EventSummary& e : s.events) {
      std::string did;
      switch (e.type) {
        case EventType::offensive:
          did = fmt::format("{} offers, {} accepted, {} in packages", e.offers, e.accepted,
                            human_money(e.package_value));
          break;
        case EventType::retention_grant:
        case EventType::non_compete:
          did = fmt::format("{} departures avoided", e.departures_avoided);
          break;
        case EventType::training_program:
          did = fmt::format("{} trained, {} working in the region at the end", e.trained,
                            e.retained_end);
          break;
        case EventType::tax_regime:
          did = fmt::format("{} attracted, {} beneficiaries working in the region at the end",
                            e.attracted, e.retained_end);
          break;
        default:
          break;
      }
      line(fmt::format("  {:<28} {:<16} {:>8}  {}", e.name, to_string(e.type), human_money(e.cost),
                       did));
    }
  }

  line("");
  line(fmt::format("outputs: {}/ ({})", context.folder.string(), fmt::join(context.files, ", ")));
  return out;
}

}  // namespace mercato::cli
