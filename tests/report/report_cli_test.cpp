// `mercato report` as a user runs it: tests/integration/fixtures/tiny-timeline.yaml (tiny.yaml
// with six events) run for 12 months into a fresh folder, then reported. Pins what
// docs/report.md promises: one page with the chart script and the data inlined, figures that
// are the run's own (checked against the CSV files, not against constants), a page no value
// can break out of, and user errors that print one clear message naming the file, exit
// non-zero and never destroy an earlier file.
#include <gtest/gtest.h>

#include <sqlite3.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "support/cli.hpp"
#include "support/files.hpp"

namespace {

namespace fs = std::filesystem;
using mercato::testing::lines_of;
using mercato::testing::read_file;
using mercato::testing::shell_quoted;
using nlohmann::json;

const fs::path kSourceDir = MERCATO_SOURCE_DIR;
const fs::path kTimeline = kSourceDir / "tests" / "integration" / "fixtures" / "tiny-timeline.yaml";

std::vector<std::string> fields_of(const std::string& line) {
  std::vector<std::string> fields;
  std::istringstream in(line);
  for (std::string field; std::getline(in, field, ',');) fields.push_back(field);
  if (!line.empty() && line.back() == ',') fields.emplace_back();
  return fields;
}

// A CSV file of mercato's (no quoted fields in tiny's tables) as rows of column -> value.
std::vector<std::map<std::string, std::string>> read_rows(const fs::path& path) {
  const std::vector<std::string> lines = lines_of(read_file(path));
  const std::vector<std::string> header = fields_of(lines.at(0));
  std::vector<std::map<std::string, std::string>> rows;
  for (std::size_t i = 1; i < lines.size(); ++i) {
    if (lines[i].empty()) continue;
    const std::vector<std::string> fields = fields_of(lines[i]);
    std::map<std::string, std::string> row;
    for (std::size_t c = 0; c < header.size(); ++c) row[header[c]] = fields.at(c);
    rows.push_back(std::move(row));
  }
  return rows;
}

// The data document inlined in a report page.
json data_of(const std::string& page) {
  const std::string open = "<script type=\"application/json\" id=\"mercato-data\">";
  const auto begin = page.find(open);
  if (begin == std::string::npos) return json();
  const auto start = begin + open.size();
  return json::parse(page.substr(start, page.find("</script>", start) - start));
}

std::size_t occurrences(const std::string& text, const std::string& part) {
  std::size_t count = 0;
  for (auto at = text.find(part); at != std::string::npos; at = text.find(part, at + 1)) ++count;
  return count;
}

// One number from an SQL query of a results database (the test's own reading of the file).
double query_number(const fs::path& database, const std::string& sql) {
  sqlite3* db = nullptr;
  EXPECT_EQ(sqlite3_open_v2(database.c_str(), &db, SQLITE_OPEN_READONLY, nullptr), SQLITE_OK);
  sqlite3_stmt* statement = nullptr;
  EXPECT_EQ(sqlite3_prepare_v2(db, sql.c_str(), -1, &statement, nullptr), SQLITE_OK)
      << sqlite3_errmsg(db);
  double value = std::nan("");
  if (sqlite3_step(statement) == SQLITE_ROW && sqlite3_column_type(statement, 0) != SQLITE_NULL) {
    value = sqlite3_column_double(statement, 0);
  }
  sqlite3_finalize(statement);
  sqlite3_close(db);
  return value;
}

const json& metric_of(const json& data, const std::string& name) {
  for (const json& metric : data["metrics"]) {
    if (metric["metric"] == name) return metric;
  }
  static const json none;
  ADD_FAILURE() << "no metric " << name;
  return none;
}

class ReportCliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    root_ =
        fs::temp_directory_path() / fmt::format("mercato-report-{}-{}", ::getpid(), info->name());
    fs::remove_all(root_);
    fs::create_directories(root_);
  }
  void TearDown() override { fs::remove_all(root_); }

  mercato::testing::CommandResult mercato(const std::string& args) {
    return mercato::testing::run_in(root_,
                                    fmt::format("{} {}", shell_quoted(MERCATO_BINARY), args));
  }

  // A quiet 12-month run of the timeline scenario into root/NAME.
  fs::path run_timeline(const std::string& name = "run") {
    const fs::path folder = root_ / name;
    const auto result =
        mercato(fmt::format("run {} -o {} --months 12 --quiet", shell_quoted(kTimeline.string()),
                            shell_quoted(folder.string())));
    EXPECT_EQ(result.exit_code, 0) << result.err;
    return folder;
  }

  // A user error: the code, one `mercato: error:` line naming `names`, nothing on stdout.
  void expect_error(const mercato::testing::CommandResult& result, int code,
                    const std::string& names) {
    EXPECT_EQ(result.exit_code, code) << result.err;
    EXPECT_TRUE(result.err.starts_with("mercato: error: ")) << result.err;
    EXPECT_NE(result.err.find(names), std::string::npos) << result.err;
    EXPECT_EQ(result.err.find("terminate"), std::string::npos) << result.err;
    EXPECT_EQ(result.err.find("Sanitizer"), std::string::npos) << result.err;
  }

  fs::path root_;
};

