// One month of the model, in MODEL.md's order. Each phase is a free function over the World
// (src/model/); this driver only fixes their order.
#include "engine/engine.hpp"

namespace mercato {

void step_month(World& w, MonthState& m, EventTimeline& events, const PhaseRunner& run) {
  auto phase = [&](MonthPhase p, const std::function<void()>& body) {
    if (run)
      run(p, body);
    else
      body();
  };
  m.reset(w.orgs.size());
  phase(MonthPhase::events, [&] { events.apply(w, m); });
  // lifecycle: exits, growth, vesting, raises
  phase(MonthPhase::lifecycle, [&] { run_lifecycle(w, m); });
  phase(MonthPhase::entry, [&] { admit_graduates(w, m); });
  // search: applications and headhunting
  phase(MonthPhase::search, [&] { search_candidates(w, m); });
  phase(MonthPhase::offers, [&] { make_offers(w, m); });
  // clearing: English auctions, second price; its candidates and offers are not read again
  phase(MonthPhase::clearing, [&] {
    clear_auctions(w, m);
    m.release_cleared();
  });
  phase(MonthPhase::moves, [&] { apply_moves(w, m); });
  // Metrics are collected by the Simulation from the World after the moves.
}

}  // namespace mercato
