// Utility of working at o for an annual money-equivalent m (MODEL.md, Utility). Money enters
// as w_money * ln(kappa * m), so the indifference money-equivalent has a closed form.
#include <cmath>
#include <limits>

#include "model/model.hpp"

namespace mercato {

namespace {
// The reservation option's taste shock uses this pseudo-organisation id.
constexpr std::uint32_t kReservationKey = 0xFFFFFFFFu;

double taste_shock(const World& w, const MonthState& m, std::size_t i, std::uint32_t key) {
  if (w.params.sigma_taste <= 0) return 0.0;
  const auto r = m.rng.bits(Stream::taste, m.month, w.talents.uid[i], key);
  return w.params.sigma_taste * Rng::gumbel_from(r[0]);
}
}  // namespace

double non_money_utility(const World& w, const MonthState& m, std::size_t i, std::size_t o) {
  const auto& t = w.talents;
  const auto& orgs = w.orgs;
  const Preferences pref = t.prefs(i);
  const RegionId r = orgs.region[o];
  // The month's value (value_outputs) when it has been computed, else the same from the arrays.
  const double compute =
      m.compute_term.size() == orgs.size() ? m.compute_term[o] : compute_term(w, o);
  double u =
      pref.w_mission * orgs.mission[o] + pref.w_open * orgs.openness[o] + pref.w_compute * compute;
  if (r == t.origin[i]) u += pref.home_bias;
  if (r != t.origin[i] && r != t.region[i]) u -= w.regions[r.index()].visa_friction;
  if (t.employer[i] != OrgId(static_cast<std::uint32_t>(o))) u -= w.params.move_cost;
  return u + taste_shock(w, m, i, static_cast<std::uint32_t>(o));
}

double reservation_wage(const World& w, std::size_t i) {
  return w.regions[w.talents.region[i].index()].graduate_wage;
}

double reservation_utility(const World& w, const MonthState& m, std::size_t i) {
  const auto& t = w.talents;
  const auto& region = w.regions[t.region[i].index()];
  const Preferences pref = t.prefs(i);
  double u = pref.w_money * std::log(region.kappa() * reservation_wage(w, i));
  if (t.region[i] == t.origin[i]) u += pref.home_bias;
  return u + taste_shock(w, m, i, kReservationKey);
}

double kappa_for(const World& w, std::size_t i, std::size_t o) {
  const RegionId r = w.orgs.region[o];
  const Region& region = w.regions[r.index()];
  if (w.talents.region[i] != r)
    return std::isnan(region.inbound_tax_rate) ? region.kappa()
                                               : region.kappa_at(region.inbound_tax_rate);
  if (!w.policy.tax_benefits.empty()) {
    const auto it = w.policy.tax_benefits.find(w.talents.uid[i]);
    if (it != w.policy.tax_benefits.end() && it->second.region == r)
      return region.kappa_at(it->second.rate);
  }
  return region.kappa();
}

double utility(const World& w, std::size_t i, std::size_t o, double money, double non_money) {
  if (money <= 0) return -std::numeric_limits<double>::infinity();
  return utility_at(kappa_for(w, i, o), w.talents.prefs(i).w_money, money, non_money);
}

double indifference_money(const World& w, std::size_t i, std::size_t o, double u,
                          double non_money) {
  return indifference_money_at(kappa_for(w, i, o), w.talents.prefs(i).w_money, u, non_money);
}

}  // namespace mercato
