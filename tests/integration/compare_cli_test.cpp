// `mercato compare` as a user runs it, on scenarios/tiny.yaml and a copy with a lower tax in the
// North (fixtures/tiny-with-change.yaml): byte-identical outputs whatever --threads, the
// documented files and columns, the folder policy, and one clear message for bad input.
#include <gtest/gtest.h>

#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "support/cli.hpp"
#include "support/files.hpp"

namespace {

namespace fs = std::filesystem;

const fs::path kSourceDir = MERCATO_SOURCE_DIR;
const fs::path kTiny = kSourceDir / "scenarios" / "tiny.yaml";
const fs::path kTinyWithChange =
    kSourceDir / "tests" / "integration" / "fixtures" / "tiny-with-change.yaml";
const fs::path kTinyOtherRegions =
    kSourceDir / "tests" / "integration" / "fixtures" / "tiny-other-regions.yaml";

using mercato::testing::lines_of;
using mercato::testing::read_file;

using mercato::testing::shell_quoted;
using Result = mercato::testing::CommandResult;

std::string quoted(const std::string& text) {
  return shell_quoted(text);
}

class CompareCliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    root_ = fs::temp_directory_path() / fmt::format("mercato-compare-{}-{}-{}", ::getpid(),
                                                    info->test_suite_name(), info->name());
    fs::remove_all(root_);
    fs::create_directories(root_ / "work");
  }
  void TearDown() override { fs::remove_all(root_); }

  // `mercato compare ARGS` from root_/work.
  Result compare(const std::string& args) {
    return mercato::testing::run_in(root_ / "work",
                                    shell_quoted(MERCATO_BINARY) + " compare " + args);
  }

  static std::string pair() {
    return quoted(kTiny.string()) + " " + quoted(kTinyWithChange.string());
  }

  static void expect_user_error(const Result& r, int exit_code, const std::string& fragment) {
    EXPECT_EQ(r.exit_code, exit_code) << r.err;
    EXPECT_TRUE(r.err.starts_with("mercato: error: ")) << r.err;
    EXPECT_NE(r.err.find(fragment), std::string::npos) << r.err;
    EXPECT_TRUE(r.out.empty()) << r.out;
    for (const char* crash : {"terminate called", "Aborted", "what():", "Segmentation"}) {
      EXPECT_EQ(r.err.find(crash), std::string::npos) << r.err;
    }
  }

  fs::path root_;
};

TEST_F(CompareCliTest, TheThreadCountDoesNotChangeTheOutputs) {
  const fs::path one = root_ / "one", two = root_ / "two";
  const Result r1 = compare(
      fmt::format("{} --replicates 3 --threads 1 --quiet -o {}", pair(), quoted(one.string())));
  ASSERT_EQ(r1.exit_code, 0) << r1.err;
  const Result r2 = compare(
      fmt::format("{} --replicates 3 --threads 2 --quiet -o {}", pair(), quoted(two.string())));
  ASSERT_EQ(r2.exit_code, 0) << r2.err;
  EXPECT_TRUE(r1.out.empty()) << "--quiet printed " << r1.out;
  const std::string csv = read_file(one / "comparison.csv");
  ASSERT_GT(lines_of(csv).size(), 20u);
  EXPECT_EQ(csv, read_file(two / "comparison.csv"));
  EXPECT_EQ(read_file(one / "comparison.json"), read_file(two / "comparison.json"));
}

