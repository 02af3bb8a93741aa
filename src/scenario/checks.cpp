#include "scenario/checks.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include <fmt/format.h>

#include "scenario/schema.hpp"

namespace mercato::scenario::detail {

namespace {

std::string join_key(const std::string& path, std::string_view key) {
  return path.empty() ? std::string(key) : path + "." + std::string(key);
}

// "regions.FR", or "regions[2]" for an item without a usable id.
std::string item_key(std::string_view section, const std::string& name, std::size_t index) {
  return name.empty() ? fmt::format("{}[{}]", section, index) : fmt::format("{}.{}", section, name);
}

class Checker {
 public:
  Checker(const Config& config, const Locations& locations, Diagnostics& diagnostics)
      : config_(config), locations_(locations), diagnostics_(diagnostics) {
    for (const auto& r : config.regions)
      if (std::find(region_ids_.begin(), region_ids_.end(), r.id) == region_ids_.end())
        region_ids_.push_back(r.id);
  }

  void run() {
    check_top();
    check_model();
    check_regions();
    check_groups();
    check_personas();
    check_organisations();
    check_talents();
    check_events();
    check_outputs();
  }

 private:
  void report(const std::string& path, const std::string& message) {
    if (diagnostics_.reported(path)) return;
    const Written w = locations_.find(path);
    if (w.key != path && diagnostics_.reported(w.key)) return;
    diagnostics_.add(w.mark, w.key, message);
  }

  // " (first defined at file:line:column)" when the first item's place is known.
  std::string first_defined(const std::string& path) const {
    const Written w = locations_.find(path);
    if (w.mark.line == 0) return "";
    return fmt::format(" (first defined at {}:{}:{})", w.mark.file, w.mark.line, w.mark.column);
  }

  bool finite(const std::string& path, double x) {
    if (!std::isfinite(x)) {
      report(path, fmt::format("expected a finite number, got {}", format_number(x)));
      return false;
    }
    if (std::abs(x) > kMaxMagnitude) {
      report(path,
             fmt::format("expected a number of magnitude at most 1e15, got {}", format_number(x)));
      return false;
    }
    return true;
  }

  void number(const std::string& path, double x, const Range& range) {
    if (finite(path, x) && !range.contains(x))
      report(path, fmt::format("expected a number {}, got {}", range.describe(), format_number(x)));
  }

  void integer(const std::string& path, long long x, const Range& range) {
    if (!range.contains(static_cast<double>(x)))
      report(path, fmt::format("expected an integer {}, got {}", range.describe(), x));
  }

  void distribution(const std::string& path, const Distribution& d, const Range& range) {
    using K = Distribution::Kind;
    if (!finite(path, d.a) || (d.kind != K::constant && !finite(path, d.b))) return;
    const std::string r = range.describe();
    const std::string pair = fmt::format("[{}, {}]", format_number(d.a), format_number(d.b));
    switch (d.kind) {
      case K::constant:
        number(path, d.a, range);
        return;
      case K::uniform:
        if (d.a > d.b) {
          report(path, fmt::format("expected {{uniform: [lo, hi]}} with lo <= hi, got {}", pair));
        } else if (!range.contains(d.a) || !range.contains(d.b)) {
          report(path, fmt::format("expected uniform bounds {}, got {}", r, pair));
        }
        return;
      case K::normal:
        if (d.b <= 0) {
          report(path, fmt::format("expected a normal sd > 0, got {}", format_number(d.b)));
        } else if (!range.contains(d.a)) {
          report(path, fmt::format("expected a normal mean {}, got {}", r, format_number(d.a)));
        }
        return;
      case K::lognormal:
        if (d.a <= 0) {
          report(path, fmt::format("expected a lognormal median > 0, got {}", format_number(d.a)));
        } else if (d.b <= 0) {
          report(path, fmt::format("expected a lognormal sigma > 0, got {}", format_number(d.b)));
        } else if (!range.contains(d.a)) {
          report(path,
                 fmt::format("expected a lognormal median {}, got {}", r, format_number(d.a)));
        }
        return;
    }
  }

