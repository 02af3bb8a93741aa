// The experiment file (docs/experiments.md): read with the scenario's source tree so every
// problem names file:line:column, checked key by key, expanded into points, then every point
// loaded against the base scenario so a key path or a value the scenario rejects is reported
// at the line of the experiment file that wrote it.
#include "mercato/scenario/experiment.hpp"

#include <Random123/philox.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <numeric>
#include <set>
#include <sstream>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "core/rng.hpp"
#include "scenario/schema.hpp"
#include "scenario/source_tree.hpp"

namespace mercato::scenario {

namespace {

namespace fs = std::filesystem;
using detail::describe;
using detail::Diagnostics;
using detail::Range;
using detail::SourceEntry;
using detail::SourceMark;
using detail::SourceNode;

constexpr std::array<std::string_view, 11> kTopKeys = {
    "name",       "description", "scenario", "set",        "seed", "months",
    "replicates", "design",      "samples",  "parameters", "keep"};
constexpr std::array<std::string_view, 5> kParameterKeys = {"key", "values", "range", "steps",
                                                            "log"};
constexpr std::array<std::string_view, 2> kDesignNames = {"grid", "lhs"};
constexpr int kMaxReplicates = 1'000'000;
// Messages about whole points stop after this many: one mistake usually breaks them all.
constexpr int kMaxPointReports = 5;
// Latin hypercube draws: Philox counters whose first word is no engine stream's
// (core/rng.hpp puts a stream below 256 in the top byte), keyed by the seed as the engine is.
constexpr std::uint32_t kLhsStream = 0x4C485331;  // "LHS1"
// Experiment files are hand-written text, like scenarios.
constexpr std::uintmax_t kMaxFileBytes = 64u << 20;

std::vector<std::string> strings(std::span<const std::string_view> words) {
  return {words.begin(), words.end()};
}

std::string read_experiment_file(const std::string& path) {
  std::error_code ec;
  if (fs::is_directory(path, ec))
    throw IoError(fmt::format("cannot read experiment file '{}': it is a directory", path));
  std::ifstream in(path, std::ios::binary);
  if (!in)
    throw IoError(fmt::format("cannot read experiment file '{}': {}", path, std::strerror(errno)));
  const auto size = fs::file_size(path, ec);
  if (!ec && size > kMaxFileBytes)
    throw IoError(
        fmt::format("cannot read experiment file '{}': {} bytes is not an experiment "
                    "(limit {})",
                    path, size, kMaxFileBytes));
  std::ostringstream bytes;
  bytes << in.rdbuf();
  if (in.bad()) throw IoError(fmt::format("cannot read experiment file '{}': read error", path));
  return std::move(bytes).str();
}

// A dotted key path as `--set` takes it.
bool well_formed_key(const std::string& key) {
  return !key.empty() && key.front() != '.' && key.back() != '.' &&
         key.find("..") == std::string::npos && key.find('=') == std::string::npos;
}

// --- YAML text of a value ---------------------------------------------------------------------

void emit(YAML::Emitter& out, const SourceNode& node) {
  switch (node.type) {
    case SourceNode::Type::null:
      out << YAML::Null;
      return;
    case SourceNode::Type::scalar:
      out << node.scalar;
      return;
    case SourceNode::Type::sequence:
      out << YAML::Flow << YAML::BeginSeq;
      for (const auto& item : node.items) emit(out, item);
      out << YAML::EndSeq;
      return;
    case SourceNode::Type::map:
      out << YAML::Flow << YAML::BeginMap;
      for (const auto& e : node.entries) {
        out << YAML::Key << e.key << YAML::Value;
        emit(out, e.value);
      }
      out << YAML::EndMap;
      return;
  }
}

// A value as the YAML text of an override: a scalar as written when it reads back as itself
// (`0.30` stays `0.30`), quoted otherwise; lists and maps in flow style.
std::string yaml_text(const SourceNode& node) {
  if (node.is_scalar()) {
    try {
      const YAML::Node back = YAML::Load(node.scalar);
      if (back.IsScalar() && back.Scalar() == node.scalar) return node.scalar;
    } catch (const YAML::Exception&) {
    }
  }
  YAML::Emitter out;
  emit(out, node);
  return out.c_str();
}

// --- numbers ----------------------------------------------------------------------------------

// A generated value as text: rounded to 12 significant digits (so 0.2 + 0.05 reads 0.25, not
// 0.25000000000000006), then the shortest text that reads back as that double.
std::string format_value(double x) {
  const std::string rounded = fmt::format("{:.12g}", x);
  double y = x;
  std::from_chars(rounded.data(), rounded.data() + rounded.size(), y);
  return fmt::format("{}", y == 0 ? 0.0 : y);
}

// `steps` evenly spaced values from low to high, ends exact.
std::vector<std::string> grid_values(const ExperimentParameter& p) {
  std::vector<std::string> out;
  const int n = p.steps;
  for (int i = 0; i < n; ++i) {
    double x = 0;
    if (i == 0) {
      x = p.low;
    } else if (i == n - 1) {
      x = p.high;
    } else {
      const double t = static_cast<double>(i) / (n - 1);
      x = p.log ? std::exp(std::log(p.low) + t * (std::log(p.high) - std::log(p.low)))
                : p.low + t * (p.high - p.low);
    }
    out.push_back(format_value(x));
  }
  return out;
}

class LhsDraws {
 public:
  explicit LhsDraws(std::uint64_t seed)
      : key_{{static_cast<std::uint32_t>(seed), static_cast<std::uint32_t>(seed >> 32)}} {}

