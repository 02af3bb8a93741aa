// The calibration file (docs/calibration.md): read with the scenario's source tree so every
// problem names file:line:column, checked key by key, then checked against the base scenario
// (each parameter at both ends of its range) and against data/figures.yaml.
#include "mercato/scenario/calibration.hpp"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <filesystem>
#include <map>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "scenario/schema.hpp"
#include "scenario/source_tree.hpp"

namespace mercato::scenario {

namespace {

namespace fs = std::filesystem;
using detail::describe;
using detail::Diagnostics;
using detail::SourceEntry;
using detail::SourceMark;
using detail::SourceNode;

constexpr std::array<std::string_view, 14> kTopKeys = {
    "name",          "description", "scenario",  "figures", "set",        "seed",    "months",
    "warmup_months", "replicates",  "optimiser", "budget",  "parameters", "targets", "threads"};
constexpr std::array<std::string_view, 4> kParameterKeys = {"key", "range", "log", "start"};
constexpr std::array<std::string_view, 6> kTargetKeys = {"measure", "figure",    "value",
                                                         "range",   "tolerance", "weight"};
constexpr std::array<std::string_view, 5> kOptimiserNames = {"bobyqa", "nelder_mead", "crs2",
                                                             "isres", "none"};
constexpr int kMaxReplicates = 10000;
constexpr int kMaxBudget = 1000000;

std::vector<std::string> strings(std::span<const std::string_view> words) {
  return {words.begin(), words.end()};
}

// The entries of a map node, each checked against `known`; unknown keys reported.
std::vector<const SourceEntry*> known_entries(const SourceNode& node, const std::string& path,
                                              std::span<const std::string_view> known,
                                              Diagnostics& d) {
  std::vector<const SourceEntry*> out(known.size(), nullptr);
  const std::vector<std::string> names = strings(known);
  for (const auto& e : node.entries) {
    const auto it = std::find(known.begin(), known.end(), e.key);
    const std::string key = path.empty() ? e.key : path + "." + e.key;
    if (it == known.end())
      d.add(e.key_mark, key,
            fmt::format("unknown key '{}'{}", e.key, detail::suggestion(e.key, names)));
    else if (!e.value.is_null())
      out[static_cast<std::size_t>(it - known.begin())] = &e;
  }
  return out;
}

const SourceEntry* pick(const std::vector<const SourceEntry*>& entries,
                        std::span<const std::string_view> known, std::string_view key) {
  for (std::size_t i = 0; i < known.size(); ++i)
    if (known[i] == key) return entries[i];
  return nullptr;
}

fs::path resolve(const std::string& dir, const std::string& written) {
  const fs::path p(written);
  return p.is_absolute() ? p : (fs::path(dir) / p).lexically_normal();
}

// What the scenario says about a set of overrides: nothing when it loads, else its messages.
std::vector<std::string> objections(const std::string& scenario_file,
                                    const std::vector<Override>& overrides) {
  try {
    load(scenario_file, overrides);
  } catch (const ScenarioError& e) {
    std::vector<std::string> out;
    for (const auto& diag : e.diagnostics())
      out.push_back(diag.line == 0 ? fmt::format("{}: {}", diag.key, diag.message)
                                   : diag.to_string());
    return out;
  } catch (const Error& e) {
    return {e.what()};
  }
  return {};
}

class Reader {
 public:
  Reader(Calibration& c, Diagnostics& d, std::string dir) : c_(c), d_(d), dir_(std::move(dir)) {}

  void read(const SourceNode& root);
  void check_against_scenario(const MeasureKeys& measure_keys);
  void read_figures();

