// `mercato ensemble` and `mercato sweep` as a user runs them: the same database for 1 and 2
// threads and for 1 and 2 MPI ranks, resume after SIGKILL at a random moment, a changed
// experiment refused, failures under both error policies, JSON progress, and clear messages
// for bad experiment files.
#include <gtest/gtest.h>

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <thread>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <sqlite3.h>

#include "support/cli.hpp"
#include "support/files.hpp"
#include "support/results_db_dump.hpp"

namespace {

namespace fs = std::filesystem;
using mercato::testing::CommandResult;
using mercato::testing::dump_results_db;
using mercato::testing::lines_of;
using mercato::testing::read_file;
using mercato::testing::shell_quoted;

const fs::path kSourceDir = MERCATO_SOURCE_DIR;
const fs::path kTiny = kSourceDir / "scenarios" / "tiny.yaml";
const std::string kMpiexec = MERCATO_MPIEXEC;

// Our CSV rows have no quoted fields in the market table.
std::vector<std::string> split(const std::string& line) {
  std::vector<std::string> fields(1);
  for (char c : line) {
    if (c == ',') {
      fields.emplace_back();
    } else {
      fields.back() += c;
    }
  }
  return fields;
}

class ExperimentCliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    root_ = fs::temp_directory_path() /
            fmt::format("mercato-experiment-{}-{}", ::getpid(), info->name());
    fs::remove_all(root_);
    fs::create_directories(root_);
  }
  void TearDown() override { fs::remove_all(root_); }

  CommandResult mercato(const std::string& args) {
    return mercato::testing::run_in(root_, shell_quoted(MERCATO_BINARY) + " " + args);
  }
  CommandResult mpirun(int ranks, const std::string& args) {
    return mercato::testing::run_in(
        root_, mercato::testing::mpirun_line(kMpiexec, ranks, MERCATO_BINARY, args));
  }

  // Two tax rates x 3 replicates of tiny.yaml, 12 months.
  fs::path write_experiment(const std::string& name = "sweep.yaml", int replicates = 3,
                            const std::string& extra = "") {
    const fs::path file = root_ / name;
    std::ofstream(file) << fmt::format(
        "name: north-tax\n"
        "scenario: {}\n"
        "months: 12\n"
        "replicates: {}\n"
        "parameters:\n"
        "  - key: regions.North.tax_rate\n"
        "    values: [0.2, 0.45]\n"
        "keep: [regions, market, moves]\n{}",
        kTiny.string(), replicates, extra);
    return file;
  }

  static void expect_clean_error(const CommandResult& r, int code, const std::string& fragment) {
    EXPECT_EQ(r.exit_code, code) << r.err;
    EXPECT_NE(r.err.find("mercato: error: "), std::string::npos) << r.err;
    EXPECT_NE(r.err.find(fragment), std::string::npos) << r.err;
    for (const char* crash : {"terminate called", "Aborted", "what():", "Segmentation"}) {
      EXPECT_EQ(r.err.find(crash), std::string::npos) << r.err;
    }
  }

  // `mercato sweep FILE -o DB -q --threads 2` in the background from root_, stderr to
  // root_/<DB>.err.
  pid_t start_sweep(const fs::path& file, const std::string& db) {
    const std::string err = (root_ / (db + ".err")).string();
    const pid_t child = ::fork();
    if (child != 0) return child;
    if (::chdir(root_.c_str()) != 0) ::_exit(127);
    const int null_fd = ::open("/dev/null", O_WRONLY);
    const int err_fd = ::open(err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    ::dup2(null_fd, STDOUT_FILENO);
    ::dup2(err_fd, STDERR_FILENO);
    ::execl(MERCATO_BINARY, MERCATO_BINARY, "sweep", file.c_str(), "-o", db.c_str(), "-q",
            "--threads", "2", static_cast<char*>(nullptr));
    ::_exit(127);
  }

  // Milliseconds an uninterrupted `mercato sweep FILE -o DB` takes.
  double time_whole_sweep(const fs::path& file, const std::string& db) {
    const auto started = std::chrono::steady_clock::now();
    EXPECT_EQ(
        mercato("sweep " + shell_quoted(file.string()) + " -o " + db + " -q --threads 2").exit_code,
        0);
    return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started)
        .count();
  }

  fs::path root_;
};

