// Experiment files (docs/experiments.md, "The experiment file"): the points of a grid and of a
// Latin hypercube, the Config of a point, the fingerprint, and every mistake reported at the
// line of the experiment file that wrote it.
#include "mercato/scenario/experiment.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <numeric>

#include "support.hpp"

namespace mercato::scenario::test {
namespace {

namespace fs = std::filesystem;

std::string read_text(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), {}};
}

void write_text(const fs::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
}

double as_number(const std::string& text) {
  double x = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), x);
  EXPECT_TRUE(ec == std::errc() && end == text.data() + text.size()) << text;
  return x;
}

const OrgConfig& org(const Config& c, const std::string& name) {
  for (const auto& o : c.organisations)
    if (o.name == name) return o;
  throw std::runtime_error("no organisation " + name);
}

const RegionConfig& region(const Config& c, const std::string& id) {
  for (const auto& r : c.regions)
    if (r.id == id) return r;
  throw std::runtime_error("no region " + id);
}

// The values of one parameter over the points, in point order.
std::vector<std::string> column(const Experiment& e, std::size_t parameter) {
  std::vector<std::string> out;
  for (const auto& p : e.points) out.push_back(p.overrides.at(parameter).value);
  return out;
}

// Each test gets a temporary folder holding a copy of scenarios/tiny.yaml; the experiment
// files it writes there say `scenario: tiny.yaml`. Messages are compared with the folder's
// path left out, so they read "exp.yaml:3:5: key: message".
class ExperimentFile : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    dir_ = fs::temp_directory_path() /
           ("mercato-experiment-" + std::to_string(::getpid()) + "-" + info->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    fs::copy_file(repo_path("scenarios/tiny.yaml"), dir_ / "tiny.yaml");
  }
  void TearDown() override {
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }

  std::string write(const std::string& text, const std::string& name = "exp.yaml") const {
    write_text(dir_ / name, text);
    return (dir_ / name).string();
  }
  Experiment load_text(const std::string& text, const std::string& name = "exp.yaml") const {
    return load_experiment(write(text, name));
  }
  std::string tiny() const { return (dir_ / "tiny.yaml").string(); }

  // Every diagnostic of an experiment that must not load, folder left out.
  std::vector<std::string> errors(const std::string& text) const {
    try {
      load_text(text);
    } catch (const ScenarioError& e) {
      std::vector<std::string> out;
      for (const auto& d : e.diagnostics()) out.push_back(without_folder(d.to_string()));
      return out;
    }
    ADD_FAILURE() << "expected a ScenarioError for:\n" << text;
    return {};
  }
  std::string only_error(const std::string& text) const {
    const auto all = errors(text);
    if (all.size() != 1) {
      std::string list;
      for (const auto& e : all) list += "\n  " + e;
      ADD_FAILURE() << "expected exactly one diagnostic, got " << all.size() << ":" << list;
      return all.empty() ? "" : all.front();
    }
    return all.front();
  }
  std::string without_folder(std::string s) const {
    const std::string prefix = dir_.string() + "/";
    for (auto at = s.find(prefix); at != std::string::npos; at = s.find(prefix))
      s.erase(at, prefix.size());
    return s;
  }

  fs::path dir_;
};

// --- grid ---------------------------------------------------------------------------------

TEST_F(ExperimentFile, GridIsTheCartesianProductLastParameterFastest) {
  const Experiment e = load_text(
      "scenario: tiny.yaml\n"
      "parameters:\n"
      "  - key: regions.South.tax_rate\n"
      "    values: [0.3, 0.4]\n"
      "  - key: organisations.Helix.max_offer\n"
      "    values: [1.0e+7, 2.0e+7, 3.0e+7]\n");
  ASSERT_EQ(e.points.size(), 6u);
  const std::vector<std::pair<std::string, std::string>> expected = {
      {"0.3", "1.0e+7"}, {"0.3", "2.0e+7"}, {"0.3", "3.0e+7"},
      {"0.4", "1.0e+7"}, {"0.4", "2.0e+7"}, {"0.4", "3.0e+7"}};
  for (std::size_t i = 0; i < e.points.size(); ++i) {
    const ExperimentPoint& p = e.points[i];
    EXPECT_EQ(p.index, static_cast<int>(i));
    ASSERT_EQ(p.overrides.size(), 2u);
    EXPECT_EQ(p.overrides[0].key, "regions.South.tax_rate");
    EXPECT_EQ(p.overrides[1].key, "organisations.Helix.max_offer");
    EXPECT_EQ(p.overrides[0].value, expected[i].first) << "point " << i;
    EXPECT_EQ(p.overrides[1].value, expected[i].second) << "point " << i;
  }
}

