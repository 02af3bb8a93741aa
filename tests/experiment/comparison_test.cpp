// compare on scenarios/tiny.yaml: a scenario against itself differs by exactly zero, a change
// moves the figures, results do not depend on the thread count, pairs that cannot be compared
// are refused, and the cost per additional talent follows its definition (docs/compare.md).
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <limits>
#include <map>
#include <numeric>

#include <nlohmann/json.hpp>

#include "mercato/experiment/comparison.hpp"
#include "support.hpp"
#include "support/files.hpp"

namespace mercato::experiment {
namespace {

namespace fs = std::filesystem;
using testing::tiny_config;

ReplicateOptions threads(int n) {
  ReplicateOptions options;
  options.threads = n;
  return options;
}

std::map<std::string, ComparisonRow> by_metric(const std::vector<ComparisonRow>& rows) {
  std::map<std::string, ComparisonRow> out;
  for (const ComparisonRow& row : rows) out[row.metric] = row;
  return out;
}

TEST(Comparison, AScenarioAgainstItselfDiffersByExactlyZero) {
  const Config config = tiny_config();
  const Comparison c = compare(config, config, 3, threads(2));
  EXPECT_EQ(c.replicates, 3);
  EXPECT_EQ(c.seed, config.seed);
  ASSERT_FALSE(c.rows.empty());
  for (const ComparisonRow& row : c.rows) {
    EXPECT_EQ(row.base_mean, row.policy_mean) << row.metric;
    EXPECT_EQ(row.diff_mean, 0.0) << row.metric;
    EXPECT_EQ(row.diff_lo, 0.0) << row.metric;
    EXPECT_EQ(row.diff_hi, 0.0) << row.metric;
  }
}

TEST(Comparison, RowsCoverTheHeadlineFigures) {
  const Config config = tiny_config({{"months", "6"}});
  const auto rows = by_metric(compare(config, config, 2, threads(1)).rows);
  for (const char* metric :
       {"regions.North.top_work_share", "regions.South.top_work_share",
        "groups.Everywhere.top_work_share", "regions.North.top_employed",
        "regions.South.brain_drain_top", "groups.Everywhere.brain_drain_top", "wage_end.elite.p50",
        "wage_end.top.p90", "wage_end.all.p99", "moves_per_talent_year", "unemployment_end",
        "elite_top5_share_end", "elite_hhi_end"}) {
    EXPECT_TRUE(rows.contains(metric)) << metric;
  }
  // tiny has no events: no policy rows.
  for (const auto& [metric, row] : rows) EXPECT_FALSE(metric.starts_with("events.")) << metric;
  EXPECT_EQ(rows.at("regions.North.top_work_share").unit, "share");
  EXPECT_EQ(rows.at("wage_end.elite.p50").unit, "USD/yr");
}

TEST(Comparison, HeadcountsAgreeWithWorkShares) {
  const ScenarioReplicates runs = run_scenario_replicates(tiny_config({{"months", "6"}}), 2, {});
  ASSERT_EQ(runs.headcounts.size(), 2u);
  for (std::size_t r = 0; r < 2; ++r) {
    const auto& counts = runs.headcounts[r].top_by_region;
    ASSERT_EQ(counts.size(), 2u);
    const double total = static_cast<double>(std::accumulate(counts.begin(), counts.end(), 0LL));
    ASSERT_GT(total, 0);
    for (std::size_t i = 0; i < counts.size(); ++i) {
      EXPECT_NEAR(static_cast<double>(counts[i]) / total,
                  runs.summaries[r].regions[i].top_work_share, 1e-12);
    }
    // Everywhere = North + South.
    EXPECT_EQ(runs.headcounts[r].top_by_group.at(0), counts[0] + counts[1]);
  }
}

TEST(Comparison, AChangeMovesTheFiguresAndTheThreadCountDoesNot) {
  const Config base = tiny_config();
  const Config policy = tiny_config({{"regions.North.tax_rate", "0.2"}});
  const Comparison one = compare(base, policy, 3, threads(1));
  const Comparison two = compare(base, policy, 3, threads(2));
  EXPECT_EQ(comparison_csv(one), comparison_csv(two));
  EXPECT_EQ(comparison_json(one), comparison_json(two));
  const auto rows = by_metric(one.rows);
  EXPECT_NE(rows.at("regions.North.top_work_share").diff_mean, 0.0);
  for (const ComparisonRow& row : one.rows) {
    if (!std::isfinite(row.diff_lo)) continue;
    EXPECT_LE(row.diff_lo, row.diff_mean) << row.metric;
    EXPECT_GE(row.diff_hi, row.diff_mean) << row.metric;
  }
}

TEST(Comparison, OneReplicateHasNoInterval) {
  const Config config = tiny_config({{"months", "3"}});
  const Comparison c =
      compare(config, tiny_config({{"months", "3"}, {"regions.North.tax_rate", "0.2"}}), 1, {});
  for (const ComparisonRow& row : c.rows) {
    EXPECT_TRUE(std::isnan(row.diff_lo)) << row.metric;
    EXPECT_TRUE(std::isnan(row.diff_hi)) << row.metric;
  }
}

TEST(Comparison, ThePolicyRunsWithTheBaseSeed) {
  const Config base = tiny_config({{"months", "3"}});
  const Config policy = tiny_config({{"months", "3"}, {"seed", "999"}});
  const Comparison c = compare(base, policy, 2, {});
  EXPECT_EQ(c.seed, base.seed);
  for (const ComparisonRow& row : c.rows) EXPECT_EQ(row.diff_mean, 0.0) << row.metric;
}

TEST(Comparison, ScenariosWithOtherRegionsOrPeriodsAreRefused) {
  const Config base = tiny_config();
  Config renamed = base;
  renamed.regions[1].id = "East";
  try {
    check_comparable(base, renamed);
    ADD_FAILURE() << "different regions accepted";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("regions differ"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("[North, East]"), std::string::npos) << e.what();
  }
  EXPECT_THROW(compare(base, renamed, 2, {}), Error);
  Config longer = base;
  longer.months = 36;
  EXPECT_THROW(check_comparable(base, longer), Error);
}

// Hand-made replicates: base without events, policy paying 100 per replicate and employing 2
// and then 4 more top-tier talents in North, the same in South.
TEST(Comparison, CostPerAdditionalTalentIsExtraCostOverExtraHeadcount) {
  auto side = [](std::vector<std::int64_t> north, double cost) {
    ScenarioReplicates s;
    s.name = cost > 0 ? "policy" : "base";
    s.region_ids = {"North", "South"};
    s.group_ids = {"All"};
    for (std::size_t r = 0; r < north.size(); ++r) {
      RunSummary summary;
      summary.regions.resize(2);
      summary.groups.resize(1);
      summary.groups[0].group = "All";
      if (cost > 0) {
        EventSummary e;
        e.name = "grant";
        e.cost = cost;
        e.departures_avoided = 3;
        summary.events.push_back(e);
      }
      s.summaries.push_back(summary);
      s.headcounts.push_back({{north[r], 50}, {north[r] + 50}});
    }
    return s;
  };
  const auto rows = by_metric(comparison_rows(side({100, 100}, 0), side({102, 104}, 100.0)));
  EXPECT_DOUBLE_EQ(rows.at("events.cost").diff_mean, 100.0);
  EXPECT_DOUBLE_EQ(rows.at("events.departures_avoided").policy_mean, 3.0);
  EXPECT_DOUBLE_EQ(rows.at("regions.North.top_employed").diff_mean, 3.0);
  const ComparisonRow& north = rows.at("regions.North.cost_per_additional_top");
  EXPECT_DOUBLE_EQ(north.diff_mean, 100.0 / 3.0);
  EXPECT_TRUE(std::isnan(north.base_mean));
  EXPECT_TRUE(std::isnan(north.diff_lo));
  EXPECT_DOUBLE_EQ(rows.at("groups.All.cost_per_additional_top").diff_mean, 100.0 / 3.0);
  // No extra talent in South: no cost per talent.
  EXPECT_TRUE(std::isnan(rows.at("regions.South.cost_per_additional_top").diff_mean));
}

class ComparisonFiles : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ =
        fs::temp_directory_path() /
        fmt::format("mercato-comparison-{}-{}", ::testing::UnitTest::GetInstance()->random_seed(),
                    ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  fs::path dir_;
};

TEST_F(ComparisonFiles, WritesATidyCsvAndJson) {
  const Config config = tiny_config({{"months", "3"}});
  const Comparison c = compare(config, config, 2, {});
  {
    ComparisonWriter writer(dir_, false);
    writer.write(c);
  }
  const auto lines = testing::lines_of(testing::read_file(dir_ / "comparison.csv"));
  ASSERT_EQ(lines.size(), c.rows.size() + 1);
  EXPECT_EQ(lines[0], "metric,unit,base_mean,policy_mean,difference,ci_low,ci_high,replicates");
  EXPECT_TRUE(lines[1].starts_with("regions.North.top_work_share,share,")) << lines[1];
  EXPECT_TRUE(lines[1].ends_with(",0,0,0,2")) << lines[1];
  const auto json = nlohmann::json::parse(testing::read_file(dir_ / "comparison.json"));
  EXPECT_EQ(json["base"], "tiny");
  EXPECT_EQ(json["replicates"], 2);
  EXPECT_EQ(json["rows"].size(), c.rows.size());
  for (const auto& entry : fs::directory_iterator(dir_)) {
    EXPECT_NE(entry.path().filename().string().front(), '.') << entry.path();
  }
}

TEST_F(ComparisonFiles, ANonEmptyFolderIsRefusedWithoutForce) {
  fs::create_directories(dir_);
  std::ofstream(dir_ / "notes.txt") << "mine";
  EXPECT_THROW(ComparisonWriter(dir_, false), UsageError);
  {
    ComparisonWriter writer(dir_, true);
    writer.write(compare(tiny_config({{"months", "2"}}), tiny_config({{"months", "2"}}), 1, {}));
  }
  EXPECT_TRUE(fs::exists(dir_ / "comparison.csv"));
  EXPECT_EQ(testing::read_file(dir_ / "notes.txt"), "mine");
}

TEST_F(ComparisonFiles, AnUnfinishedWriterLeavesNothing) {
  { ComparisonWriter writer(dir_, false); }
  EXPECT_FALSE(fs::exists(dir_));
}

}  // namespace
}  // namespace mercato::experiment
