#include "mercato/experiment/calibration.hpp"

#include <unistd.h>
#include <nlopt.hpp>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <fstream>
#include <limits>
#include <sstream>
#include <thread>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "io/atomic_file.hpp"
#include "mercato/experiment/measures.hpp"
#include "mercato/experiment/replicates.hpp"
#include "mercato/experiment/statistics.hpp"
#include "mercato/experiment/sweep.hpp"
#include "mercato/io/outputs.hpp"
#include "mpi_channel.hpp"

namespace mercato::experiment {

namespace fs = std::filesystem;
using scenario::Calibration;
using scenario::CalibrationTarget;

namespace {

constexpr const char* kJournal = "journal.csv";
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
// A target no replicate could measure (no graduate of a region hired) costs as much as a model
// mean 10 scales away from the data.
constexpr double kMissingPenalty = 100.0;

std::string number(double x) {
  return std::isnan(x) ? "" : fmt::format("{}", x == 0 ? 0.0 : x);
}

// The optimiser searches the unit cube; a parameter is affine in u, or log-affine with `log`.
double value_of(const scenario::CalibrationParameter& p, double u) {
  if (p.log) return std::exp(std::log(p.low) + u * (std::log(p.high) - std::log(p.low)));
  return p.low + u * (p.high - p.low);
}
double unit_of(const scenario::CalibrationParameter& p, double v) {
  if (p.log) return (std::log(v) - std::log(p.low)) / (std::log(p.high) - std::log(p.low));
  return (v - p.low) / (p.high - p.low);
}

std::uint64_t fnv1a(const std::string& text) {
  std::uint64_t h = 1469598103934665603ull;
  for (const unsigned char ch : text) {
    h ^= ch;
    h *= 1099511628211ull;
  }
  return h;
}

nlopt::algorithm algorithm_of(scenario::Optimiser o) {
  switch (o) {
    case scenario::Optimiser::bobyqa:
      return nlopt::LN_BOBYQA;
    case scenario::Optimiser::nelder_mead:
      return nlopt::LN_NELDERMEAD;
    case scenario::Optimiser::crs2:
      return nlopt::GN_CRS2_LM;
    case scenario::Optimiser::isres:
      return nlopt::GN_ISRES;
    case scenario::Optimiser::none:
      break;  // no NLopt algorithm: optimise() evaluates the starts
  }
  return nlopt::LN_BOBYQA;
}

// One line per evaluation: index, loss, the unit coordinates, the values, then each target's
// measure per replicate. Numbers are written as the shortest text that reads back exactly, so a
// replayed loss is the same double the optimiser saw the first time.
struct JournalEntry {
  std::vector<double> units;
  CalibrationEvaluation evaluation;
};

std::vector<double> split_numbers(const std::string& line) {
  std::vector<double> out;
  std::size_t from = 0;
  while (true) {
    const std::size_t comma = line.find(',', from);
    const std::string cell = line.substr(from, comma - from);
    out.push_back(cell.empty() ? kNaN : std::strtod(cell.c_str(), nullptr));
    if (comma == std::string::npos) break;
    from = comma + 1;
  }
  return out;
}

class Journal {
 public:
  Journal(const fs::path& path, const Calibration& c, std::uint64_t fingerprint)
      : path_(path), c_(c), fingerprint_(fingerprint) {}
  ~Journal() {
    if (file_ != nullptr) std::fclose(file_);
  }
  Journal(const Journal&) = delete;
  Journal& operator=(const Journal&) = delete;

