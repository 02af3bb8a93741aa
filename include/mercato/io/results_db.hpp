// The results store of ensembles and sweeps (ARCHITECTURE.md, Outputs; docs/experiments.md):
// one SQLite database with the experiment that made it, its parameter points, a `run` table
// and the run tables (the CSV tables of `mercato run`, a `run` column in front) plus the
// headline figures of every run. A run's rows are written in one transaction together with its
// status, so a killed sweep leaves only whole runs behind; reopening the database with the same
// experiment continues where it stopped.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "mercato/engine/simulation.hpp"
#include "mercato/scenario/config.hpp"

namespace mercato::io {

// Keeps the rows `mercato run` would write to some of its CSV tables, in memory, so an
// ensemble can store them per run. `tables` are names from kTableNames; moves follow `moves`.
class TableRecorder final : public Observer {
 public:
  TableRecorder(std::vector<std::string> tables, MoveLog moves);
  ~TableRecorder() override;
  TableRecorder(const TableRecorder&) = delete;
  TableRecorder& operator=(const TableRecorder&) = delete;

  void on_month(const World& world, const MonthMetrics& metrics) override;
  // (table name, its CSV rows without the header line), in the order asked for.
  std::vector<std::pair<std::string, std::string>> take_rows();

 private:
  struct State;
  std::unique_ptr<State> state_;
};

// The CSV columns of a table of kTableNames (docs/outputs.md); UsageError for another name.
std::vector<std::string> table_column_names(const std::string& table);

// A headline figure of one run (docs/compare.md names and defines them).
struct RunFigure {
  std::string metric;  // e.g. "regions.US.top_work_share"
  std::string unit;
  double value = 0;
};

// What one run of an experiment produced: its figures and tables, or the error that ended it.
struct RunRecord {
  std::int64_t run = 0;
  bool failed = false;
  std::string error;         // when failed
  std::string worker;        // which process and thread ran it ("rank 1 thread 0")
  double seconds = 0;        // wall clock of the run
  double talent_months = 0;  // talents x months simulated (warm-up excluded), for throughput
  std::vector<RunFigure> figures;
  std::vector<std::pair<std::string, std::string>> tables;  // TableRecorder::take_rows
};

// Bytes for sending a record between MPI ranks, and back.
std::string serialize(const RunRecord& record);
RunRecord deserialize_run_record(const std::string& bytes);

// The plan of an experiment, written when the database is created.
struct PlannedPoint {
  int point = 0;
  std::vector<std::pair<std::string, std::string>> parameters;  // key path, value as written
};
struct PlannedRun {
  std::int64_t run = 0;  // 1-based, point-major
  int point = 0;
  int replicate = 0;
  std::uint64_t seed = 0;
};
struct ExperimentPlan {
  std::string name;
  std::string kind;  // "ensemble" or "sweep"
  std::string
      fingerprint;  // everything that determines the rows (scenario::experiment_fingerprint)
  std::vector<std::string> tables;  // the run tables kept
  std::vector<PlannedPoint> points;
  std::vector<PlannedRun> runs;
};

enum class RunStatus : std::uint8_t { pending, done, failed };

class ResultsDb {
 public:
  // Creates the database with `plan`, or opens an existing one made by the same experiment
  // (its fingerprint is equal) and discards what an interrupted run may have left of unfinished
  // runs. Refuses with UsageError a database made by another experiment, saying what differs;
  // IoError when the file cannot be created, opened or is not a mercato database.
  ResultsDb(std::filesystem::path path, const ExperimentPlan& plan);
  ~ResultsDb();
  ResultsDb(const ResultsDb&) = delete;
  ResultsDb& operator=(const ResultsDb&) = delete;

  // Status of every planned run, by run id - 1.
  std::vector<RunStatus> statuses() const;
  // Writes a finished run (its rows, figures and status) in one transaction. A run already
  // recorded is replaced.
  void record(const RunRecord& record);

  // Figures of the runs that finished without error, by point: (point, metric) -> values in
  // run order; metrics in the order they were first recorded, with their units.
  struct PointFigures {
    int point = 0;
    std::vector<std::pair<std::string, std::string>> parameters;
    std::vector<std::string> metrics, units;
    std::vector<std::vector<double>> values;  // by metric, over runs
  };
  std::vector<PointFigures> figures_by_point() const;

  const std::filesystem::path& path() const;
  const ExperimentPlan& plan() const;

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace mercato::io
