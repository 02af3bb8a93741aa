// RunWriter on a hand-made world of two regions (US, FR) and three organisations (Meta,
// "Mistral, Paris" whose comma forces CSV quoting, and a pool member), fed two hand-made
// months. Nothing here runs the engine: the metrics are what the engine would hand over.
#include <gtest/gtest.h>

#include <sys/resource.h>
#include <unistd.h>
#include "support/files.hpp"

#include <csignal>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "io/atomic_file.hpp"
#include "io/tables.hpp"
#include "mercato/core/error.hpp"
#include "mercato/io/outputs.hpp"

namespace mercato::io {
namespace {

namespace fs = std::filesystem;

using mercato::testing::lines_of;
using mercato::testing::read_file;

void add_org(World& world, std::string name, OrgKind kind, int region, bool named) {
  world.orgs.name.push_back(std::move(name));
  world.orgs.kind.push_back(kind);
  world.orgs.region.push_back(RegionId(static_cast<std::uint8_t>(region)));
  world.orgs.named.push_back(named ? 1 : 0);
}

World small_world() {
  World world;
  Region us{};
  us.id = "US";
  us.name = "United States";
  Region fr{};
  fr.id = "FR";
  fr.name = "France";
  world.regions = {us, fr};
  add_org(world, "Meta", OrgKind::big_tech, 0, true);
  add_org(world, "Mistral, Paris", OrgKind::startup, 1, true);
  add_org(world, "sme-FR#1", OrgKind::sme, 1, false);
  return world;
}

const RegionId kUs(0), kFr(1);
const OrgId kMeta(0), kMistral(1), kSme(2);

// MODEL.md's worked example, seen from the move log: an elite researcher leaves Meta for
// Mistral at a wage of $4.68M with a $2.0M bonus covering $2.0M of forfeited equity, so the
// package value is 4 x 4.68 + 2.0 = $20.72M.
MoveRecord elite_move(int month) {
  MoveRecord m;
  m.month = month;
  m.talent = 7;
  m.tier = Tier::elite;
  m.role = Role::research;
  m.ability = 3.2f;
  m.from = kMeta;
  m.to = kMistral;
  m.from_region = kUs;
  m.to_region = kFr;
  m.wage_before = 1.0e6;
  m.wage = 4.68e6;
  m.bonus = 2.0e6;
  m.forfeited = 2.0e6;
  return m;
}

MonthMetrics month_metrics(int month) {
  MonthMetrics m;
  m.month = month;
  m.date = YearMonth{2025, 1}.plus_months(month);
  m.market.talents = 100;
  m.market.employed = 95;
  m.market.doctoral_students = 7;
  m.market.moves = 3;
  m.market.poaching_success = 1.0 / 3.0;
  m.market.signing_bonuses = 2.0e6;
  m.market.package = {250000, 2.0e6, 2.0e7, 20720000};
  m.market.output = 1.5e9;
  for (RegionId r : {kUs, kFr}) {
    for (int t = 0; t < kReportTierCount; ++t) {
      RegionRow row;
      row.region = r;
      row.tier = static_cast<ReportTier>(t);
      row.employed = 40;
      row.trained_here = 50;
      row.trained_here_working_abroad = 5;
      row.brain_drain = 5.0 / 45.0;
      row.wage = {150000.4, 400000, 1.0e6, 4.68e6};
      row.output = 7.5e8;
      m.regions.push_back(row);
    }
  }
  KindRow kind;
  kind.kind = OrgKind::big_tech;
  kind.headcount = 60;
  kind.wage_mean = 300000.2;
  m.kinds.push_back(kind);
  for (OrgId o : {kMeta, kMistral}) {
    OrgRow row;
    row.org = o;
    row.research = 10;
    row.payroll = 5.0e6;
    row.compute = 12345.678;
    m.orgs.push_back(row);
  }
  FlowRow flow;
  flow.from_region = kUs;
  flow.to_region = kFr;
  flow.from_kind = static_cast<int>(OrgKind::big_tech);
  flow.to_kind = OrgKind::startup;
  flow.tier = ReportTier::elite;
  flow.moves = 1;
  m.flows.push_back(flow);
  FlowRow hire = flow;
  hire.from_kind = -1;
  hire.tier = ReportTier::all;
  m.flows.push_back(hire);
  if (month == 1) {  // origins are due every N months and in the last month
    m.origins.push_back(OriginRow{kFr, 0, ReportTier::top, 3});
    m.origins.push_back(OriginRow{kFr, -1, ReportTier::all, 2});
  }
  m.moves.push_back(elite_move(month));
  MoveRecord top = elite_move(month);
  top.talent = 8;
  top.tier = Tier::top;
  m.moves.push_back(top);
  MoveRecord rest = elite_move(month);  // a graduate hired from unemployment by a pool member
  rest.talent = 9;
  rest.tier = Tier::rest;
  rest.from = kNoEmployer;
  rest.from_region = kFr;
  rest.to = kSme;
  m.moves.push_back(rest);
  return m;
}

RunSummary run_summary() {
  RunSummary s;
  s.scenario = "hand-made";
  s.seed = 42;
  s.months = 2;
  s.start = {2025, 1};
  s.end = {2025, 2};
  s.talents_start = 100;
  s.talents_end = 100;
  s.organisations = 3;
  s.moves = 6;
  s.moves_per_talent_year = 0.36;
  s.regions.push_back({kFr, 0.25, 0.5, 0.123456789, 0.1});
  s.groups.push_back({"EU", 0.25, 0.5, 0.12});
  s.wage_end[static_cast<int>(ReportTier::elite)] = {1.0e6, 4.0e6, 4.6e6, 4.68e6};
  s.largest_packages.push_back(elite_move(1));
  return s;
}

RunDescription description() {
  RunDescription d;
  d.scenario_file = "scenarios/hand-made.yaml";
  d.scenario_name = "hand-made";
  d.seed = 42;
  d.months = 2;
  d.threads = 2;
  d.command_line = "mercato run scenarios/hand-made.yaml";
  d.resolved_scenario = "name: hand-made\nseed: 42\n";
  return d;
}

OutputsConfig all_outputs(MoveLog moves = MoveLog::all) {
  OutputsConfig outputs;
  outputs.moves = moves;
  return outputs;
}

class RunWriterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    root_ = fs::temp_directory_path() /
            fmt::format("mercato-io-{}-{}-{}", ::getpid(), info->test_suite_name(), info->name());
    fs::remove_all(root_);
    fs::create_directories(root_);
    dir_ = root_ / "run";
  }
  void TearDown() override { fs::remove_all(root_); }

