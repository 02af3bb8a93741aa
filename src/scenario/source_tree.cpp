#include "scenario/source_tree.hpp"

#include <yaml-cpp/depthguard.h>
#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <sstream>

#include <fmt/format.h>

namespace mercato::scenario::detail {

namespace {

// A scenario is a handful of levels deep (organisations[i].counter_policy.share); anything
// deeper is junk, and the limit keeps the conversion's recursion far from the stack's end.
constexpr int kMaxDepth = 64;
// Aliases let a few lines expand to billions of nodes ("billion laughs"); a real scenario
// with thousands of named organisations stays well below this.
constexpr long kMaxNodes = 1'000'000;
// Scenario files are hand-written text; this guards against loading a disk image by mistake.
constexpr std::uintmax_t kMaxFileBytes = 64u << 20;

SourceMark to_mark(const YAML::Mark& m, const std::string& file) {
  // yaml-cpp counts from 0 and uses -1 for "unknown"; diagnostics count from 1, 0 = unknown.
  return {file, m.line >= 0 ? m.line + 1 : 0, m.column >= 0 ? m.column + 1 : 0};
}

std::string join_key(const std::string& path, const std::string& key) {
  return path.empty() ? key : path + "." + key;
}

class Converter {
 public:
  Converter(const std::string& file, Diagnostics& diagnostics)
      : file_(file), diagnostics_(diagnostics) {}

  bool convert(const YAML::Node& in, SourceNode& out, int depth, const std::string& path) {
    out.mark = to_mark(in.Mark(), file_);
    if (++nodes_ > kMaxNodes) {
      diagnostics_.add(out.mark, "",
                       fmt::format("the document expands to more than {} values (aliases "
                                   "nested too far?); a scenario is far smaller",
                                   kMaxNodes));
      return false;
    }
    if (depth > kMaxDepth) {
      diagnostics_.add(out.mark, path.size() > 60 ? path.substr(0, 60) + "..." : path,
                       fmt::format("values nested more than {} levels deep; a scenario needs "
                                   "a handful",
                                   kMaxDepth));
      return false;
    }
    switch (in.Type()) {
      case YAML::NodeType::Undefined:
      case YAML::NodeType::Null:
        out.type = SourceNode::Type::null;
        return true;
      case YAML::NodeType::Scalar:
        out.type = SourceNode::Type::scalar;
        out.scalar = in.Scalar();
        return true;
      case YAML::NodeType::Sequence:
        out.type = SourceNode::Type::sequence;
        out.items.reserve(in.size());
        for (const auto& item : in) {
          out.items.emplace_back();
          auto item_path = fmt::format("{}[{}]", path, out.items.size() - 1);
          if (!convert(item, out.items.back(), depth + 1, item_path)) return false;
        }
        return true;
      case YAML::NodeType::Map:
        out.type = SourceNode::Type::map;
        for (const auto& kv : in) {
          SourceEntry entry;
          entry.key_mark = to_mark(kv.first.Mark(), file_);
          if (!kv.first.IsScalar()) {
            diagnostics_.add(entry.key_mark, path,
                             fmt::format("expected a plain key (a name), got {}",
                                         kv.first.IsNull() ? "an empty key" : "a list or map"));
            return false;
          }
          entry.key = kv.first.Scalar();
          if (const SourceEntry* first = find_duplicate(out, entry.key)) {
            // yaml-cpp keeps both entries; silently taking one would hide a typo.
            diagnostics_.add(
                entry.key_mark, join_key(path, entry.key),
                fmt::format("duplicate key (first written at line {})", first->key_mark.line));
          }
          if (!convert(kv.second, entry.value, depth + 1, join_key(path, entry.key))) return false;
          out.entries.push_back(std::move(entry));
        }
        return true;
    }
    return true;
  }

 private:
  static const SourceEntry* find_duplicate(const SourceNode& map, const std::string& key) {
    for (const auto& e : map.entries)
      if (e.key == key) return &e;
    return nullptr;
  }

  const std::string& file_;
  Diagnostics& diagnostics_;
  long nodes_ = 0;
};

// Counts the values a document expands to, aliases included, from the parser's events alone:
// an alias bomb is refused before yaml-cpp builds (and the converter copies) billions of nodes.
class ExpansionCounter : public YAML::EventHandler {
 public:
  double total() const { return total_; }
  bool self_referencing() const { return self_referencing_; }
  YAML::Mark first_alias_mark() const { return alias_mark_; }
  // On a token it cannot place, such as a ',' outside [ ] and { }, yaml-cpp 0.7 (Debian's)
  // reports an empty document without consuming the token, forever (jbeder/yaml-cpp#1040):
  // two documents starting at the same place mean the parser is stuck there.
  bool stalled() const { return stalled_; }
  YAML::Mark stall_mark() const { return stall_mark_; }

