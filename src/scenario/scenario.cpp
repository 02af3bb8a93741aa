// scenario::load and friends: text -> merged tree (extends, --set) -> Config -> checks.
#include "mercato/scenario/scenario.hpp"

#include <cmath>
#include <filesystem>

#include <fmt/format.h>

#include "scenario/checks.hpp"
#include "scenario/decode.hpp"
#include "scenario/resolve.hpp"
#include "scenario/source_tree.hpp"

namespace mercato::scenario {

namespace {

std::string trim(std::string_view s) {
  const auto begin = s.find_first_not_of(" \t");
  if (begin == std::string_view::npos) return "";
  const auto end = s.find_last_not_of(" \t");
  return std::string(s.substr(begin, end - begin + 1));
}

// Shares of `work` sum to 1 for build_world. Shares already summing to 1 within rounding are
// left as written, so that to_yaml -> load gives back the same numbers.
void normalise_work_shares(Config& config) {
  for (auto& stock : config.talents) {
    double total = 0;
    for (const auto& [region, share] : stock.work) total += share;
    if (total > 0 && std::abs(total - 1.0) > 1e-12)
      for (auto& [region, share] : stock.work) share /= total;
  }
}

Config load_text(const std::string& text, const std::string& file, const std::string& dir,
                 const std::string& canonical, const std::vector<Override>& overrides) {
  detail::Diagnostics diagnostics;
  detail::SourceNode root;
  if (!detail::resolve_extends(text, file, dir, canonical, diagnostics, root)) {
    diagnostics.throw_if_any();
    throw ScenarioError({{file, 0, 0, "", "cannot read the scenario"}});
  }
  // After the merge, before validation: an override is checked like a value of the file.
  for (const auto& o : overrides) detail::apply_override(root, o, diagnostics);
  detail::Locations locations(file);
  Config config = detail::decode(root, diagnostics, locations);
  config.source_file = file;
  // A document that is not a map of keys has nothing to check further; its one message says
  // what a scenario looks like.
  if (root.is_map()) detail::check_config(config, locations, diagnostics);
  diagnostics.throw_if_any();
  normalise_work_shares(config);
  return config;
}

}  // namespace

Override parse_override(const std::string& text) {
  const auto eq = text.find('=');
  const std::string key = eq == std::string::npos ? "" : trim(text.substr(0, eq));
  bool well_formed = !key.empty() && key.front() != '.' && key.back() != '.' &&
                     key.find("..") == std::string::npos;
  if (!well_formed)
    throw UsageError(
        fmt::format("--set expects KEY=VALUE with a dotted key path, e.g. "
                    "--set regions.FR.tax_rate=0.3; got '{}'",
                    text));
  return {key, text.substr(eq + 1)};
}

Config load(const std::string& path, const std::vector<Override>& overrides) {
  namespace fs = std::filesystem;
  const std::string text = detail::read_scenario_file(path);
  std::error_code ec;
  const std::string canonical = fs::weakly_canonical(path, ec).string();
  return load_text(text, path, fs::path(path).parent_path().string(), canonical, overrides);
}

Config load_string(const std::string& yaml, const std::string& name,
                   const std::vector<Override>& overrides, const std::string& base_dir) {
  return load_text(yaml, name, base_dir, "", overrides);
}

void validate(const Config& config) {
  detail::Diagnostics diagnostics;
  const detail::Locations no_locations(config.source_file);
  detail::check_config(config, no_locations, diagnostics);
  diagnostics.throw_if_any();
}

SimulationOptions simulation_options(const Config& config, int threads) {
  SimulationOptions options;
  options.months = config.months;
  options.warmup_months = config.model.warmup_months;
  options.threads = threads;
  options.start = config.start;
  options.origins_every_months = config.outputs.origins_every_months;
  options.scenario_name = config.name;
  return options;
}

}  // namespace mercato::scenario