TEST_F(ExperimentCliTest, ASweepWritesTheDatabaseAndItsAggregates) {
  const fs::path file = write_experiment();
  const CommandResult r = mercato("sweep " + shell_quoted(file.string()) + " --threads 2");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("sweep north-tax: 2 points x 3 replicates = 6 runs"), std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("done 6, failed 0, left 0"), std::string::npos) << r.out;
  // The default database is runs/<experiment name>.db, with the aggregates beside it.
  ASSERT_TRUE(fs::exists(root_ / "runs" / "north-tax.db"));
  const std::vector<std::string> aggregates =
      lines_of(read_file(root_ / "runs" / "north-tax.aggregates.csv"));
  ASSERT_GT(aggregates.size(), 2U);
  EXPECT_EQ(aggregates[0], "point,regions.North.tax_rate,metric,unit,runs,mean,sd,ci_low,ci_high");
  EXPECT_TRUE(aggregates[1].starts_with("0,0.2,regions.North.top_work_share,share,3,"))
      << aggregates[1];
  const std::string dump = dump_results_db(root_ / "runs" / "north-tax.db");
  for (const char* table : {"table experiment", "table market", "table metric", "table moves",
                            "table parameter", "table point", "table regions", "table run"}) {
    EXPECT_NE(dump.find(table), std::string::npos) << table;
  }
  EXPECT_EQ(dump.find("table orgs"), std::string::npos);
  EXPECT_NE(dump.find("point=1,key=regions.North.tax_rate,value=0.45"), std::string::npos);
}

TEST_F(ExperimentCliTest, ReplicateZeroOfAnEnsembleHasTheRowsOfMercatoRun) {
  ASSERT_EQ(mercato("run " + shell_quoted(kTiny.string()) + " --months 12 -o single -q").exit_code,
            0);
  const CommandResult r = mercato("ensemble " + shell_quoted(kTiny.string()) +
                                  " --months 12 --replicates 2 --keep regions,market -o e.db -q");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  // The market rows of run 1 (replicate 0), as CSV, equal market.csv of the single run.
  const CommandResult q = mercato::testing::run_in(
      root_, "sqlite3 -csv e.db \"SELECT * FROM market WHERE run=1 ORDER BY month\"");
  ASSERT_EQ(q.exit_code, 0) << q.err;
  std::vector<std::string> single = lines_of(read_file(root_ / "single" / "market.csv"));
  single.erase(single.begin());  // header
  std::vector<std::string> stored = lines_of(q.out);
  ASSERT_EQ(stored.size(), single.size());
  for (std::size_t i = 0; i < single.size(); ++i) {
    // sqlite3 prints the run column first, then the fields as stored: numbers as numbers.
    const std::vector<std::string> want = split(single[i]);
    std::vector<std::string> got = split(stored[i]);
    ASSERT_EQ(got.front(), "1");
    got.erase(got.begin());
    ASSERT_EQ(got.size(), want.size()) << stored[i];
    for (std::size_t f = 0; f < want.size(); ++f) {
      char* end_want = nullptr;
      char* end_got = nullptr;
      const double a = std::strtod(want[f].c_str(), &end_want);
      const double b = std::strtod(got[f].c_str(), &end_got);
      if (!want[f].empty() && *end_want == '\0' && *end_got == '\0') {
        EXPECT_DOUBLE_EQ(a, b) << "row " << i << " field " << f;
      } else {
        EXPECT_EQ(want[f], got[f]) << "row " << i << " field " << f;
      }
    }
  }
}