TEST_F(CompareCliTest, PrintsTheTableAndWritesTheDocumentedFiles) {
  const Result r = compare(pair() + " --replicates 2 --months 6");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const fs::path dir = root_ / "work" / "runs" / "compare-tiny-vs-tiny-with-change";
  EXPECT_NE(r.out.find("tiny (base) vs tiny-with-change (policy): 2 replicates of 6 months"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("difference [95% interval]"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("brain drain of top-tier talent"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("outputs: runs/compare-tiny-vs-tiny-with-change/"), std::string::npos)
      << r.out;
  const auto lines = lines_of(read_file(dir / "comparison.csv"));
  ASSERT_FALSE(lines.empty());
  EXPECT_EQ(lines[0], "metric,unit,base_mean,policy_mean,difference,ci_low,ci_high,replicates");
  // The columns docs/compare.md documents, in order.
  const std::string docs = read_file(kSourceDir / "docs" / "compare.md");
  for (const char* column : {"metric", "unit", "base_mean", "policy_mean", "difference", "ci_low",
                             "ci_high", "replicates"}) {
    EXPECT_NE(docs.find(fmt::format("| `{}` |", column)), std::string::npos) << column;
  }
  const auto json = nlohmann::json::parse(read_file(dir / "comparison.json"));
  EXPECT_EQ(json["base"], "tiny");
  EXPECT_EQ(json["policy"], "tiny-with-change");
  EXPECT_EQ(json["replicates"], 2);
  EXPECT_EQ(json["seed"], 42);
  EXPECT_EQ(json["rows"].size(), lines.size() - 1);
}

TEST_F(CompareCliTest, ASetPolicyOverrideMakesTheSameFileAPolicy) {
  const Result same = compare(fmt::format("{} {} --replicates 2 --months 3 --quiet -o same",
                                          quoted(kTiny.string()), quoted(kTiny.string())));
  ASSERT_EQ(same.exit_code, 0) << same.err;
  const Result changed =
      compare(fmt::format("{} {} --replicates 2 --months 3 --quiet -o changed "
                          "--set-policy regions.North.tax_rate=0.25",
                          quoted(kTiny.string()), quoted(kTiny.string())));
  ASSERT_EQ(changed.exit_code, 0) << changed.err;
  const auto rows = lines_of(read_file(root_ / "work" / "same" / "comparison.csv"));
  for (std::size_t i = 1; i < rows.size(); ++i) {
    EXPECT_TRUE(rows[i].ends_with(",0,0,0,2")) << "a scenario against itself: " << rows[i];
  }
  EXPECT_NE(read_file(root_ / "work" / "same" / "comparison.csv"),
            read_file(root_ / "work" / "changed" / "comparison.csv"));
}

TEST_F(CompareCliTest, ANonEmptyFolderIsRefusedUnlessForced) {
  fs::create_directories(root_ / "work" / "out");
  std::ofstream(root_ / "work" / "out" / "notes.txt") << "mine";
  expect_user_error(compare(pair() + " --replicates 1 --months 2 -o out"), 2, "is not empty");
  EXPECT_FALSE(fs::exists(root_ / "work" / "out" / "comparison.csv"));
  const Result forced = compare(pair() + " --replicates 1 --months 2 -o out --force --quiet");
  ASSERT_EQ(forced.exit_code, 0) << forced.err;
  EXPECT_TRUE(fs::exists(root_ / "work" / "out" / "comparison.csv"));
  EXPECT_EQ(read_file(root_ / "work" / "out" / "notes.txt"), "mine");
}

TEST_F(CompareCliTest, BadInputGetsOneClearMessage) {
  expect_user_error(compare(quoted(kTiny.string()) + " missing.yaml"), 1,
                    "scenario file missing.yaml does not exist");
  expect_user_error(compare(pair() + " --replicates 0"), 2, "--replicates");
  expect_user_error(compare(pair() + " --threads 0"), 2, "--threads");
  expect_user_error(compare(quoted(kTiny.string()) + " " + quoted(kTinyOtherRegions.string())), 1,
                    "cannot compare tiny with tiny-other-regions: their regions differ");
  expect_user_error(compare(pair() + " --set-base months=12"), 1, "they run different periods");
  expect_user_error(compare(quoted(kTiny.string())), 2, "POLICY");
  // Nothing was written for any of them.
  EXPECT_FALSE(fs::exists(root_ / "work" / "runs"));
}

TEST_F(CompareCliTest, HelpDescribesTheCommand) {
  const fs::path out = root_ / "help.txt";
  const int status = std::system(
      fmt::format("{} help compare >{}", quoted(MERCATO_BINARY), quoted(out.string())).c_str());
  ASSERT_EQ(WEXITSTATUS(status), 0);
  const std::string help = read_file(out);
  for (const char* flag : {"--replicates", "--threads", "--seed", "--months", "--set-policy",
                           "--set-base", "--force", "same random numbers"}) {
    EXPECT_NE(help.find(flag), std::string::npos) << flag;
  }
}

}  // namespace
