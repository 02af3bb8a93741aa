// Helpers shared by the scenario tests: where the fixtures are and how to collect the
// diagnostics of a scenario that must not load.
#pragma once

#include <gtest/gtest.h>

#include <ostream>
#include <string>
#include <vector>

#include "mercato/scenario/scenario.hpp"

namespace mercato {
// Readable gtest failures for distributions.
inline void PrintTo(const Distribution& d, std::ostream* os) {
  static const char* const kNames[] = {"constant", "uniform", "normal", "lognormal"};
  *os << kNames[static_cast<int>(d.kind)] << "(" << d.a << ", " << d.b << ")";
}
}  // namespace mercato

namespace mercato::scenario::test {

inline std::string repo_path(const std::string& relative) {
  return std::string(MERCATO_SOURCE_DIR) + "/" + relative;
}

inline std::string fixture(const std::string& name) {
  return repo_path("tests/scenario/fixtures/" + name);
}

// The diagnostics of a scenario that must fail; an empty list (and a test failure) if it loads.
inline std::vector<ScenarioDiagnostic> diagnostics_of(const std::string& yaml,
                                                      const std::vector<Override>& overrides = {},
                                                      const std::string& name = "x.yaml") {
  try {
    load_string(yaml, name, overrides);
  } catch (const ScenarioError& e) {
    return e.diagnostics();
  }
  ADD_FAILURE() << "expected a ScenarioError for:\n" << yaml;
  return {};
}

inline std::vector<ScenarioDiagnostic> file_diagnostics_of(
    const std::string& path, const std::vector<Override>& overrides = {}) {
  try {
    load(path, overrides);
  } catch (const ScenarioError& e) {
    return e.diagnostics();
  }
  ADD_FAILURE() << "expected a ScenarioError for " << path;
  return {};
}

// The single diagnostic of a scenario with exactly one problem, as "file:line:col: key: message".
inline std::string only_error(const std::string& yaml,
                              const std::vector<Override>& overrides = {}) {
  auto ds = diagnostics_of(yaml, overrides);
  if (ds.size() != 1) {
    std::string all;
    for (const auto& d : ds) all += "\n  " + d.to_string();
    ADD_FAILURE() << "expected exactly one diagnostic, got " << ds.size() << ":" << all;
    return ds.empty() ? "" : ds.front().to_string();
  }
  return ds.front().to_string();
}

// A minimal valid scenario (line numbers on the right); tests append lines to it so that each
// mistake sits at a known line.
inline const std::string kMinimal =
    "mercato: 1\n"              // 1
    "name: mini\n"              // 2
    "regions:\n"                // 3
    "  - id: North\n"           // 4
    "  - id: South\n"           // 5
    "organisations:\n"          // 6
    "  - name: Lab\n"           // 7
    "    kind: frontier_lab\n"  // 8
    "    region: North\n"       // 9
    "    ai_value: 1.0e+9\n";   // 10

}  // namespace mercato::scenario::test
