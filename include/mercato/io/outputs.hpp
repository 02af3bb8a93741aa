// Run outputs (ARCHITECTURE.md, Outputs; docs/outputs.md): a folder of tidy CSV tables plus
// summary.json and manifest.json, written by a sink that observes the engine. The engine fills
// plain structs; only this layer turns them into text.
#pragma once

#include <array>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "mercato/core/types.hpp"
#include "mercato/engine/simulation.hpp"
#include "mercato/scenario/config.hpp"

namespace mercato::io {

// The version written into manifest.json and printed by `mercato --version`.
std::string_view mercato_version();

// Every table a run can write (`outputs.tables` in a scenario), in manifest order.
// Each is written as `<name>.csv`.
inline constexpr std::array<std::string_view, 8> kTableNames = {
    "regions", "kinds", "orgs", "flows", "moves", "origins", "market", "events"};

// How the run was made, recorded in manifest.json so it can be reproduced from its outputs.
struct RunDescription {
  std::string scenario_file;  // as given on the command line (empty when built in code)
  std::string scenario_name;
  std::uint64_t seed = 0;
  int months = 0;
  YearMonth start;
  int threads = 1;
  std::string command_line;
  std::string resolved_scenario;  // scenario::to_yaml of the Config that ran
};

// Fills a RunDescription from the Config about to run, including its fully resolved YAML.
RunDescription describe_run(const Config& config, int threads, std::string command_line);

// Wall-clock seconds of each stage, written into manifest.json.
struct RunTimings {
  double build_seconds = 0;   // scenario::build_world
  double warmup_seconds = 0;  // the warm-up months, whose metrics are discarded
  double run_seconds = 0;     // the reported months, excluding the writer's own time
  double write_seconds = 0;   // formatting and writing the outputs
};

// Where one table's temporary file stood at a checkpoint: its first `bytes` bytes (CRC-32
// `crc`) hold the header and `rows` rows. `resume` checks them and cuts off what came after.
struct TableProgress {
  std::string file;  // final name, e.g. "regions.csv"
  std::uint64_t bytes = 0;
  std::uint32_t crc = 0;
  std::int64_t rows = 0;
};
struct RunWriterProgress {
  std::vector<TableProgress> tables;
  RunTimings timings;  // so far (run_seconds and write_seconds of the months written)
};

// The output folder policy. A missing folder is created. An existing non-empty folder is
// refused with a UsageError unless `force`; with `force` only mercato's own files in it are
// replaced, anything else is left alone. Throws IoError when the folder cannot be created.
// Returns true when it created the folder.
bool prepare_output_folder(const std::filesystem::path& dir, bool force);

// Writes a run folder. Every file goes to a temporary name (`.regions.csv.partial`) and is
// renamed to its final name only in on_finish, after every file is complete, so a run that
// is killed or fails never leaves a half-written file under a final name, and a failing run
// leaves an earlier run's files as they were.
//
// The constructor applies the folder policy and opens the temporary files, so an unusable
// folder is reported before any simulation work. Throws UsageError (non-empty folder, unknown
// table) or IoError (the OS refused; the message names the path and the reason).
class RunWriter final : public Observer {
 public:
  RunWriter(std::filesystem::path dir, OutputsConfig outputs, RunDescription description,
            bool force = false);
  // Continues the temporary files of a run killed after a checkpoint (`mercato resume`): each
  // must exist and begin with the bytes the checkpoint recorded (same length and CRC-32);
  // anything written after the checkpoint is cut off. Throws IoError naming the file otherwise.
  RunWriter(std::filesystem::path dir, OutputsConfig outputs, RunDescription description,
            const RunWriterProgress& resume_from);
  ~RunWriter() override;
  RunWriter(const RunWriter&) = delete;
  RunWriter& operator=(const RunWriter&) = delete;

  // Records the set-up stages the caller timed and starts the run clock; call it right before
  // run_simulation. Without it the run clock starts at construction.
  void set_setup_timings(double build_seconds, double warmup_seconds);

  void on_month(const World& world, const MonthMetrics& metrics) override;
  // Completes every file, writes summary.json and manifest.json, then renames them all.
  void on_finish(const World& world, const RunSummary& summary) override;

  // Flushes every temporary file to the disk (fsync) and says where each stands, for a
  // checkpoint written next.
  RunWriterProgress sync();
  // From now on an unfinished run (killed, interrupted, failed) leaves its temporary files for
  // `mercato resume` instead of removing them: a checkpoint refers to them.
  void keep_unfinished_files();

  const std::filesystem::path& folder() const;
  // Final file names this run writes (CSV tables, summary.json, manifest.json).
  std::vector<std::string> file_names() const;
  // Valid after on_finish.
  const RunTimings& timings() const;

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace mercato::io