TEST_F(ReportCliTest, WritesOnePageWhoseFiguresAreTheRuns) {
  const fs::path run = run_timeline();
  const auto result = mercato(fmt::format("report {}", shell_quoted(run.string())));
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_NE(result.out.find("report.html"), std::string::npos) << result.out;
  const std::string page = read_file(run / "report.html");
  // Self-contained: the chart script is inlined and nothing is loaded from elsewhere.
  EXPECT_GT(page.size(), 200000u);
  EXPECT_EQ(page.find(" src="), std::string::npos);
  EXPECT_EQ(page.find("http://"), std::string::npos);
  // The one <link> is the empty icon, a data: URL, so that no browser asks for /favicon.ico.
  const std::string icon = R"(<link rel="icon" href="data:,">)";
  ASSERT_NE(page.find(icon), std::string::npos);
  EXPECT_EQ(page.find("<link"), page.find(icon));
  EXPECT_EQ(page.find("<link", page.find(icon) + 1), std::string::npos);
  const json data = data_of(page);
  ASSERT_TRUE(data.is_object());
  EXPECT_EQ(data["kind"], "run");

  const auto regions = read_rows(run / "regions.csv");
  EXPECT_EQ(data["regions"], json({"North", "South"}));
  ASSERT_EQ(data["dates"].size(), 12u);
  EXPECT_EQ(data["dates"][0], regions.front().at("date"));
  // The top tier's work share of the North in the last month, from regions.csv by hand.
  std::map<std::string, double> top_employed;
  std::map<std::string, std::string> top_drain;
  for (const auto& row : regions) {
    if (row.at("tier") != "top" || row.at("month") != "11") continue;
    top_employed[row.at("region")] = std::stod(row.at("employed"));
    top_drain[row.at("region")] = row.at("brain_drain");
  }
  const double north_share =
      top_employed["North"] / (top_employed["North"] + top_employed["South"]);
  EXPECT_NEAR(data["work_share_top"]["North"][11].get<double>(), north_share, 1e-12);
  EXPECT_NEAR(data["brain_drain"]["top"]["South"][11].get<double>(), std::stod(top_drain["South"]),
              1e-12);

  // The largest package is the largest of the move log.
  double largest = 0;
  for (const auto& row : read_rows(run / "moves.csv")) {
    largest = std::max(largest, std::stod(row.at("package_value")));
  }
  ASSERT_FALSE(data["largest_packages"].empty());
  EXPECT_EQ(data["largest_packages"][0]["package_value"].get<double>(), largest);

  // Cross-border moves of the Sankey add up to flows.csv's.
  double crossing = 0;
  for (const auto& row : read_rows(run / "flows.csv")) {
    if (row.at("tier") == "all" && row.at("from_region") != row.at("to_region")) {
      crossing += std::stod(row.at("moves"));
    }
  }
  double drawn = 0;
  for (const json& link : data["flows"]["all"]["links"]) drawn += link["moves"].get<double>();
  EXPECT_EQ(drawn, crossing);

  // One entry per event of events.csv, with its cost to date in the last month.
  std::map<std::string, std::string> cost_total;
  for (const auto& row : read_rows(run / "events.csv")) {
    if (row.at("month") == "11") cost_total[row.at("event")] = row.at("cost_total");
  }
  ASSERT_EQ(data["events"].size(), cost_total.size());
  for (const json& event : data["events"]) {
    const std::string name = event["name"];
    EXPECT_EQ(event["series"]["cost_total"][11].get<double>(), std::stod(cost_total.at(name)))
        << name;
  }
}