TEST_F(ExperimentFile, ValuesAreKeptAsWrittenListsAndMapsAsFlowYaml) {
  const Experiment e = load_text(
      "scenario: tiny.yaml\n"
      "parameters:\n"
      "  - key: organisations.Helix.compute\n"
      "    values: [0.30, 1e4, {uniform: [1.0e+4, 3.0e+4]}]\n");
  EXPECT_EQ(e.parameters[0].values,
            (std::vector<std::string>{"0.30", "1e4", "{uniform: [1.0e+4, 3.0e+4]}"}));
  EXPECT_EQ(column(e, 0), e.parameters[0].values);
  EXPECT_EQ(org(point_config(e, e.points[2]), "Helix").compute, Distribution::uniform(1e4, 3e4));
}

TEST_F(ExperimentFile, TextThatWouldReadAsSomethingElseIsQuoted) {
  const Experiment e = load_text(
      "scenario: tiny.yaml\n"
      "parameters:\n"
      "  - key: description\n"
      "    values: ['a: b', plain words]\n");
  EXPECT_EQ(e.parameters[0].values[1], "plain words");
  EXPECT_EQ(point_config(e, e.points[0]).description, "a: b");
  EXPECT_EQ(point_config(e, e.points[1]).description, "plain words");
}

TEST_F(ExperimentFile, RangeWithStepsIsEvenlySpacedEndsIncluded) {
  const Experiment e = load_text(
      "scenario: tiny.yaml\n"
      "parameters:\n"
      "  - key: regions.South.tax_rate\n"
      "    range: [0.2, 0.4]\n"
      "    steps: 5\n");
  const ExperimentParameter& p = e.parameters[0];
  EXPECT_TRUE(p.has_range);
  EXPECT_FALSE(p.log);
  EXPECT_EQ(p.low, 0.2);
  EXPECT_EQ(p.high, 0.4);
  EXPECT_EQ(p.steps, 5);
  // Rounded to 12 significant digits: 0.25, not 0.25000000000000006.
  EXPECT_EQ(p.values, (std::vector<std::string>{"0.2", "0.25", "0.3", "0.35", "0.4"}));
  EXPECT_EQ(column(e, 0), p.values);
}

TEST_F(ExperimentFile, LogRangeIsEvenlySpacedInLogSpace) {
  const Experiment e = load_text(
      "scenario: tiny.yaml\n"
      "parameters:\n"
      "  - key: organisations.Helix.max_offer\n"
      "    range: [1.0e+6, 1.0e+8]\n"
      "    steps: 5\n"
      "    log: true\n");
  EXPECT_TRUE(e.parameters[0].log);
  EXPECT_EQ(e.parameters[0].values,
            (std::vector<std::string>{"1000000", "3162277.66017", "10000000", "31622776.6017",
                                      "100000000"}));
}

TEST_F(ExperimentFile, WithoutParametersThereIsOnePointTheBaseScenario) {
  const Experiment e = load_text("scenario: tiny.yaml\n");
  EXPECT_EQ(e.name, "exp");
  EXPECT_EQ(e.file, (dir_ / "exp.yaml").string());
  EXPECT_EQ(e.scenario_file, tiny());
  EXPECT_EQ(e.design, Design::grid);
  EXPECT_EQ(e.replicates, 1);
  EXPECT_FALSE(e.seed);
  EXPECT_FALSE(e.months);
  EXPECT_EQ(e.keep, (std::vector<std::string>{"regions", "market", "events"}));
  ASSERT_EQ(e.points.size(), 1u);
  EXPECT_TRUE(e.points[0].overrides.empty());
  EXPECT_EQ(point_config(e, e.points[0]), load(tiny()));
}

TEST_F(ExperimentFile, ScenarioIsFoundRelativeToTheExperimentsFolder) {
  fs::create_directories(dir_ / "sweeps");
  const Experiment e = load_experiment(write("scenario: ../tiny.yaml\n", "sweeps/a.yaml"));
  EXPECT_EQ(e.scenario_file, tiny());
  EXPECT_EQ(e.name, "a");
}

TEST_F(ExperimentFile, ReadsEveryTopLevelKey) {
  const Experiment e = load_text(
      "name: taxes\n"
      "description: a test\n"
      "scenario: tiny.yaml\n"
      "set: {regions.North.tax_rate: 0.3}\n"
      "seed: 18446744073709551615\n"
      "months: 12\n"
      "replicates: 3\n"
      "design: grid\n"
      "keep: [flows, moves]\n");
  EXPECT_EQ(e.name, "taxes");
  EXPECT_EQ(e.description, "a test");
  ASSERT_EQ(e.fixed.size(), 1u);
  EXPECT_EQ(e.fixed[0].key, "regions.North.tax_rate");
  EXPECT_EQ(e.fixed[0].value, "0.3");
  EXPECT_EQ(e.seed, 18446744073709551615ull);
  EXPECT_EQ(e.months, 12);
  EXPECT_EQ(e.replicates, 3);
  EXPECT_EQ(e.keep, (std::vector<std::string>{"flows", "moves"}));
}

// --- Latin hypercube ------------------------------------------------------------------------

const std::string kLhs =
    "scenario: tiny.yaml\n"
    "design: lhs\n"
    "samples: 20\n"
    "parameters:\n"
    "  - key: regions.South.tax_rate\n"
    "    range: [0.2, 0.6]\n"
    "  - key: organisations.Helix.max_offer\n"
    "    range: [1.0e+6, 1.0e+8]\n"
    "    log: true\n";

