// `mercato calibrate` (docs/calibration.md): an NLopt derivative-free optimiser over the free
// parameters of a calibration file, each candidate evaluated by replicates run in parallel on
// threads (common random numbers: replicate r has the same seed for every candidate), its loss
// the weighted sum of squared, scaled deviations of the replicate means from the targets.
// Every evaluation is appended to a journal (fsynced) in the output folder; running the same
// calibration again replays the journal into the optimiser, which is deterministic, so a stopped
// calibration ends where an uninterrupted one would. Under mpirun, rank 0 runs the optimiser and
// writes every file; each candidate's replicates are shared over the ranks (replicate r on rank
// r % ranks), and the others send their measures back, so the files are the same bytes.
#pragma once

#include <atomic>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "mercato/scenario/calibration.hpp"

namespace mercato::experiment {

struct CalibrationEvaluation {
  int index = 0;               // 0-based, in the optimiser's order
  std::vector<double> values;  // parameter values, as run
  double loss = 0;
  // Per target, per replicate: the measure (NaN when the run has no such figure).
  std::vector<std::vector<double>> measures;
};

struct TargetFit {
  scenario::CalibrationTarget target;
  double mean = 0, low = 0, high = 0;  // model mean over replicates and its 95% interval
  double contribution = 0;             // weighted, scaled squared deviation (part of the loss)
  bool within = false;                 // mean inside the data range (false without a range)
};

struct CalibrationProgress {
  int evaluations = 0;  // done, replayed included
  int replayed = 0;     // from the journal
  int budget = 0;
  double loss = 0, best_loss = 0;
  double seconds = 0;  // this process's evaluations
};

struct CalibrationOptions {
  int threads = 1;     // replicates of an evaluation at once (in each rank under mpirun)
  bool force = false;  // start over in a folder that holds another calibration's journal
  const std::atomic<bool>* stop = nullptr;  // Ctrl-C: stop after the current evaluation's month
  // Test hook: stop (as Ctrl-C does) once this many evaluations were run in this process
  // (0: no limit).
  int stop_after = 0;
  std::function<void(const CalibrationProgress&)> on_progress;
};

struct CalibrationResult {
  std::vector<CalibrationEvaluation> trace;
  int best = 0;                // index into trace
  std::vector<TargetFit> fit;  // of the best evaluation
  int replayed = 0;
  double seconds = 0;
  std::string status;              // how the optimiser ended
  std::vector<std::string> files;  // written in the output folder
};

// The loss of one evaluation's measures and the fit of each target.
std::vector<TargetFit> fit_targets(const std::vector<scenario::CalibrationTarget>& targets,
                                   const std::vector<std::vector<double>>& measures);
double loss_of(const std::vector<TargetFit>& fit);

// Loads a calibration file with the measures of experiment/measures.hpp.
scenario::Calibration load_calibration(const std::string& path);

// Runs (or resumes) a calibration into `dir`: journal.csv as it goes, then best.yaml,
// targets.csv, trace.csv and report.md, written atomically. Throws UsageError when `dir` is not
// empty and holds no journal of this calibration (without `force`), Stopped when stopped (the
// journal stays, so the same call resumes). Under mpirun every rank calls it: on ranks other
// than 0 it runs their share of each candidate's replicates until rank 0 ends (however it ends)
// and returns an empty result.
CalibrationResult run_calibration(const scenario::Calibration& calibration,
                                  const std::filesystem::path& dir,
                                  const CalibrationOptions& options);

}  // namespace mercato::experiment
