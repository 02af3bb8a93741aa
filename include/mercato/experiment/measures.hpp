// The figures of a run that `mercato calibrate` compares with published data
// (docs/calibration.md, "Measures"), each computed with the data's own definition
// (data/README.md): MacroPolo's top tier is the model's top tier (top 20%, elite included);
// "origin" is the region of training, "work" the region of the employer. Regions and groups
// stand for the data's countries, so a move between two countries of one region (France and
// Germany inside `EU-other`) is not a move abroad.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "mercato/engine/simulation.hpp"
#include "mercato/scenario/config.hpp"

namespace mercato::experiment {

// Measure key -> value at the end of a run (shares in [0, 1], pay in USD/yr). A share of an
// empty population (no graduate of a region hired during the run) is left out.
using Measures = std::map<std::string, double>;

// Every measure key a run of a World with these regions and groups can have:
//   top_work_share.<R>             employed top-tier talents working in R / all employed top
//   top_hq_share.<R>               employed top-tier talents whose employer's headquarters
//                                  (OrgConfig::headquarters, else its region) is in R / all
//                                  employed top (MacroPolo's definition of work shares)
//   top_origin_share.<R>           top-tier talents trained in R / all top-tier talents
//   top_leakage.<R>                top_origin_share.<R> - top_work_share.<R>
//   top_working_abroad             employed top-tier talents working outside their region of
//                                  training (MacroPolo's "foreign nationals")
//   graduates_to_industry[.<R>]    of the first jobs of new research graduates (of graduate
//                                  study in R: where they entered the market), the share in
//                                  industry (frontier labs, big tech, start-ups, SMEs;
//                                  universities and public labs are academia)
//   graduates_staying.<R>          of the first jobs of new research graduates of graduate
//                                  study in R, the share in R
//   foreign_graduates_staying.<R>  the same for those of them trained outside R (origin not in
//                                  R; only with study_abroad flows into R)
//   wage_mean.kind.<kind>          mean wage of the employed of an organisation kind
//   wage_mean.region.<R>           mean wage of the employed in R
//   top_wage_mean.kind.<kind>      the same, top tier only
//   moves_per_talent_year, unemployment
// <R> is a region id or a group id.
std::vector<std::string> measure_keys(const std::vector<std::string>& region_ids,
                                      const std::vector<std::string>& group_ids);

// A new graduate's first job: a hire from unemployment of a research talent with less than
// this many months of experience.
inline constexpr int kGraduateMonths = 12;

// By organisation entry of the scenario (World's Orgs::pool), the region index of its
// headquarters, or -1 when it has none of its own (it is headquartered where it is).
std::vector<int> headquarters_of(const Config& config);

// An observer that fills `out` at the end of the run: the stock measures from the final World,
// the graduates' first jobs from every month's moves (after warm-up). `headquarters`
// (headquarters_of) places employers for top_hq_share; empty: every one where it is.
std::unique_ptr<Observer> record_measures(Measures& out, std::vector<int> headquarters = {});

}  // namespace mercato::experiment