TEST_F(ExperimentCliTest, OneAndTwoThreadsGiveTheSameDatabase) {
  const fs::path file = write_experiment();
  ASSERT_EQ(mercato("sweep " + shell_quoted(file.string()) + " --threads 1 -o one.db -q").exit_code,
            0);
  ASSERT_EQ(mercato("sweep " + shell_quoted(file.string()) + " --threads 2 -o two.db -q").exit_code,
            0);
  EXPECT_EQ(dump_results_db(root_ / "one.db"), dump_results_db(root_ / "two.db"));
  EXPECT_EQ(read_file(root_ / "one.aggregates.csv"), read_file(root_ / "two.aggregates.csv"));
}

TEST_F(ExperimentCliTest, OneAndTwoMpiRanksGiveTheSameDatabaseAsOneProcess) {
  if (kMpiexec.empty()) GTEST_SKIP() << "built without MPI";
  const fs::path file = write_experiment();
  ASSERT_EQ(mercato("sweep " + shell_quoted(file.string()) + " -o alone.db -q").exit_code, 0);
  for (int ranks : {1, 2}) {
    const std::string db = fmt::format("ranks{}.db", ranks);
    const CommandResult r = mpirun(ranks, "sweep " + shell_quoted(file.string()) + " -o " + db);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    if (ranks == 2) {
      EXPECT_NE(r.out.find("1 thread on each of 2 ranks"), std::string::npos) << r.out;
      // Both ranks ran some of the runs.
      const CommandResult workers = mercato::testing::run_in(
          root_, "sqlite3 " + db + " \"SELECT DISTINCT substr(worker, 1, 6) FROM run ORDER BY 1\"");
      EXPECT_EQ(workers.out, "rank 0\nrank 1\n");
    }
    EXPECT_EQ(dump_results_db(root_ / "alone.db"), dump_results_db(root_ / db)) << ranks;
  }
}

TEST_F(ExperimentCliTest, ASweepKilledAtARandomMomentResumesToTheSameDatabase) {
  // 16 runs long enough that a kill lands among them.
  const fs::path file = write_experiment("long.yaml", 8, "set:\n  scale: 3\n");
  const double whole_ms = time_whole_sweep(file, "whole.db");

  std::random_device device;
  std::mt19937 random(device());
  const int delay_ms = std::uniform_int_distribution<int>(
      20, std::max(40, static_cast<int>(0.9 * whole_ms)))(random);
  const pid_t child = start_sweep(file, "part.db");
  ASSERT_GT(child, 0);
  std::this_thread::sleep_for(std::chrono::milliseconds(delay_ms));
  ::kill(child, SIGKILL);
  int status = 0;
  ::waitpid(child, &status, 0);
  SCOPED_TRACE(fmt::format("killed after {} ms of a {:.0f} ms sweep", delay_ms, whole_ms));

  const CommandResult again =
      mercato("sweep " + shell_quoted(file.string()) + " -o part.db --threads 2");
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_EQ(dump_results_db(root_ / "whole.db"), dump_results_db(root_ / "part.db"));
  EXPECT_EQ(read_file(root_ / "whole.aggregates.csv"), read_file(root_ / "part.aggregates.csv"));
}

