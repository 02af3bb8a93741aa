// `mercato calibrate` under mpirun (docs/calibration.md, "Many processes: MPI"): one process
// with 1 or 2 threads and 2 or 3 ranks write the same bytes (best.yaml, targets.csv, trace.csv,
// report.md, journal.csv); a journal written under mpirun resumes in one process and the other
// way round; Ctrl-C on mpirun, or an error on rank 0, ends every rank (each mpirun runs under
// `timeout -s KILL`, so a hang fails instead of blocking the suite).
#include <gtest/gtest.h>

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>

#include <fmt/format.h>

#include "support/cli.hpp"
#include "support/files.hpp"

namespace {

namespace fs = std::filesystem;
using mercato::testing::CommandResult;
using mercato::testing::lines_of;
using mercato::testing::read_file;
using mercato::testing::shell_quoted;

const fs::path kTiny = fs::path(MERCATO_SOURCE_DIR) / "scenarios" / "tiny.yaml";
const std::string kMpiexec = MERCATO_MPIEXEC;
// A run that takes longer than this hangs.
constexpr int kDeadlineSeconds = 120;
const char* const kFiles[] = {"best.yaml", "targets.csv", "trace.csv", "report.md", "journal.csv"};

class CalibrateMpiCliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (kMpiexec.empty()) GTEST_SKIP() << "built without MPI";
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    root_ = fs::temp_directory_path() /
            fmt::format("mercato-calibrate-mpi-{}-{}", ::getpid(), info->name());
    fs::remove_all(root_);
    fs::create_directories(root_);
  }
  void TearDown() override { fs::remove_all(root_); }

  CommandResult mercato(const std::string& args) {
    return mercato::testing::run_in(root_, fmt::format("timeout -s KILL {} {} {}", kDeadlineSeconds,
                                                       shell_quoted(MERCATO_BINARY), args));
  }
  std::string mpirun_line(int ranks, const std::string& args) const {
    return mercato::testing::mpirun_line(kMpiexec, ranks, MERCATO_BINARY, args);
  }
  CommandResult mpirun(int ranks, const std::string& args) {
    return mercato::testing::run_in(
        root_, fmt::format("timeout -s KILL {} {}", kDeadlineSeconds, mpirun_line(ranks, args)));
  }

  // fit.yaml: the North's tax rate against the North's top-tier work share and the universities'
  // mean wage on tiny.yaml; 3 replicates, so that 2 and 3 ranks share them differently.
  // `scale` and `months` make each evaluation long enough to be interrupted.
  void write_calibration(int budget, int scale = 1, int months = 6) {
    std::ofstream(root_ / "fit.yaml") << fmt::format(
        "scenario: {}\nseed: 3\nmonths: {}\nwarmup_months: 3\nreplicates: 3\n"
        "optimiser: nelder_mead\nbudget: {}\nset:\n  scale: {}\n"
        "parameters:\n  - {{key: regions.North.tax_rate, range: [0.2, 0.5]}}\n"
        "targets:\n"
        "  - {{measure: top_work_share.North, value: 0.6, tolerance: 0.05}}\n"
        "  - {{measure: wage_mean.kind.university, value: 100000, weight: 0.5}}\n",
        kTiny.string(), months, budget, scale);
  }

  void expect_same_files(const std::string& a, const std::string& b) {
    for (const char* file : kFiles) {
      ASSERT_TRUE(fs::exists(root_ / a / file)) << a << "/" << file;
      EXPECT_EQ(read_file(root_ / a / file), read_file(root_ / b / file))
          << a << " and " << b << " differ in " << file;
    }
  }

  // `dir` as a calibration stopped after `evaluations` evaluations leaves it: the first lines of
  // `from`'s journal (the fingerprint, the column names, the evaluations) and nothing else.
  void cut_journal(const std::string& from, const std::string& dir, int evaluations) {
    fs::create_directories(root_ / dir);
    std::ofstream out(root_ / dir / "journal.csv");
    const auto lines = lines_of(read_file(root_ / from / "journal.csv"));
    for (int i = 0; i < 2 + evaluations; ++i) out << lines.at(static_cast<std::size_t>(i)) << "\n";
  }

  // No process is left running `mercato calibrate fit.yaml -o <dir>` (the brackets keep the
  // pattern from matching the shell that runs pgrep).
  static void expect_no_process_left(const std::string& dir) {
    const CommandResult left = mercato::testing::run_in(
        fs::temp_directory_path(), fmt::format("pgrep -f '[c]alibrate fit.yaml -o {}'", dir));
    EXPECT_EQ(left.out, "") << "processes left running";
  }

  // `line` with its cell `index` (0-based, comma-separated) replaced by `text`.
  static std::string with_cell(const std::string& line, int index, const std::string& text) {
    std::size_t from = 0;
    for (int i = 0; i < index; ++i) from = line.find(',', from) + 1;
    return line.substr(0, from) + text + line.substr(line.find(',', from));
  }

  fs::path root_;
};

