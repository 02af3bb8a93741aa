#include "progress_bar.hpp"

#include <cmath>
#include <cstdio>
#include <string>

#include <fmt/format.h>

namespace mercato::cli {

namespace {

using Clock = std::chrono::steady_clock;
constexpr auto kRedrawInterval = std::chrono::milliseconds(100);
constexpr int kBarWidth = 30;
// Carriage return, then "erase to end of line", so a shorter line leaves no stale characters.
constexpr std::string_view kLineStart = "\r\x1b[K";

std::string duration_text(double seconds) {
  const long long s = std::llround(seconds);
  if (s >= 3600) return fmt::format("{}:{:02}:{:02}", s / 3600, s / 60 % 60, s % 60);
  return fmt::format("{}:{:02}", s / 60, s % 60);
}

}  // namespace

ProgressBar::ProgressBar(bool enabled) : enabled_(enabled) {}

ProgressBar::~ProgressBar() {
  clear();
}

void ProgressBar::stage(std::string_view what) {
  if (!enabled_) return;
  fmt::print(stderr, "{}mercato: {}...", kLineStart, what);
  std::fflush(stderr);
  drawn_ = true;
}

void ProgressBar::update(int done, int total) {
  if (!enabled_) return;
  const auto now = Clock::now();
  if (!started_) {
    // The rate counts from the first reported month; the month before it is not timed, so
    // the figure errs on the slow side by one month.
    started_ = true;
    run_started_ = now;
    draw(done, total);
    return;
  }
  if (done < total && now - last_draw_ < kRedrawInterval) return;
  draw(done, total);
}

void ProgressBar::draw(int done, int total) {
  const auto now = Clock::now();
  last_draw_ = now;
  const double elapsed = std::chrono::duration<double>(now - run_started_).count();
  const int timed_months = done - 1;  // months completed since the clock started
  const double rate = elapsed > 0 && timed_months > 0 ? timed_months / elapsed : 0.0;
  const int filled = total > 0 ? kBarWidth * done / total : kBarWidth;
  std::string line = fmt::format("{}[{}{}] {}/{} months", kLineStart, std::string(filled, '#'),
                                 std::string(kBarWidth - filled, '.'), done, total);
  if (rate > 0) {
    line += fmt::format("  {:.1f} months/s  ETA {}", rate, duration_text((total - done) / rate));
  }
  std::fputs(line.c_str(), stderr);
  std::fflush(stderr);
  drawn_ = true;
}

void ProgressBar::clear() {
  if (!enabled_ || !drawn_) return;
  std::fputs(std::string(kLineStart).c_str(), stderr);
  std::fflush(stderr);
  drawn_ = false;
}

}  // namespace mercato::cli
