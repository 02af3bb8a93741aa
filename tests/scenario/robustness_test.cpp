// Nothing crashes on any input: empty, truncated, binary, wrongly shaped, deeply nested or
// alias-bombed documents each give a ScenarioError with a clear message, never another
// exception, an abort or a hang.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <random>
#include <typeinfo>

#include "support.hpp"

namespace mercato::scenario::test {
namespace {

std::string read_all(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), {}};
}

// Loads or fails with a ScenarioError; any other outcome fails the test.
void loads_or_reports(const std::string& yaml, const std::string& what) {
  try {
    load_string(yaml, "fuzz.yaml", {}, fixture(""));
  } catch (const ScenarioError& e) {
    EXPECT_FALSE(e.diagnostics().empty()) << what;
  } catch (const std::exception& e) {
    ADD_FAILURE() << what << ": unexpected " << typeid(e).name() << ": " << e.what();
  }
}

TEST(ScenarioRobustness, EmptyFileSaysWhatAScenarioNeeds) {
  const std::string path = fixture("empty.yaml");
  auto ds = file_diagnostics_of(path);
  ASSERT_EQ(ds.size(), 1u);
  EXPECT_EQ(ds[0].to_string(),
            path +
                ": the scenario is empty; it needs at least `mercato: 1`, `name`, `regions` "
                "and `organisations` (see docs/scenarios.md)");
}

TEST(ScenarioRobustness, CommentsOnlyCountAsEmpty) {
  auto ds = diagnostics_of("# nothing here\n\n   # still nothing\n");
  ASSERT_EQ(ds.size(), 1u);
  EXPECT_NE(ds[0].message.find("the scenario is empty"), std::string::npos);
}

TEST(ScenarioRobustness, TruncatedFileReportsTheParsersPosition) {
  const std::string path = fixture("truncated.yaml");
  auto ds = file_diagnostics_of(path);
  ASSERT_EQ(ds.size(), 1u);
  // yaml-cpp reports the end of the input, where the closing '}' was expected.
  EXPECT_EQ(ds[0].to_string(), path + ":4:1: invalid YAML: end of map flow not found");
}

TEST(ScenarioRobustness, TopLevelScalarIsExplained) {
  EXPECT_EQ(only_error("just words\n"),
            "x.yaml:1:1: expected a map of scenario keys (mercato, name, regions, "
            "organisations, ...), got 'just words'");
}

TEST(ScenarioRobustness, TopLevelListIsExplained) {
  EXPECT_EQ(only_error("- mercato: 1\n"),
            "x.yaml:1:1: expected a map of scenario keys (mercato, name, regions, "
            "organisations, ...), got a list");
}

TEST(ScenarioRobustness, SeveralDocumentsAreRejected) {
  EXPECT_EQ(only_error(kMinimal + "---\nname: second\n"),
            "x.yaml:12:1: expected one YAML document, found 2 (remove the extra '---')");
}

// yaml-cpp 0.7 never consumes a ',' outside [ ] and { } and would report empty documents
// forever (jbeder/yaml-cpp#1040; found by the fuzzer): the loader stops at the second
// document that starts where the first did.
TEST(ScenarioRobustness, StrayCommaDoesNotHangTheParser) {
  EXPECT_EQ(only_error(","),
            "x.yaml:1:1: invalid YAML: unexpected ',' here (a ',' belongs inside [ ] or { })");
  EXPECT_EQ(only_error("# a comment\n,\n"),
            "x.yaml:2:1: invalid YAML: unexpected ',' here (a ',' belongs inside [ ] or { })");
}

TEST(ScenarioRobustness, NonScalarKeyIsRejected) {
  EXPECT_EQ(only_error("? [a, b]\n: 1\n"),
            "x.yaml:1:3: expected a plain key (a name), got a list or map");
}

TEST(ScenarioRobustness, DeeplyNestedJunkIsRejected) {
  auto ds = diagnostics_of(std::string(100000, '['));
  ASSERT_EQ(ds.size(), 1u);
  EXPECT_NE(ds[0].message.find("nested more than"), std::string::npos) << ds[0].message;
}

TEST(ScenarioRobustness, BalancedButDeepNestingIsRejected) {
  auto ds = diagnostics_of("name: " + std::string(200, '[') + std::string(200, ']') + "\n");
  ASSERT_EQ(ds.size(), 1u);
  EXPECT_NE(ds[0].message.find("nested more than 64 levels"), std::string::npos) << ds[0].message;
}

