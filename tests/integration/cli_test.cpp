// `mercato` as a user runs it: scenarios/tiny.yaml (two regions, a handful of organisations)
// into a fresh temporary folder. Pins what docs/outputs.md and `mercato help` promise: the
// files and their documented columns, byte-identical outputs for a seed whatever the thread
// count, flags that take effect, and user errors that print one clear message, exit non-zero
// and never destroy an earlier run's files.
#include <gtest/gtest.h>

#include <sys/wait.h>
#include <unistd.h>
#include "support/files.hpp"

#include <algorithm>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace {

namespace fs = std::filesystem;

const fs::path kSourceDir = MERCATO_SOURCE_DIR;
const fs::path kTiny = kSourceDir / "scenarios" / "tiny.yaml";

using mercato::testing::lines_of;
using mercato::testing::read_file;

std::vector<std::string> split_csv_header(const std::string& line) {
  std::vector<std::string> fields;
  std::istringstream in(line);
  for (std::string field; std::getline(in, field, ',');) fields.push_back(field);
  return fields;
}

std::string quoted(const std::string& text) {
  std::string out = "'";
  for (char c : text) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

// The columns docs/outputs.md documents for each CSV file: under "### <file>.csv", the first
// cell of each table row, in order.
std::map<std::string, std::vector<std::string>> documented_columns() {
  std::map<std::string, std::vector<std::string>> columns;
  std::string file;
  for (const std::string& line : lines_of(read_file(kSourceDir / "docs" / "outputs.md"))) {
    if (line.starts_with("#")) {
      file = line.starts_with("### ") && line.ends_with(".csv") ? line.substr(4) : "";
      continue;
    }
    if (file.empty() || !line.starts_with("| `")) continue;
    const auto end = line.find('`', 3);
    columns[file].push_back(line.substr(3, end - 3));
  }
  return columns;
}

// Every file a run writes, by name, with its bytes.
std::map<std::string, std::string> files_in(const fs::path& dir) {
  std::map<std::string, std::string> files;
  for (const auto& entry : fs::directory_iterator(dir)) {
    files[entry.path().filename()] = read_file(entry.path());
  }
  return files;
}

// The outputs that must be reproducible: the tables and summary.json (not the manifest, which
// records timings and the command line).
std::map<std::string, std::string> reproducible_files(const fs::path& dir) {
  auto files = files_in(dir);
  files.erase("manifest.json");
  return files;
}

struct Result {
  int exit_code = -1;
  std::string out, err;
};

class CliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(fs::exists(kTiny)) << kTiny << " is missing";
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    root_ = fs::temp_directory_path() /
            fmt::format("mercato-cli-{}-{}-{}", ::getpid(), info->test_suite_name(), info->name());
    fs::remove_all(root_);
    fs::create_directories(root_);
  }
  void TearDown() override { fs::remove_all(root_); }

  // Runs `mercato ARGS` through the shell from `cwd`; `prefix` runs first in the same shell
  // (e.g. `ulimit -f 2;`).
  Result mercato(const std::string& args, const fs::path& cwd = {},
                 const std::string& prefix = "") {
    const fs::path out = root_ / "stdout.txt", err = root_ / "stderr.txt";
    const std::string command = fmt::format(
        "cd {} && {} {} {} >{} 2>{}", quoted((cwd.empty() ? kSourceDir : cwd).string()), prefix,
        quoted(MERCATO_BINARY), args, quoted(out.string()), quoted(err.string()));
    const int status = std::system(command.c_str());
    Result result;
    result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    result.out = read_file(out);
    result.err = read_file(err);
    return result;
  }

  // A quiet run of tiny.yaml into `dir` with extra flags; the test fails if the run does.
  void run_tiny(const fs::path& dir, const std::string& flags = "") {
    const Result r = mercato(fmt::format("run {} -o {} --quiet {}", quoted(kTiny.string()),
                                         quoted(dir.string()), flags));
    ASSERT_EQ(r.exit_code, 0) << r.err;
  }

  fs::path write_scenario(const std::string& name, const std::string& text) {
    fs::path path = root_ / name;
    std::ofstream(path, std::ios::binary) << text;
    return path;
  }

  // A user error: the exit code, and one or more `mercato: error: ` lines and nothing that
  // looks like a crash.
  static void expect_user_error(const Result& r, int exit_code, const std::string& fragment) {
    EXPECT_EQ(r.exit_code, exit_code) << r.err;
    EXPECT_TRUE(r.err.starts_with("mercato: error: ")) << r.err;
    EXPECT_NE(r.err.find(fragment), std::string::npos) << r.err;
    for (const char* crash : {"terminate called", "Aborted", "what():", "Segmentation"}) {
      EXPECT_EQ(r.err.find(crash), std::string::npos) << r.err;
    }
  }

  fs::path root_;
};