  bool region_reference(const std::string& path, const std::string& id) {
    if (std::find(region_ids_.begin(), region_ids_.end(), id) != region_ids_.end()) return true;
    report(path, fmt::format("no region '{}' is defined{}", id, suggestion(id, region_ids_)));
    return false;
  }

  // Empty or duplicate names; returns the item keys to use in messages.
  template <class Items, class NameOf>
  std::vector<std::string> unique_names(const Items& items, std::string_view section,
                                        std::string_view key, std::string_view noun,
                                        NameOf name_of) {
    std::vector<std::string> paths;
    std::map<std::string, std::size_t> first;
    for (std::size_t i = 0; i < items.size(); ++i) {
      const std::string& name = name_of(items[i]);
      const std::string index_path = fmt::format("{}[{}]", section, i);
      paths.push_back(item_key(section, name, i));
      if (name.empty()) {
        report(join_key(index_path, key), fmt::format("expected a non-empty {}", key));
        continue;
      }
      auto [it, inserted] = first.emplace(name, i);
      if (!inserted) {
        // Reported at the second item's name, under its index: both items share the key path.
        const Written w = locations_.find(join_key(index_path, key));
        diagnostics_.add(
            w.mark, paths.back(),
            fmt::format("duplicate {} '{}'{}", noun, name,
                        first_defined(fmt::format("{}[{}].{}", section, it->second, key))));
      }
    }
    return paths;
  }

  void check_top() {
    if (config_.schema_version != 1)
      report("mercato", fmt::format("unsupported schema version {}: this mercato reads version 1",
                                    config_.schema_version));
    if (config_.name.empty()) report("name", "expected a non-empty name");
    if (config_.start.month < 1 || config_.start.month > 12)
      report("start", fmt::format("expected a month as YYYY-MM (e.g. 2025-01), got month {}",
                                  config_.start.month));
    integer("months", config_.months, kMonthsRange);
    number("scale", config_.scale, kScaleRange);
  }

  void check_model() {
    const ModelConfig& m = config_.model;
    for (const auto& f : kModelReals) number(join_key("model", f.key), m.*f.member, f.range);
    for (const auto& f : kModelInts) integer(join_key("model", f.key), m.*f.member, f.range);
    const double returns = m.alpha + m.beta_research + m.beta_engineering;
    if (std::isfinite(returns) && returns >= 1)
      report("model", fmt::format("expected alpha + beta_research + beta_engineering < 1 "
                                  "(decreasing returns), got {}",
                                  format_number(returns)));
    if (m.elite_share > m.top_share)
      report("model.elite_share",
             fmt::format("expected elite_share <= top_share (the elite are part of the top), "
                         "got {} > {}",
                         format_number(m.elite_share), format_number(m.top_share)));
    for (int k = 0; k < kOrgKindCount; ++k) {
      const auto kind = static_cast<OrgKind>(k);
      const std::string path = join_key("model.kinds", to_string(kind));
      auto it = m.kinds.find(kind);
      if (it == m.kinds.end()) {
        report(path, "missing kind (a Config built in code must list all six kinds)");
        continue;
      }
      for (const auto& f : kKindFields)
        number(join_key(path, f.key), it->second.*f.member, f.range);
    }
  }

  void check_regions() {
    const auto& regions = config_.regions;
    if (regions.empty()) report("regions", "expected at least one region");
    if (regions.size() > kMaxRegions)
      report("regions",
             fmt::format("expected at most {} regions, got {}", kMaxRegions, regions.size()));
    auto paths = unique_names(regions, "regions", "id", "region id",
                              [](const RegionConfig& r) -> const std::string& { return r.id; });
    for (std::size_t i = 0; i < regions.size(); ++i) {
      for (const auto& f : kRegionFields)
        number(join_key(paths[i], f.key), regions[i].*f.member, f.range);
      check_study_abroad(paths[i], regions[i]);
    }
  }

