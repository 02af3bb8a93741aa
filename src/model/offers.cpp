// Offers (MODEL.md, One month, step 5): each candidate pair gets the organisation's
// willingness to pay, unless it has no vacancy in the talent's role, no cash, or the talent
// is under a non-compete.
#include <algorithm>

#include "model/model.hpp"

namespace mercato {

namespace {

// An offensive's offer to each of its targets: min(value_share x MV, max_offer, budget left
// over the 4-year package), outside the organisation's vacancies and payroll budget. It takes
// the place of an ordinary offer the same organisation made to the same talent.
void add_offensive_offers(const World& w, MonthState& m) {
  const auto& t = w.talents;
  std::vector<Offer> raids;
  std::vector<std::int32_t> raiders;
  for (std::size_t j = 0; j < m.targeted.size(); ++j) {
    const auto [i, o] = m.targeted[j];
    const OffensiveTerms& terms = m.offensives[m.targeted_by[j]];
    const double wtp = offensive_willingness_to_pay(w, terms, t.role[i], t.ability[i],
                                                    terms.budget_left / 4.0, m.output[o]);
    if (wtp > 0) {
      raids.push_back({i, o, wtp});
      raiders.push_back(m.targeted_by[j]);
    }
  }
  if (raids.empty()) return;
  decltype(m.offers) merged;
  merged.reserve(m.offers.size() + raids.size());
  m.offer_offensives.reserve(m.offers.size() + raids.size());
  auto key = [](const Offer& x) { return std::uint64_t{x.talent} << 32 | x.org; };
  std::size_t a = 0, b = 0;
  while (a < m.offers.size() || b < raids.size()) {
    if (b == raids.size() || (a < m.offers.size() && key(m.offers[a]) < key(raids[b]))) {
      merged.push_back(m.offers[a++]);
      m.offer_offensives.push_back(-1);
    } else {
      if (a < m.offers.size() && key(m.offers[a]) == key(raids[b])) ++a;
      merged.push_back(raids[b]);
      m.offer_offensives.push_back(raiders[b++]);
    }
  }
  m.offers.swap(merged);
}

}  // namespace

double offensive_willingness_to_pay(const World& w, const OffensiveTerms& terms, Role r,
                                    double ability, double cash, double output) {
  const double mv = marginal_value_hire(w, terms.org, r, ability, output);
  return std::min({terms.value_share * mv, terms.max_offer, cash});
}

void make_offers(World& w, MonthState& m) {
  const auto& t = w.talents;
  const auto& orgs = w.orgs;
  value_outputs(w, m);
  const std::size_t n = m.candidates.size();
  const std::size_t chunks = (n + kChunk - 1) / kChunk;
  // A pair makes at most one offer: chunk c writes its offers from slot c x kChunk on, then
  // the chunks are moved down in order. No second copy of the offers, so the month's peak
  // memory holds one.
  std::vector<OfferTerms> terms(orgs.size());
#pragma omp parallel for schedule(static) num_threads(m.threads)
  for (std::size_t o = 0; o < orgs.size(); ++o) terms[o] = offer_terms(w, o, m.output[o]);
  m.offers.clear();
  m.offer_offensives.clear();
  m.offers.resize(n);
  std::vector<std::size_t> made(chunks, 0), to_employed(chunks, 0);
#pragma omp parallel for schedule(dynamic, 1) num_threads(m.threads)
  for (std::size_t c = 0; c < chunks; ++c) {
    const std::size_t end = std::min(n, (c + 1) * kChunk);
    Offer* out = m.offers.data() + c * kChunk;
    // Candidates come by talent: a talent's power a^rho is computed once for its pairs.
    std::uint32_t powered = 0xFFFFFFFFu;
    double power = 0;
    std::size_t count = 0;
    for (std::size_t j = c * kChunk; j < end; ++j) {
      const auto [i, o] = m.candidates[j];
      const OfferTerms& org = terms[o];
      const Role role = t.role[i];
      if (!org.offers(role)) continue;  // no vacancy in the role, or no cash
      if (i != powered) {
        power = power_of(w, t.ability[i]);
        powered = i;
      }
      const double wtp =
          willingness_to_pay(w.params, org, orgs.max_offer[o], orgs.min_offer[o], role, power);
      if (wtp > 0) {
        out[count++] = {i, o, wtp};
        if (t.employer[i].valid()) ++to_employed[c];
      }
    }
    made[c] = count;
  }
  std::size_t offers = 0;
  for (std::size_t c = 0; c < chunks; ++c) {
    const auto first = m.offers.begin() + static_cast<std::ptrdiff_t>(c * kChunk);
    std::copy(first, first + static_cast<std::ptrdiff_t>(made[c]),
              m.offers.begin() + static_cast<std::ptrdiff_t>(offers));
    offers += made[c];
  }
  m.offers.resize(offers);
  m.candidates_found = n;  // the candidates are not read again
  std::vector<Candidate>().swap(m.candidates);
  m.offers_to_employed = 0;
  for (const std::size_t count : to_employed)
    m.offers_to_employed += static_cast<std::int64_t>(count);
  if (!m.targeted.empty()) {  // offensives replace some offers and add others: counted again
    add_offensive_offers(w, m);
    m.offers_to_employed = 0;
    for (const auto& offer : m.offers)
      if (t.employer[offer.talent].valid()) ++m.offers_to_employed;
  }
}

}  // namespace mercato
