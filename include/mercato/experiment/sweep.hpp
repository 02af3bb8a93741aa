// Ensembles and sweeps (docs/experiments.md): every run of an experiment (parameter points x
// replicates) is simulated and stored in one SQLite database, with a CSV of aggregates per
// point. Runs are spread over this process's threads and, when the program was started by
// `mpirun`, over MPI ranks: rank 0 hands out runs and is the only writer; every rank runs its
// share on its own threads. A run's rows do not depend on where it ran. A killed experiment
// started again on the same database goes on where it stopped.
#pragma once

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <set>
#include <string>
#include <vector>

#include "mercato/io/results_db.hpp"
#include "mercato/scenario/experiment.hpp"

namespace mercato::experiment {

// Thrown by rank 0 when it fails after the other ranks started serving it (the database could
// not be written): they wait for runs that will never come, so the caller must end every rank
// (Distributed::abort).
class DistributedFailure : public Error {
 public:
  explicit DistributedFailure(const std::string& message) : Error(message) {}
};

enum class OnError : std::uint8_t { stop, continue_ };

struct SweepProgress {
  int total = 0;       // runs of the experiment
  int skipped = 0;     // finished before this start (resume)
  int done = 0;        // finished without error, this start
  int failed = 0;      // finished with an error, this start
  double seconds = 0;  // since this start
};

struct SweepOptions {
  int threads = 1;  // runs at once in this process (each run on one thread)
  OnError on_error = OnError::stop;
  // Called by the coordinating thread (rank 0's main thread) after every recorded run and at
  // least every second.
  std::function<void(const SweepProgress&)> on_progress;
  // When set (Ctrl-C), runs in progress are abandoned (redone by the next start) and no more
  // are started.
  const std::atomic<bool>* stop = nullptr;
  // Fault injection for tests: these run ids fail with an error instead of running.
  std::set<std::int64_t> fail_runs;
  // Replace an existing database instead of resuming it.
  bool replace = false;
};

struct SweepResult {
  std::filesystem::path database, aggregates;
  SweepProgress progress;
  bool stopped = false;  // by `stop` (Ctrl-C)
  bool halted = false;   // by a failure under OnError::stop
  std::int64_t first_failed_run = 0;
  std::string first_error;
  int ranks = 1;
  double talent_months = 0;  // simulated this start (warm-up excluded), for throughput
};

// The plan stored in the database: points, runs (run id = point x replicates + replicate + 1)
// and the fingerprint that a resumed experiment must match.
io::ExperimentPlan plan_of(const scenario::Experiment& experiment, const std::string& kind);

// Runs what is left of `experiment` into `database`. Under MPI, every rank calls it with the
// same arguments; rank 0 returns the result, the other ranks an empty one. Throws UsageError
// for a database of another experiment, IoError when it cannot be written.
SweepResult run_experiment(const scenario::Experiment& experiment, const std::string& kind,
                           const std::filesystem::path& database, const SweepOptions& options);

// The aggregates CSV of a database: per point and headline figure, the runs that gave a
// value, mean, sample standard deviation and 95% interval of the mean (docs/experiments.md).
std::string aggregates_csv(const io::ResultsDb& db);

// The headline figures and chosen tables of one run (no database, no MPI).
io::RunRecord execute_run(const scenario::Experiment& experiment, const Config& config,
                          const io::PlannedRun& run, const std::atomic<bool>* stop = nullptr);

// MPI, when this process was started by mpirun (the launcher's environment says so); a
// process started otherwise runs alone and never initialises MPI. Create one in main before
// anything else; it finalises MPI when destroyed.
class Distributed {
 public:
  Distributed(int& argc, char**& argv);
  ~Distributed();
  Distributed(const Distributed&) = delete;
  Distributed& operator=(const Distributed&) = delete;

  static bool active();  // MPI was initialised with more than zero ranks
  static int rank();     // 0 when alone
  static int size();     // 1 when alone
  // Whether every rank says ok; every rank must call it (alone: `ok`).
  static bool all_ok(bool ok);
  // Rank 0's `value`, on every rank; every rank must call it (alone: `value`).
  static bool from_root(bool value);
  // Ends every rank at once with `code` (after an error only this rank saw).
  [[noreturn]] static void abort(int code);
  // Whether this binary was built with MPI.
  static bool built_with_mpi();
};

}  // namespace mercato::experiment
