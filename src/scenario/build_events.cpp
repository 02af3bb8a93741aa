// build_events: the Config's timeline as the engine's Events. Names become ids of the World
// built from the same Config, months become indices, and every default is filled in
// (docs/scenarios.md, "events").
#include <algorithm>
#include <climits>
#include <map>

#include <fmt/format.h>

#include "mercato/scenario/scenario.hpp"
#include "scenario/schema.hpp"

namespace mercato::scenario {

namespace {

class Resolver {
 public:
  Resolver(const Config& config, const World& world) : config_(config) {
    const Orgs& orgs = world.orgs;
    for (std::size_t o = 0; o < orgs.size(); ++o) {
      // A pool member ("Shops#3") is found under its pool's name ("Shops").
      const std::size_t entry = orgs.pool[o];
      const std::string& name =
          entry < config.organisations.size() ? config.organisations[entry].name : orgs.name[o];
      members_[name].push_back(OrgId(static_cast<OrgId::rep>(o)));
    }
    for (std::size_t r = 0; r < world.regions.size(); ++r)
      regions_[world.regions[r].id] = RegionId(static_cast<RegionId::rep>(r));
  }

  // Every organisation a name stands for: one for a named organisation, the members of a pool.
  const std::vector<OrgId>& members(const std::string& name, const std::string& key) const {
    auto it = members_.find(name);
    if (it == members_.end() || it->second.empty())
      fail(key, fmt::format("no organisation '{}' in the world", name));
    return it->second;
  }

  OrgId org(const std::string& name, const std::string& key) const {
    return members(name, key).front();
  }

  RegionId region(const std::string& id, const std::string& key) const {
    auto it = regions_.find(id);
    if (it == regions_.end()) fail(key, fmt::format("no region '{}' in the world", id));
    return it->second;
  }

  const RegionConfig& region_config(const std::string& id) const {
    for (const auto& r : config_.regions)
      if (r.id == id) return r;
    fail("regions", fmt::format("no region '{}'", id));
  }

  [[noreturn]] void fail(const std::string& key, const std::string& message) const {
    throw ScenarioError({{config_.source_file, 0, 0, key,
                          message + " (build_events needs the World built from the same Config)"}});
  }

 private:
  const Config& config_;
  std::map<std::string, std::vector<OrgId>> members_;
  std::map<std::string, RegionId> regions_;
};

int whole(double x) {
  return static_cast<int>(
      std::clamp(x, static_cast<double>(INT_MIN), static_cast<double>(INT_MAX)));
}

// A training programme's graduates split like the region's own, half and half without any.
double graduate_research_share(const RegionConfig& r) {
  const double total = r.graduates_research + r.graduates_engineering;
  return total > 0 ? r.graduates_research / total : 0.5;
}

}  // namespace

std::vector<Event> build_events(const Config& config, const World& world) {
  const Resolver resolve(config, world);
  const Orgs& orgs = world.orgs;
  std::vector<Event> events;
  events.reserve(config.events.size());
  for (std::size_t i = 0; i < config.events.size(); ++i) {
    const EventConfig& c = config.events[i];
    Event e;
    e.type = c.type;
    e.name = c.name.empty() ? detail::default_event_name(to_string(c.type), i) : c.name;
    const std::string path = "events." + e.name;
    e.start = c.start_month;
    e.end = c.end_month.value_or(-1);
    if (!c.org.empty()) e.org = resolve.org(c.org, path + ".org");
    for (const auto& t : c.targets) {
      const auto& members = resolve.members(t, path + ".targets");
      e.targets.insert(e.targets.end(), members.begin(), members.end());
    }
    if (!c.region.empty()) e.region = resolve.region(c.region, path + ".region");
    e.kind = c.kind ? static_cast<int>(*c.kind) : -1;
    e.role = c.role ? static_cast<int>(*c.role) : -1;

    // An offensive pays like its organisation unless it says otherwise.
    const bool acting = e.org.valid() && c.type == EventType::offensive;
    const std::size_t o = e.org.index();
    e.top_k = whole(c.top_k.value_or(0));
    e.budget = c.budget.value_or(0);
    e.max_offer = c.max_offer.value_or(acting ? orgs.max_offer[o] : 0.0);
    e.value_share = c.value_share.value_or(acting ? orgs.value_share[o] : 0.0);
    e.buyout_ratio = c.buyout_ratio.value_or(acting ? orgs.buyout_ratio[o] : 0.0);
    e.immediate_vesting = c.immediate_vesting.value_or(false);

    e.top_share = c.top_share.value_or(0);
    e.amount = c.amount.value_or(0);
    e.wage_multiple = c.wage_multiple.value_or(0);
    e.vest_months = whole(c.vest_months.value_or(24));

    e.mission = c.mission.value_or(kUnchanged);
    e.openness = c.openness.value_or(kUnchanged);
    e.factor = c.factor.value_or(1.0);
    e.growth = c.growth.value_or(kUnchanged);
    e.share = c.share.value_or(0);
    e.gpus = c.gpus.value_or(0);
    e.cost_per_gpu = c.cost_per_gpu.value_or(0);

    e.graduates_per_year = c.graduates_per_year.value_or(0);
    e.cost_per_place = c.cost_per_place.value_or(0);
    e.lag_months = whole(c.lag_months.value_or(36));
    if (c.research_share) {
      e.research_share = *c.research_share;
    } else if (c.type == EventType::training_program && !c.region.empty()) {
      e.research_share = graduate_research_share(resolve.region_config(c.region));
    }

    e.tax_rate = c.tax_rate.value_or(0);
    e.years = c.years.value_or(0);
    e.visa_friction = c.visa_friction.value_or(0);
    e.months = whole(c.months.value_or(0));
    events.push_back(std::move(e));
  }
  return events;
}

}  // namespace mercato::scenario
