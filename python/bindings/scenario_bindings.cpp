// Scenarios: the loader's validated Config, opaque to Python except for what the pure-Python
// Scenario shows (its name, seed, horizon, regions) and its resolved YAML (Scenario.to_dict).
#include <pybind11/stl.h>

#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "bindings.hpp"
#include "mercato/scenario/scenario.hpp"

namespace mercato::python {

namespace {

namespace fs = std::filesystem;

using OverridePairs = std::vector<std::pair<std::string, std::string>>;

std::vector<scenario::Override> overrides_of(const OverridePairs& pairs) {
  std::vector<scenario::Override> out;
  out.reserve(pairs.size());
  for (const auto& [key, value] : pairs) out.push_back({key, value});
  return out;
}

// The command line's checks (apps/mercato/commands.cpp), so a typo in a path gets a message
// about the path, not about YAML.
Config load_file(const std::string& path, const OverridePairs& overrides) {
  std::error_code error;
  if (!fs::exists(path, error)) {
    throw IoError(fmt::format("scenario file {} does not exist", path));
  }
  if (fs::is_directory(path, error)) {
    throw IoError(fmt::format("scenario file {} is a folder, not a file", path));
  }
  return scenario::load(path, overrides_of(overrides));
}

std::string month_text(YearMonth m) {
  return fmt::format("{:04}-{:02}", m.year, m.month);
}

}  // namespace

void register_scenario(py::module_& m) {
  py::class_<Config>(m, "Config", "A loaded and validated scenario (mercato::Config).")
      .def_property_readonly("name", [](const Config& c) { return c.name; })
      .def_property_readonly("description", [](const Config& c) { return c.description; })
      .def_property_readonly("source_file", [](const Config& c) { return c.source_file; })
      .def_property_readonly("seed", [](const Config& c) { return c.seed; })
      .def_property_readonly("months", [](const Config& c) { return c.months; })
      .def_property_readonly("scale", [](const Config& c) { return c.scale; })
      .def_property_readonly("start", [](const Config& c) { return month_text(c.start); })
      .def_property_readonly("region_ids",
                             [](const Config& c) {
                               std::vector<std::string> ids;
                               for (const RegionConfig& r : c.regions) ids.push_back(r.id);
                               return ids;
                             })
      .def(
          "to_yaml", [](const Config& c) { return scenario::to_yaml(c); },
          "The fully resolved scenario as YAML (every key, defaults filled in).")
      .def(
          "build_world_sizes",
          [](const Config& c) {
            // Building the world checks what only the builder can (a pool that cannot be
            // placed) and gives the sizes after `scale`, as `mercato validate` does.
            World world;
            {
              py::gil_scoped_release release;
              world = scenario::build_world(c);
            }
            return py::dict(py::arg("regions") = world.regions.size(),
                            py::arg("organisations") = world.orgs.size(),
                            py::arg("talents") = world.talents.size());
          },
          "Builds the initial World and returns its sizes.");

  m.def("load_scenario", &load_file, py::arg("path"), py::arg("overrides"),
        "Loads a scenario file with (key, value-as-YAML) overrides; raises ScenarioError.");
  m.def(
      "load_scenario_string",
      [](const std::string& text, const std::string& name, const OverridePairs& overrides,
         const std::string& base_dir) {
        return scenario::load_string(text, name, overrides_of(overrides), base_dir);
      },
      py::arg("text"), py::arg("name"), py::arg("overrides"), py::arg("base_dir"),
      "Loads a scenario from YAML text; `name` is used in messages.");
  m.def(
      "parse_override",
      [](const std::string& text) {
        const scenario::Override o = scenario::parse_override(text);
        return std::pair{o.key, o.value};
      },
      py::arg("text"), "Splits 'key.path=value' as --set does; raises UsageError.");
}

}  // namespace mercato::python
