// comparison.csv and comparison.json, with the number formats and the atomic files of a run
// folder (docs/outputs.md, "Numbers" and "How the folder is written").
#include <cmath>
#include <optional>
#include <system_error>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "io/atomic_file.hpp"
#include "io/number_format.hpp"
#include "mercato/experiment/comparison.hpp"
#include "mercato/io/outputs.hpp"

namespace mercato::experiment {

namespace fs = std::filesystem;

namespace {

using Json = nlohmann::ordered_json;

constexpr std::string_view kCsvFile = "comparison.csv";
constexpr std::string_view kJsonFile = "comparison.json";

// Money in whole dollars, everything else to 6 significant digits, as in a run's tables.
bool is_money(std::string_view unit) {
  return unit.starts_with("USD");
}

void append_value(io::Buffer& out, std::string_view unit, double value) {
  if (is_money(unit)) {
    io::append_money(out, value);
  } else {
    io::append_real(out, value);
  }
}

Json json_value(std::string_view unit, double value) {
  if (is_money(unit)) {
    if (const auto dollars = io::whole_dollars(value)) return *dollars;
    return nullptr;
  }
  if (!std::isfinite(value)) return nullptr;
  return io::six_digits(value);
}

}  // namespace

std::string comparison_csv(const Comparison& c) {
  io::Buffer out;
  out.append(
      std::string_view("metric,unit,base_mean,policy_mean,difference,ci_low,ci_high,replicates\n"));
  for (const ComparisonRow& row : c.rows) {
    io::append_text(out, row.metric);
    out.push_back(',');
    io::append_text(out, row.unit);
    for (double value : {row.base_mean, row.policy_mean, row.diff_mean, row.diff_lo, row.diff_hi}) {
      out.push_back(',');
      append_value(out, row.unit, value);
    }
    out.push_back(',');
    io::append_int(out, c.replicates);
    out.push_back('\n');
  }
  return fmt::to_string(out);
}

std::string comparison_json(const Comparison& c) {
  Json rows = Json::array();
  for (const ComparisonRow& row : c.rows) {
    rows.push_back(Json{{"metric", row.metric},
                        {"unit", row.unit},
                        {"section", row.section},
                        {"label", row.label},
                        {"base_mean", json_value(row.unit, row.base_mean)},
                        {"policy_mean", json_value(row.unit, row.policy_mean)},
                        {"difference", json_value(row.unit, row.diff_mean)},
                        {"ci_low", json_value(row.unit, row.diff_lo)},
                        {"ci_high", json_value(row.unit, row.diff_hi)}});
  }
  const Json json{{"base", c.base_name},
                  {"policy", c.policy_name},
                  {"base_file", c.base_file},
                  {"policy_file", c.policy_file},
                  {"base_overrides", c.base_overrides},
                  {"policy_overrides", c.policy_overrides},
                  {"seed", c.seed},
                  {"replicates", c.replicates},
                  {"months", c.months},
                  {"start", io::date_string(c.start)},
                  {"interval", "95% interval of the mean paired difference (Student t)"},
                  {"rows", std::move(rows)}};
  return json.dump(2, ' ', false, Json::error_handler_t::replace) + "\n";
}

struct ComparisonWriter::State {
  fs::path dir;
  bool created_dir = false;
  bool finished = false;
  std::optional<io::AtomicFile> csv, json;
};

ComparisonWriter::ComparisonWriter(fs::path dir, bool force) : state_(std::make_unique<State>()) {
  State& s = *state_;
  s.dir = std::move(dir);
  s.created_dir = io::prepare_output_folder(s.dir, force);
  try {
    s.csv.emplace(s.dir / std::string(kCsvFile));
    s.json.emplace(s.dir / std::string(kJsonFile));
  } catch (...) {
    s.csv.reset();
    s.json.reset();
    if (s.created_dir) {
      std::error_code ignored;
      fs::remove(s.dir, ignored);
    }
    throw;
  }
}

ComparisonWriter::~ComparisonWriter() {
  if (!state_ || state_->finished) return;
  state_->csv.reset();
  state_->json.reset();
  if (state_->created_dir) {
    std::error_code ignored;
    if (fs::is_empty(state_->dir, ignored)) fs::remove(state_->dir, ignored);
  }
}

void ComparisonWriter::write(const Comparison& comparison) {
  State& s = *state_;
  // Both files complete under their temporary names before either is renamed.
  s.csv->write(comparison_csv(comparison));
  s.csv->close();
  s.json->write(comparison_json(comparison));
  s.json->close();
  s.csv->commit();
  s.json->commit();
  s.finished = true;
}

const fs::path& ComparisonWriter::folder() const {
  return state_->dir;
}

std::vector<std::string> ComparisonWriter::file_names() const {
  return {std::string(kCsvFile), std::string(kJsonFile)};
}

}  // namespace mercato::experiment
