// `mercato.compare`, `mercato.ensemble` and `mercato.sweep`: the library calls of
// `mercato compare`, `ensemble` and `sweep` (apps/mercato/compare_command.cpp,
// experiment_commands.cpp), with their options, and Ctrl-C stopping them as on the command
// line. Runs happen in this process only: MPI is for the command line under mpirun.
#include <pybind11/stl.h>

#include <algorithm>
#include <filesystem>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "bindings.hpp"
#include "mercato/experiment/comparison.hpp"
#include "mercato/experiment/sweep.hpp"
#include "mercato/scenario/experiment.hpp"

namespace mercato::python {

namespace {

using OverridePairs = std::vector<std::pair<std::string, std::string>>;

py::dict comparison_dict(const experiment::Comparison& c) {
  py::list rows;
  for (const experiment::ComparisonRow& r : c.rows) {
    rows.append(py::dict(py::arg("section") = r.section, py::arg("metric") = r.metric,
                         py::arg("label") = r.label, py::arg("unit") = r.unit,
                         py::arg("base_mean") = r.base_mean, py::arg("policy_mean") = r.policy_mean,
                         py::arg("difference") = r.diff_mean, py::arg("ci_low") = r.diff_lo,
                         py::arg("ci_high") = r.diff_hi));
  }
  py::dict d;
  d["base_name"] = c.base_name;
  d["policy_name"] = c.policy_name;
  d["seed"] = c.seed;
  d["replicates"] = c.replicates;
  d["months"] = c.months;
  d["rows"] = rows;
  d["csv"] = experiment::comparison_csv(c);
  d["json"] = experiment::comparison_json(c);
  return d;
}

std::vector<std::string> as_texts(const OverridePairs& overrides) {
  std::vector<std::string> out;
  for (const auto& [key, value] : overrides) out.push_back(key + "=" + value);
  return out;
}

py::dict compare(const Config& base, const Config& policy, int replicates, int threads,
                 const std::optional<std::string>& folder, bool force, const std::string& base_file,
                 const std::string& policy_file, const OverridePairs& base_overrides,
                 const OverridePairs& policy_overrides) {
  // Before the folder is touched: a pair that cannot be compared changes nothing on disk.
  experiment::check_comparable(base, policy);
  std::optional<experiment::ComparisonWriter> writer;
  if (folder) writer.emplace(*folder, force);

  experiment::Comparison comparison;
  run_interruptibly([&](const std::atomic<bool>& stop) {
    experiment::ReplicateOptions options;
    options.threads = threads;
    options.stop = &stop;
    try {
      comparison = experiment::compare(base, policy, replicates, options);
    } catch (const experiment::Stopped&) {
      throw WorkStopped{};
    }
  });
  comparison.base_file = base_file;
  comparison.policy_file = policy_file;
  comparison.base_overrides = as_texts(base_overrides);
  comparison.policy_overrides = as_texts(policy_overrides);
  py::dict d = comparison_dict(comparison);
  if (writer) {
    writer->write(comparison);
    d["folder"] = writer->folder().string();
  } else {
    d["folder"] = py::none();
  }
  return d;
}

// The command line's default database name (runs/<name>.db) keeps only the characters a file
// name should hold, as `mercato` does.
std::string default_database(std::string name) {
  for (char& c : name) {
    const bool plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                       c == '-' || c == '_' || c == '.';
    if (!plain) c = '_';
  }
  if (name.empty() || name == "." || name == "..") name = "run";
  return "runs/" + name + ".db";
}

experiment::OnError on_error_of(const std::string& text) {
  if (text == "stop") return experiment::OnError::stop;
  if (text == "continue") return experiment::OnError::continue_;
  throw UsageError("on_error must be 'stop' or 'continue' (got '" + text + "')");
}

// The command line's default: every core (one process; MPI is not used from Python).
int threads_or_default(std::optional<int> threads) {
  if (threads) return *threads;
  return static_cast<int>(std::max(1U, std::thread::hardware_concurrency()));
}

py::dict run_experiment(const scenario::Experiment& e, const std::string& kind,
                        const std::string& database, std::optional<int> threads,
                        const std::string& on_error, bool force) {
  experiment::SweepOptions options;
  options.threads = threads_or_default(threads);
  if (options.threads < 1) throw UsageError("threads must be at least 1");
  options.on_error = on_error_of(on_error);
  options.replace = force;
  experiment::SweepResult r;
  run_interruptibly([&](const std::atomic<bool>& stop) {
    options.stop = &stop;
    r = experiment::run_experiment(e, kind, database, options);
  });
  py::dict d;
  d["name"] = e.name;
  d["database"] = r.database.string();
  d["aggregates"] = r.aggregates.string();
  d["total"] = r.progress.total;
  d["skipped"] = r.progress.skipped;
  d["done"] = r.progress.done;
  d["failed"] = r.progress.failed;
  d["seconds"] = r.progress.seconds;
  d["stopped"] = r.stopped;
  d["halted"] = r.halted;
  d["first_failed_run"] = r.first_failed_run;
  d["first_error"] = r.first_error;
  d["talent_months"] = r.talent_months;
  return d;
}

}  // namespace

void register_experiments(py::module_& m) {
  m.def("compare", &compare, py::arg("base"), py::arg("policy"), py::arg("replicates"),
        py::arg("threads"), py::arg("folder"), py::arg("force"), py::arg("base_file"),
        py::arg("policy_file"), py::arg("base_overrides"), py::arg("policy_overrides"),
        "Runs both scenarios' replicates with common random numbers and returns the rows of "
        "docs/compare.md (and the files' text; written to `folder` when given).");
  m.def(
      "ensemble",
      [](const std::string& scenario_file, const OverridePairs& overrides, int replicates,
         std::optional<std::uint64_t> seed, std::optional<int> months,
         const std::vector<std::string>& keep, const std::optional<std::string>& database,
         std::optional<int> threads, const std::string& on_error, bool force) {
        std::vector<scenario::Override> o;
        for (const auto& [key, value] : overrides) o.push_back({key, value});
        const scenario::Experiment e =
            scenario::ensemble_experiment(scenario_file, o, replicates, seed, months, keep);
        // The command line's default: runs/<name>-ensemble.db.
        const std::string path = database ? *database : default_database(e.name + "-ensemble");
        return run_experiment(e, "ensemble", path, threads, on_error, force);
      },
      py::arg("scenario_file"), py::arg("overrides"), py::arg("replicates"), py::arg("seed"),
      py::arg("months"), py::arg("keep"), py::arg("database"), py::arg("threads"),
      py::arg("on_error"), py::arg("force"), "`mercato ensemble`: replicates into a database.");
  m.def(
      "sweep",
      [](const std::string& experiment_file, const std::optional<std::string>& database,
         std::optional<int> threads, const std::string& on_error, bool force) {
        const scenario::Experiment e = scenario::load_experiment(experiment_file);
        std::string name = e.name;
        if (name.empty()) name = std::filesystem::path(experiment_file).stem().string();
        const std::string path = database ? *database : default_database(name);
        return run_experiment(e, "sweep", path, threads, on_error, force);
      },
      py::arg("experiment_file"), py::arg("database"), py::arg("threads"), py::arg("on_error"),
      py::arg("force"), "`mercato sweep`: an experiment file's points into a database.");
}

}  // namespace mercato::python