  // Two months and the end of the run, as the engine would drive the writer.
  void write_run(RunWriter& writer) {
    writer.on_month(world_, month_metrics(0));
    writer.on_month(world_, month_metrics(1));
    writer.on_finish(world_, run_summary());
  }

  std::vector<std::string> file_names_in(const fs::path& dir) const {
    std::vector<std::string> names;
    for (const auto& entry : fs::directory_iterator(dir)) names.push_back(entry.path().filename());
    std::sort(names.begin(), names.end());
    return names;
  }

  fs::path root_, dir_;
  World world_ = small_world();
};

TEST_F(RunWriterTest, WritesEveryTableWithItsHeaderPlusSummaryAndManifest) {
  RunWriter writer(dir_, all_outputs(), description());
  write_run(writer);
  EXPECT_EQ(file_names_in(dir_),
            (std::vector<std::string>{"events.csv", "flows.csv", "kinds.csv", "manifest.json",
                                      "market.csv", "moves.csv", "orgs.csv", "origins.csv",
                                      "regions.csv", "summary.json"}));
  for (int t = 0; t < kTableCount; ++t) {
    const Table table = static_cast<Table>(t);
    const auto lines = lines_of(read_file(dir_ / fmt::format("{}.csv", table_name(table))));
    ASSERT_FALSE(lines.empty());
    EXPECT_EQ(lines[0], fmt::format("{}", fmt::join(table_columns(table), ",")));
    const std::size_t columns = table_columns(table).size();
    for (const std::string& line : lines) {
      // One field more per comma; the only quoted field (with its comma) is Mistral's name.
      const auto commas = std::count(line.begin(), line.end(), ',') -
                          (line.find("\"Mistral, Paris\"") != std::string::npos ? 1 : 0);
      EXPECT_EQ(static_cast<std::size_t>(commas) + 1, columns) << table_name(table) << ": " << line;
    }
  }
  // 2 regions x 3 tiers per month; one market row per month; origins only when due.
  EXPECT_EQ(lines_of(read_file(dir_ / "regions.csv")).size(), 1u + 2 * 6);
  EXPECT_EQ(lines_of(read_file(dir_ / "market.csv")).size(), 1u + 2);
  EXPECT_EQ(lines_of(read_file(dir_ / "origins.csv")).size(), 1u + 2);
}

