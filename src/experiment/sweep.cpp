#include "mercato/experiment/sweep.hpp"

#include <omp.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <condition_variable>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <utility>

#include <fmt/format.h>

#include "io/atomic_file.hpp"
#include "io/number_format.hpp"
#include "mercato/experiment/figures.hpp"
#include "mercato/experiment/statistics.hpp"
#include "mercato/scenario/scenario.hpp"
#include "mpi_channel.hpp"

namespace mercato::experiment {

namespace fs = std::filesystem;

namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point t) {
  return std::chrono::duration<double>(Clock::now() - t).count();
}

// Unwinds a run that a stop request made pointless.
struct Abandoned {};

// The Config of each point, loaded once per process when a run of it first comes.
class PointConfigs {
 public:
  explicit PointConfigs(const scenario::Experiment& experiment)
      : experiment_(experiment), configs_(experiment.points.size()) {}

  const Config& at(int point) {
    const std::lock_guard<std::mutex> lock(mutex_);
    auto& slot = configs_.at(static_cast<std::size_t>(point));
    if (!slot) {
      slot = std::make_unique<Config>(
          scenario::point_config(experiment_, experiment_.points[static_cast<std::size_t>(point)]));
    }
    return *slot;
  }

 private:
  const scenario::Experiment& experiment_;
  std::mutex mutex_;
  std::vector<std::unique_ptr<Config>> configs_;
};

std::string error_text(const std::exception& e) {
  if (const auto* s = dynamic_cast<const ScenarioError*>(&e);
      s != nullptr && !s->diagnostics().empty()) {
    std::vector<std::string> lines;
    for (const ScenarioDiagnostic& d : s->diagnostics()) lines.push_back(d.to_string());
    return fmt::format("{}", fmt::join(lines, "\n"));
  }
  return e.what();
}

// What a process's run came to: a record to store, or nothing (abandoned by a stop request).
struct Outcome {
  io::RunRecord record;
  bool abandoned = false;
};

Outcome run_one(const scenario::Experiment& experiment, PointConfigs& configs,
                const io::PlannedRun& run, const SweepOptions& options, const std::string& worker) {
  Outcome out;
  const Clock::time_point started = Clock::now();
  try {
    if (options.fail_runs.count(run.run) != 0) {
      throw Error(fmt::format("run {} failed on purpose (MERCATO_FAIL_RUNS)", run.run));
    }
    out.record = execute_run(experiment, configs.at(run.point), run, options.stop);
  } catch (const Abandoned&) {
    out.abandoned = true;
  } catch (const std::bad_alloc&) {
    out.record.failed = true;
    out.record.error = "out of memory";
  } catch (const std::exception& e) {
    out.record.failed = true;
    out.record.error = error_text(e);
  }
  out.record.run = run.run;
  out.record.worker = worker;
  out.record.seconds = seconds_since(started);
  return out;
}

