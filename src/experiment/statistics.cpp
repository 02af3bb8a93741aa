#include "mercato/experiment/statistics.hpp"

#include <cmath>
#include <limits>

#include "mercato/core/error.hpp"

namespace mercato::experiment {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// The continued fraction of the regularised incomplete beta function (modified Lentz), valid
// for x < (a + 1) / (a + b + 2); see regularized_beta.
double beta_continued_fraction(double a, double b, double x) {
  constexpr double kTiny = 1e-300;
  constexpr double kEpsilon = 1e-16;
  double c = 1.0;
  double d = 1.0 - (a + b) * x / (a + 1.0);
  if (std::fabs(d) < kTiny) d = kTiny;
  d = 1.0 / d;
  double h = d;
  for (int m = 1; m <= 10000; ++m) {
    const double m2 = 2.0 * m;
    double aa = m * (b - m) * x / ((a + m2 - 1.0) * (a + m2));
    d = 1.0 + aa * d;
    if (std::fabs(d) < kTiny) d = kTiny;
    c = 1.0 + aa / c;
    if (std::fabs(c) < kTiny) c = kTiny;
    d = 1.0 / d;
    h *= d * c;
    aa = -(a + m) * (a + b + m) * x / ((a + m2) * (a + m2 + 1.0));
    d = 1.0 + aa * d;
    if (std::fabs(d) < kTiny) d = kTiny;
    c = 1.0 + aa / c;
    if (std::fabs(c) < kTiny) c = kTiny;
    d = 1.0 / d;
    const double step = d * c;
    h *= step;
    if (std::fabs(step - 1.0) < kEpsilon) break;
  }
  return h;
}

// I_x(a, b).
double regularized_beta(double a, double b, double x) {
  if (x <= 0.0) return 0.0;
  if (x >= 1.0) return 1.0;
  const double front = std::exp(std::lgamma(a + b) - std::lgamma(a) - std::lgamma(b) +
                                a * std::log(x) + b * std::log1p(-x));
  if (x < (a + 1.0) / (a + b + 2.0)) return front * beta_continued_fraction(a, b, x) / a;
  return 1.0 - front * beta_continued_fraction(b, a, 1.0 - x) / b;
}

bool all_equal(std::span<const double> values) {
  for (double v : values) {
    if (v != values.front()) return false;
  }
  return true;
}

}  // namespace

double mean_of(std::span<const double> values) {
  if (values.empty()) return kNaN;
  // Equal values (a scenario against itself) have exactly that mean, without the rounding of
  // sum / n (0.1 + 0.1 + 0.1 = 0.30000000000000004).
  if (all_equal(values)) return values.front();
  double sum = 0.0;
  for (double v : values) sum += v;
  return sum / static_cast<double>(values.size());
}

double sample_sd(std::span<const double> values) {
  if (values.size() < 2) return kNaN;
  if (all_equal(values)) return 0.0;
  const double mean = mean_of(values);
  double squares = 0.0;
  for (double v : values) squares += (v - mean) * (v - mean);
  return std::sqrt(squares / static_cast<double>(values.size() - 1));
}

double student_t_quantile(double p, double dof) {
  MERCATO_ASSERT(p > 0.0 && p < 1.0 && dof > 0.0);
  if (!(p > 0.0 && p < 1.0 && dof > 0.0)) return kNaN;
  if (p == 0.5) return 0.0;
  if (p < 0.5) return -student_t_quantile(1.0 - p, dof);
  // For t > 0, P(T > t) = I_x(dof / 2, 1 / 2) / 2 with x = dof / (dof + t^2), which falls as x
  // falls: bisect on x down to adjacent doubles (about 60 steps), then t = sqrt(dof (1 - x) / x).
  const double tail = 2.0 * (1.0 - p);
  double low = 0.0, high = 1.0;
  for (int i = 0; i < 2000; ++i) {
    const double mid = 0.5 * (low + high);
    if (mid <= low || mid >= high) break;
    if (regularized_beta(0.5 * dof, 0.5, mid) < tail) {
      low = mid;
    } else {
      high = mid;
    }
  }
  const double x = 0.5 * (low + high);
  return std::sqrt(dof * (1.0 - x) / x);
}

MeanEstimate estimate_mean(std::span<const double> values, double level) {
  MeanEstimate e;
  e.n = static_cast<int>(values.size());
  e.mean = mean_of(values);
  e.sd = sample_sd(values);
  if (values.size() < 2 || !std::isfinite(e.sd)) {
    e.low = e.high = kNaN;
    return e;
  }
  if (e.sd == 0.0) {
    // Every replicate agrees (a scenario against itself): the interval is the point itself,
    // without the rounding of mean -/+ 0 x t.
    e.low = e.high = e.mean;
    return e;
  }
  const double t = student_t_quantile(1.0 - (1.0 - level) / 2.0, e.n - 1.0);
  const double half = t * e.sd / std::sqrt(static_cast<double>(e.n));
  e.low = e.mean - half;
  e.high = e.mean + half;
  return e;
}

}  // namespace mercato::experiment
