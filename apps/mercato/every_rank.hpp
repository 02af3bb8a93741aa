// What every MPI rank of `mpirun ... mercato ensemble|sweep|calibrate` does alike (alone: what
// the one process does).
#pragma once

#include <algorithm>
#include <exception>
#include <optional>
#include <string>
#include <thread>

#include <fmt/format.h>

#include "commands.hpp"
#include "mercato/experiment/sweep.hpp"

namespace mercato::cli {

// Under mpirun every rank loads the experiment or calibration file itself. A rank that cannot (a
// file missing on its node) must not leave the others waiting for it: all agree first, and the
// error is printed once (by rank 0 when it has it, otherwise by the ranks that do). `what`
// names the file in rank 0's message ("the experiment").
template <typename Load>
auto load_on_every_rank(const Load& load, const std::string& what) -> decltype(load()) {
  using experiment::Distributed;
  if (Distributed::size() < 2) return load();
  std::exception_ptr error;
  std::optional<decltype(load())> loaded;
  try {
    loaded.emplace(load());
  } catch (...) {
    error = std::current_exception();
  }
  if (Distributed::all_ok(!error)) return std::move(*loaded);
  const bool root_ok = Distributed::from_root(!error);
  if (error && (Distributed::rank() == 0 || root_ok)) std::rethrow_exception(error);
  if (Distributed::rank() == 0) {
    throw Error(fmt::format("another rank could not load {} (its message is above)", what));
  }
  throw ExitQuietly{1};
}

// Runs (or replicates) at once in each process when --threads is not given: every core when
// alone, one per rank under mpirun (start one rank per core).
inline int default_threads() {
  if (experiment::Distributed::size() > 1) return 1;
  return static_cast<int>(std::max(1U, std::thread::hardware_concurrency()));
}

}  // namespace mercato::cli