// The work of one process: a queue of runs for its threads and the outcomes they leave.
class LocalQueue {
 public:
  void push_run(const io::PlannedRun& run) {
    {
      const std::lock_guard<std::mutex> lock(mutex_);
      inbox_.push_back(run);
    }
    cv_.notify_all();
  }
  void close() {
    {
      const std::lock_guard<std::mutex> lock(mutex_);
      closed_ = true;
    }
    cv_.notify_all();
  }
  // A worker thread's next run; nullopt once closed and empty.
  std::optional<io::PlannedRun> take_run() {
    std::unique_lock<std::mutex> lock(mutex_);
    cv_.wait(lock, [this] { return !inbox_.empty() || closed_; });
    if (inbox_.empty()) return std::nullopt;
    io::PlannedRun run = inbox_.front();
    inbox_.pop_front();
    ++busy_;
    return run;
  }
  std::optional<io::PlannedRun> try_take_run() {
    const std::lock_guard<std::mutex> lock(mutex_);
    if (inbox_.empty()) return std::nullopt;
    io::PlannedRun run = inbox_.front();
    inbox_.pop_front();
    ++busy_;
    return run;
  }
  void finish(Outcome outcome) {
    {
      const std::lock_guard<std::mutex> lock(mutex_);
      outbox_.push_back(std::move(outcome));
      --busy_;
    }
    done_cv_.notify_all();
  }
  void worker_exited() {
    {
      const std::lock_guard<std::mutex> lock(mutex_);
      ++exited_;
    }
    done_cv_.notify_all();
  }
  std::deque<Outcome> take_outcomes() {
    const std::lock_guard<std::mutex> lock(mutex_);
    std::deque<Outcome> out;
    out.swap(outbox_);
    return out;
  }
  // Runs queued, running, or finished but not yet taken: a run counts until its outcome is
  // stored, so no new run is handed out before a failure can halt the experiment.
  int in_hand() {
    const std::lock_guard<std::mutex> lock(mutex_);
    return static_cast<int>(inbox_.size() + outbox_.size()) + busy_;
  }
  int exited() {
    const std::lock_guard<std::mutex> lock(mutex_);
    return exited_;
  }
  // Sleeps until an outcome arrives or `timeout` passes.
  void wait(std::chrono::milliseconds timeout) {
    std::unique_lock<std::mutex> lock(mutex_);
    done_cv_.wait_for(lock, timeout, [this] { return !outbox_.empty(); });
  }

 private:
  std::mutex mutex_;
  std::condition_variable cv_, done_cv_;
  std::deque<io::PlannedRun> inbox_;
  std::deque<Outcome> outbox_;
  bool closed_ = false;
  int busy_ = 0;
  int exited_ = 0;
};

// Runs `body(thread)` on `threads` OpenMP threads plus the calling thread as thread 0 (the
// coordinator: the only one that talks to MPI and to the database). Returns the worker count.
template <typename Coordinator, typename Worker>
void with_workers(int threads, LocalQueue& queue, const Coordinator& coordinate,
                  const Worker& work) {
#pragma omp parallel num_threads(threads + 1)
  {
    const int id = omp_get_thread_num();
    const int team = omp_get_num_threads();
    if (id == 0) {
      coordinate(team - 1);
    } else {
      work(id - 1);
      queue.worker_exited();
    }
  }
}

std::string worker_name(int rank, int thread) {
  return Distributed::active() ? fmt::format("rank {} thread {}", rank, thread)
                               : fmt::format("thread {}", thread);
}