  // Each destination is another defined region, each share in [0, 1], and together at most 1
  // (the rest of the region's graduates enter the market at home).
  void check_study_abroad(const std::string& region_path, const RegionConfig& r) {
    const std::string path = join_key(region_path, "study_abroad");
    double total = 0;
    for (const auto& [to, share] : r.study_abroad) {
      const std::string share_path = join_key(path, to);
      if (to == r.id) {
        report(share_path,
               fmt::format("'{}' is the region itself; study_abroad lists the other regions where "
                           "its graduates study (the rest study at home)",
                           to));
        continue;
      }
      const bool known = region_reference(share_path, to);
      number(share_path, share, kShare);
      if (known && kShare.contains(share)) total += share;  // one message per mistake
    }
    if (total > 1 + 1e-9)
      report(path,
             fmt::format("expected shares adding up to at most 1, got {}", format_number(total)));
  }

  void check_groups() {
    std::set<std::string> seen;
    for (const auto& g : config_.groups) {
      const std::string path = item_key("groups", g.id, 0);
      if (g.id.empty()) {
        report("groups", "expected a non-empty group id");
        continue;
      }
      if (!seen.insert(g.id).second) report(path, fmt::format("duplicate group '{}'", g.id));
      if (std::find(region_ids_.begin(), region_ids_.end(), g.id) != region_ids_.end())
        report(path,
               fmt::format("group '{}' has the id of a region; reports need them distinct", g.id));
      if (g.regions.empty()) report(path, "expected a list of at least one region id");
      std::set<std::string> members;
      for (std::size_t i = 0; i < g.regions.size(); ++i) {
        const std::string member_path = fmt::format("{}[{}]", path, i);
        region_reference(member_path, g.regions[i]);
        if (!members.insert(g.regions[i]).second)
          report(member_path, fmt::format("region '{}' is listed twice", g.regions[i]));
      }
    }
  }

  void check_personas() {
    const auto& personas = config_.personas;
    if (personas.empty())
      report("personas",
             "expected at least one persona (or leave `personas` out for a single default one)");
    if (personas.size() > kMaxPersonas)
      report("personas",
             fmt::format("expected at most {} personas, got {}", kMaxPersonas, personas.size()));
    auto paths = unique_names(personas, "personas", "name", "persona",
                              [](const PersonaConfig& p) -> const std::string& { return p.name; });
    double total = 0;
    for (std::size_t i = 0; i < personas.size(); ++i) {
      number(join_key(paths[i], "share"), personas[i].share, at_least(0));
      if (std::isfinite(personas[i].share)) total += personas[i].share;
      for (const auto& f : kPersonaFields)
        distribution(join_key(paths[i], f.key), personas[i].*f.member, f.range);
    }
    if (!personas.empty() && !(total > 0))
      report("personas", "expected at least one persona with a share > 0");
  }

