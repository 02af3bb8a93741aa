// `mercato._mercato`: the compiled half of the `mercato` package. Its names are private; the
// documented interface is the pure-Python package (python/mercato/, docs/python.md).
#include <string>

#include "bindings.hpp"
#include "mercato/core/error.hpp"
#include "mercato/io/outputs.hpp"

namespace mercato::python {

namespace {

// The exception classes live in mercato/errors.py (so they are plain Python classes with
// documented attributes); raising one means importing them when an error happens.
py::object error_class(const char* name) {
  return py::module_::import("mercato.errors").attr(name);
}

void raise_as(const char* name, const std::string& message) {
  const py::object error = error_class(name)(message);
  PyErr_SetObject(error.get_type().ptr(), error.ptr());
}

py::object unknown_to_none(int value) {
  return value > 0 ? py::object(py::int_(value)) : py::object(py::none());
}

}  // namespace

void register_errors(py::module_& m) {
  py::register_exception_translator([](std::exception_ptr p) {
    if (!p) return;
    try {
      std::rethrow_exception(p);
    } catch (const ScenarioError& e) {
      py::list diagnostics;
      for (const ScenarioDiagnostic& d : e.diagnostics()) {
        diagnostics.append(py::dict(py::arg("file") = d.file,
                                    py::arg("line") = unknown_to_none(d.line),
                                    py::arg("column") = unknown_to_none(d.column),
                                    py::arg("key") = d.key, py::arg("message") = d.message));
      }
      const py::object error = error_class("ScenarioError")(e.what(), diagnostics);
      PyErr_SetObject(error.get_type().ptr(), error.ptr());
    } catch (const UsageError& e) {
      raise_as("UsageError", e.what());
    } catch (const IoError& e) {
      raise_as("IoError", e.what());
    } catch (const Error& e) {
      raise_as("Error", e.what());
    }
  });
  m.def(
      "version", [] { return std::string(io::mercato_version()); },
      "The library's version, as `mercato --version` prints it.");
}

}  // namespace mercato::python

PYBIND11_MODULE(_mercato, m) {
  m.doc() = "The compiled core of the mercato package; use the `mercato` package instead.";
  mercato::python::register_errors(m);
  mercato::python::register_scenario(m);
  mercato::python::register_run(m);
  mercato::python::register_simulation(m);
  mercato::python::register_experiments(m);
}