 private:
  std::optional<double> number(const SourceNode& n, const std::string& path) {
    return detail::read_number(n, path, d_);
  }
  std::optional<int> integer(const SourceNode& n, const std::string& path, double lo, double hi) {
    const auto x = number(n, path);
    if (!x || !detail::is_whole_in(n, path, *x, detail::closed(lo, hi), d_)) return std::nullopt;
    return static_cast<int>(*x);
  }
  std::optional<std::string> text(const SourceNode& n, const std::string& path) {
    if (n.is_scalar() && !n.scalar.empty()) return n.scalar;
    d_.add(n.mark, path, fmt::format("expected a string, got {}", describe(n)));
    return std::nullopt;
  }
  std::optional<std::pair<double, double>> range(const SourceNode& n, const std::string& path);
  void read_parameter(const SourceNode& n, std::size_t i);
  void read_target(const SourceNode& n, std::size_t i);

  Calibration& c_;
  Diagnostics& d_;
  std::string dir_;
  SourceMark scenario_mark_, figures_mark_;
  bool scenario_ok_ = false;
  std::vector<SourceMark> parameter_marks_, measure_marks_, figure_marks_;
  std::vector<double> tolerances_;  // per target; 0 for none
};

std::optional<std::pair<double, double>> Reader::range(const SourceNode& n,
                                                       const std::string& path) {
  if (!n.is_sequence() || n.items.size() != 2) {
    d_.add(n.mark, path, fmt::format("expected [low, high], got {}", describe(n)));
    return std::nullopt;
  }
  const auto lo = number(n.items[0], path), hi = number(n.items[1], path);
  if (!lo || !hi) return std::nullopt;
  if (!(*lo < *hi)) {
    d_.add(n.mark, path,
           fmt::format("expected low < high, got [{}, {}]", n.items[0].scalar, n.items[1].scalar));
    return std::nullopt;
  }
  return std::pair{*lo, *hi};
}

void Reader::read(const SourceNode& root) {
  if (!root.is_map()) {
    d_.add(root.mark, "",
           fmt::format("expected a map of calibration keys (scenario, parameters, targets, "
                       "...), got {}",
                       describe(root)));
    return;
  }
  const auto top = known_entries(root, "", kTopKeys, d_);
  auto at = [&](std::string_view key) { return pick(top, kTopKeys, key); };
  if (const auto* e = at("threads"))
    d_.add(e->key_mark, "threads",
           "threads are a property of the machine, not of the calibration: use --threads");
  if (const auto* e = at("name"))
    if (auto v = text(e->value, "name")) c_.name = *v;
  if (const auto* e = at("description"))
    if (auto v = text(e->value, "description")) c_.description = *v;
  if (const auto* e = at("scenario")) {
    scenario_mark_ = e->value.mark;
    if (auto v = text(e->value, "scenario")) {
      c_.scenario_as_written = *v;
      c_.scenario_file = resolve(dir_, *v).string();
      std::error_code ec;
      if (!fs::is_regular_file(c_.scenario_file, ec))
        d_.add(e->value.mark, "scenario",
               fmt::format("base scenario '{}' not found (resolved against the calibration's "
                           "folder: '{}')",
                           *v, c_.scenario_file));
      else
        scenario_ok_ = true;
    }
  } else {
    d_.add(root.mark, "scenario",
           "missing required key 'scenario' (the base scenario file, relative to this file's "
           "folder)");
  }
  if (const auto* e = at("figures")) {
    figures_mark_ = e->value.mark;
    if (auto v = text(e->value, "figures")) c_.figures_file = resolve(dir_, *v).string();
  }
  if (const auto* e = at("set")) {
    if (!e->value.is_map())
      d_.add(e->value.mark, "set",
             fmt::format("expected a map of key paths to values, got {}", describe(e->value)));
    for (const auto& s : e->value.entries) {
      if (s.value.is_scalar())
        c_.fixed.push_back({s.key, s.value.scalar});
      else
        d_.add(s.value.mark, "set." + s.key,
               fmt::format("expected a number or a word, got {}", describe(s.value)));
    }
  }
  if (const auto* e = at("seed"))
    if (auto v = number(e->value, "seed");
        v && detail::is_whole_in(e->value, "seed", *v, detail::closed(0, 9.007e15), d_))
      c_.seed = static_cast<std::uint64_t>(*v);
  if (const auto* e = at("months")) c_.months = integer(e->value, "months", 1, 1200);
  if (const auto* e = at("warmup_months"))
    c_.warmup_months = integer(e->value, "warmup_months", 0, 1200);
  if (const auto* e = at("replicates"))
    if (auto v = integer(e->value, "replicates", 1, kMaxReplicates)) c_.replicates = *v;
  if (const auto* e = at("optimiser")) {
    if (auto v = text(e->value, "optimiser")) {
      const auto it = std::find(kOptimiserNames.begin(), kOptimiserNames.end(), *v);
      if (it == kOptimiserNames.end())
        d_.add(e->value.mark, "optimiser",
               fmt::format("unknown optimiser '{}'{}", *v,
                           detail::suggestion(*v, strings(kOptimiserNames))));
      else
        c_.optimiser = static_cast<Optimiser>(it - kOptimiserNames.begin());
    }
  }
  if (const auto* e = at("budget")) {
    if (auto v = integer(e->value, "budget", 1, kMaxBudget)) c_.budget = *v;
    if (c_.optimiser == Optimiser::none && c_.budget != 1)
      d_.add(e->value.mark, "budget",
             "optimiser none evaluates the starts once: expected 1 or no budget");
  } else if (c_.optimiser == Optimiser::none) {
    c_.budget = 1;
  } else {
    d_.add(root.mark, "budget", "missing required key 'budget' (evaluations, >= 1)");
  }
  if (const auto* e = at("parameters"); e && e->value.is_sequence() && !e->value.items.empty()) {
    for (std::size_t i = 0; i < e->value.items.size(); ++i) read_parameter(e->value.items[i], i);
  } else {
    d_.add(e ? e->value.mark : root.mark, "parameters",
           "expected a list of free parameters ({key, range: [low, high]}), at least one");
  }
  if (const auto* e = at("targets"); e && e->value.is_sequence() && !e->value.items.empty()) {
    for (std::size_t i = 0; i < e->value.items.size(); ++i) read_target(e->value.items[i], i);
  } else {
    d_.add(e ? e->value.mark : root.mark, "targets",
           "expected a list of targets ({measure, figure or value, weight}), at least one");
  }
}

void Reader::read_parameter(const SourceNode& n, std::size_t i) {
  const std::string path = fmt::format("parameters[{}]", i);
  if (!n.is_map()) {
    d_.add(n.mark, path, fmt::format("expected {{key, range: [low, high]}}, got {}", describe(n)));
    return;
  }
  const auto e = known_entries(n, path, kParameterKeys, d_);
  auto at = [&](std::string_view key) { return pick(e, kParameterKeys, key); };
  CalibrationParameter p;
  bool ok = true;
  if (const auto* k = at("key")) {
    auto v = text(k->value, path + ".key");
    ok = ok && v;
    if (v) p.key = *v;
  } else {
    d_.add(n.mark, path + ".key", "missing required key 'key' (a --set key path)");
    ok = false;
  }
  if (const auto* r = at("range")) {
    auto v = range(r->value, path + ".range");
    ok = ok && v;
    if (v) std::tie(p.low, p.high) = *v;
  } else {
    d_.add(n.mark, path + ".range", "missing required key 'range' ([low, high])");
    ok = false;
  }
  if (const auto* l = at("log")) {
    if (l->value.is_scalar() && (l->value.scalar == "true" || l->value.scalar == "false"))
      p.log = l->value.scalar == "true";
    else
      d_.add(l->value.mark, path + ".log",
             fmt::format("expected true or false, got {}", describe(l->value)));
  }
  if (ok && p.log && p.low <= 0)
    d_.add(at("range")->value.mark, path + ".range",
           fmt::format("a log-scale range must be above 0, got low = {}", p.low));
  if (const auto* s = at("start")) {
    p.start = number(s->value, path + ".start");
    // A start a rounding error outside its range (a log-scale end written back by the
    // optimiser, e.g. 63.99999999999998 for 64, copied from trace.csv) is taken as the end.
    const double slack = 1e-9 * std::max(std::abs(p.low), std::abs(p.high));
    if (p.start && ok && *p.start >= p.low - slack && *p.start <= p.high + slack)
      p.start = std::clamp(*p.start, p.low, p.high);
    if (p.start && ok && (*p.start < p.low || *p.start > p.high))
      d_.add(s->value.mark, path + ".start",
             fmt::format("expected a start within the range [{}, {}], got {}", p.low, p.high,
                         *p.start));
  }
  for (const auto& q : c_.parameters)
    if (ok && q.key == p.key)
      d_.add(at("key")->value.mark, path + ".key",
             fmt::format("parameter '{}' is listed twice", p.key));
  parameter_marks_.push_back(ok ? at("key")->value.mark : n.mark);
  c_.parameters.push_back(p);
}

void Reader::read_target(const SourceNode& n, std::size_t i) {
  const std::string path = fmt::format("targets[{}]", i);
  if (!n.is_map()) {
    d_.add(n.mark, path, fmt::format("expected {{measure, figure, weight}}, got {}", describe(n)));
    return;
  }
  const auto e = known_entries(n, path, kTargetKeys, d_);
  auto at = [&](std::string_view key) { return pick(e, kTargetKeys, key); };
  CalibrationTarget t;
  double tolerance = 0;
  if (const auto* m = at("measure")) {
    if (auto v = text(m->value, path + ".measure")) t.measure = *v;
    measure_marks_.push_back(m->value.mark);
  } else {
    d_.add(n.mark, path + ".measure",
           "missing required key 'measure' (what to compute from a run, e.g. "
           "top_work_share.US)");
    measure_marks_.push_back(n.mark);
  }
  const auto* figure = at("figure");
  const auto* value = at("value");
  if (figure && value)
    d_.add(value->key_mark, path + ".value", "a target has a `figure` or a `value`, not both");
  else if (!figure && !value)
    d_.add(n.mark, path,
           "missing 'figure' (a key of data/figures.yaml, e.g. work_shares_top_tier_2019.US) "
           "or 'value'");
  if (figure)
    if (auto v = text(figure->value, path + ".figure")) t.figure = *v;
  figure_marks_.push_back(figure ? figure->value.mark : n.mark);
  if (value)
    if (auto v = number(value->value, path + ".value")) t.value = *v;
  if (const auto* r = at("range"))
    if (auto v = range(r->value, path + ".range")) {
      t.has_range = true;
      std::tie(t.low, t.high) = *v;
    }
  if (const auto* tol = at("tolerance")) {
    if (at("range"))
      d_.add(tol->key_mark, path + ".tolerance",
             "a target has a `range` or a `tolerance`, not both");
    if (auto v = number(tol->value, path + ".tolerance")) {
      if (*v <= 0)
        d_.add(tol->value.mark, path + ".tolerance",
               fmt::format("expected a tolerance > 0, got {}", tol->value.scalar));
      tolerance = *v;  // made a range once the value is known (read_figures)
    }
  }
  tolerances_.push_back(tolerance);
  if (const auto* w = at("weight"))
    if (auto v = number(w->value, path + ".weight")) {
      if (*v < 0)
        d_.add(w->value.mark, path + ".weight",
               fmt::format("expected a weight >= 0, got {}", w->value.scalar));
      t.weight = *v;
    }
  c_.targets.push_back(t);
}

// A figure: `key.sub.sub` looked up under `targets:` then `inputs:`; below the entry each part
// is looked up in its `values:` map first. The end is a number, a [low, high] range, or a map
// with `value` and/or `range`.
std::optional<std::string> find_figure(const YAML::Node& figures, const std::string& key,
                                       CalibrationTarget& t) {
  std::vector<std::string> parts;
  std::size_t from = 0;
  for (std::size_t dot; (dot = key.find('.', from)) != std::string::npos; from = dot + 1)
    parts.push_back(key.substr(from, dot - from));
  parts.push_back(key.substr(from));
  YAML::Node node;
  for (const char* section : {"targets", "inputs"})
    if (figures[section] && figures[section][parts[0]]) {
      node.reset(figures[section][parts[0]]);  // reset rebinds; `=` would overwrite
      break;
    }
  if (!node) return fmt::format("no figure '{}' under targets or inputs", parts[0]);
  for (std::size_t i = 1; i < parts.size(); ++i) {
    if (node.IsMap() && node["values"] && node["values"][parts[i]])
      node.reset(node["values"][parts[i]]);
    else if (node.IsMap() && node[parts[i]])
      node.reset(node[parts[i]]);
    else
      return fmt::format("figure '{}' has no '{}'", parts[0], parts[i]);
  }
  auto range_of = [&](const YAML::Node& r) {
    if (!r.IsSequence() || r.size() != 2) return false;
    t.has_range = true;
    t.low = r[0].as<double>();
    t.high = r[1].as<double>();
    return true;
  };
  try {
    if (node.IsScalar()) {
      t.value = node.as<double>();
      return std::nullopt;
    }
    if (node.IsSequence() && range_of(node)) {
      t.value = (t.low + t.high) / 2;
      return std::nullopt;
    }
    if (node.IsMap() && node["value"]) {
      t.value = node["value"].as<double>();
      if (node["range"]) range_of(node["range"]);
      return std::nullopt;
    }
    if (node.IsMap() && node["range"] && range_of(node["range"])) {
      t.value = (t.low + t.high) / 2;
      return std::nullopt;
    }
  } catch (const YAML::Exception&) {
  }
  return fmt::format("figure '{}' is not a number, a [low, high] range or a map with `value`", key);
}

void Reader::read_figures() {
  const bool any = std::any_of(c_.targets.begin(), c_.targets.end(),
                               [](const auto& t) { return !t.figure.empty(); });
  YAML::Node figures;
  if (any) {
    if (c_.figures_file.empty()) c_.figures_file = resolve(dir_, "../data/figures.yaml").string();
    try {
      figures = YAML::LoadFile(c_.figures_file);
    } catch (const YAML::Exception& e) {
      d_.add(figures_mark_, "figures",
             fmt::format("cannot read the figures file '{}': {}", c_.figures_file, e.what()));
      return;
    }
  }
  for (std::size_t i = 0; i < c_.targets.size(); ++i) {
    CalibrationTarget& t = c_.targets[i];
    const double tolerance = tolerances_[i];
    if (!t.figure.empty()) {
      CalibrationTarget found = t;
      found.has_range = false;
      if (auto problem = find_figure(figures, t.figure, found)) {
        d_.add(figure_marks_[i], fmt::format("targets[{}].figure", i),
               fmt::format("{} in '{}'", *problem, c_.figures_file));
        continue;
      }
      t.value = found.value;
      if (!t.has_range && found.has_range) {
        t.has_range = true;
        t.low = found.low;
        t.high = found.high;
      }
    }
    if (tolerance > 0) {
      t.has_range = true;
      t.low = t.value - tolerance;
      t.high = t.value + tolerance;
    }
  }
}

void Reader::check_against_scenario(const MeasureKeys& measure_keys) {
  if (!scenario_ok_) return;
  for (const auto& m : objections(c_.scenario_file, c_.fixed))
    d_.add(scenario_mark_, "scenario",
           fmt::format("the base scenario (with `set:`) does not load: {}", m));
  if (d_.reported("scenario")) return;
  const Config base = load(c_.scenario_file, c_.fixed);
  for (std::size_t j = 0; j < c_.parameters.size(); ++j) {
    const auto& p = c_.parameters[j];
    if (p.key.empty() || !(p.low < p.high)) continue;
    for (const double end : {p.low, p.high}) {
      std::vector<Override> o = c_.fixed;
      o.push_back({p.key, format_parameter(end)});
      const auto no = objections(c_.scenario_file, o);
      for (const auto& m : no)
        d_.add(parameter_marks_[j], fmt::format("parameters[{}].key", j),
               fmt::format("the scenario rejects {} = {}: {}", p.key, format_parameter(end), m));
      if (!no.empty()) break;
    }
  }
  const std::vector<std::string> known = measure_keys(base);
  for (std::size_t i = 0; i < c_.targets.size(); ++i) {
    const auto& m = c_.targets[i].measure;
    if (m.empty() || std::find(known.begin(), known.end(), m) != known.end()) continue;
    d_.add(measure_marks_[i], fmt::format("targets[{}].measure", i),
           fmt::format("unknown measure '{}'{}", m, detail::suggestion(m, known)));
  }
}

}  // namespace

std::string_view to_string(Optimiser o) {
  return kOptimiserNames[static_cast<std::size_t>(o)];
}

double CalibrationTarget::scale() const {
  if (has_range && high > low) return (high - low) / 2;
  return std::abs(value) > 0 ? std::abs(value) : 1.0;
}

Calibration load_calibration(const std::string& path, const MeasureKeys& measure_keys) {
  std::error_code ec;
  if (!fs::is_regular_file(path, ec))
    throw IoError(fmt::format("cannot read calibration file '{}': {}", path,
                              fs::exists(path, ec) ? "not a file" : "no such file"));
  const std::string text = detail::read_scenario_file(path);
  Diagnostics diagnostics;
  bool ok = false;
  const SourceNode root = detail::parse_yaml(text, path, diagnostics, ok);
  diagnostics.throw_if_any();
  Calibration c;
  c.file = path;
  c.name = fs::path(path).stem().string();
  Reader reader(c, diagnostics, fs::path(path).parent_path().string());
  reader.read(root);
  reader.read_figures();
  reader.check_against_scenario(measure_keys);
  diagnostics.throw_if_any();
  return c;
}

std::string format_parameter(double value) {
  return fmt::format("{}", value == 0 ? 0.0 : value);
}

void apply_command_line_sets(Calibration& c, const std::vector<Override>& sets) {
  for (const Override& set : sets) {
    const auto p = std::find_if(c.parameters.begin(), c.parameters.end(),
                                [&](const CalibrationParameter& q) { return q.key == set.key; });
    if (p == c.parameters.end()) {
      c.fixed.push_back(set);
      continue;
    }
    double value = 0;
    const char* end = set.value.data() + set.value.size();
    const auto [ptr, ec] = std::from_chars(set.value.data(), end, value);
    if (ec != std::errc() || ptr != end || !std::isfinite(value))
      throw UsageError(
          fmt::format("--set {}={}: {} is a free parameter; expected a number, got '{}'", set.key,
                      set.value, set.key, set.value));
    if (value < p->low || value > p->high)
      throw UsageError(
          fmt::format("--set {}={}: expected a value within the parameter's range [{}, {}]",
                      set.key, set.value, format_parameter(p->low), format_parameter(p->high)));
    p->start = value;
  }
  for (const auto& m : objections(c.scenario_file, c.fixed))
    throw UsageError(fmt::format("--set: the base scenario does not load with it: {}", m));
}

std::vector<Override> candidate_overrides(const Calibration& c, const std::vector<double>& values) {
  std::vector<Override> out = c.fixed;
  for (std::size_t j = 0; j < c.parameters.size() && j < values.size(); ++j)
    out.push_back({c.parameters[j].key, format_parameter(values[j])});
  if (c.seed) out.push_back({"seed", std::to_string(*c.seed)});
  if (c.months) out.push_back({"months", std::to_string(*c.months)});
  if (c.warmup_months) out.push_back({"model.warmup_months", std::to_string(*c.warmup_months)});
  return out;
}

std::string calibrated_scenario_yaml(const Calibration& c, const std::vector<double>& values,
                                     const std::string& extends_path, const std::string& header) {
  // Overrides in order, so a parameter wins over a `set:` entry of the same key, as in a run.
  std::vector<Override> overrides = c.fixed;
  for (std::size_t j = 0; j < c.parameters.size() && j < values.size(); ++j)
    overrides.push_back({c.parameters[j].key, format_parameter(values[j])});
  YAML::Node root(YAML::NodeType::Map);
  root["mercato"] = 1;
  root["extends"] = extends_path;
  std::map<std::string, std::vector<std::string>> item_order;  // named list -> item names
  std::map<std::string, std::map<std::string, YAML::Node>> items;
  for (const auto& o : overrides) {
    std::vector<std::string> parts;
    std::size_t from = 0;
    for (std::size_t dot; (dot = o.key.find('.', from)) != std::string::npos; from = dot + 1)
      parts.push_back(o.key.substr(from, dot - from));
    parts.push_back(o.key.substr(from));
    YAML::Node node = root;
    std::size_t i = 0;
    if (const auto* list = detail::named_list(parts[0]); list && parts.size() > 2) {
      auto& named = items[parts[0]];
      if (!named.count(parts[1])) {
        YAML::Node item(YAML::NodeType::Map);
        item[std::string(list->key)] = parts[1];
        named.emplace(parts[1], item);
        item_order[parts[0]].push_back(parts[1]);
      }
      node.reset(named.at(parts[1]));  // reset rebinds; `=` would overwrite the root
      i = 2;
    }
    for (; i + 1 < parts.size(); ++i) {
      if (!node[parts[i]] || !node[parts[i]].IsMap())
        node[parts[i]] = YAML::Node(YAML::NodeType::Map);
      node.reset(node[parts[i]]);
    }
    node[parts.back()] = YAML::Load(o.value);
  }
  for (const auto& [section, names] : item_order) {
    YAML::Node list(YAML::NodeType::Sequence);
    for (const auto& n : names) list.push_back(items.at(section).at(n));
    root[section] = list;
  }
  YAML::Emitter out;
  out << root;
  std::string text;
  std::size_t from = 0;
  for (std::size_t nl; from < header.size(); from = nl + 1) {
    nl = header.find('\n', from);
    if (nl == std::string::npos) nl = header.size();
    text += "# " + header.substr(from, nl - from) + "\n";
  }
  return text + out.c_str() + "\n";
}

std::string calibration_fingerprint(const Calibration& c) {
  const Config base = load(c.scenario_file, c.fixed);
  std::string out = "mercato calibration fingerprint 1\n";
  out += fmt::format("seed: {}\nmonths: {}\nwarmup_months: {}\n", c.seed.value_or(base.seed),
                     c.months.value_or(base.months),
                     c.warmup_months.value_or(base.model.warmup_months));
  out += fmt::format("replicates: {}\noptimiser: {}\nbudget: {}\n", c.replicates,
                     to_string(c.optimiser), c.budget);
  for (const auto& p : c.parameters)
    out += fmt::format("parameter: {} [{}, {}] log={} start={}\n", p.key, format_parameter(p.low),
                       format_parameter(p.high), p.log,
                       p.start ? format_parameter(*p.start) : "middle");
  for (const auto& t : c.targets)
    out += fmt::format("target: {} = {} range={} [{}, {}] weight={}\n", t.measure,
                       format_parameter(t.value), t.has_range, format_parameter(t.low),
                       format_parameter(t.high), format_parameter(t.weight));
  out += "scenario:\n" + to_yaml(base);
  return out;
}

}  // namespace mercato::scenario
