#include "serve/runs.hpp"

#include <atomic>
#include <chrono>
#include <random>
#include <system_error>

#include <fmt/format.h>

#include "mercato/core/error.hpp"
#include "mercato/engine/simulation.hpp"
#include "mercato/io/outputs.hpp"

namespace mercato::serve {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using Clock = std::chrono::steady_clock;

// A run stopped before its end: cancelled by a request (or the server stopping), or over time.
struct Stopped {
  bool cancelled = true;
  std::string message;
};

double seconds_between(Clock::time_point from, Clock::time_point to) {
  return std::chrono::duration<double>(to - from).count();
}

std::string random_token() {
  std::random_device device;
  return fmt::format("{:06x}", device() & 0xffffffU);
}

// The command that reproduces a run from the command line, recorded in its manifest.json.
std::string command_line_of(const RunRequest& request) {
  std::string line = fmt::format("mercato run {}", request.file.string());
  for (const scenario::Override& o : request.overrides) {
    line += fmt::format(" --set '{}={}'", o.key, o.value);
  }
  return line;
}

}  // namespace

struct RunQueue::Run {
  std::string id;
  RunRequest request;
  fs::path folder;
  std::string status = "queued";  // queued, running, done, failed, cancelled
  std::string stage = "queued";
  std::string error;
  int months_done = 0;
  std::vector<std::string> files;
  std::string resolved;  // the resolved scenario (YAML), once loaded
  std::atomic<bool> cancel{false};
  Clock::time_point started{};
  double seconds = 0;  // running time, set at the end
};

RunQueue::RunQueue(fs::path folder, RunLimits limits)
    : folder_(std::move(folder)), limits_(limits), token_(random_token()) {
  for (int i = 0; i < limits_.workers; ++i) workers_.emplace_back([this] { work(); });
}

RunQueue::~RunQueue() {
  shut_down();
}

void RunQueue::shut_down() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
    for (const std::shared_ptr<Run>& run : queued_) {
      run->status = "cancelled";
      run->stage = "cancelled";
      run->error = "the server stopped before the run began";
    }
    queued_.clear();
    for (const std::shared_ptr<Run>& run : runs_) run->cancel = true;
  }
  wake_.notify_all();
  for (std::thread& worker : workers_) {
    if (worker.joinable()) worker.join();
  }
  workers_.clear();
}

std::optional<json> RunQueue::submit(RunRequest request) {
  std::lock_guard lock(mutex_);
  if (stopping_ || static_cast<int>(queued_.size()) >= limits_.max_queued) return std::nullopt;
  auto run = std::make_shared<Run>();
  run->id = fmt::format("r{}-{}", next_++, token_);
  run->folder = folder_ / run->id;
  run->request = std::move(request);
  queued_.push_back(run);
  runs_.push_back(run);
  wake_.notify_one();
  return snapshot_locked(*run);
}

json RunQueue::snapshot_locked(const Run& run) const {
  json out = {{"id", run.id},
              {"scenario", run.request.scenario},
              {"set", run.request.set.is_null() ? json::object() : run.request.set},
              {"status", run.status},
              {"stage", run.stage},
              {"months_done", run.months_done},
              {"months", run.request.months},
              {"error", run.error}};
  if (run.status == "queued") {
    std::size_t position = 0;
    while (position < queued_.size() && queued_[position].get() != &run) ++position;
    out["queue_position"] = position;
  }
  out["seconds"] =
      run.status == "running" ? seconds_between(run.started, Clock::now()) : run.seconds;
  if (run.status == "done") out["files"] = run.files;
  return out;
}

std::optional<json> RunQueue::snapshot(const std::string& id) const {
  std::lock_guard lock(mutex_);
  for (const std::shared_ptr<Run>& run : runs_) {
    if (run->id == id) return snapshot_locked(*run);
  }
  return std::nullopt;
}

json RunQueue::list() const {
  std::lock_guard lock(mutex_);
  json runs = json::array();
  for (const std::shared_ptr<Run>& run : runs_) runs.push_back(snapshot_locked(*run));
  return {{"runs", std::move(runs)}};
}

std::optional<json> RunQueue::cancel(const std::string& id) {
  std::lock_guard lock(mutex_);
  for (const std::shared_ptr<Run>& run : runs_) {
    if (run->id != id) continue;
    run->cancel = true;
    if (run->status == "queued") {
      std::erase(queued_, run);
      run->status = "cancelled";
      run->stage = "cancelled";
      run->error = "cancelled before it began";
    }
    return snapshot_locked(*run);
  }
  return std::nullopt;
}

