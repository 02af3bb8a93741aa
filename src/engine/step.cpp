// One month of the model, in MODEL.md's order. Each phase is a free function over the World
// (src/model/); this driver only fixes their order.
#include "engine/engine.hpp"

namespace mercato {

void step_month(World& w, MonthState& m, EventTimeline& events) {
  m.reset(w.orgs.size());
  events.apply(w, m);       // 1. events
  run_lifecycle(w, m);      // 2. lifecycle: exits, growth, vesting, raises
  admit_graduates(w, m);    // 3. entry
  search_candidates(w, m);  // 4. search: applications and headhunting
  make_offers(w, m);        // 5. offers
  clear_auctions(w, m);     // 6. clearing: English auctions, second price
  m.release_cleared();
  apply_moves(w, m);  // 7. moves
  // 8. metrics are collected by the Simulation from the World after the moves.
}

}  // namespace mercato
