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

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "io/atomic_file.hpp"
#include "mercato/experiment/measures.hpp"
#include "mercato/experiment/replicates.hpp"
#include "mercato/experiment/statistics.hpp"
#include "mercato/io/outputs.hpp"

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

// Runs the replicates of one candidate and returns each target's measure per replicate.
std::vector<std::vector<double>> measure_candidate(const Calibration& c,
                                                   const std::vector<double>& values,
                                                   const CalibrationOptions& options) {
  const Config config = scenario::load(c.scenario_file, scenario::candidate_overrides(c, values));
  std::vector<Measures> measures(static_cast<std::size_t>(c.replicates));
  ReplicateOptions ro;
  ro.threads = std::max(1, std::min(options.threads, c.replicates));
  ro.stop = options.stop;
  const std::vector<int> headquarters = headquarters_of(config);
  ro.observers = [&measures, &headquarters](int r) {
    std::vector<std::unique_ptr<Observer>> out;
    out.push_back(record_measures(measures[static_cast<std::size_t>(r)], headquarters));
    return out;
  };
  run_replicates(config, c.replicates, ro);
  std::vector<std::vector<double>> out;
  for (const auto& t : c.targets) {
    std::vector<double> per_replicate;
    for (const auto& m : measures) {
      const auto it = m.find(t.measure);
      per_replicate.push_back(it == m.end() ? kNaN : it->second);
    }
    out.push_back(std::move(per_replicate));
  }
  return out;
}

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
  const std::uint64_t fingerprint = fnv1a(scenario::calibration_fingerprint(c));
  const fs::path journal_path = dir / kJournal;
  Journal journal(journal_path, c, fingerprint);
  std::vector<JournalEntry> cached;
  std::error_code ec;
  if (fs::exists(journal_path, ec) && !options.force) {
    cached = journal.read();
  } else {
    if (options.force) fs::remove(journal_path, ec);
    io::prepare_output_folder(dir, options.force);
  }
  journal.open(cached);

  const std::size_t n = c.parameters.size();
  CalibrationResult result;
  std::exception_ptr failure;
  int run_here = 0;
  const auto started = std::chrono::steady_clock::now();
  double best_loss = std::numeric_limits<double>::infinity();
  nlopt::opt opt(algorithm_of(c.optimiser), static_cast<unsigned>(n));

  auto objective = [&](const std::vector<double>& u) -> double {
    const auto k = static_cast<std::size_t>(result.trace.size());
    JournalEntry entry;
    entry.units = u;
    if (k < cached.size()) {
      if (cached[k].units != u)
        throw Error(fmt::format(
            "the journal in '{}' does not follow this optimiser's path at evaluation {}; use "
            "--force to start over",
            dir.string(), k));
      entry = cached[k];
      ++result.replayed;
    } else {
      if ((options.stop_after > 0 && run_here >= options.stop_after) ||
          (options.stop != nullptr && options.stop->load()))
        throw Stopped();
      entry.evaluation.index = static_cast<int>(k);
      for (std::size_t j = 0; j < n; ++j)
        entry.evaluation.values.push_back(value_of(c.parameters[j], u[j]));
      entry.evaluation.measures = measure_candidate(c, entry.evaluation.values, options);
      entry.evaluation.loss = loss_of(fit_targets(c.targets, entry.evaluation.measures));
      journal.append(entry);
      ++run_here;
    }
    result.trace.push_back(entry.evaluation);
    best_loss = std::min(best_loss, entry.evaluation.loss);
    if (options.on_progress) {
      CalibrationProgress p;
      p.evaluations = static_cast<int>(result.trace.size());
      p.replayed = result.replayed;
      p.budget = c.budget;
      p.loss = entry.evaluation.loss;
      p.best_loss = best_loss;
      p.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
      options.on_progress(p);
    }
    return entry.evaluation.loss;
  };

  std::vector<double> x(n);
  for (std::size_t j = 0; j < n; ++j) {
    const auto& p = c.parameters[j];
    x[j] = p.start ? unit_of(p, *p.start) : 0.5;
  }
  opt.set_lower_bounds(std::vector<double>(n, 0.0));
  opt.set_upper_bounds(std::vector<double>(n, 1.0));
  opt.set_maxeval(c.budget);
  opt.set_xtol_abs(1e-4);
  opt.set_initial_step(0.2);
  // The C++ wrapper turns exceptions into a forced stop; keep ours to rethrow them as they were.
  std::function<double(const std::vector<double>&)> guarded = [&](const std::vector<double>& u) {
    try {
      return objective(u);
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
  if (result.trace.empty()) throw Error("the optimiser ended before its first evaluation");
  result.seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  switch (status) {
    case nlopt::MAXEVAL_REACHED:
      result.status = "the budget of evaluations was spent";
      break;
    case nlopt::XTOL_REACHED:
      result.status = "converged (parameters moved less than 1e-4 of their ranges)";
      break;
    case nlopt::FTOL_REACHED:
      result.status = "converged (the loss changed less than its tolerance)";
      break;
    case nlopt::ROUNDOFF_LIMITED:
      result.status = "stopped by round-off (the loss is noisy at this scale)";
      break;
    default:
      result.status = fmt::format("the optimiser ended with status {}", static_cast<int>(status));
  }
  for (std::size_t k = 1; k < result.trace.size(); ++k)
    if (result.trace[k].loss < result.trace[static_cast<std::size_t>(result.best)].loss)
      result.best = static_cast<int>(k);
  const auto& winner = result.trace[static_cast<std::size_t>(result.best)];
  result.fit = fit_targets(c.targets, winner.measures);

  // Every file complete under its temporary name before any is renamed would need them open at
  // once; each is small, so they are written one by one, each atomically.
  const fs::path base = fs::absolute(c.scenario_file).lexically_normal();
  const std::string extends = fs::relative(base, fs::absolute(dir)).generic_string();
  write_file(dir / "best.yaml",
             scenario::calibrated_scenario_yaml(
                 c, winner.values, extends,
                 fmt::format("Written by mercato calibrate {}: evaluation {} of {}, loss {:.6g}.\n"
                             "The base scenario with the calibrated parameters; the fit is in "
                             "targets.csv beside this file.",
                             c.file, winner.index, result.trace.size(), winner.loss)));
  write_file(dir / "targets.csv", targets_csv(result.fit));
  write_file(dir / "trace.csv", trace_csv(c, result.trace));
  write_file(dir / "report.md", report_md(c, result));
  result.files = {"best.yaml", "targets.csv", "trace.csv", "report.md", kJournal};
  return result;
}

}  // namespace mercato::experiment
