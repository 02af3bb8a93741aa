// `mercato run --checkpoint-every` and `mercato resume` as a user runs them: a run killed with
// SIGKILL after a checkpoint, then resumed, writes the same bytes as a run that was never
// stopped (manifest.json aside from its timings and finish time), on one thread or two; Ctrl-C
// after a checkpoint says how to go on; a damaged checkpoint or temporary file is refused with
// one clear message and nothing is loaded.
//
// The scenario is tests/integration/fixtures/tiny-timeline.yaml: tiny.yaml with an offensive,
// a retention grant, a training programme, a tax regime, a funding shock and a mission shift,
// so a resumed run must carry the timeline's state (budgets left, grants, beneficiaries,
// carries, values to restore) across the stop.
#include <gtest/gtest.h>

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "support/cli.hpp"
#include "support/files.hpp"

namespace {

namespace fs = std::filesystem;
using mercato::testing::CommandResult;
using mercato::testing::read_file;
using mercato::testing::shell_quoted;

const fs::path kSourceDir = MERCATO_SOURCE_DIR;
const fs::path kTimeline = kSourceDir / "tests" / "integration" / "fixtures" / "tiny-timeline.yaml";
// Long enough that a kill after the first checkpoints lands well before the end.
constexpr int kMonths = 240;

class CheckpointCliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    root_ = fs::temp_directory_path() /
            fmt::format("mercato-checkpoint-{}-{}", ::getpid(), info->name());
    fs::remove_all(root_);
    fs::create_directories(root_);
  }
  void TearDown() override { fs::remove_all(root_); }

  CommandResult mercato(const std::string& args) {
    return mercato::testing::run_in(root_, shell_quoted(MERCATO_BINARY) + " " + args);
  }

  // The command of every run here, from root_/CASE into root_/CASE/run: the same words for the
  // uninterrupted and the killed run, so that even manifest.json's command line is the same.
  static std::vector<std::string> run_args(int threads) {
    return {"run",
            kTimeline.string(),
            "-o",
            "run",
            "--months",
            std::to_string(kMonths),
            "--threads",
            std::to_string(threads),
            "--checkpoint-every",
            "12",
            "-q"};
  }

  // The uninterrupted run every test compares with, in root_/whole/run.
  void run_whole(int threads = 1) {
    fs::create_directories(root_ / "whole");
    std::string line = shell_quoted(MERCATO_BINARY);
    for (const std::string& arg : run_args(threads)) line += " " + shell_quoted(arg);
    const CommandResult r = mercato::testing::run_in(root_ / "whole", line);
    ASSERT_EQ(r.exit_code, 0) << r.err;
  }

  // The same run in the background from root_/CASE; stdout and stderr to root_/CASE.out, .err.
  pid_t start_run(const std::string& name, int threads = 1) {
    const fs::path folder = root_ / name;
    fs::create_directories(folder);
    const std::string out = (root_ / (name + ".out")).string();
    const std::string err = (root_ / (name + ".err")).string();
    std::vector<std::string> args = run_args(threads);
    args.insert(args.begin(), MERCATO_BINARY);
    const pid_t child = ::fork();
    if (child != 0) return child;
    if (::chdir(folder.c_str()) != 0) ::_exit(127);
    const int out_fd = ::open(out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    const int err_fd = ::open(err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    ::dup2(out_fd, STDOUT_FILENO);
    ::dup2(err_fd, STDERR_FILENO);
    std::vector<char*> argv;
    for (std::string& arg : args) argv.push_back(arg.data());
    argv.push_back(nullptr);
    ::execv(MERCATO_BINARY, argv.data());
    ::_exit(127);
  }

  // Starts the checkpointed run in root_/CASE and sends `signal` once a checkpoint exists
  // (after a random extra delay of up to `jitter_ms`). Returns the exit status. A run that
  // finished first proves nothing: on a loaded machine the test can lose the CPU for longer
  // than the rest of the run, so the attempt is started again (up to 5 times, with less
  // delay each time) before the test fails.
  int stop_after_a_checkpoint(const std::string& name, int signal, int threads = 1,
                              int jitter_ms = 0) {
    const fs::path checkpoint = root_ / name / "run" / "checkpoint.bin";
    const fs::path manifest = root_ / name / "run" / "manifest.json";
    int status = 0;
    for (int attempt = 0; attempt < 5; ++attempt, jitter_ms /= 2) {
      fs::remove_all(root_ / name);
      const pid_t child = start_run(name, threads);
      EXPECT_GT(child, 0);
      for (int i = 0; i < 60000 && !fs::exists(checkpoint); ++i) ::usleep(500);
      if (jitter_ms > 0) {
        std::random_device device;
        std::this_thread::sleep_for(std::chrono::milliseconds(device() % jitter_ms));
      }
      ::kill(child, signal);
      ::waitpid(child, &status, 0);
      if (!fs::exists(manifest)) break;
    }
    EXPECT_TRUE(fs::exists(checkpoint)) << "no checkpoint: " << read_file(root_ / (name + ".err"));
    EXPECT_FALSE(fs::exists(manifest)) << "the run finished before the signal, 5 times";
    return status;
  }

  // `mercato resume run ARGS` from root_/CASE.
  CommandResult resume(const std::string& name, const std::string& args = "-q") {
    return mercato::testing::run_in(root_ / name,
                                    shell_quoted(MERCATO_BINARY) + " resume run " + args);
  }

  std::vector<std::string> files_in(const std::string& name) {
    std::vector<std::string> names;
    for (const auto& entry : fs::directory_iterator(root_ / name / "run"))
      names.push_back(entry.path().filename().string());
    std::sort(names.begin(), names.end());
    return names;
  }

  // Every output of root_/CASE/run equals whole's: the CSV tables and summary.json byte for
  // byte, manifest.json but for its timings and finish time; no checkpoint or temporary file.
  void expect_same_outputs(const std::string& name) {
    EXPECT_EQ(files_in(name), files_in("whole"));
    for (const std::string& file : files_in("whole")) {
      const std::string a = read_file(root_ / "whole" / "run" / file);
      const std::string b = read_file(root_ / name / "run" / file);
      if (file != "manifest.json") {
        EXPECT_TRUE(a == b) << file << " differs";
        continue;
      }
      nlohmann::json ma = nlohmann::json::parse(a), mb = nlohmann::json::parse(b);
      for (nlohmann::json* m : {&ma, &mb}) {
        m->erase("timings");
        m->erase("finished_at");
      }
      EXPECT_EQ(ma, mb) << "manifest.json differs beyond timings";
    }
    for (const std::string& file : files_in(name)) {
      EXPECT_NE(file, "checkpoint.bin");
      EXPECT_FALSE(file.starts_with(".")) << file;
    }
  }

  static void expect_refused(const CommandResult& r, const std::string& fragment) {
    EXPECT_EQ(r.exit_code, 1) << r.err;
    EXPECT_TRUE(r.err.starts_with("mercato: error: ")) << r.err;
    EXPECT_NE(r.err.find(fragment), std::string::npos) << r.err;
    EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << "one message: " << r.err;
    for (const char* crash : {"terminate called", "Aborted", "what():", "Segmentation"}) {
      EXPECT_EQ(r.err.find(crash), std::string::npos) << r.err;
    }
  }

  fs::path root_;
};

TEST_F(CheckpointCliTest, AKilledRunResumesToTheSameBytes) {
  run_whole();
  const int status = stop_after_a_checkpoint("part", SIGKILL, 1, 150);
  ASSERT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
  // Killed: the temporary files and the checkpoint are there, no final name yet.
  EXPECT_TRUE(fs::exists(root_ / "part/run/.regions.csv.partial"));
  EXPECT_FALSE(fs::exists(root_ / "part/run/regions.csv"));

  const CommandResult resumed = resume("part", "");
  ASSERT_EQ(resumed.exit_code, 0) << resumed.err;
  EXPECT_NE(resumed.out.find("outputs: run/"), std::string::npos) << resumed.out;
  expect_same_outputs("part");
  // A completed run has nothing left to resume.
  const CommandResult again = resume("part");
  EXPECT_EQ(again.exit_code, 2) << again.err;
  EXPECT_NE(again.err.find("nothing to resume"), std::string::npos) << again.err;
}

TEST_F(CheckpointCliTest, TheThreadCountOfEitherPartDoesNotChangeTheBytes) {
  run_whole(1);
  // Started on one thread, resumed on two.
  ASSERT_TRUE(WIFSIGNALED(stop_after_a_checkpoint("one-two", SIGKILL, 1)));
  const CommandResult a = resume("one-two", "--threads 2 -q");
  ASSERT_EQ(a.exit_code, 0) << a.err;
  expect_same_outputs("one-two");
  // Started on two, resumed on one: the manifest records the run as it was started (two
  // threads, its command line); every other file is the same.
  ASSERT_TRUE(WIFSIGNALED(stop_after_a_checkpoint("two-one", SIGKILL, 2)));
  const CommandResult b = resume("two-one", "--threads 1 -q");
  ASSERT_EQ(b.exit_code, 0) << b.err;
  const nlohmann::json manifest =
      nlohmann::json::parse(read_file(root_ / "two-one/run/manifest.json"));
  EXPECT_EQ(manifest["threads"], 2);
  for (const std::string& file : files_in("whole")) {
    if (file == "manifest.json") continue;
    EXPECT_TRUE(read_file(root_ / "whole/run" / file) == read_file(root_ / "two-one/run" / file))
        << file;
  }
}

TEST_F(CheckpointCliTest, AResumedRunKilledAgainResumesAgain) {
  run_whole();
  ASSERT_TRUE(WIFSIGNALED(stop_after_a_checkpoint("part", SIGKILL)));
  // The resumed run writes its own checkpoints; kill it once it has written a later one.
  const fs::path checkpoint = root_ / "part/run/checkpoint.bin";
  const auto first = read_file(checkpoint);
  const std::string bin = MERCATO_BINARY, dir = (root_ / "part/run").string();
  const pid_t child = ::fork();
  if (child == 0) {
    std::freopen("/dev/null", "w", stdout);
    std::freopen("/dev/null", "w", stderr);
    ::execl(bin.c_str(), bin.c_str(), "resume", dir.c_str(), "-q", static_cast<char*>(nullptr));
    ::_exit(127);
  }
  for (int i = 0; i < 60000 && (!fs::exists(checkpoint) || read_file(checkpoint) == first); ++i)
    ::usleep(500);
  ::kill(child, SIGKILL);
  int status = 0;
  ::waitpid(child, &status, 0);
  ASSERT_TRUE(WIFSIGNALED(status)) << "the resumed run finished before the kill";
  const CommandResult r = resume("part");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  expect_same_outputs("part");
}

TEST_F(CheckpointCliTest, CtrlCAfterACheckpointSaysHowToGoOn) {
  run_whole();
  const int status = stop_after_a_checkpoint("part", SIGINT);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 130);
  const std::string err = read_file(root_ / "part.err");
  EXPECT_NE(err.find("`mercato resume run` goes on from there"), std::string::npos) << err;
  const CommandResult r = resume("part");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  expect_same_outputs("part");
}

