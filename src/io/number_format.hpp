// How numbers are written (docs/outputs.md, "Numbers"): integers as integers, money in whole
// US dollars, other reals to 6 significant digits, a non-finite value as an empty CSV field or
// JSON null. fmt without the `L` specifier never consults the locale, so a French or German
// locale cannot turn a decimal point into a comma.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <fmt/format.h>

#include "mercato/core/types.hpp"

namespace mercato::io {

using Buffer = fmt::memory_buffer;

inline void append_int(Buffer& out, std::int64_t value) {
  fmt::format_to(fmt::appender(out), "{}", value);
}

// Whole dollars; nullopt when not finite.
std::optional<std::int64_t> whole_dollars(double usd);
// Rounded to 6 significant digits (shares, abilities, compute); -0 becomes 0.
double six_digits(double value);

void append_money(Buffer& out, double usd);
void append_real(Buffer& out, double value);
// A CSV field, quoted (RFC 4180) only when it holds a comma, quote or line break.
void append_text(Buffer& out, std::string_view text);

// "2025-01".
std::string date_string(YearMonth date);

}  // namespace mercato::io
