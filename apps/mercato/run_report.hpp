// The human summary printed at the end of `mercato run` (issue 2, "The command line").
// Figures come from the RunSummary the engine computed; this file only lays them out.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "mercato/core/world.hpp"
#include "mercato/engine/metrics.hpp"

namespace mercato::cli {

// Money the way people say it: $950, $350k, $4.5k, $1.2M, $120M, $3.4B.
std::string human_money(double usd);
// 1234567 -> "1,234,567", without the locale (a user's locale must not change the output).
std::string grouped(std::int64_t value);

struct ReportContext {
  std::filesystem::path folder;
  std::vector<std::string> files;
};

std::string run_report(const World& world, const RunSummary& summary, const ReportContext& context);

}  // namespace mercato::cli
