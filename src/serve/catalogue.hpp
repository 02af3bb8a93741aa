// The scenarios a server offers: the *.yaml files of its scenario folders, named by their stem.
// A request names a scenario; only a name found here reaches the file system.
#pragma once

#include <filesystem>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "mercato/scenario/scenario.hpp"

namespace mercato::serve {

class Catalogue {
 public:
  explicit Catalogue(std::vector<std::filesystem::path> folders);

  // {"scenarios": [{name, title, description, start, months, seed, scale} or {name, error}]}.
  nlohmann::json list();
  // The file of a scenario name, or none for a name that is not in a folder.
  std::optional<std::filesystem::path> find(const std::string& name);
  // Every name, sorted (for "the scenarios are ..." in messages).
  std::vector<std::string> names();

 private:
  std::map<std::string, std::filesystem::path> scan();

  std::vector<std::filesystem::path> folders_;
  std::mutex mutex_;
  // Summaries by file, valid while the file's modification time is the same.
  struct Cached {
    std::filesystem::file_time_type modified;
    nlohmann::json summary;
  };
  std::map<std::filesystem::path, Cached> cache_;
};

// The form of a scenario (docs/explorer.md, "Parameters"): its main parameters, each with the
// `--set` key that changes it, a label, a group, its value and kind ("int" or "number").
nlohmann::json scenario_parameters(const Config& config);

// A request's `set` object as overrides, in key order. Values may be strings, numbers or
// booleans. Throws UsageError naming the key for anything else.
std::vector<scenario::Override> overrides_of(const nlohmann::json& set);

}  // namespace mercato::serve
