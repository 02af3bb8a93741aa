// Checkpoint files (include/mercato/io/checkpoint.hpp): a World and a Simulation's progress
// survive the round trip field for field, a simulation resumed from a checkpoint ends in the
// same state as one that never stopped, and every kind of damage is refused with a message
// naming the file and what is wrong.
//
// The runs are scenarios/tiny.yaml (about 460 talents, no events) and
// tests/scenario/fixtures/events_all.yaml (one event of each type, so that the timeline's
// bookkeeping, the policy maps and the training carry are all non-trivial when saved).
#include <gtest/gtest.h>
#include <unistd.h>
#include <zlib.h>

#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <random>

#include "mercato/core/error.hpp"
#include "mercato/io/checkpoint.hpp"
#include "mercato/scenario/scenario.hpp"

namespace mercato::io {
namespace {

namespace fs = std::filesystem;

fs::path fresh_folder(const std::string& name) {
  const fs::path dir = fs::temp_directory_path() /
                       ("mercato-" + name + "-" + std::to_string(static_cast<long>(::getpid())));
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

Config load_config(const std::string& relative, int months) {
  Config c = scenario::load(std::string(MERCATO_SOURCE_DIR) + "/" + relative);
  c.months = months;
  return c;
}

Simulation start(const Config& c, int threads = 1) {
  World w = scenario::build_world(c);
  std::vector<Event> events = scenario::build_events(c, w);
  return Simulation(std::move(w), scenario::simulation_options(c, threads), std::move(events));
}

CheckpointRun run_of(const Config& c) {
  CheckpointRun run;
  run.description.scenario_file = c.source_file;
  run.description.scenario_name = c.name;
  run.description.seed = c.seed;
  run.description.months = c.months;
  run.description.start = c.start;
  run.description.command_line = "mercato run test.yaml --checkpoint-every 4";
  run.description.resolved_scenario = scenario::to_yaml(c);
  run.checkpoint_every = 4;
  run.writer.tables = {{"regions.csv", 1234, 0xdeadbeef, 48}, {"moves.csv", 99, 7, 3}};
  run.writer.timings = {0.5, 0.25, 1.5, 0.125};
  return run;
}

// A Simulation `months` into `c`, and its checkpoint's bytes.
std::string checkpoint_after(const Config& c, int months, Simulation& sim) {
  for (int m = 0; m < months; ++m) sim.step();
  return encode_checkpoint(run_of(c), sim.world(), sim.progress());
}

std::string events_checkpoint() {
  static const std::string bytes = [] {
    const Config c = load_config("tests/scenario/fixtures/events_all.yaml", 24);
    Simulation sim = start(c);
    return checkpoint_after(c, 14, sim);
  }();
  return bytes;
}

// The message of the IoError that decoding `bytes` throws ("" if it loads).
std::string refusal(const std::string& bytes, const CheckpointReadOptions& options = {}) {
  try {
    (void)decode_checkpoint(bytes, "runs/x/checkpoint.bin", options);
  } catch (const IoError& e) {
    return e.what();
  }
  return "";
}

std::uint32_t crc_of(std::string_view bytes) {
  return static_cast<std::uint32_t>(
      crc32(0L, reinterpret_cast<const Bytef*>(bytes.data()), static_cast<uInt>(bytes.size())));
}

// The bytes with a new payload CRC, as a writer of a forged or newer file would make them.
std::string with_valid_crc(std::string bytes) {
  const std::uint32_t crc = crc_of(std::string_view(bytes).substr(24));
  std::memcpy(bytes.data() + 20, &crc, 4);
  return bytes;
}

TEST(Checkpoint, TheWorldAndTheProgressSurviveTheRoundTrip) {
  // Month 25: the training programme's graduates (lag 24) are arriving, grants are vesting.
  const Config c = load_config("tests/scenario/fixtures/events_all.yaml", 30);
  Simulation sim = start(c);
  const std::string bytes = checkpoint_after(c, 25, sim);
  const Checkpoint back = decode_checkpoint(bytes, "checkpoint.bin");

  // What the checkpoint is for must be there and non-trivial: events under way.
  const World& w = sim.world();
  ASSERT_FALSE(w.policy.grants.empty());
  ASSERT_FALSE(w.policy.program_carry.empty());

  EXPECT_EQ(back.run.description.resolved_scenario, scenario::to_yaml(c));
  EXPECT_EQ(back.run.description.command_line, "mercato run test.yaml --checkpoint-every 4");
  EXPECT_EQ(back.run.checkpoint_every, 4);
  ASSERT_EQ(back.run.writer.tables.size(), 2u);
  EXPECT_EQ(back.run.writer.tables[0].file, "regions.csv");
  EXPECT_EQ(back.run.writer.tables[0].bytes, 1234u);
  EXPECT_EQ(back.run.writer.tables[0].crc, 0xdeadbeefu);
  EXPECT_EQ(back.run.writer.tables[0].rows, 48);
  EXPECT_EQ(back.run.writer.timings.run_seconds, 1.5);
  EXPECT_EQ(back.fingerprint, scenario_fingerprint(scenario::to_yaml(c)));

  const World& r = back.world;
  EXPECT_EQ(r.talents.uid, w.talents.uid);
  EXPECT_EQ(r.talents.ability, w.talents.ability);
  EXPECT_EQ(r.talents.employer, w.talents.employer);
  EXPECT_EQ(r.talents.wage, w.talents.wage);
  EXPECT_EQ(r.talents.unvested, w.talents.unvested);
  EXPECT_EQ(r.talents.persona, w.talents.persona);
  EXPECT_EQ(r.talents.pref_drawn, w.talents.pref_drawn);
  EXPECT_EQ(r.talents.drawn_prefs, w.talents.drawn_prefs);
  for (std::size_t i = 0; i < w.talents.size(); ++i) {
    const Preferences a = r.talents.prefs(i), b = w.talents.prefs(i);
    ASSERT_EQ(0, std::memcmp(&a, &b, sizeof(Preferences))) << i;
  }
  EXPECT_EQ(r.orgs.name, w.orgs.name);
  EXPECT_EQ(r.orgs.payroll, w.orgs.payroll);
  EXPECT_EQ(r.orgs.power_sum, w.orgs.power_sum);
  EXPECT_EQ(r.orgs.headcount, w.orgs.headcount);
  EXPECT_EQ(r.orgs.payroll_budget, w.orgs.payroll_budget);
  EXPECT_EQ(r.orgs.mission, w.orgs.mission);
  ASSERT_EQ(r.regions.size(), w.regions.size());
  for (std::size_t k = 0; k < w.regions.size(); ++k) {
    EXPECT_EQ(r.regions[k].id, w.regions[k].id);
    EXPECT_EQ(r.regions[k].visa_friction, w.regions[k].visa_friction);
    EXPECT_EQ(r.regions[k].tax_event, w.regions[k].tax_event);
    EXPECT_EQ(r.regions[k].non_compete_months, w.regions[k].non_compete_months);
    EXPECT_EQ(std::isnan(r.regions[k].inbound_tax_rate), std::isnan(w.regions[k].inbound_tax_rate));
    EXPECT_EQ(r.regions[k].study_abroad_selection, w.regions[k].study_abroad_selection);
    EXPECT_EQ(r.regions[k].foreign_idle_months, w.regions[k].foreign_idle_months);
    ASSERT_EQ(r.regions[k].study_abroad.size(), w.regions[k].study_abroad.size());
    for (std::size_t f = 0; f < w.regions[k].study_abroad.size(); ++f) {
      EXPECT_EQ(r.regions[k].study_abroad[f].to, w.regions[k].study_abroad[f].to);
      EXPECT_EQ(r.regions[k].study_abroad[f].share, w.regions[k].study_abroad[f].share);
      EXPECT_EQ(r.regions[k].study_abroad[f].carry, w.regions[k].study_abroad[f].carry);
    }
  }
  ASSERT_EQ(w.regions[0].study_abroad.size(), 1u);  // the fixture's flow from North to South
  EXPECT_EQ(w.regions[0].study_abroad_selection, 0.5);
  EXPECT_EQ(w.regions[1].foreign_idle_months, 3);
  EXPECT_EQ(r.regions[1].doctoral_months, 6);  // North's graduates who study in the South enrol
  ASSERT_FALSE(w.doctorates.empty());
  EXPECT_EQ(r.doctorates, w.doctorates);
  EXPECT_EQ(r.next_student, w.next_student);
  EXPECT_EQ(r.next_uid, w.next_uid);
  EXPECT_EQ(r.graduate_carry, w.graduate_carry);
  EXPECT_EQ(r.policy.program_carry, w.policy.program_carry);
  EXPECT_EQ(r.policy.program_graduates, w.policy.program_graduates);
  ASSERT_EQ(r.policy.grants.size(), w.policy.grants.size());
  for (const auto& [uid, g] : w.policy.grants) {
    const RetentionGrant& h = r.policy.grants.at(uid);
    EXPECT_EQ(h.amount, g.amount);
    EXPECT_EQ(h.org, g.org);
    EXPECT_EQ(h.month, g.month);
  }
  const SimulationProgress p = sim.progress();
  EXPECT_EQ(back.simulation.months_run, 25);
  EXPECT_TRUE(back.simulation.warmed_up);
  ASSERT_EQ(back.simulation.events.size(), p.events.size());
  for (std::size_t e = 0; e < p.events.size(); ++e) {
    EXPECT_EQ(back.simulation.events[e].cost_total, p.events[e].cost_total);
    EXPECT_EQ(back.simulation.events[e].budget_left, p.events[e].budget_left);
    EXPECT_EQ(back.simulation.events[e].raided, p.events[e].raided);
  }
  EXPECT_EQ(back.simulation.summary.moves, p.summary.moves);
  EXPECT_EQ(back.simulation.summary.largest_packages.size(), p.summary.largest_packages.size());
  EXPECT_EQ(back.simulation.talent_months, p.talent_months);
  EXPECT_TRUE(back.simulation.has_last);
  EXPECT_EQ(back.simulation.last.regions.size(), p.last.regions.size());

  // Every field is written: encoding what was read gives the same bytes.
  EXPECT_EQ(encode_checkpoint(back.run, back.world, back.simulation), bytes);
}

// The check that matters: a simulation stopped after 10 months and resumed from its checkpoint
// ends in the same state, byte for byte, as one that ran 24 months without stopping, also when
// the resumed part runs on two threads.
TEST(Checkpoint, AResumedSimulationEndsInTheSameStateAsAnUninterruptedOne) {
  for (const char* file : {"scenarios/tiny.yaml", "tests/scenario/fixtures/events_all.yaml"}) {
    SCOPED_TRACE(file);
    const Config c = load_config(file, 24);
    Simulation whole = start(c);
    std::vector<MonthMetrics> whole_months;
    while (!whole.done()) whole_months.push_back(whole.step());

    Simulation first = start(c);
    const std::string bytes = checkpoint_after(c, 10, first);
    for (int threads : {1, 2}) {
      Checkpoint back = decode_checkpoint(bytes, "checkpoint.bin");
      std::vector<Event> events = scenario::build_events(c, back.world);
      Simulation resumed(std::move(back.world), scenario::simulation_options(c, threads),
                         std::move(events), std::move(back.simulation));
      EXPECT_EQ(resumed.month(), 10);
      std::size_t k = 10;
      while (!resumed.done()) {
        const MonthMetrics& m = resumed.step();
        ASSERT_LT(k, whole_months.size());
        EXPECT_EQ(m.market.moves, whole_months[k].market.moves);
        EXPECT_EQ(m.market.payroll, whole_months[k].market.payroll);
        ASSERT_EQ(m.events.size(), whole_months[k].events.size());
        for (std::size_t e = 0; e < m.events.size(); ++e)
          EXPECT_EQ(m.events[e].cost_total, whole_months[k].events[e].cost_total);
        ++k;
      }
      EXPECT_EQ(encode_checkpoint(run_of(c), resumed.world(), resumed.progress()),
                encode_checkpoint(run_of(c), whole.world(), whole.progress()));
    }
  }
}

TEST(Checkpoint, WriteReplacesTheFileWholeAndReadGivesItBack) {
  const fs::path dir = fresh_folder("checkpoint-write");
  const Config c = load_config("scenarios/tiny.yaml", 12);
  Simulation sim = start(c);
  sim.step();
  write_checkpoint(dir / "checkpoint.bin", run_of(c), sim.world(), sim.progress());
  sim.step();
  write_checkpoint(dir / "checkpoint.bin", run_of(c), sim.world(), sim.progress());
  EXPECT_EQ(read_checkpoint(dir / "checkpoint.bin").simulation.months_run, 2);
  // Only the checkpoint: no temporary file left beside it.
  EXPECT_EQ(std::distance(fs::directory_iterator(dir), fs::directory_iterator()), 1);
  fs::remove_all(dir);
}

TEST(Checkpoint, AFolderThatCannotHoldItIsAnIoErrorNamingTheFile) {
  // A file where the folder should be: refused for root too, unlike a read-only folder.
  const fs::path dir = fresh_folder("checkpoint-blocked");
  std::ofstream(dir / "file") << "not a folder";
  const Config c = load_config("scenarios/tiny.yaml", 12);
  Simulation sim = start(c);
  sim.step();
  try {
    write_checkpoint(dir / "file" / "checkpoint.bin", run_of(c), sim.world(), sim.progress());
    ADD_FAILURE() << "wrote a checkpoint inside a file";
  } catch (const IoError& e) {
    EXPECT_NE(std::string(e.what()).find("cannot create checkpoint"), std::string::npos)
        << e.what();
    EXPECT_NE(std::string(e.what()).find("file/checkpoint.bin"), std::string::npos) << e.what();
  }
  fs::remove_all(dir);
}

TEST(Checkpoint, AMissingFileIsAnIoError) {
  EXPECT_THROW((void)read_checkpoint("/nonexistent/checkpoint.bin"), IoError);
}

TEST(Checkpoint, EveryTruncationIsRefused) {
  const std::string bytes = events_checkpoint();
  ASSERT_GT(bytes.size(), 10000u);
  std::vector<std::size_t> lengths = {0, 1, 7, 8, 23, 24, 25, bytes.size() - 1};
  for (std::size_t n = 31; n < bytes.size(); n += 997) lengths.push_back(n);
  for (std::size_t n : lengths) {
    const std::string message = refusal(bytes.substr(0, n));
    EXPECT_NE(message.find("runs/x/checkpoint.bin"), std::string::npos) << n << ": " << message;
    const bool says_so = message.find("truncated") != std::string::npos;
    EXPECT_TRUE(says_so) << n << ": " << message;
    EXPECT_NE(message.find("it was not loaded"), std::string::npos) << message;
  }
}

TEST(Checkpoint, EveryFlippedByteIsRefused) {
  const std::string bytes = events_checkpoint();
  std::vector<std::size_t> positions;
  for (std::size_t i = 0; i < 64; ++i) positions.push_back(i);  // the header and the version
  for (std::size_t i = 64; i < bytes.size(); i += 331) positions.push_back(i);
  positions.push_back(bytes.size() - 1);
  for (std::size_t at : positions) {
    for (unsigned char flip : {0x01, 0x80, 0xff}) {
      std::string damaged = bytes;
      damaged[at] = static_cast<char>(damaged[at] ^ flip);
      const std::string message = refusal(damaged);
      ASSERT_FALSE(message.empty()) << "a flipped byte at " << at << " was loaded";
      EXPECT_NE(message.find("runs/x/checkpoint.bin"), std::string::npos) << message;
      const bool explained = message.find("corrupted") != std::string::npos ||
                             message.find("truncated") != std::string::npos ||
                             message.find("not a mercato checkpoint") != std::string::npos ||
                             message.find("format version") != std::string::npos;
      EXPECT_TRUE(explained) << at << ": " << message;
    }
  }
}

TEST(Checkpoint, AnotherFormatVersionIsRefused) {
  std::string bytes = events_checkpoint();
  const std::uint32_t version = kCheckpointFormatVersion + 1;
  std::memcpy(bytes.data() + 8, &version, 4);
  EXPECT_NE(
      refusal(bytes).find("checkpoint format version " + std::to_string(version) + ", but mercato"),
      std::string::npos)
      << refusal(bytes);
}

TEST(Checkpoint, AnotherMercatoVersionIsRefused) {
  // The payload starts with the version string (u64 length, then the text).
  std::string bytes = events_checkpoint();
  const std::string_view version = mercato_version();
  ASSERT_EQ(bytes.substr(32, version.size()), version);
  bytes[32] = bytes[32] == '9' ? '8' : '9';
  const std::string message = refusal(with_valid_crc(bytes));
  EXPECT_NE(message.find("written by mercato"), std::string::npos) << message;
  EXPECT_NE(message.find("resumes only its own checkpoints"), std::string::npos) << message;
}

TEST(Checkpoint, AnotherScenarioIsRefused) {
  const std::string bytes = events_checkpoint();
  const Config tiny = load_config("scenarios/tiny.yaml", 24);
  CheckpointReadOptions options;
  options.expected_fingerprint = scenario_fingerprint(scenario::to_yaml(tiny));
  const std::string message = refusal(bytes, options);
  EXPECT_NE(message.find("a checkpoint of another scenario ('every event'"), std::string::npos)
      << message;
  options.expected_fingerprint = decode_checkpoint(bytes, "c").fingerprint;
  EXPECT_EQ(refusal(bytes, options), "");
}

TEST(Checkpoint, NotACheckpointAndTrailingBytesAreRefused) {
  EXPECT_NE(refusal(std::string(100, 'x')).find("not a mercato checkpoint"), std::string::npos);
  EXPECT_NE(refusal("mercato: 1\nname: a scenario, not a checkpoint\n").find("not a mercato"),
            std::string::npos);
  EXPECT_NE(refusal(events_checkpoint() + "x").find("1 bytes after the end"), std::string::npos);
}

// Without the checksum (as the fuzzer reads), damaged payloads must still be refused cleanly:
// a count or an id out of range is caught before it is used.
TEST(Checkpoint, ADamagedPayloadIsRefusedEvenWithoutTheChecksum) {
  const std::string bytes = events_checkpoint();
  CheckpointReadOptions unchecked;
  unchecked.verify_checksum = false;
  std::mt19937_64 random(7);
  int refused = 0;
  for (int k = 0; k < 400; ++k) {
    std::string damaged = bytes;
    for (int flips = 0; flips < 1 + k % 4; ++flips) {
      const std::size_t at = 24 + random() % (bytes.size() - 24);
      damaged[at] = static_cast<char>(random());
    }
    try {
      (void)decode_checkpoint(damaged, "c", unchecked);
    } catch (const IoError& e) {
      ++refused;
      EXPECT_NE(std::string(e.what()).find("c: "), std::string::npos) << e.what();
    }
  }
  // Most single-byte changes hit a value (a wage) that no check can tell from a real one, so
  // only some are refused; all that matters here is that none crashed.
  EXPECT_GT(refused, 0);
}

// Inputs that once made the checkpoint fuzzer fail (fuzz/regressions/checkpoint/): each must
// load or be refused with a message, with and without the checksum verified, and never crash.
TEST(CheckpointRobustness, FuzzRegressionsLoadOrFailCleanly) {
  const fs::path folder = fs::path(MERCATO_SOURCE_DIR) / "fuzz" / "regressions" / "checkpoint";
  ASSERT_TRUE(fs::is_directory(folder)) << folder;
  for (const auto& entry : fs::directory_iterator(folder)) {
    if (entry.path().filename() == "README.md") continue;
    std::ifstream in(entry.path(), std::ios::binary);
    const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    for (const bool verify : {true, false}) {
      CheckpointReadOptions options;
      options.verify_checksum = verify;
      try {
        (void)decode_checkpoint(bytes, entry.path().filename().string(), options);
      } catch (const Error& e) {
        EXPECT_NE(std::string(e.what()).find(entry.path().filename().string()), std::string::npos)
            << e.what();
      }
    }
  }
}

}  // namespace
}  // namespace mercato::io
