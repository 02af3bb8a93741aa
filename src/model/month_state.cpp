#include "model/model.hpp"

namespace mercato {

void MonthState::reset(std::size_t org_count) {
  seek_draws.clear();
  candidates.clear();
  targeted.clear();
  targeted_by.clear();
  offers.clear();
  seekers = offers_made = candidates_found = 0;
  decisions.clear();
  moves.clear();
  output.clear();
  compute_term.clear();
  entries = exits = counters_won = offers_to_employed = returned_home = 0;
  hires.assign(org_count, 0);
  departures.assign(org_count, 0);
  counters.assign(org_count, 0);
}

void MonthState::release_cleared() {
  offers_made = offers.size();
  decltype(offers)().swap(offers);
  std::vector<std::int32_t>().swap(offer_offensives);
}

}  // namespace mercato
