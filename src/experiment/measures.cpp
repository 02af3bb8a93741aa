#include "mercato/experiment/measures.hpp"

#include <algorithm>
#include <array>

#include <fmt/format.h>

namespace mercato::experiment {

namespace {

bool is_industry(OrgKind kind) {
  return kind != OrgKind::university && kind != OrgKind::public_lab;
}

// A region or a group: the regions it covers, as a mask over region indices.
struct Area {
  std::string id;
  std::vector<char> covers;
};

std::vector<Area> areas_of(const World& world) {
  std::vector<Area> out;
  const std::size_t n = world.regions.size();
  for (std::size_t r = 0; r < n; ++r) {
    Area a{world.regions[r].id, std::vector<char>(n, 0)};
    a.covers[r] = 1;
    out.push_back(std::move(a));
  }
  for (const auto& g : world.groups) {
    Area a{g.id, std::vector<char>(n, 0)};
    for (const RegionId r : g.regions) a.covers[r.index()] = 1;
    out.push_back(std::move(a));
  }
  return out;
}

double share(double part, double whole) {
  return whole > 0 ? part / whole : 0.0;
}

// First jobs of new research graduates by region of graduate study (where they entered the
// market) x region of work x industry; and, per area, those of graduates of the area trained
// outside it ("foreign" graduates): how many, and how many took their first job in the area.
struct FirstJobs {
  std::size_t regions = 0;
  std::vector<std::int64_t> count;  // (studied * regions + work) * 2 + industry
  std::vector<Area> areas;
  std::vector<std::int64_t> foreign, foreign_staying;  // by area

  void start(const World& world) {
    regions = world.regions.size();
    count.assign(regions * regions * 2, 0);
    areas = areas_of(world);
    foreign.assign(areas.size(), 0);
    foreign_staying.assign(areas.size(), 0);
  }
  void add(std::size_t studied, std::size_t origin, std::size_t work, bool industry) {
    ++count[(studied * regions + work) * 2 + (industry ? 1 : 0)];
    for (std::size_t a = 0; a < areas.size(); ++a) {
      const auto& covers = areas[a].covers;
      if (!covers[studied] || covers[origin]) continue;
      ++foreign[a];
      if (covers[work]) ++foreign_staying[a];
    }
  }
  std::int64_t at(std::size_t studied, std::size_t work, int industry) const {
    return count[(studied * regions + work) * 2 + static_cast<std::size_t>(industry)];
  }
};

class MeasuresRecorder final : public Observer {
 public:
  MeasuresRecorder(Measures& out, std::vector<int> headquarters)
      : out_(out), headquarters_(std::move(headquarters)) {}

  void on_month(const World& world, const MonthMetrics& metrics) override {
    if (jobs_.regions == 0) jobs_.start(world);
    const auto& t = world.talents;
    for (const MoveRecord& mv : metrics.moves) {
      if (mv.from.valid() || mv.role != Role::research) continue;
      // Talents are stored in increasing uid order (world.hpp), and a talent hired this month
      // is still there at the end of the month.
      const auto it = std::lower_bound(t.uid.begin(), t.uid.end(), mv.talent);
      if (it == t.uid.end() || *it != mv.talent) continue;
      const auto i = static_cast<std::size_t>(it - t.uid.begin());
      if (t.experience[i] >= kGraduateMonths) continue;
      // Hired from unemployment: `from_region` is where the graduate entered the market.
      jobs_.add(mv.from_region.index(), t.origin[i].index(), mv.to_region.index(),
                is_industry(world.orgs.kind[mv.to.index()]));
    }
  }

  void on_finish(const World& world, const RunSummary& summary) override {
    out_.clear();
    stock_measures(world);
    graduate_measures(world);
    out_["moves_per_talent_year"] = summary.moves_per_talent_year;
    out_["unemployment"] = summary.unemployment_end;
  }

 private:
  // The region index of organisation o's headquarters: its entry's, else where it is.
  std::size_t headquarters_of(const World& world, std::size_t o) const {
    const std::size_t entry = world.orgs.pool[o];
    if (entry < headquarters_.size() && headquarters_[entry] >= 0)
      return static_cast<std::size_t>(headquarters_[entry]);
    return world.orgs.region[o].index();
  }

