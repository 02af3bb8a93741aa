// Per-phase micro-benchmarks (Google Benchmark) on the default world at a given scale:
// each phase of MODEL.md's month measured alone, on a world warmed up for a few months, so
// that each phase's share of the month is visible. Items are talents: items_per_second is
// talent-months per second for that phase alone.
//
//   build/release/bench/phases_benchmark [--benchmark_filter=Clearing]
#include <benchmark/benchmark.h>

#include <map>
#include <memory>

#include "engine/engine.hpp"
#include "floor.hpp"
#include "mercato/scenario/scenario.hpp"

namespace mercato {
namespace {

// One warmed-up world per scale (10^5 talents at scale 0.2), shared by the benchmarks.
struct Fixture {
  World world;
  MonthState month;
  EventTimeline events;
};

Fixture& fixture(double scale) {
  static std::map<double, std::unique_ptr<Fixture>> cache;
  auto& slot = cache[scale];
  if (!slot) {
    slot = std::make_unique<Fixture>();
    const Config c = scenario::load(MERCATO_SOURCE_DIR "/scenarios/world-2025.yaml",
                                    {{"scale", std::to_string(scale)}});
    slot->world = scenario::build_world(c);
    slot->month.rng = Rng(c.seed, 0);
    slot->month.growth = false;
    for (int k = 6; k > 0; --k) {
      slot->month.month = -k;
      step_month(slot->world, slot->month, slot->events);
    }
    slot->month.growth = true;
    slot->month.month = 0;
  }
  return *slot;
}

double scale_of(const benchmark::State& state) {
  return state.range(0) / 1000.0;
}

// Each benchmark copies the world before the phase, outside the timing, so that every
// iteration sees the same state (phases change the world).
template <class Phase, class Prepare>
void run_phase(benchmark::State& state, Prepare prepare, Phase phase) {
  Fixture& f = fixture(scale_of(state));
  for (auto _ : state) {
    state.PauseTiming();
    World w = f.world;
    MonthState m = f.month;
    m.reset(w.orgs.size());
    prepare(w, m);
    state.ResumeTiming();
    phase(w, m);
    benchmark::DoNotOptimize(m.decisions.data());
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(f.world.talents.size()));
}

void none(World&, MonthState&) {}
void up_to_search(World& w, MonthState& m) {
  run_lifecycle(w, m);
  admit_graduates(w, m);
}
void up_to_offers(World& w, MonthState& m) {
  up_to_search(w, m);
  search_candidates(w, m);
}
void up_to_clearing(World& w, MonthState& m) {
  up_to_offers(w, m);
  make_offers(w, m);
}
void up_to_moves(World& w, MonthState& m) {
  up_to_clearing(w, m);
  clear_auctions(w, m);
}

void Lifecycle(benchmark::State& s) {
  run_phase(s, none, run_lifecycle);
}
void Entry(benchmark::State& s) {
  run_phase(s, run_lifecycle, admit_graduates);
}
void Search(benchmark::State& s) {
  run_phase(s, up_to_search, search_candidates);
}
void Offers(benchmark::State& s) {
  run_phase(s, up_to_offers, make_offers);
}
void Clearing(benchmark::State& s) {
  run_phase(s, up_to_clearing, clear_auctions);
}
void Moves(benchmark::State& s) {
  run_phase(s, up_to_moves, apply_moves);
}
void up_to_metrics(World& w, MonthState& m) {
  up_to_moves(w, m);
  apply_moves(w, m);
}
void Metrics(benchmark::State& s) {
  run_phase(s, up_to_metrics, [](World& w, MonthState& m) {
    benchmark::DoNotOptimize(collect_metrics(w, m, YearMonth{2025, 1}, false));
  });
}

// The floor on the same world, without a copy: one streaming pass with one Philox draw per
// talent. Each phase's time divided by this one is its multiple of the floor.
void Floor(benchmark::State& state) {
  Fixture& f = fixture(scale_of(state));
  int month = 0;
  for (auto _ : state) benchmark::DoNotOptimize(bench::floor_pass(f.world, f.month.rng, month++));
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(f.world.talents.size()));
}

// Arguments are scale x 1000: 200 = 10^5 talents, 2000 = 10^6.
#define MERCATO_PHASE(name) BENCHMARK(name)->Arg(200)->Arg(2000)->Unit(benchmark::kMillisecond)
MERCATO_PHASE(Floor);
MERCATO_PHASE(Lifecycle);
MERCATO_PHASE(Entry);
MERCATO_PHASE(Search);
MERCATO_PHASE(Offers);
MERCATO_PHASE(Clearing);
MERCATO_PHASE(Moves);
MERCATO_PHASE(Metrics);

}  // namespace
}  // namespace mercato

BENCHMARK_MAIN();