TEST_F(CheckpointCliTest, ADamagedCheckpointIsRefusedAndNothingIsLoaded) {
  ASSERT_TRUE(WIFSIGNALED(stop_after_a_checkpoint("part", SIGKILL)));
  const fs::path file = root_ / "part/run/checkpoint.bin";
  const std::string good = read_file(file);
  auto write = [&](const std::string& bytes) { std::ofstream(file, std::ios::binary) << bytes; };
  const std::vector<std::string> before = files_in("part");

  std::string flipped = good;
  flipped[good.size() / 2] = static_cast<char>(flipped[good.size() / 2] ^ 0x10);
  write(flipped);
  expect_refused(resume("part"), "run/checkpoint.bin: corrupted");

  write(good.substr(0, good.size() - 100));
  expect_refused(resume("part"), "run/checkpoint.bin: truncated");

  std::string newer = good;
  newer[8] = 9;  // format version 9
  write(newer);
  expect_refused(resume("part"), "checkpoint format version 9");

  write("");
  expect_refused(resume("part"), "too short to be a mercato checkpoint");
  // Nothing was touched by the refusals.
  EXPECT_EQ(files_in("part"), before);

  // The good one still resumes.
  write(good);
  EXPECT_EQ(resume("part").exit_code, 0);
}

TEST_F(CheckpointCliTest, ATemporaryFileChangedAfterTheCheckpointIsRefused) {
  ASSERT_TRUE(WIFSIGNALED(stop_after_a_checkpoint("part", SIGKILL)));
  const fs::path partial = root_ / "part/run/.market.csv.partial";
  std::string text = read_file(partial);
  text[text.size() / 3] = text[text.size() / 3] == '1' ? '2' : '1';
  std::ofstream(partial, std::ios::binary) << text;
  expect_refused(resume("part"), ".market.csv.partial does not match the checkpoint");
  EXPECT_TRUE(fs::exists(partial)) << "a refused resume keeps the files for another try";
  fs::remove(partial);
  expect_refused(resume("part"), ".market.csv.partial is missing");
}

