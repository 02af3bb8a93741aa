#include "scenario/schema.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>

#include <fmt/format.h>

namespace mercato::scenario::detail {

namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// Optimal-string-alignment distance: insertions, deletions, substitutions and swaps of two
// neighbours each cost 1, so "modle" is one step from "model".
std::size_t edit_distance(std::string_view a, std::string_view b) {
  const std::size_t n = a.size(), m = b.size();
  std::vector<std::vector<std::size_t>> d(n + 1, std::vector<std::size_t>(m + 1));
  for (std::size_t i = 0; i <= n; ++i) d[i][0] = i;
  for (std::size_t j = 0; j <= m; ++j) d[0][j] = j;
  for (std::size_t i = 1; i <= n; ++i)
    for (std::size_t j = 1; j <= m; ++j) {
      std::size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
        d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
    }
  return d[n][m];
}

}  // namespace

std::string Range::describe() const {
  const bool has_lo = std::isfinite(lo), has_hi = std::isfinite(hi);
  if (has_lo && has_hi)
    return fmt::format("in {}{}, {}{}", lo_open ? '(' : '[', format_number(lo), format_number(hi),
                       hi_open ? ')' : ']');
  if (has_lo) return fmt::format("{} {}", lo_open ? ">" : ">=", format_number(lo));
  if (has_hi) return fmt::format("{} {}", hi_open ? "<" : "<=", format_number(hi));
  return "";
}

std::optional<std::string> nearest(std::string_view word, std::span<const std::string> candidates) {
  if (word.size() > 64) return std::nullopt;  // junk, and keeps the distance table small
  const std::string w = lower(word);
  // A typo is a few keystrokes: 1 for short keys, up to 3 for long ones.
  const std::size_t limit = w.size() <= 4 ? 1 : (w.size() <= 8 ? 2 : 3);
  std::optional<std::string> best;
  std::size_t best_distance = limit + 1;
  for (const auto& c : candidates) {
    std::size_t d = edit_distance(w, lower(c));
    if (d < best_distance) {
      best_distance = d;
      best = c;
    }
  }
  return best;
}

std::string suggestion(std::string_view word, std::span<const std::string> candidates) {
  if (auto near = nearest(word, candidates)) return fmt::format("; did you mean '{}'?", *near);
  if (candidates.empty()) return "";
  if (candidates.size() > 40) return "";
  return fmt::format("; expected one of: {}", fmt::join(candidates, ", "));
}

const NamedList* named_list(std::string_view section) {
  for (const auto& l : kNamedLists)
    if (l.section == section) return &l;
  return nullptr;
}

std::string format_number(double x) {
  return fmt::format("{}", x);
}

std::string format_distribution(const Distribution& d) {
  switch (d.kind) {
    case Distribution::Kind::constant:
      return format_number(d.a);
    case Distribution::Kind::uniform:
      return fmt::format("{{uniform: [{}, {}]}}", format_number(d.a), format_number(d.b));
    case Distribution::Kind::normal:
      return fmt::format("{{normal: [{}, {}]}}", format_number(d.a), format_number(d.b));
    case Distribution::Kind::lognormal:
      return fmt::format("{{lognormal: [{}, {}]}}", format_number(d.a), format_number(d.b));
  }
  return "";
}

}  // namespace mercato::scenario::detail
