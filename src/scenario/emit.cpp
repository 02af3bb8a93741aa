// to_yaml: the fully resolved Config, every key written, so a run's manifest reproduces it.
#include <yaml-cpp/yaml.h>

#include <cctype>

#include <fmt/format.h>

#include "mercato/scenario/scenario.hpp"
#include "scenario/schema.hpp"

namespace mercato::scenario {

namespace {

using detail::format_number;

// Names are quoted unless they read back as the same string: `null`, `yes`, `1e5` or
// `a: b` written plain would come back as null, true, a number or a map.
bool plain_is_safe(const std::string& s) {
  if (s.empty() || !(std::isalpha(static_cast<unsigned char>(s.front())) || s.front() == '_'))
    return false;
  for (char c : s) {
    auto u = static_cast<unsigned char>(c);
    if (!(std::isalnum(u) || c == '_' || c == '-' || c == '.' || c == ' ')) return false;
  }
  if (s.back() == ' ') return false;
  std::string lower;
  for (char c : s) lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  for (const char* word : {"null", "true", "false", "yes", "no", "on", "off", "y", "n"})
    if (lower == word) return false;
  return true;
}

void text(YAML::Emitter& out, const std::string& s) {
  if (plain_is_safe(s)) {
    out << s;
  } else {
    out << YAML::DoubleQuoted << s;
  }
}

void key(YAML::Emitter& out, const std::string& k) {
  out << YAML::Key;
  text(out, k);
  out << YAML::Value;
}

// Shortest representation that reads back to the same double (fmt's "{}").
void number(YAML::Emitter& out, double x) {
  out << format_number(x);
}

void distribution(YAML::Emitter& out, const Distribution& d) {
  if (d.kind == Distribution::Kind::constant) {
    number(out, d.a);
    return;
  }
  const auto name = detail::kDistributionNames[static_cast<int>(d.kind) - 1];
  out << YAML::Flow << YAML::BeginMap << YAML::Key << std::string(name) << YAML::Value << YAML::Flow
      << YAML::BeginSeq;
  number(out, d.a);
  number(out, d.b);
  out << YAML::EndSeq << YAML::EndMap;
}

// Writes the fields of a table in order; dotted keys ("counter_policy.share") become a nested
// flow map, the fields sharing a prefix being adjacent in the tables.
template <class Fields, class Write>
void fields(YAML::Emitter& out, const Fields& table, Write write) {
  std::string_view open;
  for (const auto& f : table) {
    const auto dot = f.key.find('.');
    const std::string_view prefix = dot == std::string_view::npos ? "" : f.key.substr(0, dot);
    const std::string_view leaf = dot == std::string_view::npos ? f.key : f.key.substr(dot + 1);
    if (prefix != open) {
      if (!open.empty()) out << YAML::EndMap;
      if (!prefix.empty())
        out << YAML::Key << std::string(prefix) << YAML::Value << YAML::Flow << YAML::BeginMap;
      open = prefix;
    }
    write(f, std::string(leaf));
  }
  if (!open.empty()) out << YAML::EndMap;
}

void emit_model(YAML::Emitter& out, const ModelConfig& m) {
  out << YAML::BeginMap;
  for (const auto& f : detail::kModelReals) {
    key(out, std::string(f.key));
    number(out, m.*f.member);
  }
  for (const auto& f : detail::kModelInts) {
    key(out, std::string(f.key));
    out << m.*f.member;
  }
  key(out, "kinds");
  out << YAML::BeginMap;
  for (const auto& [kind, k] : m.kinds) {
    key(out, std::string(to_string(kind)));
    out << YAML::Flow << YAML::BeginMap;
    for (const auto& f : detail::kKindFields) {
      key(out, std::string(f.key));
      number(out, k.*f.member);
    }
    out << YAML::EndMap;
  }
  out << YAML::EndMap << YAML::EndMap;
}

void emit_regions(YAML::Emitter& out, const std::vector<RegionConfig>& regions) {
  out << YAML::BeginSeq;
  for (const auto& r : regions) {
    out << YAML::BeginMap;
    key(out, "id");
    text(out, r.id);
    key(out, "name");
    text(out, r.name);
    fields(out, detail::kRegionFields, [&](const auto& f, const std::string& leaf) {
      key(out, leaf);
      number(out, r.*f.member);
    });
    if (!r.study_abroad.empty()) {
      key(out, "study_abroad");
      out << YAML::Flow << YAML::BeginMap;
      for (const auto& [to, share] : r.study_abroad) {
        key(out, to);
        number(out, share);
      }
      out << YAML::EndMap;
    }
    out << YAML::EndMap;
  }
  out << YAML::EndSeq;
}

void emit_organisations(YAML::Emitter& out, const std::vector<OrgConfig>& orgs) {
  out << YAML::BeginSeq;
  for (const auto& o : orgs) {
    out << YAML::BeginMap;
    key(out, "name");
    text(out, o.name);
    key(out, "kind");
    out << std::string(to_string(o.kind));
    key(out, "region");
    text(out, o.region);
    if (!o.headquarters.empty()) {
      key(out, "headquarters");
      text(out, o.headquarters);
    }
    if (o.is_pool) {
      key(out, "count");
      out << o.count;
    }
    fields(out, detail::kOrgFields, [&](const detail::OrgField& f, const std::string& leaf) {
      const Distribution* d =
          f.value ? &(o.*f.value) : ((o.*f.optional_value) ? &*(o.*f.optional_value) : nullptr);
      if (!d) return;  // an unset optional: absent means "derived" (docs/scenarios.md)
      key(out, leaf);
      distribution(out, *d);
    });
    out << YAML::EndMap;
  }
  out << YAML::EndSeq;
}

void emit_talents(YAML::Emitter& out, const std::vector<TalentStockConfig>& talents) {
  out << YAML::BeginSeq;
  for (const auto& t : talents) {
    out << YAML::BeginMap;
    key(out, "origin");
    text(out, t.origin);
    key(out, "count");
    number(out, t.count);
    key(out, "research_share");
    number(out, t.research_share);
    if (t.ability_mu || t.ability_sigma) {
      key(out, "ability");
      out << YAML::Flow << YAML::BeginMap;
      if (t.ability_mu) {
        key(out, "mu");
        number(out, *t.ability_mu);
      }
      if (t.ability_sigma) {
        key(out, "sigma");
        number(out, *t.ability_sigma);
      }
      out << YAML::EndMap;
    }
    key(out, "experience_years");
    distribution(out, t.experience_years);
    key(out, "employed_share");
    number(out, t.employed_share);
    key(out, "work");
    out << YAML::Flow << YAML::BeginMap;
    for (const auto& [region, share] : t.work) {
      key(out, region);
      number(out, share);
    }
    out << YAML::EndMap << YAML::EndMap;
  }
  out << YAML::EndSeq;
}

std::string month_text(const YearMonth& start, int month) {
  const YearMonth m = start.plus_months(month);
  return fmt::format("{:04}-{:02}", m.year, m.month);
}

// Each event with the keys it sets, in the order of its type's keys (schema.hpp, kEventTypes);
// start and end as months, so the output reads like the timeline it describes.
void emit_events(YAML::Emitter& out, const Config& config) {
  if (config.events.empty()) {
    out << YAML::Flow << YAML::BeginSeq << YAML::EndSeq;
    return;
  }
  out << YAML::BeginSeq;
  for (std::size_t i = 0; i < config.events.size(); ++i) {
    const EventConfig& e = config.events[i];
    out << YAML::BeginMap;
    for (const auto& k : detail::event_keys(e.type)) {
      if (!detail::event_has(e, k)) continue;
      key(out, k);
      if (k == "type") {
        out << std::string(to_string(e.type));
      } else if (k == "name") {
        text(out, e.name.empty() ? detail::default_event_name(to_string(e.type), i) : e.name);
      } else if (k == "start") {
        out << month_text(config.start, e.start_month);
      } else if (k == "end") {
        out << month_text(config.start, *e.end_month);
      } else if (k == "org") {
        text(out, e.org);
      } else if (k == "region") {
        text(out, e.region);
      } else if (k == "targets") {
        out << YAML::Flow << YAML::BeginSeq;
        for (const auto& t : e.targets) text(out, t);
        out << YAML::EndSeq;
      } else if (k == "kind") {
        out << std::string(to_string(*e.kind));
      } else if (k == "role") {
        out << std::string(to_string(*e.role));
      } else if (k == "immediate_vesting") {
        out << (*e.immediate_vesting ? "true" : "false");
      } else if (const detail::EventField* f = detail::event_field(k)) {
        number(out, *(e.*f->member));
      }
    }
    out << YAML::EndMap;
  }
  out << YAML::EndSeq;
}

}  // namespace

std::string to_yaml(const Config& config) {
  YAML::Emitter out;
  out.SetIndent(2);
  out << YAML::BeginMap;
  key(out, "mercato");
  out << config.schema_version;
  key(out, "name");
  text(out, config.name);
  key(out, "description");
  text(out, config.description);
  key(out, "start");
  out << fmt::format("{:04}-{:02}", config.start.year, config.start.month);
  key(out, "months");
  out << config.months;
  key(out, "seed");
  out << config.seed;
  key(out, "scale");
  number(out, config.scale);

  key(out, "model");
  emit_model(out, config.model);
  key(out, "regions");
  emit_regions(out, config.regions);

  key(out, "groups");
  out << YAML::BeginMap;
  for (const auto& g : config.groups) {
    key(out, g.id);
    out << YAML::Flow << YAML::BeginSeq;
    for (const auto& r : g.regions) text(out, r);
    out << YAML::EndSeq;
  }
  out << YAML::EndMap;

  key(out, "personas");
  out << YAML::BeginSeq;
  for (const auto& p : config.personas) {
    out << YAML::BeginMap;
    key(out, "name");
    text(out, p.name);
    key(out, "share");
    number(out, p.share);
    for (const auto& f : detail::kPersonaFields) {
      key(out, std::string(f.key));
      distribution(out, p.*f.member);
    }
    out << YAML::EndMap;
  }
  out << YAML::EndSeq;

  key(out, "organisations");
  emit_organisations(out, config.organisations);
  key(out, "talents");
  emit_talents(out, config.talents);

  key(out, "events");
  emit_events(out, config);

  key(out, "outputs");
  out << YAML::BeginMap;
  key(out, "moves");
  out << std::string(detail::kMoveLogNames[static_cast<int>(config.outputs.moves)]);
  key(out, "origins_every_months");
  out << config.outputs.origins_every_months;
  key(out, "tables");
  out << YAML::Flow << YAML::BeginSeq;
  for (const auto& t : config.outputs.tables) text(out, t);
  out << YAML::EndSeq << YAML::EndMap;

  out << YAML::EndMap;
  return std::string(out.c_str()) + "\n";
}

}  // namespace mercato::scenario