TEST_F(ExperimentFile, LhsPutsOneSampleInEachStratumOfEveryParameter) {
  const Experiment e = load_text(kLhs + "seed: 5\n");
  EXPECT_EQ(e.design, Design::lhs);
  EXPECT_EQ(e.samples, 20);
  ASSERT_EQ(e.points.size(), 20u);
  std::vector<int> order[2];  // the stratum of each point, per parameter
  for (std::size_t j = 0; j < 2; ++j) {
    const ExperimentParameter& p = e.parameters[j];
    for (const auto& text : column(e, j)) {
      const double x = as_number(text);
      EXPECT_GT(x, p.low);
      EXPECT_LT(x, p.high);
      const double t =
          p.log ? std::log(x / p.low) / std::log(p.high / p.low) : (x - p.low) / (p.high - p.low);
      order[j].push_back(static_cast<int>(std::floor(t * 20)));
    }
    std::vector<int> sorted = order[j];
    std::sort(sorted.begin(), sorted.end());
    std::vector<int> all(20);
    std::iota(all.begin(), all.end(), 0);
    EXPECT_EQ(sorted, all) << "parameter " << j << ": one sample per stratum";
  }
  // The strata are shuffled, independently for each parameter.
  EXPECT_NE(order[0], order[1]);
  EXPECT_FALSE(std::is_sorted(order[0].begin(), order[0].end()));
}

TEST_F(ExperimentFile, LhsIsTheSameForTheSameSeed) {
  const Experiment a = load_text(kLhs + "seed: 5\n", "a.yaml");
  const Experiment b = load_text("name: other\n" + kLhs + "seed: 5\n", "b.yaml");
  ASSERT_EQ(a.points.size(), b.points.size());
  for (std::size_t i = 0; i < a.points.size(); ++i) {
    EXPECT_EQ(a.points[i].overrides[0].value, b.points[i].overrides[0].value);
    EXPECT_EQ(a.points[i].overrides[1].value, b.points[i].overrides[1].value);
  }
}

TEST_F(ExperimentFile, LhsDiffersForAnotherSeed) {
  const Experiment a = load_text(kLhs + "seed: 5\n", "a.yaml");
  const Experiment b = load_text(kLhs + "seed: 6\n", "b.yaml");
  EXPECT_NE(column(a, 0), column(b, 0));
  EXPECT_NE(column(a, 1), column(b, 1));
}

TEST_F(ExperimentFile, LhsWithoutASeedDrawsFromTheScenariosSeed) {
  const Experiment a = load_text(kLhs, "a.yaml");  // tiny.yaml has seed: 42
  const Experiment b = load_text(kLhs + "seed: 42\n", "b.yaml");
  EXPECT_EQ(column(a, 0), column(b, 0));
  EXPECT_EQ(column(a, 1), column(b, 1));
}

// --- ensembles and points -----------------------------------------------------------------

TEST_F(ExperimentFile, EnsembleIsOnePointWithoutParameters) {
  const Experiment e =
      ensemble_experiment(tiny(), {{"regions.North.tax_rate", "0.3"}}, 5, 9, 12, {});
  EXPECT_EQ(e.name, "tiny");
  EXPECT_EQ(e.file, "");
  EXPECT_EQ(e.scenario_file, tiny());
  EXPECT_EQ(e.replicates, 5);
  EXPECT_TRUE(e.parameters.empty());
  EXPECT_EQ(e.keep, (std::vector<std::string>{"regions", "market", "events"}));
  ASSERT_EQ(e.points.size(), 1u);
  EXPECT_TRUE(e.points[0].overrides.empty());
  const Config c = point_config(e, e.points[0]);
  EXPECT_EQ(region(c, "North").tax_rate, 0.3);
  EXPECT_EQ(c.seed, 9u);
  EXPECT_EQ(c.months, 12);
  EXPECT_EQ(ensemble_experiment(tiny(), {}, 1, {}, {}, {"orgs"}).keep,
            (std::vector<std::string>{"orgs"}));
}

TEST_F(ExperimentFile, EnsembleRejectsBadArguments) {
  EXPECT_THROW(ensemble_experiment(tiny(), {}, 0, {}, {}, {}), UsageError);
  EXPECT_THROW(ensemble_experiment(tiny(), {}, 1, {}, 0, {}), UsageError);
  try {
    ensemble_experiment(tiny(), {}, 1, {}, {}, {"flow"});
    ADD_FAILURE() << "expected a UsageError";
  } catch (const UsageError& e) {
    EXPECT_EQ(std::string(e.what()), "unknown table 'flow' to keep; did you mean 'flows'?");
  }
  EXPECT_THROW(ensemble_experiment(tiny(), {{"regions.North.tax_rate", "2"}}, 1, {}, {}, {}),
               ScenarioError);
  EXPECT_THROW(ensemble_experiment((dir_ / "none.yaml").string(), {}, 1, {}, {}, {}), IoError);
}