  void OnDocumentStart(const YAML::Mark& mark) override {
    if (documents_ > 0 && mark.pos == last_start_.pos) {
      stalled_ = true;
      stall_mark_ = mark;
    }
    last_start_ = mark;
    ++documents_;
  }
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark&, YAML::anchor_t anchor) override { leaf(anchor); }
  void OnScalar(const YAML::Mark&, const std::string&, YAML::anchor_t anchor,
                const std::string&) override {
    leaf(anchor);
  }
  void OnAlias(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    auto it = size_.find(anchor);
    if (it == size_.end()) {  // the alias sits inside the value it names: infinite expansion
      if (!self_referencing_) alias_mark_ = mark;
      self_referencing_ = true;
      return;
    }
    total_ += it->second;
  }
  void OnSequenceStart(const YAML::Mark&, const std::string&, YAML::anchor_t anchor,
                       YAML::EmitterStyle::value) override {
    open(anchor);
  }
  void OnSequenceEnd() override { close(); }
  void OnMapStart(const YAML::Mark&, const std::string&, YAML::anchor_t anchor,
                  YAML::EmitterStyle::value) override {
    open(anchor);
  }
  void OnMapEnd() override { close(); }

 private:
  void leaf(YAML::anchor_t anchor) {
    total_ += 1;
    if (anchor != YAML::NullAnchor) size_[anchor] = 1;
  }
  void open(YAML::anchor_t anchor) {
    open_.push_back({anchor, total_});
    total_ += 1;
  }
  void close() {
    if (open_.empty()) return;
    auto [anchor, start] = open_.back();
    open_.pop_back();
    if (anchor != YAML::NullAnchor) size_[anchor] = total_ - start;
  }

  double total_ = 0;  // a double: a bomb's count overflows any integer
  bool self_referencing_ = false;
  YAML::Mark alias_mark_;
  bool stalled_ = false;
  YAML::Mark stall_mark_, last_start_;
  std::size_t documents_ = 0;
  std::vector<std::pair<YAML::anchor_t, double>> open_;
  std::map<YAML::anchor_t, double> size_;
};

// Bytes that are not printable ASCII are shown as '?' so a binary file gives a readable message.
std::string printable(std::string_view s, std::size_t max_chars) {
  std::string out;
  for (char c : s.substr(0, max_chars)) {
    auto u = static_cast<unsigned char>(c);
    out += (u >= 0x20 && u < 0x7f) ? c : '?';
  }
  if (s.size() > max_chars) out += "...";
  return out;
}

}  // namespace

const SourceNode* SourceNode::find(std::string_view key) const {
  for (const auto& e : entries)
    if (e.key == key) return &e.value;
  return nullptr;
}

SourceNode* SourceNode::find(std::string_view key) {
  SourceEntry* e = find_entry(key);
  return e ? &e->value : nullptr;
}

SourceEntry* SourceNode::find_entry(std::string_view key) {
  for (auto& e : entries)
    if (e.key == key) return &e;
  return nullptr;
}

void SourceNode::erase(std::string_view key) {
  std::erase_if(entries, [&](const SourceEntry& e) { return e.key == key; });
}

std::string describe(const SourceNode& node) {
  switch (node.type) {
    case SourceNode::Type::null:
      return "nothing";
    case SourceNode::Type::sequence:
      return "a list";
    case SourceNode::Type::map:
      return "a map";
    case SourceNode::Type::scalar:
      break;
  }
  double number = 0;
  if (YAML::convert<double>::decode(YAML::Node(node.scalar), number))
    return printable(node.scalar, 40);
  return fmt::format("'{}'", printable(node.scalar, 40));
}

void Diagnostics::add(const SourceMark& at, std::string key, std::string message) {
  ScenarioDiagnostic d{at.file, at.line, at.column, std::move(key), std::move(message)};
  for (const auto& e : list_)
    if (e.file == d.file && e.line == d.line && e.column == d.column && e.key == d.key &&
        e.message == d.message)
      return;
  list_.push_back(std::move(d));
}

bool Diagnostics::reported(std::string_view key) const {
  return std::any_of(list_.begin(), list_.end(),
                     [&](const ScenarioDiagnostic& d) { return d.key == key; });
}

