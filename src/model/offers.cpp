// Offers (MODEL.md, One month, step 5): each candidate pair gets the organisation's
// willingness to pay, unless it has no vacancy in the talent's role, no cash, or the talent
// is under a non-compete.
#include <algorithm>

#include "model/model.hpp"

namespace mercato {

void make_offers(World& w, MonthState& m) {
  const auto& t = w.talents;
  const auto& orgs = w.orgs;
  value_outputs(w, m);
  const std::size_t n = m.candidates.size();
  const std::size_t chunks = (n + kChunk - 1) / kChunk;
  std::vector<std::vector<Offer>> made(chunks);
#pragma omp parallel for schedule(dynamic, 1) num_threads(m.threads)
  for (std::size_t c = 0; c < chunks; ++c) {
    const std::size_t end = std::min(n, (c + 1) * kChunk);
    for (std::size_t j = c * kChunk; j < end; ++j) {
      const auto [i, o] = m.candidates[j];
      if (t.non_compete_until[i] > m.month) continue;
      if (orgs.vacancies(o, t.role[i]) == 0) continue;
      const double cash = orgs.cash_left(o);
      if (cash <= 0) continue;
      const double wtp = willingness_to_pay(w, o, t.role[i], t.ability[i], cash, m.output[o]);
      if (wtp > 0) made[c].push_back({i, o, wtp});
    }
  }
  m.offers.clear();
  m.offers_to_employed = 0;
  for (const auto& chunk : made) {
    for (const auto& offer : chunk) {
      m.offers.push_back(offer);
      if (t.employer[offer.talent].valid()) ++m.offers_to_employed;
    }
  }
}

}  // namespace mercato