// Rank 0 (or the only process): hands out runs, writes every outcome, reports progress.
SweepResult coordinate(const scenario::Experiment& experiment, io::ResultsDb& db,
                       const SweepOptions& options) {
  const io::ExperimentPlan& plan = db.plan();
  std::vector<io::PlannedRun> todo;
  const std::vector<io::RunStatus> statuses = db.statuses();
  SweepResult result;
  result.database = db.path();
  result.ranks = Distributed::size();
  result.progress.total = static_cast<int>(plan.runs.size());
  for (std::size_t i = 0; i < plan.runs.size(); ++i) {
    if (statuses[i] == io::RunStatus::pending) {
      todo.push_back(plan.runs[i]);
    } else {
      ++result.progress.skipped;
    }
  }

  PointConfigs configs(experiment);
  LocalQueue queue;
  // Set on Ctrl-C or when the coordinator fails: runs in progress here are abandoned.
  std::atomic<bool> stop_now{false};
  SweepOptions local = options;
  local.stop = &stop_now;
  std::exception_ptr failure;
  std::mutex next_mutex;
  std::size_t next = 0;
  bool halted = false;
  // The next run to start anywhere, or nullopt when none is left or the sweep is halting.
  auto next_run = [&]() -> std::optional<io::PlannedRun> {
    const std::lock_guard<std::mutex> lock(next_mutex);
    if (halted || next >= todo.size()) return std::nullopt;
    return todo[next++];
  };
  auto halt = [&] {
    const std::lock_guard<std::mutex> lock(next_mutex);
    halted = true;
  };

  const Clock::time_point started = Clock::now();
  Clock::time_point last_report = started;
  auto report = [&](bool force) {
    if (!options.on_progress) return;
    if (!force && seconds_since(last_report) < 1.0) return;
    last_report = Clock::now();
    result.progress.seconds = seconds_since(started);
    options.on_progress(result.progress);
  };
  auto store = [&](Outcome outcome) {
    if (outcome.abandoned) return;
    db.record(outcome.record);
    result.talent_months += outcome.record.talent_months;
    if (outcome.record.failed) {
      ++result.progress.failed;
      if (result.first_failed_run == 0) {
        result.first_failed_run = outcome.record.run;
        result.first_error = outcome.record.error;
      }
      if (options.on_error == OnError::stop) {
        halt();
        result.halted = true;
      }
    } else {
      ++result.progress.done;
    }
    report(true);
  };
  report(true);

  MpiChannel channel;
  int remote_finished = 0;
  const int remote_ranks = Distributed::size() - 1;
  with_workers(
      std::max(0, options.threads), queue,
      [&](int workers) {
        try {
          const int wanted = std::max(workers, 1);
          bool closed = false;  // the local queue gets no more runs
          for (;;) {
            if (options.stop != nullptr && options.stop->load(std::memory_order_relaxed) &&
                !result.stopped) {
              result.stopped = true;
              stop_now = true;
              halt();
            }
            if (workers == 0) {
              // No worker thread: the coordinator runs its share itself, one at a time.
              if (const std::optional<io::PlannedRun> run = queue.try_take_run()) {
                queue.finish(run_one(experiment, configs, *run, local, worker_name(0, 0)));
              }
            }
            for (MpiChannel::Message& m : channel.poll()) {
              if (m.kind == MpiChannel::Kind::request) {
                const std::optional<io::PlannedRun> run = next_run();
                channel.assign(m.rank, run ? run->run : -1);
              } else if (m.kind == MpiChannel::Kind::result) {
                Outcome outcome;
                outcome.abandoned = m.abandoned;
                if (!m.abandoned) outcome.record = io::deserialize_run_record(m.payload);
                store(std::move(outcome));
              } else if (m.kind == MpiChannel::Kind::finished) {
                ++remote_finished;
              }
            }
            for (Outcome& outcome : queue.take_outcomes()) store(std::move(outcome));
            report(false);
            // Keep one run in hand per local thread; the rest wait in `todo` for whoever asks.
            while (!closed && queue.in_hand() < wanted) {
              const std::optional<io::PlannedRun> run = next_run();
              if (!run) {
                queue.close();
                closed = true;
              } else {
                queue.push_run(*run);
              }
            }

            const bool local_done =
                closed && queue.in_hand() == 0 && (workers == 0 || queue.exited() == workers);
            if (local_done && remote_finished == remote_ranks) {
              for (Outcome& outcome : queue.take_outcomes()) store(std::move(outcome));
              break;
            }
            queue.wait(std::chrono::milliseconds(remote_ranks > 0 ? 2 : 100));
          }
        } catch (...) {
          // The database or MPI failed: stop the local threads before leaving the region.
          failure = std::current_exception();
          stop_now = true;
          halt();
          queue.close();
          while (workers > 0 && queue.exited() < workers) {
            queue.take_outcomes();
            queue.wait(std::chrono::milliseconds(10));
          }
        }
      },
      [&](int thread) {
        while (const std::optional<io::PlannedRun> run = queue.take_run()) {
          queue.finish(run_one(experiment, configs, *run, local, worker_name(0, thread)));
        }
      });
  if (failure) std::rethrow_exception(failure);
  result.progress.seconds = seconds_since(started);
  return result;
}