TEST_F(ReportCliTest, NoValueCanEndTheScriptElement) {
  // A scenario name is free text and goes into the page.
  const fs::path scenario = root_ / "evil.yaml";
  std::ofstream(scenario) << fmt::format(
      "extends: {}\nname: \"x</script><script>alert(1)</script><!--\"\n", kTimeline.string());
  const fs::path run = root_ / "run";
  ASSERT_EQ(mercato(fmt::format("run {} -o {} --months 8 -q", shell_quoted(scenario.string()),
                                shell_quoted(run.string())))
                .exit_code,
            0);
  ASSERT_EQ(mercato(fmt::format("report {} -q", shell_quoted(run.string()))).exit_code, 0);
  const std::string page = read_file(run / "report.html");
  EXPECT_EQ(occurrences(page, "</script>"), 2u);  // the data's and the chart script's
  EXPECT_EQ(occurrences(page, "<!--"), 0u);
  EXPECT_EQ(data_of(page)["scenario"]["name"], "x</script><script>alert(1)</script><!--");
}

TEST_F(ReportCliTest, AnExistingFileIsKeptWithoutForce) {
  const fs::path run = run_timeline();
  const fs::path output = root_ / "mine.html";
  std::ofstream(output) << "my notes";
  expect_error(mercato(fmt::format("report {} -o {}", shell_quoted(run.string()),
                                   shell_quoted(output.string()))),
               2, output.string() + " exists; use --force");
  EXPECT_EQ(read_file(output), "my notes");
  const auto forced = mercato(fmt::format("report {} -o {} --force -q", shell_quoted(run.string()),
                                          shell_quoted(output.string())));
  ASSERT_EQ(forced.exit_code, 0) << forced.err;
  EXPECT_TRUE(forced.out.empty());
  EXPECT_TRUE(data_of(read_file(output)).is_object());
  // Nothing but the page itself: no temporary file left beside it.
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(root_)) {
    names.push_back(entry.path().filename().string());
  }
  std::sort(names.begin(), names.end());
  EXPECT_EQ(names, (std::vector<std::string>{"mine.html", "run"}));
}

TEST_F(ReportCliTest, BadInputsAreNamedAndWriteNothing) {
  const fs::path missing = root_ / "no-such-run";
  expect_error(mercato(fmt::format("report {}", shell_quoted(missing.string()))), 1,
               "cannot read " + missing.string() + ": no such file or folder");
  EXPECT_FALSE(fs::exists(missing));

  const fs::path empty = root_ / "empty";
  fs::create_directories(empty);
  expect_error(mercato(fmt::format("report {}", shell_quoted(empty.string()))), 1,
               empty.string() + " is not a finished run folder");
  EXPECT_TRUE(fs::is_empty(empty));

  const fs::path text = root_ / "notes.txt";
  std::ofstream(text) << "not a database";
  expect_error(mercato(fmt::format("report {}", shell_quoted(text.string()))), 1,
               text.string() + " is neither a run folder nor a results database");
  EXPECT_FALSE(fs::exists(root_ / "notes.report.html"));

  // An SQLite file that some other program wrote.
  const fs::path other = root_ / "other.db";
  {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(other.c_str(), &db), SQLITE_OK);
    ASSERT_EQ(
        sqlite3_exec(db, "CREATE TABLE t(x); INSERT INTO t VALUES (1);", nullptr, nullptr, nullptr),
        SQLITE_OK);
    sqlite3_close(db);
  }
  expect_error(mercato(fmt::format("report {}", shell_quoted(other.string()))), 1,
               other.string() + " is an SQLite file but not a mercato results database");
  EXPECT_FALSE(fs::exists(root_ / "other.report.html"));

  const auto usage = mercato("report");
  expect_error(usage, 2, "INPUT is required");
}