  void check_organisations() {
    const auto& orgs = config_.organisations;
    if (orgs.empty()) report("organisations", "expected at least one organisation");
    if (orgs.size() > kMaxOrganisationEntries)
      report("organisations", fmt::format("expected at most {} entries (use pools with count), "
                                          "got {}",
                                          kMaxOrganisationEntries, orgs.size()));
    auto paths = unique_names(orgs, "organisations", "name", "organisation",
                              [](const OrgConfig& o) -> const std::string& { return o.name; });
    for (std::size_t i = 0; i < orgs.size(); ++i) {
      const OrgConfig& o = orgs[i];
      const std::string& path = paths[i];
      if (static_cast<int>(o.kind) >= kOrgKindCount)
        report(join_key(path, "kind"),
               "expected a kind among " + fmt::format("{}", fmt::join(kOrgKindNames, ", ")));
      if (o.region.empty()) {
        report(join_key(path, "region"), "expected a region id");
      } else {
        region_reference(join_key(path, "region"), o.region);
      }
      if (!o.headquarters.empty()) region_reference(join_key(path, "headquarters"), o.headquarters);
      integer(join_key(path, "count"), o.count, kOrgCountRange);
      for (const auto& f : kOrgFields) {
        if (f.value) distribution(join_key(path, f.key), o.*f.value, f.range);
        if (f.optional_value && (o.*f.optional_value).has_value())
          distribution(join_key(path, f.key), *(o.*f.optional_value), f.range);
      }
      // With its kind unknown, the kind's defaults could not apply: one message is enough.
      if (diagnostics_.reported(join_key(path, "kind"))) continue;
      // A floor above the cap would leave the organisation unable to make any offer.
      if (o.min_offer.kind == Distribution::Kind::constant &&
          o.max_offer.kind == Distribution::Kind::constant && o.max_offer.a > 0 &&
          o.min_offer.a > o.max_offer.a && !diagnostics_.reported(join_key(path, "min_offer")))
        report(join_key(path, "min_offer"),
               fmt::format("expected at most max_offer ({:g}), got {:g}: the organisation could "
                           "make no offer",
                           o.max_offer.a, o.min_offer.a));
      const bool tfp = o.tfp.has_value(), price = o.price.has_value();
      if (o.ai_value && (tfp || price)) {
        report(path, "give either ai_value or tfp and price, not both");
      } else if (!o.ai_value && !tfp && !price) {
        report(path,
               "missing ai_value (the annual value of its AI output, USD/yr) or tfp and price "
               "(here or in model.kinds." +
                   std::string(to_string(o.kind)) + ")");
      } else if (tfp != price) {
        report(path, fmt::format("{} needs {} as well (or give ai_value instead)",
                                 tfp ? "tfp" : "price", tfp ? "price" : "tfp"));
      }
    }
  }

  void check_talents() {
    auto paths =
        unique_names(config_.talents, "talents", "origin", "talent stock for origin",
                     [](const TalentStockConfig& t) -> const std::string& { return t.origin; });
    for (std::size_t i = 0; i < config_.talents.size(); ++i) {
      const TalentStockConfig& t = config_.talents[i];
      const std::string& path = paths[i];
      const bool origin_known =
          t.origin.empty() || region_reference(join_key(path, "origin"), t.origin);
      number(join_key(path, "count"), t.count, kTalentCountRange);
      number(join_key(path, "research_share"), t.research_share, kShare);
      if (t.ability_mu) number(join_key(path, "ability.mu"), *t.ability_mu, kAny);
      if (t.ability_sigma) number(join_key(path, "ability.sigma"), *t.ability_sigma, above(0));
      distribution(join_key(path, "experience_years"), t.experience_years, kExperienceRange);
      number(join_key(path, "employed_share"), t.employed_share, kShare);
      const std::string work_path = join_key(path, "work");
      double total = 0;
      for (const auto& [region, share] : t.work) {
        const std::string share_path = join_key(work_path, region);
        // An unknown origin is reported once, not again as the default {origin: 1}.
        if (origin_known || region != t.origin) region_reference(share_path, region);
        number(share_path, share, at_least(0));
        if (std::isfinite(share) && share > 0) total += share;
      }
      if (!(total > 0))
        report(work_path, "expected at least one region with a share > 0 (e.g. {US: 1})");
    }
  }

  std::string month_text(int month) const {
    const YearMonth m = config_.start.plus_months(month);
    return fmt::format("{:04}-{:02}", m.year, m.month);
  }

