#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "mercato/experiment/statistics.hpp"

namespace mercato::experiment {
namespace {

TEST(Statistics, MeanSdAndIntervalOfOneToFour) {
  const std::vector<double> values = {1, 2, 3, 4};
  const MeanEstimate e = estimate_mean(values);
  EXPECT_EQ(e.n, 4);
  EXPECT_DOUBLE_EQ(e.mean, 2.5);
  EXPECT_NEAR(e.sd, std::sqrt(5.0 / 3.0), 1e-12);  // 1.290994...
  // t(0.975, 3) = 3.182446305...; half width = t x sd / sqrt(4) = 2.054260...
  EXPECT_NEAR(e.low, 2.5 - 2.0542600, 1e-6);
  EXPECT_NEAR(e.high, 2.5 + 2.0542600, 1e-6);
}

TEST(Statistics, StudentTQuantilesMatchTables) {
  EXPECT_NEAR(student_t_quantile(0.975, 1), 12.706204736174707, 1e-9);
  EXPECT_NEAR(student_t_quantile(0.975, 2), 4.302652729749464, 1e-9);
  EXPECT_NEAR(student_t_quantile(0.975, 3), 3.182446305284263, 1e-9);
  EXPECT_NEAR(student_t_quantile(0.975, 9), 2.262157162798205, 1e-9);
  EXPECT_NEAR(student_t_quantile(0.975, 30), 2.042272456301238, 1e-9);
  EXPECT_NEAR(student_t_quantile(0.995, 5), 4.032142983557536, 1e-9);
  EXPECT_NEAR(student_t_quantile(0.975, 1e6), 1.959966, 1e-5);  // the normal's 1.959964
  EXPECT_NEAR(student_t_quantile(0.025, 3), -3.182446305284263, 1e-9);
  EXPECT_EQ(student_t_quantile(0.5, 7), 0.0);
}

TEST(Statistics, OneValueHasNoSdAndNoInterval) {
  const std::vector<double> one = {3.5};
  const MeanEstimate e = estimate_mean(one);
  EXPECT_EQ(e.n, 1);
  EXPECT_DOUBLE_EQ(e.mean, 3.5);
  EXPECT_TRUE(std::isnan(e.sd));
  EXPECT_TRUE(std::isnan(e.low));
  EXPECT_TRUE(std::isnan(e.high));
}

TEST(Statistics, EqualValuesGiveAZeroWidthInterval) {
  const std::vector<double> same = {0.1, 0.1, 0.1};
  const MeanEstimate e = estimate_mean(same);
  EXPECT_EQ(e.sd, 0.0);
  EXPECT_EQ(e.low, e.mean);
  EXPECT_EQ(e.high, e.mean);
}

TEST(Statistics, NoValuesGiveNaN) {
  EXPECT_TRUE(std::isnan(mean_of({})));
  EXPECT_TRUE(std::isnan(sample_sd({})));
}

}  // namespace
}  // namespace mercato::experiment
