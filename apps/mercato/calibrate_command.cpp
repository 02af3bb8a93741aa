#include "calibrate_command.hpp"

#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>

#include <fmt/format.h>

#include "commands.hpp"
#include "every_rank.hpp"
#include "mercato/experiment/calibration.hpp"
#include "mercato/experiment/replicates.hpp"

namespace mercato::cli {

namespace fs = std::filesystem;
using experiment::Distributed;

namespace {

void print_fit(const scenario::Calibration& c, const experiment::CalibrationResult& r) {
  const auto& best = r.trace[static_cast<std::size_t>(r.best)];
  fmt::print("best: evaluation {} of {}, loss {:.4g} ({})\n", best.index, r.trace.size(), best.loss,
             r.status);
  for (std::size_t j = 0; j < c.parameters.size(); ++j)
    fmt::print("  {:<44} {:>12.5g}   [{}, {}]{}\n", c.parameters[j].key, best.values[j],
               c.parameters[j].low, c.parameters[j].high, c.parameters[j].log ? " log" : "");
  fmt::print("  {:<34} {:>10} {:>21} {:>10} {:>21} {:>8}\n", "target", "data", "data range",
             "model", "model 95%", "loss");
  for (const auto& f : r.fit) {
    const auto& t = f.target;
    fmt::print("  {:<34} {:>10.4g} {:>21} {:>10.4g} {:>21} {:>8.3g}{}\n", t.measure, t.value,
               t.has_range ? fmt::format("[{:.4g}, {:.4g}]", t.low, t.high) : "", f.mean,
               std::isnan(f.low) ? "" : fmt::format("[{:.4g}, {:.4g}]", f.low, f.high),
               f.contribution, t.has_range && !f.within ? "  outside" : "");
  }
}

void print_plan(const scenario::Calibration& c, const experiment::CalibrationOptions& options,
                const fs::path& dir) {
  const std::string how =
      c.optimiser == scenario::Optimiser::none
          ? std::string("one evaluation at the parameters' starts")
          : fmt::format("{} with a budget of {}", scenario::to_string(c.optimiser), c.budget);
  fmt::print(
      "calibrate {}: {} parameter{}, {} target{}, {} replicate{} per evaluation, {}, {} "
      "thread{}{} -> {}\n",
      c.name, c.parameters.size(), c.parameters.size() == 1 ? "" : "s", c.targets.size(),
      c.targets.size() == 1 ? "" : "s", c.replicates, c.replicates == 1 ? "" : "s", how,
      options.threads, options.threads == 1 ? "" : "s",
      Distributed::size() > 1 ? fmt::format(" on each of {} ranks", Distributed::size()) : "",
      dir.string());
  std::fflush(stdout);
}

}  // namespace

int calibrate_command(const CalibrateArgs& args) {
  const scenario::Calibration c = load_on_every_rank(
      [&] {
        scenario::Calibration loaded = experiment::load_calibration(args.file);
        if (args.evaluate) {
          loaded.optimiser = scenario::Optimiser::none;
          loaded.budget = 1;
        }
        if (args.replicates) loaded.replicates = *args.replicates;
        std::vector<scenario::Override> sets;
        for (const std::string& s : args.sets) sets.push_back(scenario::parse_override(s));
        scenario::apply_command_line_sets(loaded, sets);
        return loaded;
      },
      "the calibration");
  const fs::path dir = args.output.empty()
                           ? fs::path("runs") / (file_name_part(c.name) + "-calibration")
                           : fs::path(args.output);
  experiment::CalibrationOptions options;
  options.threads = args.threads.value_or(default_threads());
  options.force = args.force;
  options.stop = &interrupt_flag();
  // Under mpirun only rank 0 prints: the other ranks run replicates for it.
  const bool root = Distributed::rank() == 0;
  const bool terminal = root && !args.quiet && ::isatty(STDERR_FILENO) == 1;
  bool drawn = false;
  options.on_progress = [&](const experiment::CalibrationProgress& p) {
    if (!terminal) return;
    const int run = p.evaluations - p.replayed;
    fmt::print(stderr, "\r\033[K  evaluation {}/{}{}: loss {:.4g}, best {:.4g}{}", p.evaluations,
               p.budget, p.replayed > 0 ? fmt::format(" ({} from the journal)", p.replayed) : "",
               p.loss, p.best_loss,
               run > 0 ? fmt::format(", {:.1f} s per evaluation", p.seconds / run) : "");
    drawn = true;
  };
  if (root && !args.quiet) print_plan(c, options, dir);
  experiment::CalibrationResult r;
  try {
    r = experiment::run_calibration(c, dir, options);
  } catch (const experiment::Stopped&) {
    if (drawn) fmt::print(stderr, "\r\033[K");
    throw Interrupted(
        fmt::format("interrupted; the evaluations done are in {}; run the same command again "
                    "to continue",
                    (dir / "journal.csv").string()));
  }
  if (!root) return 0;
  if (drawn) fmt::print(stderr, "\r\033[K");
  if (!args.quiet) {
    if (r.replayed > 0) fmt::print("  {} evaluations replayed from the journal\n", r.replayed);
    const int run = static_cast<int>(r.trace.size()) - r.replayed;
    if (run > 0)
      fmt::print("  {} evaluation{} in {:.1f} s ({:.1f} s each)\n", run, run == 1 ? "" : "s",
                 r.seconds, r.seconds / run);
    print_fit(c, r);
    fmt::print("outputs: {} (", dir.string());
    for (std::size_t i = 0; i < r.files.size(); ++i)
      fmt::print("{}{}", i == 0 ? "" : ", ", r.files[i]);
    fmt::print("; docs/calibration.md)\n");
  }
  return 0;
}

}  // namespace mercato::cli
