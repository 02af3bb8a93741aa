#include "report_command.hpp"

#include <filesystem>

#include <fmt/format.h>

#include "mercato/core/error.hpp"
#include "mercato/report/report.hpp"

namespace mercato::cli {
namespace {

namespace fs = std::filesystem;

// An ensemble's or sweep's SQLite database (docs/experiments.md) is a file, not a folder:
// say so plainly rather than "not a run folder".
void refuse_database(const fs::path& input) {
  std::error_code error;
  if (fs::is_regular_file(input, error)) {
    throw UsageError(fmt::format(
        "{} is a file; `mercato report` reads a run folder (the one `mercato run` wrote). "
        "Reports of ensemble and sweep databases are not available yet",
        input.string()));
  }
}

}  // namespace

int report_command(const ReportArgs& args) {
  const fs::path input = args.input;
  refuse_database(input);
  const fs::path output = args.output.empty() ? input / "report.html" : fs::path(args.output);
  report::write_report(input, output, args.force);
  if (!args.quiet) fmt::print("report: {}\n", output.string());
  return 0;
}

}  // namespace mercato::cli
