// The report page: a fixed template with the chart script (web/, embedded at build time,
// report_bundle.hpp) and the data document inlined, so the file opens offline (docs/report.md).
#include <filesystem>
#include <string>
#include <string_view>

#include <fmt/format.h>

#include "io/atomic_file.hpp"
#include "mercato/core/error.hpp"
#include "mercato/report/report.hpp"
#include "report/report_bundle.hpp"

namespace mercato::report {
namespace {

constexpr std::string_view kStyle = R"(
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; margin: 0;
       background: #f6f7f9; color: #1d2330; }
header { background: #1d2330; color: #fff; padding: 18px 32px; }
header h1 { margin: 0 0 4px 0; font-size: 22px; font-weight: 600; }
header p { margin: 0; color: #c8cdd8; font-size: 14px; }
main { max-width: 1280px; margin: 0 auto; padding: 16px 24px 48px; }
.figures { display: flex; flex-wrap: wrap; gap: 12px; margin: 8px 0 16px; }
.figure { background: #fff; border-radius: 6px; padding: 10px 14px; min-width: 150px;
          box-shadow: 0 1px 2px rgba(0,0,0,.08); }
.figure b { display: block; font-size: 20px; }
.figure span { font-size: 12px; color: #5b6475; }
section { background: #fff; border-radius: 6px; margin: 16px 0; padding: 14px 18px;
          box-shadow: 0 1px 2px rgba(0,0,0,.08); }
section h2 { font-size: 17px; margin: 0 0 4px 0; }
section p.note { font-size: 13px; color: #5b6475; margin: 0 0 8px 0; }
.chart { width: 100%; height: 420px; }
.chart.tall { height: 560px; }
select { font-size: 13px; margin-left: 6px; }
table { border-collapse: collapse; font-size: 13px; width: 100%; }
th, td { padding: 4px 8px; border-bottom: 1px solid #e3e6ec; text-align: left; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
footer { font-size: 12px; color: #5b6475; text-align: center; padding: 12px; }
)";

std::string html_escaped(std::string_view text) {
  std::string out;
  for (const char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

// JSON never has '<' outside strings, and in a string "\u003c" is the same character, so
// this keeps the document's meaning while no "</script>" or "<!--" can appear in it.
std::string script_safe(std::string_view data_json) {
  std::string out;
  out.reserve(data_json.size());
  for (const char c : data_json) {
    if (c == '<') {
      out += "\\u003c";
    } else {
      out += c;
    }
  }
  return out;
}

// The run folder's own name, also for "runs/base/" (whose filename() is empty).
std::string folder_name(const std::filesystem::path& folder) {
  const std::filesystem::path normal = std::filesystem::absolute(folder).lexically_normal();
  return normal.has_filename() ? normal.filename().string()
                               : normal.parent_path().filename().string();
}

}  // namespace

std::string_view page_style() {
  return kStyle;
}

std::string report_page(std::string_view title, std::string_view data_json) {
  std::string page;
  page += "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n";
  page += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n";
  // The page asks for nothing: no /favicon.ico either (served by `mercato serve`, it was a 404).
  page += "<link rel=\"icon\" href=\"data:,\">\n";
  page += fmt::format("<title>{}</title>\n<style>{}</style>\n</head>\n<body>\n",
                      html_escaped(title), kStyle);
  page += "<div id=\"app\"></div>\n";
  page += "<script type=\"application/json\" id=\"mercato-data\">";
  page += script_safe(data_json);
  page += "</script>\n<script>\n";
  page += report_script();
  page += "\n</script>\n</body>\n</html>\n";
  return page;
}

std::string document_of(const std::filesystem::path& input) {
  std::error_code error;
  if (std::filesystem::is_regular_file(input, error)) return database_document(input);
  if (is_comparison_folder(input)) return comparison_document(input);
  return run_document(input);
}

void write_report(const std::filesystem::path& input, const std::filesystem::path& output,
                  bool force) {
  std::error_code error;
  if (std::filesystem::is_directory(output, error)) {
    throw UsageError(
        fmt::format("{} is a folder; give the report's file name with -o", output.string()));
  }
  if (std::filesystem::exists(output, error) && !force) {
    throw UsageError(
        fmt::format("output file {} exists; use --force to replace it or -o to choose another",
                    output.string()));
  }
  // Read everything before creating any file: a bad input leaves nothing behind.
  const std::string data = document_of(input);
  const std::string title = fmt::format("mercato report: {}", folder_name(input));
  io::AtomicFile file(output);
  file.write(report_page(title, data));
  file.commit();
}

}  // namespace mercato::report
