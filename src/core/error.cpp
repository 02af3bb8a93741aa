#include "mercato/core/error.hpp"

#include <string>

namespace mercato {

std::string ScenarioDiagnostic::to_string() const {
  std::string s = file.empty() ? std::string("<scenario>") : file;
  if (line > 0) {
    s += ":" + std::to_string(line);
    if (column > 0) s += ":" + std::to_string(column);
  }
  s += ": ";
  if (!key.empty()) s += key + ": ";
  s += message;
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
