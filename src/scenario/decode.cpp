#include "scenario/decode.hpp"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <map>

#include <fmt/format.h>

#include "scenario/schema.hpp"

namespace mercato::scenario::detail {

namespace {

std::string join_key(const std::string& path, std::string_view key) {
  return path.empty() ? std::string(key) : path + "." + std::string(key);
}

template <class Fields>
std::vector<std::string> keys_of(const Fields& fields) {
  std::vector<std::string> keys;
  keys.reserve(fields.size());
  for (const auto& f : fields) keys.emplace_back(f.key);
  return keys;
}

std::vector<std::string> kind_names() {
  return {kOrgKindNames.begin(), kOrgKindNames.end()};
}

const std::vector<std::string> kTopKeys = {"mercato",       "name",    "description", "extends",
                                           "start",         "months",  "seed",        "scale",
                                           "model",         "regions", "groups",      "personas",
                                           "organisations", "talents", "events",      "outputs"};

// An organisation-field default given under `model.kinds.<kind>`.
struct KindDefault {
  Distribution value;
  SourceMark mark;
  std::string key;  // where it was written
};

class Decoder {
 public:
  Decoder(Diagnostics& diagnostics, Locations& locations)
      : diagnostics_(diagnostics), locations_(locations) {}

  Config run(const SourceNode& root);

 private:
  using Found = std::map<std::string, const SourceNode*, std::less<>>;

  void error(const SourceMark& at, const std::string& key, std::string message) {
    diagnostics_.add(at, key, std::move(message));
  }

  // The values of a map by dotted key ("counter_policy.share"), checking every key at every
  // level against `keys`. Null values count as absent, so a child can reset a parent's value.
  Found collect(const SourceNode& map, const std::string& path,
                const std::vector<std::string>& keys) {
    Found found;
    collect_level(map, path, keys, "", found);
    return found;
  }

  void collect_level(const SourceNode& map, const std::string& path,
                     const std::vector<std::string>& keys, const std::string& prefix,
                     Found& found) {
    std::vector<std::string> level;  // the keys accepted at this level, for did-you-mean
    for (const auto& k : keys) {
      if (!k.starts_with(prefix)) continue;
      std::string first = k.substr(prefix.size(), k.find('.', prefix.size()) - prefix.size());
      if (std::find(level.begin(), level.end(), first) == level.end()) level.push_back(first);
    }
    for (const auto& entry : map.entries) {
      const std::string full = prefix + entry.key;
      const std::string entry_path = join_key(path, entry.key);
      if (std::find(keys.begin(), keys.end(), full) != keys.end()) {
        if (!entry.value.is_null()) found.emplace(full, &entry.value);
        continue;
      }
      const bool nested = std::any_of(keys.begin(), keys.end(), [&](const std::string& k) {
        return k.starts_with(full + ".");
      });
      if (!nested) {
        error(entry.key_mark, entry_path,
              fmt::format("unknown key '{}'{}", entry.key, suggestion(entry.key, level)));
        continue;
      }
      if (entry.value.is_null()) continue;
      if (!entry.value.is_map()) {
        std::vector<std::string> sub;
        for (const auto& k : keys)
          if (k.starts_with(full + ".")) sub.push_back(k.substr(full.size() + 1));
        error(entry.value.mark, entry_path,
              fmt::format("expected a map with keys {}, got {}", fmt::join(sub, ", "),
                          describe(entry.value)));
        continue;
      }
      collect_level(entry.value, entry_path, keys, full + ".", found);
    }
  }

  static const SourceNode* get(const Found& found, std::string_view key) {
    auto it = found.find(key);
    return it == found.end() ? nullptr : it->second;
  }

  std::optional<double> number(const SourceNode& node, const std::string& path) {
    const std::optional<double> read = read_number(node, path, diagnostics_);
    if (!read) return std::nullopt;
    const double x = *read;
    if (std::abs(x) > kMaxMagnitude) {
      error(node.mark, path,
            fmt::format("expected a number of magnitude at most 1e15, got {}", node.scalar));
      return std::nullopt;
    }
    locations_.record(path, node.mark);
    return x;
  }

  // Integers are checked against their range here, before narrowing to int.
  std::optional<int> integer(const SourceNode& node, const std::string& path, const Range& range) {
    auto x = number(node, path);
    if (!x || !is_whole_in(node, path, *x, range, diagnostics_)) return std::nullopt;
    return static_cast<int>(*x);
  }

  std::optional<std::string> text(const SourceNode& node, const std::string& path) {
    if (!node.is_scalar()) {
      error(node.mark, path, fmt::format("expected a string, got {}", describe(node)));
      return std::nullopt;
    }
    locations_.record(path, node.mark);
    return node.scalar;
  }

