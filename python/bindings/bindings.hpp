// The pieces of the `_mercato` extension module (docs/python.md). The module only calls the
// library (ARCHITECTURE.md, Layers); the pure-Python package on top turns what it returns into
// pandas tables and plots.
#pragma once

#include <pybind11/pybind11.h>

#include <atomic>
#include <functional>

namespace mercato::python {

namespace py = pybind11;

// Runs `work` on a worker thread with the GIL released, while the calling thread watches for
// Ctrl-C: Python's signal handlers only run on the main thread, and the library's parallel
// experiments report progress from their own workers, so the check cannot live in a progress
// callback. On a pending signal `stop` is set, the work is expected to end soon (the library
// polls it once a month), and the Python exception the handler raised (KeyboardInterrupt) is
// re-raised here. An exception thrown by `work` is rethrown on the calling thread, where
// pybind11 translates it.
void run_interruptibly(const std::function<void(const std::atomic<bool>& stop)>& work);

// Thrown by work that noticed `stop`; never reaches Python (the signal's exception wins).
struct WorkStopped {};

void register_errors(py::module_& m);
void register_scenario(py::module_& m);
void register_run(py::module_& m);
void register_simulation(py::module_& m);
void register_experiments(py::module_& m);

}  // namespace mercato::python
