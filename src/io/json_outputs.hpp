// summary.json and manifest.json (docs/outputs.md). Same number rules as the CSV tables:
// money in whole dollars, shares to 6 significant digits, ids as names.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "mercato/core/world.hpp"
#include "mercato/engine/metrics.hpp"
#include "mercato/io/outputs.hpp"

namespace mercato::io {

// Two-space indented JSON text with a final newline.
std::string summary_json_text(const World& world, const RunSummary& summary);

struct ManifestFile {
  std::string name;
  std::optional<std::int64_t> rows;  // data rows of a CSV table (header excluded)
};

std::string manifest_json_text(const RunDescription& description, const RunTimings& timings,
                               const std::vector<ManifestFile>& files);

}  // namespace mercato::io
