#include <algorithm>
#include <chrono>
#include <optional>
#include <system_error>
#include <utility>

#include <fmt/format.h>
#include <zlib.h>

#include "io/atomic_file.hpp"
#include "io/json_outputs.hpp"
#include "io/number_format.hpp"
#include "io/tables.hpp"
#include "mercato/core/error.hpp"
#include "mercato/io/checkpoint.hpp"
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
  names.emplace_back(kCheckpointFile);  // removed when the run it belongs to completes
  return names;
}

std::uint32_t crc_after(std::uint32_t crc, std::string_view bytes) {
  return static_cast<std::uint32_t>(
      crc32(crc, reinterpret_cast<const Bytef*>(bytes.data()), static_cast<uInt>(bytes.size())));
}

// Whether the first `bytes` bytes of `path` have CRC-32 `crc` (a temporary table file a
// checkpoint refers to). Throws IoError when the file cannot be read that far.
void check_prefix(const fs::path& path, std::uint64_t bytes, std::uint32_t crc) {
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (f == nullptr) {
    throw IoError(
        fmt::format("cannot resume: {} is missing ({}); the checkpoint needs the "
                    "temporary files of the run it was written for",
                    path.string(), std::error_code(errno, std::generic_category()).message()));
  }
  std::vector<char> chunk(1 << 16);
  std::uint32_t got = static_cast<std::uint32_t>(crc32(0L, Z_NULL, 0));
  std::uint64_t left = bytes;
  while (left > 0) {
    const std::size_t want = static_cast<std::size_t>(std::min<std::uint64_t>(left, chunk.size()));
    const std::size_t n = std::fread(chunk.data(), 1, want, f);
    if (n == 0) break;
    got = crc_after(got, std::string_view(chunk.data(), n));
    left -= n;
  }
  std::fclose(f);
  if (left > 0) {
    throw IoError(
        fmt::format("cannot resume: {} is shorter than the checkpoint recorded ({} bytes)",
                    path.string(), bytes));
  }
  if (got != crc) {
    throw IoError(
        fmt::format("cannot resume: {} does not match the checkpoint (the CRC-32 of its "
                    "first {} bytes is {:08x}, the checkpoint recorded {:08x})",
                    path.string(), bytes, got, crc));
  }
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
    std::uint64_t bytes = 0;  // written so far, with their CRC-32 (checkpoints)
    std::uint32_t crc = static_cast<std::uint32_t>(crc32(0L, Z_NULL, 0));

    void write(std::string_view text) {
      file.write(text);
      bytes += text.size();
      crc = crc_after(crc, text);
    }
  };

  fs::path dir;
  OutputsConfig outputs;
  RunDescription description;
  bool created_dir = false;
  bool finished = false;
  bool keep_unfinished = false;  // a checkpoint refers to the temporary files
  std::vector<TableFile> tables;
  Buffer buffer;
  RunTimings timings;
  Clock::time_point run_started = Clock::now();
  double write_seconds = 0;                                 // this process's
  double run_seconds_before = 0, write_seconds_before = 0;  // before a resume

  double run_seconds_now() const {
    return run_seconds_before +
           std::max(0.0, seconds_between(run_started, Clock::now()) - write_seconds);
  }
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
    // A checkpoint left by an earlier run in this folder belongs to that run, not to this one.
    for (const fs::path& stale :
         {s.dir / std::string(kCheckpointFile),
          AtomicFile::partial_path_of(s.dir / std::string(kCheckpointFile))}) {
      std::error_code error;
      fs::remove(stale, error);
      if (error) {
        throw IoError(fmt::format("cannot remove {} left by an earlier run: {}", stale.string(),
                                  error.message()));
      }
    }
    // Opening every temporary file now proves the folder writable before any simulation work.
    for (Table table : tables) {
      s.tables.push_back({table, AtomicFile(s.dir / csv_file_name(table))});
      s.buffer.clear();
      append_header(s.buffer, table);
      s.tables.back().write(std::string_view(s.buffer.data(), s.buffer.size()));
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

RunWriter::RunWriter(fs::path dir, OutputsConfig outputs, RunDescription description,
                     const RunWriterProgress& resume_from)
    : state_(std::make_unique<State>()) {
  State& s = *state_;
  s.dir = std::move(dir);
  s.outputs = std::move(outputs);
  s.description = std::move(description);
  // Whatever happens from here, the temporary files stay for another attempt.
  s.keep_unfinished = true;
  const std::vector<Table> tables = tables_to_write(s.outputs);
  std::vector<std::string> expected;
  for (Table table : tables) expected.push_back(csv_file_name(table));
  std::vector<std::string> recorded;
  for (const TableProgress& t : resume_from.tables) recorded.push_back(t.file);
  if (expected != recorded) {
    throw IoError(
        fmt::format("cannot resume in {}: the checkpoint lists the tables {}, but its "
                    "scenario writes {}",
                    s.dir.string(), fmt::join(recorded, ", "), fmt::join(expected, ", ")));
  }
  try {
    for (std::size_t k = 0; k < tables.size(); ++k) {
      const TableProgress& p = resume_from.tables[k];
      const fs::path final_path = s.dir / p.file;
      check_prefix(AtomicFile::partial_path_of(final_path), p.bytes, p.crc);
      s.tables.push_back(
          {tables[k], AtomicFile::reopen(final_path, p.bytes), p.rows, p.bytes, p.crc});
    }
  } catch (...) {
    for (State::TableFile& t : s.tables) t.file.keep();
    throw;
  }
  s.timings = resume_from.timings;
  s.run_seconds_before = resume_from.timings.run_seconds;
  s.write_seconds_before = resume_from.timings.write_seconds;
}

RunWriter::~RunWriter() {
  if (!state_ || state_->finished) return;
  if (state_->keep_unfinished) {
    // A checkpoint refers to these files: `mercato resume` goes on from them.
    for (State::TableFile& t : state_->tables) t.file.keep();
    return;
  }
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
    t.write(std::string_view(s.buffer.data(), s.buffer.size()));
  }
  s.write_seconds += seconds_between(started, Clock::now());
}