  // The entries of an existing journal of this calibration; throws UsageError when it is
  // another calibration's. A last line cut short by a kill is dropped.
  std::vector<JournalEntry> read() const {
    std::ifstream in(path_);
    std::string line;
    std::getline(in, line);
    if (line != first_line())
      throw UsageError(fmt::format(
          "'{}' is the journal of another calibration (the calibration file, its base "
          "scenario or the figures changed); use --force to start over or another -o folder",
          path_.string()));
    std::getline(in, line);  // column names
    std::vector<JournalEntry> out;
    const std::size_t n = c_.parameters.size();
    const std::size_t columns = 2 + 2 * n + c_.targets.size() * c_.replicates;
    while (std::getline(in, line)) {
      const std::vector<double> cells = split_numbers(line);
      if (cells.size() != columns || static_cast<int>(cells[0]) != static_cast<int>(out.size()))
        break;
      JournalEntry e;
      e.evaluation.index = static_cast<int>(cells[0]);
      e.evaluation.loss = cells[1];
      e.units.assign(cells.begin() + 2, cells.begin() + 2 + static_cast<std::ptrdiff_t>(n));
      e.evaluation.values.assign(cells.begin() + 2 + static_cast<std::ptrdiff_t>(n),
                                 cells.begin() + 2 + static_cast<std::ptrdiff_t>(2 * n));
      auto at = cells.begin() + 2 + static_cast<std::ptrdiff_t>(2 * n);
      for (std::size_t t = 0; t < c_.targets.size(); ++t) {
        e.evaluation.measures.emplace_back(at, at + c_.replicates);
        at += c_.replicates;
      }
      out.push_back(std::move(e));
    }
    return out;
  }

  // Rewrites the journal with `entries` (a cut-short line removed), then appends.
  void open(const std::vector<JournalEntry>& entries) {
    file_ = std::fopen(path_.c_str(), "w");
    if (file_ == nullptr)
      throw IoError(fmt::format("cannot write '{}': {}", path_.string(), std::strerror(errno)));
    std::string head = first_line() + "\nevaluation,loss";
    for (const auto& p : c_.parameters) head += ",u:" + p.key;
    for (const auto& p : c_.parameters) head += "," + p.key;
    for (const auto& t : c_.targets)
      for (int r = 0; r < c_.replicates; ++r) head += fmt::format(",{}#{}", t.measure, r);
    put(head + "\n");
    for (const auto& e : entries) append(e);
  }

  void append(const JournalEntry& e) {
    std::string line = fmt::format("{},{}", e.evaluation.index, number(e.evaluation.loss));
    for (const double u : e.units) line += "," + number(u);
    for (const double v : e.evaluation.values) line += "," + number(v);
    for (const auto& per_target : e.evaluation.measures)
      for (const double m : per_target) line += "," + number(m);
    put(line + "\n");
  }

 private:
  std::string first_line() const {
    return fmt::format("# mercato calibration journal 1 {:016x}", fingerprint_);
  }
  void put(const std::string& text) {
    if (std::fwrite(text.data(), 1, text.size(), file_) != text.size() || std::fflush(file_) != 0 ||
        ::fsync(::fileno(file_)) != 0)
      throw IoError(fmt::format("cannot write '{}': {}", path_.string(), std::strerror(errno)));
  }

