#include "scenario/resolve.hpp"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <filesystem>
#include <optional>

#include <fmt/format.h>

#include "scenario/schema.hpp"

namespace mercato::scenario::detail {

namespace fs = std::filesystem;

namespace {

// A chain longer than this is a mistake (real scenarios extend one or two parents).
constexpr std::size_t kMaxChain = 16;

struct ChainLink {
  std::string file;       // as shown in messages
  std::string canonical;  // as compared for cycles
};

std::string chain_text(const std::vector<ChainLink>& chain, const std::string& last) {
  std::string s;
  for (const auto& link : chain) s += link.file + " -> ";
  return s + last;
}

std::string join_key(const std::string& path, std::string_view key) {
  return path.empty() ? std::string(key) : path + "." + std::string(key);
}

// The value of the naming key of a list item (`id: FR`), or nullptr when it has none.
const std::string* item_name(const SourceNode& item, std::string_view key) {
  if (!item.is_map()) return nullptr;
  const SourceNode* name = item.find(key);
  return name && name->is_scalar() ? &name->scalar : nullptr;
}

// The name an item of a named list goes by: its naming key, or for an event without a name
// its default name ("offensive-2", from its type and position), as the decoder names it.
std::optional<std::string> list_item_name(const SourceNode& item, const NamedList& list,
                                          std::size_t index) {
  if (const std::string* name = item_name(item, list.key)) return *name;
  if (list.section != "events") return std::nullopt;
  const std::string* type = item_name(item, "type");
  if (!type) return std::nullopt;
  return default_event_name(*type, index);
}

// A parent's events without a name are given their default name (their position in the
// parent's list), so a child can address them by it: `- {name: offensive-2, budget: 2e9}`.
void name_events(SourceNode& list) {
  for (std::size_t i = 0; i < list.items.size(); ++i) {
    SourceNode& item = list.items[i];
    if (!item.is_map() || item_name(item, "name")) continue;
    const std::string* type = item_name(item, "type");
    if (!type) continue;
    if (SourceEntry* written = item.find_entry("name")) {  // `name: ~`
      written->value.type = SourceNode::Type::scalar;
      written->value.scalar = default_event_name(*type, i);
      continue;
    }
    SourceNode name;
    name.type = SourceNode::Type::scalar;
    name.scalar = default_event_name(*type, i);
    name.mark = item.mark;
    item.entries.insert(item.entries.begin(), SourceEntry{"name", item.mark, std::move(name)});
  }
}

bool all_named(const SourceNode& list, std::string_view key) {
  return std::all_of(list.items.begin(), list.items.end(),
                     [&](const SourceNode& item) { return item_name(item, key) != nullptr; });
}

// A distribution replaces the parent's value whole: merging {normal: [..]} into
// {uniform: [..]} key by key would give a map with two distributions.
bool is_distribution(const SourceNode& node) {
  return node.is_map() && node.entries.size() == 1 &&
         std::find(kDistributionNames.begin(), kDistributionNames.end(),
                   node.entries.front().key) != kDistributionNames.end();
}

SourceNode merge(SourceNode parent, SourceNode child, const std::string& path,
                 Diagnostics& diagnostics);

// Named lists are merged item by item: a matching item is merged, `remove: true` drops the
// parent's item, a new item is appended in the child's order.
SourceNode merge_named_list(SourceNode parent, SourceNode child, const NamedList& list,
                            Diagnostics& diagnostics) {
  for (auto& item : child.items) {
    const std::string name = *item_name(item, list.key);
    auto match = std::find_if(parent.items.begin(), parent.items.end(),
                              [&](const SourceNode& p) { return *item_name(p, list.key) == name; });
    const std::string item_path = join_key(std::string(list.section), name);
    if (const SourceNode* remove = item.find("remove")) {
      bool yes = false;
      if (!remove->is_scalar() || !YAML::convert<bool>::decode(YAML::Node(remove->scalar), yes)) {
        diagnostics.add(remove->mark, item_path + ".remove",
                        fmt::format("expected true or false, got {}", describe(*remove)));
        continue;
      }
      if (yes) {
        if (match == parent.items.end()) {
          diagnostics.add(remove->mark, item_path + ".remove",
                          fmt::format("nothing to remove: the parent scenario has no {} '{}'",
                                      list.noun, name));
        } else {
          parent.items.erase(match);
        }
        continue;
      }
      item.erase("remove");
    }
    if (match != parent.items.end()) {
      *match = merge(std::move(*match), std::move(item), item_path, diagnostics);
    } else {
      parent.items.push_back(std::move(item));
    }
  }
  return parent;
}

SourceNode merge(SourceNode parent, SourceNode child, const std::string& path,
                 Diagnostics& diagnostics) {
  if (parent.is_map() && child.is_map() && !is_distribution(child)) {
    for (auto& entry : child.entries) {
      if (SourceEntry* p = parent.find_entry(entry.key)) {
        p->value = merge(std::move(p->value), std::move(entry.value), join_key(path, entry.key),
                         diagnostics);
      } else {
        parent.entries.push_back(std::move(entry));
      }
    }
    return parent;  // keeps the parent's mark: the item was defined there
  }
  if (parent.is_sequence() && child.is_sequence()) {
    const NamedList* list = named_list(path);
    if (list && list->section == "events") name_events(parent);
    if (list && all_named(parent, list->key) && all_named(child, list->key))
      return merge_named_list(std::move(parent), std::move(child), *list, diagnostics);
  }
  return child;
}

bool resolve(const std::string& text, const std::string& file, const fs::path& dir,
             std::vector<ChainLink>& chain, Diagnostics& diagnostics, SourceNode& out) {
  bool ok = false;
  out = parse_yaml(text, file, diagnostics, ok);
  if (!ok) return false;
  if (!out.is_map()) return true;  // the decoder explains the expected shape
  SourceEntry* extends = out.find_entry("extends");
  if (!extends) return true;
  const SourceNode link = std::move(extends->value);
  out.erase("extends");
  if (link.is_null()) return true;
  if (!link.is_scalar() || link.scalar.empty()) {
    diagnostics.add(link.mark, "extends",
                    fmt::format("expected the path of a parent scenario (relative to this "
                                "file), got {}",
                                describe(link)));
    return false;
  }
  const fs::path parent_path = dir / link.scalar;
  const std::string parent_file = parent_path.lexically_normal().string();
  std::error_code ec;
  const std::string canonical = fs::weakly_canonical(parent_path, ec).string();
  const std::string chain_shown = chain_text(chain, parent_file);
  if (std::any_of(chain.begin(), chain.end(),
                  [&](const ChainLink& l) { return l.canonical == canonical; })) {
    diagnostics.add(link.mark, "extends", fmt::format("extends cycle: {}", chain_shown));
    return false;
  }
  if (chain.size() >= kMaxChain) {
    diagnostics.add(link.mark, "extends",
                    fmt::format("extends chain longer than {} files: {}", kMaxChain, chain_shown));
    return false;
  }
  if (!fs::is_regular_file(parent_path, ec)) {
    diagnostics.add(
        link.mark, "extends",
        fmt::format("parent scenario '{}' not found (chain: {})", parent_file, chain_shown));
    return false;
  }
  std::string parent_text;
  try {
    parent_text = read_scenario_file(parent_path.string());
  } catch (const IoError& e) {
    diagnostics.add(link.mark, "extends", fmt::format("{} (chain: {})", e.what(), chain_shown));
    return false;
  }
  chain.push_back({parent_file, canonical});
  SourceNode parent;
  const bool parent_ok =
      resolve(parent_text, parent_file, parent_path.parent_path(), chain, diagnostics, parent);
  chain.pop_back();
  if (!parent_ok) return false;
  if (!parent.is_map()) {
    diagnostics.add(
        parent.mark, "",
        fmt::format("a parent scenario must be a map of scenario keys, got {}", describe(parent)));
    return false;
  }
  const SourceMark child_mark = out.mark;
  out = merge(std::move(parent), std::move(out), "", diagnostics);
  out.mark = child_mark;  // top-level problems ("missing name") belong to the file loaded
  return true;
}

void relocate(SourceNode& node, const SourceMark& mark) {
  node.mark = mark;
  for (auto& item : node.items) relocate(item, mark);
  for (auto& entry : node.entries) {
    entry.key_mark = mark;
    relocate(entry.value, mark);
  }
}

std::vector<std::string> split_key(const std::string& key) {
  std::vector<std::string> segments;
  std::size_t start = 0;
  while (true) {
    std::size_t dot = key.find('.', start);
    segments.push_back(key.substr(start, dot - start));
    if (dot == std::string::npos) break;
    start = dot + 1;
  }
  return segments;
}

std::string join_segments(const std::vector<std::string>& segments, std::size_t from,
                          std::size_t to) {
  std::string s = segments[from];
  for (std::size_t i = from + 1; i <= to; ++i) s += "." + segments[i];
  return s;
}

}  // namespace

bool resolve_extends(const std::string& text, const std::string& file, const std::string& dir,
                     const std::string& canonical, Diagnostics& diagnostics, SourceNode& out) {
  std::vector<ChainLink> chain{{file, canonical.empty() ? std::string("\n") : canonical}};
  return resolve(text, file, dir, chain, diagnostics, out);
}

void apply_override(SourceNode& root, const Override& override, Diagnostics& diagnostics) {
  const SourceMark at{kOverrideFile, 0, 0};
  bool ok = false;
  SourceNode value = parse_yaml(override.value, kOverrideFile, diagnostics, ok, override.key);
  if (!ok) return;
  relocate(value, at);
  if (!root.is_map()) return;  // the decoder reports the file's shape

  const std::vector<std::string> segments = split_key(override.key);
  SourceNode* node = &root;
  std::string path;
  std::size_t i = 0;
  while (i < segments.size()) {
    const bool last = i + 1 == segments.size();
    if (node->is_null()) {  // an absent section or item field: --set creates it
      node->type = SourceNode::Type::map;
      node->mark = at;
    }
    if (node->is_map()) {
      SourceEntry* entry = node->find_entry(segments[i]);
      if (last) {
        if (entry) {
          entry->value = std::move(value);
        } else {
          node->entries.push_back({segments[i], at, std::move(value)});
        }
        return;
      }
      // A misspelt key is created here and reported by the decoder as unknown, with its
      // did-you-mean, exactly as if it had been written in the file.
      if (!entry) {
        node->entries.push_back({segments[i], at, SourceNode{}});
        entry = &node->entries.back();
        entry->value.mark = at;
      }
      path = join_key(path, segments[i]);
      node = &entry->value;
      ++i;
      continue;
    }
    if (node->is_sequence()) {
      const NamedList* list = named_list(path);
      if (!list) {
        diagnostics.add(at, path,
                        fmt::format("cannot address an item of '{}' by name in '{}'; set the "
                                    "whole list instead (--set {}=[...])",
                                    path, override.key, path));
        return;
      }
      // Names may contain dots ("Acme Inc."): the longest run of segments that names an item.
      SourceNode* match = nullptr;
      std::size_t end = segments.size();
      while (!match && end-- > i) {
        const std::string name = join_segments(segments, i, end);
        for (std::size_t k = 0; k < node->items.size(); ++k) {
          if (list_item_name(node->items[k], *list, k) == name) {
            match = &node->items[k];
            break;
          }
        }
      }
      if (!match) {
        std::vector<std::string> names;
        for (std::size_t k = 0; k < node->items.size(); ++k)
          if (auto name = list_item_name(node->items[k], *list, k)) names.push_back(*name);
        diagnostics.add(at, join_key(path, segments[i]),
                        fmt::format("no {} '{}' in {}{}", list->noun, segments[i], path,
                                    suggestion(segments[i], names)));
        return;
      }
      path = join_key(path, join_segments(segments, i, end));
      if (end + 1 == segments.size()) {
        *match = std::move(value);
        return;
      }
      node = match;
      i = end + 1;
      continue;
    }
    diagnostics.add(at, override.key,
                    fmt::format("cannot set '{}': '{}' is a single value ({}), not a map of keys",
                                override.key, path, describe(*node)));
    return;
  }
}

}  // namespace mercato::scenario::detail
