// Metrics (MODEL.md, Metrics): one pass over the talents per month, plus the month's moves.
#include <algorithm>
#include <array>
#include <bit>
#include <cmath>
#include <map>
#include <memory>
#include <tuple>

#include "core/default_init.hpp"
#include "engine/engine.hpp"

namespace mercato {

namespace {

// The report tiers a talent counts in: elite is also top; everyone is in all.
int first_report_tier(Tier t) {
  return t == Tier::elite ? 0 : (t == Tier::top ? 1 : 2);
}

// p50, then p90 among the upper half, p99 among the top tenth and the max among the top
// hundredth: each selection leaves the larger values to its right, so the four together cost
// about 1.6 passes over the group instead of four. For small groups.
Quantiles quantiles_by_selection(float* begin, float* end) {
  Quantiles q;
  const auto n = static_cast<std::size_t>(end - begin);
  if (n == 0) return q;
  float* from = begin;
  auto at = [&](double p) {
    float* k = begin + quantile_rank(p, n);
    std::nth_element(from, k, end);
    from = k;
    return static_cast<double>(*k);
  };
  q.p50 = at(0.50);
  q.p90 = at(0.90);
  q.p99 = at(0.99);
  q.max = *std::max_element(from, end);
  return q;
}

}  // namespace

std::ptrdiff_t quantile_rank(double p, std::size_t n) {
  return static_cast<std::ptrdiff_t>(std::floor(p * static_cast<double>(n - 1)));
}

namespace {

// A radix select: non-negative floats order as their bit patterns do, so one counting pass
// over the top 14 bits finds the bucket that holds each wanted rank, and a second pass keeps
// only those buckets' values, among which nth_element picks. The same values as selecting in
// the whole group (every rank is exact), in two streaming passes instead of about 1.6
// selections with their random moves. `for_each(f)` calls f on each of the n values; false
// (and nothing in `out`) when one is negative: their bits no longer order them.
template <class ForEach>
bool radix_quantiles(std::size_t n, const ForEach& for_each, QuantileScratch& scratch,
                     Quantiles& out) {
  constexpr int kShift = 32 - 14;
  auto bucket_of = [](float v) { return std::bit_cast<std::uint32_t>(v) >> kShift; };
  auto& counts = scratch.counts;
  counts.assign(std::size_t{1} << 14, 0);
  bool negative = false;
  for_each([&](float v) {
    negative |= std::signbit(v);
    ++counts[bucket_of(v)];
  });
  if (negative) return false;

  // The bucket of each wanted rank (p50, p90, p99, max) and the rank inside it.
  const std::array<std::size_t, 4> ranks = {static_cast<std::size_t>(quantile_rank(0.50, n)),
                                            static_cast<std::size_t>(quantile_rank(0.90, n)),
                                            static_cast<std::size_t>(quantile_rank(0.99, n)),
                                            n - 1};
  std::array<std::uint32_t, 4> bucket{};
  std::array<std::size_t, 4> inside{};
  std::size_t below = 0;
  std::size_t k = 0;
  for (std::uint32_t b = 0; b < counts.size() && k < ranks.size(); ++b) {
    while (k < ranks.size() && ranks[k] < below + counts[b]) {
      bucket[k] = b;
      inside[k] = ranks[k] - below;
      ++k;
    }
    below += counts[b];
  }
  // Each wanted bucket names the first wanted rank in it, whose list keeps its values (ranks
  // sharing a bucket share them, below): one table lookup per value.
  auto& wanted = scratch.wanted;
  wanted.assign(counts.size(), 0);
  for (std::size_t j = 4; j-- > 0;) wanted[bucket[j]] = static_cast<std::uint8_t>(j + 1);
  for (auto& kept : scratch.kept) kept.clear();
  for_each([&](float v) {
    if (const std::uint8_t j = wanted[bucket_of(v)]; j != 0) scratch.kept[j - 1].push_back(v);
  });
  std::array<double, 4> value{};
  for (std::size_t j = 0; j < 4; ++j) {
    std::size_t owner = j;  // the first wanted rank in the same bucket holds its values
    while (owner > 0 && bucket[owner - 1] == bucket[j]) --owner;
    auto& kept = scratch.kept[owner];
    std::nth_element(kept.begin(), kept.begin() + static_cast<std::ptrdiff_t>(inside[j]),
                     kept.end());
    value[j] = kept[inside[j]];
  }
  out = Quantiles{value[0], value[1], value[2], value[3]};
  return true;
}

}  // namespace

Quantiles exact_quantiles(const std::vector<WageSpan>& spans, QuantileScratch& scratch) {
  std::size_t n = 0;
  for (const WageSpan& s : spans) n += static_cast<std::size_t>(s.end - s.begin);
  Quantiles q;
  if (n >= QuantileScratch::kSmallGroup && radix_quantiles(
                                               n,
                                               [&](const auto& f) {
                                                 for (const WageSpan& s : spans)
                                                   for (const float* v = s.begin; v != s.end; ++v)
                                                     f(*v);
                                               },
                                               scratch, q))
    return q;
  auto& values = scratch.values;  // a copy: the spans are shared with other groups
  values.clear();
  for (const WageSpan& s : spans) values.insert(values.end(), s.begin, s.end);
  return quantiles_by_selection(values.data(), values.data() + values.size());
}

Quantiles exact_quantiles(const float* begin, const float* end, QuantileScratch& scratch) {
  return exact_quantiles(std::vector<WageSpan>{{begin, end}}, scratch);
}

namespace {

Quantiles quantiles(const std::vector<double>& v, QuantileScratch& scratch) {
  std::vector<float> f(v.begin(), v.end());
  return exact_quantiles(f.data(), f.data() + f.size(), scratch);
}

}  // namespace

namespace {

constexpr int kTiers = 3;  // Tier::elite, top, rest

// A talent's cell for the head counts: (origin, region, employed, tier, role). Every count of
// the region rows and of the origins matrix is a sum over these cells.
std::size_t talent_cell(std::size_t regions, std::size_t origin, std::size_t region, bool employed,
                        Tier tier, Role role) {
  return (((origin * regions + region) * 2 + (employed ? 1 : 0)) * kTiers +
          static_cast<std::size_t>(tier)) *
             kRoleCount +
         static_cast<std::size_t>(role);
}

// What one pass over the talents counts: cells, each organisation's elite and top members,
// and each chunk's wages per wage group (region x report tier, then kind x report tier), which
// places its talents in the grouped wage array. Integer counts only, so the result does not
// depend on how chunks are shared among threads.
struct TalentCounts {
  std::vector<std::int64_t> cells;
  std::vector<std::int64_t> org_elite, org_top;
  std::vector<std::vector<std::uint32_t>> chunk_wages;  // per chunk, per wage cell
};

// An employed talent's wage cell: (region, organisation kind, tier). Each wage is kept once, in
// its cell; a report row's group (region or kind, by report tier) is a union of cells: a
// region's "all" group is one range of cells, its "top" group the elite and top cells of each
// kind.
std::size_t wage_cell(std::size_t region, std::size_t kind, Tier tier) {
  return (region * kOrgKindCount + kind) * kTiers + static_cast<std::size_t>(tier);
}

TalentCounts count_talents(const World& w, int threads) {
  const auto& t = w.talents;
  const auto& orgs = w.orgs;
  const std::size_t regions = w.regions.size();
  const std::size_t n = t.size();
  const std::size_t chunks = (n + kChunk - 1) / kChunk;
  TalentCounts out;
  out.cells.assign(regions * regions * 2 * kTiers * kRoleCount, 0);
  out.org_elite.assign(orgs.size(), 0);
  out.org_top.assign(orgs.size(), 0);
  out.chunk_wages.assign(chunks, std::vector<std::uint32_t>(regions * kOrgKindCount * kTiers, 0));
#pragma omp parallel num_threads(threads)
  {
    std::vector<std::int64_t> cells(out.cells.size(), 0);
    std::vector<std::int64_t> elite(orgs.size(), 0), top(orgs.size(), 0);
#pragma omp for schedule(dynamic, 1)
    for (std::size_t c = 0; c < chunks; ++c) {
      auto& wages = out.chunk_wages[c];
      const std::size_t end = std::min(n, (c + 1) * kChunk);
      for (std::size_t i = c * kChunk; i < end; ++i) {
        const Tier tier = w.tier_of(t.ability[i]);
        const bool employed = t.employer[i].valid();
        const std::size_t region = t.region[i].index();
        ++cells[talent_cell(regions, t.origin[i].index(), region, employed, tier, t.role[i])];
        if (!employed) continue;
        const std::size_t o = t.employer[i].index();
        if (tier != Tier::rest) {  // most are not: their organisation's counts are not touched
          ++top[o];
          if (tier == Tier::elite) ++elite[o];
        }
        ++wages[wage_cell(region, static_cast<std::size_t>(orgs.kind[o]), tier)];
      }
    }
#pragma omp critical
    {
      for (std::size_t k = 0; k < cells.size(); ++k) out.cells[k] += cells[k];
      for (std::size_t o = 0; o < orgs.size(); ++o) {
        out.org_elite[o] += elite[o];
        out.org_top[o] += top[o];
      }
    }
  }
  return out;
}

// The region rows' head counts (and the origins matrix when due) from the cells.
void count_regions(std::size_t regions, const std::vector<std::int64_t>& cells, MonthMetrics& out,
                   std::vector<std::int64_t>& employed_by_origin,
                   std::vector<std::int64_t>* origins) {
  for (std::size_t origin = 0; origin < regions; ++origin)
    for (std::size_t region = 0; region < regions; ++region)
      for (int employed = 0; employed < 2; ++employed)
        for (int tier = 0; tier < kTiers; ++tier)
          for (int role = 0; role < kRoleCount; ++role) {
            const std::int64_t count =
                cells[talent_cell(regions, origin, region, employed == 1, static_cast<Tier>(tier),
                                  static_cast<Role>(role))];
            if (count == 0) continue;
            for (int q = first_report_tier(static_cast<Tier>(tier)); q < kReportTierCount; ++q) {
              auto& here = out.regions[region * kReportTierCount + q];
              auto& home = out.regions[origin * kReportTierCount + q];
              home.trained_here += count;
              if (origins != nullptr)
                (*origins)[(origin * (regions + 1) + (employed ? region + 1 : 0)) *
                               kReportTierCount +
                           q] += count;
              if (!employed) {
                here.unemployed += count;
                continue;
              }
              here.employed += count;
              employed_by_origin[origin * kReportTierCount + q] += count;
              (role == static_cast<int>(Role::research) ? here.research : here.engineering) +=
                  count;
              if (region != origin) home.trained_here_working_abroad += count;
            }
          }
}

// Each employed talent's wage in its wage cell, the cells in one flat array (each chunk writes
// at its own offsets, so the array is the same for any thread count and each cell's wages are
// in talent order); `starts` gets each cell's first position and, last, the total.
FilledLater<float> group_wages(const World& w, int threads, const TalentCounts& counts,
                               std::vector<std::size_t>& starts) {
  const auto& t = w.talents;
  const auto& orgs = w.orgs;
  const std::size_t chunks = counts.chunk_wages.size();
  const std::size_t cells = w.regions.size() * kOrgKindCount * kTiers;
  starts.assign(cells + 1, 0);
  std::vector<std::vector<std::size_t>> at(chunks, std::vector<std::size_t>(cells));
  for (std::size_t g = 0; g < cells; ++g) {
    std::size_t next = starts[g];
    for (std::size_t c = 0; c < chunks; ++c) {
      at[c][g] = next;
      next += counts.chunk_wages[c][g];
    }
    starts[g + 1] = next;
  }
  // Not zeroed first: every slot is written below.
  FilledLater<float> wages(starts.back());
#pragma omp parallel for schedule(dynamic, 1) num_threads(threads)
  for (std::size_t c = 0; c < chunks; ++c) {
    auto& pos = at[c];
    const std::size_t end = std::min(t.size(), (c + 1) * kChunk);
    for (std::size_t i = c * kChunk; i < end; ++i) {
      if (!t.employer[i].valid()) continue;
      const auto kind = static_cast<std::size_t>(orgs.kind[t.employer[i].index()]);
      wages[pos[wage_cell(t.region[i].index(), kind, w.tier_of(t.ability[i]))]++] = t.wage[i];
    }
  }
  return wages;
}

}  // namespace

MonthMetrics collect_metrics(const World& w, const MonthState& m, YearMonth date,
                             bool origins_due) {
  const auto& t = w.talents;
  const auto& orgs = w.orgs;
  const std::size_t regions = w.regions.size();
  MonthMetrics out;
  out.month = m.month;
  out.date = date;

  // Region x tier and kind x tier rows.
  out.regions.resize(regions * kReportTierCount);
  for (std::size_t r = 0; r < regions; ++r)
    for (int q = 0; q < kReportTierCount; ++q) {
      auto& row = out.regions[r * kReportTierCount + q];
      row.region = RegionId(static_cast<std::uint8_t>(r));
      row.tier = static_cast<ReportTier>(q);
    }
  out.kinds.resize(kOrgKindCount * kReportTierCount);
  for (int k = 0; k < kOrgKindCount; ++k)
    for (int q = 0; q < kReportTierCount; ++q) {
      auto& row = out.kinds[k * kReportTierCount + q];
      row.kind = static_cast<OrgKind>(k);
      row.tier = static_cast<ReportTier>(q);
    }

  const std::size_t region_groups = out.regions.size(), kind_groups = out.kinds.size();
  const TalentCounts counts = count_talents(w, m.threads);
  const auto& org_elite = counts.org_elite;
  const auto& org_top = counts.org_top;
  std::vector<std::int64_t> origins;
  std::vector<std::int64_t> employed_by_origin(out.regions.size(), 0);
  if (origins_due) origins.assign(regions * (regions + 1) * kReportTierCount, 0);
  count_regions(regions, counts.cells, out, employed_by_origin, origins_due ? &origins : nullptr);

  // Brain drain: of the employed talents trained in a region, the share working elsewhere.
  // Wage quantiles and mean wages by group, the groups shared among threads (each group's
  // figures are computed by one thread, in talent order, so they do not depend on threads).
  std::vector<std::size_t> starts;
  const FilledLater<float> wages = group_wages(w, m.threads, counts, starts);
  // A report row's wages: the cells of its region (or kind) and of the tiers it counts, as
  // ranges of the array, merged where they touch.
  auto group_spans = [&](std::size_t g, std::vector<WageSpan>& spans) {
    spans.clear();
    const bool by_region = g < region_groups;
    const std::size_t row = by_region ? g : g - region_groups;
    const auto q = static_cast<std::size_t>(row % kReportTierCount);  // tiers 0..q count
    const std::size_t first = row / kReportTierCount;
    for (std::size_t other = 0; other < (by_region ? kOrgKindCount : regions); ++other) {
      const std::size_t cell =
          by_region ? wage_cell(first, other, Tier::elite) : wage_cell(other, first, Tier::elite);
      const float* begin = wages.data() + starts[cell];
      const float* end = wages.data() + starts[cell + q + 1];
      if (begin == end) continue;
      if (!spans.empty() && spans.back().end == begin)
        spans.back().end = end;
      else
        spans.push_back({begin, end});
    }
  };
#pragma omp parallel num_threads(m.threads)
  {
    QuantileScratch scratch;
    std::vector<WageSpan> spans;
#pragma omp for schedule(dynamic, 1)
    for (std::size_t g = 0; g < region_groups + kind_groups; ++g) {
      group_spans(g, spans);
      if (g < region_groups) {
        out.regions[g].wage = exact_quantiles(spans, scratch);
        continue;
      }
      auto& row = out.kinds[g - region_groups];
      row.headcount = 0;
      for (const WageSpan& span : spans) {
        row.headcount += span.end - span.begin;
        for (const float* v = span.begin; v != span.end; ++v) row.wage_mean += *v;
      }
      if (row.headcount > 0) row.wage_mean /= static_cast<double>(row.headcount);
      row.wage = exact_quantiles(spans, scratch);
    }
  }
  for (std::size_t g = 0; g < region_groups; ++g) {
    auto& row = out.regions[g];
    row.brain_drain = employed_by_origin[g] > 0
                          ? static_cast<double>(row.trained_here_working_abroad) /
                                static_cast<double>(employed_by_origin[g])
                          : 0.0;
  }
  QuantileScratch scratch;

  // Output by region and kind; named organisations; concentration of elite talent. Each
  // organisation's output on the threads, the sums in organisation order.
  std::vector<double> output(orgs.size());
#pragma omp parallel for schedule(static) num_threads(m.threads)
  for (std::size_t o = 0; o < orgs.size(); ++o) output[o] = output_value(w, o);
  double output_total = 0, payroll_total = 0;
  std::int64_t elite_total = 0;
  for (std::size_t o = 0; o < orgs.size(); ++o) {
    const double y = output[o];
    output_total += y;
    payroll_total += orgs.payroll[o];
    elite_total += org_elite[o];
    out.regions[orgs.region[o].index() * kReportTierCount + 2].output += y;
    out.kinds[static_cast<std::size_t>(orgs.kind[o]) * kReportTierCount + 2].output += y;
    if (!orgs.named[o]) continue;
    OrgRow row;
    row.org = OrgId(static_cast<std::uint32_t>(o));
    row.research = orgs.headcount[o][0];
    row.engineering = orgs.headcount[o][1];
    row.elite = org_elite[o];
    row.top = org_top[o];
    row.vacancies = orgs.vacancies(o, Role::research) + orgs.vacancies(o, Role::engineering);
    row.payroll = orgs.payroll[o];
    row.payroll_budget = orgs.payroll_budget[o];
    row.compute = orgs.effective_compute(o);
    row.output = y;
    const int heads = orgs.total_headcount(o);
    row.wage_mean = heads > 0 ? orgs.payroll[o] / heads : 0.0;
    row.hires = m.hires[o];
    row.departures = m.departures[o];
    row.counters_won = m.counters[o];
    out.orgs.push_back(row);
  }
  // Only organisations with elite members count (the same sum as over all, sorted).
  std::vector<std::int64_t> elite_sorted;
  for (const auto e : org_elite)
    if (e > 0) elite_sorted.push_back(e);
  std::sort(elite_sorted.begin(), elite_sorted.end(), std::greater<>());
  double hhi = 0;
  for (const auto e : elite_sorted) {
    const double s = static_cast<double>(e) / static_cast<double>(elite_total);
    hhi += s * s;
  }
  std::int64_t top5 = 0;
  for (std::size_t j = 0; j < std::min<std::size_t>(5, elite_sorted.size()); ++j)
    top5 += elite_sorted[j];

  // Moves: flows by (from region, to region, from kind, to kind, tier), arrivals, packages.
  std::map<std::tuple<int, int, int, int, int>, std::int64_t> flows;
  std::vector<double> packages;
  double bonuses = 0;
  std::int64_t from_employment = 0, from_unemployment = 0;
  for (const auto& mv : m.moves) {
    const int from_kind = mv.from.valid() ? static_cast<int>(orgs.kind[mv.from.index()]) : -1;
    const int to_kind = static_cast<int>(orgs.kind[mv.to.index()]);
    for (int q = first_report_tier(mv.tier); q < kReportTierCount; ++q) {
      if (q == 1 && mv.tier == Tier::rest) continue;
      ++flows[{mv.from_region.value, mv.to_region.value, from_kind, to_kind, q}];
      ++out.kinds[static_cast<std::size_t>(to_kind) * kReportTierCount + q].hires;
      if (from_kind >= 0)
        ++out.kinds[static_cast<std::size_t>(from_kind) * kReportTierCount + q].departures;
      if (mv.from_region != mv.to_region) {
        ++out.regions[mv.to_region.index() * kReportTierCount + q].arrivals;
        ++out.regions[mv.from_region.index() * kReportTierCount + q].departures;
      }
    }
    packages.push_back(mv.package_value());
    bonuses += mv.bonus;
    (mv.from.valid() ? from_employment : from_unemployment) += 1;
  }
  for (const auto& [key, count] : flows) {
    const auto [fr, tr, fk, tk, q] = key;
    FlowRow row;
    row.from_region = RegionId(static_cast<std::uint8_t>(fr));
    row.to_region = RegionId(static_cast<std::uint8_t>(tr));
    row.from_kind = fk;
    row.to_kind = static_cast<OrgKind>(tk);
    row.tier = static_cast<ReportTier>(q);
    row.moves = count;
    out.flows.push_back(row);
  }

  if (origins_due) {
    for (std::size_t r = 0; r < regions; ++r)
      for (std::size_t x = 0; x <= regions; ++x)
        for (int q = 0; q < kReportTierCount; ++q) {
          const auto n = origins[(r * (regions + 1) + x) * kReportTierCount + q];
          if (n == 0) continue;
          out.origins.push_back({RegionId(static_cast<std::uint8_t>(r)), static_cast<int>(x) - 1,
                                 static_cast<ReportTier>(q), n});
        }
  }

  auto& market = out.market;
  market.talents = static_cast<std::int64_t>(t.size());
  for (std::size_t r = 0; r < regions; ++r)
    market.employed += out.regions[r * kReportTierCount + 2].employed;
  market.entries = m.entries;
  market.exits = m.exits;
  market.returned_home = m.returned_home;
  market.doctoral_students = static_cast<std::int64_t>(w.doctoral_students());
  market.seekers = static_cast<std::int64_t>(m.seekers);
  market.candidates = static_cast<std::int64_t>(m.candidates_found);
  market.offers = static_cast<std::int64_t>(m.offers_made);
  market.moves = static_cast<std::int64_t>(m.moves.size());
  market.hires_from_unemployment = from_unemployment;
  market.counters_won = m.counters_won;
  market.poaching_success = m.offers_to_employed > 0 ? static_cast<double>(from_employment) /
                                                           static_cast<double>(m.offers_to_employed)
                                                     : 0.0;
  market.signing_bonuses = bonuses;
  market.package = quantiles(packages, scratch);
  market.elite_top5_share =
      elite_total > 0 ? static_cast<double>(top5) / static_cast<double>(elite_total) : 0.0;
  market.elite_hhi = hhi;
  market.output = output_total;
  market.payroll = payroll_total;
  out.moves = m.moves;
  return out;
}

}  // namespace mercato
