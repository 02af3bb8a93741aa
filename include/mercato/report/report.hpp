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

// The data document of an experiment (docs/report.md, "Experiments"): an ensemble's or a sweep's
// results database (SQLite), or a `mercato compare` folder (comparison.json). Each headline
// figure per point with its 95% interval, and against the baseline (point 0, or the base
// scenario) with the interval of the paired difference; the top tier's work share over time
// when the database kept the regions table. Throws IoError naming the file for a file that is
// not SQLite or not a mercato database, or an unreadable comparison.json.
std::string database_document(const std::filesystem::path& database);
std::string comparison_document(const std::filesystem::path& folder);
// True for a folder holding comparison.json (written by `mercato compare`).
bool is_comparison_folder(const std::filesystem::path& folder);

// The data document of any input of `mercato report`: a database file, a comparison folder
// or a run folder.
std::string document_of(const std::filesystem::path& input);

// The page's style sheet (also the explorer's, `mercato serve`).
std::string_view page_style();

// The whole page for a data document: template, inlined script and data. `</` in the data is
// escaped so no value can end the script element early.
std::string report_page(std::string_view title, std::string_view data_json);

// Writes the report of `input` (document_of) to `output` atomically. An existing `output` is
// refused with a UsageError unless `force`; then it is replaced only once the new page is complete.
void write_report(const std::filesystem::path& input, const std::filesystem::path& output,
                  bool force);

}  // namespace mercato::report
