#include "engine/engine.hpp"

namespace mercato {

std::vector<const ScheduledEvent*> EventTimeline::active(int month) const {
  std::vector<const ScheduledEvent*> out;
  for (const auto& e : events_)
    if (e.start_month <= month && (e.end_month < 0 || month <= e.end_month)) out.push_back(&e);
  return out;
}

void apply_events(World& w, MonthState& m, const EventTimeline& events) {
  (void)w;
  // Events act on the scenario's months only, never during warm-up. No event type exists
  // yet (see EventTimeline), so there is nothing to apply.
  if (m.month < 0 || events.empty()) return;
}

}  // namespace mercato
