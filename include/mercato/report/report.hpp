// `mercato report`: one self-contained HTML page of charts from a run folder (docs/report.md).
// The page is a fixed template, the chart script (web/, bundled by Vite and embedded in the
// binary) and the run's figures as one JSON document, all inlined, so it opens offline.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

namespace mercato::report {

// The figures the charts draw, read from a run folder's outputs (docs/outputs.md) and reduced
// to what the page shows, as JSON text (docs/report.md, "The data document"). Throws IoError
// naming the file for a missing folder, a folder that is no run, or an unreadable table.
std::string run_document(const std::filesystem::path& run_folder);

// The whole page for a data document: template, inlined script and data. `</` in the data is
// escaped so no value can end the script element early.
std::string report_page(std::string_view title, std::string_view data_json);

// Writes the report of `run_folder` to `output` atomically. An existing `output` is refused
// with a UsageError unless `force`; then it is replaced only once the new page is complete.
void write_report(const std::filesystem::path& run_folder, const std::filesystem::path& output,
                  bool force);

}  // namespace mercato::report
