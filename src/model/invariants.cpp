// Invariant checks (MERCATO_CHECK_INVARIANTS builds call them every month): every aggregate
// recomputed from the arrays must equal the incrementally maintained one.
#include <cmath>
#include <string>

#include "mercato/core/error.hpp"
#include "model/model.hpp"

namespace mercato {

namespace {
bool close(double a, double b, double rel) {
  return std::abs(a - b) <= rel * std::max({1.0, std::abs(a), std::abs(b)});
}
[[noreturn]] void fail(const std::string& what) {
  throw InvariantViolation("invariant: " + what);
}
}  // namespace

void check_invariants(const World& w) {
  // Doctoral cohorts: a doctorate under way in a region that has one, never past its length,
  // with serials already given.
  for (std::size_t i = 0; i < w.doctorates.size(); ++i) {
    const DoctoralCohort& c = w.doctorates[i];
    const std::string who = "doctoral cohort " + std::to_string(i);
    if (c.region.index() >= w.regions.size() || c.origin.index() >= w.regions.size())
      fail(who + " has an unknown region");
    const int length = w.regions[c.region.index()].doctoral_months;
    if (c.months_left < 1 || c.months_left > length)
      fail(who + " has " + std::to_string(c.months_left) + " months left of a " +
           std::to_string(length) + "-month doctorate");
    if (c.count == 0 || c.first_serial + static_cast<std::uint64_t>(c.count) > w.next_student)
      fail(who + " has serials not yet given");
  }
  const auto& t = w.talents;
  const auto& orgs = w.orgs;
  std::vector<std::array<double, kRoleCount>> power(orgs.size(), {0.0, 0.0});
  std::vector<std::array<std::int32_t, kRoleCount>> headcount(orgs.size(), {0, 0});
  std::vector<double> payroll(orgs.size(), 0.0);
  for (std::size_t i = 0; i < t.size(); ++i) {
    auto who = [&] { return "talent " + std::to_string(t.uid[i]); };
    if (!(t.ability[i] > 0) || !std::isfinite(t.ability[i]))
      fail(who() + " has ability <= 0 or NaN");
    if (!(t.unvested[i] >= 0) || !std::isfinite(t.unvested[i])) fail(who() + " has bad unvested");
    if (t.region[i].index() >= w.regions.size()) fail(who() + " has an unknown region");
    if (!t.employer[i].valid()) {
      if (t.wage[i] != 0) fail(who() + " is unemployed with a wage");
      continue;
    }
    const std::size_t o = t.employer[i].index();
    if (o >= orgs.size()) fail(who() + " has an unknown employer");
    if (!(t.wage[i] > 0) || !std::isfinite(t.wage[i])) fail(who() + " has a wage <= 0 or NaN");
    if (t.region[i] != orgs.region[o]) fail(who() + " works outside its employer's region");
    const int k = static_cast<int>(t.role[i]);
    power[o][k] += std::pow(static_cast<double>(t.ability[i]), w.params.rho);
    headcount[o][k] += 1;
    payroll[o] += t.wage[i];
  }
  for (std::size_t o = 0; o < orgs.size(); ++o) {
    const std::string org = "organisation " + orgs.name[o];
    for (int k = 0; k < kRoleCount; ++k) {
      if (headcount[o][k] != orgs.headcount[o][k])
        fail(org + " headcount " + std::to_string(orgs.headcount[o][k]) + " but the arrays say " +
             std::to_string(headcount[o][k]));
      if (!close(power[o][k], orgs.power_sum[o][k], 1e-4))
        fail(org + " power sum " + std::to_string(orgs.power_sum[o][k]) + " but the arrays say " +
             std::to_string(power[o][k]));
    }
    if (!close(payroll[o], orgs.payroll[o], 1e-6))
      fail(org + " payroll " + std::to_string(orgs.payroll[o]) + " but the arrays say " +
           std::to_string(payroll[o]));
  }
}

}  // namespace mercato
