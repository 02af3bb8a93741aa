// docs/scenarios.md must match the code: every key the loader accepts is documented there.
#include <gtest/gtest.h>

#include <fstream>
#include <iterator>

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

}  // namespace
}  // namespace mercato::scenario::test
