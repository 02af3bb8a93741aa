// Checkpoints of a run (docs/reliability.md, "Checkpoints"): `mercato run --checkpoint-every N`
// saves the whole state of the run to DIR/checkpoint.bin every N months, and `mercato resume DIR`
// continues from it with the same bytes as an uninterrupted run.
//
// The file is binary, little-endian:
//   magic "MRCTCKPT" (8 bytes) | format version (u32) | payload size (u64) | CRC-32 of the
//   payload (u32) | payload
// The payload holds the mercato version that wrote it, the scenario's fingerprint, how the run
// was started (its resolved scenario, command line, threads, cadence), the World (every column,
// aggregate, region, policy map and carry), the Simulation's progress (month, warm-up, the
// timeline's bookkeeping, everything accumulated for summary.json) and where each output table
// stood (bytes, rows and CRC-32 of its temporary file). A file that is truncated, corrupted,
// of another format version, written by another mercato version, or of another scenario is
// refused with an IoError naming the file and what is wrong; it is never loaded.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "mercato/core/world.hpp"
#include "mercato/engine/simulation.hpp"
#include "mercato/io/outputs.hpp"

namespace mercato::io {

inline constexpr std::string_view kCheckpointFile = "checkpoint.bin";
// Bumped whenever the payload's layout changes; other versions are refused.
inline constexpr std::uint32_t kCheckpointFormatVersion = 5;

// What identifies a scenario: a 64-bit FNV-1a hash of its resolved YAML (scenario::to_yaml).
std::uint64_t scenario_fingerprint(std::string_view resolved_scenario);

// How the run was started and where its outputs stood: what `resume` needs beside the state.
struct CheckpointRun {
  RunDescription description;  // the run as started (resolved scenario, command line, threads)
  int checkpoint_every = 0;    // months
  RunWriterProgress writer;
};

// A checkpoint as read back.
struct Checkpoint {
  std::string mercato_version;
  std::uint64_t fingerprint = 0;
  CheckpointRun run;
  World world;
  SimulationProgress simulation;
};

// The file's bytes.
std::string encode_checkpoint(const CheckpointRun& run, const World& world,
                              const SimulationProgress& simulation);

// Writes `file` under a temporary name, flushes it to the disk (fsync) and renames it, so a
// kill at any moment leaves the previous checkpoint or the new one, whole. Throws IoError.
void write_checkpoint(const std::filesystem::path& file, const CheckpointRun& run,
                      const World& world, const SimulationProgress& simulation);

struct CheckpointReadOptions {
  // The fingerprint of the scenario the caller expects; another one is refused.
  std::optional<std::uint64_t> expected_fingerprint;
  // Off only for the fuzzer, so that its inputs reach the payload's decoder.
  bool verify_checksum = true;
};

// Decodes bytes read from `file` (named in messages). Throws IoError naming the file and what
// is wrong: too short or truncated, not a checkpoint, another format or mercato version, a
// checksum mismatch (corrupted), another scenario, or a payload that does not hold together
// (sizes, ids or enums out of range).
Checkpoint decode_checkpoint(std::string_view bytes, const std::string& file,
                             const CheckpointReadOptions& options = {});
// Checks that a checkpoint's World has the structure of `built`, a World freshly built from the
// checkpoint's own scenario: the same regions, groups and organisations (names, kinds, regions,
// pools). Throws IoError naming `file` otherwise (a checkpoint forged from another scenario).
void check_world_matches(const Checkpoint& checkpoint, const World& built, const std::string& file);

// Reads and decodes `file`.
Checkpoint read_checkpoint(const std::filesystem::path& file,
                           const CheckpointReadOptions& options = {});

// Writes a checkpoint every `checkpoint_every` months of a run (not after its last month, which
// on_finish completes): it syncs the RunWriter's temporary files, saves the World and the
// Simulation's progress beside them, and from the first checkpoint on makes the RunWriter keep
// its temporary files when the run does not finish. Observe after the RunWriter.
class CheckpointWriter final : public Observer {
 public:
  CheckpointWriter(std::filesystem::path file, const Simulation& simulation, RunWriter& writer,
                   CheckpointRun run);
  void on_month(const World& world, const MonthMetrics& metrics) override;
  // Months run at the last checkpoint written by this process or the one resumed (0: none).
  int last_month() const { return last_month_; }
  void set_last_month(int month) { last_month_ = month; }
  const std::filesystem::path& file() const { return file_; }

 private:
  std::filesystem::path file_;
  const Simulation& simulation_;
  RunWriter& writer_;
  CheckpointRun run_;
  int last_month_ = 0;
};

}  // namespace mercato::io
