#include "mercato/experiment/replicates.hpp"

#include <algorithm>
#include <exception>
#include <mutex>
#include <utility>

#include <fmt/format.h>

#include "mercato/scenario/scenario.hpp"

namespace mercato::experiment {

namespace {

// Unwinds a replicate that another one's failure or a stop request made pointless.
struct Abandoned {};

void check_options(int replicates, const ReplicateOptions& options) {
  if (replicates < 1) {
    throw UsageError(fmt::format("replicates must be at least 1 (got {})", replicates));
  }
  if (options.threads < 1) {
    throw UsageError(fmt::format("threads must be at least 1 (got {})", options.threads));
  }
  if (options.shares < 1 || options.share < 0 || options.share >= options.shares) {
    throw UsageError(fmt::format("share {} of {} replicate shares does not exist", options.share,
                                 options.shares));
  }
}

}  // namespace

std::vector<RunSummary> run_replicates(const Config& config, int replicates,
                                       const ReplicateOptions& options) {
  check_options(replicates, options);
  auto in_share = [&](int r) { return r % options.shares == options.share; };
  const int replicates_here = (replicates - options.share + options.shares - 1) / options.shares;
  const int months = scenario::simulation_options(config, 1).months;
  const int total = replicates_here * months;

  std::vector<RunSummary> results(static_cast<std::size_t>(replicates));
  std::vector<std::exception_ptr> errors(static_cast<std::size_t>(replicates));
  // Replicates of other shares count as finished: they are not this call's to run.
  std::vector<char> finished(static_cast<std::size_t>(replicates), 0);
  for (int r = 0; r < replicates; ++r) finished[static_cast<std::size_t>(r)] = in_share(r) ? 0 : 1;
  // The lowest replicate that failed so far. Replicates below it still run to the end, so the
  // error rethrown (the lowest replicate's) does not depend on which thread got there first: a
  // replicate picked up late must not be skipped because a higher one failed meanwhile (a race
  // that the sanitizer build's timing showed in
  // Replicates.TheErrorOfTheLowestFailingReplicateIsRethrown).
  std::atomic<int> lowest_failed{replicates};
  std::mutex progress_mutex;
  int done = 0;
  auto stopping = [&](int r) {
    return r > lowest_failed.load(std::memory_order_relaxed) ||
           (options.stop != nullptr && options.stop->load(std::memory_order_relaxed));
  };

  auto run_one = [&](int r) {
    // Everything a replicate uses is its own (World, Simulation, observers, Philox streams
    // keyed by replicate), so the only shared state is the progress count and the stop flags.
    World world = scenario::build_world(config, static_cast<std::uint64_t>(r));
    std::vector<Event> events = scenario::build_events(config, world);
    Simulation simulation(std::move(world), scenario::simulation_options(config, 1),
                          std::move(events));
    std::vector<std::unique_ptr<Observer>> owned;
    if (options.observers) owned = options.observers(r);
    std::vector<Observer*> observers;
    observers.reserve(owned.size());
    for (const auto& o : owned) observers.push_back(o.get());
    RunSummary summary = run_simulation(simulation, observers, [&](int, int) {
      {
        const std::lock_guard<std::mutex> lock(progress_mutex);
        ++done;
        if (options.on_progress) options.on_progress(done, total);
      }
      if (stopping(r)) throw Abandoned{};
    });
    results[static_cast<std::size_t>(r)] = std::move(summary);
    finished[static_cast<std::size_t>(r)] = 1;
  };

  const int threads = std::min(options.threads, replicates);
  // Dynamic scheduling: replicates can take different times; which thread runs which replicate
  // does not matter, since each result goes to its own slot.
#pragma omp parallel for schedule(dynamic, 1) num_threads(threads)
  for (int r = 0; r < replicates; ++r) {
    if (!in_share(r) || stopping(r)) continue;
    try {
      run_one(r);
    } catch (const Abandoned&) {
      // Not an error of this replicate: a lower one failed, or a stop was requested.
    } catch (...) {
      errors[static_cast<std::size_t>(r)] = std::current_exception();
      int lowest = lowest_failed.load(std::memory_order_relaxed);
      while (r < lowest && !lowest_failed.compare_exchange_weak(lowest, r)) {
      }
    }
  }

  for (const std::exception_ptr& error : errors) {
    if (error) std::rethrow_exception(error);
  }
  if (std::find(finished.begin(), finished.end(), 0) != finished.end()) throw Stopped();
  return results;
}

std::vector<RunSummary> run_replicates(const Config& config, int replicates, int threads,
                                       const std::function<void(int, int)>& on_progress,
                                       const std::atomic<bool>* stop) {
  ReplicateOptions options;
  options.threads = threads;
  options.on_progress = on_progress;
  options.stop = stop;
  return run_replicates(config, replicates, options);
}

}  // namespace mercato::experiment
