// The `serve` command: the local web explorer (docs/explorer.md); the work is done by the
// serve library.
#pragma once

#include <string>
#include <vector>

#include "mercato/serve/server.hpp"

namespace mercato::cli {

struct ServeArgs {
  serve::ServerOptions options;
  std::vector<std::string> scenario_folders;  // empty: scenarios/
  bool quiet = false;
};

// Serves until Ctrl-C (or SIGTERM); returns the exit code. User errors are thrown as Error.
int serve_command(ServeArgs args);

}  // namespace mercato::cli