TEST_F(ExperimentFile, PointConfigAppliesFixedThenPointOverridesThenSeedAndMonths) {
  const Experiment e = load_text(
      "scenario: tiny.yaml\n"
      "set:\n"
      "  organisations.Helix.counter_policy: {probability: 0.1, share: 0.2}\n"
      "  regions.North.tax_rate: 0.25\n"
      "seed: 7\n"
      "months: 6\n"
      "parameters:\n"
      "  - key: organisations.Helix.counter_policy.share\n"
      "    values: [0.5, 0.6]\n");
  const Config c = point_config(e, e.points[1]);
  // The fixed map set both fields; the point's override, applied after it, changed one.
  EXPECT_EQ(org(c, "Helix").counter_probability, Distribution::constant(0.1));
  EXPECT_EQ(org(c, "Helix").counter_share, Distribution::constant(0.6));
  EXPECT_EQ(region(c, "North").tax_rate, 0.25);
  EXPECT_EQ(c.seed, 7u);
  EXPECT_EQ(c.months, 6);
  const std::vector<Override> all = point_overrides(e, e.points[1]);
  std::vector<std::string> keys;
  for (const auto& o : all) keys.push_back(o.key);
  EXPECT_EQ(keys, (std::vector<std::string>{
                      "organisations.Helix.counter_policy", "regions.North.tax_rate",
                      "organisations.Helix.counter_policy.share", "seed", "months"}));
}

// --- fingerprint --------------------------------------------------------------------------

const std::string kSweep =
    "scenario: tiny.yaml\n"
    "replicates: 2\n"
    "parameters:\n"
    "  - key: regions.South.tax_rate\n"
    "    values: [0.3, 0.4]\n";

TEST_F(ExperimentFile, FingerprintIsEqualForTwoLoadsOfTheSameFile) {
  const std::string path = write(kSweep);
  EXPECT_EQ(experiment_fingerprint(load_experiment(path)),
            experiment_fingerprint(load_experiment(path)));
}

TEST_F(ExperimentFile, FingerprintIgnoresNameAndDescription) {
  EXPECT_EQ(experiment_fingerprint(load_text(kSweep, "a.yaml")),
            experiment_fingerprint(load_text("name: b\ndescription: c\n" + kSweep, "b.yaml")));
}

TEST_F(ExperimentFile, FingerprintChangesWhenAValueChanges) {
  std::string changed = kSweep;
  changed.replace(changed.find("0.4"), 3, "0.41");
  EXPECT_NE(experiment_fingerprint(load_text(kSweep, "a.yaml")),
            experiment_fingerprint(load_text(changed, "b.yaml")));
}

TEST_F(ExperimentFile, FingerprintChangesWhenReplicatesChange) {
  std::string changed = kSweep;
  changed.replace(changed.find("replicates: 2"), 13, "replicates: 3");
  EXPECT_NE(experiment_fingerprint(load_text(kSweep, "a.yaml")),
            experiment_fingerprint(load_text(changed, "b.yaml")));
}

TEST_F(ExperimentFile, FingerprintChangesWhenSeedMonthsOrKeepChange) {
  const std::string base = experiment_fingerprint(load_text(kSweep, "a.yaml"));
  EXPECT_NE(base, experiment_fingerprint(load_text(kSweep + "seed: 3\n", "b.yaml")));
  EXPECT_NE(base, experiment_fingerprint(load_text(kSweep + "months: 6\n", "c.yaml")));
  EXPECT_NE(base, experiment_fingerprint(load_text(kSweep + "keep: [regions]\n", "d.yaml")));
  // The scenario's own seed, written out, is the same experiment.
  EXPECT_EQ(base, experiment_fingerprint(load_text(kSweep + "seed: 42\n", "e.yaml")));
}

TEST_F(ExperimentFile, FingerprintChangesWhenTheBaseScenarioFileChanges) {
  const Experiment e = load_text(kSweep);
  const std::string before = experiment_fingerprint(e);
  std::string scenario = read_text(tiny());
  const std::string from = "graduate_growth: 0.03";
  ASSERT_NE(scenario.find(from), std::string::npos);
  scenario.replace(scenario.find(from), from.size(), "graduate_growth: 0.04");
  write_text(tiny(), scenario);
  EXPECT_NE(experiment_fingerprint(e), before);
  EXPECT_EQ(experiment_fingerprint(load_experiment(e.file)), experiment_fingerprint(e));
}

// --- mistakes -----------------------------------------------------------------------------

TEST_F(ExperimentFile, UnknownTopLevelKeySuggestsNearMiss) {
  EXPECT_EQ(only_error("scenario: tiny.yaml\nreplicate: 3\n"),
            "exp.yaml:2:1: replicate: unknown key 'replicate'; did you mean 'replicates'?");
}

TEST_F(ExperimentFile, MissingScenarioIsReported) {
  EXPECT_EQ(only_error("replicates: 2\n"),
            "exp.yaml:1:1: scenario: missing required key 'scenario' (the base scenario file, "
            "relative to this file's folder)");
}

