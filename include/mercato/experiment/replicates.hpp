// Replicates of one scenario (ARCHITECTURE.md, Layers: experiment): replicate r builds the
// World of replicate r (scenario::build_world), so it has its own random streams, and replicate
// r of two scenarios with the same seed shares them (common random numbers, which is what makes
// `mercato compare` pair its runs). Replicates run in parallel, each simulation on one thread,
// and results are stored by replicate index: they do not depend on the thread count.
// Ensembles and sweeps run on the same machinery.
#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <vector>

#include "mercato/core/error.hpp"
#include "mercato/engine/metrics.hpp"
#include "mercato/engine/simulation.hpp"
#include "mercato/scenario/config.hpp"

namespace mercato::experiment {

// Thrown by run_replicates when `stop` was set before every replicate had finished.
class Stopped : public Error {
 public:
  Stopped() : Error("stopped before every replicate finished") {}
};

struct ReplicateOptions {
  int threads = 1;  // worker threads; each runs whole replicates, one at a time
  // Months done over all replicates, out of replicates x months (warm-up months not counted).
  // Called from the worker threads, one call at a time, with `done` increasing.
  std::function<void(int done, int total)> on_progress;
  // When set (e.g. on Ctrl-C), the replicates stop after their current month and
  // run_replicates throws Stopped.
  const std::atomic<bool>* stop = nullptr;
  // The observers of replicate r (per-run tables of an ensemble, end-of-run headcounts for
  // compare). Called on the worker thread that runs r; they see every month of r as a single
  // run's observers would and are destroyed when r ends.
  std::function<std::vector<std::unique_ptr<Observer>>(int replicate)> observers;
  // Only the replicates r with r % shares == share run; the others are skipped and their
  // summaries left empty. Under mpirun, rank k of K runs share k of K of a calibration
  // candidate's replicates; which replicates a rank runs changes none of their results.
  int share = 0, shares = 1;
};

// Runs replicates 0..replicates-1 of `config` (those of options.share) and returns their
// summaries by replicate index. A replicate that fails makes the others stop; the error of the
// lowest-numbered failing replicate is rethrown. Throws UsageError when replicates < 1,
// threads < 1 or the share is not one of `shares`.
std::vector<RunSummary> run_replicates(const Config& config, int replicates,
                                       const ReplicateOptions& options);

std::vector<RunSummary> run_replicates(
    const Config& config, int replicates, int threads,
    const std::function<void(int done, int total)>& on_progress = {},
    const std::atomic<bool>* stop = nullptr);

}  // namespace mercato::experiment
