// A random quantity of a scenario: a constant or a distribution to draw from.
// YAML forms: `0.3`, `{uniform: [lo, hi]}`, `{normal: [mean, sd]}`,
// `{lognormal: [median, sigma]}` (median, not mu, because users think in medians).
#pragma once

#include <cmath>
#include <cstdint>

namespace mercato {

struct Distribution {
  enum class Kind : std::uint8_t { constant, uniform, normal, lognormal };
  Kind kind = Kind::constant;
  double a = 0.0;  // constant value | lo | mean | median
  double b = 0.0;  // - | hi | sd | sigma

  static Distribution constant(double v) { return {Kind::constant, v, 0.0}; }
  static Distribution uniform(double lo, double hi) { return {Kind::uniform, lo, hi}; }
  static Distribution normal(double mean, double sd) { return {Kind::normal, mean, sd}; }
  static Distribution lognormal(double median, double sigma) {
    return {Kind::lognormal, median, sigma};
  }
  bool operator==(const Distribution&) const = default;

  // A draw from a uniform u in (0, 1) and a standard normal z (the caller's counter-based RNG).
  double sample(double u, double z) const {
    switch (kind) {
      case Kind::constant:
        return a;
      case Kind::uniform:
        return a + (b - a) * u;
      case Kind::normal:
        return a + b * z;
      case Kind::lognormal:
        return a * std::exp(b * z);
    }
    return a;
  }
  double mean() const {
    switch (kind) {
      case Kind::constant:
        return a;
      case Kind::uniform:
        return 0.5 * (a + b);
      case Kind::normal:
        return a;
      case Kind::lognormal:
        return a * std::exp(0.5 * b * b);
    }
    return a;
  }
};

}  // namespace mercato
