// The scale benchmark: the full monthly step on the default world at several sizes.
// Reports talent-months per second (one month = every phase of MODEL.md plus metrics) and
// bytes per talent (peak resident memory / talents), with each phase's share of the month.
//
//   build/release/bench/scale_benchmark [--scenario FILE] [--scale S ...] [--months N]
//                                       [--threads N]
// Defaults: scenarios/world-2025.yaml at scale 0.2 (the default world) and 2.0 (a million
// talents), 12 measured months after a 6-month warm-up, 1 thread.
#include <sys/resource.h>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <functional>
#include <string>
#include <vector>

#include "engine/engine.hpp"
#include "floor.hpp"
#include "mercato/core/error.hpp"
#include "mercato/scenario/scenario.hpp"

namespace {

using Clock = std::chrono::steady_clock;

double peak_rss_bytes() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_maxrss) * 1024.0;
}

struct Timings {
  double phases[mercato::kMonthPhaseCount + 1] = {};  // the month's phases, then metrics
  double wall[mercato::kMonthPhaseCount + 1] = {};    // the same in wall-clock time
  double total = 0;
  double cpu = 0;    // processor time of all threads
  double floor = 0;  // processor time of the floor pass
};

double cpu_seconds(clockid_t clock = CLOCK_PROCESS_CPUTIME_ID) {
  timespec ts{};
  clock_gettime(clock, &ts);
  return static_cast<double>(ts.tv_sec) + 1e-9 * static_cast<double>(ts.tv_nsec);
}

constexpr const char* kPhaseNames[mercato::kMonthPhaseCount + 1] = {
    "events", "lifecycle", "entry", "search", "offers", "clearing", "moves", "metrics"};

// A flag's value as a number of type T within [low, high], or a usage message and exit 2.
template <class T>
T number_of(const std::string& flag, const std::string& text, T low, T high) {
  T value{};
  const char* end = text.data() + text.size();
  const auto [at, error] = std::from_chars(text.data(), end, value);
  if (error != std::errc() || at != end || !(value >= low && value <= high)) {
    std::fprintf(stderr, "scale_benchmark: %s expects a number in [%g, %g], got '%s'\n",
                 flag.c_str(), static_cast<double>(low), static_cast<double>(high), text.c_str());
    std::exit(2);
  }
  return value;
}

