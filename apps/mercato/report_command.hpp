// The `report` command: one self-contained HTML page of charts from a run folder
// (docs/report.md); the work is done by the report library.
#pragma once

#include <string>

namespace mercato::cli {

struct ReportArgs {
  std::string input;   // a run folder
  std::string output;  // empty: INPUT/report.html
  bool force = false;
  bool quiet = false;
};

// Returns the exit code; user errors are thrown as mercato::Error.
int report_command(const ReportArgs& args);

}  // namespace mercato::cli