TEST_F(CliTest, RunWritesEveryDocumentedFileWithItsDocumentedColumns) {
  const fs::path dir = root_ / "run";
  run_tiny(dir);
  const auto documented = documented_columns();
  ASSERT_EQ(documented.size(), 8u) << "docs/outputs.md should document the eight tables";
  for (const auto& [file, columns] : documented) {
    ASSERT_TRUE(fs::exists(dir / file)) << file;
    const auto lines = lines_of(read_file(dir / file));
    ASSERT_FALSE(lines.empty()) << file;
    EXPECT_EQ(split_csv_header(lines[0]), columns) << file << " differs from docs/outputs.md";
  }
  EXPECT_TRUE(fs::exists(dir / "summary.json"));
  // Only final names: no temporary file is left once the run is complete.
  for (const auto& [name, bytes] : files_in(dir)) EXPECT_NE(name.front(), '.') << name;
}

TEST_F(CliTest, SummaryAndManifestParseAndAgreeWithTheTables) {
  const fs::path dir = root_ / "run";
  run_tiny(dir, "--months 6");
  const auto summary = nlohmann::json::parse(read_file(dir / "summary.json"));
  EXPECT_EQ(summary["months"], 6);
  EXPECT_GT(summary["talents_end"].get<std::int64_t>(), 0);
  EXPECT_TRUE(summary["wage_end"].contains("elite"));
  const auto manifest = nlohmann::json::parse(read_file(dir / "manifest.json"));
  EXPECT_EQ(manifest["scenario"]["file"], kTiny.string());
  EXPECT_EQ(manifest["months"], 6);
  EXPECT_EQ(manifest["threads"], 1);
  EXPECT_FALSE(manifest["resolved_scenario"].get<std::string>().empty());
  EXPECT_NE(manifest["command_line"].get<std::string>().find("--months 6"), std::string::npos);
  for (const auto& file : manifest["files"]) {
    const std::string name = file["name"];
    ASSERT_TRUE(fs::exists(dir / name)) << name;
    if (file.contains("rows")) {
      EXPECT_EQ(lines_of(read_file(dir / name)).size(), file["rows"].get<std::size_t>() + 1)
          << name;
    }
  }
  // One market row per month, dated from the scenario's start.
  const auto market = lines_of(read_file(dir / "market.csv"));
  ASSERT_EQ(market.size(), 1u + 6);
  EXPECT_TRUE(market[1].starts_with(fmt::format("0,{},", summary["start"].get<std::string>())))
      << market[1];
  EXPECT_TRUE(market[6].starts_with(fmt::format("5,{},", summary["end"].get<std::string>())))
      << market[6];
}

TEST_F(CliTest, TheSameSeedGivesIdenticalBytes) {
  run_tiny(root_ / "a", "--months 12");
  run_tiny(root_ / "b", "--months 12");
  EXPECT_EQ(reproducible_files(root_ / "a"), reproducible_files(root_ / "b"));
}

TEST_F(CliTest, TheThreadCountDoesNotChangeTheOutputs) {
  run_tiny(root_ / "one", "--months 12 --threads 1");
  run_tiny(root_ / "two", "--months 12 --threads 2");
  const auto one = reproducible_files(root_ / "one");
  // Not a vacuous comparison: the monthly tables and the summary are there.
  EXPECT_TRUE(one.contains("market.csv") && one.contains("regions.csv"));
  EXPECT_TRUE(one.contains("summary.json"));
  EXPECT_EQ(one, reproducible_files(root_ / "two"));
}

