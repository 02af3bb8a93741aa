// Runs the monthly step (MODEL.md, "One month") over a World, in order, and hands each
// month's metrics to observers (the io sinks, the CLI's progress bar).
#pragma once

#include <functional>
#include <memory>
#include <vector>

#include "mercato/core/world.hpp"
#include "mercato/engine/events.hpp"
#include "mercato/engine/metrics.hpp"

namespace mercato {

struct SimulationOptions {
  int months = 120;
  int warmup_months = 24;  // run before month 0 with growth frozen; their metrics are discarded
  int threads = 1;         // results do not depend on it
  YearMonth start{2025, 1};
  int origins_every_months = 12;  // origins rows every N months and in the last month
  std::string scenario_name;
};

// Sees every month (after warm-up) and the end of the run. The engine never formats text.
class Observer {
 public:
  virtual ~Observer() = default;
  virtual void on_month(const World& world, const MonthMetrics& metrics) = 0;
  virtual void on_finish(const World& world, const RunSummary& summary) {
    (void)world;
    (void)summary;
  }
};

// What an event of the timeline has spent and must restore (the engine's bookkeeping beside the
// World): an offensive's budget left, the values to put back after `end`, and costs so far.
struct EventProgress {
  double budget_left = 0;
  double saved_a = 0, saved_b = 0;
  double month_cost = 0, cost_total = 0;
  std::vector<std::uint8_t> raided;  // offensive: per organisation, 1 if targeted
};

// Everything a Simulation holds beside its World, options and timeline: where it is and what
// it has accumulated for the run's summary. A checkpoint (io/checkpoint.hpp) stores it with
// the World; Simulation's resuming constructor takes it back, so that the resumed run gives
// the same bytes as an uninterrupted one.
struct SimulationProgress {
  int months_run = 0;
  bool warmed_up = false;
  std::vector<EventProgress> events;  // one per timeline event
  RunSummary summary;                 // accumulated over the months run
  double talent_months = 0;
  bool has_last = false;  // whether `last` holds a month (false before the first)
  MonthMetrics last;      // the last month's metrics, without its moves
};

class Simulation {
 public:
  // `events` is the scenario's timeline (scenario::build_events); applied first each month.
  Simulation(World world, SimulationOptions options, std::vector<Event> events = {});
  // Resumes a simulation from the World and progress of an earlier one with the same options
  // and timeline (a checkpoint). Throws Error when the progress does not fit the timeline or
  // the World (a number of events, an event or organisation index out of range).
  Simulation(World world, SimulationOptions options, std::vector<Event> events,
             SimulationProgress progress);
  ~Simulation();
  Simulation(Simulation&&) noexcept;
  Simulation& operator=(Simulation&&) noexcept;

  // Runs the warm-up months (no-op after the first call or if warmup_months == 0).
  void warm_up();
  // Runs one month (warming up first if needed) and returns its metrics.
  const MonthMetrics& step();
  bool done() const;
  int month() const;  // months run so far after warm-up
  const World& world() const;
  const SimulationOptions& options() const;
  const std::vector<Event>& events() const;
  // Headline figures of the months run so far.
  RunSummary summary() const;
  // The state beside the World, for a checkpoint.
  SimulationProgress progress() const;

 private:
  struct State;
  std::unique_ptr<State> state_;
};

// Runs a whole simulation, calling the observers after every month and `on_progress(done,
// total)` (may be empty). Returns the run's summary.
RunSummary run_simulation(Simulation& simulation, const std::vector<Observer*>& observers,
                          const std::function<void(int, int)>& on_progress = {});

}  // namespace mercato
