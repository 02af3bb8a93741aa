// The CSV tables of a run (docs/outputs.md): one row per metrics row, keyed by month index and
// date, ids written as names. The column lists here and the tables in docs/outputs.md must
// agree; tests/integration checks the files against the document.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

#include "io/number_format.hpp"
#include "mercato/core/world.hpp"
#include "mercato/engine/metrics.hpp"
#include "mercato/scenario/config.hpp"

namespace mercato::io {

enum class Table : std::uint8_t { regions, kinds, orgs, flows, moves, origins, market, events };
inline constexpr int kTableCount = 8;

std::string_view table_name(Table table);  // "regions"; the file is "<name>.csv"
std::optional<Table> table_from_name(std::string_view name);
std::span<const std::string_view> table_columns(Table table);

// The header line, newline included.
void append_header(Buffer& out, Table table);
// Appends the month's rows of `table`; returns how many. moves.csv keeps the moves `move_log`
// asks for (top includes elite).
std::int64_t append_rows(Buffer& out, Table table, const World& world, const MonthMetrics& metrics,
                         MoveLog move_log);

bool move_is_logged(const MoveRecord& move, MoveLog move_log);

// Names for ids at the file boundary.
std::string_view region_name(const World& world, RegionId region);
std::string_view org_name(const World& world, OrgId org);
std::string_view org_kind_name(const World& world, OrgId org);  // "unemployed" for none

}  // namespace mercato::io
