#include "io/number_format.hpp"

#include <charconv>
#include <cmath>

namespace mercato::io {

std::optional<std::int64_t> whole_dollars(double usd) {
  // 9.2e18 is far above any payroll; beyond it llround is undefined.
  if (!std::isfinite(usd) || std::fabs(usd) >= 9.2e18) return std::nullopt;
  return std::llround(usd);
}

double six_digits(double value) {
  if (!std::isfinite(value)) return value;
  // Formatting then parsing gives exactly the number a reader of the CSV sees, so JSON and CSV
  // agree digit for digit; from_chars, unlike strtod, ignores the locale.
  const auto text = fmt::format("{:.6g}", value + 0.0);
  double rounded = 0;
  std::from_chars(text.data(), text.data() + text.size(), rounded);
  return rounded + 0.0;
}

void append_money(Buffer& out, double usd) {
  if (const auto dollars = whole_dollars(usd)) append_int(out, *dollars);
}

void append_real(Buffer& out, double value) {
  // `+ 0.0` turns -0 into 0 so a tiny negative rounding never prints as "-0".
  if (std::isfinite(value)) fmt::format_to(fmt::appender(out), "{:.6g}", value + 0.0);
}

void append_text(Buffer& out, std::string_view text) {
  if (text.find_first_of(",\"\r\n") == std::string_view::npos) {
    out.append(text);
    return;
  }
  out.push_back('"');
  for (char c : text) {
    if (c == '"') out.push_back('"');
    out.push_back(c);
  }
  out.push_back('"');
}

std::string date_string(YearMonth date) {
  return fmt::format("{:04}-{:02}", date.year, date.month);
}

}  // namespace mercato::io
