// From text to one merged tree: the `extends:` chain (child over parent) and `--set` overrides.
// The rules are documented in docs/scenarios.md ("Merging and overrides").
#pragma once

#include <string>

#include "mercato/scenario/scenario.hpp"
#include "scenario/source_tree.hpp"

namespace mercato::scenario::detail {

// The scenario in `text`, named `file` in messages, with its `extends:` chain merged in.
// `dir` resolves a relative `extends:`; `canonical` is the file's own path on disk ("" for a
// string), so a chain that comes back to it is reported as a cycle. Returns false when the
// chain cannot be resolved (syntax error, missing parent, cycle); diagnostics say why.
bool resolve_extends(const std::string& text, const std::string& file, const std::string& dir,
                     const std::string& canonical, Diagnostics& diagnostics, SourceNode& out);

// Applies one `--set` to the merged tree; problems are reported with the file "--set".
void apply_override(SourceNode& root, const Override& override, Diagnostics& diagnostics);

// The file name that `--set` problems are reported under.
inline constexpr const char* kOverrideFile = "--set";

}  // namespace mercato::scenario::detail
