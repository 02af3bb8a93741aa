// Ensembles and sweeps into a results database: the rows do not depend on the thread count,
// a stopped experiment resumes to the same database, a database of another experiment is
// refused, failures are recorded under both error policies, and the aggregates are the mean,
// standard deviation and interval of the stored figures.
#include <gtest/gtest.h>

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <limits>
#include <string>

#include <fmt/format.h>

#include "mercato/experiment/statistics.hpp"
#include "mercato/experiment/sweep.hpp"
#include "mercato/io/results_db.hpp"
#include "mercato/scenario/experiment.hpp"
#include "support/files.hpp"
#include "support/results_db_dump.hpp"

namespace {

namespace fs = std::filesystem;
using mercato::experiment::OnError;
using mercato::experiment::run_experiment;
using mercato::experiment::SweepOptions;
using mercato::experiment::SweepResult;
using mercato::scenario::Experiment;

const fs::path kTiny = fs::path(MERCATO_SOURCE_DIR) / "scenarios" / "tiny.yaml";

class SweepTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    root_ =
        fs::temp_directory_path() / fmt::format("mercato-sweep-{}-{}", ::getpid(), info->name());
    fs::remove_all(root_);
    fs::create_directories(root_);
  }
  void TearDown() override { fs::remove_all(root_); }

  // Four replicates of tiny.yaml, 6 months each.
  static Experiment ensemble(int replicates = 4, int months = 6) {
    return mercato::scenario::ensemble_experiment(kTiny.string(), {}, replicates, 11, months, {});
  }

  // A sweep of two tax rates in the North x 2 replicates, written as an experiment file.
  Experiment sweep_file(const std::string& extra = "") {
    const fs::path file = root_ / "sweep.yaml";
    std::ofstream(file) << fmt::format(
        "name: north-tax\n"
        "scenario: {}\n"
        "seed: 5\n"
        "months: 6\n"
        "replicates: 2\n"
        "parameters:\n"
        "  - key: regions.North.tax_rate\n"
        "    values: [0.2, 0.45]\n"
        "keep: [regions, market]\n{}",
        kTiny.string(), extra);
    return mercato::scenario::load_experiment(file.string());
  }

  SweepResult run(const Experiment& e, const fs::path& db, SweepOptions options = {}) {
    return run_experiment(e, "test", db, options);
  }

  fs::path root_;
};

TEST_F(SweepTest, RowsDoNotDependOnTheThreadCount) {
  SweepOptions one, two;
  one.threads = 1;
  two.threads = 2;
  const SweepResult a = run(ensemble(), root_ / "one.db", one);
  const SweepResult b = run(ensemble(), root_ / "two.db", two);
  EXPECT_EQ(a.progress.done, 4);
  EXPECT_EQ(b.progress.done, 4);
  const std::string dump = mercato::testing::dump_results_db(root_ / "one.db");
  EXPECT_EQ(dump, mercato::testing::dump_results_db(root_ / "two.db"));
  EXPECT_NE(dump.find("table regions"), std::string::npos);
  EXPECT_NE(dump.find("metric=regions.North.top_work_share"), std::string::npos);
  EXPECT_EQ(mercato::testing::read_file(a.aggregates), mercato::testing::read_file(b.aggregates));
}

TEST_F(SweepTest, RunsArePointMajorWithTheExperimentSeedAndReplicatesDiffer) {
  const Experiment e = sweep_file();
  ASSERT_EQ(e.points.size(), 2U);
  const SweepResult r = run(e, root_ / "s.db");
  EXPECT_EQ(r.progress.total, 4);
  EXPECT_EQ(r.progress.done, 4);
  const mercato::io::ExperimentPlan plan = mercato::experiment::plan_of(e, "test");
  ASSERT_EQ(plan.runs.size(), 4U);
  // Run ids are point-major; every run of the experiment has the experiment's seed.
  EXPECT_EQ(plan.runs[1].point, 0);
  EXPECT_EQ(plan.runs[1].replicate, 1);
  EXPECT_EQ(plan.runs[2].point, 1);
  EXPECT_EQ(plan.runs[2].replicate, 0);
  for (const auto& run : plan.runs) EXPECT_EQ(run.seed, 5U);
  mercato::io::ResultsDb db(root_ / "s.db", plan);
  const auto figures = db.figures_by_point();
  ASSERT_EQ(figures.size(), 2U);
  ASSERT_FALSE(figures[0].metrics.empty());
  // Two replicates of a point differ (each has its own random streams).
  const auto at =
      std::find(figures[0].metrics.begin(), figures[0].metrics.end(), "moves_per_talent_year");
  ASSERT_NE(at, figures[0].metrics.end());
  const auto& moves = figures[0].values[static_cast<std::size_t>(at - figures[0].metrics.begin())];
  ASSERT_EQ(moves.size(), 2U);
  EXPECT_NE(moves[0], moves[1]);
}

TEST_F(SweepTest, AStoppedExperimentResumesToTheSameDatabase) {
  run(ensemble(6), root_ / "whole.db");
  std::atomic<bool> stop{false};
  SweepOptions options;
  options.threads = 1;
  options.stop = &stop;
  options.on_progress = [&stop](const mercato::experiment::SweepProgress& p) {
    if (p.done >= 2) stop = true;
  };
  const SweepResult first = run(ensemble(6), root_ / "part.db", options);
  EXPECT_TRUE(first.stopped);
  EXPECT_GE(first.progress.done, 2);
  EXPECT_LT(first.progress.done, 6);
  const SweepResult second = run(ensemble(6), root_ / "part.db");
  EXPECT_FALSE(second.stopped);
  EXPECT_EQ(second.progress.skipped, first.progress.done);
  EXPECT_EQ(second.progress.skipped + second.progress.done, 6);
  EXPECT_EQ(mercato::testing::dump_results_db(root_ / "whole.db"),
            mercato::testing::dump_results_db(root_ / "part.db"));
  // A third start has nothing left to do.
  const SweepResult third = run(ensemble(6), root_ / "part.db");
  EXPECT_EQ(third.progress.skipped, 6);
  EXPECT_EQ(third.progress.done, 0);
}

