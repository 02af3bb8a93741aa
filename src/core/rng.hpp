// Counter-based random numbers (Philox4x32-10, Random123). A draw is a pure function of
// (seed, replicate, stream, month, entity ids, draw index): no generator state is shared
// between threads and no draw depends on evaluation order (ARCHITECTURE.md, Determinism).
#pragma once

#include <Random123/philox.h>

#include <cmath>
#include <cstdint>

namespace mercato {

// One stream per purpose, so adding draws to one phase never shifts another's.
enum class Stream : std::uint32_t {
  build_talents = 1,
  build_orgs,
  placement,
  exit,  // one block per talent and month: the exit draw and the seek draw (decision 021)
  seek,  // unused since decision 021; kept so that the later streams keep their numbers
  applications,
  headhunting,
  taste,
  counter,
  entry,
  doctorate,  // a doctoral student's ability, keyed by its enrolment serial
};

class Rng {
 public:
  using Philox = r123::Philox4x32;

  Rng(std::uint64_t seed, std::uint64_t replicate)
      : key_{{static_cast<std::uint32_t>(seed),
              static_cast<std::uint32_t>(seed >> 32) ^
                  static_cast<std::uint32_t>(replicate * 0x9E3779B9u)}} {}

  // Four independent 32-bit words for (stream, month, a, b). `month` may be negative
  // (warm-up months) and is offset so every month of a run has its own counter.
  Philox::ctr_type bits(Stream s, int month, std::uint32_t a, std::uint32_t b) const {
    Philox::ctr_type ctr{
        {(static_cast<std::uint32_t>(s) << 24) ^ static_cast<std::uint32_t>(month + 4096), a, b,
         0}};
    return Philox()(ctr, key_);
  }

  // Uniform in (0, 1): never 0, so logs are finite.
  static double to_unit(std::uint32_t w) { return (static_cast<double>(w) + 0.5) * 0x1p-32; }
  static double to_unit53(std::uint32_t hi, std::uint32_t lo) {
    std::uint64_t x = (static_cast<std::uint64_t>(hi) << 21) ^ lo;
    x &= (1ull << 53) - 1;
    return (static_cast<double>(x) + 0.5) * 0x1p-53;
  }
  double uniform(Stream s, int month, std::uint32_t a, std::uint32_t b = 0) const {
    auto r = bits(s, month, a, b);
    return to_unit53(r[0], r[1]);
  }
  // Standard normal by Box-Muller from two words.
  static double normal_from(std::uint32_t w0, std::uint32_t w1) {
    double u1 = to_unit(w0), u2 = to_unit(w1);
    return std::sqrt(-2.0 * std::log(u1)) * std::cos(6.283185307179586 * u2);
  }
  // Gumbel(0, 1).
  static double gumbel_from(std::uint32_t w) { return -std::log(-std::log(to_unit(w))); }

 private:
  Philox::key_type key_;
};

}  // namespace mercato
