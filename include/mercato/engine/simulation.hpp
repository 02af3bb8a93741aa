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

class Simulation {
 public:
  // `events` is the scenario's timeline (scenario::build_events); applied first each month.
  Simulation(World world, SimulationOptions options, std::vector<Event> events = {});
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

 private:
  struct State;
  std::unique_ptr<State> state_;
};

// Runs a whole simulation, calling the observers after every month and `on_progress(done,
// total)` (may be empty). Returns the run's summary.
RunSummary run_simulation(Simulation& simulation, const std::vector<Observer*>& observers,
                          const std::function<void(int, int)>& on_progress = {});

}  // namespace mercato