  // A uniform integer in [0, bound), unbiased (rejection), for draw `index` of `parameter`.
  std::uint32_t below(std::uint32_t parameter, std::uint32_t index, std::uint32_t bound) const {
    const std::uint32_t threshold = static_cast<std::uint32_t>(-bound) % bound;
    for (std::uint32_t attempt = 0;; ++attempt) {
      const auto words = draw(2 * parameter, index, attempt);
      for (std::uint32_t w : words)
        if (w >= threshold) return w % bound;
    }
  }
  // Uniform in (0, 1).
  double unit(std::uint32_t parameter, std::uint32_t index) const {
    const auto words = draw(2 * parameter + 1, index, 0);
    return Rng::to_unit53(words[0], words[1]);
  }

 private:
  r123::Philox4x32::ctr_type draw(std::uint32_t a, std::uint32_t b, std::uint32_t c) const {
    return r123::Philox4x32()({{kLhsStream, a, b, c}}, key_);
  }
  r123::Philox4x32::key_type key_;
};

// One column of a Latin hypercube: sample i of n falls in stratum perm[i] of [low, high]
// (strata equal in log space with `log`), at a uniform offset within it.
std::vector<std::string> lhs_column(const ExperimentParameter& p, std::uint32_t parameter, int n,
                                    const LhsDraws& draws) {
  std::vector<std::uint32_t> perm(static_cast<std::size_t>(n));
  std::iota(perm.begin(), perm.end(), 0u);
  for (std::uint32_t k = static_cast<std::uint32_t>(n) - 1; k > 0; --k)  // Fisher-Yates
    std::swap(perm[k], perm[draws.below(parameter, k, k + 1)]);
  std::vector<std::string> out;
  out.reserve(perm.size());
  for (std::uint32_t i = 0; i < perm.size(); ++i) {
    const double t = (perm[i] + draws.unit(parameter, i)) / n;
    const double x = p.log ? std::exp(std::log(p.low) + t * (std::log(p.high) - std::log(p.low)))
                           : p.low + t * (p.high - p.low);
    out.push_back(format_value(std::clamp(x, p.low, p.high)));
  }
  return out;
}

// --- the scenario's verdict on overrides ------------------------------------------------------

// What the scenario says about a set of overrides: nothing when it loads, else its messages.
// A problem with an override is shown as "key: message" (its place would be "--set:0:0");
// a problem in the scenario's own files keeps its place.
std::vector<std::string> scenario_objections(const std::string& scenario_file,
                                             const std::vector<Override>& overrides) {
  try {
    load(scenario_file, overrides);
  } catch (const ScenarioError& e) {
    std::vector<std::string> out;
    for (const auto& d : e.diagnostics()) {
      if (d.line == 0 && d.column == 0)
        out.push_back(d.key.empty() ? d.message : fmt::format("{}: {}", d.key, d.message));
      else
        out.push_back(d.to_string());
    }
    return out;
  } catch (const Error& e) {
    return {e.what()};
  }
  return {};
}

std::string point_text(const std::vector<Override>& overrides) {
  std::vector<std::string> parts;
  for (const auto& o : overrides) parts.push_back(o.key + "=" + o.value);
  return fmt::format("{}", fmt::join(parts, ", "));
}

std::vector<Override> tail_overrides(const Experiment& e) {
  std::vector<Override> out;
  if (e.seed) out.push_back({"seed", std::to_string(*e.seed)});
  if (e.months) out.push_back({"months", std::to_string(*e.months)});
  return out;
}

std::vector<Override> joined(std::vector<Override> a, const std::vector<Override>& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

// --- expansion --------------------------------------------------------------------------------

void expand_grid(Experiment& e) {
  std::size_t total = 1;
  for (const auto& p : e.parameters) total *= p.values.size();
  e.points.clear();
  e.points.reserve(total);
  for (std::size_t index = 0; index < total; ++index) {
    ExperimentPoint point;
    point.index = static_cast<int>(index);
    point.overrides.resize(e.parameters.size());
    std::size_t rest = index;
    for (std::size_t j = e.parameters.size(); j-- > 0;) {  // the last parameter varies fastest
      const auto& values = e.parameters[j].values;
      point.overrides[j] = {e.parameters[j].key, values[rest % values.size()]};
      rest /= values.size();
    }
    e.points.push_back(std::move(point));
  }
}

void expand_lhs(Experiment& e, std::uint64_t seed) {
  const LhsDraws draws(seed);
  std::vector<std::vector<std::string>> columns;
  for (std::size_t j = 0; j < e.parameters.size(); ++j)
    columns.push_back(lhs_column(e.parameters[j], static_cast<std::uint32_t>(j), e.samples, draws));
  e.points.clear();
  for (int i = 0; i < e.samples; ++i) {
    ExperimentPoint point;
    point.index = i;
    for (std::size_t j = 0; j < e.parameters.size(); ++j)
      point.overrides.push_back({e.parameters[j].key, columns[j][static_cast<std::size_t>(i)]});
    e.points.push_back(std::move(point));
  }
}

// --- the reader -------------------------------------------------------------------------------

// Where each part of the experiment was written, for the scenario's verdicts.
struct ParameterMarks {
  SourceMark item, key, range;
  std::vector<SourceMark> values;  // `values:` items (empty for a range)
  bool ok = false;                 // parsed without a problem
};

class Reader {
 public:
  Reader(Experiment& e, Diagnostics& d) : e_(e), d_(d) {}

  void read(const SourceNode& root, const std::string& dir);
  void check_against_scenario();

 private:
  void error(const SourceMark& at, const std::string& key, const std::string& message) {
    d_.add(at, key, message);
  }

  std::optional<double> number(const SourceNode& node, const std::string& path) {
    return read_number(node, path, d_);
  }

  // A whole number in `range`, as a double: the caller narrows it (ranges here are bounded, but
  // `replicates` is checked against its own ceiling first).
  std::optional<double> whole(const SourceNode& node, const std::string& path, const Range& range) {
    const std::optional<double> x = read_number(node, path, d_);
    if (!x || !is_whole_in(node, path, *x, range, d_)) return std::nullopt;
    return x;
  }

  std::optional<int> integer(const SourceNode& node, const std::string& path, const Range& range) {
    MERCATO_ASSERT(range.hi <= 2147483647.0);
    auto x = whole(node, path, range);
    if (!x) return std::nullopt;
    return static_cast<int>(*x);
  }

  std::optional<std::string> text(const SourceNode& node, const std::string& path) {
    if (!node.is_scalar()) {
      error(node.mark, path, fmt::format("expected a string, got {}", describe(node)));
      return std::nullopt;
    }
    return node.scalar;
  }

  std::optional<bool> boolean(const SourceNode& node, const std::string& path) {
    if (node.is_scalar()) {
      for (const char* yes : {"true", "True", "TRUE"})
        if (node.scalar == yes) return true;
      for (const char* no : {"false", "False", "FALSE"})
        if (node.scalar == no) return false;
    }
    error(node.mark, path, fmt::format("expected true or false, got {}", describe(node)));
    return std::nullopt;
  }

  // A value of an override: anything but nothing.
  std::optional<std::string> value(const SourceNode& node, const std::string& path) {
    if (node.is_null()) {
      error(node.mark, path, "expected a value, got nothing");
      return std::nullopt;
    }
    return yaml_text(node);
  }

  void read_scenario(const SourceNode& node, const std::string& dir);
  void read_set(const SourceNode& node);
  void read_seed(const SourceNode& node);
  void read_keep(const SourceNode& node);
  void read_parameters(const SourceNode& node);
  void read_parameter(const SourceNode& node, std::size_t index);
  void check_point_count();

  Experiment& e_;
  Diagnostics& d_;
  const SourceEntry* entry_[kTopKeys.size()] = {};
  bool scenario_ok_ = false;
  bool lhs_ = false;
  std::vector<SourceMark> set_marks_;  // key of each `set:` entry
  std::vector<ParameterMarks> parameter_marks_;

  const SourceEntry* top(std::string_view key) const {
    for (std::size_t i = 0; i < kTopKeys.size(); ++i)
      if (kTopKeys[i] == key) return entry_[i];
    return nullptr;
  }
};

void Reader::read(const SourceNode& root, const std::string& dir) {
  if (!root.is_map()) {
    error(root.mark, "",
          fmt::format("expected a map of experiment keys (scenario, set, parameters, replicates, "
                      "...), got {}",
                      describe(root)));
    return;
  }
  if (root.find("mercato") && !root.find("scenario")) {  // one message, not one per key
    error(root.mark, "",
          "this is a scenario (it has `mercato:`), not an experiment file; an experiment file "
          "names its base scenario with `scenario: FILE` (docs/experiments.md)");
    return;
  }
  const std::vector<std::string> names = strings(kTopKeys);
  for (const auto& entry : root.entries) {
    const auto it = std::find(kTopKeys.begin(), kTopKeys.end(), entry.key);
    if (it == kTopKeys.end()) {
      error(entry.key_mark, entry.key,
            fmt::format("unknown key '{}'{}", entry.key, detail::suggestion(entry.key, names)));
      continue;
    }
    // A key written with no value is left out, as in a scenario.
    if (!entry.value.is_null()) entry_[it - kTopKeys.begin()] = &entry;
  }

  if (const SourceEntry* n = top("name")) {
    if (auto v = text(n->value, "name")) {
      if (v->empty())
        error(n->value.mark, "name", "expected a non-empty name (or leave `name` out)");
      else
        e_.name = *v;
    }
  }
  if (const SourceEntry* n = top("description"))
    if (auto v = text(n->value, "description")) e_.description = *v;
  if (const SourceEntry* n = top("scenario"))
    read_scenario(n->value, dir);
  else
    error(root.mark, "scenario",
          "missing required key 'scenario' (the base scenario file, relative to this file's "
          "folder)");
  if (const SourceEntry* n = top("set")) read_set(n->value);
  if (const SourceEntry* n = top("seed")) read_seed(n->value);
  if (const SourceEntry* n = top("months"))
    if (auto v = integer(n->value, "months", detail::kMonthsRange)) e_.months = *v;
  if (const SourceEntry* n = top("replicates")) {
    if (auto v = whole(n->value, "replicates", detail::at_least(1))) {
      if (*v > kMaxReplicates)
        error(n->value.mark, "replicates",
              fmt::format("expected at most {} replicates per point, got {}", kMaxReplicates,
                          n->value.scalar));
      else
        e_.replicates = static_cast<int>(*v);
    }
  }
  if (const SourceEntry* n = top("design")) {
    if (auto v = text(n->value, "design")) {
      const std::vector<std::string> designs = strings(kDesignNames);
      if (*v == "grid") {
        e_.design = Design::grid;
      } else if (*v == "lhs") {
        e_.design = Design::lhs;
        lhs_ = true;
      } else {
        error(n->value.mark, "design",
              fmt::format("expected grid or lhs (a Latin hypercube), got {}{}", describe(n->value),
                          detail::nearest(*v, designs) ? detail::suggestion(*v, designs) : ""));
      }
    }
  }
  const SourceEntry* samples = top("samples");
  if (samples && !lhs_) {
    error(samples->key_mark, "samples",
          "`samples` goes with `design: lhs`; a grid's points are every combination of its "
          "parameters' values");
  } else if (samples) {
    if (auto v = integer(samples->value, "samples",
                         detail::closed(1, static_cast<double>(kMaxExperimentPoints))))
      e_.samples = *v;
  } else if (lhs_) {
    error(top("design")->value.mark, "design",
          "design lhs needs `samples: N` (the number of points to draw, >= 1)");
  }
  if (const SourceEntry* n = top("parameters")) read_parameters(n->value);
  if (lhs_ && e_.parameters.empty())
    error(top("design")->value.mark, "design",
          "design lhs needs at least one parameter with a `range` to sample");
  if (const SourceEntry* n = top("keep")) read_keep(n->value);
  check_point_count();
}

void Reader::read_scenario(const SourceNode& node, const std::string& dir) {
  auto v = text(node, "scenario");
  if (!v) return;
  if (v->empty()) {
    error(node.mark, "scenario", "expected the path of the base scenario file, got ''");
    return;
  }
  const fs::path written(*v);
  const fs::path resolved =
      written.is_absolute() ? written : (fs::path(dir) / written).lexically_normal();
  e_.scenario_file = resolved.string();
  std::error_code ec;
  const std::string where =
      written.is_absolute() || resolved == written
          ? fmt::format("'{}'", *v)
          : fmt::format("'{}' (resolved against the experiment's folder: '{}')", *v,
                        resolved.string());
  if (!fs::exists(resolved, ec)) {
    error(node.mark, "scenario", fmt::format("base scenario {} not found", where));
    return;
  }
  if (fs::is_directory(resolved, ec)) {
    error(node.mark, "scenario", fmt::format("base scenario {} is a folder, not a file", where));
    return;
  }
  scenario_ok_ = true;
}

void Reader::read_set(const SourceNode& node) {
  if (!node.is_map()) {
    error(node.mark, "set",
          fmt::format("expected a map of key paths to values (e.g. regions.North.tax_rate: "
                      "0.3), got {}",
                      describe(node)));
    return;
  }
  for (const auto& entry : node.entries) {
    const std::string path = "set." + entry.key;
    if (!well_formed_key(entry.key)) {
      error(entry.key_mark, path,
            fmt::format("expected a dotted key path (e.g. regions.North.tax_rate), got '{}'",
                        entry.key));
      continue;
    }
    for (const char* flag : {"seed", "months"})
      if (entry.key == flag && top(flag))
        error(entry.key_mark, path,
              fmt::format("'{}' is set twice: here and by the experiment's `{}:`; keep one", flag,
                          flag));
    if (auto v = value(entry.value, path)) {
      e_.fixed.push_back({entry.key, *v});
      set_marks_.push_back(entry.key_mark);
    }
  }
}

void Reader::read_seed(const SourceNode& node) {
  // Seeds may use all 64 bits, beyond what a double holds exactly: read the digits directly.
  if (node.is_scalar()) {
    const std::string& s = node.scalar;
    std::uint64_t v = 0;
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec == std::errc() && end == s.data() + s.size() && !s.empty()) {
      e_.seed = v;
      return;
    }
  }
  double x = 0;
  if (node.is_scalar() && YAML::convert<double>::decode(YAML::Node(node.scalar), x) && x >= 0 &&
      std::floor(x) == x && x <= 9007199254740992.0) {
    e_.seed = static_cast<std::uint64_t>(x);
    return;
  }
  error(node.mark, "seed", fmt::format("expected a non-negative integer, got {}", describe(node)));
}

void Reader::read_keep(const SourceNode& node) {
  if (!node.is_sequence()) {
    error(node.mark, "keep",
          fmt::format("expected a list of table names ({}), got {}",
                      fmt::join(detail::kTableNames, ", "), describe(node)));
    return;
  }
  const std::vector<std::string> names = strings(detail::kTableNames);
  e_.keep.clear();
  for (std::size_t i = 0; i < node.items.size(); ++i) {
    const std::string path = fmt::format("keep[{}]", i);
    auto t = text(node.items[i], path);
    if (!t) continue;
    if (std::find(names.begin(), names.end(), *t) == names.end())
      error(node.items[i].mark, path,
            fmt::format("unknown table '{}'{}", *t, detail::suggestion(*t, names)));
    else if (std::find(e_.keep.begin(), e_.keep.end(), *t) != e_.keep.end())
      error(node.items[i].mark, path, fmt::format("table '{}' is listed twice", *t));
    else
      e_.keep.push_back(*t);
  }
}

void Reader::read_parameters(const SourceNode& node) {
  if (!node.is_sequence()) {
    error(node.mark, "parameters",
          fmt::format("expected a list of parameters (each a map with key and values or range), "
                      "got {}",
                      describe(node)));
    return;
  }
  for (std::size_t i = 0; i < node.items.size(); ++i) read_parameter(node.items[i], i);
}

void Reader::read_parameter(const SourceNode& node, std::size_t index) {
  const std::string path = fmt::format("parameters[{}]", index);
  ParameterMarks marks;
  marks.item = node.mark;
  const auto at = [&](std::string_view key) { return path + "." + std::string(key); };
  if (!node.is_map()) {
    error(node.mark, path,
          fmt::format("expected a parameter (a map with key and values or range), got {}",
                      describe(node)));
    e_.parameters.emplace_back();
    parameter_marks_.push_back(marks);
    return;
  }
  bool ok = true;
  const std::vector<std::string> names = strings(kParameterKeys);
  const SourceEntry* found[kParameterKeys.size()] = {};
  for (const auto& entry : node.entries) {
    const auto it = std::find(kParameterKeys.begin(), kParameterKeys.end(), entry.key);
    if (it == kParameterKeys.end()) {
      error(entry.key_mark, at(entry.key),
            fmt::format("unknown key '{}'{}", entry.key, detail::suggestion(entry.key, names)));
      ok = false;
    } else if (!entry.value.is_null()) {
      found[it - kParameterKeys.begin()] = &entry;
    }
  }
  const bool unknown_key = !ok;
  const SourceEntry *key = found[0], *values = found[1], *range = found[2], *steps = found[3],
                    *log = found[4];
  ExperimentParameter p;

  if (!key) {
    error(node.mark, at("key"),
          "missing required key 'key' (the key path to vary, e.g. regions.North.tax_rate)");
    ok = false;
  } else if (auto k = text(key->value, at("key"))) {
    marks.key = key->value.mark;
    if (!well_formed_key(*k)) {
      error(key->value.mark, at("key"),
            fmt::format("expected a dotted key path (e.g. regions.North.tax_rate), got '{}'", *k));
      ok = false;
    } else {
      p.key = *k;
      for (std::size_t j = 0; j < e_.parameters.size(); ++j) {
        if (e_.parameters[j].key == p.key) {
          error(key->value.mark, at("key"),
                fmt::format("parameter '{}' is listed twice (first at line {})", p.key,
                            parameter_marks_[j].key.line));
          ok = false;
          break;
        }
      }
      for (const char* flag : {"seed", "months"}) {
        if (p.key == flag && top(flag)) {
          error(key->value.mark, at("key"),
                fmt::format("'{}' is varied here and fixed by the experiment's `{}:`; keep one",
                            flag, flag));
          ok = false;
        }
      }
      for (std::size_t j = 0; j < e_.fixed.size(); ++j) {
        if (e_.fixed[j].key == p.key) {
          error(key->value.mark, at("key"),
                fmt::format("'{}' is varied here and fixed by `set:` (line {}); keep one", p.key,
                            set_marks_[j].line));
          ok = false;
        }
      }
    }
  } else {
    ok = false;
  }

  if (values && range) {
    error(range->key_mark, at("range"),
          "give either `values` or `range`, not both (values lists the points, a range is "
          "divided into steps)");
    ok = false;
  }
  if (values && lhs_) {
    error(values->key_mark, at("values"),
          "design lhs samples each parameter from a `range: [low, high]`; `values` lists the "
          "points of a grid");
    ok = false;
  } else if (values && !range) {
    if (!values->value.is_sequence()) {
      error(values->value.mark, at("values"),
            fmt::format("expected a list of values, got {}", describe(values->value)));
      ok = false;
    } else if (values->value.items.empty()) {
      error(values->value.mark, at("values"), "expected at least one value, got an empty list");
      ok = false;
    } else {
      for (std::size_t j = 0; j < values->value.items.size(); ++j) {
        const SourceNode& item = values->value.items[j];
        if (auto v = value(item, fmt::format("{}[{}]", at("values"), j))) {
          p.values.push_back(*v);
          marks.values.push_back(item.mark);
        } else {
          ok = false;
        }
      }
    }
  }

  if (range) {
    marks.range = range->value.mark;
    const SourceNode& r = range->value;
    if (!r.is_sequence() || r.items.size() != 2) {
      error(
          r.mark, at("range"),
          fmt::format("expected [low, high] (a list of two numbers), got {}",
                      r.is_sequence() ? fmt::format("a list of {}", r.items.size()) : describe(r)));
      ok = false;
    } else {
      auto lo = number(r.items[0], at("range") + "[0]");
      auto hi = number(r.items[1], at("range") + "[1]");
      if (lo && hi && *lo >= *hi) {
        error(
            r.mark, at("range"),
            fmt::format("expected low < high, got [{}, {}]", r.items[0].scalar, r.items[1].scalar));
        ok = false;
      } else if (lo && hi) {
        p.low = *lo;
        p.high = *hi;
        p.has_range = true;
      } else {
        ok = false;
      }
    }
  }

  if (log) {
    if (auto v = boolean(log->value, at("log"))) {
      p.log = *v;
      if (!range) {
        error(log->key_mark, at("log"),
              "`log` goes with `range: [low, high]` (values are used as written)");
        ok = false;
      } else if (p.log && p.has_range && p.low <= 0) {
        error(range->value.mark, at("range"),
              fmt::format("log: true needs low > 0 (evenly spaced in log space), got low = {}",
                          range->value.items[0].scalar));
        ok = false;
      }
    } else {
      ok = false;
    }
  }

  if (steps && lhs_) {
    error(steps->key_mark, at("steps"),
          "`steps` divides the range of a grid parameter; design lhs draws `samples` points");
    ok = false;
  } else if (steps && !range) {
    error(steps->key_mark, at("steps"), "`steps` goes with `range: [low, high]`");
    ok = false;
  } else if (steps) {
    if (auto n = integer(steps->value, at("steps"),
                         detail::closed(2, static_cast<double>(kMaxExperimentPoints))))
      p.steps = *n;
    else
      ok = false;
  } else if (range && !lhs_) {
    error(range->key_mark, at("steps"),
          "a grid parameter with a range needs `steps: n` (the number of evenly spaced values, "
          "ends included, >= 2)");
    ok = false;
  }

  if (!values && !range && !unknown_key) {  // a misspelt `values` is reported once, above
    error(node.mark, path,
          lhs_ ? std::string("expected `range: [low, high]` (design lhs samples from it)")
               : std::string("expected `values: [...]` or `range: [low, high]` with `steps: n`"));
    ok = false;
  }

  if (ok && p.has_range && !lhs_) p.values = grid_values(p);
  marks.ok = ok;
  // Kept even when faulty (its key still counts for duplicates); the design is only expanded
  // when there is no problem at all.
  e_.parameters.push_back(std::move(p));
  parameter_marks_.push_back(std::move(marks));
}

void Reader::check_point_count() {
  if (!d_.empty()) return;
  if (lhs_) return;  // samples is bounded where it is read
  double total = 1;
  std::vector<std::string> sizes;
  for (const auto& p : e_.parameters) {
    total *= static_cast<double>(p.values.size());
    sizes.push_back(std::to_string(p.values.size()));
  }
  if (total > kMaxExperimentPoints)
    error(top("parameters")->value.mark, "parameters",
          fmt::format("the grid has {:.0f} points ({}); at most {}", total, fmt::join(sizes, " x "),
                      kMaxExperimentPoints));
}

void Reader::check_against_scenario() {
  if (!scenario_ok_) return;
  const SourceEntry* scenario = top("scenario");
  // The base scenario alone: its own problems are reported where they are, under `scenario`.
  for (const auto& m : scenario_objections(e_.scenario_file, {}))
    error(scenario->value.mark, "scenario", fmt::format("the base scenario does not load: {}", m));
  if (!d_.empty() && d_.reported("scenario")) return;

  // Each `set:` entry alone, then all of them together, then seed and months. The entries the
  // scenario takes are the base of the checks below, so one faulty entry does not hide the
  // problems of the parameters.
  std::vector<Override> base;
  bool base_ok = true;
  for (std::size_t i = 0; i < e_.fixed.size(); ++i) {
    const Override& o = e_.fixed[i];
    const auto objections = scenario_objections(e_.scenario_file, {o});
    for (const auto& m : objections)
      error(set_marks_[i], "set." + o.key,
            fmt::format("the scenario rejects {} = {}: {}", o.key, o.value, m));
    if (objections.empty())
      base.push_back(o);
    else
      base_ok = false;
  }
  if (base_ok && e_.fixed.size() > 1) {
    const auto objections = scenario_objections(e_.scenario_file, e_.fixed);
    for (const auto& m : objections)
      error(top("set")->key_mark, "set",
            fmt::format("the scenario rejects these values together: {}", m));
    if (!objections.empty()) return;  // every check below would repeat it
  }
  for (const auto& o : tail_overrides(e_)) {
    const auto objections = scenario_objections(e_.scenario_file, joined(base, {o}));
    for (const auto& m : objections)
      error(top(o.key)->value.mark, o.key,
            fmt::format("the scenario rejects {} = {}: {}", o.key, o.value, m));
    if (objections.empty())
      base.push_back(o);
    else
      base_ok = false;
  }

  if (d_.reported("parameters")) return;  // too many points: not worth loading every value

  // Each value of each parameter alone (an lhs range by its ends).
  bool values_ok = true;
  for (std::size_t j = 0; j < e_.parameters.size(); ++j) {
    const ExperimentParameter& p = e_.parameters[j];
    const ParameterMarks& marks = parameter_marks_[j];
    if (!marks.ok) {
      values_ok = false;
      continue;
    }
    const std::string path = fmt::format("parameters[{}]", j);
    std::vector<std::string> tried = p.values;
    if (lhs_) tried = {format_value(p.low), format_value(p.high)};
    std::vector<std::vector<std::string>> verdicts;
    for (const auto& v : tried) {
      std::vector<Override> overrides = base;
      overrides.push_back({p.key, v});
      verdicts.push_back(scenario_objections(e_.scenario_file, overrides));
    }
    const bool all_fail =
        std::all_of(verdicts.begin(), verdicts.end(), [&](const auto& v) { return !v.empty(); });
    const bool same = std::all_of(verdicts.begin(), verdicts.end(),
                                  [&](const auto& v) { return v == verdicts.front(); });
    if (all_fail && same && tried.size() > 1) {
      // The key path, not a value: say it once, at the key.
      for (const auto& m : verdicts.front())
        error(marks.key, path + ".key",
              fmt::format("the scenario rejects '{}' whatever its value: {}", p.key, m));
      values_ok = false;
      continue;
    }
    for (std::size_t k = 0; k < tried.size(); ++k) {
      for (const auto& m : verdicts[k]) {
        values_ok = false;
        if (!p.has_range)
          error(marks.values[k], fmt::format("{}.values[{}]", path, k),
                fmt::format("the scenario rejects {} = {}: {}", p.key, tried[k], m));
        else
          error(
              marks.range, path + ".range",
              fmt::format("the scenario rejects {} = {} ({}): {}", p.key, tried[k],
                          lhs_ ? (k == 0 ? "the low end of the range" : "the high end of the range")
                               : fmt::format("step {} of {}", k + 1, tried.size()),
                          m));
      }
    }
  }
  if (!values_ok || !base_ok) return;

  // Whole points: combinations the values alone do not show (one parameter's points were just
  // loaded one by one).
  if (e_.parameters.size() < 2 && !lhs_) return;
  int reported = 0, failed = 0;
  for (const auto& point : e_.points) {
    const auto objections = scenario_objections(e_.scenario_file, joined(base, point.overrides));
    if (objections.empty()) continue;
    ++failed;
    if (reported >= kMaxPointReports) continue;
    ++reported;
    for (const auto& m : objections)
      error(top("parameters")->key_mark, "parameters",
            fmt::format("the scenario rejects point {} ({}): {}", point.index,
                        point_text(point.overrides), m));
  }
  if (failed > reported)
    error(top("parameters")->key_mark, "parameters",
          fmt::format("... and {} more of the {} points are rejected", failed - reported,
                      e_.points.size()));
}

void check_keep(const std::vector<std::string>& keep) {
  const std::vector<std::string> names = strings(detail::kTableNames);
  std::set<std::string> seen;
  for (const auto& t : keep) {
    if (std::find(names.begin(), names.end(), t) == names.end())
      throw UsageError(
          fmt::format("unknown table '{}' to keep{}", t, detail::suggestion(t, names)));
    if (!seen.insert(t).second) throw UsageError(fmt::format("table '{}' is listed twice", t));
  }
}

}  // namespace

Experiment load_experiment(const std::string& path) {
  const std::string text = read_experiment_file(path);
  Diagnostics diagnostics;
  bool ok = false;
  const SourceNode root = detail::parse_yaml(text, path, diagnostics, ok);
  diagnostics.throw_if_any();
  Experiment e;
  e.file = path;
  e.name = fs::path(path).stem().string();
  Reader reader(e, diagnostics);
  reader.read(root, fs::path(path).parent_path().string());
  // Seeds of an lhs design: the experiment's, else the scenario's (with `set:` applied).
  if (diagnostics.empty()) {
    if (e.design == Design::lhs) {
      std::uint64_t seed = 0;
      if (e.seed) {
        seed = *e.seed;
      } else {
        try {
          seed = load(e.scenario_file, e.fixed).seed;
        } catch (const Error&) {
          // Reported below, where the scenario is checked.
        }
      }
      expand_lhs(e, seed);
    } else {
      expand_grid(e);
    }
  }
  reader.check_against_scenario();
  diagnostics.throw_if_any();
  return e;
}

Experiment ensemble_experiment(const std::string& scenario_file, std::vector<Override> overrides,
                               int replicates, std::optional<std::uint64_t> seed,
                               std::optional<int> months, std::vector<std::string> keep) {
  if (replicates < 1)
    throw UsageError(fmt::format("--replicates expects an integer >= 1, got {}", replicates));
  if (replicates > kMaxReplicates)
    throw UsageError(
        fmt::format("--replicates expects at most {}, got {}", kMaxReplicates, replicates));
  if (months && !detail::kMonthsRange.contains(*months))
    throw UsageError(fmt::format("--months expects an integer {}, got {}",
                                 detail::kMonthsRange.describe(), *months));
  check_keep(keep);
  Experiment e;
  e.name = fs::path(scenario_file).stem().string();
  e.scenario_file = scenario_file;
  e.fixed = std::move(overrides);
  e.seed = seed;
  e.months = months;
  e.replicates = replicates;
  if (!keep.empty()) e.keep = std::move(keep);
  e.points = {ExperimentPoint{}};
  load(scenario_file, point_overrides(e, e.points.front()));  // throws what is wrong
  return e;
}

std::vector<Override> point_overrides(const Experiment& experiment, const ExperimentPoint& point) {
  return joined(joined(experiment.fixed, point.overrides), tail_overrides(experiment));
}

Config point_config(const Experiment& experiment, const ExperimentPoint& point) {
  return load(experiment.scenario_file, point_overrides(experiment, point));
}

std::string experiment_fingerprint(const Experiment& experiment) {
  const Config base = load(experiment.scenario_file, experiment.fixed);
  std::string out = "mercato experiment fingerprint 1\n";
  out += fmt::format("seed: {}\n", experiment.seed.value_or(base.seed));
  out += fmt::format("months: {}\n", experiment.months.value_or(base.months));
  out += fmt::format("replicates: {}\n", experiment.replicates);
  out += fmt::format("keep: [{}]\n", fmt::join(experiment.keep, ", "));
  out += fmt::format("points: {}\n", experiment.points.size());
  for (const auto& point : experiment.points) {
    out += fmt::format("- {}:", point.index);
    for (const auto& o : point.overrides) out += fmt::format(" {:?}={:?}", o.key, o.value);
    out += "\n";
  }
  out += "scenario:\n";
  out += to_yaml(base);
  return out;
}

}  // namespace mercato::scenario
