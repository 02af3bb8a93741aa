#include "serve/catalogue.hpp"

#include <algorithm>
#include <system_error>

#include <fmt/format.h>

#include "mercato/core/error.hpp"

namespace mercato::serve {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

std::string month_text(const YearMonth& month) {
  return fmt::format("{:04d}-{:02d}", month.year, month.month);
}

json summary_of(const fs::path& file) {
  const std::string name = file.stem().string();
  try {
    const Config config = scenario::load(file.string());
    return {{"name", name},
            {"title", config.name.empty() ? name : config.name},
            {"description", config.description},
            {"start", month_text(config.start)},
            {"months", config.months},
            {"seed", config.seed},
            {"scale", config.scale}};
  } catch (const ScenarioError& e) {
    const std::string first =
        e.diagnostics().empty() ? std::string(e.what()) : e.diagnostics().front().to_string();
    return {{"name", name}, {"error", first}};
  } catch (const Error& e) {
    return {{"name", name}, {"error", e.what()}};
  }
}

json parameter(std::string key, std::string label, std::string group, json value,
               std::string_view kind, std::string help) {
  return {{"key", std::move(key)},
          {"label", std::move(label)},
          {"group", std::move(group)},
          {"value", std::move(value)},
          {"kind", kind},
          {"help", std::move(help)}};
}

struct EventField {
  const char* key;
  std::optional<double> EventConfig::*member;
  const char* help;
};

// The numeric keys of events (docs/scenarios.md, "events"); an event shows those it sets.
const EventField kEventFields[] = {
    {"top_k", &EventConfig::top_k, "talents targeted"},
    {"max_offer", &EventConfig::max_offer, "USD/yr cap on an offer"},
    {"budget", &EventConfig::budget, "USD of package value the offensive may commit"},
    {"value_share", &EventConfig::value_share, "share of marginal value offered"},
    {"buyout_ratio", &EventConfig::buyout_ratio, "share of unvested equity bought out"},
    {"top_share", &EventConfig::top_share, "share of the employees granted"},
    {"amount", &EventConfig::amount, "USD of unvested equity per grantee"},
    {"wage_multiple", &EventConfig::wage_multiple, "grant as a multiple of the wage"},
    {"vest_months", &EventConfig::vest_months, "months over which the grant vests"},
    {"mission", &EventConfig::mission, "mission, [0, 1]"},
    {"openness", &EventConfig::openness, "openness, [0, 1]"},
    {"factor", &EventConfig::factor, "multiplier"},
    {"growth", &EventConfig::growth, "compute growth per year while the event lasts"},
    {"share", &EventConfig::share, "share of compute pooled"},
    {"gpus", &EventConfig::gpus, "GPU-equivalents given"},
    {"cost_per_gpu", &EventConfig::cost_per_gpu, "USD per GPU-equivalent per year"},
    {"graduates_per_year", &EventConfig::graduates_per_year, "extra graduates per year"},
    {"research_share", &EventConfig::research_share, "share of them in research"},
    {"lag_months", &EventConfig::lag_months, "months before the first graduates arrive"},
    {"cost_per_place", &EventConfig::cost_per_place, "USD per training place"},
    {"tax_rate", &EventConfig::tax_rate, "the inbound tax rate"},
    {"years", &EventConfig::years, "years each beneficiary keeps it"},
    {"visa_friction", &EventConfig::visa_friction, "utility cost of moving in"},
    {"months", &EventConfig::months, "months an employee leaving must wait"},
};

}  // namespace

Catalogue::Catalogue(std::vector<fs::path> folders) : folders_(std::move(folders)) {}

std::map<std::string, fs::path> Catalogue::scan() {
  std::map<std::string, fs::path> files;
  for (const fs::path& folder : folders_) {
    std::error_code error;
    for (fs::directory_iterator it(folder, error), end; !error && it != end; it.increment(error)) {
      const fs::path& path = it->path();
      if (path.extension() != ".yaml" || !it->is_regular_file(error)) continue;
      files.emplace(path.stem().string(), path);  // the first folder wins a name
    }
  }
  return files;
}

json Catalogue::list() {
  const std::map<std::string, fs::path> files = scan();
  std::lock_guard lock(mutex_);
  json scenarios = json::array();
  for (const auto& [name, file] : files) {
    std::error_code error;
    const fs::file_time_type modified = fs::last_write_time(file, error);
    auto cached = cache_.find(file);
    if (cached == cache_.end() || cached->second.modified != modified) {
      cached = cache_.insert_or_assign(file, Cached{modified, summary_of(file)}).first;
    }
    scenarios.push_back(cached->second.summary);
  }
  return {{"scenarios", std::move(scenarios)}};
}

std::optional<fs::path> Catalogue::find(const std::string& name) {
  const std::map<std::string, fs::path> files = scan();
  const auto it = files.find(name);
  if (it == files.end()) return std::nullopt;
  return it->second;
}

std::vector<std::string> Catalogue::names() {
  std::vector<std::string> out;
  for (const auto& [name, file] : scan()) out.push_back(name);
  return out;
}