TEST_F(CliTest, SeedMonthsAndSetTakeEffect) {
  run_tiny(root_ / "flags", "--seed 42 --months 3 --set description=set-by-the-test");
  const auto summary = nlohmann::json::parse(read_file(root_ / "flags" / "summary.json"));
  EXPECT_EQ(summary["seed"], 42);
  EXPECT_EQ(summary["months"], 3);
  const auto manifest = nlohmann::json::parse(read_file(root_ / "flags" / "manifest.json"));
  EXPECT_EQ(manifest["seed"], 42);
  EXPECT_NE(manifest["resolved_scenario"].get<std::string>().find("set-by-the-test"),
            std::string::npos);
  EXPECT_EQ(lines_of(read_file(root_ / "flags" / "market.csv")).size(), 1u + 3);

  // --set reaches any key; the explicit --seed and --months win over a --set of the same key.
  run_tiny(root_ / "set", "--set months=2 --set seed=7 --seed 8");
  const auto set = nlohmann::json::parse(read_file(root_ / "set" / "summary.json"));
  EXPECT_EQ(set["months"], 2);
  EXPECT_EQ(set["seed"], 8);
}

TEST_F(CliTest, DefaultOutputFolderIsRunsSlashScenarioName) {
  const Result r = mercato(fmt::format("run {} --months 2", quoted(kTiny.string())), root_);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto manifest_files = [&] {
    std::vector<fs::path> found;
    for (const auto& entry : fs::recursive_directory_iterator(root_ / "runs")) {
      if (entry.path().filename() == "manifest.json") found.push_back(entry.path());
    }
    return found;
  }();
  ASSERT_EQ(manifest_files.size(), 1u);
  const auto manifest = nlohmann::json::parse(read_file(manifest_files[0]));
  EXPECT_EQ(manifest_files[0].parent_path().filename(),
            manifest["scenario"]["name"].get<std::string>());
  // Not on a terminal: no progress bar, the summary on stdout ending with the folder.
  EXPECT_EQ(r.err, "");
  EXPECT_NE(r.out.find("talents"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("outputs: runs/"), std::string::npos) << r.out;
}

TEST_F(CliTest, QuietPrintsNothing) {
  const Result r = mercato(fmt::format("run {} -o {} --months 2 --quiet", quoted(kTiny.string()),
                                       quoted((root_ / "q").string())));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(r.err, "");
}

TEST_F(CliTest, ValidateAcceptsTinyAndCountsItsWorld) {
  const Result r = mercato("validate scenarios/tiny.yaml");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(r.out.starts_with("scenarios/tiny.yaml: ok (2 regions, ")) << r.out;
  EXPECT_NE(r.out.find(" organisations, "), std::string::npos) << r.out;
  EXPECT_NE(r.out.find(" talents)"), std::string::npos) << r.out;
}

TEST_F(CliTest, ValidateListsEveryErrorWithItsPlace) {
  const fs::path bad = write_scenario("bad.yaml", read_file(kTiny) + "\nmonths: -5\nreigons: {}\n");
  const Result r = mercato(fmt::format("validate {}", quoted(bad.string())));
  expect_user_error(r, 1, bad.string() + ":");
  EXPECT_EQ(r.out, "");
  // Each diagnostic on its own line, each a `mercato: error:` line.
  for (const std::string& line : lines_of(r.err)) {
    EXPECT_TRUE(line.starts_with("mercato: error: ")) << line;
  }
}

TEST_F(CliTest, ABadScenarioIsReportedWithoutACrash) {
  std::string binary;
  for (int i = 0; i < 512; ++i) binary.push_back(static_cast<char>((i * 37) % 256));
  for (const auto& [name, text] : std::map<std::string, std::string>{
           {"empty.yaml", ""},
           {"binary.yaml", binary},
           {"truncated.yaml",
            read_file(kTiny).substr(0, read_file(kTiny).size() / 2) + "\n  - {"}}) {
    const fs::path path = write_scenario(name, text);
    const Result r = mercato(fmt::format("run {} -o {} --quiet", quoted(path.string()),
                                         quoted((root_ / "out").string())));
    SCOPED_TRACE(name);
    expect_user_error(r, 1, name);
    EXPECT_FALSE(fs::exists(root_ / "out"));
  }
}

TEST_F(CliTest, UsageErrorsExitWithTwoAndPointToHelp) {
  const std::string tiny = quoted(kTiny.string());
  expect_user_error(mercato(fmt::format("run {} --bogus", tiny)), 2, "--bogus");
  expect_user_error(mercato(fmt::format("run {} --threads 0", tiny)), 2, "--threads");
  expect_user_error(mercato(fmt::format("run {} --months soon", tiny)), 2, "--months");
  expect_user_error(mercato(fmt::format("run {} --set no-equals-sign", tiny)), 2, "no-equals-sign");
  expect_user_error(mercato("run"), 2, "SCENARIO");
  expect_user_error(mercato("frobnicate"), 2, "frobnicate");
  const Result r = mercato(fmt::format("run {} --bogus", tiny));
  EXPECT_NE(r.err.find("mercato help run"), std::string::npos) << r.err;
}

TEST_F(CliTest, AMissingScenarioFileIsNamed) {
  expect_user_error(mercato("run no/such/scenario.yaml -o " + quoted((root_ / "o").string())), 1,
                    "no/such/scenario.yaml");
  expect_user_error(mercato("validate no/such/scenario.yaml"), 1, "no/such/scenario.yaml");
}

TEST_F(CliTest, ANonEmptyOutputFolderIsRefusedWithoutForce) {
  const fs::path dir = root_ / "run";
  run_tiny(dir, "--months 2");
  std::ofstream(dir / "notes.txt") << "mine\n";
  const auto before = files_in(dir);
  const Result r = mercato(
      fmt::format("run {} -o {} --months 3 --quiet", quoted(kTiny.string()), quoted(dir.string())));
  expect_user_error(r, 2,
                    fmt::format("output folder {} is not empty; use --force to overwrite or -o "
                                "to choose another",
                                dir.string()));
  EXPECT_EQ(files_in(dir), before);

  // With --force the run replaces mercato's files and leaves the user's alone.
  run_tiny(dir, "--months 3 --force");
  EXPECT_EQ(read_file(dir / "notes.txt"), "mine\n");
  EXPECT_EQ(lines_of(read_file(dir / "market.csv")).size(), 1u + 3);
}

TEST_F(CliTest, AnUnwritableOutputFolderIsAnError) {
  std::ofstream(root_ / "a-file") << "x";
  const fs::path dir = root_ / "a-file" / "run";
  const Result r =
      mercato(fmt::format("run {} -o {} --quiet", quoted(kTiny.string()), quoted(dir.string())));
  expect_user_error(r, 1, dir.string());
  EXPECT_NE(r.err.find("Not a directory"), std::string::npos) << r.err;
}

TEST_F(CliTest, AFailingRunNeverDestroysAnEarlierOutput) {
  const fs::path dir = root_ / "run";
  run_tiny(dir, "--months 4");
  const auto before = files_in(dir);
  const std::string tiny = quoted(kTiny.string()), out = quoted(dir.string());
  const fs::path bad = write_scenario("bad.yaml", "months: [\n");
  struct Case {
    std::string what, args, prefix;
    int exit_code;
  };
  const std::vector<Case> cases = {
      {"bad flag", fmt::format("run {} -o {} --force --bogus", tiny, out), "", 2},
      {"missing file", fmt::format("run missing.yaml -o {} --force", out), "", 1},
      {"bad scenario", fmt::format("run {} -o {} --force", quoted(bad.string()), out), "", 1},
      {"no --force", fmt::format("run {} -o {} --months 2", tiny, out), "", 2},
      // A file size limit of a few kB makes the writes fail mid-run like a full disk.
      {"full disk", fmt::format("run {} -o {} --force --months 24", tiny, out), "ulimit -f 8;", 1},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.what);
    const Result r = mercato(c.args, {}, c.prefix);
    EXPECT_EQ(r.exit_code, c.exit_code) << r.err;
    EXPECT_TRUE(r.err.starts_with("mercato: error: ")) << r.err;
    EXPECT_EQ(files_in(dir), before);
  }
}

