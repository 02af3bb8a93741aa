#include <algorithm>
#include <chrono>
#include <optional>
#include <system_error>
#include <utility>

#include <fmt/format.h>

#include "io/atomic_file.hpp"
#include "io/json_outputs.hpp"
#include "io/number_format.hpp"
#include "io/tables.hpp"
#include "mercato/core/error.hpp"
#include "mercato/io/outputs.hpp"

#ifndef MERCATO_VERSION
#error "MERCATO_VERSION must be defined by the build (src/io/CMakeLists.txt)"
#endif

namespace mercato::io {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

namespace {

constexpr std::string_view kSummaryFile = "summary.json";
constexpr std::string_view kManifestFile = "manifest.json";

double seconds_between(Clock::time_point from, Clock::time_point to) {
  return std::chrono::duration<double>(to - from).count();
}

std::string csv_file_name(Table table) {
  return std::string(table_name(table)) + ".csv";
}

// The files mercato owns in a run folder: the only ones `--force` may replace or remove.
std::vector<std::string> own_file_names() {
  std::vector<std::string> names;
  names.reserve(kTableCount + 2);
  for (int t = 0; t < kTableCount; ++t) names.push_back(csv_file_name(static_cast<Table>(t)));
  names.emplace_back(kSummaryFile);
  names.emplace_back(kManifestFile);
  return names;
}

std::vector<Table> tables_to_write(const OutputsConfig& outputs) {
  std::vector<Table> tables;
  for (const std::string& name : outputs.tables) {
    const auto table = table_from_name(name);
    if (!table) {
      throw UsageError(fmt::format("unknown output table '{}' in outputs.tables (known: {})", name,
                                   fmt::join(kTableNames, ", ")));
    }
    // A move log of `none` means no moves.csv at all rather than an empty one.
    if (*table == Table::moves && outputs.moves == MoveLog::none) continue;
    if (std::find(tables.begin(), tables.end(), *table) == tables.end()) tables.push_back(*table);
  }
  // Manifest order, whatever order the scenario listed them in.
  std::sort(tables.begin(), tables.end());
  return tables;
}

}  // namespace

std::string_view mercato_version() {
  return MERCATO_VERSION;
}

bool prepare_output_folder(const fs::path& dir, bool force) {
  std::error_code error;
  const fs::file_status status = fs::status(dir, error);
  if (status.type() == fs::file_type::unknown) {  // e.g. a parent folder we may not search
    throw IoError(fmt::format("cannot use output folder {}: {}", dir.string(), error.message()));
  }
  if (fs::exists(status)) {
    if (!fs::is_directory(status)) {
      throw IoError(
          fmt::format("cannot use {} as output folder: it is a file, not a folder", dir.string()));
    }
    const bool empty = fs::is_empty(dir, error);
    if (error) {
      throw IoError(fmt::format("cannot read output folder {}: {}", dir.string(), error.message()));
    }
    if (!empty && !force) {
      throw UsageError(fmt::format(
          "output folder {} is not empty; use --force to overwrite or -o to choose another",
          dir.string()));
    }
    return false;
  }
  fs::create_directories(dir, error);
  if (error) {
    throw IoError(fmt::format("cannot create output folder {}: {}", dir.string(), error.message()));
  }
  return true;
}

struct RunWriter::State {
  struct TableFile {
    Table table;
    AtomicFile file;
    std::int64_t rows = 0;
  };

