// Numbers in the outputs (docs/outputs.md, "Numbers"): integers as integers, money in whole
// dollars, other reals to 6 significant digits, never depending on the locale.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <locale>
#include <string>

#include "io/number_format.hpp"

namespace mercato::io {
namespace {

std::string money_text(double usd) {
  Buffer out;
  append_money(out, usd);
  return fmt::to_string(out);
}

std::string real_text(double value) {
  Buffer out;
  append_real(out, value);
  return fmt::to_string(out);
}

std::string csv_text(std::string_view text) {
  Buffer out;
  append_text(out, text);
  return fmt::to_string(out);
}

TEST(NumberFormat, MoneyIsRoundedToWholeDollars) {
  EXPECT_EQ(money_text(4680000.4), "4680000");
  EXPECT_EQ(money_text(20720000.5), "20720001");  // half away from zero (llround)
  EXPECT_EQ(money_text(-0.3), "0");               // never "-0"
  EXPECT_EQ(money_text(3e8), "300000000");        // no exponent for nine-figure packages
}

TEST(NumberFormat, NonFiniteValuesAreEmptyFields) {
  EXPECT_EQ(money_text(std::numeric_limits<double>::quiet_NaN()), "");
  EXPECT_EQ(real_text(std::numeric_limits<double>::infinity()), "");
  EXPECT_FALSE(whole_dollars(std::numeric_limits<double>::quiet_NaN()).has_value());
}

TEST(NumberFormat, SharesKeepSixSignificantDigits) {
  EXPECT_EQ(real_text(0.123456789), "0.123457");
  EXPECT_EQ(real_text(1.0 / 3.0), "0.333333");
  EXPECT_EQ(real_text(0.5), "0.5");
  EXPECT_EQ(real_text(-0.0), "0");
  EXPECT_DOUBLE_EQ(six_digits(0.123456789), 0.123457);
  EXPECT_EQ(six_digits(-0.0), 0.0);
  EXPECT_FALSE(std::signbit(six_digits(-0.0)));
}

TEST(NumberFormat, CsvFieldsAreQuotedOnlyWhenNeeded) {
  EXPECT_EQ(csv_text("Google DeepMind"), "Google DeepMind");
  EXPECT_EQ(csv_text("Mistral, Paris"), "\"Mistral, Paris\"");
  EXPECT_EQ(csv_text("the \"lab\""), "\"the \"\"lab\"\"\"");
  EXPECT_EQ(csv_text("two\nlines"), "\"two\nlines\"");
}

TEST(NumberFormat, DatesAreYearDashMonth) {
  EXPECT_EQ(date_string({2025, 1}), "2025-01");
  EXPECT_EQ(date_string(YearMonth{2025, 12}.plus_months(1)), "2026-01");
}

// A locale whose decimal point is a comma, like de_DE or fr_FR: a CSV written under it must
// still use a point, or every reader of the file would split "0,5" into two columns.
struct CommaDecimal : std::numpunct<char> {
  char do_decimal_point() const override { return ','; }
  char do_thousands_sep() const override { return '.'; }
  std::string do_grouping() const override { return "\3"; }
};

TEST(NumberFormat, TheGlobalLocaleDoesNotChangeTheOutput) {
  const std::locale previous =
      std::locale::global(std::locale(std::locale::classic(), new CommaDecimal));
  const std::string real = real_text(0.5);
  const std::string money = money_text(1234567);
  std::locale::global(previous);
  EXPECT_EQ(real, "0.5");
  EXPECT_EQ(money, "1234567");
}

}  // namespace
}  // namespace mercato::io