TEST_F(CalibrateMpiCliTest, OneAndTwoThreadsAndTwoAndThreeMpiRanksWriteTheSameFiles) {
  write_calibration(4);
  for (const int threads : {1, 2}) {
    const CommandResult r =
        mercato(fmt::format("calibrate fit.yaml -o threads{} --threads {} -q", threads, threads));
    ASSERT_EQ(r.exit_code, 0) << r.err;
  }
  for (const int ranks : {2, 3}) {
    const CommandResult r = mpirun(ranks, fmt::format("calibrate fit.yaml -o ranks{}", ranks));
    ASSERT_EQ(r.exit_code, 0) << r.err;
    // Only rank 0 prints.
    EXPECT_NE(r.out.find(fmt::format("1 thread on each of {} ranks", ranks)), std::string::npos)
        << r.out;
    EXPECT_EQ(r.out.find("calibrate fit:"), r.out.rfind("calibrate fit:")) << r.out;
  }
  EXPECT_EQ(lines_of(read_file(root_ / "threads1" / "trace.csv")).size(), 5u);
  for (const char* other : {"threads2", "ranks2", "ranks3"}) expect_same_files("threads1", other);
}

TEST_F(CalibrateMpiCliTest, AJournalWrittenUnderMpiResumesInOneProcessAndTheOtherWayRound) {
  write_calibration(4);
  ASSERT_EQ(mercato("calibrate fit.yaml -o alone --threads 2 -q").exit_code, 0);
  const CommandResult whole = mpirun(3, "calibrate fit.yaml -o ranks3 -q");
  ASSERT_EQ(whole.exit_code, 0) << whole.err;

  cut_journal("ranks3", "from-mpi", 2);
  const CommandResult alone = mercato("calibrate fit.yaml -o from-mpi --threads 1");
  ASSERT_EQ(alone.exit_code, 0) << alone.err;
  EXPECT_NE(alone.out.find("2 evaluations replayed"), std::string::npos) << alone.out;
  expect_same_files("alone", "from-mpi");

  cut_journal("alone", "from-alone", 1);
  const CommandResult ranks = mpirun(2, "calibrate fit.yaml -o from-alone");
  ASSERT_EQ(ranks.exit_code, 0) << ranks.err;
  EXPECT_NE(ranks.out.find("1 evaluations replayed"), std::string::npos) << ranks.out;
  expect_same_files("alone", "from-alone");
}

