#include "mercato/core/error.hpp"

#include <string>

namespace mercato {

std::string ScenarioDiagnostic::to_string() const {
  // Appends one piece at a time (GCC 12 warns wrongly on chains of operator+ at -O3).
  std::string s = file.empty() ? std::string("<scenario>") : file;
  if (line > 0) {
    s.append(":").append(std::to_string(line));
    if (column > 0) s.append(":").append(std::to_string(column));
  }
  s.append(": ");
  if (!key.empty()) s.append(key).append(": ");
  s.append(message);
  return s;
}

namespace {
std::string join(const std::vector<ScenarioDiagnostic>& ds) {
  std::string s;
  for (const auto& d : ds) {
    if (!s.empty()) s += "\n";
    s += d.to_string();
  }
  return s;
}
}  // namespace

ScenarioError::ScenarioError(std::vector<ScenarioDiagnostic> diagnostics)
    : Error(join(diagnostics)), diagnostics_(std::move(diagnostics)) {}

}  // namespace mercato