std::optional<fs::path> RunQueue::finished_folder(const std::string& id) const {
  std::lock_guard lock(mutex_);
  for (const std::shared_ptr<Run>& run : runs_) {
    if (run->id == id && run->status == "done") return run->folder;
  }
  return std::nullopt;
}

std::optional<std::string> RunQueue::resolved_scenario(const std::string& id) const {
  std::lock_guard lock(mutex_);
  for (const std::shared_ptr<Run>& run : runs_) {
    if (run->id == id && !run->resolved.empty()) return run->resolved;
  }
  return std::nullopt;
}

void RunQueue::work() {
  for (;;) {
    std::shared_ptr<Run> run;
    {
      std::unique_lock lock(mutex_);
      wake_.wait(lock, [this] { return stopping_ || !queued_.empty(); });
      if (stopping_) return;
      run = queued_.front();
      queued_.pop_front();
      run->status = "running";
      run->stage = "loading the scenario";
      run->started = Clock::now();
    }
    execute(*run);
    std::lock_guard lock(mutex_);
    forget_old_runs_locked();
  }
}

void RunQueue::execute(Run& run) {
  const auto stage = [&](std::string text) {
    std::lock_guard lock(mutex_);
    run.stage = std::move(text);
  };
  // Between stages and after every month: a cancel request or the time limit ends the run.
  const auto check = [&] {
    if (run.cancel) throw Stopped{true, "cancelled"};
    if (seconds_between(run.started, Clock::now()) > limits_.max_run_seconds) {
      throw Stopped{false, fmt::format("stopped after {:g} s, the server's limit of a run's "
                                       "time (mercato serve --max-run-seconds)",
                                       limits_.max_run_seconds)};
    }
  };
  std::string status = "failed";
  std::string error;
  std::vector<std::string> files;
  try {
    const Config config = scenario::load(run.request.file.string(), run.request.overrides);
    const io::RunDescription description =
        io::describe_run(config, 1, command_line_of(run.request));
    io::RunWriter writer(run.folder, config.outputs, description);
    {
      std::lock_guard lock(mutex_);
      run.resolved = description.resolved_scenario;
      run.stage = "building the world";
    }
    const auto build_started = Clock::now();
    World world = scenario::build_world(config);
    std::vector<Event> events = scenario::build_events(config, world);
    const double build_seconds = seconds_between(build_started, Clock::now());
    check();
    Simulation simulation(std::move(world), scenario::simulation_options(config, 1),
                          std::move(events));
    stage(fmt::format("warming up ({} months)", config.model.warmup_months));
    const auto warmup_started = Clock::now();
    simulation.warm_up();
    writer.set_setup_timings(build_seconds, seconds_between(warmup_started, Clock::now()));
    check();
    stage("running");
    run_simulation(simulation, {&writer}, [&](int done, int total) {
      {
        std::lock_guard lock(mutex_);
        run.months_done = done;
      }
      if (done < total) check();
    });
    status = "done";
    files = writer.file_names();
  } catch (const Stopped& stopped) {
    status = stopped.cancelled ? "cancelled" : "failed";
    error = stopped.message;
  } catch (const ScenarioError& e) {
    error = e.diagnostics().empty() ? std::string(e.what()) : e.diagnostics().front().to_string();
  } catch (const std::bad_alloc&) {
    error = "out of memory; try a smaller world (scale)";
  } catch (const std::exception& e) {
    error = e.what();
  }
  if (status != "done") {
    std::error_code ignored;
    fs::remove_all(run.folder, ignored);
  }
  std::lock_guard lock(mutex_);
  run.seconds = seconds_between(run.started, Clock::now());  // with the status: never done in 0 s
  run.status = status;
  run.stage = status;
  run.error = error;
  run.files = std::move(files);
}

void RunQueue::forget_old_runs_locked() {
  std::size_t finished = 0;
  for (const std::shared_ptr<Run>& run : runs_) {
    if (run->status != "queued" && run->status != "running") ++finished;
  }
  for (auto it = runs_.begin();
       it != runs_.end() && finished > static_cast<std::size_t>(limits_.max_kept_runs);) {
    if ((*it)->status == "queued" || (*it)->status == "running") {
      ++it;
      continue;
    }
    std::error_code ignored;
    fs::remove_all((*it)->folder, ignored);
    it = runs_.erase(it);
    --finished;
  }
}

}  // namespace mercato::serve