void RunWriter::on_finish(const World& world, const RunSummary& summary) {
  State& s = *state_;
  MERCATO_ASSERT(!s.finished);
  const auto started = Clock::now();
  s.timings.run_seconds = s.run_seconds_now();

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
  s.timings.write_seconds =
      s.write_seconds_before + s.write_seconds + seconds_between(started, Clock::now());
  AtomicFile manifest_file(s.dir / std::string(kManifestFile));
  manifest_file.write(manifest_json_text(s.description, s.timings, listed));
  manifest_file.close();

  // Phase 2: renames only. The manifest goes last, so its presence marks a complete run.
  for (State::TableFile& t : s.tables) t.file.commit();
  summary_file.commit();
  manifest_file.commit();
  s.finished = true;

  // A checkpoint being written when an earlier attempt was killed.
  {
    std::error_code ignored;
    fs::remove(AtomicFile::partial_path_of(s.dir / std::string(kCheckpointFile)), ignored);
  }
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

RunWriterProgress RunWriter::sync() {
  State& s = *state_;
  MERCATO_ASSERT(!s.finished);
  const auto started = Clock::now();
  RunWriterProgress progress;
  for (State::TableFile& t : s.tables) {
    t.file.sync();
    progress.tables.push_back({csv_file_name(t.table), t.bytes, t.crc, t.rows});
  }
  s.write_seconds += seconds_between(started, Clock::now());
  progress.timings = s.timings;
  progress.timings.run_seconds = s.run_seconds_now();
  progress.timings.write_seconds = s.write_seconds_before + s.write_seconds;
  return progress;
}

void RunWriter::keep_unfinished_files() {
  state_->keep_unfinished = true;
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
