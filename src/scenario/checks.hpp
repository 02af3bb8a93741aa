// Ranges and references of a Config: the checks shared by `load` (with the locations of the
// values in the files) and `validate` (a Config built in code, no locations).
#pragma once

#include "mercato/scenario/config.hpp"
#include "scenario/decode.hpp"
#include "scenario/source_tree.hpp"

namespace mercato::scenario::detail {

// Adds a diagnostic for every value out of range, undefined reference or duplicate name.
// A key already reported while decoding is not reported again.
void check_config(const Config& config, const Locations& locations, Diagnostics& diagnostics);

}  // namespace mercato::scenario::detail
