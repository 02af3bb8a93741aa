// docs/scenarios.md must match the code: every key the loader accepts is documented there.
#include <gtest/gtest.h>

#include <fstream>
#include <iterator>
#include <set>

#include "scenario/schema.hpp"
#include "support.hpp"

namespace mercato::scenario::test {
namespace {

std::string reference() {
  std::ifstream in(repo_path("docs/scenarios.md"));
  return {std::istreambuf_iterator<char>(in), {}};
}

// `graduate_ability.sigma` is documented as `graduate_ability` with `{mu: x, sigma: y}`.
std::string documented_name(std::string_view key) {
  return std::string(key.substr(0, key.find('.')));
}

template <class Fields>
void expect_documented(const std::string& doc, const Fields& fields) {
  for (const auto& f : fields) {
    const std::string key = documented_name(f.key);
    EXPECT_NE(doc.find("| `" + key + "` |"), std::string::npos)
        << "docs/scenarios.md has no table row for `" << key << "`";
  }
}

TEST(ScenarioDocs, ReferenceHasARowForEveryKey) {
  const std::string doc = reference();
  ASSERT_FALSE(doc.empty());
  expect_documented(doc, detail::kModelReals);
  expect_documented(doc, detail::kModelInts);
  expect_documented(doc, detail::kKindFields);
  expect_documented(doc, detail::kRegionFields);
  expect_documented(doc, detail::kPersonaFields);
  expect_documented(doc, detail::kOrgFields);
  for (const char* key : {"mercato",
                          "name",
                          "description",
                          "extends",
                          "start",
                          "months",
                          "seed",
                          "scale",
                          "model",
                          "regions",
                          "groups",
                          "personas",
                          "organisations",
                          "talents",
                          "events",
                          "outputs",
                          "id",
                          "share",
                          "kind",
                          "region",
                          "count",
                          "origin",
                          "research_share",
                          "ability",
                          "experience_years",
                          "employed_share",
                          "work",
                          "moves",
                          "origins_every_months",
                          "tables"})
    EXPECT_NE(doc.find(std::string("| `") + key + "` |"), std::string::npos)
        << "docs/scenarios.md has no table row for `" << key << "`";
}

TEST(ScenarioDocs, DocumentedDefaultsOfTheModelMatchTheCode) {
  // Each model row reads "| `key` | meaning | unit | `default` | range |".
  const std::string doc = reference();
  const ModelConfig defaults;
  for (const auto& f : detail::kModelReals) {
    const auto row = doc.find("| `" + std::string(f.key) + "` |");
    ASSERT_NE(row, std::string::npos) << f.key;
    const std::string line = doc.substr(row, doc.find('\n', row) - row);
    EXPECT_NE(line.find("| `" + detail::format_number(defaults.*f.member) + "` |"),
              std::string::npos)
        << line;
  }
}

// The text of docs/scenarios.md from `heading` to the next heading of the same or a higher
// level.
std::string section(const std::string& doc, const std::string& heading) {
  const auto begin = doc.find("\n" + heading + "\n");
  if (begin == std::string::npos) return "";
  const std::string level = heading.substr(0, heading.find(' ') + 1);  // "### "
  auto end = doc.find("\n" + level, begin + 1);
  if (level == "### ") end = std::min(end, doc.find("\n## ", begin + 1));
  return doc.substr(begin, end == std::string::npos ? std::string::npos : end - begin);
}

// The table row of `key` in `text`, or "".
std::string row(const std::string& text, const std::string& key) {
  const auto at = text.find("| `" + key + "` |");
  if (at == std::string::npos) return "";
  return text.substr(at, text.find('\n', at) - at);
}

TEST(ScenarioDocs, EveryEventTypeHasATableWithEachOfItsKeys) {
  const std::string events = section(reference(), "## events");
  ASSERT_FALSE(events.empty());
  for (const auto key : detail::kEventCommonKeys)
    EXPECT_NE(row(events, std::string(key)), "") << "no row for the common event key " << key;
  for (int k = 0; k < kEventTypeCount; ++k) {
    const auto type = static_cast<EventType>(k);
    const std::string heading = "### `" + std::string(to_string(type)) + "`";
    const std::string table = section(events, heading);
    ASSERT_FALSE(table.empty()) << "docs/scenarios.md has no section " << heading;
    for (const auto& key : detail::event_keys(type)) {
      if (key == "type" || key == "name" || key == "start" || key == "end") continue;
      const std::string line = row(table, key);
      EXPECT_NE(line, "") << heading << " has no row for `" << key << "`";
      // The range column shows the schema's range ("in [0, 1]" is written "[0, 1]").
      if (const detail::EventField* f = detail::event_field(key); f && !line.empty()) {
        std::string range = f->range.describe();
        if (range.starts_with("in ")) range = range.substr(3);
        EXPECT_NE(line.find(range), std::string::npos)
            << heading << ": the row of `" << key << "` does not show the range " << range << ":\n"
            << line;
      }
    }
  }
}

TEST(ScenarioDocs, EventExamplesLoad) {
  // The YAML examples of the events section, one after the other, form one timeline.
  const std::string events = section(reference(), "## events");
  std::string timeline;
  for (auto at = events.find("```yaml\n"); at != std::string::npos;
       at = events.find("```yaml\n", at + 1)) {
    const auto begin = at + 8;
    timeline += events.substr(begin, events.find("```", begin) - begin);
  }
  ASSERT_EQ(timeline.rfind("events:\n", 0), 0u) << timeline;
  const std::string world =
      "mercato: 1\n"
      "name: docs\n"
      "months: 60\n"
      "regions: [{id: US}, {id: FR, tax_rate: 0.45}, {id: UK}]\n"
      "organisations:\n"
      "  - {name: Meta, kind: big_tech, region: US, ai_value: 1.0e+9}\n"
      "  - {name: OpenAI, kind: frontier_lab, region: US, ai_value: 1.0e+9}\n"
      "  - {name: Thinking Machines Lab, kind: startup, region: US, ai_value: 1.0e+9}\n"
      "  - {name: Google DeepMind, kind: frontier_lab, region: UK, ai_value: 1.0e+9}\n"
      "  - {name: US-big-tech, kind: big_tech, region: US, count: 3, ai_value: 1.0e+9}\n"
      "  - {name: Mistral, kind: startup, region: FR, ai_value: 1.0e+9}\n"
      "  - {name: Nvidia, kind: big_tech, region: US, ai_value: 1.0e+9}\n";
  Config c;
  ASSERT_NO_THROW(c = load_string(world + timeline, "docs")) << timeline;
  std::set<EventType> types;
  for (const auto& e : c.events) types.insert(e.type);
  EXPECT_EQ(types.size(), static_cast<std::size_t>(kEventTypeCount)) << "one example per type";
}

}  // namespace
}  // namespace mercato::scenario::test
