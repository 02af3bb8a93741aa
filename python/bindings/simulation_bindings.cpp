// A Simulation stepped from Python, with read-only numpy views of the World's columns. The
// views share the World's memory (no copy); each keeps the Simulation alive through its
// `base`. A month may grow the talent columns (graduates enter) and so move them, which would
// leave an earlier view pointing at freed memory: like a bytearray that refuses to resize
// while a memoryview of it exists, step() refuses while views of the current month are alive.
#include <pybind11/numpy.h>
#include <pybind11/stl.h>

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "bindings.hpp"
#include "mercato/engine/simulation.hpp"
#include "mercato/scenario/scenario.hpp"

namespace mercato::python {

namespace {

// Ids and enums are plain integers of the same size at the Python boundary (core/types.hpp).
static_assert(sizeof(RegionId) == sizeof(std::uint8_t));
static_assert(sizeof(OrgId) == sizeof(std::uint32_t));
static_assert(sizeof(Role) == sizeof(std::uint8_t));
static_assert(sizeof(OrgKind) == sizeof(std::uint8_t));
static_assert(sizeof(Preferences) == 5 * sizeof(float));

std::string month_text(YearMonth m) {
  return fmt::format("{:04}-{:02}", m.year, m.month);
}

py::dict quantiles_dict(const Quantiles& q) {
  return py::dict(py::arg("p50") = q.p50, py::arg("p90") = q.p90, py::arg("p99") = q.p99,
                  py::arg("max") = q.max);
}

class SteppedSimulation {
 public:
  explicit SteppedSimulation(Simulation simulation) : simulation_(std::move(simulation)) {}

  static Simulation make_simulation(const Config& config, int threads, std::uint64_t replicate) {
    if (threads < 1) throw UsageError("threads must be at least 1");
    World world = scenario::build_world(config, replicate);
    std::vector<Event> events = scenario::build_events(config, world);
    return Simulation(std::move(world), scenario::simulation_options(config, threads),
                      std::move(events));
  }

  Simulation& simulation() { return simulation_; }
  const World& world() const { return simulation_.world(); }

  int live_views() {
    py::list alive;
    for (const py::handle ref : views_) {
      if (!ref().is_none()) alive.append(ref);
    }
    views_ = alive;
    return static_cast<int>(py::len(views_));
  }

  void check_no_live_views(const char* what) {
    const int alive = live_views();
    if (alive > 0) {
      throw py::buffer_error(fmt::format(
          "cannot {} while {} numpy view{} of the World {} alive: the month may move the "
          "columns; copy what you keep (numpy.array(view)) and delete the views first",
          what, alive, alive == 1 ? "" : "s", alive == 1 ? "is" : "are"));
    }
  }

  // A read-only view of `count` rows of `columns` values of type T starting at `data`, whose
  // memory belongs to the World of `owner` (the Python object holding this simulation).
  template <typename T>
  py::array view(const py::object& owner, const T* data, std::size_t count, std::size_t columns = 1,
                 std::size_t row_bytes = sizeof(T)) {
    std::vector<py::ssize_t> shape{static_cast<py::ssize_t>(count)};
    std::vector<py::ssize_t> strides{static_cast<py::ssize_t>(row_bytes)};
    if (columns > 1) {
      shape.push_back(static_cast<py::ssize_t>(columns));
      strides.push_back(static_cast<py::ssize_t>(sizeof(T)));
    }
    // A null pointer would make numpy allocate its own (empty) array; any address will do for
    // zero rows.
    static const T kNothing{};
    const T* address = count == 0 ? &kNothing : data;
    py::array array(py::dtype::of<T>(), shape, strides, address, owner);
    array.attr("setflags")(py::arg("write") = false);
    views_.append(py::weakref(array));
    return array;
  }