TEST_F(ReportCliTest, DamagedTablesAreNamed) {
  const fs::path run = run_timeline();
  const std::string regions = read_file(run / "regions.csv");
  // A row with a field missing.
  std::ofstream(run / "regions.csv", std::ios::trunc) << regions << "11,2025-12,North\n";
  expect_error(mercato(fmt::format("report {}", shell_quoted(run.string()))), 1,
               (run / "regions.csv").string() + ": line");
  // A count that is not a number.
  std::ofstream(run / "regions.csv", std::ios::trunc) << regions;
  const std::string flows = read_file(run / "flows.csv");
  std::string bad_flows = flows;
  bad_flows.replace(bad_flows.rfind(',') + 1, std::string::npos, "many\n");
  std::ofstream(run / "flows.csv", std::ios::trunc) << bad_flows;
  expect_error(mercato(fmt::format("report {}", shell_quoted(run.string()))), 1,
               (run / "flows.csv").string() + ": line");
  // A table that is gone.
  fs::remove(run / "regions.csv");
  expect_error(mercato(fmt::format("report {}", shell_quoted(run.string()))), 1,
               (run / "regions.csv").string());
  EXPECT_FALSE(fs::exists(run / "report.html"));
}

TEST_F(ReportCliTest, HelpListsTheCommand) {
  const auto list = mercato("help");
  ASSERT_EQ(list.exit_code, 0);
  EXPECT_NE(list.out.find("report"), std::string::npos) << list.out;
  const auto page = mercato("help report");
  ASSERT_EQ(page.exit_code, 0) << page.err;
  for (const char* part : {"INPUT", "--output", "--force", "docs/report.md", "database"}) {
    EXPECT_NE(page.out.find(part), std::string::npos) << part;
  }
}

TEST_F(ReportCliTest, AnEnsembleDatabaseIsReportedWithIntervals) {
  const fs::path database = root_ / "tiny.db";
  const auto ensemble =
      mercato(fmt::format("ensemble {} --replicates 4 --months 12 --threads 2 -o {} --quiet",
                          shell_quoted((kSourceDir / "scenarios" / "tiny.yaml").string()),
                          shell_quoted(database.string())));
  ASSERT_EQ(ensemble.exit_code, 0) << ensemble.err;
  const auto result = mercato(fmt::format("report {}", shell_quoted(database.string())));
  ASSERT_EQ(result.exit_code, 0) << result.err;
  const fs::path page_path = root_ / "tiny.report.html";
  EXPECT_NE(result.out.find(page_path.string()), std::string::npos) << result.out;
  const json data = data_of(read_file(page_path));
  ASSERT_TRUE(data.is_object());
  EXPECT_EQ(data["kind"], "ensemble");
  EXPECT_EQ(data["replicates"], 4);
  ASSERT_EQ(data["points"].size(), 1u);
  EXPECT_EQ(data["points"][0]["done"], 4);
  EXPECT_TRUE(data["baseline"].is_null());
  // The mean of a figure over the runs, by SQL, and an interval around it.
  const std::string name = "regions.North.top_work_share";
  const double mean = query_number(
      database, fmt::format("SELECT AVG(value) FROM metric WHERE metric = '{}'", name));
  const json& estimate = metric_of(data, name)["values"][0];
  EXPECT_EQ(estimate["n"], 4);
  EXPECT_NEAR(estimate["mean"].get<double>(), mean, 1e-12);
  EXPECT_LE(estimate["low"].get<double>(), mean);
  EXPECT_GE(estimate["high"].get<double>(), mean);
  // The work share over time, from the kept regions table: North's share in the last month of
  // the first run.
  const json& work = data["work_share"];
  ASSERT_TRUE(work.is_object());
  ASSERT_EQ(work["dates"].size(), 12u);
  EXPECT_EQ(work["regions"], json({"North", "South"}));
  const double north_last = query_number(
      database,
      "SELECT AVG(1.0 * n.employed / (n.employed + s.employed)) FROM regions n JOIN regions s "
      "ON s.run = n.run AND s.month = n.month AND s.tier = n.tier WHERE n.region = 'North' "
      "AND s.region = 'South' AND n.tier = 'top' AND n.month = 11");
  EXPECT_NEAR(work["points"][0]["North"]["mean"][11].get<double>(), north_last, 1e-12);
}

