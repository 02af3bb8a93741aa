// Summaries of a figure over replicates: mean, sample standard deviation and the 95% interval
// of the mean (Student t with n - 1 degrees of freedom). Undefined values are NaN, never a
// made-up number: the standard deviation and the interval of a single replicate are NaN.
#pragma once

#include <span>

namespace mercato::experiment {

// NaN for an empty span.
double mean_of(std::span<const double> values);
// With n - 1 in the denominator; NaN for fewer than two values.
double sample_sd(std::span<const double> values);
// The p-quantile of Student's t distribution with `dof` (> 0) degrees of freedom, 0 < p < 1.
double student_t_quantile(double p, double dof);

struct MeanEstimate {
  int n = 0;
  double mean = 0;
  double sd = 0;   // sample standard deviation
  double low = 0;  // the interval of the mean: mean -/+ t(1 - (1 - level) / 2, n - 1) sd / sqrt(n)
  double high = 0;
};

// The mean of `values` and its `level` interval (NaN bounds for fewer than two values; a zero
// width when every value is the same).
MeanEstimate estimate_mean(std::span<const double> values, double level = 0.95);

}  // namespace mercato::experiment