TEST_F(RunWriterTest, WritesIdsAsNamesAndMoneyInWholeDollars) {
  RunWriter writer(dir_, all_outputs(), description());
  write_run(writer);
  const auto moves = lines_of(read_file(dir_ / "moves.csv"));
  ASSERT_EQ(moves.size(), 1u + 2 * 3);
  EXPECT_EQ(moves[1],
            "0,2025-01,7,elite,research,3.2,Meta,big_tech,US,\"Mistral, Paris\",startup,FR,"
            "1000000,4680000,2000000,2000000,20720000,");
  // Hired from unemployment: no from_org, from_kind "unemployed".
  EXPECT_EQ(moves[3],
            "0,2025-01,9,rest,research,3.2,,unemployed,FR,sme-FR#1,sme,FR,"
            "1000000,4680000,2000000,2000000,20720000,");
  const auto regions = lines_of(read_file(dir_ / "regions.csv"));
  EXPECT_EQ(regions[1],
            "0,2025-01,US,elite,40,0,0,0,50,5,0.111111,0,0,150000,400000,1000000,"
            "4680000,");  // output is given for tier all only
  EXPECT_EQ(regions[3],
            "0,2025-01,US,all,40,0,0,0,50,5,0.111111,0,0,150000,400000,1000000,"
            "4680000,750000000");
  const auto flows = lines_of(read_file(dir_ / "flows.csv"));
  EXPECT_EQ(flows[1], "0,2025-01,US,FR,big_tech,startup,elite,1");
  EXPECT_EQ(flows[2], "0,2025-01,US,FR,unemployed,startup,all,1");
  const auto origins = lines_of(read_file(dir_ / "origins.csv"));
  EXPECT_EQ(origins[1], "1,2025-02,FR,US,top,3");
  EXPECT_EQ(origins[2], "1,2025-02,FR,unemployed,all,2");
  const auto orgs = lines_of(read_file(dir_ / "orgs.csv"));
  EXPECT_EQ(orgs[1], "0,2025-01,Meta,big_tech,US,10,0,0,0,0,5000000,0,12345.7,0,0,0,0,0");
  const auto market = lines_of(read_file(dir_ / "market.csv"));
  EXPECT_EQ(market[2],
            "1,2025-02,100,95,0,0,0,7,0,0,0,3,0,0,0.333333,2000000,250000,2000000,"
            "20000000,20720000,0,0,1500000000,0");
}

TEST_F(RunWriterTest, MoveLogKeepsTheTiersAskedFor) {
  struct Case {
    MoveLog log;
    std::size_t moves_per_month;
  };
  // elite: the elite move only; top: elite and top (the top tier includes the elite); all.
  for (const Case c : {Case{MoveLog::elite, 1}, Case{MoveLog::top, 2}, Case{MoveLog::all, 3}}) {
    fs::remove_all(dir_);
    RunWriter writer(dir_, all_outputs(c.log), description());
    write_run(writer);
    EXPECT_EQ(lines_of(read_file(dir_ / "moves.csv")).size(), 1 + 2 * c.moves_per_month);
  }
  fs::remove_all(dir_);
  RunWriter writer(dir_, all_outputs(MoveLog::none), description());
  write_run(writer);
  EXPECT_FALSE(fs::exists(dir_ / "moves.csv"));  // `none` means no move log at all
}

TEST_F(RunWriterTest, WritesOnlyTheListedTables) {
  OutputsConfig outputs;
  outputs.tables = {"market", "regions"};
  RunWriter writer(dir_, outputs, description());
  write_run(writer);
  EXPECT_EQ(file_names_in(dir_), (std::vector<std::string>{"manifest.json", "market.csv",
                                                           "regions.csv", "summary.json"}));
}

TEST_F(RunWriterTest, AnUnknownTableIsAUsageErrorBeforeAnythingIsCreated) {
  OutputsConfig outputs;
  outputs.tables = {"regions", "region"};
  EXPECT_THROW(RunWriter(dir_, outputs, description()), UsageError);
  EXPECT_FALSE(fs::exists(dir_));
}

