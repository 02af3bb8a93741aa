#include "experiment_commands.hpp"

#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <filesystem>
#include <set>
#include <sstream>
#include <thread>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "commands.hpp"
#include "every_rank.hpp"
#include "mercato/experiment/sweep.hpp"
#include "mercato/scenario/experiment.hpp"

namespace mercato::cli {

namespace fs = std::filesystem;
using experiment::Distributed;

namespace {

// MERCATO_FAIL_RUNS=3,7 makes those runs fail (docs/experiments.md, "Testing failures").
std::set<std::int64_t> injected_failures() {
  std::set<std::int64_t> out;
  const char* text = std::getenv("MERCATO_FAIL_RUNS");
  if (text == nullptr) return out;
  std::stringstream in(text);
  std::string item;
  while (std::getline(in, item, ',')) {
    if (!item.empty()) out.insert(std::stoll(item));
  }
  return out;
}

// On a terminal: one line redrawn in place.
class ExperimentProgress {
 public:
  ExperimentProgress(bool terminal, bool json) : terminal_(terminal), json_(json) {}

  void update(const experiment::SweepProgress& p) {
    const int finished = p.done + p.failed;
    const int left = p.total - p.skipped - finished;
    const double rate = p.seconds > 0 ? finished / p.seconds : 0.0;
    if (json_) {
      nlohmann::json j = {{"type", "progress"},     {"total", p.total},   {"skipped", p.skipped},
                          {"done", p.done},         {"failed", p.failed}, {"seconds", p.seconds},
                          {"runs_per_second", rate}};
      if (rate > 0) j["eta_seconds"] = left / rate;
      fmt::print("{}\n", j.dump());
      std::fflush(stdout);
      return;
    }
    if (!terminal_) return;
    std::string eta = rate > 0 && finished > 0 ? fmt::format(", ETA {:.0f} s", left / rate) : "";
    fmt::print(stderr, "\r\033[K  runs {}/{} done{}, {} failed, {:.2f} runs/s{}",
               p.skipped + finished, p.total,
               p.skipped > 0 ? fmt::format(" ({} from before)", p.skipped) : "", p.failed, rate,
               eta);
    drawn_ = true;
  }
  void clear() {
    if (drawn_) fmt::print(stderr, "\r\033[K");
    drawn_ = false;
  }

 private:
  bool terminal_, json_;
  bool drawn_ = false;
};

experiment::OnError on_error_of(const std::string& text) {
  if (text == "stop") return experiment::OnError::stop;
  if (text == "continue") return experiment::OnError::continue_;
  throw UsageError(fmt::format("--on-error must be 'stop' or 'continue' (got '{}')", text));
}

int run_and_report(const scenario::Experiment& e, const std::string& kind, const fs::path& database,
                   const ExperimentArgs& args) {
  experiment::SweepOptions options;
  options.threads = args.threads.value_or(default_threads());
  options.on_error = on_error_of(args.on_error);
  options.stop = &interrupt_flag();
  options.fail_runs = injected_failures();
  options.replace = args.force;
  const bool root = Distributed::rank() == 0;
  ExperimentProgress progress(root && !args.quiet && ::isatty(STDERR_FILENO) == 1,
                              root && args.json);
  options.on_progress = [&progress](const experiment::SweepProgress& p) { progress.update(p); };

  if (root && !args.quiet && !args.json) {
    fmt::print(
        "{} {}: {} point{} x {} replicate{} = {} runs, {} thread{}{} -> {}\n", kind, e.name,
        e.points.size(), e.points.size() == 1 ? "" : "s", e.replicates,
        e.replicates == 1 ? "" : "s", e.points.size() * static_cast<std::size_t>(e.replicates),
        options.threads, options.threads == 1 ? "" : "s",
        Distributed::size() > 1 ? fmt::format(" on each of {} ranks", Distributed::size()) : "",
        database.string());
    std::fflush(stdout);
  }
  const experiment::SweepResult r = experiment::run_experiment(e, kind, database, options);
  if (!root) return 0;
  progress.clear();
  const experiment::SweepProgress& p = r.progress;
  const int finished = p.done + p.failed;
  if (args.json) {
    nlohmann::json j = {
        {"type", "finished"},
        {"database", r.database.string()},
        {"aggregates", r.aggregates.string()},
        {"total", p.total},
        {"skipped", p.skipped},
        {"done", p.done},
        {"failed", p.failed},
        {"seconds", p.seconds},
        {"talent_months_per_second", p.seconds > 0 ? r.talent_months / p.seconds : 0},
        {"stopped", r.stopped},
        {"halted", r.halted}};
    if (r.first_failed_run != 0) {
      j["first_failed_run"] = r.first_failed_run;
      j["first_error"] = r.first_error;
    }
    fmt::print("{}\n", j.dump());
  } else if (!args.quiet) {
    if (p.skipped > 0) {
      fmt::print("  {} run{} already in the database (resumed)\n", p.skipped,
                 p.skipped == 1 ? " was" : "s were");
    }
    if (finished > 0) {
      fmt::print("  {} run{} in {:.1f} s: {:.2f} runs/s, {:.2f} M talent-months/s\n", finished,
                 finished == 1 ? "" : "s", p.seconds, finished / std::max(p.seconds, 1e-9),
                 r.talent_months / std::max(p.seconds, 1e-9) / 1e6);
    }
    fmt::print("  done {}, failed {}, left {}\n", p.done, p.failed, p.total - p.skipped - finished);
    if (r.first_failed_run != 0) {
      fmt::print("  first failure: run {}: {}\n", r.first_failed_run, r.first_error);
    }
    fmt::print("outputs: {} (SQLite, docs/experiments.md), {}\n", r.database.string(),
               r.aggregates.string());
  }
  std::fflush(stdout);
  if (r.stopped)
    throw Interrupted(
        "interrupted; finished runs are in the database; run the same "
        "command again to continue");
  if (r.halted) {
    throw Error(
        fmt::format("stopped after run {} failed (--on-error stop); run the same command "
                    "to go on with the runs left, or use --on-error continue",
                    r.first_failed_run));
  }
  if (p.failed > 0) {
    throw Error(fmt::format("{} run{} failed; see the run table's error column", p.failed,
                            p.failed == 1 ? "" : "s"));
  }
  return 0;
}

fs::path default_database(const std::string& name) {
  return fs::path("runs") / (file_name_part(name) + ".db");
}

std::string stem_of(const std::string& path) {
  return fs::path(path).stem().string();
}

}  // namespace

int ensemble_command(const ExperimentArgs& args) {
  std::vector<scenario::Override> overrides;
  for (const std::string& s : args.sets) overrides.push_back(scenario::parse_override(s));
  std::vector<std::string> keep = args.keep;
  const scenario::Experiment e = load_on_every_rank(
      [&] {
        return scenario::ensemble_experiment(args.file, overrides, args.replicates, args.seed,
                                             args.months, keep);
      },
      "the experiment");
  const fs::path database =
      args.output.empty() ? default_database(e.name + "-ensemble") : fs::path(args.output);
  return run_and_report(e, "ensemble", database, args);
}

int sweep_command(const ExperimentArgs& args) {
  const scenario::Experiment e =
      load_on_every_rank([&] { return scenario::load_experiment(args.file); }, "the experiment");
  const fs::path database = args.output.empty()
                                ? default_database(e.name.empty() ? stem_of(args.file) : e.name)
                                : fs::path(args.output);
  return run_and_report(e, "sweep", database, args);
}

}  // namespace mercato::cli
