#include "commands.hpp"

#include <unistd.h>

#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <filesystem>

#include <fmt/format.h>

#include "mercato/engine/simulation.hpp"
#include "mercato/io/checkpoint.hpp"
#include "mercato/io/outputs.hpp"
#include "mercato/scenario/scenario.hpp"
#include "progress_bar.hpp"
#include "run_report.hpp"

namespace mercato::cli {

namespace fs = std::filesystem;

namespace {

// A lock-free atomic rather than a volatile sig_atomic_t: `compare` reads it from its worker
// threads, and a lock-free atomic is both signal-safe and free of data races.
std::atomic<bool> interrupt_requested{false};
static_assert(std::atomic<bool>::is_always_lock_free);

extern "C" void on_interrupt_signal(int signal_number) {
  if (interrupt_requested.load()) {
    // A second request: the user does not want to wait for the month to end.
    std::signal(signal_number, SIG_DFL);
    std::raise(signal_number);
    return;
  }
  interrupt_requested.store(true);
}

void stop_if_interrupted() {
  if (interrupt_requested.load()) throw Interrupted();
}

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// runs/<name>.
fs::path default_output_folder(const Config& config, const std::string& scenario_path) {
  return fs::path("runs") / file_name_part(scenario_display_name(config, scenario_path));
}

}  // namespace

bool interrupt_was_requested() {
  return interrupt_requested.load();
}

const std::atomic<bool>& interrupt_flag() {
  return interrupt_requested;
}

// --seed and --months are overrides like any --set, applied last so the explicit flags win;
// going through the loader means they are validated and appear in the resolved scenario.
std::vector<scenario::Override> overrides_of(const std::vector<std::string>& sets,
                                             std::optional<std::uint64_t> seed,
                                             std::optional<int> months) {
  std::vector<scenario::Override> overrides;
  overrides.reserve(sets.size() + 2);
  for (const std::string& set : sets) overrides.push_back(scenario::parse_override(set));
  if (seed) overrides.push_back({"seed", std::to_string(*seed)});
  if (months) overrides.push_back({"months", std::to_string(*months)});
  return overrides;
}

Config load_scenario(const std::string& path, const std::vector<scenario::Override>& overrides) {
  // Checked here so a typo in the path gets a message about the path, not about YAML.
  std::error_code error;
  if (!fs::exists(path, error)) {
    throw IoError(fmt::format("scenario file {} does not exist", path));
  }
  if (fs::is_directory(path, error)) {
    throw IoError(fmt::format("scenario file {} is a folder, not a file", path));
  }
  return scenario::load(path, overrides);
}

std::string scenario_display_name(const Config& config, const std::string& scenario_path) {
  return config.name.empty() ? fs::path(scenario_path).stem().string() : config.name;
}

std::string file_name_part(std::string name) {
  for (char& c : name) {
    const bool plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                       c == '-' || c == '_' || c == '.';
    if (!plain) c = '_';
  }
  if (name.empty() || name == "." || name == "..") name = "run";
  return name;
}

void install_interrupt_handlers() {
  for (int signal_number : {SIGINT, SIGTERM}) {
    // A signal ignored by whoever started us (`nohup`, a background job of a script) stays
    // ignored, as the shell intends.
    if (std::signal(signal_number, on_interrupt_signal) == SIG_IGN) {
      std::signal(signal_number, SIG_IGN);
    }
  }
}

std::string quoted_command_line(int argc, const char* const* argv) {
  std::string line;
  for (int i = 0; i < argc; ++i) {
    const std::string_view arg = argv[i];
    if (i > 0) line.push_back(' ');
    const bool plain = !arg.empty() && arg.find_first_not_of(
                                           "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                           "0123456789-_./=:,+@%") == std::string_view::npos;
    if (plain) {
      line.append(arg);
      continue;
    }
    line.push_back('\'');
    for (char c : arg) {
      if (c == '\'') {
        line.append("'\\''");
      } else {
        line.push_back(c);
      }
    }
    line.push_back('\'');
  }
  return line;
}

namespace {

// Runs the months left with the writer (and the checkpoints, if any) observing, then prints the
// report. After a checkpoint an interrupt says how to go on.
int run_to_the_end(Simulation& simulation, io::RunWriter& writer, io::CheckpointWriter* checkpoints,
                   ProgressBar& progress, bool quiet) {
  std::vector<Observer*> observers = {&writer};
  if (checkpoints != nullptr) observers.push_back(checkpoints);
  RunSummary summary;
  try {
    summary = run_simulation(simulation, observers, [&progress](int done, int total) {
      progress.update(done, total);
      // After the last month the outputs may already be complete; keep them.
      if (done < total) stop_if_interrupted();
    });
  } catch (const Interrupted&) {
    if (checkpoints == nullptr || checkpoints->last_month() == 0) throw;
    progress.clear();
    throw Interrupted(fmt::format(
        "interrupted; the run is saved at month {} in {}: `mercato resume {}` goes on from there",
        checkpoints->last_month(), checkpoints->file().string(), writer.folder().string()));
  }
  progress.clear();

  if (!quiet) {
    const std::string report = run_report(simulation.world(), summary,
                                          ReportContext{writer.folder(), writer.file_names()});
    std::fputs(report.c_str(), stdout);
  }
  return 0;
}

}  // namespace

int run_command(const RunArgs& args) {
  const bool on_terminal = ::isatty(STDERR_FILENO) == 1;
  ProgressBar progress(on_terminal && !args.quiet);

  const Config config =
      load_scenario(args.scenario, overrides_of(args.sets, args.seed, args.months));
  const fs::path folder =
      args.output.empty() ? default_output_folder(config, args.scenario) : fs::path(args.output);

  // The writer applies the folder policy and opens its files now, so a non-empty or unwritable
  // folder is reported before any simulation work.
  const io::RunDescription description = io::describe_run(config, args.threads, args.command_line);
  io::RunWriter writer(folder, config.outputs, description, args.force);

  progress.stage("building the world");
  const auto build_started = std::chrono::steady_clock::now();
  World world = scenario::build_world(config);
  std::vector<Event> events = scenario::build_events(config, world);
  const double build_seconds = seconds_since(build_started);
  stop_if_interrupted();

  Simulation simulation(std::move(world), scenario::simulation_options(config, args.threads),
                        std::move(events));
  if (config.model.warmup_months > 0) {
    progress.stage(fmt::format("warming up ({} months)", config.model.warmup_months));
  }
  const auto warmup_started = std::chrono::steady_clock::now();
  simulation.warm_up();
  const double warmup_seconds = seconds_since(warmup_started);
  stop_if_interrupted();

  writer.set_setup_timings(build_seconds, warmup_seconds);
  std::optional<io::CheckpointWriter> checkpoints;
  if (args.checkpoint_every) {
    checkpoints.emplace(folder / io::kCheckpointFile, simulation, writer,
                        io::CheckpointRun{description, *args.checkpoint_every, {}});
  }
  return run_to_the_end(simulation, writer, checkpoints ? &*checkpoints : nullptr, progress,
                        args.quiet);
}

int resume_command(const ResumeArgs& args) {
  const bool on_terminal = ::isatty(STDERR_FILENO) == 1;
  ProgressBar progress(on_terminal && !args.quiet);
  const fs::path folder(args.folder);
  const fs::path file = folder / io::kCheckpointFile;
  std::error_code error;
  if (!fs::is_directory(folder, error)) {
    throw IoError(fmt::format("cannot resume {}: no such folder", folder.string()));
  }
  if (!fs::exists(file, error)) {
    if (fs::exists(folder / "manifest.json", error)) {
      throw UsageError(fmt::format(
          "{} holds a complete run (manifest.json) and no checkpoint: there is nothing to resume",
          folder.string()));
    }
    throw IoError(
        fmt::format("cannot resume {}: it has no {} (a run started with "
                    "`mercato run SCENARIO -o {} --checkpoint-every MONTHS` writes one)",
                    folder.string(), io::kCheckpointFile, folder.string()));
  }

  progress.stage("reading the checkpoint");
  io::Checkpoint checkpoint = io::read_checkpoint(file);
  const io::RunDescription& description = checkpoint.run.description;
  // The checkpoint's own resolved scenario: the user repeats no flag.
  Config config;
  try {
    config = scenario::load_string(description.resolved_scenario, file.string() + " (scenario)");
  } catch (const ScenarioError& e) {
    throw IoError(
        fmt::format("{}: its scenario does not load in this mercato ({}); it was not "
                    "loaded",
                    file.string(), e.what()));
  }
  if (io::scenario_fingerprint(scenario::to_yaml(config)) != checkpoint.fingerprint) {
    throw IoError(
        fmt::format("{}: its scenario resolves differently in this mercato (fingerprint "
                    "changed); it was not loaded",
                    file.string()));
  }
  config.source_file = description.scenario_file;
  const int threads = args.threads.value_or(description.threads);
  const int months_done = checkpoint.simulation.months_run;

  std::optional<Simulation> simulation;
  try {
    io::check_world_matches(checkpoint, scenario::build_world(config), file.string());
    std::vector<Event> events = scenario::build_events(config, checkpoint.world);
    simulation.emplace(std::move(checkpoint.world), scenario::simulation_options(config, threads),
                       std::move(events), std::move(checkpoint.simulation));
  } catch (const IoError&) {
    throw;
  } catch (const Error& e) {
    throw IoError(fmt::format("{}: {}; it was not loaded", file.string(), e.what()));
  }
  io::RunWriter writer(folder, config.outputs, description, checkpoint.run.writer);
  io::CheckpointWriter checkpoints(file, *simulation, writer, checkpoint.run);
  checkpoints.set_last_month(months_done);
  progress.stage(fmt::format("resuming at month {} of {}", months_done, description.months));
  return run_to_the_end(*simulation, writer, &checkpoints, progress, args.quiet);
}

int validate_command(const ValidateArgs& args) {
  const Config config = load_scenario(args.scenario, overrides_of(args.sets, {}, {}));
  // Building the world checks what only the builder can (e.g. a pool that cannot be placed)
  // and gives the exact sizes after `scale`.
  const World world = scenario::build_world(config);
  fmt::print("{}: ok ({} regions, {} organisations, {} talents)\n", args.scenario,
             world.regions.size(), grouped(static_cast<std::int64_t>(world.orgs.size())),
             grouped(static_cast<std::int64_t>(world.talents.size())));
  return 0;
}

}  // namespace mercato::cli
