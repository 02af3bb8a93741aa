// The merged tree -> Config (types, shapes, unknown keys, kind defaults), and where each value
// of the Config was written, so the checks on the Config (checks.hpp) can point at it.
#pragma once

#include <string>
#include <unordered_map>

#include "mercato/scenario/config.hpp"
#include "scenario/source_tree.hpp"

namespace mercato::scenario::detail {

// Where a problem with a value is reported: its mark and the key it was written under, which
// differs from the Config's key path for an organisation field inherited from a kind default
// (`organisations.Lab.max_offer` written as `model.kinds.frontier_lab.max_offer`).
struct Written {
  SourceMark mark;
  std::string key;
};

class Locations {
 public:
  explicit Locations(std::string default_file = "") : default_file_(std::move(default_file)) {}
  void record(const std::string& path, const SourceMark& mark, std::string written_key = "");
  // The location of `path`; a value never written (a default) is reported at its nearest
  // enclosing item or section, and a Config built in code at the default file, line 0.
  Written find(const std::string& path) const;

 private:
  std::string default_file_;
  std::unordered_map<std::string, Written> written_;
};

// Decodes the tree into a Config. Problems of type and shape go to `diagnostics`; ranges and
// references are left to check_config.
Config decode(const SourceNode& root, Diagnostics& diagnostics, Locations& locations);

}  // namespace mercato::scenario::detail
