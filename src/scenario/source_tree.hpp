// A parsed YAML document as plain data that remembers where every value was written.
// Values merged from several files (`extends:`) and from `--set` keep their own location, so
// an error points at the file and line where the offending value was typed, not at the child
// that inherited it. yaml-cpp parses; this tree only carries its nodes with their marks.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "mercato/core/error.hpp"

namespace mercato::scenario::detail {

// File (or "--set") and 1-based line and column; 0 when unknown.
struct SourceMark {
  std::string file;
  int line = 0;
  int column = 0;
};

struct SourceEntry;

struct SourceNode {
  enum class Type : std::uint8_t { null, scalar, sequence, map };
  Type type = Type::null;
  std::string scalar;
  std::vector<SourceNode> items;     // sequence
  std::vector<SourceEntry> entries;  // map, in document order
  SourceMark mark;

  bool is_null() const { return type == Type::null; }
  bool is_scalar() const { return type == Type::scalar; }
  bool is_sequence() const { return type == Type::sequence; }
  bool is_map() const { return type == Type::map; }

  // The entry's value, or nullptr when the key is absent (a null value is returned).
  const SourceNode* find(std::string_view key) const;
  SourceNode* find(std::string_view key);
  SourceEntry* find_entry(std::string_view key);
  void erase(std::string_view key);
};

struct SourceEntry {
  std::string key;
  SourceMark key_mark;
  SourceNode value;
};

// "a list", "a map", "nothing" or the scalar as written: the "got ..." of a message.
std::string describe(const SourceNode& node);

// Collects every problem of a scenario so they are all reported at once.
class Diagnostics {
 public:
  // Identical diagnostics (same place, key and message) are kept once: a faulty kind default
  // is reported once, not once per organisation that inherits it.
  void add(const SourceMark& at, std::string key, std::string message);
  bool empty() const { return list_.empty(); }
  // Whether a problem was already reported under this key path (later checks skip it, so one
  // mistake gives one message).
  bool reported(std::string_view key) const;
  // Throws ScenarioError with every diagnostic, ordered by file then line, if there is any.
  void throw_if_any() const;

 private:
  std::vector<ScenarioDiagnostic> list_;
};

// Parses one YAML document into a tree whose marks name `file`. On a syntax error, an empty
// document stream or a document too deep or too large (alias bombs), adds a diagnostic and
// returns a null node with `ok` false. `key` prefixes the key paths of its messages (the key of
// a `--set` value).
SourceNode parse_yaml(const std::string& text, const std::string& file, Diagnostics& diagnostics,
                      bool& ok, const std::string& key = "");

// The bytes of a scenario file; throws IoError naming the path when it cannot be read.
std::string read_scenario_file(const std::string& path);

}  // namespace mercato::scenario::detail