TEST_F(RunWriterTest, FilesKeepTemporaryNamesUntilTheRunFinishes) {
  RunWriter writer(dir_, all_outputs(), description());
  writer.on_month(world_, month_metrics(0));
  // Mid-run (where a kill would strike), only dot-named temporary files exist.
  for (const std::string& name : file_names_in(dir_)) {
    EXPECT_EQ(name.front(), '.') << name;
    EXPECT_TRUE(name.ends_with(".partial")) << name;
  }
  EXPECT_TRUE(fs::exists(dir_ / ".regions.csv.partial"));
  writer.on_month(world_, month_metrics(1));
  writer.on_finish(world_, run_summary());
  for (const std::string& name : file_names_in(dir_)) EXPECT_NE(name.front(), '.') << name;
}

TEST_F(RunWriterTest, AnUnfinishedRunRemovesItsTemporaryFilesAndTheFolderItCreated) {
  {
    RunWriter writer(dir_, all_outputs(), description());
    writer.on_month(world_, month_metrics(0));
  }  // an error unwinding past the writer, before on_finish
  EXPECT_FALSE(fs::exists(dir_));
}

TEST_F(RunWriterTest, RefusesANonEmptyFolderWithoutForceAndLeavesItAlone) {
  fs::create_directories(dir_);
  std::ofstream(dir_ / "regions.csv") << "an earlier run\n";
  try {
    RunWriter writer(dir_, all_outputs(), description());
    FAIL() << "a non-empty folder was accepted without --force";
  } catch (const UsageError& e) {
    EXPECT_EQ(std::string(e.what()),
              fmt::format("output folder {} is not empty; use --force to overwrite or -o to "
                          "choose another",
                          dir_.string()));
  }
  EXPECT_EQ(read_file(dir_ / "regions.csv"), "an earlier run\n");
  EXPECT_EQ(file_names_in(dir_), std::vector<std::string>{"regions.csv"});
}

TEST_F(RunWriterTest, ForceReplacesOnlyMercatosOwnFiles) {
  fs::create_directories(dir_);
  std::ofstream(dir_ / "notes.txt") << "mine\n";
  std::ofstream(dir_ / "moves.csv") << "an earlier run's move log\n";
  std::ofstream(dir_ / "regions.csv") << "an earlier run\n";
  OutputsConfig outputs;
  outputs.tables = {"regions", "market"};
  RunWriter writer(dir_, outputs, description(), /*force=*/true);
  // The earlier files stay complete until the new ones are.
  EXPECT_EQ(read_file(dir_ / "regions.csv"), "an earlier run\n");
  write_run(writer);
  EXPECT_EQ(read_file(dir_ / "notes.txt"), "mine\n");
  EXPECT_NE(read_file(dir_ / "regions.csv"), "an earlier run\n");
  // moves.csv is not part of this run: leaving it would mix two runs in one folder.
  EXPECT_FALSE(fs::exists(dir_ / "moves.csv"));
}

TEST_F(RunWriterTest, AnUnwritableFolderIsAnIoErrorNamingThePathAndTheReason) {
  // A folder below a regular file cannot be created, even by root (chmod would not stop root).
  std::ofstream(root_ / "a-file") << "x";
  const fs::path dir = root_ / "a-file" / "run";
  try {
    RunWriter writer(dir, all_outputs(), description());
    FAIL() << "no error for an unusable folder";
  } catch (const IoError& e) {
    const std::string message = e.what();
    EXPECT_NE(message.find(dir.string()), std::string::npos) << message;
    EXPECT_NE(message.find("Not a directory"), std::string::npos) << message;
  }
}

TEST_F(RunWriterTest, AFileInPlaceOfTheFolderIsAnIoError) {
  std::ofstream(dir_) << "x";
  EXPECT_THROW(RunWriter(dir_, all_outputs(), description()), IoError);
}

TEST_F(RunWriterTest, AFullDiskIsAnIoErrorAndLeavesNoFileBehind) {
  // A file size limit makes the OS refuse writes past 64 kB (EFBIG), which is how a full
  // disk looks to the writer; SIGXFSZ is ignored so the write fails instead of the process.
  fs::create_directories(dir_);
  std::ofstream(dir_ / "regions.csv") << "an earlier run\n";
  rlimit previous{};
  ASSERT_EQ(::getrlimit(RLIMIT_FSIZE, &previous), 0);
  const auto previous_handler = std::signal(SIGXFSZ, SIG_IGN);
  rlimit small = previous;
  small.rlim_cur = rlim_t{64} * 1024;
  ASSERT_EQ(::setrlimit(RLIMIT_FSIZE, &small), 0);
  std::string message;
  try {
    RunWriter writer(dir_, all_outputs(), description(), /*force=*/true);
    for (int month = 0; month < 2000; ++month) writer.on_month(world_, month_metrics(month % 2));
    writer.on_finish(world_, run_summary());
  } catch (const IoError& e) {
    message = e.what();
  }
  ::setrlimit(RLIMIT_FSIZE, &previous);
  std::signal(SIGXFSZ, previous_handler);
  EXPECT_NE(message.find((dir_ / "regions.csv").string()), std::string::npos) << message;
  EXPECT_NE(message.find("File too large"), std::string::npos) << message;
  EXPECT_EQ(read_file(dir_ / "regions.csv"), "an earlier run\n");
  EXPECT_EQ(file_names_in(dir_), std::vector<std::string>{"regions.csv"});
}

