#include "scenario/schema.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>

#include <yaml-cpp/yaml.h>

#include <fmt/format.h>

#include "mercato/core/error.hpp"

namespace mercato::scenario::detail {

namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// Optimal-string-alignment distance: insertions, deletions, substitutions and swaps of two
// neighbours each cost 1, so "modle" is one step from "model".
std::size_t edit_distance(std::string_view a, std::string_view b) {
  const std::size_t n = a.size(), m = b.size();
  std::vector<std::vector<std::size_t>> d(n + 1, std::vector<std::size_t>(m + 1));
  for (std::size_t i = 0; i <= n; ++i) d[i][0] = i;
  for (std::size_t j = 0; j <= m; ++j) d[0][j] = j;
  for (std::size_t i = 1; i <= n; ++i)
    for (std::size_t j = 1; j <= m; ++j) {
      std::size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
        d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
    }
  return d[n][m];
}

}  // namespace

std::string Range::describe() const {
  const bool has_lo = std::isfinite(lo), has_hi = std::isfinite(hi);
  if (has_lo && has_hi)
    return fmt::format("in {}{}, {}{}", lo_open ? '(' : '[', format_number(lo), format_number(hi),
                       hi_open ? ')' : ']');
  if (has_lo) return fmt::format("{} {}", lo_open ? ">" : ">=", format_number(lo));
  if (has_hi) return fmt::format("{} {}", hi_open ? "<" : "<=", format_number(hi));
  return "";
}

std::optional<std::string> nearest(std::string_view word, std::span<const std::string> candidates) {
  if (word.size() > 64) return std::nullopt;  // junk, and keeps the distance table small
  const std::string w = lower(word);
  // A typo is a few keystrokes: 1 for short keys, up to 3 for long ones.
  const std::size_t limit = w.size() <= 4 ? 1 : (w.size() <= 8 ? 2 : 3);
  std::optional<std::string> best;
  std::size_t best_distance = limit + 1;
  for (const auto& c : candidates) {
    std::size_t d = edit_distance(w, lower(c));
    if (d < best_distance) {
      best_distance = d;
      best = c;
    }
  }
  return best;
}

std::string suggestion(std::string_view word, std::span<const std::string> candidates) {
  if (auto near = nearest(word, candidates)) return fmt::format("; did you mean '{}'?", *near);
  if (candidates.empty()) return "";
  if (candidates.size() > 40) return "";
  return fmt::format("; expected one of: {}", fmt::join(candidates, ", "));
}

const NamedList* named_list(std::string_view section) {
  for (const auto& l : kNamedLists)
    if (l.section == section) return &l;
  return nullptr;
}

const EventTypeSchema& event_schema(EventType type) {
  const auto& schema = kEventTypes[static_cast<std::size_t>(type)];
  MERCATO_ASSERT(schema.type == type);
  return schema;
}

std::vector<std::string> split_keys(std::string_view keys, char separator) {
  std::vector<std::string> out;
  std::size_t begin = 0;
  while (begin < keys.size()) {
    std::size_t end = keys.find(separator, begin);
    if (end == std::string_view::npos) end = keys.size();
    if (end > begin) out.emplace_back(keys.substr(begin, end - begin));
    begin = end + 1;
  }
  return out;
}

std::vector<std::string> event_keys(EventType type) {
  const EventTypeSchema& schema = event_schema(type);
  std::vector<std::string> keys = {"type", "name", "start"};
  if (schema.takes_end) keys.emplace_back("end");
  for (const auto& k : split_keys(schema.required)) keys.push_back(k);
  for (std::string_view groups : {schema.exactly_one, schema.at_least_one})
    for (const auto& group : split_keys(groups))
      for (const auto& k : split_keys(group, '|')) keys.push_back(k);
  for (const auto& k : split_keys(schema.optional)) keys.push_back(k);
  return keys;
}

bool takes_key(EventType type, std::string_view key) {
  const auto keys = event_keys(type);
  return std::find(keys.begin(), keys.end(), key) != keys.end();
}

std::vector<std::string> all_event_keys() {
  std::vector<std::string> keys(kEventCommonKeys.begin(), kEventCommonKeys.end());
  keys.insert(keys.end(), kEventNameKeys.begin(), kEventNameKeys.end());
  for (const auto& f : kEventFields) keys.emplace_back(f.key);
  return keys;
}

const EventField* event_field(std::string_view key) {
  for (const auto& f : kEventFields)
    if (f.key == key) return &f;
  return nullptr;
}

bool event_has(const EventConfig& e, std::string_view key) {
  if (key == "type" || key == "name" || key == "start") return true;
  if (key == "end") return e.end_month.has_value();
  if (key == "org") return !e.org.empty();
  if (key == "targets") return !e.targets.empty();
  if (key == "region") return !e.region.empty();
  if (key == "kind") return e.kind.has_value();
  if (key == "role") return e.role.has_value();
  if (key == "immediate_vesting") return e.immediate_vesting.has_value();
  const EventField* f = event_field(key);
  return f && (e.*f->member).has_value();
}

std::string default_event_name(std::string_view type, std::size_t index) {
  return fmt::format("{}-{}", type, index + 1);
}

std::string event_noun(EventType type) {
  const std::string_view name = to_string(type);
  const bool vowel = std::string_view("aeiou").find(name.front()) != std::string_view::npos;
  return fmt::format("{} {} event", vowel ? "an" : "a", name);
}

std::string not_taken_message(EventType type, std::string_view key) {
  const auto keys = event_keys(type);
  if (key == "end" && !event_schema(type).takes_end)
    return fmt::format("{} happens once, at its start: it takes no 'end' (it takes: {})",
                       event_noun(type), fmt::join(keys, ", "));
  return fmt::format("event type '{}' does not take key '{}' (it takes: {})", to_string(type), key,
                     fmt::join(keys, ", "));
}

std::string format_number(double x) {
  return fmt::format("{}", x);
}

std::string format_distribution(const Distribution& d) {
  switch (d.kind) {
    case Distribution::Kind::constant:
      return format_number(d.a);
    case Distribution::Kind::uniform:
      return fmt::format("{{uniform: [{}, {}]}}", format_number(d.a), format_number(d.b));
    case Distribution::Kind::normal:
      return fmt::format("{{normal: [{}, {}]}}", format_number(d.a), format_number(d.b));
    case Distribution::Kind::lognormal:
      return fmt::format("{{lognormal: [{}, {}]}}", format_number(d.a), format_number(d.b));
  }
  return "";
}

std::optional<double> read_number(const SourceNode& node, const std::string& path,
                                  Diagnostics& diagnostics) {
  double x = 0;
  if (!node.is_scalar() || !YAML::convert<double>::decode(YAML::Node(node.scalar), x)) {
    diagnostics.add(node.mark, path, fmt::format("expected a number, got {}", describe(node)));
    return std::nullopt;
  }
  if (!std::isfinite(x)) {
    diagnostics.add(node.mark, path, fmt::format("expected a finite number, got {}", node.scalar));
    return std::nullopt;
  }
  return x;
}

bool is_whole_in(const SourceNode& node, const std::string& path, double x, const Range& range,
                 Diagnostics& diagnostics) {
  if (std::floor(x) != x) {
    diagnostics.add(node.mark, path, fmt::format("expected an integer, got {}", node.scalar));
    return false;
  }
  if (!range.contains(x)) {
    diagnostics.add(node.mark, path,
                    fmt::format("expected an integer {}, got {}", range.describe(), node.scalar));
    return false;
  }
  return true;
}

}  // namespace mercato::scenario::detail