// Runs stored as done in `db` (0 while it does not exist or is being written).
int done_runs(const fs::path& db) {
  sqlite3* handle = nullptr;
  int done = 0;
  if (sqlite3_open_v2(db.c_str(), &handle, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK) {
    sqlite3_stmt* stmt = nullptr;
    if (sqlite3_prepare_v2(handle, "SELECT COUNT(*) FROM run WHERE status='done'", -1, &stmt,
                           nullptr) == SQLITE_OK &&
        sqlite3_step(stmt) == SQLITE_ROW) {
      done = sqlite3_column_int(stmt, 0);
    }
    sqlite3_finalize(stmt);
  }
  sqlite3_close(handle);
  return done;
}

TEST_F(ExperimentCliTest, ACtrlCStopsASweepCleanlyAndTheSameCommandGoesOn) {
  const fs::path file = write_experiment("long.yaml", 8, "set:\n  scale: 6\n");
  time_whole_sweep(file, "whole.db");
  const pid_t child = start_sweep(file, "part.db");
  ASSERT_GT(child, 0);
  // Ctrl-C once the first run is stored, while the others run.
  int status = 0;
  bool exited = false;
  while (done_runs(root_ / "part.db") < 1) {
    if (::waitpid(child, &status, WNOHANG) == child) {
      exited = true;
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  if (!exited) {
    ::kill(child, SIGINT);
    ::waitpid(child, &status, 0);
  }
  const std::string err = read_file(root_ / "part.db.err");
  if (WIFEXITED(status) && WEXITSTATUS(status) == 0) {
    GTEST_SKIP() << "the sweep finished before the interrupt";  // a much faster machine
  }
  ASSERT_TRUE(WIFEXITED(status)) << err;
  EXPECT_EQ(WEXITSTATUS(status), 130) << err;
  EXPECT_NE(err.find("mercato: error: interrupted; finished runs are in the database"),
            std::string::npos)
      << err;
  const int stored = done_runs(root_ / "part.db");
  EXPECT_GE(stored, 1);
  EXPECT_LT(stored, 16);
  const CommandResult again =
      mercato("sweep " + shell_quoted(file.string()) + " -o part.db --threads 2");
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_NE(again.out.find(fmt::format("{} run{} already in the database (resumed)", stored,
                                       stored == 1 ? " was" : "s were")),
            std::string::npos)
      << again.out;
  EXPECT_EQ(dump_results_db(root_ / "whole.db"), dump_results_db(root_ / "part.db"));
}

TEST_F(ExperimentCliTest, AChangedExperimentIsRefusedAndForceReplacesIt) {
  const fs::path file = write_experiment();
  ASSERT_EQ(mercato("sweep " + shell_quoted(file.string()) + " -o s.db -q").exit_code, 0);
  const std::string before = dump_results_db(root_ / "s.db");
  write_experiment("sweep.yaml", 4);
  const CommandResult r = mercato("sweep " + shell_quoted(file.string()) + " -o s.db");
  expect_clean_error(r, 2, "s.db: holds the results of another experiment");
  EXPECT_NE(r.err.find("--force"), std::string::npos) << r.err;
  EXPECT_EQ(dump_results_db(root_ / "s.db"), before);  // untouched
  const CommandResult forced =
      mercato("sweep " + shell_quoted(file.string()) + " -o s.db --force -q");
  EXPECT_EQ(forced.exit_code, 0) << forced.err;
}

TEST_F(ExperimentCliTest, AFailingRunUnderBothErrorPolicies) {
  const fs::path file = write_experiment();
  const CommandResult go_on = mercato::testing::run_in(
      root_, "MERCATO_FAIL_RUNS=2 " + shell_quoted(MERCATO_BINARY) + " sweep " +
                 shell_quoted(file.string()) + " -o c.db --on-error continue --threads 2");
  expect_clean_error(go_on, 1, "1 run failed; see the run table's error column");
  EXPECT_NE(go_on.out.find("done 5, failed 1, left 0"), std::string::npos) << go_on.out;
  EXPECT_NE(go_on.out.find("first failure: run 2: run 2 failed on purpose"), std::string::npos);

  const CommandResult stop = mercato::testing::run_in(
      root_, "MERCATO_FAIL_RUNS=2 " + shell_quoted(MERCATO_BINARY) + " sweep " +
                 shell_quoted(file.string()) + " -o s.db --threads 1");
  expect_clean_error(stop, 1, "stopped after run 2 failed (--on-error stop)");
  EXPECT_NE(stop.out.find("done 1, failed 1, left 4"), std::string::npos) << stop.out;
  // Started again, it runs what is left and keeps the failure on record.
  const CommandResult again = mercato("sweep " + shell_quoted(file.string()) + " -o s.db");
  EXPECT_EQ(again.exit_code, 0) << again.err;
  EXPECT_NE(again.out.find("2 runs were already in the database"), std::string::npos) << again.out;
  const CommandResult failed = mercato::testing::run_in(
      root_, "sqlite3 s.db \"SELECT run, status FROM run WHERE status != 'done'\"");
  EXPECT_EQ(failed.out, "2|failed\n");
}

TEST_F(ExperimentCliTest, JsonProgressIsOneObjectPerLine) {
  const CommandResult r = mercato("ensemble " + shell_quoted(kTiny.string()) +
                                  " --months 6 --replicates 3 --json -o j.db");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::vector<std::string> lines = lines_of(r.out);
  ASSERT_GE(lines.size(), 2U);
  for (const std::string& line : lines) {
    const nlohmann::json j = nlohmann::json::parse(line);
    EXPECT_TRUE(j.contains("type")) << line;
  }
  const nlohmann::json last = nlohmann::json::parse(lines.back());
  EXPECT_EQ(last["type"], "finished");
  EXPECT_EQ(last["done"], 3);
  EXPECT_EQ(last["database"], "j.db");
}

TEST_F(ExperimentCliTest, BadExperimentFilesGetClearMessages) {
  const fs::path unknown = write_experiment("unknown.yaml", 3);
  {
    std::ofstream(unknown, std::ios::app) << "";
    std::string text = read_file(unknown);
    text.replace(text.find("regions.North.tax_rate"), 22, "regions.North.tax_rat");
    std::ofstream(unknown) << text;
  }
  const CommandResult r1 = mercato("sweep " + shell_quoted(unknown.string()));
  expect_clean_error(r1, 1, "unknown.yaml:");
  EXPECT_NE(r1.err.find("tax_rat"), std::string::npos) << r1.err;

  const fs::path zero = write_experiment("zero.yaml", 0);
  const CommandResult r2 = mercato("sweep " + shell_quoted(zero.string()));
  expect_clean_error(r2, 1, "zero.yaml:4");
  EXPECT_NE(r2.err.find("replicates"), std::string::npos) << r2.err;

  const fs::path empty = root_ / "empty.yaml";
  std::ofstream(empty) << "scenario: " << kTiny.string()
                       << "\nparameters:\n  - key: regions.North.tax_rate\n    values: []\n";
  const CommandResult r3 = mercato("sweep " + shell_quoted(empty.string()));
  expect_clean_error(r3, 1, "empty.yaml:4");

  const CommandResult r4 = mercato("sweep " + shell_quoted((root_ / "missing.yaml").string()));
  expect_clean_error(r4, 1, "missing.yaml");
  EXPECT_FALSE(fs::exists(root_ / "runs"));  // nothing written for a bad file
}

TEST_F(ExperimentCliTest, TheShippedExperimentRunsAndTheDocumentedQueriesWork) {
  const CommandResult r =
      mercato("sweep " + shell_quoted((kSourceDir / "experiments" / "tiny-tax.yaml").string()) +
              " -o t.db -q");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const CommandResult q = mercato::testing::run_in(
      root_, "sqlite3 t.db \"SELECT COUNT(*), SUM(status='done') FROM run\"");
  EXPECT_EQ(q.out, "20|20\n");

  // Every ```sql block of docs/experiments.md runs on it and returns rows.
  const std::string doc = read_file(kSourceDir / "docs" / "experiments.md");
  int queries = 0;
  for (std::size_t at = doc.find("```sql\n"); at != std::string::npos;
       at = doc.find("```sql\n", at + 1)) {
    const std::size_t begin = at + 7;
    const std::string query = doc.substr(begin, doc.find("```", begin) - begin);
    std::ofstream(root_ / "query.sql") << query;
    const CommandResult rows = mercato::testing::run_in(root_, "sqlite3 -header t.db < query.sql");
    EXPECT_EQ(rows.exit_code, 0) << query << rows.err;
    EXPECT_TRUE(rows.err.empty()) << query << rows.err;
    EXPECT_GE(lines_of(rows.out).size(), 2U) << query << rows.out;
    ++queries;
  }
  EXPECT_GE(queries, 3);
}

}  // namespace