TEST_F(CliTest, AnInterruptedRunStopsCleanlyAndLeavesNoFile) {
  const fs::path dir = root_ / "run";
  const std::string tiny = kTiny.string(), out = dir.string();
  const pid_t pid = ::fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    std::freopen("/dev/null", "w", stdout);
    std::freopen("/dev/null", "w", stderr);
    ::execl(MERCATO_BINARY, "mercato", "run", tiny.c_str(), "-o", out.c_str(), "--months", "1200",
            "--quiet", static_cast<char*>(nullptr));
    ::_exit(127);
  }
  // The temporary files appear before the world is built, so the signal lands mid-run.
  for (int i = 0; i < 3000 && !fs::exists(dir / ".market.csv.partial"); ++i) ::usleep(10000);
  ::kill(pid, SIGTERM);
  int status = 0;
  ASSERT_EQ(::waitpid(pid, &status, 0), pid);
  ASSERT_TRUE(WIFEXITED(status));
  if (WEXITSTATUS(status) == 0) GTEST_SKIP() << "the run finished before the signal arrived";
  EXPECT_EQ(WEXITSTATUS(status), 130);
  EXPECT_FALSE(fs::exists(dir)) << "the folder the run created should be gone";
}

// NaN, infinities and absurd magnitudes given with --set get one message per problem naming
// the key, exit 1, and no output folder (the scenario layer refuses non-finite numbers and
// magnitudes above 1e15; this pins it at the command line, for `run` and `validate`).
TEST_F(CliTest, NonsenseValuesViaSetAreRefusedNamingTheKey) {
  const fs::path dir = root_ / "nonsense";
  for (const std::string key :
       {"model.seek_rate", "regions.North.tax_rate", "organisations.Helix.max_offer", "scale"}) {
    for (const std::string value :
         {"nan", ".nan", "NaN", "inf", "-inf", ".inf", "-.inf", "1e308", "-1e308", "1e999"}) {
      SCOPED_TRACE(key + "=" + value);
      const Result r =
          mercato(fmt::format("run {} -o {} --quiet --set {}={}", quoted(kTiny.string()),
                              quoted(dir.string()), key, value));
      expect_user_error(r, 1, key);
      EXPECT_NE(r.err.find("expected"), std::string::npos) << r.err;
      EXPECT_FALSE(fs::exists(dir));
      expect_user_error(
          mercato(fmt::format("validate {} --set {}={}", quoted(kTiny.string()), key, value)), 1,
          key);
    }
  }
}