TEST_F(ExperimentFile, BaseScenarioNotFoundNamesTheResolvedPath) {
  fs::create_directories(dir_ / "sweeps");
  write_text(dir_ / "sweeps/a.yaml", "replicates: 1\nscenario: tiny.yaml\n");
  try {
    load_experiment((dir_ / "sweeps/a.yaml").string());
    ADD_FAILURE() << "expected a ScenarioError";
  } catch (const ScenarioError& e) {
    ASSERT_EQ(e.diagnostics().size(), 1u);
    EXPECT_EQ(without_folder(e.diagnostics()[0].to_string()),
              "sweeps/a.yaml:2:11: scenario: base scenario 'tiny.yaml' (resolved against the "
              "experiment's folder: 'sweeps/tiny.yaml') not found");
  }
}

TEST_F(ExperimentFile, BaseScenarioThatDoesNotLoadIsReportedWithItsOwnMessages) {
  write_text(dir_ / "broken.yaml", "mercato: 1\nname: b\nmonths: 0\n");
  const auto all = errors("scenario: broken.yaml\n");
  ASSERT_FALSE(all.empty());
  EXPECT_EQ(all[0].rfind("exp.yaml:1:11: scenario: the base scenario does not load: ", 0), 0u)
      << all[0];
  bool names_months = false;
  for (const auto& e : all)
    names_months = names_months || e.find(
                                       "broken.yaml:3:9: months: expected an integer in [1, "
                                       "1200], got 0") != std::string::npos;
  EXPECT_TRUE(names_months);
}

TEST_F(ExperimentFile, MissingExperimentFileIsAnIoError) {
  EXPECT_THROW(load_experiment((dir_ / "none.yaml").string()), IoError);
}

TEST_F(ExperimentFile, ADocumentThatIsNotAMapSaysWhatAnExperimentIs) {
  EXPECT_EQ(only_error("- scenario: tiny.yaml\n"),
            "exp.yaml:1:1: expected a map of experiment keys (scenario, set, parameters, "
            "replicates, ...), got a list");
}

TEST_F(ExperimentFile, AScenarioGivenAsAnExperimentSaysSo) {
  try {
    load_experiment(tiny());
    ADD_FAILURE() << "expected a ScenarioError";
  } catch (const ScenarioError& e) {
    ASSERT_EQ(e.diagnostics().size(), 1u);
    EXPECT_EQ(without_folder(e.diagnostics()[0].to_string()),
              "tiny.yaml:4:1: this is a scenario (it has `mercato:`), not an experiment file; an "
              "experiment file names its base scenario with `scenario: FILE` "
              "(docs/experiments.md)");
  }
}

TEST_F(ExperimentFile, ReplicatesMustBeAnIntegerOfAtLeastOne) {
  EXPECT_EQ(only_error("scenario: tiny.yaml\nreplicates: 0\n"),
            "exp.yaml:2:13: replicates: expected an integer >= 1, got 0");
  EXPECT_EQ(only_error("scenario: tiny.yaml\nreplicates: 2.5\n"),
            "exp.yaml:2:13: replicates: expected an integer, got 2.5");
  EXPECT_EQ(only_error("scenario: tiny.yaml\nreplicates: many\n"),
            "exp.yaml:2:13: replicates: expected a number, got 'many'");
  EXPECT_EQ(only_error("scenario: tiny.yaml\nreplicates: 1e20\n"),
            "exp.yaml:2:13: replicates: expected at most 1000000 replicates per point, got 1e20");
}

TEST_F(ExperimentFile, SeedAndMonthsAreValidated) {
  EXPECT_EQ(only_error("scenario: tiny.yaml\nmonths: 0\n"),
            "exp.yaml:2:9: months: expected an integer in [1, 1200], got 0");
  EXPECT_EQ(only_error("scenario: tiny.yaml\nseed: -1\n"),
            "exp.yaml:2:7: seed: expected a non-negative integer, got -1");
  EXPECT_EQ(only_error("scenario: tiny.yaml\nseed: 1.5\n"),
            "exp.yaml:2:7: seed: expected a non-negative integer, got 1.5");
}

TEST_F(ExperimentFile, UnknownDesignSuggestsNearMiss) {
  EXPECT_EQ(only_error("scenario: tiny.yaml\ndesign: lsh\n"),
            "exp.yaml:2:9: design: expected grid or lhs (a Latin hypercube), got 'lsh'; did you "
            "mean 'lhs'?");
}

TEST_F(ExperimentFile, EmptyValuesListIsReported) {
  EXPECT_EQ(only_error("scenario: tiny.yaml\n"
                       "parameters:\n"
                       "  - key: regions.South.tax_rate\n"
                       "    values: []\n"),
            "exp.yaml:4:13: parameters[0].values: expected at least one value, got an empty list");
}