// A rank other than 0: asks rank 0 for runs while its threads are idle, sends back outcomes.
void serve(const scenario::Experiment& experiment, const io::ExperimentPlan& plan,
           const SweepOptions& options) {
  PointConfigs configs(experiment);
  LocalQueue queue;
  MpiChannel channel;
  const int rank = Distributed::rank();
  with_workers(
      std::max(0, options.threads), queue,
      [&](int workers) {
        const int wanted = std::max(workers, 1);
        int outstanding = 0;  // requests not yet answered
        bool no_more = false;
        for (;;) {
          const bool stopping =
              options.stop != nullptr && options.stop->load(std::memory_order_relaxed);
          if (stopping && !no_more) {
            no_more = true;
            queue.close();
          }
          while (!no_more && outstanding + queue.in_hand() < wanted) {
            channel.request();
            ++outstanding;
          }
          for (MpiChannel::Message& m : channel.poll()) {
            if (m.kind != MpiChannel::Kind::assign) continue;
            --outstanding;
            if (m.run < 1) {
              if (!no_more) queue.close();
              no_more = true;
            } else if (!stopping) {
              queue.push_run(plan.runs.at(static_cast<std::size_t>(m.run - 1)));
            }
          }
          if (workers == 0) {
            if (const std::optional<io::PlannedRun> run = queue.try_take_run()) {
              queue.finish(run_one(experiment, configs, *run, options, worker_name(rank, 0)));
            }
          }
          for (Outcome& outcome : queue.take_outcomes()) {
            channel.send_result(outcome.abandoned,
                                outcome.abandoned ? std::string() : io::serialize(outcome.record));
          }
          if (no_more && outstanding == 0 && queue.in_hand() == 0 &&
              (workers == 0 || queue.exited() == workers)) {
            for (Outcome& outcome : queue.take_outcomes()) {
              channel.send_result(outcome.abandoned, outcome.abandoned
                                                         ? std::string()
                                                         : io::serialize(outcome.record));
            }
            channel.finished();
            break;
          }
          queue.wait(std::chrono::milliseconds(2));
        }
      },
      [&](int thread) {
        while (const std::optional<io::PlannedRun> run = queue.take_run()) {
          queue.finish(run_one(experiment, configs, *run, options, worker_name(rank, thread)));
        }
      });
}

fs::path aggregates_path(const fs::path& database) {
  fs::path p = database;
  return p.replace_extension(".aggregates.csv");
}

}  // namespace

io::ExperimentPlan plan_of(const scenario::Experiment& experiment, const std::string& kind) {
  io::ExperimentPlan plan;
  plan.name = experiment.name;
  plan.kind = kind;
  plan.fingerprint = scenario::experiment_fingerprint(experiment);
  plan.tables = experiment.keep;
  // The seed of a point: the experiment's, or the scenario's (one load), unless a parameter
  // varies it.
  const bool seed_varies =
      std::any_of(experiment.parameters.begin(), experiment.parameters.end(),
                  [](const scenario::ExperimentParameter& p) { return p.key == "seed"; });
  std::optional<std::uint64_t> common_seed = experiment.seed;
  if (!common_seed && !seed_varies && !experiment.points.empty()) {
    common_seed = scenario::point_config(experiment, experiment.points.front()).seed;
  }
  auto seed_of = [&](const scenario::ExperimentPoint& point) {
    return common_seed ? *common_seed : scenario::point_config(experiment, point).seed;
  };
  std::int64_t id = 1;
  for (const scenario::ExperimentPoint& point : experiment.points) {
    io::PlannedPoint p;
    p.point = point.index;
    for (const scenario::Override& o : point.overrides) p.parameters.emplace_back(o.key, o.value);
    plan.points.push_back(std::move(p));
    // Every run of a point uses the point's seed; replicate r draws from its own streams, and
    // replicate r of every point shares them (common random numbers across the points).
    const std::uint64_t seed = seed_of(point);
    for (int r = 0; r < experiment.replicates; ++r) {
      plan.runs.push_back({id++, point.index, r, seed});
    }
  }
  return plan;
}