  fs::path dir;
  OutputsConfig outputs;
  RunDescription description;
  bool created_dir = false;
  bool finished = false;
  std::vector<TableFile> tables;
  Buffer buffer;
  RunTimings timings;
  Clock::time_point run_started = Clock::now();
  double write_seconds = 0;
};

RunWriter::RunWriter(fs::path dir, OutputsConfig outputs, RunDescription description, bool force)
    : state_(std::make_unique<State>()) {
  State& s = *state_;
  s.dir = std::move(dir);
  s.outputs = std::move(outputs);
  s.description = std::move(description);
  const std::vector<Table> tables = tables_to_write(s.outputs);  // before touching the disk
  s.created_dir = prepare_output_folder(s.dir, force);
  try {
    // Opening every temporary file now proves the folder writable before any simulation work.
    for (Table table : tables) {
      s.tables.push_back({table, AtomicFile(s.dir / csv_file_name(table)), 0});
      s.buffer.clear();
      append_header(s.buffer, table);
      s.tables.back().file.write(std::string_view(s.buffer.data(), s.buffer.size()));
    }
  } catch (...) {
    s.tables.clear();
    if (s.created_dir) {
      std::error_code ignored;
      fs::remove(s.dir, ignored);
    }
    throw;
  }
}

RunWriter::~RunWriter() {
  if (!state_ || state_->finished) return;
  // An unfinished run (an error, an interrupt) removes its temporary files, and the folder too
  // if this run created it and nothing else is in it.
  state_->tables.clear();
  if (state_->created_dir) {
    std::error_code ignored;
    if (fs::is_empty(state_->dir, ignored)) fs::remove(state_->dir, ignored);
  }
}

void RunWriter::set_setup_timings(double build_seconds, double warmup_seconds) {
  state_->timings.build_seconds = build_seconds;
  state_->timings.warmup_seconds = warmup_seconds;
  state_->run_started = Clock::now();
  state_->write_seconds = 0;
}

void RunWriter::on_month(const World& world, const MonthMetrics& metrics) {
  State& s = *state_;
  MERCATO_ASSERT(!s.finished);
  const auto started = Clock::now();
  for (State::TableFile& t : s.tables) {
    s.buffer.clear();
    t.rows += append_rows(s.buffer, t.table, world, metrics, s.outputs.moves);
    t.file.write(std::string_view(s.buffer.data(), s.buffer.size()));
  }
  s.write_seconds += seconds_between(started, Clock::now());
}

void RunWriter::on_finish(const World& world, const RunSummary& summary) {
  State& s = *state_;
  MERCATO_ASSERT(!s.finished);
  const auto started = Clock::now();
  s.timings.run_seconds = std::max(0.0, seconds_between(s.run_started, started) - s.write_seconds);

  // Phase 1: complete every file under its temporary name. Any failure here (full disk) leaves
  // the folder's final names untouched.
  std::vector<ManifestFile> listed;
  for (State::TableFile& t : s.tables) {
    t.file.close();
    listed.push_back({csv_file_name(t.table), t.rows});
  }
  AtomicFile summary_file(s.dir / std::string(kSummaryFile));
  summary_file.write(summary_json_text(world, summary));
  summary_file.close();
  listed.push_back({std::string(kSummaryFile), std::nullopt});

  // The manifest's write time covers everything but its own few bytes.
  s.timings.write_seconds = s.write_seconds + seconds_between(started, Clock::now());
  AtomicFile manifest_file(s.dir / std::string(kManifestFile));
  manifest_file.write(manifest_json_text(s.description, s.timings, listed));
  manifest_file.close();

  // Phase 2: renames only. The manifest goes last, so its presence marks a complete run.
  for (State::TableFile& t : s.tables) t.file.commit();
  summary_file.commit();
  manifest_file.commit();
  s.finished = true;

  // Files of an earlier run that this one does not write (a table dropped from outputs.tables)
  // would otherwise sit beside the new ones as if they belonged to this run.
  const std::vector<std::string> written = file_names();
  for (const std::string& name : own_file_names()) {
    if (std::find(written.begin(), written.end(), name) != written.end()) continue;
    std::error_code error;
    fs::remove(s.dir / name, error);
    if (error) {
      throw IoError(fmt::format("cannot remove {} left by an earlier run: {}",
                                (s.dir / name).string(), error.message()));
    }
  }
}

const fs::path& RunWriter::folder() const {
  return state_->dir;
}

std::vector<std::string> RunWriter::file_names() const {
  std::vector<std::string> names;
  for (const State::TableFile& t : state_->tables) names.push_back(csv_file_name(t.table));
  names.emplace_back(kSummaryFile);
  names.emplace_back(kManifestFile);
  return names;
}

const RunTimings& RunWriter::timings() const {
  return state_->timings;
}

}  // namespace mercato::io