TEST_F(CliTest, HelpAndVersion) {
  const Result version = mercato("--version");
  EXPECT_EQ(version.exit_code, 0);
  EXPECT_TRUE(version.out.starts_with("mercato ")) << version.out;
  for (const std::string args : {"help", "--help", "-h"}) {
    const Result r = mercato(args);
    EXPECT_EQ(r.exit_code, 0) << args;
    EXPECT_NE(r.out.find("Examples:"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("validate"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("Exit status"), std::string::npos) << r.out;
  }
  for (const std::string args : {"help run", "run --help"}) {
    const Result r = mercato(args);
    EXPECT_EQ(r.exit_code, 0) << args;
    for (const char* flag : {"--output", "--seed", "--months", "--threads", "--set", "--quiet",
                             "--force", "Examples:"}) {
      EXPECT_NE(r.out.find(flag), std::string::npos) << args << " lacks " << flag;
    }
  }
  EXPECT_EQ(mercato("help validate").exit_code, 0);
  expect_user_error(mercato("help frobnicate"), 2, "frobnicate");
  // No command: the help, and a failure since nothing was done.
  const Result none = mercato("");
  EXPECT_EQ(none.exit_code, 2);
  EXPECT_NE(none.out.find("Examples:"), std::string::npos);
}

// `mercato calibrate` (docs/calibration.md): the outputs, a best.yaml that `validate` loads,
// `help` listing the command, a bad file reported at its line (exit 1), a folder holding
// another calibration refused (exit 2).
TEST_F(CliTest, CalibrateWritesItsOutputsAndRefusesAnotherCalibrationsFolder) {
  EXPECT_NE(mercato("help").out.find("calibrate"), std::string::npos);
  const Result help = mercato("help calibrate");
  EXPECT_EQ(help.exit_code, 0);
  for (const char* flag : {"--output", "--threads", "--force", "--quiet", "--evaluate", "--set",
                           "--replicates", "Examples:"})
    EXPECT_NE(help.out.find(flag), std::string::npos) << flag;

  auto calibration = [&](int budget) {
    return write_scenario(
        "fit.yaml",
        fmt::format("scenario: {}\nseed: 3\nmonths: 6\nwarmup_months: 3\nreplicates: 2\n"
                    "optimiser: nelder_mead\nbudget: {}\n"
                    "parameters:\n  - {{key: regions.North.tax_rate, range: [0.2, 0.5]}}\n"
                    "targets:\n  - {{measure: top_work_share.North, value: 0.6, "
                    "tolerance: 0.05}}\n",
                    kTiny.string(), budget));
  };
  const fs::path out = root_ / "fit";
  const Result r = mercato(fmt::format("calibrate {} -o {} --threads 2",
                                       quoted(calibration(3).string()), quoted(out.string())));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("top_work_share.North"), std::string::npos) << r.out;
  for (const char* file : {"best.yaml", "targets.csv", "trace.csv", "report.md", "journal.csv"})
    EXPECT_TRUE(fs::exists(out / file)) << file;
  EXPECT_EQ(lines_of(read_file(out / "trace.csv")).size(), 4u);
  EXPECT_EQ(mercato(fmt::format("validate {}", quoted((out / "best.yaml").string()))).exit_code, 0);

  // The same command again replays the journal: no new evaluation, the same best.yaml.
  const std::string best = read_file(out / "best.yaml");
  const Result again = mercato(fmt::format("calibrate {} -o {} --threads 2",
                                           quoted(calibration(3).string()), quoted(out.string())));
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_NE(again.out.find("3 evaluations replayed"), std::string::npos) << again.out;
  EXPECT_EQ(read_file(out / "best.yaml"), best);

  expect_user_error(mercato(fmt::format("calibrate {} -o {}", quoted(calibration(5).string()),
                                        quoted(out.string()))),
                    2, "journal of another calibration");
  // --evaluate: one evaluation at the starts, here moved by --set; a value outside the
  // parameter's range is a usage error (exit 2) that names it, and earlier outputs stay.
  const fs::path what_if = root_ / "what-if";
  const Result evaluated = mercato(fmt::format(
      "calibrate {} -o {} --evaluate --replicates 1 --set regions.North.tax_rate=0.3 -q",
      quoted(calibration(3).string()), quoted(what_if.string())));
  ASSERT_EQ(evaluated.exit_code, 0) << evaluated.err;
  const auto trace = lines_of(read_file(what_if / "trace.csv"));
  ASSERT_EQ(trace.size(), 2u);
  EXPECT_EQ(trace[1].rfind("0,0.3", 0), 0u) << trace[1];  // 0.3 (to the last bit or two)
  expect_user_error(
      mercato(fmt::format("calibrate {} -o {} --evaluate --set regions.North.tax_rate=0.9 -f",
                          quoted(calibration(3).string()), quoted(what_if.string()))),
      2,
      "--set regions.North.tax_rate=0.9: expected a value within the parameter's range [0.2, 0.5]");
  EXPECT_EQ(lines_of(read_file(what_if / "trace.csv")), trace);

  const fs::path bad = write_scenario("bad.yaml", "scenario: nowhere.yaml\nbudget: 0\n");
  expect_user_error(mercato(fmt::format("calibrate {}", quoted(bad.string()))), 1,
                    "bad.yaml:2:9: budget");
}

// `mercato serve` (docs/explorer.md): `help` lists it and its flags; a bad flag value is a
// user error (exit 2) before anything listens. The server itself: tests/serve/.
TEST_F(CliTest, ServeHelpAndBadFlags) {
  EXPECT_NE(mercato("help").out.find("serve"), std::string::npos);
  const Result help = mercato("help serve");
  EXPECT_EQ(help.exit_code, 0);
  for (const char* flag : {"--host", "--port", "--scenarios", "--workers", "--max-run-seconds",
                           "--max-body-bytes", "Examples:"})
    EXPECT_NE(help.out.find(flag), std::string::npos) << flag;
  expect_user_error(mercato("serve --port 70000"), 2, "--port");
  expect_user_error(mercato("serve --workers 0"), 2, "--workers");
  expect_user_error(mercato(fmt::format("serve --scenarios {}", quoted((root_ / "none").string()))),
                    2, "none");
}

}  // namespace