io::RunRecord execute_run(const scenario::Experiment& experiment, const Config& config,
                          const io::PlannedRun& run, const std::atomic<bool>* stop) {
  World world = scenario::build_world(config, static_cast<std::uint64_t>(run.replicate));
  std::vector<Event> events = scenario::build_events(config, world);
  Simulation simulation(std::move(world), scenario::simulation_options(config, 1),
                        std::move(events));
  io::TableRecorder tables(experiment.keep, config.outputs.moves);
  EndHeadcounts headcounts;
  const std::unique_ptr<Observer> headcount_recorder = record_end_headcounts(headcounts);
  const RunSummary summary =
      run_simulation(simulation, {&tables, headcount_recorder.get()}, [stop](int, int) {
        if (stop != nullptr && stop->load(std::memory_order_relaxed)) throw Abandoned{};
      });

  std::vector<std::string> regions, groups;
  for (const RegionConfig& r : config.regions) regions.push_back(r.id);
  for (const GroupConfig& g : config.groups) groups.push_back(g.id);
  io::RunRecord record;
  record.run = run.run;
  for (const Figure& f :
       run_figures(summary, headcounts, regions, groups, !config.events.empty())) {
    record.figures.push_back({f.metric, f.unit, f.value});
  }
  record.tables = tables.take_rows();
  record.talent_months = 0.5 * static_cast<double>(summary.talents_start + summary.talents_end) *
                         static_cast<double>(summary.months);
  return record;
}

std::string aggregates_csv(const io::ResultsDb& db) {
  io::Buffer out;
  std::vector<std::string> keys;
  if (!db.plan().points.empty()) {
    for (const auto& [k, v] : db.plan().points.front().parameters) keys.push_back(k);
  }
  fmt::format_to(fmt::appender(out), "point");
  for (const std::string& k : keys) {
    out.push_back(',');
    io::append_text(out, k);
  }
  fmt::format_to(fmt::appender(out), ",metric,unit,runs,mean,sd,ci_low,ci_high\n");
  for (const io::ResultsDb::PointFigures& p : db.figures_by_point()) {
    for (std::size_t m = 0; m < p.metrics.size(); ++m) {
      std::vector<double> values;
      for (double v : p.values[m]) {
        if (std::isfinite(v)) values.push_back(v);
      }
      if (values.empty()) continue;
      const MeanEstimate e = estimate_mean(values);
      io::append_int(out, p.point);
      for (const auto& [k, v] : p.parameters) {
        out.push_back(',');
        io::append_text(out, v);
      }
      out.push_back(',');
      io::append_text(out, p.metrics[m]);
      out.push_back(',');
      io::append_text(out, p.units[m]);
      out.push_back(',');
      io::append_int(out, e.n);
      for (double v : {e.mean, e.sd, e.low, e.high}) {
        out.push_back(',');
        io::append_real(out, v);
      }
      out.push_back('\n');
    }
  }
  return fmt::to_string(out);
}

SweepResult run_experiment(const scenario::Experiment& experiment, const std::string& kind,
                           const fs::path& database, const SweepOptions& options) {
  if (options.threads < 0) {
    throw UsageError(fmt::format("threads must be at least 0 (got {})", options.threads));
  }
  const io::ExperimentPlan plan = plan_of(experiment, kind);
  if (Distributed::rank() != 0) {
    // Rank 0 says whether the database could be opened; then this rank serves.
    if (!MpiChannel::broadcast_go(false)) return {};
    serve(experiment, plan, options);
    return {};
  }
  std::unique_ptr<io::ResultsDb> db;
  try {
    if (options.replace) {
      for (const fs::path& p : {database, fs::path(database.string() + "-journal")}) {
        std::error_code ec;
        if (fs::is_directory(p, ec)) continue;  // ResultsDb explains that -o names a file
        if (!fs::remove(p, ec) && ec) {
          throw IoError(fmt::format("{}: cannot replace it: {}", p.string(), ec.message()));
        }
      }
    }
    db = std::make_unique<io::ResultsDb>(database, plan);
  } catch (...) {
    MpiChannel::broadcast_go(false);
    throw;
  }
  MpiChannel::broadcast_go(true);
  SweepResult result;
  try {
    result = coordinate(experiment, *db, options);
  } catch (const std::exception& e) {
    if (Distributed::size() > 1) throw DistributedFailure(e.what());
    throw;
  }
  // The aggregates of every finished run, this start's and earlier ones'.
  result.aggregates = aggregates_path(database);
  io::AtomicFile file(result.aggregates);
  file.write(aggregates_csv(*db));
  file.commit();
  return result;
}

}  // namespace mercato::experiment
