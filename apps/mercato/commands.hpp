// The `run` and `validate` commands: they call the library (scenario, engine, io) and print;
// no model logic lives here (ARCHITECTURE.md, Layers).
#pragma once

#include <atomic>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "mercato/core/error.hpp"
#include "mercato/scenario/config.hpp"
#include "mercato/scenario/scenario.hpp"

namespace mercato::cli {

struct RunArgs {
  std::string scenario;
  std::string output;  // empty: runs/<scenario name>
  std::optional<std::uint64_t> seed;
  std::optional<int> months;
  int threads = 1;
  std::vector<std::string> sets;  // "key.path=value"
  bool quiet = false;
  bool force = false;
  std::optional<int> checkpoint_every;  // months; none: no checkpoint
  std::string command_line;             // recorded in manifest.json
};

struct ResumeArgs {
  std::string folder;
  std::optional<int> threads;  // default: the run's own
  bool quiet = false;
};

struct ValidateArgs {
  std::string scenario;
  std::vector<std::string> sets;
};

// Both return the process exit code; user errors are thrown as mercato::Error.
int run_command(const RunArgs& args);
int validate_command(const ValidateArgs& args);
// Continues a run killed after a checkpoint (`mercato run --checkpoint-every`).
int resume_command(const ResumeArgs& args);

// The user pressed Ctrl-C (or the run got SIGTERM): the run stops after the current month and
// removes its temporary files. main exits with 130, the shell's code for an interrupt.
class Interrupted : public Error {
 public:
  Interrupted() : Error("interrupted; no output was written") {}
  explicit Interrupted(const std::string& message) : Error(message) {}
};

// Ends the command with `code` and no message (an MPI rank whose error another rank reports).
struct ExitQuietly {
  int code = 1;
};

// The first SIGINT/SIGTERM asks the run to stop cleanly; a second one ends the process at once.
void install_interrupt_handlers();
// Whether the first SIGINT/SIGTERM has come (safe to call from any thread).
bool interrupt_was_requested();
// The flag behind it, for library calls that poll a stop flag.
const std::atomic<bool>& interrupt_flag();

// Shared by the commands that load scenarios (run, validate, compare).
// The --set overrides, then --seed and --months as overrides (applied last, so they win).
std::vector<scenario::Override> overrides_of(const std::vector<std::string>& sets,
                                             std::optional<std::uint64_t> seed,
                                             std::optional<int> months);
// scenario::load, with a clear message for a missing file or a folder given as the file.
Config load_scenario(const std::string& path, const std::vector<scenario::Override>& overrides);
// The scenario's `name`, or the file's stem when it has none.
std::string scenario_display_name(const Config& config, const std::string& scenario_path);
// `name` with every character a file name should not hold replaced by '_'.
std::string file_name_part(std::string name);

// The command line as a shell would need it retyped (single quotes where needed).
std::string quoted_command_line(int argc, const char* const* argv);

}  // namespace mercato::cli