  fs::path path_;
  const Calibration& c_;
  std::uint64_t fingerprint_;
  std::FILE* file_ = nullptr;
};

// One replicate's measure of each target (NaN when the run has no such figure).
using ReplicateMeasures = std::vector<double>;

// Runs share `share` of `shares` of one candidate's replicates (replicates r with
// r % shares == share; alone, all of them) and returns the measures by replicate index, empty for
// the replicates of the other shares.
std::vector<ReplicateMeasures> measure_share(const Calibration& c,
                                             const std::vector<double>& values,
                                             const CalibrationOptions& options, int share,
                                             int shares) {
  // A rank stopped by a signal says so even when it has no replicate of this candidate.
  if (options.stop != nullptr && options.stop->load()) throw Stopped();
  std::vector<ReplicateMeasures> out(static_cast<std::size_t>(c.replicates));
  if (share >= c.replicates) return out;
  const Config config = scenario::load(c.scenario_file, scenario::candidate_overrides(c, values));
  std::vector<Measures> measures(static_cast<std::size_t>(c.replicates));
  ReplicateOptions ro;
  ro.threads = std::max(1, std::min(options.threads, c.replicates));
  ro.stop = options.stop;
  ro.share = share;
  ro.shares = shares;
  const std::vector<int> headquarters = headquarters_of(config);
  ro.observers = [&measures, &headquarters](int r) {
    std::vector<std::unique_ptr<Observer>> out;
    out.push_back(record_measures(measures[static_cast<std::size_t>(r)], headquarters));
    return out;
  };
  run_replicates(config, c.replicates, ro);
  for (int r = share; r < c.replicates; r += shares) {
    const Measures& m = measures[static_cast<std::size_t>(r)];
    for (const auto& t : c.targets) {
      const auto it = m.find(t.measure);
      out[static_cast<std::size_t>(r)].push_back(it == m.end() ? kNaN : it->second);
    }
  }
  return out;
}

// Each target's measure per replicate, the evaluation's `measures`.
std::vector<std::vector<double>> by_target(const Calibration& c,
                                           const std::vector<ReplicateMeasures>& by_replicate) {
  std::vector<std::vector<double>> out(c.targets.size());
  for (std::size_t t = 0; t < c.targets.size(); ++t)
    for (const ReplicateMeasures& m : by_replicate) out[t].push_back(m.at(t));
  return out;
}

// Numbers as text that reads back as the same doubles (-0 and NaN included), comma-separated:
// what ranks send each other, so a rank's measures are rank 0's to the bit.
std::string exact_numbers(const std::vector<double>& numbers) {
  std::string out;
  for (std::size_t i = 0; i < numbers.size(); ++i)
    out += fmt::format("{}{}", i == 0 ? "" : ",", numbers[i]);
  return out;
}

// A rank's share of an evaluation as sent to rank 0: "r,m1,...,mT" per replicate of the share,
// or "!" and the error that stopped it.
std::string share_message(const std::vector<ReplicateMeasures>& by_replicate) {
  std::string out;
  for (std::size_t r = 0; r < by_replicate.size(); ++r)
    if (!by_replicate[r].empty()) out += fmt::format("{},{}\n", r, exact_numbers(by_replicate[r]));
  return out;
}

void read_share_message(const std::string& message, std::vector<ReplicateMeasures>& by_replicate) {
  std::istringstream in(message);
  std::string line;
  while (std::getline(in, line)) {
    const std::vector<double> cells = split_numbers(line);
    by_replicate.at(static_cast<std::size_t>(cells.at(0))).assign(cells.begin() + 1, cells.end());
  }
}

// A rank other than 0 under mpirun: runs its share of each candidate rank 0 sends and sends
// back the measures (or that it was stopped, or its error), until rank 0 has no more.
void serve_replicates(const Calibration& c, const CalibrationOptions& options) {
  MpiChannel channel;
  const int rank = Distributed::rank(), ranks = Distributed::size();
  for (;;) {
    for (MpiChannel::Message& m : channel.poll()) {
      if (m.kind != MpiChannel::Kind::assign) continue;
      if (m.run < 0) return;
      try {
        const std::vector<double> values = split_numbers(m.payload);
        channel.send_result(false, share_message(measure_share(c, values, options, rank, ranks)));
      } catch (const Stopped&) {
        channel.send_result(true, std::string());
      } catch (const std::exception& e) {
        channel.send_result(false, std::string("!") + e.what());
      } catch (...) {
        channel.send_result(false, "!unexpected failure");
      }
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
}

// Rank 0's side of the other ranks (none when alone): every candidate's replicates are shared
// out, share k of K to rank k, rank 0's share run here. When rank 0's calibration ends, however
// it ends, the others are told there are no more candidates.
class ReplicateRanks {
 public:
  ReplicateRanks() = default;
  ~ReplicateRanks() {
    for (int rank = 1; rank < Distributed::size(); ++rank) channel_.assign(rank, -1);
  }
  ReplicateRanks(const ReplicateRanks&) = delete;
  ReplicateRanks& operator=(const ReplicateRanks&) = delete;

  // Each target's measure per replicate of candidate `values` (evaluation `index`).
  std::vector<std::vector<double>> measure(const Calibration& c, int index,
                                           const std::vector<double>& values,
                                           const CalibrationOptions& options) {
    const int ranks = Distributed::size();
    for (int rank = 1; rank < ranks; ++rank) channel_.assign(rank, index, exact_numbers(values));
    std::vector<ReplicateMeasures> by_replicate(static_cast<std::size_t>(c.replicates));
    std::exception_ptr failure;
    try {
      by_replicate = measure_share(c, values, options, 0, ranks);
    } catch (...) {
      failure = std::current_exception();
    }
    // Every rank's answer is read, even after a failure here, so none is left unread.
    const std::exception_ptr remote_failure = collect(ranks - 1, by_replicate);
    if (failure) std::rethrow_exception(failure);
    if (remote_failure) std::rethrow_exception(remote_failure);
    return by_target(c, by_replicate);
  }

 private:
  // Waits for `ranks` answers; the first failure among them to arrive (a rank stopped, or its
  // error), if any.
  std::exception_ptr collect(int ranks, std::vector<ReplicateMeasures>& by_replicate) {
    std::exception_ptr failure;
    while (ranks > 0) {
      for (MpiChannel::Message& m : channel_.poll()) {
        if (m.kind != MpiChannel::Kind::result) continue;
        --ranks;
        if (m.abandoned) {
          if (!failure) failure = std::make_exception_ptr(Stopped());
        } else if (m.payload.starts_with('!')) {
          if (!failure)
            failure = std::make_exception_ptr(
                Error(fmt::format("rank {}: {}", m.rank, m.payload.substr(1))));
        } else {
          read_share_message(m.payload, by_replicate);
        }
      }
      if (ranks > 0) std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
    return failure;
  }

  MpiChannel channel_;
};

void write_file(const fs::path& path, const std::string& text) {
  io::AtomicFile file(path);
  file.write(text);
  file.commit();
}

std::string targets_csv(const std::vector<TargetFit>& fit) {
  std::string out =
      "target,figure,data,data_low,data_high,model_mean,model_low,model_high,within,weight,"
      "contribution\n";
  for (const auto& f : fit) {
    const auto& t = f.target;
    out += fmt::format("{},{},{},{},{},{},{},{},{},{},{}\n", t.measure, t.figure, number(t.value),
                       t.has_range ? number(t.low) : "", t.has_range ? number(t.high) : "",
                       number(f.mean), number(f.low), number(f.high), f.within ? 1 : 0,
                       number(t.weight), number(f.contribution));
  }
  return out;
}

std::string trace_csv(const Calibration& c, const std::vector<CalibrationEvaluation>& trace) {
  std::string out = "evaluation";
  for (const auto& p : c.parameters) out += "," + p.key;
  out += ",loss\n";
  for (const auto& e : trace) {
    out += std::to_string(e.index);
    for (const double v : e.values) out += "," + number(v);
    out += "," + number(e.loss) + "\n";
  }
  return out;
}

std::string report_md(const Calibration& c, const CalibrationResult& r) {
  const auto& best = r.trace[static_cast<std::size_t>(r.best)];
  std::string out = fmt::format("# Calibration {}\n\n", c.name);
  if (!c.description.empty()) out += c.description + "\n\n";
  out += fmt::format(
      "Base scenario `{}`; {} evaluations of {} replicates ({} optimiser, budget {}); {}.\n\n",
      c.scenario_as_written, r.trace.size(), c.replicates, scenario::to_string(c.optimiser),
      c.budget, r.status);
  out += fmt::format(
      "Best: evaluation {}, loss {:.4g}.\n\n| parameter | range | best |\n|---|---|---|\n",
      best.index, best.loss);
  for (std::size_t j = 0; j < c.parameters.size(); ++j) {
    const auto& p = c.parameters[j];
    out += fmt::format("| `{}` | [{}, {}]{} | {:.4g} |\n", p.key, p.low, p.high,
                       p.log ? " log" : "", best.values[j]);
  }
  out += "\n| target | data | data range | model mean | model 95% | within | contribution |\n";
  out += "|---|---|---|---|---|---|---|\n";
  int within = 0, ranged = 0;
  for (const auto& f : r.fit) {
    const auto& t = f.target;
    out += fmt::format("| `{}` | {:.4g} | {} | {:.4g} | [{:.4g}, {:.4g}] | {} | {:.3g} |\n",
                       t.measure, t.value,
                       t.has_range ? fmt::format("[{:.4g}, {:.4g}]", t.low, t.high) : "", f.mean,
                       f.low, f.high, t.has_range ? (f.within ? "yes" : "no") : "", f.contribution);
    within += f.within ? 1 : 0;
    ranged += t.has_range ? 1 : 0;
  }
  out += fmt::format("\n{} of {} targets with a range have their model mean within it.\n", within,
                     ranged);
  return out;
}

// How the optimiser ended, in words (report.md).
std::string optimiser_ending(nlopt::result status) {
  switch (status) {
    case nlopt::MAXEVAL_REACHED:
      return "the budget of evaluations was spent";
    case nlopt::XTOL_REACHED:
      return "converged (parameters moved less than 1e-4 of their ranges)";
    case nlopt::FTOL_REACHED:
      return "converged (the loss changed less than its tolerance)";
    case nlopt::ROUNDOFF_LIMITED:
      return "stopped by round-off (the loss is noisy at this scale)";
    case nlopt::SUCCESS:
      return "converged (the optimiser's own stopping test, e.g. BOBYQA's trust region at its "
             "smallest)";
    default:
      return fmt::format("the optimiser ended with status {}", static_cast<int>(status));
  }
}

// best.yaml, targets.csv, trace.csv and report.md of a finished calibration.
void write_outputs(const Calibration& c, const fs::path& dir, CalibrationResult& r) {
  const auto& best = r.trace[static_cast<std::size_t>(r.best)];
  // Every file complete under its temporary name before any is renamed would need them open at
  // once; each is small, so they are written one by one, each atomically.
  const fs::path base = fs::absolute(c.scenario_file).lexically_normal();
  const std::string extends = fs::relative(base, fs::absolute(dir)).generic_string();
  write_file(dir / "best.yaml",
             scenario::calibrated_scenario_yaml(
                 c, best.values, extends,
                 fmt::format("Written by mercato calibrate {}: evaluation {} of {}, loss {:.6g}.\n"
                             "The base scenario with the calibrated parameters; the fit is in "
                             "targets.csv beside this file.",
                             c.file, best.index, r.trace.size(), best.loss)));
  write_file(dir / "targets.csv", targets_csv(r.fit));
  write_file(dir / "trace.csv", trace_csv(c, r.trace));
  write_file(dir / "report.md", report_md(c, r));
  r.files = {"best.yaml", "targets.csv", "trace.csv", "report.md", kJournal};
}

// The journal of an earlier start of this calibration in `dir`, rewritten and open for
// appending; or a new one, in a folder checked to hold nothing else (unless `force`).
std::vector<JournalEntry> open_journal(Journal& journal, const fs::path& dir,
                                       const CalibrationOptions& options) {
  const fs::path path = dir / kJournal;
  std::vector<JournalEntry> cached;
  std::error_code ec;
  if (fs::exists(path, ec) && !options.force) {
    cached = journal.read();
  } else {
    if (options.force) fs::remove(path, ec);
    io::prepare_output_folder(dir, options.force);
  }
  journal.open(cached);
  return cached;
}

// The optimiser's objective. Each point it asks for is answered from the journal of an earlier
// start while that holds one, else evaluated (over the ranks under mpirun) and appended to the
// journal; either way it goes into the trace.
class Evaluations {
 public:
  Evaluations(const Calibration& c, const fs::path& dir, const CalibrationOptions& options,
              Journal& journal, std::vector<JournalEntry> cached, CalibrationResult& result)
      : c_(c),
        dir_(dir),
        options_(options),
        journal_(journal),
        cached_(std::move(cached)),
        result_(result) {}

  // The loss at `u`, a point of the unit cube.
  double loss_at(const std::vector<double>& u) {
    const std::size_t k = result_.trace.size();
    const JournalEntry entry = k < cached_.size() ? replay(k, u) : evaluate(k, u);
    result_.trace.push_back(entry.evaluation);
    best_loss_ = std::min(best_loss_, entry.evaluation.loss);
    report_progress(entry.evaluation.loss);
    return entry.evaluation.loss;
  }

  double seconds() const {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - started_).count();
  }

 private:
  JournalEntry replay(std::size_t k, const std::vector<double>& u) {
    if (cached_[k].units != u)
      throw Error(fmt::format(
          "the journal in '{}' does not follow this optimiser's path at evaluation {}; use "
          "--force to start over",
          dir_.string(), k));
    ++result_.replayed;
    return cached_[k];
  }

  JournalEntry evaluate(std::size_t k, const std::vector<double>& u) {
    if ((options_.stop_after > 0 && run_here_ >= options_.stop_after) ||
        (options_.stop != nullptr && options_.stop->load()))
      throw Stopped();
    JournalEntry entry;
    entry.units = u;
    entry.evaluation.index = static_cast<int>(k);
    for (std::size_t j = 0; j < u.size(); ++j)
      entry.evaluation.values.push_back(value_of(c_.parameters[j], u[j]));
    entry.evaluation.measures =
        ranks_.measure(c_, entry.evaluation.index, entry.evaluation.values, options_);
    entry.evaluation.loss = loss_of(fit_targets(c_.targets, entry.evaluation.measures));
    journal_.append(entry);
    ++run_here_;
    return entry;
  }

  void report_progress(double loss) const {
    if (!options_.on_progress) return;
    CalibrationProgress p;
    p.evaluations = static_cast<int>(result_.trace.size());
    p.replayed = result_.replayed;
    p.budget = c_.budget;
    p.loss = loss;
    p.best_loss = best_loss_;
    p.seconds = seconds();
    options_.on_progress(p);
  }

  const Calibration& c_;
  const fs::path& dir_;
  const CalibrationOptions& options_;
  Journal& journal_;
  const std::vector<JournalEntry> cached_;
  CalibrationResult& result_;
  ReplicateRanks ranks_;
  int run_here_ = 0;  // evaluations run (not replayed) by this start
  double best_loss_ = std::numeric_limits<double>::infinity();
  const std::chrono::steady_clock::time_point started_ = std::chrono::steady_clock::now();
};

// Runs the NLopt optimiser over the unit cube from the parameters' starts, each loss from
// `evaluations`, and returns how it ended; rethrows what an evaluation threw (Stopped on
// Ctrl-C).
nlopt::result optimise(const Calibration& c, Evaluations& evaluations) {
  const std::size_t n = c.parameters.size();
  std::vector<double> x(n);
  for (std::size_t j = 0; j < n; ++j) {
    const auto& p = c.parameters[j];
    x[j] = p.start ? unit_of(p, *p.start) : 0.5;
  }
  if (c.optimiser == scenario::Optimiser::none) {
    evaluations.loss_at(x);
    return nlopt::SUCCESS;
  }
  nlopt::opt opt(algorithm_of(c.optimiser), static_cast<unsigned>(n));
  opt.set_lower_bounds(std::vector<double>(n, 0.0));
  opt.set_upper_bounds(std::vector<double>(n, 1.0));
  opt.set_maxeval(c.budget);
  opt.set_xtol_abs(1e-4);
  opt.set_initial_step(0.2);
  // The C++ wrapper turns exceptions into a forced stop; keep ours to rethrow them as they were.
  std::exception_ptr failure;
  std::function<double(const std::vector<double>&)> guarded = [&](const std::vector<double>& u) {
    try {
      return evaluations.loss_at(u);
    } catch (...) {
      failure = std::current_exception();
      opt.force_stop();
      return std::numeric_limits<double>::infinity();
    }
  };
  opt.set_min_objective(
      [](const std::vector<double>& u, std::vector<double>&, void* data) -> double {
        return (*static_cast<std::function<double(const std::vector<double>&)>*>(data))(u);
      },
      &guarded);
  // CRS2 and ISRES draw random points: seeded from the calibration's seed, so a replay follows
  // the same path.
  nlopt::srand(c.seed.value_or(1));
  double best = 0;
  nlopt::result status = nlopt::FAILURE;
  try {
    status = opt.optimize(x, best);
  } catch (const nlopt::forced_stop&) {
  } catch (const std::invalid_argument& e) {
    if (!failure)
      throw UsageError(
          fmt::format("the {} optimiser refuses this problem ({}); with one "
                      "parameter, use nelder_mead",
                      scenario::to_string(c.optimiser), e.what()));
  } catch (const nlopt::roundoff_limited&) {
    status = nlopt::ROUNDOFF_LIMITED;
  }
  if (failure) std::rethrow_exception(failure);
  return status;
}

}  // namespace

std::vector<TargetFit> fit_targets(const std::vector<CalibrationTarget>& targets,
                                   const std::vector<std::vector<double>>& measures) {
  std::vector<TargetFit> out;
  for (std::size_t i = 0; i < targets.size(); ++i) {
    TargetFit f;
    f.target = targets[i];
    std::vector<double> present;
    for (const double m : measures[i])
      if (!std::isnan(m)) present.push_back(m);
    if (present.empty()) {
      f.mean = f.low = f.high = kNaN;
      f.contribution = f.target.weight * kMissingPenalty;
    } else {
      const MeanEstimate e = estimate_mean(present);
      f.mean = e.mean;
      f.low = e.low;
      f.high = e.high;
      const double z = (f.mean - f.target.value) / f.target.scale();
      f.contribution = f.target.weight * z * z;
      f.within = f.target.has_range && f.mean >= f.target.low && f.mean <= f.target.high;
    }
    out.push_back(std::move(f));
  }
  return out;
}

double loss_of(const std::vector<TargetFit>& fit) {
  double sum = 0;
  for (const auto& f : fit) sum += f.contribution;
  return sum;
}

scenario::Calibration load_calibration(const std::string& path) {
  return scenario::load_calibration(path, [](const Config& config) {
    std::vector<std::string> regions, groups;
    for (const auto& r : config.regions) regions.push_back(r.id);
    for (const auto& g : config.groups) groups.push_back(g.id);
    return measure_keys(regions, groups);
  });
}

CalibrationResult run_calibration(const Calibration& c, const fs::path& dir,
                                  const CalibrationOptions& options) {
  if (Distributed::rank() != 0) {
    // Rank 0 says whether its output folder and journal are ready; then this rank serves it.
    if (MpiChannel::broadcast_go(false)) serve_replicates(c, options);
    return {};
  }
  Journal journal(dir / kJournal, c, fnv1a(scenario::calibration_fingerprint(c)));
  std::vector<JournalEntry> cached;
  try {
    cached = open_journal(journal, dir, options);
  } catch (...) {
    MpiChannel::broadcast_go(false);
    throw;
  }
  MpiChannel::broadcast_go(true);

  CalibrationResult result;
  Evaluations evaluations(c, dir, options, journal, std::move(cached), result);
  const nlopt::result status = optimise(c, evaluations);
  if (result.trace.empty()) throw Error("the optimiser ended before its first evaluation");
  result.seconds = evaluations.seconds();
  result.status = c.optimiser == scenario::Optimiser::none
                      ? "one evaluation at the parameters' starts (optimiser none)"
                      : optimiser_ending(status);
  for (std::size_t k = 1; k < result.trace.size(); ++k)
    if (result.trace[k].loss < result.trace[static_cast<std::size_t>(result.best)].loss)
      result.best = static_cast<int>(k);
  result.fit = fit_targets(c.targets, result.trace[static_cast<std::size_t>(result.best)].measures);
  write_outputs(c, dir, result);
  return result;
}

}  // namespace mercato::experiment