  // The top tier's stocks, of every talent (`top_*`) or of researchers only (`top_research_*`:
  // the data's top tier is NeurIPS authors, researchers; a top-tier engineer is not among them),
  // doctoral students included. `employed` counts those with an affiliation: an employer, or
  // for a student the university where they study.
  struct TopStocks {
    std::vector<double> work, hq, origin;
    double employed = 0, all = 0, abroad = 0, hq_abroad = 0;
  };
  static constexpr std::array<const char*, 2> kTopPrefix = {"top_", "top_research_"};

  void stock_measures(const World& world) {
    const auto& t = world.talents;
    const std::size_t n = world.regions.size();
    std::vector<double> wage_sum(n, 0), employed(n, 0);
    std::array<double, kOrgKindCount> kind_sum{}, kind_heads{}, kind_top_sum{}, kind_top_heads{};
    std::array<TopStocks, 2> stocks;  // every talent, researchers only
    for (auto& s : stocks) s.work = s.hq = s.origin = std::vector<double>(n, 0);
    for (std::size_t i = 0; i < t.size(); ++i) {
      const bool top = world.tier_of(t.ability[i]) != Tier::rest;
      const std::size_t counted_in = t.role[i] == Role::research ? 2 : 1;
      if (top) {
        for (std::size_t g = 0; g < counted_in; ++g) {
          stocks[g].all += 1;
          stocks[g].origin[t.origin[i].index()] += 1;
        }
      }
      if (!t.employer[i].valid()) continue;
      const std::size_t r = t.region[i].index();
      const auto k = static_cast<std::size_t>(world.orgs.kind[t.employer[i].index()]);
      wage_sum[r] += t.wage[i];
      employed[r] += 1;
      kind_sum[k] += t.wage[i];
      kind_heads[k] += 1;
      if (!top) continue;
      kind_top_sum[k] += t.wage[i];
      kind_top_heads[k] += 1;
      const std::size_t hq = headquarters_of(world, t.employer[i].index());
      for (std::size_t g = 0; g < counted_in; ++g) {
        stocks[g].employed += 1;
        stocks[g].work[r] += 1;
        stocks[g].hq[hq] += 1;
        if (t.region[i] != t.origin[i]) stocks[g].abroad += 1;
        if (hq != t.origin[i].index()) stocks[g].hq_abroad += 1;
      }
    }
    // Doctoral students are researchers affiliated with a university of the region where they
    // study (its headquarters): the data's top tier counts them, the labour market does not.
    for (const DoctoralCohort& c : world.doctorates) {
      double top = 0;
      for (std::uint32_t j = 0; j < c.count; ++j)
        top += world.tier_of(doctoral_ability(world, c, j)) != Tier::rest ? 1 : 0;
      const std::size_t r = c.region.index();
      for (TopStocks& s : stocks) {
        s.all += top, s.employed += top;
        s.origin[c.origin.index()] += top;
        s.work[r] += top, s.hq[r] += top;
        if (c.region != c.origin) s.abroad += top, s.hq_abroad += top;
      }
    }
    for (const Area& a : areas_of(world)) {
      double wages = 0, heads = 0;
      for (std::size_t r = 0; r < n; ++r) {
        if (!a.covers[r]) continue;
        wages += wage_sum[r];
        heads += employed[r];
      }
      for (std::size_t g = 0; g < stocks.size(); ++g) {
        const TopStocks& s = stocks[g];
        double work = 0, hq = 0, origin = 0;
        for (std::size_t r = 0; r < n; ++r) {
          if (!a.covers[r]) continue;
          work += s.work[r];
          hq += s.hq[r];
          origin += s.origin[r];
        }
        const std::string p(kTopPrefix[g]);
        out_[p + "work_share." + a.id] = share(work, s.employed);
        out_[p + "hq_share." + a.id] = share(hq, s.employed);
        out_[p + "origin_share." + a.id] = share(origin, s.all);
        out_[p + "leakage." + a.id] = share(origin, s.all) - share(work, s.employed);
      }
      if (heads > 0) out_["wage_mean.region." + a.id] = wages / heads;
    }
    for (std::size_t g = 0; g < stocks.size(); ++g) {
      const std::string p(kTopPrefix[g]);
      out_[p + "working_abroad"] = share(stocks[g].abroad, stocks[g].employed);
      out_[p + "hq_abroad"] = share(stocks[g].hq_abroad, stocks[g].employed);
    }
    for (std::size_t k = 0; k < kOrgKindCount; ++k) {
      const std::string kind(kOrgKindNames[k]);
      if (kind_heads[k] > 0) out_["wage_mean.kind." + kind] = kind_sum[k] / kind_heads[k];
      if (kind_top_heads[k] > 0)
        out_["top_wage_mean.kind." + kind] = kind_top_sum[k] / kind_top_heads[k];
    }
  }