TEST_F(RunWriterTest, SummaryJsonNamesIdsAndRoundsNumbers) {
  RunWriter writer(dir_, all_outputs(), description());
  write_run(writer);
  const auto summary = nlohmann::json::parse(read_file(dir_ / "summary.json"));
  EXPECT_EQ(summary["scenario"], "hand-made");
  EXPECT_EQ(summary["seed"], 42);
  EXPECT_EQ(summary["start"], "2025-01");
  EXPECT_EQ(summary["regions"][0]["region"], "FR");
  EXPECT_EQ(summary["regions"][0]["brain_drain_top"], 0.123457);
  EXPECT_EQ(summary["groups"][0]["group"], "EU");
  EXPECT_EQ(summary["wage_end"]["elite"]["max"], 4680000);
  const auto& package = summary["largest_packages"][0];
  EXPECT_EQ(package["date"], "2025-02");
  EXPECT_EQ(package["from_org"], "Meta");
  EXPECT_EQ(package["to_org"], "Mistral, Paris");
  EXPECT_EQ(package["to_region"], "FR");
  EXPECT_EQ(package["package_value"], 20720000);
  EXPECT_TRUE(package["package_value"].is_number_integer());
}

TEST_F(RunWriterTest, ManifestRecordsHowTheRunWasMadeAndWhatItWrote) {
  RunWriter writer(dir_, all_outputs(MoveLog::elite), description());
  writer.set_setup_timings(1.25, 0.5);
  write_run(writer);
  const auto manifest = nlohmann::json::parse(read_file(dir_ / "manifest.json"));
  EXPECT_EQ(manifest["mercato_version"], std::string(mercato_version()));
  EXPECT_EQ(manifest["scenario"]["file"], "scenarios/hand-made.yaml");
  EXPECT_EQ(manifest["scenario"]["name"], "hand-made");
  EXPECT_EQ(manifest["seed"], 42);
  EXPECT_EQ(manifest["months"], 2);
  EXPECT_EQ(manifest["start"], "2025-01");
  EXPECT_EQ(manifest["threads"], 2);
  EXPECT_EQ(manifest["command_line"], "mercato run scenarios/hand-made.yaml");
  EXPECT_EQ(manifest["resolved_scenario"], "name: hand-made\nseed: 42\n");
  EXPECT_EQ(manifest["timings"]["build_seconds"], 1.25);
  EXPECT_EQ(manifest["timings"]["warmup_seconds"], 0.5);
  EXPECT_GE(manifest["timings"]["run_seconds"].get<double>(), 0.0);
  EXPECT_GE(manifest["timings"]["write_seconds"].get<double>(), 0.0);
  std::map<std::string, std::int64_t> rows;
  for (const auto& file : manifest["files"]) {
    rows[file["name"]] = file.contains("rows") ? file["rows"].get<std::int64_t>() : -1;
  }
  EXPECT_EQ(rows.at("regions.csv"), 12);
  EXPECT_EQ(rows.at("moves.csv"), 2);  // elite moves only
  EXPECT_EQ(rows.at("market.csv"), 2);
  EXPECT_EQ(rows.at("summary.json"), -1);
  EXPECT_EQ(rows.size(), 9u);  // eight tables and the summary; the manifest does not list itself
}

TEST(AtomicFile, DiscardedFileLeavesNothing) {
  const fs::path dir = fs::temp_directory_path() / fmt::format("mercato-atomic-{}", ::getpid());
  fs::create_directories(dir);
  {
    AtomicFile file(dir / "x.csv");
    file.write("a,b\n");
    EXPECT_TRUE(fs::exists(dir / ".x.csv.partial"));
  }
  EXPECT_TRUE(fs::is_empty(dir));
  fs::remove_all(dir);
}

}  // namespace
}  // namespace mercato::io
