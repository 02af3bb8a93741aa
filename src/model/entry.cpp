// Entry (MODEL.md, One month, step 3): each region's graduates of the month arrive with no
// employer and an active search; their reservation wage is the graduate wage of the region
// where they enter the market. A region's `study_abroad` shares enter in the region of their
// graduate study, keeping their region of training as origin, and the region's
// `study_abroad_selection` decides how much better those who go are than those who stay.
// Where the region of graduate study has a doctoral stage (`doctoral_months`), its research
// graduates first spend those months as doctoral students (World::doctorates) and enter the
// market when they finish (docs/model.md, "Doctoral stage").
#include <algorithm>
#include <cmath>
#include <limits>

#include <boost/math/distributions/normal.hpp>

#include "model/model.hpp"
#include "model/talent_draws.hpp"

namespace mercato {

namespace {

// Who goes abroad for graduate study, when going selects on ability: a graduate goes when a
// propensity u = rho z + sqrt(1 - rho^2) e (z the standard-normal log-ability, e independent)
// is in the top `abroad` share. Each graduate's u is drawn within the side its count put it on,
// then z given u, so the region's graduates as a whole keep their ability distribution.
struct Selection {
  double rho = 0;     // correlation of z and u
  double abroad = 0;  // share above the threshold: everyone who studies abroad
};

// z for a graduate on one side of the threshold; with rho = 0, the draw made without selection.
double standard_ability(const Selection& s, bool went_abroad, const Rng::Philox::ctr_type& b) {
  const double e = Rng::normal_from(b[0], b[1]);
  if (s.rho == 0 || s.abroad <= 0) return e;
  const double v = Rng::to_unit(b[2]);  // in (0, 1)
  const double p = went_abroad ? 1.0 - s.abroad * v : (1.0 - s.abroad) * v;
  const double u = boost::math::quantile(boost::math::normal(), std::clamp(p, 1e-300, 1.0 - 1e-16));
  return s.rho * u + std::sqrt(1.0 - s.rho * s.rho) * e;
}

// A graduate's ability from its block: its region of training's lognormal, with the region's
// selection for study abroad (a new graduate's and a doctoral student's, each from its own key).
float graduate_ability(double mu, double sigma, const Selection& s, bool went_abroad,
                       const Rng::Philox::ctr_type& b) {
  return static_cast<float>(std::exp(mu + sigma * standard_ability(s, went_abroad, b)));
}

// A graduate due this month: region of training r, role k, entering the market in region
// `at`, with its region's selection for study abroad; a training programme's graduate has the
// programme's event.
struct Graduate {
  std::size_t r;
  int k;
  RegionId at;
  Selection selection;
  int program_event = -1;
  float ability = std::numeric_limits<float>::quiet_NaN();  // drawn at enrolment, else NaN
};

// Fills row i (uid set) with a new graduate: no employer, searching, ability drawn from region
// r's graduate distribution, preferences from the personas. Its draws are keyed by its uid, so
// rows are filled in any order.
void fill_graduate(World& w, const MonthState& m, std::size_t i, const Graduate& g) {
  auto& t = w.talents;
  const Region& region = w.regions[g.r];
  if (std::isnan(g.ability)) {
    const auto b = m.rng.bits(Stream::entry, m.month, t.uid[i], 0);
    t.ability[i] = graduate_ability(region.graduate_ability_mu, region.graduate_ability_sigma,
                                    g.selection, g.at.index() != g.r, b);
  } else {
    t.ability[i] = g.ability;  // a new PhD: drawn when the doctorate began
  }
  t.role[i] = static_cast<Role>(g.k);
  t.origin[i] = RegionId(static_cast<std::uint8_t>(g.r));
  t.region[i] = g.at;
  t.employer[i] = kNoEmployer;
  t.experience[i] = 0;
  t.tenure[i] = 0;
  t.wage[i] = 0;
  t.unvested[i] = 0;
  t.vest_left[i] = 0;
  draw_preferences(w, m.rng, Stream::entry, m.month, i);
}

// Fractional graduates are carried over, so entry is deterministic and unbiased.
std::size_t due_now(double per_month, double& carry) {
  const double due = per_month + carry;
  const auto count = static_cast<std::size_t>(std::floor(due));
  carry = due - static_cast<double>(count);
  return count;
}

// Region r's share of graduates who study abroad, and how they are selected on ability.
Selection selection_of(const Region& region) {
  Selection selection{region.study_abroad_selection, 0};
  for (const StudyFlow& flow : region.study_abroad) selection.abroad += flow.share;
  selection.abroad = std::min(selection.abroad, 1.0);
  return selection;
}

// A research graduate of a region whose graduate study has a doctoral stage.
bool enrols(const World& w, const Graduate& g) {
  return g.k == static_cast<int>(Role::research) && w.regions[g.at.index()].doctoral_months > 0;
}

// Enrols `count` doctoral students like g, with `months_left`, as one cohort: their serials are
// the next `count`, and their abilities will be drawn from g's region of training (with its
// selection for study abroad), as they are now.
void enrol(World& w, int month, const Graduate& g, std::size_t count, int months_left) {
  if (count == 0) return;
  const Region& region = w.regions[g.r];
  DoctoralCohort c;
  c.origin = RegionId(static_cast<std::uint8_t>(g.r));
  c.region = g.at;
  c.months_left = static_cast<std::uint16_t>(months_left);
  c.month = month;
  c.first_serial = w.next_student;
  c.count = static_cast<std::uint32_t>(count);
  c.mu = region.graduate_ability_mu, c.sigma = region.graduate_ability_sigma;
  c.selection = g.selection.rho, c.abroad = g.selection.abroad;
  w.next_student += c.count;
  w.doctorates.push_back(c);
}

// Cohorts whose doctorate ends this month leave World::doctorates (in enrolment order) for
// `due`, as new PhDs of their region of study; the others have a month less to go.
void finish_doctorates(World& w, std::vector<Graduate>& due) {
  auto& cohorts = w.doctorates;
  std::size_t kept = 0;
  for (std::size_t i = 0; i < cohorts.size(); ++i) {
    DoctoralCohort& c = cohorts[i];
    if (--c.months_left > 0) {
      cohorts[kept++] = c;
      continue;
    }
    for (std::uint32_t j = 0; j < c.count; ++j)
      due.push_back({c.origin.index(), static_cast<int>(Role::research), c.region, Selection{}, -1,
                     doctoral_ability(w, c, j)});
  }
  cohorts.resize(kept);
}

}  // namespace

float doctoral_ability(const World& w, const DoctoralCohort& c, std::uint32_t j) {
  const auto b = Rng(w.seed, w.replicate).bits(Stream::doctorate, c.month, c.first_serial + j, 0);
  return graduate_ability(c.mu, c.sigma, {c.selection, c.abroad}, c.region != c.origin, b);
}

void seed_doctorates(World& w, int month) {
  int longest = 0;
  for (const Region& region : w.regions) longest = std::max(longest, region.doctoral_months);
  // The cohorts enrolled 1..longest months before the start, at the start's graduate numbers,
  // with carries of their own (the run's carries start at zero, as without a doctoral stage).
  std::vector<std::vector<double>> carry(w.regions.size());
  for (std::size_t r = 0; r < w.regions.size(); ++r)
    carry[r].assign(1 + w.regions[r].study_abroad.size(), 0.0);
  const int k = static_cast<int>(Role::research);
  for (int left = longest; left >= 1; --left) {
    for (std::size_t r = 0; r < w.regions.size(); ++r) {
      const Region& region = w.regions[r];
      const Selection selection = selection_of(region);
      const double per_month = region.graduates_per_year[k] * w.scale / 12.0;
      auto cohort = [&](RegionId at, double share, double& c) {
        const std::size_t count = due_now(per_month * share, c);
        if (w.regions[at.index()].doctoral_months >= left)
          enrol(w, month, {r, k, at, selection}, count, left);
      };
      cohort(RegionId(static_cast<std::uint8_t>(r)), 1.0 - selection.abroad, carry[r][0]);
      for (std::size_t f = 0; f < region.study_abroad.size(); ++f)
        cohort(region.study_abroad[f].to, region.study_abroad[f].share, carry[r][1 + f]);
    }
  }
}

void admit_graduates(World& w, MonthState& m) {
  // Who is due, in the order their uids are given: the doctoral students who finish, then each
  // region's graduates at home, then those who studied abroad, by role; then the training
  // programmes' graduates. A research graduate whose region of study has a doctoral stage
  // enrols in it instead.
  std::vector<Graduate> due;
  finish_doctorates(w, due);
  const double years = m.growth ? std::max(0, m.month) / 12.0 : 0.0;
  for (std::size_t r = 0; r < w.regions.size(); ++r) {
    Region& region = w.regions[r];
    const RegionId home(static_cast<std::uint8_t>(r));
    const double growth = std::pow(1.0 + region.graduate_growth, years);
    const Selection selection = selection_of(region);
    for (int k = 0; k < kRoleCount; ++k) {
      const double per_month = region.graduates_per_year[k] * w.scale * growth / 12.0;
      auto arrive = [&](RegionId at, std::size_t count) {
        const Graduate g{r, k, at, selection, -1};
        if (enrols(w, g))
          enrol(w, m.month, g, count, w.regions[at.index()].doctoral_months);
        else
          due.insert(due.end(), count, g);
      };
      arrive(home, due_now(per_month * (1.0 - selection.abroad), w.graduate_carry[r][k]));
      for (StudyFlow& flow : region.study_abroad)
        arrive(flow.to, due_now(per_month * flow.share, flow.carry[k]));
    }
  }
  // Training programmes (MODEL.md, Events: training_program): their graduates are marked, so
  // that the programme can report how many it trained and how many stay.
  auto& policy = w.policy;
  for (const ProgramIntake& intake : m.programs) {
    const std::size_t e = static_cast<std::size_t>(intake.event);
    if (policy.program_carry.size() < (e + 1) * kRoleCount)
      policy.program_carry.resize((e + 1) * kRoleCount, 0.0);
    for (int k = 0; k < kRoleCount; ++k) {
      const double share = k == 0 ? intake.research_share : 1.0 - intake.research_share;
      const double per_month = intake.per_year * share * w.scale / 12.0;
      const std::size_t count = due_now(per_month, policy.program_carry[e * kRoleCount + k]);
      due.insert(due.end(), count,
                 {intake.region.index(), k, intake.region, Selection{}, intake.event});
    }
  }

  // The rows, then their draws on the month's threads.
  auto& t = w.talents;
  const std::size_t first = t.size();
  t.resize(first + due.size());
  for (std::size_t g = 0; g < due.size(); ++g) t.uid[first + g] = w.next_uid++;
#pragma omp parallel for schedule(static) num_threads(m.threads)
  for (std::size_t g = 0; g < due.size(); ++g) fill_graduate(w, m, first + g, due[g]);
  m.entries += static_cast<std::int64_t>(due.size());
  for (std::size_t g = 0; g < due.size(); ++g) {
    if (due[g].program_event < 0) continue;
    policy.program_graduates[t.uid[first + g]] = due[g].program_event;
    ++m.event_counts[due[g].program_event].trained;
  }
}

}  // namespace mercato
