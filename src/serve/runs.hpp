// The server's runs: a queue served by a fixed number of workers, each run writing a run folder
// (docs/outputs.md) under the server's runs folder. Requests see snapshots as JSON.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "mercato/scenario/scenario.hpp"

namespace mercato::serve {

struct RunLimits {
  int max_queued = 16;
  int workers = 1;
  double max_run_seconds = 300;
  int max_kept_runs = 100;
};

// What a request asks to run: a catalogue scenario with overrides (already validated).
struct RunRequest {
  std::string scenario;                       // the catalogue name
  std::filesystem::path file;                 // its file
  nlohmann::json set;                         // the overrides as the request gave them
  std::vector<scenario::Override> overrides;  // the same, parsed
  int months = 0;                             // of the loaded scenario
};

class RunQueue {
 public:
  RunQueue(std::filesystem::path folder, RunLimits limits);
  ~RunQueue();  // cancels every run and joins the workers

  // Queues a run and returns its snapshot; none when the queue is full.
  std::optional<nlohmann::json> submit(RunRequest request);
  // The run object (docs/explorer.md) of a run id; none for an unknown id.
  std::optional<nlohmann::json> snapshot(const std::string& id) const;
  nlohmann::json list() const;
  // Asks a queued or running run to stop; returns its snapshot, none for an unknown id.
  std::optional<nlohmann::json> cancel(const std::string& id);
  // The run folder of a finished run, none while it is not done (or for an unknown id).
  std::optional<std::filesystem::path> finished_folder(const std::string& id) const;
  // The fully resolved scenario of a run (set once it has been loaded).
  std::optional<std::string> resolved_scenario(const std::string& id) const;
  // Stops the workers: queued runs are cancelled, running ones stop after their month.
  void shut_down();

 private:
  struct Run;
  void work();
  void execute(Run& run);
  nlohmann::json snapshot_locked(const Run& run) const;
  void forget_old_runs_locked();

  std::filesystem::path folder_;
  RunLimits limits_;
  std::string token_;  // per server: ids of an earlier server's runs are never reused
  std::uint64_t next_ = 1;
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::deque<std::shared_ptr<Run>> queued_;
  std::vector<std::shared_ptr<Run>> runs_;  // in submission order
  std::vector<std::thread> workers_;
};

}  // namespace mercato::serve