  void check_events() {
    const auto& events = config_.events;
    std::map<std::string, const OrgConfig*> orgs;
    std::vector<std::string> org_names;
    for (const auto& o : config_.organisations)
      if (orgs.emplace(o.name, &o).second) org_names.push_back(o.name);
    std::map<std::string, std::size_t> first;
    for (std::size_t i = 0; i < events.size(); ++i) {
      const EventConfig& e = events[i];
      const std::string index_path = fmt::format("events[{}]", i);
      const std::string path = e.name.empty() ? index_path : join_key("events", e.name);
      // An unknown type was reported while decoding: its keys cannot be checked.
      if (diagnostics_.reported(join_key(path, "type"))) continue;
      if (static_cast<int>(e.type) >= kEventTypeCount) {
        report(join_key(path, "type"),
               fmt::format("expected an event type among {}", fmt::join(kEventTypeNames, ", ")));
        continue;
      }
      // A Config built in code may leave names empty: they get their default name.
      const std::string name = e.name.empty() ? default_event_name(to_string(e.type), i) : e.name;
      if (auto [it, inserted] = first.emplace(name, i); !inserted) {
        const Written w = locations_.find(join_key(index_path, "name"));
        diagnostics_.add(w.mark, path,
                         fmt::format("duplicate event '{}'{}", name,
                                     first_defined(fmt::format("events[{}].name", it->second))));
      }
      check_event_keys(e, path);
      check_event_months(e, path);
      for (const auto& f : kEventFields) {
        const auto& value = e.*f.member;
        if (!value || !takes_key(e.type, f.key)) continue;
        const std::string key_path = join_key(path, f.key);
        if (!finite(key_path, *value)) continue;
        if (f.integer && std::floor(*value) != *value) {
          report(key_path, fmt::format("expected an integer, got {}", format_number(*value)));
        } else if (!f.range.contains(*value)) {
          report(key_path,
                 fmt::format("expected {} {}, got {}", f.integer ? "an integer" : "a number",
                             f.range.describe(), format_number(*value)));
        }
      }
      check_event_references(e, path, orgs, org_names);
    }
  }

  // Keys the type does not take (a Config built in code; the decoder drops them), required
  // keys, and the groups of which exactly one or at least one key is given.
  void check_event_keys(const EventConfig& e, const std::string& path) {
    const EventTypeSchema& schema = event_schema(e.type);
    for (const auto& key : all_event_keys())
      if (event_has(e, key) && !takes_key(e.type, key))
        report(join_key(path, key), not_taken_message(e.type, key));
    for (const auto& key : split_keys(schema.required))
      if (!event_has(e, key))
        report(join_key(path, key),
               fmt::format("missing required key '{}' for {}", key, event_noun(e.type)));
    auto given = [&](const std::vector<std::string>& keys) {
      std::vector<std::string> out;
      for (const auto& k : keys)
        if (event_has(e, k)) out.push_back(k);
      return out;
    };
    for (const auto& group : split_keys(schema.exactly_one)) {
      const auto keys = split_keys(group, '|');
      const auto set = given(keys);
      if (set.empty()) {
        report(join_key(path, keys.front()),
               fmt::format("missing required key '{}' for {}", fmt::join(keys, "' or '"),
                           event_noun(e.type)));
      } else if (set.size() > 1) {
        report(join_key(path, set.back()),
               fmt::format("give either {}, not both", fmt::join(set, " or ")));
      }
    }
    for (const auto& group : split_keys(schema.at_least_one)) {
      const auto keys = split_keys(group, '|');
      if (given(keys).empty())
        report(join_key(path, keys.front()),
               fmt::format("missing required key '{}' (or both) for {}", fmt::join(keys, "' or '"),
                           event_noun(e.type)));
    }
  }

  void check_event_months(const EventConfig& e, const std::string& path) {
    // With the scenario's start unreadable, dates written as YYYY-MM mean nothing.
    if (diagnostics_.reported("start")) return;
    const std::string start_path = join_key(path, "start");
    if (e.start_month < 0) {
      report(start_path, fmt::format("{} is before the scenario start ({})",
                                     month_text(e.start_month), month_text(0)));
    } else if (e.start_month >= config_.months) {
      report(start_path, fmt::format("starts after the run ends (months: {}): {} is month {}",
                                     config_.months, month_text(e.start_month), e.start_month));
    }
    if (e.end_month && *e.end_month < e.start_month && event_schema(e.type).takes_end)
      report(join_key(path, "end"),
             fmt::format("ends ({}) before it starts ({})", month_text(*e.end_month),
                         month_text(e.start_month)));
  }

