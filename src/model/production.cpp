// Production and marginal value (MODEL.md, Production). With the power sums S_res, S_eng
// kept per organisation, Y and the marginal value of one person are O(1).
#include <algorithm>
#include <cmath>
#include <limits>

#include "model/model.hpp"

namespace mercato {

namespace {
// (floor^rho + S)^(beta/rho): the research or engineering factor of Y.
double team_factor(const World& w, std::size_t o, int k) {
  const auto& p = w.params;
  return std::pow(p.floor_pow[k] + w.orgs.power_sum[o][k], p.beta[k] / p.rho);
}
}  // namespace

double output_value(const World& w, std::size_t o) {
  const auto& orgs = w.orgs;
  return orgs.price[o] * orgs.tfp[o] * std::pow(orgs.effective_compute(o), w.params.alpha) *
         team_factor(w, o, 0) * team_factor(w, o, 1);
}

// Y(with)/Y(without) = (1 + a^rho / (F + S))^(beta/rho); expm1/log1p keep the small
// differences of large numbers exact enough for a one-person change in a big lab.
double power_of(const World& w, double ability) {
  return std::pow(ability, w.params.rho);
}

double marginal_value_hire(const World& w, std::size_t o, Role r, double ability, double output) {
  return marginal_value_of_power(w, o, r, power_of(w, ability), output);
}

namespace {
// y * ((1 + power / base)^(beta/rho) - 1): what a hire of that power adds to an output y.
double added_output(const Params& p, int k, double base, double power, double y) {
  return y * std::expm1((p.beta[k] / p.rho) * std::log1p(power / base));
}
}  // namespace

double marginal_value_of_power(const World& w, std::size_t o, Role r, double power, double output) {
  const auto& p = w.params;
  const int k = static_cast<int>(r);
  const double y = output >= 0 ? output : output_value(w, o);
  return added_output(p, k, p.floor_pow[k] + w.orgs.power_sum[o][k], power, y);
}

double marginal_value_member(const World& w, std::size_t o, Role r, double ability, double output) {
  const auto& p = w.params;
  const int k = static_cast<int>(r);
  const double base = p.floor_pow[k] + w.orgs.power_sum[o][k];
  const double x = std::min(std::pow(ability, p.rho) / base, 1.0 - 1e-12);
  const double y = output >= 0 ? output : output_value(w, o);
  return -y * std::expm1((p.beta[k] / p.rho) * std::log1p(-x));
}

OfferTerms offer_terms(const World& w, std::size_t o, double output) {
  const auto& orgs = w.orgs;
  const auto& p = w.params;
  OfferTerms terms;
  terms.output = output >= 0 ? output : output_value(w, o);
  terms.value_share = orgs.value_share[o];
  terms.cash = orgs.cash_left(o);
  for (int k = 0; k < kRoleCount; ++k)
    terms.base[k] = orgs.vacancies(o, static_cast<Role>(k)) == 0 || terms.cash <= 0
                        ? std::numeric_limits<double>::quiet_NaN()
                        : p.floor_pow[k] + orgs.power_sum[o][k];
  return terms;
}

double willingness_to_pay(const Params& p, const OfferTerms& terms, double max_offer,
                          double min_offer, Role r, double power) {
  const int k = static_cast<int>(r);
  const double value = terms.value_share * added_output(p, k, terms.base[k], power, terms.output);
  const double wtp = std::min({value, max_offer, terms.cash});
  // An organisation with a posted floor (min_offer) makes no offer it could not pay it on.
  return wtp >= min_offer ? wtp : 0.0;
}

double compute_term(const World& w, std::size_t o) {
  const auto& orgs = w.orgs;
  return std::log1p(orgs.effective_compute(o) / std::max(1, orgs.total_headcount(o)));
}

void value_outputs(const World& w, MonthState& m) {
  m.output.resize(w.orgs.size());
  m.compute_term.resize(w.orgs.size());
#pragma omp parallel for schedule(static) num_threads(m.threads)
  for (std::size_t o = 0; o < w.orgs.size(); ++o) {
    m.output[o] = output_value(w, o);
    m.compute_term[o] = compute_term(w, o);
  }
}

}  // namespace mercato