int run(int argc, char** argv) {
  using namespace mercato;
  std::string scenario_path = MERCATO_SOURCE_DIR "/scenarios/world-2025.yaml";
  std::vector<double> scales;
  int months = 12, threads = 1, warmup = 6;
  for (int a = 1; a < argc; ++a) {
    const std::string arg = argv[a];
    auto next = [&]() -> std::string {
      if (a + 1 >= argc) {
        std::fprintf(stderr, "scale_benchmark: %s needs a value\n", arg.c_str());
        std::exit(2);
      }
      return argv[++a];
    };
    if (arg == "--scenario")
      scenario_path = next();
    else if (arg == "--scale")
      scales.push_back(number_of(arg, next(), 1e-3, 1e3));
    else if (arg == "--months")
      months = number_of(arg, next(), 1, 100000);
    else if (arg == "--threads")
      threads = number_of(arg, next(), 1, 4096);
    else if (arg == "--warmup")
      warmup = number_of(arg, next(), 0, 100000);
    else {
      std::fprintf(stderr, "scale_benchmark: unknown option %s\n", arg.c_str());
      return 2;
    }
  }
  if (scales.empty()) scales = {0.2, 2.0};

  std::printf("scenario %s, %d months after a %d-month warm-up, %d thread(s)\n",
              scenario_path.c_str(), months, warmup, threads);
  std::printf("%8s %10s %14s %12s %10s   phase shares\n", "scale", "talents", "talent-months/s",
              "ms/month", "bytes/tal");
  for (const double scale : scales) {
    Config config = scenario::load(scenario_path, {{"scale", std::to_string(scale)}});
    World world = scenario::build_world(config);
    MonthState m;
    m.threads = threads;
    m.rng = Rng(world.seed, 0);
    EventTimeline events;
    m.growth = false;
    for (int k = warmup; k > 0; --k) {
      m.month = -k;
      step_month(world, m, events);
    }
    m.growth = true;
    Timings timings;
    std::vector<double> per_month[kMonthPhaseCount + 1];  // each phase's time in each month
    double talent_months = 0, seekers = 0, candidates = 0, offers = 0, moves = 0;
    for (int month = 0; month < months; ++month) {
      m.month = month;
      const auto t0 = Clock::now();
      const double cpu0 = cpu_seconds();
      // Phases in processor time: on a shared machine, time spent descheduled is not theirs.
      auto timed = [&](int phase, const std::function<void()>& fn) {
        const double start = cpu_seconds();
        const auto wall0 = Clock::now();
        fn();
        timings.wall[phase] += std::chrono::duration<double>(Clock::now() - wall0).count();
        const double spent = cpu_seconds() - start;
        timings.phases[phase] += spent;
        per_month[phase].push_back(spent);
      };
      step_month(world, m, events, [&](MonthPhase p, const std::function<void()>& body) {
        timed(static_cast<int>(p), body);
      });
      timed(kMonthPhaseCount, [&] {
        const MonthMetrics metrics =
            collect_metrics(world, m, config.start.plus_months(month), month % 12 == 11);
        if (metrics.market.talents < 0) std::abort();  // keep the result alive
      });
      timings.total += std::chrono::duration<double>(Clock::now() - t0).count();
      timings.cpu += cpu_seconds() - cpu0;
      // The floor is one thread's pass: its own processor time (the process's would count the
      // month's idle threads, which spin for a while after a parallel loop).
      const double floor0 = cpu_seconds(CLOCK_THREAD_CPUTIME_ID);
      if (bench::floor_pass(world, m.rng, month) < 0) std::abort();  // keep the result alive
      timings.floor += cpu_seconds(CLOCK_THREAD_CPUTIME_ID) - floor0;
      talent_months += static_cast<double>(world.talents.size());
      seekers += static_cast<double>(m.seekers);
      candidates += static_cast<double>(m.candidates_found);
      offers += static_cast<double>(m.offers_made);
      moves += static_cast<double>(m.moves.size());
    }
    const double talents = talent_months / months;
    std::printf("%8.2f %10.0f %14.3g %12.1f %10.1f  ", scale, talents,
                talent_months / timings.total, 1e3 * timings.total / months,
                peak_rss_bytes() / talents);
    for (int p = 1; p < 8; ++p)
      std::printf(" %s %.0f%% (%.1f ms)", kPhaseNames[p], 100.0 * timings.phases[p] / timings.cpu,
                  1e3 * timings.phases[p] / months);
    std::printf(
        "\n%8s processor time %.1f ms/month (all threads); floor %.1f ms/month (%.3g "
        "talent-months/s), full step / floor = %.1f (processor time), %.1f (wall-clock month)",
        "", 1e3 * timings.cpu / months, 1e3 * timings.floor / months, talent_months / timings.floor,
        timings.cpu / timings.floor, timings.total / timings.floor);
    // Processor time counts every thread, so with several threads (whose idle ones spin for a
    // while at the end of a parallel loop) the phases' wall-clock times are what adds up.
    std::printf("\n%8s wall-clock per month:", "");
    for (int p = 1; p < 8; ++p)
      std::printf(" %s %.1f", kPhaseNames[p], 1e3 * timings.wall[p] / months);
    // On a shared machine a stall of the whole VM lands in whichever phase is running, and a
    // periodic one can hit the same phase every month. The median month of each phase, and its
    // fastest month, bound what the phase itself costs.
    double typical = 0, fastest = 0;
    std::printf("\n%8s median month:", "");
    for (int p = 1; p < 8; ++p) {
      auto& v = per_month[p];
      std::sort(v.begin(), v.end());
      typical += v[v.size() / 2];
      fastest += v.front();
      std::printf(" %s %.1f", kPhaseNames[p], 1e3 * v[v.size() / 2]);
    }
    std::printf(" = %.1f ms (%.3g talent-months/s)", 1e3 * typical, talents / typical);
    std::printf("\n%8s fastest month:", "");
    for (int p = 1; p < 8; ++p) std::printf(" %s %.1f", kPhaseNames[p], 1e3 * per_month[p].front());
    std::printf(" = %.1f ms (%.3g talent-months/s)", 1e3 * fastest, talents / fastest);
    std::printf(
        "\n%8s per talent-month: %.4f seekers, %.4f candidate pairs, %.4f offers, %.4f moves\n", "",
        seekers / talent_months, candidates / talent_months, offers / talent_months,
        moves / talent_months);
    std::fflush(stdout);
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    return run(argc, argv);
  } catch (const mercato::Error& e) {  // a scenario that does not load, at a --scale
    std::fprintf(stderr, "scale_benchmark: %s\n", e.what());
    return 1;
  }
}