TEST_F(ReportCliTest, ASweepIsComparedWithItsBaselinePairByPair) {
  const fs::path experiment = root_ / "tax.yaml";
  std::ofstream(experiment) << fmt::format(
      "name: tax\nscenario: {}\nmonths: 12\nreplicates: 3\nparameters:\n"
      "  - key: regions.South.tax_rate\n    values: [0.25, 0.45, 0.65]\n",
      (kSourceDir / "scenarios" / "tiny.yaml").string());
  const fs::path database = root_ / "tax.db";
  const auto sweep =
      mercato(fmt::format("sweep {} -o {} --threads 2 --quiet", shell_quoted(experiment.string()),
                          shell_quoted(database.string())));
  ASSERT_EQ(sweep.exit_code, 0) << sweep.err;
  const fs::path page_path = root_ / "tax.html";
  const auto result = mercato(fmt::format("report {} -o {} -q", shell_quoted(database.string()),
                                          shell_quoted(page_path.string())));
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_TRUE(result.out.empty());
  const json data = data_of(read_file(page_path));
  EXPECT_EQ(data["kind"], "sweep");
  EXPECT_EQ(data["name"], "tax");
  EXPECT_EQ(data["baseline"], 0);
  EXPECT_EQ(data["parameters"], json({"regions.South.tax_rate"}));
  ASSERT_EQ(data["points"].size(), 3u);
  EXPECT_EQ(data["points"][2]["values"]["regions.South.tax_rate"], "0.65");
  // Point 2 against point 0: the mean of the differences replicate by replicate, by SQL.
  for (const std::string name : {"regions.South.top_work_share", "wage_end.all.p50"}) {
    const json& metric = metric_of(data, name);
    EXPECT_TRUE(metric["differences"][0].is_null());
    const double paired = query_number(
        database,
        fmt::format("SELECT AVG(a.value - b.value) FROM metric a JOIN run ra ON ra.run = a.run "
                    "JOIN run rb ON rb.point = 0 AND rb.replicate = ra.replicate "
                    "JOIN metric b ON b.run = rb.run AND b.metric = a.metric "
                    "WHERE ra.point = 2 AND a.metric = '{}'",
                    name));
    const json& difference = metric["differences"][2];
    EXPECT_EQ(difference["n"], 3) << name;
    EXPECT_NEAR(difference["mean"].get<double>(), paired, 1e-9 * (1 + std::abs(paired))) << name;
    EXPECT_LE(difference["low"].get<double>(), difference["high"].get<double>()) << name;
  }
  // The page is refused a second time without --force, and kept.
  const std::string before = read_file(page_path);
  expect_error(mercato(fmt::format("report {} -o {}", shell_quoted(database.string()),
                                   shell_quoted(page_path.string()))),
               2, "exists; use --force");
  EXPECT_EQ(read_file(page_path), before);
}

TEST_F(ReportCliTest, ACompareFolderShowsThePolicyAgainstTheBase) {
  const fs::path tiny = kSourceDir / "scenarios" / "tiny.yaml";
  const fs::path folder = root_ / "cmp";
  const auto compare = mercato(fmt::format(
      "compare {} {} --set-policy regions.North.tax_rate=0.2 --replicates 3 --months 12 "
      "--threads 2 -o {} --quiet",
      shell_quoted(tiny.string()), shell_quoted(tiny.string()), shell_quoted(folder.string())));
  ASSERT_EQ(compare.exit_code, 0) << compare.err;
  ASSERT_EQ(mercato(fmt::format("report {} -q", shell_quoted(folder.string()))).exit_code, 0);
  const json data = data_of(read_file(folder / "report.html"));
  EXPECT_EQ(data["kind"], "comparison");
  ASSERT_EQ(data["points"].size(), 2u);
  const json comparison = json::parse(read_file(folder / "comparison.json"));
  ASSERT_EQ(data["metrics"].size(), comparison["rows"].size());
  for (std::size_t i = 0; i < comparison["rows"].size(); ++i) {
    const json& row = comparison["rows"][i];
    const json& metric = data["metrics"][i];
    EXPECT_EQ(metric["metric"], row["metric"]);
    EXPECT_EQ(metric["values"][0]["mean"], row["base_mean"]);
    EXPECT_EQ(metric["differences"][1]["mean"], row["difference"]);
    EXPECT_EQ(metric["differences"][1]["low"], row["ci_low"]);
  }
}

}  // namespace
