// The messages between rank 0 (which hands out runs and writes the database, or runs the
// calibration's optimiser and writes its journal) and the other ranks of `mpirun -np K mercato
// sweep ...` or `mercato calibrate`. Without MPI (a build without it, or a process not
// started by mpirun) there is no other rank: poll() returns nothing and broadcast_go returns
// its argument.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace mercato::experiment {

class MpiChannel {
 public:
  enum class Kind : std::uint8_t { request, assign, result, finished };
  struct Message {
    Kind kind = Kind::request;
    int rank = 0;            // the sender
    std::int64_t run = 0;    // assign: the run id (an evaluation's index), or -1: no more runs
    bool abandoned = false;  // result: the run was stopped before it finished
    // result: io::serialize(RunRecord), or a calibration rank's replicate measures;
    // assign: what the run needs besides its id (a calibration candidate's values)
    std::string payload;
  };

  // Every message waiting for this rank, without blocking.
  std::vector<Message> poll();
  // Rank 0 -> `rank`: run `run` next (-1: no more), with `payload` when it needs one.
  void assign(int rank, std::int64_t run, const std::string& payload = {});
  // Another rank -> rank 0.
  void request();
  void send_result(bool abandoned, const std::string& payload);
  void finished();

  // Rank 0 tells every rank whether the experiment goes ahead; returns rank 0's `go`.
  static bool broadcast_go(bool go);
  // Whether every rank says ok (all ranks must call it).
  static bool all_ok(bool ok);
};

}  // namespace mercato::experiment