TEST(ScenarioRobustness, AliasBombIsStoppedEarly) {
  // Nine levels of nine aliases expand to 9^9 values: refused before expansion exhausts memory.
  std::string yaml = "a0: &a0 [x, x, x, x, x, x, x, x, x]\n";
  for (int i = 1; i < 10; ++i) {
    const std::string name = std::to_string(i), previous = std::to_string(i - 1);
    yaml.append("a").append(name).append(": &a").append(name).append(" [");
    for (int j = 0; j < 9; ++j) yaml.append(j ? ", *a" : "*a").append(previous);
    yaml.append("]\n");
  }
  auto ds = diagnostics_of(yaml);
  ASSERT_EQ(ds.size(), 1u);
  EXPECT_NE(ds[0].message.find("expands to more than"), std::string::npos) << ds[0].message;
}

TEST(ScenarioRobustness, RecursiveAliasIsRejected) {
  EXPECT_EQ(only_error("name: &a {b: *a}\n"),
            "x.yaml:1:14: an alias refers to the value that contains it (infinite expansion)");
}

TEST(ScenarioRobustness, BinaryGarbageNeverLoadsAndNeverCrashes) {
  std::mt19937 bytes(12345);
  for (int sample = 0; sample < 200; ++sample) {
    std::string garbage(64 + bytes() % 4000, '\0');
    for (char& c : garbage) c = static_cast<char>(bytes() & 0xff);
    try {
      load_string(garbage, "garbage.bin");
      ADD_FAILURE() << "garbage sample " << sample << " loaded";
    } catch (const ScenarioError& e) {
      EXPECT_FALSE(e.diagnostics().empty());
    } catch (const std::exception& e) {
      ADD_FAILURE() << "sample " << sample << ": unexpected exception " << e.what();
    }
  }
}

TEST(ScenarioRobustness, NulBytesAndInvalidUtf8AreHandled) {
  loads_or_reports(kMinimal + std::string("description: \"a\0b\"\n", 20), "NUL in a string");
  loads_or_reports(kMinimal + "\xff\xfe: 1\n", "invalid UTF-8 key");
  loads_or_reports(std::string("\0\0\0\0", 4), "NUL bytes only");
}

TEST(ScenarioRobustness, EveryPrefixOfTinyLoadsOrReports) {
  const std::string tiny = read_all(repo_path("scenarios/tiny.yaml"));
  ASSERT_FALSE(tiny.empty());
  for (std::size_t n = 0; n < tiny.size(); n += 37)
    loads_or_reports(tiny.substr(0, n), "prefix of " + std::to_string(n) + " bytes");
}

TEST(ScenarioRobustness, RandomEditsOfTinyLoadOrReport) {
  const std::string tiny = read_all(repo_path("scenarios/tiny.yaml"));
  const std::string alphabet = "-:[]{},#&*!|>'\"%@` \n\t0123456789.eE+xyz";
  std::mt19937 rng(2025);
  for (int sample = 0; sample < 150; ++sample) {
    std::string edited = tiny;
    for (int k = 0; k < 1 + static_cast<int>(rng() % 5); ++k)
      edited[rng() % edited.size()] = alphabet[rng() % alphabet.size()];
    loads_or_reports(edited, "edit sample " + std::to_string(sample));
  }
}

// Every input the fuzzer (fuzz/scenario_fuzzer.cpp, `make fuzz`) ever found failing is kept
// in fuzz/regressions/scenario/ and must load or be refused cleanly.
TEST(ScenarioRobustness, FuzzRegressionsLoadOrFailCleanly) {
  const std::filesystem::path folder =
      std::filesystem::path(MERCATO_SOURCE_DIR) / "fuzz" / "regressions" / "scenario";
  ASSERT_TRUE(std::filesystem::is_directory(folder)) << folder;
  for (const auto& entry : std::filesystem::directory_iterator(folder)) {
    if (entry.path().filename() == "README.md") continue;
    loads_or_reports(read_all(entry.path().string()), entry.path().filename().string());
  }
}

TEST(ScenarioRobustness, UnknownKeysAtEveryLevelAreReportedNotIgnored) {
  auto ds = diagnostics_of(kMinimal +
                           "    target_headcount: {research: 1, reserch: 2}\n"
                           "model: {kinds: {sme: {counter_policy: {shar: 1}}}}\n"
                           "talents: [{origin: North, ability: {muu: 1}}]\n");
  ASSERT_EQ(ds.size(), 3u);
  EXPECT_EQ(ds[0].key, "organisations.Lab.target_headcount.reserch");
  EXPECT_EQ(ds[1].key, "model.kinds.sme.counter_policy.shar");
  EXPECT_EQ(ds[2].key, "talents.North.ability.muu");
}

}  // namespace
}  // namespace mercato::scenario::test
