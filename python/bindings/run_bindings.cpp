// `mercato.run`: the same calls as `mercato run` (apps/mercato/commands.cpp), writing the same
// folder with io::RunWriter, so a run from Python gives the command line's bytes for the same
// scenario and seed. The Python layer reads the tables back into pandas.
#include <pybind11/stl.h>

#include <chrono>
#include <string>
#include <utility>
#include <vector>

#include "bindings.hpp"
#include "mercato/engine/simulation.hpp"
#include "mercato/io/outputs.hpp"
#include "mercato/scenario/scenario.hpp"

namespace mercato::python {

namespace {

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

std::vector<std::string> run_to_folder(const Config& config, const std::string& folder, int threads,
                                       bool force, const std::string& command_line) {
  if (threads < 1) throw UsageError("threads must be at least 1");
  // Applies the folder policy and opens the files now, before any simulation work.
  io::RunWriter writer(folder, config.outputs, io::describe_run(config, threads, command_line),
                       force);
  run_interruptibly([&](const std::atomic<bool>& stop) {
    const auto build_started = std::chrono::steady_clock::now();
    World world = scenario::build_world(config);
    std::vector<Event> events = scenario::build_events(config, world);
    const double build_seconds = seconds_since(build_started);
    if (stop.load()) throw WorkStopped{};

    Simulation simulation(std::move(world), scenario::simulation_options(config, threads),
                          std::move(events));
    const auto warmup_started = std::chrono::steady_clock::now();
    simulation.warm_up();
    const double warmup_seconds = seconds_since(warmup_started);
    if (stop.load()) throw WorkStopped{};

    writer.set_setup_timings(build_seconds, warmup_seconds);
    const std::vector<Observer*> observers = {&writer};
    run_simulation(simulation, observers, [&stop](int done, int total) {
      // After the last month the outputs are complete; keep them (as the command line does).
      if (done < total && stop.load()) throw WorkStopped{};
    });
  });
  return writer.file_names();
}

}  // namespace

void register_run(py::module_& m) {
  m.def("run_to_folder", &run_to_folder, py::arg("config"), py::arg("folder"), py::arg("threads"),
        py::arg("force"), py::arg("command_line"),
        "Runs a scenario and writes its folder as `mercato run -o FOLDER` does; returns the "
        "file names written. The GIL is released; Ctrl-C raises KeyboardInterrupt and leaves "
        "no file under a final name.");
}

}  // namespace mercato::python