  // YAML's other spellings of booleans (yes, on, y) are typos more often than intent.
  std::optional<bool> boolean(const SourceNode& node, const std::string& path) {
    if (node.is_scalar()) {
      for (const char* yes : {"true", "True", "TRUE"})
        if (node.scalar == yes) {
          locations_.record(path, node.mark);
          return true;
        }
      for (const char* no : {"false", "False", "FALSE"})
        if (node.scalar == no) {
          locations_.record(path, node.mark);
          return false;
        }
    }
    error(node.mark, path, fmt::format("expected true or false, got {}", describe(node)));
    return std::nullopt;
  }

  std::optional<Distribution> distribution(const SourceNode& node, const std::string& path) {
    static const std::string kForms =
        "{uniform: [lo, hi]}, {normal: [mean, sd]} or {lognormal: [median, sigma]}";
    if (node.is_scalar()) {
      auto x = number(node, path);
      return x ? std::optional(Distribution::constant(*x)) : std::nullopt;
    }
    if (!node.is_map() || node.entries.size() != 1) {
      error(node.mark, path,
            fmt::format("expected a number or a distribution ({}), got {}", kForms,
                        node.is_map() ? fmt::format("a map with {} keys", node.entries.size())
                                      : describe(node)));
      return std::nullopt;
    }
    const SourceEntry& form = node.entries.front();
    const std::vector<std::string> names(kDistributionNames.begin(), kDistributionNames.end());
    const std::string form_path = join_key(path, form.key);
    auto known = std::find(names.begin(), names.end(), form.key);
    if (known == names.end()) {
      error(form.key_mark, form_path,
            fmt::format("unknown distribution '{}'{}", form.key, suggestion(form.key, names)));
      return std::nullopt;
    }
    static constexpr std::array<std::string_view, 3> kArgs = {"[lo, hi]", "[mean, sd]",
                                                              "[median, sigma]"};
    const auto which = known - names.begin();
    const SourceNode& args = form.value;
    if (!args.is_sequence() || args.items.size() != 2) {
      error(args.mark, form_path,
            fmt::format("expected {} (a list of two numbers), got {}", kArgs[which],
                        args.is_sequence() ? fmt::format("a list of {}", args.items.size())
                                           : describe(args)));
      return std::nullopt;
    }
    auto a = number(args.items[0], form_path + "[0]");
    auto b = number(args.items[1], form_path + "[1]");
    if (!a || !b) return std::nullopt;
    locations_.record(path, node.mark);
    switch (which) {
      case 0:
        return Distribution::uniform(*a, *b);
      case 1:
        return Distribution::normal(*a, *b);
      default:
        return Distribution::lognormal(*a, *b);
    }
  }

  // Reads the naming key of a list item; returns the item's key path ("regions.FR", or
  // "regions[2]" when it has no usable name) and records the item's location.
  std::string item_path(const SourceNode& item, std::string_view section, std::string_view key,
                        std::size_t index, std::string& name) {
    std::string index_path = fmt::format("{}[{}]", section, index);
    locations_.record(index_path, item.mark);
    const SourceNode* n = item.find(key);
    if (!n || n->is_null()) {
      error(item.mark, index_path, fmt::format("missing required key '{}'", key));
      return index_path;
    }
    auto t = text(*n, join_key(index_path, key));
    if (!t) return index_path;
    name = *t;
    std::string path = join_key(std::string(section), name);
    locations_.record(path, item.mark);
    locations_.record(join_key(path, key), n->mark);
    return path;
  }

  // `remove: true` only means something when merging over a parent (resolve.cpp consumes it).
  void reject_remove(const Found& found, const std::string& path, std::string_view noun) {
    if (const SourceNode* r = get(found, "remove"))
      error(r->mark, join_key(path, "remove"),
            fmt::format("'remove' needs a parent scenario (extends:) that defines this {}", noun));
  }

  bool expect_list(const SourceNode& node, const std::string& path, std::string_view what) {
    if (node.is_sequence()) return true;
    error(node.mark, path, fmt::format("expected a list of {}, got {}", what, describe(node)));
    return false;
  }

  void decode_model(const SourceNode& node, ModelConfig& model);
  void decode_kinds(const SourceNode& node, ModelConfig& model);
  void decode_regions(const SourceNode& node, std::vector<RegionConfig>& regions);
  void decode_study_abroad(const SourceNode& node, const std::string& path,
                           std::map<std::string, double>& shares);
  void decode_groups(const SourceNode& node, std::vector<GroupConfig>& groups);
  void decode_personas(const SourceNode& node, std::vector<PersonaConfig>& personas);
  void decode_organisations(const SourceNode& node, std::vector<OrgConfig>& orgs);
  void decode_talents(const SourceNode& node, std::vector<TalentStockConfig>& talents);
  void decode_events(const SourceNode& node, const YearMonth& start,
                     std::vector<EventConfig>& events);
  std::optional<int> event_month(const SourceNode& node, const std::string& path,
                                 const YearMonth& start);
  void decode_outputs(const SourceNode& node, OutputsConfig& outputs);
  void decode_start(const SourceNode& node, YearMonth& start);
  void decode_seed(const SourceNode& node, std::uint64_t& seed);