void Diagnostics::throw_if_any() const {
  if (list_.empty()) return;
  // Files in the order they were first met (the child, then its parents, then --set), and
  // within a file by position, so the list reads top to bottom like the files.
  std::vector<std::string> files;
  for (const auto& d : list_)
    if (std::find(files.begin(), files.end(), d.file) == files.end()) files.push_back(d.file);
  auto file_rank = [&](const std::string& f) {
    return std::find(files.begin(), files.end(), f) - files.begin();
  };
  auto sorted = list_;
  std::stable_sort(sorted.begin(), sorted.end(),
                   [&](const ScenarioDiagnostic& a, const ScenarioDiagnostic& b) {
                     auto ra = file_rank(a.file), rb = file_rank(b.file);
                     if (ra != rb) return ra < rb;
                     if (a.line != b.line) return a.line < b.line;
                     return a.column < b.column;
                   });
  throw ScenarioError(std::move(sorted));
}

SourceNode parse_yaml(const std::string& text, const std::string& file, Diagnostics& diagnostics,
                      bool& ok, const std::string& key) {
  SourceNode root;
  root.mark = {file, 0, 0};
  ok = false;
  std::vector<YAML::Node> documents;
  try {
    std::istringstream stream(text);
    YAML::Parser parser(stream);
    ExpansionCounter counter;
    while (parser.HandleNextDocument(counter) && !counter.stalled()) {
    }
    if (counter.stalled()) {
      const auto pos = static_cast<std::size_t>(std::max(0, counter.stall_mark().pos));
      const std::string token =
          pos < text.size() ? printable(std::string_view(text).substr(pos, 1), 1) : "?";
      diagnostics.add(to_mark(counter.stall_mark(), file), key,
                      fmt::format("invalid YAML: unexpected '{}' here (a ',' belongs inside "
                                  "[ ] or {{ }})",
                                  token));
      return root;
    }
    if (counter.self_referencing()) {
      diagnostics.add(to_mark(counter.first_alias_mark(), file), key,
                      "an alias refers to the value that contains it (infinite expansion)");
      return root;
    }
    if (counter.total() > kMaxNodes) {
      diagnostics.add(root.mark, key,
                      fmt::format("the document expands to more than {} values (aliases "
                                  "nested too far?); a scenario is far smaller",
                                  kMaxNodes));
      return root;
    }
    documents = YAML::LoadAll(text);
  } catch (const YAML::DeepRecursion& e) {
    // yaml-cpp's own message for this is "bad file".
    diagnostics.add(to_mark(e.mark, file), key,
                    fmt::format("invalid YAML: values nested more than {} levels deep", e.depth()));
    return root;
  } catch (const YAML::Exception& e) {
    diagnostics.add(to_mark(e.mark, file), key, fmt::format("invalid YAML: {}", e.msg));
    return root;
  } catch (const std::exception& e) {
    diagnostics.add(root.mark, key, fmt::format("invalid YAML: {}", e.what()));
    return root;
  }
  if (documents.empty()) {
    ok = true;  // an empty file: the decoder explains what a scenario needs
    return root;
  }
  if (documents.size() > 1) {
    diagnostics.add(to_mark(documents[1].Mark(), file), key,
                    fmt::format("expected one YAML document, found {} (remove the extra '---')",
                                documents.size()));
    return root;
  }
  Converter converter(file, diagnostics);
  try {
    ok = converter.convert(documents.front(), root, 0, key);
  } catch (const YAML::Exception& e) {
    diagnostics.add(to_mark(e.mark, file), key, fmt::format("invalid YAML: {}", e.msg));
    ok = false;
  }
  if (root.mark.line == 0) root.mark = {file, 1, 1};
  return root;
}

std::string read_scenario_file(const std::string& path) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (fs::is_directory(path, ec))
    throw IoError(fmt::format("cannot read scenario '{}': it is a directory", path));
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    throw IoError(fmt::format("cannot read scenario '{}': {}", path, std::strerror(errno)));
  }
  auto size = fs::file_size(path, ec);
  if (!ec && size > kMaxFileBytes)
    throw IoError(fmt::format("cannot read scenario '{}': {} bytes is not a scenario (limit {})",
                              path, size, kMaxFileBytes));
  std::ostringstream bytes;
  bytes << in.rdbuf();
  if (in.bad()) throw IoError(fmt::format("cannot read scenario '{}': read error", path));
  return std::move(bytes).str();
}

}  // namespace mercato::scenario::detail