TEST_F(SweepTest, ADatabaseOfAnotherExperimentIsRefused) {
  run(ensemble(2), root_ / "e.db");
  try {
    run(ensemble(3), root_ / "e.db");
    FAIL() << "a changed experiment was accepted";
  } catch (const mercato::UsageError& e) {
    const std::string message = e.what();
    EXPECT_NE(message.find("e.db"), std::string::npos) << message;
    EXPECT_NE(message.find("another experiment"), std::string::npos) << message;
    EXPECT_NE(message.find("replicates"), std::string::npos) << message;
    EXPECT_NE(message.find("--force"), std::string::npos) << message;
  }
  // --force replaces it.
  SweepOptions replace;
  replace.replace = true;
  EXPECT_EQ(run(ensemble(3), root_ / "e.db", replace).progress.done, 3);
}

TEST_F(SweepTest, AFileThatIsNotAResultsDatabaseIsRefused) {
  std::ofstream(root_ / "notes.db") << "my notes";
  EXPECT_THROW(run(ensemble(1), root_ / "notes.db"), mercato::Error);
  EXPECT_EQ(mercato::testing::read_file(root_ / "notes.db"), "my notes");
}

TEST_F(SweepTest, AFailingRunIsRecordedAndTheRestGoOnUnderContinue) {
  SweepOptions options;
  options.threads = 2;
  options.on_error = OnError::continue_;
  options.fail_runs = {2};
  const SweepResult r = run(ensemble(4), root_ / "c.db", options);
  EXPECT_EQ(r.progress.done, 3);
  EXPECT_EQ(r.progress.failed, 1);
  EXPECT_FALSE(r.halted);
  EXPECT_EQ(r.first_failed_run, 2);
  EXPECT_NE(r.first_error.find("run 2 failed on purpose"), std::string::npos);
  const std::string dump = mercato::testing::dump_results_db(root_ / "c.db");
  EXPECT_NE(
      dump.find("run=2,point=0,replicate=1,seed=11,status=failed,error=run 2 failed on purpose"),
      std::string::npos)
      << dump;
}

TEST_F(SweepTest, AFailingRunStopsTheRestUnderStopAndTheNextStartGoesOn) {
  SweepOptions options;
  options.threads = 1;
  options.on_error = OnError::stop;
  options.fail_runs = {2};
  const SweepResult r = run(ensemble(5), root_ / "s.db", options);
  EXPECT_TRUE(r.halted);
  EXPECT_EQ(r.progress.failed, 1);
  EXPECT_EQ(r.progress.done, 1);  // run 1; run 2 failed; 3..5 never started
  const SweepResult again = run(ensemble(5), root_ / "s.db");
  EXPECT_EQ(again.progress.skipped, 2);
  EXPECT_EQ(again.progress.done, 3);
}

TEST_F(SweepTest, AggregatesAreTheMeanAndIntervalOfTheStoredFigures) {
  const Experiment e = ensemble(3);
  const SweepResult r = run(e, root_ / "a.db");
  const std::vector<std::string> lines =
      mercato::testing::lines_of(mercato::testing::read_file(r.aggregates));
  ASSERT_GE(lines.size(), 2U);
  EXPECT_EQ(lines[0], "point,metric,unit,runs,mean,sd,ci_low,ci_high");
  mercato::io::ResultsDb db(root_ / "a.db", mercato::experiment::plan_of(e, "test"));
  const auto figures = db.figures_by_point();
  ASSERT_EQ(figures.size(), 1U);
  const auto& values = figures[0].values[0];
  ASSERT_EQ(values.size(), 3U);
  const mercato::experiment::MeanEstimate m = mercato::experiment::estimate_mean(values);
  const std::string expected_start =
      fmt::format("0,{},{},3,", figures[0].metrics[0], figures[0].units[0]);
  EXPECT_TRUE(lines[1].starts_with(expected_start)) << lines[1];
  // The mean as written (six significant digits) is the mean of the stored values.
  const std::string rest = lines[1].substr(expected_start.size());
  EXPECT_NEAR(std::stod(rest.substr(0, rest.find(','))), m.mean, 1e-5 * std::abs(m.mean) + 1e-12);
}

TEST_F(SweepTest, ARunRecordSurvivesTheTripBetweenRanks) {
  mercato::io::RunRecord r;
  r.run = 7;
  r.failed = false;
  r.worker = "rank 1 thread 0";
  r.seconds = 1.5;
  r.talent_months = 1234;
  r.figures = {{"a", "share", 0.25}, {"b", "USD", std::numeric_limits<double>::quiet_NaN()}};
  r.tables = {{"regions", "0,2025-01,North,all,1\n"}};
  const mercato::io::RunRecord back =
      mercato::io::deserialize_run_record(mercato::io::serialize(r));
  EXPECT_EQ(back.run, 7);
  EXPECT_EQ(back.worker, r.worker);
  EXPECT_EQ(back.figures.size(), 2U);
  EXPECT_EQ(back.figures[0].value, 0.25);
  EXPECT_TRUE(std::isnan(back.figures[1].value));
  EXPECT_EQ(back.tables, r.tables);
}

}  // namespace
