// The engine's private pieces: the step driver, the event timeline and metrics collection.
#pragma once

#include <array>
#include <cstddef>
#include <functional>
#include <vector>

#include "mercato/engine/events.hpp"
#include "mercato/engine/metrics.hpp"
#include "mercato/engine/simulation.hpp"
#include "model/model.hpp"

namespace mercato {

// The scenario's timeline (MODEL.md, Events and policies) and what each event cost and did.
// Events act on the scenario's months only, never during warm-up.
class EventTimeline {
 public:
  EventTimeline() = default;
  EventTimeline(std::vector<Event> events, const World& w);

  const std::vector<Event>& events() const { return events_; }
  // Step 1 of the month: the changes that start or end now, and the month's terms the phases
  // read (offensives, training intakes, regional tax and non-compete rules, shared compute).
  void apply(World& w, MonthState& m);
  // After the moves: one row per event that has started (events.csv), with its costs.
  std::vector<EventRow> record(World& w, const MonthState& m, YearMonth date);

  // Each event's bookkeeping, for checkpoints (SimulationProgress::events).
  const std::vector<EventProgress>& progress() const { return runtime_; }
  void restore(std::vector<EventProgress> progress) { runtime_ = std::move(progress); }

 private:
  using Runtime = EventProgress;
  void apply_changes(World& w, int month, std::size_t e);
  void apply_terms(World& w, MonthState& m, std::size_t e);

  std::vector<Event> events_;
  std::vector<Runtime> runtime_;
};

// The phases of a month, in MODEL.md's order (metrics, the eighth, are the Simulation's).
enum class MonthPhase { events, lifecycle, entry, search, offers, clearing, moves };
inline constexpr int kMonthPhaseCount = 7;
// Runs one phase's body; a benchmark passes one that times it.
using PhaseRunner = std::function<void(MonthPhase, const std::function<void()>&)>;

// One month, phases in MODEL.md's order; each through `run` when it is given.
void step_month(World& w, MonthState& m, EventTimeline& events, const PhaseRunner& run = {});

// Buffers of exact_quantiles, kept across groups.
struct QuantileScratch {
  static constexpr std::size_t kSmallGroup = 4096;  // below this, plain selection is as fast
  std::vector<std::uint32_t> counts;
  std::vector<std::uint8_t> wanted;  // per bucket: 1 + the wanted rank it holds, or 0
  std::array<std::vector<float>, 4> kept;
  std::vector<float> values;  // a small group made of several ranges, copied
};

// The rank of quantile p among n sorted values: floor(p * (n - 1)).
std::ptrdiff_t quantile_rank(double p, std::size_t n);

// p50, p90, p99 and max of a group of values (exact order statistics: the values at
// quantile_rank of the sorted group) made of one or several ranges, which are read, not
// reordered.
struct WageSpan {
  const float* begin;
  const float* end;
};
Quantiles exact_quantiles(const std::vector<WageSpan>& spans, QuantileScratch& scratch);
Quantiles exact_quantiles(const float* begin, const float* end, QuantileScratch& scratch);

// The month's aggregates (MODEL.md, Metrics) from the World after the moves.
MonthMetrics collect_metrics(const World& w, const MonthState& m, YearMonth date, bool origins_due);

// Accumulates the headline figures of a run month by month.
class SummaryAccumulator {
 public:
  void add(const World& w, const MonthMetrics& metrics);
  RunSummary summary(const World& w) const;
  void set_header(std::string scenario, std::uint64_t seed, YearMonth start);
  void set_events(const std::vector<Event>& events, const World& w);
  // What has been accumulated, for checkpoints (SimulationProgress), and back.
  void save(SimulationProgress& progress) const;
  void restore(SimulationProgress& progress);

 private:
  RunSummary summary_;
  double talent_months_ = 0;
  const MonthMetrics* last_ = nullptr;
  MonthMetrics last_copy_;
};

}  // namespace mercato
