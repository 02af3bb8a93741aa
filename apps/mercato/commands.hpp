// The `run` and `validate` commands: they call the library (scenario, engine, io) and print;
// no model logic lives here (ARCHITECTURE.md, Layers).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "mercato/core/error.hpp"

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
  std::string command_line;  // recorded in manifest.json
};

struct ValidateArgs {
  std::string scenario;
  std::vector<std::string> sets;
};

// Both return the process exit code; user errors are thrown as mercato::Error.
int run_command(const RunArgs& args);
int validate_command(const ValidateArgs& args);

// The user pressed Ctrl-C (or the run got SIGTERM): the run stops after the current month and
// removes its temporary files. main exits with 130, the shell's code for an interrupt.
class Interrupted : public Error {
 public:
  Interrupted() : Error("interrupted; no output was written") {}
};

// The first SIGINT/SIGTERM asks the run to stop cleanly; a second one ends the process at once.
void install_interrupt_handlers();

// The command line as a shell would need it retyped (single quotes where needed).
std::string quoted_command_line(int argc, const char* const* argv);

}  // namespace mercato::cli