  Diagnostics& diagnostics_;
  Locations& locations_;
  std::map<OrgKind, std::map<std::string, KindDefault, std::less<>>> kind_defaults_;
};

Config Decoder::run(const SourceNode& root) {
  Config config;
  for (int k = 0; k < kOrgKindCount; ++k) config.model.kinds[static_cast<OrgKind>(k)] = {};
  locations_.record("", root.mark);
  if (root.is_null()) {
    error(root.mark, "",
          "the scenario is empty; it needs at least `mercato: 1`, `name`, `regions` and "
          "`organisations` (see docs/scenarios.md)");
    return config;
  }
  if (!root.is_map()) {
    error(root.mark, "",
          fmt::format("expected a map of scenario keys (mercato, name, regions, organisations, "
                      "...), got {}",
                      describe(root)));
    return config;
  }
  const Found f = collect(root, "", kTopKeys);

  if (const SourceNode* n = get(f, "mercato")) {
    if (auto v = number(*n, "mercato")) {
      if (*v != 1) {
        error(
            n->mark, "mercato",
            fmt::format("unsupported schema version {}: this mercato reads version 1", n->scalar));
      }
    }
  } else {
    error(root.mark, "mercato", "missing required key 'mercato' (the schema version: 1)");
  }
  if (const SourceNode* n = get(f, "name")) {
    if (auto v = text(*n, "name")) config.name = *v;
  } else {
    error(root.mark, "name", "missing required key 'name'");
  }
  if (const SourceNode* n = get(f, "description"))
    if (auto v = text(*n, "description")) config.description = *v;
  if (const SourceNode* n = get(f, "start")) decode_start(*n, config.start);
  if (const SourceNode* n = get(f, "months"))
    if (auto v = integer(*n, "months", kMonthsRange)) config.months = *v;
  if (const SourceNode* n = get(f, "seed")) decode_seed(*n, config.seed);
  if (const SourceNode* n = get(f, "scale"))
    if (auto v = number(*n, "scale")) config.scale = *v;
  if (const SourceNode* n = get(f, "model")) decode_model(*n, config.model);

  if (const SourceNode* n = get(f, "regions")) {
    decode_regions(*n, config.regions);
  } else {
    locations_.record("regions", root.mark);
  }
  if (const SourceNode* n = get(f, "groups")) decode_groups(*n, config.groups);
  if (const SourceNode* n = get(f, "personas")) {
    decode_personas(*n, config.personas);
  } else {
    // One persona with PersonaConfig's weights: every talent shares the same tastes.
    PersonaConfig everyone;
    everyone.name = "default";
    config.personas.push_back(everyone);
  }
  if (const SourceNode* n = get(f, "organisations")) {
    decode_organisations(*n, config.organisations);
  } else {
    locations_.record("organisations", root.mark);
  }
  if (const SourceNode* n = get(f, "talents")) decode_talents(*n, config.talents);
  if (const SourceNode* n = get(f, "events")) decode_events(*n, config.start, config.events);
  if (const SourceNode* n = get(f, "outputs")) decode_outputs(*n, config.outputs);
  return config;
}

void Decoder::decode_start(const SourceNode& node, YearMonth& start) {
  auto t = text(node, "start");
  if (!t) return;
  const std::string& s = *t;
  int year = 0, month = 0;
  const bool shaped = s.size() == 7 && s[4] == '-' &&
                      std::from_chars(s.data(), s.data() + 4, year).ptr == s.data() + 4 &&
                      std::from_chars(s.data() + 5, s.data() + 7, month).ptr == s.data() + 7;
  if (!shaped || month < 1 || month > 12) {
    error(node.mark, "start",
          fmt::format("expected a month as YYYY-MM (e.g. 2025-01), got {}", describe(node)));
    return;
  }
  start = {year, month};
}

void Decoder::decode_seed(const SourceNode& node, std::uint64_t& seed) {
  // Seeds may use all 64 bits, beyond what a double holds exactly: read the digits directly.
  if (node.is_scalar()) {
    const std::string& s = node.scalar;
    std::uint64_t v = 0;
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec == std::errc() && end == s.data() + s.size() && !s.empty()) {
      locations_.record("seed", node.mark);
      seed = v;
      return;
    }
  }
  auto v = number(node, "seed");
  if (!v) return;
  // Beyond 2^53 a double no longer holds every integer; such seeds come as plain digits above.
  if (*v < 0 || std::floor(*v) != *v || *v > 9007199254740992.0) {
    error(node.mark, "seed", fmt::format("expected a non-negative integer, got {}", node.scalar));
    return;
  }
  seed = static_cast<std::uint64_t>(*v);
}

void Decoder::decode_model(const SourceNode& node, ModelConfig& model) {
  locations_.record("model", node.mark);
  if (!node.is_map()) {
    error(node.mark, "model",
          fmt::format("expected a map of model parameters, got {}", describe(node)));
    return;
  }
  std::vector<std::string> keys = keys_of(kModelReals);
  for (const auto& f : kModelInts) keys.emplace_back(f.key);
  keys.emplace_back("kinds");
  const Found f = collect(node, "model", keys);
  for (const auto& field : kModelReals)
    if (const SourceNode* n = get(f, field.key))
      if (auto v = number(*n, join_key("model", field.key))) model.*field.member = *v;
  for (const auto& field : kModelInts)
    if (const SourceNode* n = get(f, field.key))
      if (auto v = integer(*n, join_key("model", field.key), field.range)) model.*field.member = *v;
  if (const SourceNode* n = get(f, "kinds")) decode_kinds(*n, model);
}

void Decoder::decode_kinds(const SourceNode& node, ModelConfig& model) {
  locations_.record("model.kinds", node.mark);
  if (!node.is_map()) {
    error(node.mark, "model.kinds",
          fmt::format("expected a map from organisation kind ({}) to its parameters, got {}",
                      fmt::join(kOrgKindNames, ", "), describe(node)));
    return;
  }
  std::vector<std::string> keys = keys_of(kKindFields);
  for (const auto& f : kOrgFields) keys.emplace_back(f.key);
  for (const auto& entry : node.entries) {
    const std::string path = join_key("model.kinds", entry.key);
    auto kind = org_kind_from_string(entry.key);
    if (!kind) {
      error(entry.key_mark, path,
            fmt::format("unknown kind '{}'{}", entry.key, suggestion(entry.key, kind_names())));
      continue;
    }
    locations_.record(path, entry.key_mark);
    if (entry.value.is_null()) continue;
    if (!entry.value.is_map()) {
      error(entry.value.mark, path,
            fmt::format("expected a map of the kind's parameters (ability_growth, annual_raise "
                        "and organisation defaults), got {}",
                        describe(entry.value)));
      continue;
    }
    const Found f = collect(entry.value, path, keys);
    KindConfig& k = model.kinds[*kind];
    for (const auto& field : kKindFields)
      if (const SourceNode* n = get(f, field.key))
        if (auto v = number(*n, join_key(path, field.key))) k.*field.member = *v;
    auto& defaults = kind_defaults_[*kind];
    for (const auto& field : kOrgFields) {
      const SourceNode* n = get(f, field.key);
      if (!n) continue;
      const std::string field_path = join_key(path, field.key);
      if (auto d = distribution(*n, field_path))
        defaults[std::string(field.key)] = {*d, n->mark, field_path};
    }
    if (get(f, "ai_value") && (get(f, "tfp") || get(f, "price")))
      error(entry.value.mark, path,
            "give either ai_value or tfp and price as the kind's default, not both");
  }
}

void Decoder::decode_regions(const SourceNode& node, std::vector<RegionConfig>& regions) {
  locations_.record("regions", node.mark);
  if (!expect_list(node, "regions", "regions (each a map with an id)")) return;
  std::vector<std::string> keys = keys_of(kRegionFields);
  keys.insert(keys.end(), {"id", "name", "study_abroad", "remove"});
  for (std::size_t i = 0; i < node.items.size(); ++i) {
    const SourceNode& item = node.items[i];
    if (!item.is_map()) {
      error(item.mark, fmt::format("regions[{}]", i),
            fmt::format("expected a region (a map with id, name, cost_of_living, ...), got {}",
                        describe(item)));
      continue;
    }
    RegionConfig r;
    const std::string path = item_path(item, "regions", "id", i, r.id);
    const Found f = collect(item, path, keys);
    reject_remove(f, path, "region");
    r.name = r.id;
    if (const SourceNode* n = get(f, "name"))
      if (auto v = text(*n, join_key(path, "name"))) r.name = *v;
    for (const auto& field : kRegionFields)
      if (const SourceNode* n = get(f, field.key))
        if (auto v = number(*n, join_key(path, field.key))) r.*field.member = *v;
    if (const SourceNode* n = get(f, "study_abroad"))
      decode_study_abroad(*n, join_key(path, "study_abroad"), r.study_abroad);
    regions.push_back(std::move(r));
  }
}

// `study_abroad: {US: 0.3, CA: 0.02}`: shares by destination region id (checked in checks.cpp).
void Decoder::decode_study_abroad(const SourceNode& node, const std::string& path,
                                  std::map<std::string, double>& shares) {
  locations_.record(path, node.mark);
  if (!node.is_map()) {
    error(node.mark, path,
          fmt::format("expected a map from region id to the share of graduates who study there "
                      "(e.g. {{US: 0.3}}), got {}",
                      describe(node)));
    return;
  }
  for (const auto& entry : node.entries) {
    const std::string share_path = join_key(path, entry.key);
    locations_.record(share_path, entry.key_mark);
    if (entry.value.is_null()) continue;  // a child scenario removes a parent's flow
    if (auto v = number(entry.value, share_path)) shares[entry.key] = *v;
  }
}

void Decoder::decode_groups(const SourceNode& node, std::vector<GroupConfig>& groups) {
  locations_.record("groups", node.mark);
  if (!node.is_map()) {
    error(node.mark, "groups",
          fmt::format("expected a map from group id to a list of region ids (e.g. EU: [FR, DE]), "
                      "got {}",
                      describe(node)));
    return;
  }
  for (const auto& entry : node.entries) {
    GroupConfig g{entry.key, {}};
    const std::string path = join_key("groups", entry.key);
    locations_.record(path, entry.key_mark);
    if (!entry.value.is_null() && expect_list(entry.value, path, "region ids")) {
      for (std::size_t i = 0; i < entry.value.items.size(); ++i)
        if (auto id = text(entry.value.items[i], fmt::format("{}[{}]", path, i)))
          g.regions.push_back(*id);
    }
    groups.push_back(std::move(g));
  }
}

void Decoder::decode_personas(const SourceNode& node, std::vector<PersonaConfig>& personas) {
  locations_.record("personas", node.mark);
  if (!expect_list(node, "personas", "personas (each a map with a name)")) return;
  std::vector<std::string> keys = keys_of(kPersonaFields);
  keys.insert(keys.end(), {"name", "share", "remove"});
  for (std::size_t i = 0; i < node.items.size(); ++i) {
    const SourceNode& item = node.items[i];
    if (!item.is_map()) {
      error(item.mark, fmt::format("personas[{}]", i),
            fmt::format("expected a persona (a map with name, share, w_money, ...), got {}",
                        describe(item)));
      continue;
    }
    PersonaConfig p;
    const std::string path = item_path(item, "personas", "name", i, p.name);
    const Found f = collect(item, path, keys);
    reject_remove(f, path, "persona");
    if (const SourceNode* n = get(f, "share"))
      if (auto v = number(*n, join_key(path, "share"))) p.share = *v;
    for (const auto& field : kPersonaFields)
      if (const SourceNode* n = get(f, field.key))
        if (auto v = distribution(*n, join_key(path, field.key))) p.*field.member = *v;
    personas.push_back(std::move(p));
  }
}

void Decoder::decode_organisations(const SourceNode& node, std::vector<OrgConfig>& orgs) {
  locations_.record("organisations", node.mark);
  if (!expect_list(node, "organisations", "organisations (each a map with name, kind, region)"))
    return;
  std::vector<std::string> keys = keys_of(kOrgFields);
  keys.insert(keys.end(), {"name", "kind", "region", "headquarters", "count", "remove"});
  for (std::size_t i = 0; i < node.items.size(); ++i) {
    const SourceNode& item = node.items[i];
    if (!item.is_map()) {
      error(item.mark, fmt::format("organisations[{}]", i),
            fmt::format("expected an organisation (a map with name, kind, region, ...), got {}",
                        describe(item)));
      continue;
    }
    OrgConfig o;
    const std::string path = item_path(item, "organisations", "name", i, o.name);
    const Found f = collect(item, path, keys);
    reject_remove(f, path, "organisation");

    const std::map<std::string, KindDefault, std::less<>>* defaults = nullptr;
    if (const SourceNode* n = get(f, "kind")) {
      if (auto k = text(*n, join_key(path, "kind"))) {
        if (auto kind = org_kind_from_string(*k)) {
          o.kind = *kind;
          defaults = &kind_defaults_[*kind];
        } else {
          error(n->mark, join_key(path, "kind"),
                fmt::format("unknown kind '{}'{}", *k, suggestion(*k, kind_names())));
        }
      }
    } else {
      error(item.mark, join_key(path, "kind"),
            fmt::format("missing required key 'kind' (one of {})", fmt::join(kOrgKindNames, ", ")));
    }
    if (const SourceNode* n = get(f, "region")) {
      if (auto r = text(*n, join_key(path, "region"))) o.region = *r;
    } else {
      error(item.mark, join_key(path, "region"), "missing required key 'region'");
    }
    if (const SourceNode* n = get(f, "headquarters")) {
      if (auto r = text(*n, join_key(path, "headquarters"))) o.headquarters = *r;
    }
    if (const SourceNode* n = get(f, "count")) {
      if (auto c = integer(*n, join_key(path, "count"), kOrgCountRange)) o.count = *c;
      o.is_pool = true;
    }

    // The organisation's own value, else its kind's default, else OrgConfig's.
    auto assign = [&](const OrgField& field, const Distribution& d) {
      if (field.value) o.*field.value = d;
      if (field.optional_value) o.*field.optional_value = d;
    };
    auto inherit = [&](const OrgField& field) {
      if (!defaults) return;
      auto it = defaults->find(field.key);
      if (it == defaults->end()) return;
      assign(field, it->second.value);
      locations_.record(join_key(path, field.key), it->second.mark, it->second.key);
    };
    auto is_production = [](std::string_view key) {
      return key == "ai_value" || key == "tfp" || key == "price";
    };
    for (const auto& field : kOrgFields) {
      if (const SourceNode* n = get(f, field.key)) {
        if (auto d = distribution(*n, join_key(path, field.key))) assign(field, *d);
      } else if (!is_production(field.key)) {
        inherit(field);
      }
    }
    // The production form (ai_value, or tfp and price) is inherited as a whole: an
    // organisation that gives ai_value ignores its kind's tfp and price, and the other way
    // round; one that gives only tfp takes its kind's price.
    auto inherit_key = [&](std::string_view key) {
      if (get(f, key)) return;
      for (const auto& field : kOrgFields)
        if (field.key == key) inherit(field);
    };
    const bool own_ai = get(f, "ai_value") != nullptr;
    const bool own_tfp_price = get(f, "tfp") || get(f, "price");
    const bool kind_ai = defaults && defaults->contains("ai_value");
    if (own_tfp_price && !own_ai) {
      inherit_key("tfp");
      inherit_key("price");
    } else if (!own_ai && !own_tfp_price) {
      if (kind_ai) {
        inherit_key("ai_value");
      } else {
        inherit_key("tfp");
        inherit_key("price");
      }
    }
    orgs.push_back(std::move(o));
  }
}

void Decoder::decode_talents(const SourceNode& node, std::vector<TalentStockConfig>& talents) {
  locations_.record("talents", node.mark);
  if (!expect_list(node, "talents", "talent stocks (each a map with an origin region)")) return;
  const std::vector<std::string> keys = {"origin",         "count",         "research_share",
                                         "ability.mu",     "ability.sigma", "experience_years",
                                         "employed_share", "work",          "remove"};
  for (std::size_t i = 0; i < node.items.size(); ++i) {
    const SourceNode& item = node.items[i];
    if (!item.is_map()) {
      error(item.mark, fmt::format("talents[{}]", i),
            fmt::format("expected a talent stock (a map with origin, count, ...), got {}",
                        describe(item)));
      continue;
    }
    TalentStockConfig t;
    const std::string path = item_path(item, "talents", "origin", i, t.origin);
    const Found f = collect(item, path, keys);
    reject_remove(f, path, "talent stock");
    if (const SourceNode* n = get(f, "count"))
      if (auto v = number(*n, join_key(path, "count"))) t.count = *v;
    if (const SourceNode* n = get(f, "research_share"))
      if (auto v = number(*n, join_key(path, "research_share"))) t.research_share = *v;
    if (const SourceNode* n = get(f, "ability.mu"))
      if (auto v = number(*n, join_key(path, "ability.mu"))) t.ability_mu = *v;
    if (const SourceNode* n = get(f, "ability.sigma"))
      if (auto v = number(*n, join_key(path, "ability.sigma"))) t.ability_sigma = *v;
    if (const SourceNode* n = get(f, "experience_years"))
      if (auto v = distribution(*n, join_key(path, "experience_years"))) t.experience_years = *v;
    if (const SourceNode* n = get(f, "employed_share"))
      if (auto v = number(*n, join_key(path, "employed_share"))) t.employed_share = *v;
    if (const SourceNode* n = get(f, "work")) {
      const std::string work_path = join_key(path, "work");
      locations_.record(work_path, n->mark);
      if (!n->is_map()) {
        error(n->mark, work_path,
              fmt::format("expected a map from region id to the share working there (e.g. "
                          "{{US: 0.7, FR: 0.3}}), got {}",
                          describe(*n)));
      } else {
        for (const auto& entry : n->entries) {
          locations_.record(join_key(work_path, entry.key), entry.key_mark);
          if (auto v = number(entry.value, join_key(work_path, entry.key))) t.work[entry.key] = *v;
        }
      }
    } else if (!t.origin.empty()) {
      t.work[t.origin] = 1.0;
    }
    talents.push_back(std::move(t));
  }
}

void Decoder::decode_events(const SourceNode& node, const YearMonth& start,
                            std::vector<EventConfig>& events) {
  locations_.record("events", node.mark);
  if (!expect_list(node, "events", "events (each a map with a type and a start)")) return;
  const std::vector<std::string> type_names(kEventTypeNames.begin(), kEventTypeNames.end());
  const std::vector<std::string> all_keys = all_event_keys();
  for (std::size_t i = 0; i < node.items.size(); ++i) {
    const SourceNode& item = node.items[i];
    const std::string index_path = fmt::format("events[{}]", i);
    locations_.record(index_path, item.mark);
    if (!item.is_map()) {
      error(item.mark, index_path,
            fmt::format("expected an event (a map with type, start, ...), got {}", describe(item)));
      continue;
    }
    EventConfig e;
    // The type first: it decides which keys the event takes and its default name.
    const SourceNode* type_node = item.find("type");
    const bool type_written = type_node && !type_node->is_null();
    std::optional<EventType> type;
    if (type_written && type_node->is_scalar()) type = event_type_from_string(type_node->scalar);
    if (type) e.type = *type;
    // The item's key path: its name, else its default name, else its index.
    const SourceNode* name_node = item.find("name");
    std::string path = index_path;
    std::optional<std::string> written_name;
    if (name_node && !name_node->is_null())
      written_name = text(*name_node, join_key(index_path, "name"));
    if (written_name && !written_name->empty()) {
      e.name = *written_name;
      path = join_key("events", e.name);
      locations_.record(join_key(path, "name"), name_node->mark);
    } else if (type) {
      e.name = default_event_name(to_string(*type), i);
      path = join_key("events", e.name);
    }
    locations_.record(path, item.mark);
    if (!type_written) {
      error(
          item.mark, join_key(path, "type"),
          fmt::format("missing required key 'type' (one of {})", fmt::join(kEventTypeNames, ", ")));
    } else if (text(*type_node, join_key(path, "type")) && !type) {
      error(type_node->mark, join_key(path, "type"),
            fmt::format("unknown event type '{}'{}", type_node->scalar,
                        suggestion(type_node->scalar, type_names)));
    }
    if (written_name && written_name->empty())
      error(name_node->mark, join_key(index_path, "name"),
            "expected a non-empty name (or leave `name` out for the default)");

    // Every key is one some event type takes, and one this type takes.
    Found found;
    for (const auto& entry : item.entries) {
      const std::string key_path = join_key(path, entry.key);
      if (entry.value.is_null() || entry.key == "type" || entry.key == "name") continue;
      if (entry.key == "remove") {
        error(entry.value.mark, key_path,
              "'remove' needs a parent scenario (extends:) that defines this event");
        continue;
      }
      if (std::find(all_keys.begin(), all_keys.end(), entry.key) == all_keys.end()) {
        const std::vector<std::string> candidates = type ? event_keys(*type) : all_keys;
        error(entry.key_mark, key_path,
              fmt::format("unknown key '{}'{}", entry.key, suggestion(entry.key, candidates)));
        // A misspelt required key is reported once: "missing 'budget'" would repeat it.
        if (auto near = nearest(entry.key, candidates); near && !item.find(*near))
          locations_.record(join_key(path, *near), entry.key_mark, key_path);
        continue;
      }
      if (type && !takes_key(*type, entry.key)) {
        error(entry.key_mark, key_path, not_taken_message(*type, entry.key));
        continue;
      }
      found.emplace(entry.key, &entry.value);
    }

    // With its type unknown, the type's message is the only one about what is missing.
    const bool type_unknown = type_written && !type;
    if (const SourceNode* n = get(found, "start")) {
      if (auto m = event_month(*n, join_key(path, "start"), start)) e.start_month = *m;
    } else if (!type_unknown) {
      error(item.mark, join_key(path, "start"),
            type ? fmt::format("missing required key 'start' for {}", event_noun(*type))
                 : std::string("missing required key 'start'"));
    }
    if (const SourceNode* n = get(found, "end"))
      if (auto m = event_month(*n, join_key(path, "end"), start)) e.end_month = *m;
    if (const SourceNode* n = get(found, "org"))
      if (auto v = text(*n, join_key(path, "org"))) e.org = *v;
    if (const SourceNode* n = get(found, "region"))
      if (auto v = text(*n, join_key(path, "region"))) e.region = *v;
    if (const SourceNode* n = get(found, "targets")) {
      const std::string targets_path = join_key(path, "targets");
      locations_.record(targets_path, n->mark);
      if (expect_list(*n, targets_path, "organisation or pool names")) {
        if (n->items.empty())
          error(n->mark, targets_path, "expected a list of at least one organisation or pool");
        for (std::size_t t = 0; t < n->items.size(); ++t)
          if (auto v = text(n->items[t], fmt::format("{}[{}]", targets_path, t)))
            e.targets.push_back(*v);
      }
    }
    if (const SourceNode* n = get(found, "kind")) {
      if (auto k = text(*n, join_key(path, "kind"))) {
        if (auto kind = org_kind_from_string(*k)) {
          e.kind = *kind;
        } else {
          error(n->mark, join_key(path, "kind"),
                fmt::format("unknown kind '{}'{}", *k, suggestion(*k, kind_names())));
        }
      }
    }
    if (const SourceNode* n = get(found, "role")) {
      if (auto r = text(*n, join_key(path, "role"))) {
        if (*r == to_string(Role::research)) {
          e.role = Role::research;
        } else if (*r == to_string(Role::engineering)) {
          e.role = Role::engineering;
        } else {
          const std::vector<std::string> roles = {"research", "engineering"};
          error(n->mark, join_key(path, "role"),
                fmt::format("unknown role '{}'{}", *r, suggestion(*r, roles)));
        }
      }
    }
    if (const SourceNode* n = get(found, "immediate_vesting"))
      e.immediate_vesting = boolean(*n, join_key(path, "immediate_vesting"));
    for (const auto& field : kEventFields)
      if (const SourceNode* n = get(found, field.key))
        if (auto v = number(*n, join_key(path, field.key))) e.*field.member = *v;
    events.push_back(std::move(e));
  }
}

// A month of the timeline: "2025-07", or a whole number of months from the scenario start.
std::optional<int> Decoder::event_month(const SourceNode& node, const std::string& path,
                                        const YearMonth& start) {
  static const std::string kExpected =
      "expected a month as YYYY-MM (e.g. 2025-07) or a number of months from the scenario "
      "start (0 = the start month)";
  if (!node.is_scalar()) {
    error(node.mark, path, fmt::format("{}, got {}", kExpected, describe(node)));
    return std::nullopt;
  }
  double count = 0;
  if (YAML::convert<double>::decode(YAML::Node(node.scalar), count)) {
    if (!std::isfinite(count) || std::floor(count) != count || !kEventMonthRange.contains(count)) {
      error(node.mark, path,
            fmt::format("expected a month as YYYY-MM or a whole number of months {} from the "
                        "scenario start, got {}",
                        kEventMonthRange.describe(), node.scalar));
      return std::nullopt;
    }
    locations_.record(path, node.mark);
    return static_cast<int>(count);
  }
  const std::string& s = node.scalar;
  int year = 0, month = 0;
  const bool shaped = s.size() == 7 && s[4] == '-' &&
                      std::from_chars(s.data(), s.data() + 4, year).ptr == s.data() + 4 &&
                      std::from_chars(s.data() + 5, s.data() + 7, month).ptr == s.data() + 7;
  if (!shaped || year < 0 || month < 1 || month > 12) {
    error(node.mark, path, fmt::format("{}, got {}", kExpected, describe(node)));
    return std::nullopt;
  }
  locations_.record(path, node.mark);
  return (year * 12 + month - 1) - (start.year * 12 + start.month - 1);
}

void Decoder::decode_outputs(const SourceNode& node, OutputsConfig& outputs) {
  locations_.record("outputs", node.mark);
  if (!node.is_map()) {
    error(node.mark, "outputs",
          fmt::format("expected a map with moves, origins_every_months, tables, got {}",
                      describe(node)));
    return;
  }
  const Found f = collect(node, "outputs", {"moves", "origins_every_months", "tables"});
  if (const SourceNode* n = get(f, "moves")) {
    if (auto m = text(*n, "outputs.moves")) {
      auto it = std::find(kMoveLogNames.begin(), kMoveLogNames.end(), *m);
      if (it != kMoveLogNames.end()) {
        outputs.moves = static_cast<MoveLog>(it - kMoveLogNames.begin());
      } else {
        const std::vector<std::string> names(kMoveLogNames.begin(), kMoveLogNames.end());
        error(n->mark, "outputs.moves",
              fmt::format("expected one of none, elite, top, all, got {}{}", describe(*n),
                          nearest(*m, names) ? suggestion(*m, names) : ""));
      }
    }
  }
  if (const SourceNode* n = get(f, "origins_every_months"))
    if (auto v = integer(*n, "outputs.origins_every_months", kOriginsEveryRange))
      outputs.origins_every_months = *v;
  if (const SourceNode* n = get(f, "tables")) {
    if (expect_list(*n, "outputs.tables", "table names")) {
      outputs.tables.clear();
      for (std::size_t i = 0; i < n->items.size(); ++i)
        if (auto t = text(n->items[i], fmt::format("outputs.tables[{}]", i)))
          outputs.tables.push_back(*t);
    }
  }
}

}  // namespace

void Locations::record(const std::string& path, const SourceMark& mark, std::string written_key) {
  if (written_key.empty()) written_key = path;
  written_[path] = {mark, std::move(written_key)};
}

Written Locations::find(const std::string& path) const {
  std::string p = path;
  while (true) {
    if (auto it = written_.find(p); it != written_.end())
      return p == path ? it->second : Written{it->second.mark, path};
    if (p.empty()) return {{default_file_, 0, 0}, path};
    const auto cut = p.find_last_of(".[");
    p = cut == std::string::npos ? std::string() : p.substr(0, cut);
  }
}

Config decode(const SourceNode& root, Diagnostics& diagnostics, Locations& locations) {
  return Decoder(diagnostics, locations).run(root);
}

}  // namespace mercato::scenario::detail