TEST_F(ExperimentFile, RangeMustBeTwoNumbersLowBelowHigh) {
  const std::string head =
      "scenario: tiny.yaml\n"
      "parameters:\n"
      "  - key: regions.South.tax_rate\n"
      "    steps: 3\n";
  EXPECT_EQ(only_error(head + "    range: [0.2]\n"),
            "exp.yaml:5:12: parameters[0].range: expected [low, high] (a list of two numbers), "
            "got a list of 1");
  EXPECT_EQ(only_error(head + "    range: 0.2\n"),
            "exp.yaml:5:12: parameters[0].range: expected [low, high] (a list of two numbers), "
            "got 0.2");
  EXPECT_EQ(only_error(head + "    range: [low, 0.4]\n"),
            "exp.yaml:5:13: parameters[0].range[0]: expected a number, got 'low'");
  EXPECT_EQ(only_error(head + "    range: [0.4, 0.2]\n"),
            "exp.yaml:5:12: parameters[0].range: expected low < high, got [0.4, 0.2]");
  EXPECT_EQ(only_error(head + "    range: [0.4, 0.4]\n"),
            "exp.yaml:5:12: parameters[0].range: expected low < high, got [0.4, 0.4]");
}

TEST_F(ExperimentFile, StepsMustBeAtLeastTwoAndGoWithARange) {
  const std::string head =
      "scenario: tiny.yaml\n"
      "parameters:\n"
      "  - key: regions.South.tax_rate\n";
  EXPECT_EQ(only_error(head + "    range: [0.2, 0.4]\n    steps: 1\n"),
            "exp.yaml:5:12: parameters[0].steps: expected an integer in [2, 100000], got 1");
  EXPECT_EQ(only_error(head + "    range: [0.2, 0.4]\n"),
            "exp.yaml:4:5: parameters[0].steps: a grid parameter with a range needs `steps: n` "
            "(the number of evenly spaced values, ends included, >= 2)");
  EXPECT_EQ(only_error(head + "    values: [0.2]\n    steps: 2\n"),
            "exp.yaml:5:5: parameters[0].steps: `steps` goes with `range: [low, high]`");
}

TEST_F(ExperimentFile, LogNeedsAPositiveLow) {
  EXPECT_EQ(only_error("scenario: tiny.yaml\n"
                       "parameters:\n"
                       "  - key: regions.South.tax_rate\n"
                       "    range: [0, 0.4]\n"
                       "    steps: 3\n"
                       "    log: true\n"),
            "exp.yaml:4:12: parameters[0].range: log: true needs low > 0 (evenly spaced in log "
            "space), got low = 0");
}

TEST_F(ExperimentFile, AParameterCannotHaveBothValuesAndRange) {
  EXPECT_EQ(only_error("scenario: tiny.yaml\n"
                       "parameters:\n"
                       "  - key: regions.South.tax_rate\n"
                       "    values: [0.2]\n"
                       "    range: [0.2, 0.4]\n"
                       "    steps: 3\n"),
            "exp.yaml:5:5: parameters[0].range: give either `values` or `range`, not both "
            "(values lists the points, a range is divided into steps)");
}

TEST_F(ExperimentFile, AParameterNeedsValuesOrRange) {
  EXPECT_EQ(only_error("scenario: tiny.yaml\n"
                       "parameters:\n"
                       "  - key: regions.South.tax_rate\n"),
            "exp.yaml:3:5: parameters[0]: expected `values: [...]` or `range: [low, high]` with "
            "`steps: n`");
}

TEST_F(ExperimentFile, UnknownParameterKeySuggestsNearMiss) {
  EXPECT_EQ(only_error("scenario: tiny.yaml\n"
                       "parameters:\n"
                       "  - key: regions.South.tax_rate\n"
                       "    value: [0.2]\n"),
            "exp.yaml:4:5: parameters[0].value: unknown key 'value'; did you mean 'values'?");
}

TEST_F(ExperimentFile, LhsNeedsSamplesOfAtLeastOne) {
  const std::string params =
      "parameters:\n"
      "  - key: regions.South.tax_rate\n"
      "    range: [0.2, 0.4]\n";
  EXPECT_EQ(only_error("scenario: tiny.yaml\ndesign: lhs\n" + params),
            "exp.yaml:2:9: design: design lhs needs `samples: N` (the number of points to draw, "
            ">= 1)");
  EXPECT_EQ(only_error("scenario: tiny.yaml\ndesign: lhs\nsamples: 0\n" + params),
            "exp.yaml:3:10: samples: expected an integer in [1, 100000], got 0");
  EXPECT_EQ(only_error("scenario: tiny.yaml\nsamples: 5\n" + params + "    steps: 2\n"),
            "exp.yaml:2:1: samples: `samples` goes with `design: lhs`; a grid's points are every "
            "combination of its parameters' values");
}

