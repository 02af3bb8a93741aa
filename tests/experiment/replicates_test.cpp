// run_replicates on scenarios/tiny.yaml: results by replicate index whatever the thread count,
// replicate 0 is the plain run, replicates differ, a rank's share of them, progress, stop and
// errors.
#include <gtest/gtest.h>

#include <atomic>
#include <memory>
#include <vector>

#include "mercato/experiment/replicates.hpp"
#include "support.hpp"

namespace mercato::experiment {
namespace {

using testing::fingerprint;
using testing::tiny_config;

std::vector<std::string> fingerprints(const std::vector<RunSummary>& summaries) {
  std::vector<std::string> out;
  for (const RunSummary& s : summaries) out.push_back(fingerprint(s));
  return out;
}

TEST(Replicates, TheThreadCountDoesNotChangeTheSummaries) {
  const Config config = tiny_config();
  const auto one = fingerprints(run_replicates(config, 3, 1));
  const auto two = fingerprints(run_replicates(config, 3, 2));
  const auto three = fingerprints(run_replicates(config, 3, 3));
  ASSERT_EQ(one.size(), 3u);
  EXPECT_EQ(one, two);
  EXPECT_EQ(one, three);
}

TEST(Replicates, ReplicateZeroIsThePlainRun) {
  const Config config = tiny_config();
  World world = scenario::build_world(config);
  std::vector<Event> events = scenario::build_events(config, world);
  Simulation simulation(std::move(world), scenario::simulation_options(config, 1),
                        std::move(events));
  const RunSummary plain = run_simulation(simulation, {});
  const auto replicates = run_replicates(config, 2, 2);
  EXPECT_EQ(fingerprint(replicates[0]), fingerprint(plain));
}

TEST(Replicates, DifferentReplicatesDiffer) {
  const auto summaries = run_replicates(tiny_config(), 3, 2);
  EXPECT_NE(fingerprint(summaries[0]), fingerprint(summaries[1]));
  EXPECT_NE(fingerprint(summaries[1]), fingerprint(summaries[2]));
  // Same scenario and seed: only the random streams differ.
  EXPECT_EQ(summaries[0].seed, summaries[1].seed);
  EXPECT_EQ(summaries[0].months, 24);
}

TEST(Replicates, ProgressCountsEveryMonthOfEveryReplicate) {
  std::vector<std::pair<int, int>> calls;
  run_replicates(tiny_config({{"months", "6"}}), 3, 2,
                 [&calls](int done, int total) { calls.emplace_back(done, total); });
  ASSERT_EQ(calls.size(), 18u);
  for (std::size_t i = 0; i < calls.size(); ++i) {
    EXPECT_EQ(calls[i].first, static_cast<int>(i) + 1);
    EXPECT_EQ(calls[i].second, 18);
  }
}

TEST(Replicates, AStopRequestEndsTheRunWithStopped) {
  std::atomic<bool> stop{false};
  const Config config = tiny_config();
  EXPECT_THROW(run_replicates(
                   config, 4, 2,
                   [&stop](int done, int) {
                     if (done == 3) stop = true;
                   },
                   &stop),
               Stopped);
  stop = true;
  EXPECT_THROW(run_replicates(config, 2, 1, {}, &stop), Stopped);
}

TEST(Replicates, TheErrorOfTheLowestFailingReplicateIsRethrown) {
  for (int threads : {1, 2}) {
    ReplicateOptions options;
    options.threads = threads;
    options.observers = [](int r) -> std::vector<std::unique_ptr<Observer>> {
      if (r >= 1) throw IoError(fmt::format("replicate {} failed", r));
      return {};
    };
    try {
      run_replicates(tiny_config({{"months", "3"}}), 3, options);
      ADD_FAILURE() << "no error with " << threads << " threads";
    } catch (const IoError& e) {
      EXPECT_STREQ(e.what(), "replicate 1 failed");
    }
  }
}

// Share k of K (rank k of `mpirun -np K mercato calibrate`) runs the replicates r with
// r % K == k, each as it runs when all run in one call; the others are left empty.
TEST(Replicates, ASharesReplicatesAreThoseOfTheWholeRun) {
  const Config config = tiny_config({{"months", "6"}});
  const auto whole = fingerprints(run_replicates(config, 5, 2));
  const std::string empty = fingerprint(RunSummary{});
  for (int share = 0; share < 3; ++share) {
    ReplicateOptions options;
    options.threads = 2;
    options.share = share;
    options.shares = 3;
    int total = 0;
    options.on_progress = [&total](int, int t) { total = t; };
    const auto part = fingerprints(run_replicates(config, 5, options));
    ASSERT_EQ(part.size(), 5u);
    for (int r = 0; r < 5; ++r)
      EXPECT_EQ(part[static_cast<std::size_t>(r)],
                r % 3 == share ? whole[static_cast<std::size_t>(r)] : empty)
          << "share " << share << ", replicate " << r;
    EXPECT_EQ(total, (share < 2 ? 2 : 1) * 6) << share;  // months of this share's replicates
  }
}

TEST(Replicates, BadCountsAreUsageErrors) {
  const Config config = tiny_config();
  EXPECT_THROW(run_replicates(config, 0, 1), UsageError);
  EXPECT_THROW(run_replicates(config, 2, 0), UsageError);
  ReplicateOptions beyond;
  beyond.share = 2;
  beyond.shares = 2;
  EXPECT_THROW(run_replicates(config, 2, beyond), UsageError);
}

}  // namespace
}  // namespace mercato::experiment
