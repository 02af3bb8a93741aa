#include "report_command.hpp"

#include <filesystem>

#include <fmt/format.h>

#include "mercato/core/error.hpp"
#include "mercato/report/report.hpp"

namespace mercato::cli {
namespace {

namespace fs = std::filesystem;

// RUN_DIR/report.html for a folder; runs/tiny.db -> runs/tiny.report.html for a database.
fs::path default_output(const fs::path& input) {
  std::error_code error;
  if (fs::is_regular_file(input, error)) {
    fs::path output = input;
    output.replace_extension(".report.html");
    return output;
  }
  return input / "report.html";
}

}  // namespace

int report_command(const ReportArgs& args) {
  const fs::path input = args.input;
  const fs::path output = args.output.empty() ? default_output(input) : fs::path(args.output);
  report::write_report(input, output, args.force);
  if (!args.quiet) fmt::print("report: {}\n", output.string());
  return 0;
}

}  // namespace mercato::cli