 private:
  Simulation simulation_;
  py::list views_;  // weak references to the views handed out
};

template <typename Id>
const std::uint8_t* bytes_of(const std::vector<Id>& v) {
  return reinterpret_cast<const std::uint8_t*>(v.data());
}

py::array talent_column(const py::object& self, const std::string& name) {
  SteppedSimulation& s = self.cast<SteppedSimulation&>();
  const Talents& t = s.world().talents;
  const std::size_t n = t.size();
  if (name == "uid") return s.view(self, t.uid.data(), n);
  if (name == "ability") return s.view(self, t.ability.data(), n);
  if (name == "role") return s.view(self, bytes_of(t.role), n);
  if (name == "origin") return s.view(self, bytes_of(t.origin), n);
  if (name == "region") return s.view(self, bytes_of(t.region), n);
  if (name == "employer") {
    return s.view(self, reinterpret_cast<const std::uint32_t*>(t.employer.data()), n);
  }
  if (name == "experience") return s.view(self, t.experience.data(), n);
  if (name == "tenure") return s.view(self, t.tenure.data(), n);
  if (name == "wage") return s.view(self, t.wage.data(), n);
  if (name == "unvested") return s.view(self, t.unvested.data(), n);
  if (name == "vest_left") return s.view(self, t.vest_left.data(), n);
  if (name == "persona") return s.view(self, t.persona.data(), n);
  if (name == "prefs") {
    // n x 5: w_money, w_mission, w_open, w_compute, home_bias. A copy, not a view: the World
    // keeps a persona's constant preferences once, not in every row (Talents::prefs).
    py::array_t<float> prefs({static_cast<py::ssize_t>(n), static_cast<py::ssize_t>(5)});
    auto out = prefs.mutable_unchecked<2>();
    for (std::size_t i = 0; i < n; ++i) {
      const Preferences p = t.prefs(i);
      for (std::size_t f = 0; f < kPreferenceFields; ++f)
        out(static_cast<py::ssize_t>(i), static_cast<py::ssize_t>(f)) = p.*kPreferenceField[f];
    }
    prefs.attr("setflags")(py::arg("write") = false);
    return prefs;
  }
  throw py::key_error("no talent column '" + name + "'");
}

py::array org_column(const py::object& self, const std::string& name) {
  SteppedSimulation& s = self.cast<SteppedSimulation&>();
  const Orgs& o = s.world().orgs;
  const std::size_t n = o.size();
  using Pair = std::array<double, kRoleCount>;
  using Heads = std::array<std::int32_t, kRoleCount>;
  if (name == "kind") return s.view(self, bytes_of(o.kind), n);
  if (name == "region") return s.view(self, bytes_of(o.region), n);
  if (name == "named") return s.view(self, o.named.data(), n);
  if (name == "pool") return s.view(self, o.pool.data(), n);
  if (name == "compute") return s.view(self, o.compute.data(), n);
  if (name == "compute_growth") return s.view(self, o.compute_growth.data(), n);
  if (name == "compute_extra") return s.view(self, o.compute_extra.data(), n);
  if (name == "tfp") return s.view(self, o.tfp.data(), n);
  if (name == "price") return s.view(self, o.price.data(), n);
  if (name == "mission") return s.view(self, o.mission.data(), n);
  if (name == "openness") return s.view(self, o.openness.data(), n);
  if (name == "payroll_budget") return s.view(self, o.payroll_budget.data(), n);
  if (name == "budget_growth") return s.view(self, o.budget_growth.data(), n);
  if (name == "headcount_growth") return s.view(self, o.headcount_growth.data(), n);
  if (name == "value_share") return s.view(self, o.value_share.data(), n);
  if (name == "max_offer") return s.view(self, o.max_offer.data(), n);
  if (name == "min_offer") return s.view(self, o.min_offer.data(), n);
  if (name == "counter_probability") return s.view(self, o.counter_probability.data(), n);
  if (name == "counter_share") return s.view(self, o.counter_share.data(), n);
  if (name == "buyout_ratio") return s.view(self, o.buyout_ratio.data(), n);
  if (name == "equity_share") return s.view(self, o.equity_share.data(), n);
  if (name == "poach_intensity") return s.view(self, o.poach_intensity.data(), n);
  if (name == "search_reach") return s.view(self, o.search_reach.data(), n);
  if (name == "payroll") return s.view(self, o.payroll.data(), n);
  // n x 2 (research, engineering).
  if (name == "target") {
    return s.view(self, reinterpret_cast<const double*>(o.target.data()), n, 2, sizeof(Pair));
  }
  if (name == "power_sum") {
    return s.view(self, reinterpret_cast<const double*>(o.power_sum.data()), n, 2, sizeof(Pair));
  }
  if (name == "headcount") {
    return s.view(self, reinterpret_cast<const std::int32_t*>(o.headcount.data()), n, 2,
                  sizeof(Heads));
  }
  throw py::key_error("no organisation column '" + name + "'");
}

const std::vector<std::string> kTalentColumns = {
    "uid",    "ability", "role",     "origin",    "region",  "employer", "experience",
    "tenure", "wage",    "unvested", "vest_left", "persona", "prefs"};
const std::vector<std::string> kOrgColumns = {"kind",          "region",
                                              "named",         "pool",
                                              "compute",       "compute_growth",
                                              "compute_extra", "tfp",
                                              "price",         "mission",
                                              "openness",      "payroll_budget",
                                              "budget_growth", "headcount_growth",
                                              "value_share",   "max_offer",
                                              "min_offer",     "counter_probability",
                                              "counter_share", "buyout_ratio",
                                              "equity_share",  "poach_intensity",
                                              "search_reach",  "payroll",
                                              "target",        "power_sum",
                                              "headcount"};

py::dict month_dict(const MonthMetrics& m) {
  const MarketRow& r = m.market;
  py::dict d;
  d["month"] = m.month;
  d["date"] = month_text(m.date);
  d["talents"] = r.talents;
  d["employed"] = r.employed;
  d["entries"] = r.entries;
  d["exits"] = r.exits;
  d["returned_home"] = r.returned_home;
  d["doctoral_students"] = r.doctoral_students;
  d["seekers"] = r.seekers;
  d["candidates"] = r.candidates;
  d["offers"] = r.offers;
  d["moves"] = r.moves;
  d["hires_from_unemployment"] = r.hires_from_unemployment;
  d["counters_won"] = r.counters_won;
  d["poaching_success"] = r.poaching_success;
  d["signing_bonuses"] = r.signing_bonuses;
  d["package"] = quantiles_dict(r.package);
  d["elite_top5_share"] = r.elite_top5_share;
  d["elite_hhi"] = r.elite_hhi;
  d["output"] = r.output;
  d["payroll"] = r.payroll;
  return d;
}

py::dict summary_dict(const RunSummary& s, const World& world) {
  py::dict d;
  d["scenario"] = s.scenario;
  d["seed"] = s.seed;
  d["months"] = s.months;
  d["start"] = month_text(s.start);
  d["end"] = month_text(s.end);
  d["talents_start"] = s.talents_start;
  d["talents_end"] = s.talents_end;
  d["organisations"] = s.organisations;
  d["moves"] = s.moves;
  d["entries"] = s.entries;
  d["exits"] = s.exits;
  d["counters_won"] = s.counters_won;
  d["moves_per_talent_year"] = s.moves_per_talent_year;
  d["unemployment_end"] = s.unemployment_end;
  py::list regions;
  for (const RunSummary::RegionShare& r : s.regions) {
    regions.append(py::dict(py::arg("region") = world.regions[r.region.index()].id,
                            py::arg("top_work_share") = r.top_work_share,
                            py::arg("top_origin_share") = r.top_origin_share,
                            py::arg("brain_drain_top") = r.brain_drain_top,
                            py::arg("brain_drain_all") = r.brain_drain_all));
  }
  d["regions"] = regions;
  py::list groups;
  for (const RunSummary::GroupShare& g : s.groups) {
    groups.append(py::dict(py::arg("group") = g.group, py::arg("top_work_share") = g.top_work_share,
                           py::arg("top_origin_share") = g.top_origin_share,
                           py::arg("brain_drain_top") = g.brain_drain_top));
  }
  d["groups"] = groups;
  py::dict wages;
  for (int t = 0; t < kReportTierCount; ++t) {
    wages[py::str(std::string(to_string(static_cast<ReportTier>(t))))] =
        quantiles_dict(s.wage_end[static_cast<std::size_t>(t)]);
  }
  d["wage_end"] = wages;
  d["elite_top5_share_end"] = s.elite_top5_share_end;
  d["elite_hhi_end"] = s.elite_hhi_end;
  d["signing_bonuses"] = s.signing_bonuses;
  return d;
}

}  // namespace

void register_simulation(py::module_& m) {
  py::class_<SteppedSimulation>(m, "Simulation", "A simulation stepped month by month.")
      .def(py::init([](const Config& config, int threads, std::uint64_t replicate) {
             std::optional<Simulation> simulation;
             {
               // Building the World can take seconds at full scale.
               py::gil_scoped_release release;
               simulation.emplace(SteppedSimulation::make_simulation(config, threads, replicate));
             }
             return std::make_unique<SteppedSimulation>(std::move(*simulation));
           }),
           py::arg("config"), py::arg("threads"), py::arg("replicate"))
      .def(
          "warm_up",
          [](SteppedSimulation& s) {
            s.check_no_live_views("warm up");
            py::gil_scoped_release release;
            s.simulation().warm_up();
          },
          "Runs the warm-up months (once).")
      .def(
          "step",
          [](SteppedSimulation& s) {
            s.check_no_live_views("step");
            if (s.simulation().done()) {
              throw UsageError(fmt::format("the run is over: all {} months have run",
                                           s.simulation().options().months));
            }
            const MonthMetrics* metrics = nullptr;
            {
              py::gil_scoped_release release;
              metrics = &s.simulation().step();
            }
            return month_dict(*metrics);
          },
          "Runs one month and returns its market figures.")
      .def_property_readonly("done", [](SteppedSimulation& s) { return s.simulation().done(); })
      .def_property_readonly("month", [](SteppedSimulation& s) { return s.simulation().month(); })
      .def_property_readonly("months",
                             [](SteppedSimulation& s) { return s.simulation().options().months; })
      .def_property_readonly("live_views", &SteppedSimulation::live_views)
      .def("summary",
           [](SteppedSimulation& s) { return summary_dict(s.simulation().summary(), s.world()); })
      .def("talent_column", &talent_column, py::arg("name"))
      .def("org_column", &org_column, py::arg("name"))
      .def_property_readonly_static("talent_columns",
                                    [](const py::object&) { return kTalentColumns; })
      .def_property_readonly_static("org_columns", [](const py::object&) { return kOrgColumns; })
      .def_property_readonly("region_ids",
                             [](SteppedSimulation& s) {
                               std::vector<std::string> ids;
                               for (const Region& r : s.world().regions) ids.push_back(r.id);
                               return ids;
                             })
      .def_property_readonly("org_names", [](SteppedSimulation& s) { return s.world().orgs.name; })
      .def_property_readonly("elite_threshold",
                             [](SteppedSimulation& s) { return s.world().elite_threshold; })
      .def_property_readonly("top_threshold",
                             [](SteppedSimulation& s) { return s.world().top_threshold; });

  std::vector<std::string> kinds(kOrgKindNames.begin(), kOrgKindNames.end());
  m.attr("KIND_NAMES") = kinds;
  m.attr("NO_EMPLOYER") = kNoEmployer.value;
}

}  // namespace mercato::python