  void check_event_references(const EventConfig& e, const std::string& path,
                              const std::map<std::string, const OrgConfig*>& orgs,
                              const std::vector<std::string>& org_names) {
    // The organisation a name refers to, or nullptr after reporting why there is none.
    auto organisation = [&](const std::string& key_path,
                            const std::string& name) -> const OrgConfig* {
      auto it = orgs.find(name);
      if (it != orgs.end()) return it->second;
      report(key_path,
             fmt::format("no organisation '{}' is defined{}", name, suggestion(name, org_names)));
      return nullptr;
    };
    if (!e.org.empty() && takes_key(e.type, "org")) {
      const std::string org_path = join_key(path, "org");
      if (const OrgConfig* o = organisation(org_path, e.org); o && o->is_pool)
        report(org_path, fmt::format("'{}' is a pool of organisations; the org of {} must be a "
                                     "named organisation (one without count)",
                                     e.org, event_noun(e.type)));
    }
    if (takes_key(e.type, "targets")) {
      const bool partners = e.type == EventType::alliance;
      std::set<std::string> seen;
      for (std::size_t t = 0; t < e.targets.size(); ++t) {
        const std::string& target = e.targets[t];
        const std::string target_path = fmt::format("{}.targets[{}]", path, t);
        const OrgConfig* o = organisation(target_path, target);
        if (!o) continue;
        if (target == e.org) {
          report(target_path, fmt::format("'{}' is the event's own organisation (org); {}", target,
                                          partners ? "list its partners only"
                                                   : "an organisation cannot raid itself"));
        } else if (partners && o->is_pool) {
          report(target_path, fmt::format("'{}' is a pool of organisations; alliance partners "
                                          "must be named organisations (without count)",
                                          target));
        } else if (!seen.insert(target).second) {
          report(target_path, fmt::format("'{}' is listed twice", target));
        }
      }
    }
    const RegionConfig* region = nullptr;
    if (!e.region.empty() && takes_key(e.type, "region") &&
        region_reference(join_key(path, "region"), e.region)) {
      for (const auto& r : config_.regions)
        if (r.id == e.region) region = &r;
    }
    if (e.type == EventType::public_compute && e.kind &&
        std::find(kPublicKinds.begin(), kPublicKinds.end(), *e.kind) == kPublicKinds.end())
      report(join_key(path, "kind"),
             fmt::format("expected university or public_lab (leave `kind` out for both), got '{}'",
                         to_string(*e.kind)));
    if (e.type == EventType::tax_regime && region && e.tax_rate && std::isfinite(*e.tax_rate) &&
        *e.tax_rate >= region->tax_rate)
      report(join_key(path, "tax_rate"),
             fmt::format("expected a rate below the tax_rate of {} ({}), got {}", region->id,
                         format_number(region->tax_rate), format_number(*e.tax_rate)));
  }

  void check_outputs() {
    const OutputsConfig& o = config_.outputs;
    if (static_cast<std::size_t>(o.moves) >= kMoveLogNames.size())
      report("outputs.moves", "expected one of none, elite, top, all");
    integer("outputs.origins_every_months", o.origins_every_months, kOriginsEveryRange);
    const std::vector<std::string> names(kTableNames.begin(), kTableNames.end());
    std::set<std::string> seen;
    for (std::size_t i = 0; i < o.tables.size(); ++i) {
      const std::string path = fmt::format("outputs.tables[{}]", i);
      const std::string& t = o.tables[i];
      if (std::find(names.begin(), names.end(), t) == names.end()) {
        report(path, fmt::format("unknown table '{}'{}", t, suggestion(t, names)));
      } else if (!seen.insert(t).second) {
        report(path, fmt::format("table '{}' is listed twice", t));
      }
    }
  }

  const Config& config_;
  const Locations& locations_;
  Diagnostics& diagnostics_;
  std::vector<std::string> region_ids_;
};

}  // namespace

void check_config(const Config& config, const Locations& locations, Diagnostics& diagnostics) {
  Checker(config, locations, diagnostics).run();
}

}  // namespace mercato::scenario::detail
