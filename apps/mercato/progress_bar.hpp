// The run's progress on a terminal (ARCHITECTURE.md, Conventions: long work shows progress on
// a terminal and stays quiet when not on one).
#pragma once

#include <chrono>
#include <string_view>

namespace mercato::cli {

class ProgressBar {
 public:
  // Draws only when `enabled` (stderr is a terminal and --quiet was not given).
  explicit ProgressBar(bool enabled);
  ~ProgressBar();
  ProgressBar(const ProgressBar&) = delete;
  ProgressBar& operator=(const ProgressBar&) = delete;

  // A stage with no month count (building the world, warming up).
  void stage(std::string_view what);
  // Months done out of total, the rate in months/s and the time left. Redraws at most ten
  // times a second so a fast run is not slowed by the terminal.
  void update(int done, int total);
  // Erases the bar so the summary starts on a clean line.
  void clear();

 private:
  void draw(int done, int total);

  bool enabled_;
  bool drawn_ = false;
  bool started_ = false;
  std::chrono::steady_clock::time_point run_started_;
  std::chrono::steady_clock::time_point last_draw_;
};

}  // namespace mercato::cli