// Ctrl-C on mpirun once the first evaluation is in the journal: every rank ends (mpirun passes
// the interrupt on as SIGTERM), the journal keeps what was done, and the same command under
// another number of ranks ends with the files of an uninterrupted run.
TEST_F(CalibrateMpiCliTest, ACtrlCOnMpirunEndsEveryRankAndTheSameCommandGoesOn) {
  write_calibration(8, 100, 24);
  ASSERT_EQ(mercato("calibrate fit.yaml -o whole --threads 2 -q").exit_code, 0);

  const pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    if (::chdir(root_.c_str()) != 0) ::_exit(127);
    const int err_fd = ::open("part.err", O_WRONLY | O_CREAT | O_TRUNC, 0644);
    ::dup2(err_fd, STDERR_FILENO);
    const std::string line = "exec " + mpirun_line(2, "calibrate fit.yaml -o part -q");
    ::execl("/bin/sh", "sh", "-c", line.c_str(), static_cast<char*>(nullptr));
    ::_exit(127);
  }
  const auto started = std::chrono::steady_clock::now();
  auto seconds = [&] {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  };
  int status = 0;
  bool exited = false;
  // The journal holds its two header lines, then one line per evaluation.
  while (lines_of(read_file(root_ / "part" / "journal.csv")).size() < 3 &&
         seconds() < kDeadlineSeconds) {
    if (::waitpid(child, &status, WNOHANG) == child) {
      exited = true;
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  if (!exited) {
    ::kill(child, SIGINT);
    while (::waitpid(child, &status, WNOHANG) != child) {
      if (seconds() > 2 * kDeadlineSeconds) {
        ::kill(child, SIGKILL);
        ::waitpid(child, &status, 0);
        FAIL() << "mpirun did not end after Ctrl-C";
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
  }
  const std::string err = read_file(root_ / "part.err");
  if (WIFEXITED(status) && WEXITSTATUS(status) == 0) {
    GTEST_SKIP() << "the calibration finished before the interrupt";  // a much faster machine
  }
  EXPECT_NE(err.find("mercato: error: interrupted; the evaluations done are in"), std::string::npos)
      << err;
  expect_no_process_left("part");
  const auto done = lines_of(read_file(root_ / "part" / "journal.csv")).size() - 2;
  EXPECT_GE(done, 1u);
  EXPECT_LT(done, 8u);
  EXPECT_FALSE(fs::exists(root_ / "part" / "best.yaml"));

  const CommandResult again = mpirun(3, "calibrate fit.yaml -o part");
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_NE(again.out.find(fmt::format("{} evaluations replayed", done)), std::string::npos)
      << again.out;
  expect_same_files("whole", "part");
}

// An error of rank 0 before the first evaluation (a folder holding something else) or during
// the calibration (a journal that does not follow the optimiser's path) ends every rank.
TEST_F(CalibrateMpiCliTest, AnErrorOnRankZeroEndsEveryRank) {
  write_calibration(4);
  fs::create_directories(root_ / "full");
  std::ofstream(root_ / "full" / "notes.txt") << "mine\n";
  const CommandResult full = mpirun(3, "calibrate fit.yaml -o full");
  EXPECT_EQ(full.exit_code, 2) << full.err;
  EXPECT_NE(full.err.find("mercato: error: output folder full is not empty"), std::string::npos)
      << full.err;

  const CommandResult whole = mpirun(2, "calibrate fit.yaml -o bent -q");
  ASSERT_EQ(whole.exit_code, 0) << whole.err;
  for (const char* file : kFiles)
    if (std::string(file) != "journal.csv") fs::remove(root_ / "bent" / file);
  // Evaluation 1's point in [0, 1] moved: the replay stops there with an error.
  auto lines = lines_of(read_file(root_ / "bent" / "journal.csv"));
  lines.at(3) = with_cell(lines.at(3), 2, "0.123");
  std::ofstream out(root_ / "bent" / "journal.csv");
  for (const auto& line : lines) out << line << "\n";
  out.close();
  const CommandResult bent = mpirun(3, "calibrate fit.yaml -o bent");
  EXPECT_EQ(bent.exit_code, 1) << bent.err;
  EXPECT_NE(bent.err.find("does not follow this optimiser's path at evaluation 1"),
            std::string::npos)
      << bent.err;
  expect_no_process_left("bent");
}

}  // namespace