TEST_F(ExperimentFile, LhsParametersTakeARangeNotValuesOrSteps) {
  const std::string head =
      "scenario: tiny.yaml\n"
      "design: lhs\n"
      "samples: 4\n"
      "parameters:\n"
      "  - key: regions.South.tax_rate\n";
  EXPECT_EQ(only_error(head + "    values: [0.2, 0.3]\n"),
            "exp.yaml:6:5: parameters[0].values: design lhs samples each parameter from a "
            "`range: [low, high]`; `values` lists the points of a grid");
  EXPECT_EQ(only_error(head + "    range: [0.2, 0.4]\n    steps: 3\n"),
            "exp.yaml:7:5: parameters[0].steps: `steps` divides the range of a grid parameter; "
            "design lhs draws `samples` points");
}

TEST_F(ExperimentFile, DuplicateParameterKeysAreReported) {
  EXPECT_EQ(only_error("scenario: tiny.yaml\n"
                       "parameters:\n"
                       "  - key: regions.South.tax_rate\n"
                       "    values: [0.2]\n"
                       "  - key: regions.South.tax_rate\n"
                       "    values: [0.3]\n"),
            "exp.yaml:5:10: parameters[1].key: parameter 'regions.South.tax_rate' is listed "
            "twice (first at line 3)");
}

TEST_F(ExperimentFile, AKeyBothFixedAndVariedIsReported) {
  EXPECT_EQ(only_error("scenario: tiny.yaml\n"
                       "set: {regions.South.tax_rate: 0.2}\n"
                       "parameters:\n"
                       "  - key: regions.South.tax_rate\n"
                       "    values: [0.3]\n"),
            "exp.yaml:4:10: parameters[0].key: 'regions.South.tax_rate' is varied here and fixed "
            "by `set:` (line 2); keep one");
  EXPECT_EQ(only_error("scenario: tiny.yaml\n"
                       "months: 6\n"
                       "parameters:\n"
                       "  - key: months\n"
                       "    values: [3]\n"),
            "exp.yaml:4:10: parameters[0].key: 'months' is varied here and fixed by the "
            "experiment's `months:`; keep one");
}

TEST_F(ExperimentFile, UnknownTableInKeepSuggestsNearMiss) {
  EXPECT_EQ(only_error("scenario: tiny.yaml\nkeep: [regions, event]\n"),
            "exp.yaml:2:17: keep[1]: unknown table 'event'; did you mean 'events'?");
  EXPECT_EQ(only_error("scenario: tiny.yaml\nkeep: [orgs, orgs]\n"),
            "exp.yaml:2:14: keep[1]: table 'orgs' is listed twice");
}

TEST_F(ExperimentFile, UnknownKeyPathInAParameterPointsAtItsKey) {
  EXPECT_EQ(only_error("scenario: tiny.yaml\n"
                       "parameters:\n"
                       "  - key: regions.Sout.tax_rate\n"
                       "    values: [0.3, 0.4]\n"),
            "exp.yaml:3:10: parameters[0].key: the scenario rejects 'regions.Sout.tax_rate' "
            "whatever its value: regions.Sout: no region 'Sout' in regions; did you mean "
            "'South'?");
}

TEST_F(ExperimentFile, UnknownKeyPathInSetPointsAtItsLine) {
  EXPECT_EQ(only_error("scenario: tiny.yaml\n"
                       "set:\n"
                       "  regions.North.tax_rate: 0.3\n"
                       "  model.sigma_tatse: 0.5\n"),
            "exp.yaml:4:3: set.model.sigma_tatse: the scenario rejects model.sigma_tatse = 0.5: "
            "model.sigma_tatse: unknown key 'sigma_tatse'; did you mean 'sigma_taste'?");
}

TEST_F(ExperimentFile, SetValuesRejectedTogetherAreReportedAtSet) {
  // Each is fine with the other's default.
  const auto all = errors(
      "scenario: tiny.yaml\n"
      "set:\n"
      "  model.elite_share: 0.15\n"
      "  model.top_share: 0.1\n");
  ASSERT_EQ(all.size(), 1u);
  EXPECT_EQ(all[0].rfind("exp.yaml:2:1: set: the scenario rejects these values together: ", 0), 0u)
      << all[0];
  EXPECT_NE(all[0].find("expected elite_share <= top_share"), std::string::npos) << all[0];
}

TEST_F(ExperimentFile, AValueTheScenarioRejectsPointsAtTheValue) {
  EXPECT_EQ(only_error("scenario: tiny.yaml\n"
                       "parameters:\n"
                       "  - key: regions.South.tax_rate\n"
                       "    values: [0.3, 1.5]\n"),
            "exp.yaml:4:19: parameters[0].values[1]: the scenario rejects regions.South.tax_rate "
            "= 1.5: regions.South.tax_rate: expected a number in [0, 1), got 1.5");
  EXPECT_EQ(only_error("scenario: tiny.yaml\n"
                       "set: {regions.North.tax_rate: 1}\n"),
            "exp.yaml:2:7: set.regions.North.tax_rate: the scenario rejects "
            "regions.North.tax_rate = 1: regions.North.tax_rate: expected a number in [0, 1), "
            "got 1");
}