json scenario_parameters(const Config& config) {
  json out = json::array();
  out.push_back(parameter("months", "Months", "Run", config.months, "int",
                          "months simulated after the warm-up"));
  out.push_back(
      parameter("seed", "Seed", "Run", config.seed, "int", "the same seed gives the same results"));
  out.push_back(parameter("scale", "Scale", "Run", config.scale, "number",
                          "multiplies every population (0.1 = a 10% world)"));
  for (const RegionConfig& region : config.regions) {
    const std::string group = fmt::format("Region {}", region.id);
    const std::string prefix = fmt::format("regions.{}.", region.id);
    out.push_back(parameter(prefix + "tax_rate", "Tax rate", group, region.tax_rate, "number",
                            "effective rate at top incomes, [0, 1)"));
    out.push_back(parameter(prefix + "visa_friction", "Visa friction", group, region.visa_friction,
                            "number", "utility cost for a non-native moving in, >= 0"));
    out.push_back(parameter(prefix + "graduates_per_year.research", "Research graduates / yr",
                            group, region.graduates_research, "number",
                            "new research graduates per year"));
    out.push_back(parameter(prefix + "graduates_per_year.engineering", "Engineering graduates / yr",
                            group, region.graduates_engineering, "number",
                            "new engineering graduates per year"));
    out.push_back(parameter(prefix + "training_boost", "Training boost", group,
                            region.training_boost, "number",
                            "extra ability growth per year of talents working here"));
    for (const auto& [to, share] : region.study_abroad)
      out.push_back(parameter(prefix + "study_abroad." + to, fmt::format("Studying in {}", to),
                              group, share, "number",
                              fmt::format("share of graduates who do their graduate study in {} "
                                          "and enter the market there, [0, 1]",
                                          to)));
    if (!region.study_abroad.empty())
      out.push_back(parameter(prefix + "study_abroad_selection", "Study abroad selection", group,
                              region.study_abroad_selection, "number",
                              "correlation of ability and going abroad to study, [0, 1]"));
    out.push_back(parameter(prefix + "foreign_idle_months", "Foreigners' idle months", group,
                            region.foreign_idle_months, "number",
                            "months an unemployed foreigner may look for work here before going "
                            "home (0: no limit)"));
    out.push_back(parameter(prefix + "doctoral_months", "Doctoral months", group,
                            region.doctoral_months, "number",
                            "months research graduates who study here spend as doctoral students "
                            "before entering the market (0: none)"));
  }
  for (const OrgConfig& org : config.organisations) {
    if (org.is_pool) continue;
    const std::string group = fmt::format("Organisation {}", org.name);
    const std::string prefix = fmt::format("organisations.{}.", org.name);
    if (org.max_offer.kind == Distribution::Kind::constant) {
      out.push_back(parameter(prefix + "max_offer", "Max offer (USD/yr)", group, org.max_offer.a,
                              "number", "cap on a single offer's annual wage"));
    }
    if (org.min_offer.kind == Distribution::Kind::constant) {
      out.push_back(parameter(prefix + "min_offer", "Min offer (USD/yr)", group, org.min_offer.a,
                              "number", "posted floor on a hire's annual package (0: none)"));
    }
    if (org.mission.kind == Distribution::Kind::constant) {
      out.push_back(parameter(prefix + "mission", "Mission", group, org.mission.a, "number",
                              "how much talents value its mission, [0, 1]"));
    }
  }
  const std::string model = "Model";
  out.push_back(parameter("model.seek_rate", "Seek rate", model, config.model.seek_rate, "number",
                          "monthly share of the employed searching"));
  out.push_back(parameter("model.move_cost", "Move cost", model, config.model.move_cost, "number",
                          "utility cost of any move"));
  out.push_back(parameter("model.abroad_application_weight", "Abroad application weight", model,
                          config.model.abroad_application_weight, "number",
                          "weight of another region in applications"));
  for (const EventConfig& event : config.events) {
    const std::string group = fmt::format("Event {}", event.name);
    const std::string prefix = fmt::format("events.{}.", event.name);
    out.push_back(parameter(prefix + "start", "Start (months from the scenario start)", group,
                            event.start_month, "int", "when the event begins"));
    if (event.end_month) {
      out.push_back(parameter(prefix + "end", "End (months from the scenario start)", group,
                              *event.end_month, "int", "the last month of the event"));
    }
    for (const EventField& field : kEventFields) {
      const std::optional<double>& value = event.*field.member;
      if (value)
        out.push_back(
            parameter(prefix + field.key, field.key, group, *value, "number", field.help));
    }
  }
  return out;
}

std::vector<scenario::Override> overrides_of(const json& set) {
  std::vector<scenario::Override> overrides;
  if (set.is_null()) return overrides;
  if (!set.is_object()) throw UsageError("`set` must be an object of key.path: value");
  for (const auto& [key, value] : set.items()) {
    if (key.empty()) throw UsageError("`set` has an empty key");
    if (value.is_string()) {
      overrides.push_back({key, value.get<std::string>()});
    } else if (value.is_number() || value.is_boolean()) {
      overrides.push_back({key, value.dump()});
    } else {
      throw UsageError(fmt::format("`set.{}` must be a string, a number or a boolean, not {}", key,
                                   value.type_name()));
    }
  }
  return overrides;
}

}  // namespace mercato::serve
