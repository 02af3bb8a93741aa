// Search with frictions (MODEL.md, One month, step 4): active seekers apply to a few
// organisations (per-region alias tables); organisations with vacancies headhunt employed
// talents (HeadhuntingCells, by inversion). Every draw is keyed by (month, talent or organisation,
// draw index), and the pairs are sorted and de-duplicated at the end, so the result does not depend
// on threads.
#include <algorithm>
#include <array>
#include <cmath>

#include "core/alias_table.hpp"
#include "mercato/core/error.hpp"
#include "model/headhunting.hpp"
#include "model/model.hpp"

namespace mercato {

namespace {

// Applications go to organisations with a vacancy in the seeker's role, in proportion to
// visibility (headcount^0.5 x (1 + mission), a named one's as s of the real firm at scale s):
// one alias table per (region, role), whose items are organisation x role (item / kRoleCount
// is the organisation).
void build_application_tables(const World& w, AliasTables& tables, int threads) {
  const auto& orgs = w.orgs;
  tables.build(
      w.regions.size() * kRoleCount, orgs.size() * kRoleCount,
      [&](std::size_t item) {
        const std::size_t o = item / kRoleCount;
        const int k = static_cast<int>(item % kRoleCount);
        return orgs.vacancies(o, static_cast<Role>(k)) == 0
                   ? -1
                   : static_cast<int>(orgs.region[o].index() * kRoleCount) + k;
      },
      [&](std::size_t item) { return visibility(w, item / kRoleCount); }, threads);
}

// The region weights of a search from `home` (MODEL.md, search: "x region weight"): home
// counts 1, another region `reach` times its share of the world's visibility. So a small
// region's firms and graduates do not search abroad more than a large region's just because
// the world outside is large; `reach` is about the share of the search that goes abroad.
// `visibility(cell)` is the total weight of a (region, role) cell's table.
template <class Visibility>
void region_weights(Visibility visibility, int role, std::size_t home, double reach,
                    std::vector<double>& cumulative) {
  const std::size_t regions = cumulative.size();
  double world = 0;
  for (std::size_t r = 0; r < regions; ++r) world += visibility(r * kRoleCount + role);
  double total = 0;
  for (std::size_t r = 0; r < regions; ++r) {
    const double visible = visibility(r * kRoleCount + role);
    if (visible > 0) total += r == home ? 1.0 : reach * visible / world;
    cumulative[r] = total;
  }
}

// Draws a region from cumulative weights (u uniform in (0, 1)); -1 when all are zero.
int draw_region(const std::vector<double>& cumulative, double u) {
  const double total = cumulative.back();
  if (total <= 0) return -1;
  const double pick = u * total;
  std::size_t r = 0;
  while (r + 1 < cumulative.size() && pick >= cumulative[r]) ++r;
  return static_cast<int>(r);
}

// Seekers (every unemployed talent, and each month a random share of the employed, raised after
// full vesting and in organisations above their target; the seek draw is word 2 of the block
// lifecycle drew for the talent, TalentDraws) apply at once, while their columns are in cache:
// `applications` draws, each a region (region_weights with abroad_application_weight) then an
// organisation with a vacancy in the seeker's role from that region's table. The same pass counts
// headhunting's weights of the employed (`cells`, finished by the caller). Returns the number of
// seekers; the pairs come by talent chunk, in (talent, organisation) order.
std::size_t seek_and_apply(const World& w, MonthState& m, const AliasTables& tables,
                           HeadhuntingCells& cells, std::vector<std::vector<Candidate>>& out) {
  const auto& t = w.talents;
  const auto& orgs = w.orgs;
  const auto& p = w.params;
  const int applications = p.applications;
  const std::size_t regions = w.regions.size();
  // The region weights depend only on the seeker's region and role: computed once a month.
  std::vector<std::vector<double>> cumulative(regions * kRoleCount, std::vector<double>(regions));
  for (std::size_t r = 0; r < regions; ++r)
    for (int k = 0; k < kRoleCount; ++k)
      region_weights([&](std::size_t cell) { return tables.total_weight(cell); }, k, r,
                     p.abroad_application_weight, cumulative[r * kRoleCount + k]);
  // Whether each organisation is above its target in each role, once a month: one byte per
  // (organisation, role) stays in cache, where the headcount and target columns would be read
  // at random for every employed talent (decision 024).
  std::vector<std::uint8_t> shrinking(orgs.size() * kRoleCount);
  for (std::size_t o = 0; o < orgs.size(); ++o)
    for (int k = 0; k < kRoleCount; ++k)
      shrinking[o * kRoleCount + k] = orgs.headcount[o][k] > orgs.target[o][k] + 0.5 ? 1 : 0;
  const std::size_t n = t.size();
  const std::size_t chunks = (n + kChunk - 1) / kChunk;
  const std::size_t first = out.size();
  out.resize(first + chunks);
  std::size_t seekers = 0;
#pragma omp parallel for schedule(dynamic, 1) num_threads(m.threads) reduction(+ : seekers)
  for (std::size_t c = 0; c < chunks; ++c) {
    auto& pairs = out[first + c];
    const std::size_t end = std::min(n, (c + 1) * kChunk);
    for (std::size_t i = c * kChunk; i < end; ++i) {
      const int role = static_cast<int>(t.role[i]);
      if (t.employer[i].valid()) {
        cells.count(c, i);  // headhunting's weights, while the columns are in cache
        const std::size_t o = t.employer[i].index();
        double rate = p.seek_rate;
        if (t.unvested[i] <= 0) rate *= p.seek_multiplier_vested;
        if (shrinking[o * kRoleCount + role] != 0) rate *= p.seek_multiplier_shrinking;
        const std::uint32_t draw =
            i < m.seek_draws.size() ? m.seek_draws[i] : talent_draws(m.rng, m.month, t.uid[i]).seek;
        if (Rng::to_unit(draw) >= rate) continue;
      }
      ++seekers;
      const auto& weights = cumulative[t.region[i].index() * kRoleCount + role];
      const std::size_t own = pairs.size();
      for (int j = 0; j < applications; ++j) {
        const auto b = m.rng.bits(Stream::applications, m.month, t.uid[i], j);
        const int r = draw_region(weights, Rng::to_unit(b[2]));
        if (r < 0) break;
        const std::uint32_t o =
            tables.draw(r * kRoleCount + role, Rng::to_unit(b[0]), Rng::to_unit(b[1])) / kRoleCount;
        if (t.employer[i] != OrgId(o)) pairs.push_back({static_cast<std::uint32_t>(i), o});
      }
      // Talents come in order, so with each one's few pairs sorted by organisation the
      // applications are sorted as a whole (search_candidates merges, not sorts, them). A
      // seeker has a handful: sorted by insertion, without std::sort's call.
      for (std::size_t a = own + 1; a < pairs.size(); ++a)
        for (std::size_t b = a; b > own && pairs[b].org < pairs[b - 1].org; --b)
          std::swap(pairs[b], pairs[b - 1]);
    }
  }
  return seekers;
}

// Each organisation with vacancies draws poach_intensity x vacancies employed talents of
// other organisations: a region first (region_weights with its search_reach), then a talent
// of that region and role (HeadhuntingCells). The draws come grouped by talent chunk;
// `first[c]` is where chunk c's start, and their talents are not yet found.
std::vector<HeadhuntingCells::Draw> headhunt(const World& w, MonthState& m,
                                             const HeadhuntingCells& cells,
                                             std::vector<std::size_t>& first) {
  const auto& orgs = w.orgs;
  const std::size_t regions = w.regions.size();
  constexpr std::size_t kBlock = 64;  // organisations per block of draws
  std::vector<std::vector<HeadhuntingCells::Draw>> blocks((orgs.size() + kBlock - 1) / kBlock);
#pragma omp parallel num_threads(m.threads)
  {
    std::vector<double> cumulative(regions);
#pragma omp for schedule(dynamic, 1)
    for (std::size_t block = 0; block < blocks.size(); ++block) {
      auto& drawn = blocks[block];
      const std::size_t block_end = std::min(orgs.size(), (block + 1) * kBlock);
      for (std::size_t o = block * kBlock; o < block_end; ++o) {
        for (int k = 0; k < kRoleCount; ++k) {
          const int vacancies = orgs.vacancies(o, static_cast<Role>(k));
          if (vacancies == 0) continue;
          const double expected = orgs.poach_intensity[o] * vacancies;
          const auto b = m.rng.bits(Stream::headhunting, m.month, static_cast<std::uint32_t>(o),
                                    0x80000000u | static_cast<std::uint32_t>(k));
          // Capped so that draw indices stay below the count draw's key (bit 31).
          const auto draws = std::min<std::uint32_t>(
              static_cast<std::uint32_t>(std::floor(expected)) +
                  (Rng::to_unit(b[0]) < expected - std::floor(expected) ? 1u : 0u),
              1u << 20);
          region_weights([&](std::size_t cell) { return cells.total_weight(cell); }, k,
                         orgs.region[o].index(), orgs.search_reach[o], cumulative);
          for (std::uint32_t d = 0; d < draws; ++d) {
            const auto x = m.rng.bits(Stream::headhunting, m.month, static_cast<std::uint32_t>(o),
                                      (d << 1) | static_cast<std::uint32_t>(k));
            const int r = draw_region(cumulative, Rng::to_unit(x[0]));
            if (r < 0) break;
            drawn.push_back(cells.draw(static_cast<std::uint32_t>(o),
                                       static_cast<std::size_t>(r) * kRoleCount + k,
                                       Rng::to_unit53(x[1], x[2])));
          }
        }
      }
    }
  }
  std::vector<HeadhuntingCells::Draw> all;
  all.reserve(total_size(blocks));
  for (auto& b : blocks) {
    all.insert(all.end(), b.begin(), b.end());
    std::vector<HeadhuntingCells::Draw>().swap(b);
  }
  first = cells.group_by_chunk(all);
  return all;
}

// Sorted on one 64-bit key (talent, org): the same order as Candidate's operator<, faster.
bool by_key(const Candidate& a, const Candidate& b) {
  return (std::uint64_t{a.talent} << 32 | a.org) < (std::uint64_t{b.talent} << 32 | b.org);
}

// Chunk c's candidates: its applications (sorted, `applied`) and its headhunting draws
// [begin, end), whose talents are found here, merged in (talent, organisation) order, each pair
// once, into `applied`.
void merge_chunk(const World& w, const HeadhuntingCells& cells, std::size_t c,
                 HeadhuntingCells::Draw* begin, HeadhuntingCells::Draw* end,
                 std::vector<Candidate>& applied) {
  cells.find(begin, end, c);
  std::vector<Candidate> hunted;
  hunted.reserve(static_cast<std::size_t>(end - begin));
  for (const auto* d = begin; d != end; ++d)
    if (w.talents.employer[d->who] != OrgId(d->org)) hunted.push_back({d->who, d->org});
  std::sort(hunted.begin(), hunted.end(), by_key);
  // Merged from the back into the applications' own vector, then each pair kept once (equal
  // pairs are the same pair, so their order does not matter).
  std::size_t a = applied.size(), h = hunted.size();
  applied.resize(a + h);
  for (std::size_t k = a + h; h > 0;)
    applied[--k] = a > 0 && by_key(hunted[h - 1], applied[a - 1]) ? applied[--a] : hunted[--h];
  applied.erase(std::unique(applied.begin(), applied.end()), applied.end());
}

}  // namespace

double visibility(const World& w, std::size_t o) {
  const auto& orgs = w.orgs;
  const double heads = orgs.total_headcount(o);
  const double mission = 1.0 + orgs.mission[o];
  if (!orgs.named[o]) return std::sqrt(heads + 1.0) * mission;
  return w.scale * std::sqrt(heads / w.scale + 1.0) * mission;
}

void search_candidates(World& w, MonthState& m) {
  std::vector<std::vector<Candidate>> found;
  AliasTables application_tables;
  build_application_tables(w, application_tables, m.threads);
#ifdef MERCATO_CHECK_INVARIANTS
  // Lifecycle's seek draws are those of the talents it kept; only graduates came after them.
  if (!m.seek_draws.empty() &&
      m.seek_draws.size() + static_cast<std::size_t>(m.entries) != w.talents.size())
    throw InvariantViolation("invariant: the seek draws are not those of the talents");
#endif
  HeadhuntingCells cells(w);
  m.seekers = seek_and_apply(w, m, application_tables, cells, found);
  cells.finish();
  decltype(m.seek_draws)().swap(m.seek_draws);  // read: freed
  // Applications arrive sorted by (talent, org), chunk by chunk; headhunting's draws are
  // grouped by chunk. Each chunk's are found, sorted and merged into its applications on the
  // month's threads, then the chunks are joined in order.
  std::vector<std::size_t> first;
  auto hunted = headhunt(w, m, cells, first);
  const std::size_t chunks = found.size();
#ifdef MERCATO_CHECK_INVARIANTS
  if (first.size() != chunks + 1)
    throw InvariantViolation("invariant: headhunting's chunks are not the applications'");
  for (std::size_t c = 0; c < chunks; ++c)
    if (!std::is_sorted(found[c].begin(), found[c].end(), by_key) ||
        !std::all_of(found[c].begin(), found[c].end(),
                     [c](const Candidate& a) { return a.talent / kChunk == c; }))
      throw InvariantViolation("invariant: applications are not in (talent, organisation) order");
#endif
#pragma omp parallel for schedule(dynamic, 1) num_threads(m.threads)
  for (std::size_t c = 0; c < chunks; ++c)
    merge_chunk(w, cells, c, hunted.data() + first[c], hunted.data() + first[c + 1], found[c]);
  std::vector<HeadhuntingCells::Draw>().swap(hunted);
  m.candidates.clear();
  m.candidates.reserve(total_size(found));
  for (auto& chunk : found) {
    m.candidates.insert(m.candidates.end(), chunk.begin(), chunk.end());
    std::vector<Candidate>().swap(chunk);
  }
  // 4c. offensives add their explicit target lists.
  if (!m.offensives.empty()) target_offensives(w, m);
}

}  // namespace mercato
