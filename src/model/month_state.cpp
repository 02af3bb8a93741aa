#include "model/model.hpp"

namespace mercato {

void MonthState::reset(std::size_t org_count) {
  seekers.clear();
  candidates.clear();
  targeted.clear();
  targeted_by.clear();
  offers.clear();
  decisions.clear();
  moves.clear();
  output.clear();
  entries = exits = counters_won = offers_to_employed = 0;
  hires.assign(org_count, 0);
  departures.assign(org_count, 0);
  counters.assign(org_count, 0);
}

}  // namespace mercato