  void graduate_measures(const World& world) {
    const std::size_t n = world.regions.size();
    if (jobs_.regions != n) return;  // no month after warm-up
    double all = 0, all_industry = 0;
    const std::vector<Area>& areas = jobs_.areas;
    for (std::size_t k = 0; k < areas.size(); ++k) {
      const Area& a = areas[k];
      double jobs = 0, industry = 0, home = 0;
      for (std::size_t s = 0; s < n; ++s) {
        if (!a.covers[s]) continue;
        for (std::size_t w = 0; w < n; ++w) {
          const double here = static_cast<double>(jobs_.at(s, w, 0) + jobs_.at(s, w, 1));
          jobs += here;
          industry += static_cast<double>(jobs_.at(s, w, 1));
          if (a.covers[w]) home += here;
        }
      }
      if (jobs == 0) continue;
      out_["graduates_to_industry." + a.id] = industry / jobs;
      out_["graduates_staying." + a.id] = home / jobs;
      if (jobs_.foreign[k] > 0)
        out_["foreign_graduates_staying." + a.id] =
            static_cast<double>(jobs_.foreign_staying[k]) / static_cast<double>(jobs_.foreign[k]);
    }
    for (std::size_t o = 0; o < n; ++o)
      for (std::size_t w = 0; w < n; ++w) {
        all += static_cast<double>(jobs_.at(o, w, 0) + jobs_.at(o, w, 1));
        all_industry += static_cast<double>(jobs_.at(o, w, 1));
      }
    if (all > 0) out_["graduates_to_industry"] = all_industry / all;
  }

  Measures& out_;
  std::vector<int> headquarters_;  // by organisation entry: region index, or -1 (its own)
  FirstJobs jobs_;
};

}  // namespace

std::vector<std::string> measure_keys(const std::vector<std::string>& region_ids,
                                      const std::vector<std::string>& group_ids) {
  std::vector<std::string> out = {"top_working_abroad",    "top_research_working_abroad",
                                  "top_hq_abroad",         "top_research_hq_abroad",
                                  "graduates_to_industry", "moves_per_talent_year",
                                  "unemployment"};
  std::vector<std::string> areas = region_ids;
  areas.insert(areas.end(), group_ids.begin(), group_ids.end());
  for (const auto& a : areas)
    for (const char* m :
         {"top_work_share", "top_hq_share", "top_origin_share", "top_leakage",
          "top_research_work_share", "top_research_hq_share", "top_research_origin_share",
          "top_research_leakage", "graduates_to_industry", "graduates_staying",
          "foreign_graduates_staying", "wage_mean.region"})
      out.push_back(fmt::format("{}.{}", m, a));
  for (const auto kind : kOrgKindNames) {
    out.push_back(fmt::format("wage_mean.kind.{}", kind));
    out.push_back(fmt::format("top_wage_mean.kind.{}", kind));
  }
  return out;
}

std::vector<int> headquarters_of(const Config& config) {
  std::vector<int> out;
  for (const OrgConfig& o : config.organisations) {
    int region = -1;
    for (std::size_t r = 0; r < config.regions.size(); ++r) {
      if (!o.headquarters.empty() && config.regions[r].id == o.headquarters)
        region = static_cast<int>(r);
    }
    out.push_back(region);
  }
  return out;
}

std::unique_ptr<Observer> record_measures(Measures& out, std::vector<int> headquarters) {
  return std::make_unique<MeasuresRecorder>(out, std::move(headquarters));
}

}  // namespace mercato::experiment
