// The engine's private pieces: the step driver, the event timeline and metrics collection.
#pragma once

#include <vector>

#include "mercato/engine/metrics.hpp"
#include "model/model.hpp"

namespace mercato {

// The scenario's timeline (MODEL.md, Events and policies). Events are applied first each
// month. The event types arrive with the policies capability; until then a timeline is
// always empty (validation rejects any listed event), and applying it changes nothing.
struct ScheduledEvent {
  int start_month = 0;
  int end_month = -1;  // inclusive; -1 = open-ended
};

class EventTimeline {
 public:
  void add(ScheduledEvent event) { events_.push_back(event); }
  // The events active in month m (start <= m <= end).
  std::vector<const ScheduledEvent*> active(int month) const;
  bool empty() const { return events_.empty(); }

 private:
  std::vector<ScheduledEvent> events_;
};

void apply_events(World& w, MonthState& m, const EventTimeline& events);

// One month, phases in MODEL.md's order.
void step_month(World& w, MonthState& m, const EventTimeline& events);

// The month's aggregates (MODEL.md, Metrics) from the World after the moves.
MonthMetrics collect_metrics(const World& w, const MonthState& m, YearMonth date, bool origins_due);

// Accumulates the headline figures of a run month by month.
class SummaryAccumulator {
 public:
  void add(const World& w, const MonthMetrics& metrics);
  RunSummary summary(const World& w) const;
  void set_header(std::string scenario, std::uint64_t seed, YearMonth start);

 private:
  RunSummary summary_;
  double talent_months_ = 0;
  const MonthMetrics* last_ = nullptr;
  MonthMetrics last_copy_;
};

}  // namespace mercato
