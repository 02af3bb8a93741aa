// The headline figures of one run (docs/compare.md defines each one): shares of top-tier talent,
// headcounts, brain drain, wages, market figures and, when the scenario has events, the sums
// over its events. `mercato compare` pairs them over replicates; ensembles and sweeps store them
// per run and summarise them per parameter point.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "mercato/engine/metrics.hpp"
#include "mercato/engine/simulation.hpp"

namespace mercato::experiment {

// Top-tier talents employed at the end of a run, by region (scenario order) and by group: the
// counts behind RunSummary's top_work_share, which costs per talent need.
struct EndHeadcounts {
  std::vector<std::int64_t> top_by_region;
  std::vector<std::int64_t> top_by_group;
};

// An observer that keeps `out` equal to the latest month's top-tier headcounts.
std::unique_ptr<Observer> record_end_headcounts(EndHeadcounts& out);

struct Figure {
  std::string section;  // heading in a printed table
  std::string metric;   // stable key, e.g. "regions.North.brain_drain_top"
  std::string label;    // the row's name under its heading
  std::string unit;     // share, talents, USD/yr, USD, moves/talent-year, index
  double value = 0;
};

// The figures of one run, in docs/compare.md's order. `region_ids` and `group_ids` are the
// scenario's, in its order. The policy sums (events.*) are included when `with_events`.
std::vector<Figure> run_figures(const RunSummary& summary, const EndHeadcounts& headcounts,
                                const std::vector<std::string>& region_ids,
                                const std::vector<std::string>& group_ids, bool with_events);

}  // namespace mercato::experiment