TEST_F(ExperimentFile, ARangeTheScenarioRejectsPointsAtTheRange) {
  EXPECT_EQ(only_error("scenario: tiny.yaml\n"
                       "parameters:\n"
                       "  - key: regions.South.tax_rate\n"
                       "    range: [0.5, 1]\n"
                       "    steps: 2\n"),
            "exp.yaml:4:12: parameters[0].range: the scenario rejects regions.South.tax_rate = 1 "
            "(step 2 of 2): regions.South.tax_rate: expected a number in [0, 1), got 1");
}

TEST_F(ExperimentFile, APointTheScenarioRejectsIsNamed) {
  // Each value is fine with the other parameter's default; one combination is not.
  const auto all = errors(
      "scenario: tiny.yaml\n"
      "parameters:\n"
      "  - key: model.elite_share\n"
      "    values: [0.05, 0.15]\n"
      "  - key: model.top_share\n"
      "    values: [0.1, 0.3]\n");
  ASSERT_EQ(all.size(), 1u);
  EXPECT_EQ(all[0].rfind("exp.yaml:2:1: parameters: the scenario rejects point 2 "
                         "(model.elite_share=0.15, model.top_share=0.1): ",
                         0),
            0u)
      << all[0];
  EXPECT_NE(all[0].find("expected elite_share <= top_share"), std::string::npos) << all[0];
}

TEST_F(ExperimentFile, AGridOfTooManyPointsIsRefused) {
  EXPECT_EQ(only_error("scenario: tiny.yaml\n"
                       "parameters:\n"
                       "  - {key: model.alpha, range: [0.1, 0.2], steps: 400}\n"
                       "  - {key: model.rho, range: [1, 2], steps: 300}\n"),
            "exp.yaml:3:3: parameters: the grid has 120000 points (400 x 300); at most 100000");
}

TEST_F(ExperimentFile, EveryProblemIsReportedAtOnce) {
  EXPECT_EQ(errors("scenario: tiny.yaml\n"
                   "replicates: 0\n"
                   "keep: [flow]\n"
                   "set: {months: 0}\n"
                   "parameters:\n"
                   "  - key: regions.South.tax_rate\n"
                   "    values: []\n"
                   "  - key: regions.North.tax_rate\n"
                   "    values: [2]\n"),
            (std::vector<std::string>{
                "exp.yaml:2:13: replicates: expected an integer >= 1, got 0",
                "exp.yaml:3:8: keep[0]: unknown table 'flow'; did you mean 'flows'?",
                "exp.yaml:4:7: set.months: the scenario rejects months = 0: months: expected an "
                "integer in [1, 1200], got 0",
                "exp.yaml:7:13: parameters[0].values: expected at least one value, got an empty "
                "list",
                "exp.yaml:9:14: parameters[1].values[0]: the scenario rejects "
                "regions.North.tax_rate = 2: regions.North.tax_rate: expected a number in [0, "
                "1), got 2"}));
}

// --- docs/experiments.md --------------------------------------------------------------------

// The ```yaml blocks of a Markdown file, in order.
std::vector<std::string> yaml_blocks(const std::string& markdown) {
  std::vector<std::string> out;
  const std::string open = "```yaml\n", close = "```\n";
  for (auto at = markdown.find(open); at != std::string::npos; at = markdown.find(open, at)) {
    const auto begin = at + open.size();
    const auto end = markdown.find(close, begin);
    if (end == std::string::npos) break;
    out.push_back(markdown.substr(begin, end - begin));
    at = end + close.size();
  }
  return out;
}

TEST(ExperimentDocs, ExamplesAreTheFixturesAndLoad) {
  const auto blocks = yaml_blocks(read_text(repo_path("docs/experiments.md")));
  ASSERT_EQ(blocks.size(), 2u) << "docs/experiments.md: expected two ```yaml examples";
  const std::string grid_path = fixture("experiments/example.yaml");
  const std::string lhs_path = fixture("experiments/example-lhs.yaml");
  EXPECT_EQ(blocks[0], read_text(grid_path));
  EXPECT_EQ(blocks[1], read_text(lhs_path));

  const Experiment grid = load_experiment(grid_path);
  EXPECT_EQ(grid.name, "south-tax-vs-offers");
  EXPECT_EQ(grid.scenario_file, repo_path("scenarios/tiny.yaml"));
  EXPECT_EQ(grid.replicates, 4);
  EXPECT_EQ(grid.seed, 7u);
  EXPECT_EQ(grid.months, 36);
  EXPECT_EQ(grid.fixed.size(), 2u);
  EXPECT_EQ(grid.keep, (std::vector<std::string>{"regions", "orgs", "market", "events"}));
  ASSERT_EQ(grid.points.size(), 9u);
  EXPECT_EQ(grid.parameters[1].values,
            (std::vector<std::string>{"5000000", "15811388.3008", "50000000"}));

  const Experiment lhs = load_experiment(lhs_path);
  EXPECT_EQ(lhs.design, Design::lhs);
  EXPECT_EQ(lhs.points.size(), 50u);
  EXPECT_EQ(lhs.replicates, 2);
}

}  // namespace
}  // namespace mercato::scenario::test