TEST_F(CheckpointCliTest, AFolderWithoutACheckpointIsAClearError) {
  fs::create_directories(root_ / "empty");
  expect_refused(mercato("resume empty"), "it has no checkpoint.bin");
  expect_refused(mercato("resume nowhere"), "cannot resume nowhere: no such folder");
}

TEST_F(CheckpointCliTest, AFreshRunWithForceReplacesAnOldCheckpoint) {
  ASSERT_TRUE(WIFSIGNALED(stop_after_a_checkpoint("part", SIGKILL)));
  const CommandResult r = mercato::testing::run_in(
      root_ / "part", fmt::format("{} run {} -o run --months 12 --force -q",
                                  shell_quoted(MERCATO_BINARY), shell_quoted(kTimeline.string())));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_FALSE(fs::exists(root_ / "part/run/checkpoint.bin"));
  EXPECT_EQ(resume("part").exit_code, 2);
}

TEST_F(CheckpointCliTest, HelpDescribesResume) {
  const CommandResult r = mercato("help resume");
  EXPECT_EQ(r.exit_code, 0);
  for (const char* text : {"DIR", "--threads", "checkpoint.bin", "Examples:"})
    EXPECT_NE(r.out.find(text), std::string::npos) << text;
  EXPECT_NE(mercato("help run").out.find("--checkpoint-every"), std::string::npos);
  EXPECT_NE(mercato("help").out.find("resume"), std::string::npos);
}

}  // namespace
