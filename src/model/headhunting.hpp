// Headhunting's draws of employed talents by inversion (decision 022), used by search.cpp.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <vector>

#include "model/model.hpp"

namespace mercato {

// Headhunting targets: employed talents by region and role, drawn in proportion to
// a^visibility_exponent by inversion (decision 022): a draw is a point in its (region, role)
// cell's cumulative weight, and the talent is the one whose span of it holds the point. The
// cumulative weights are never stored: each chunk's sum per cell is counted first, the draws'
// points are sorted by chunk, cell and point, and each chunk's talents are walked once.
class HeadhuntingCells {
 public:
  // The weights are counted by the caller, in a pass over the talents it makes anyway:
  // count(c, i) for each employed talent i of each chunk c, in talent order within the chunk,
  // then finish() (chunks on any threads).
  explicit HeadhuntingCells(const World& w);
  void count(std::size_t chunk, std::size_t i) {
    start_[(chunk + 1) * cells_ + cell(i)] += weight(i);
  }
  void finish();
  double total_weight(std::size_t cell) const { return start_[chunks_ * cells_ + cell]; }

  // A draw: the organisation, and the point u * total weight in its cell.
  // 16 bytes: `who` is the chunk and cell (chunk << 9 | cell; a cell is region x role, and
  // regions fit in 8 bits) until find() sets it to the talent.
  struct Draw {
    double point;
    std::uint32_t org;
    std::uint32_t who;
    std::size_t chunk() const { return who >> 9; }
    std::size_t cell() const { return who & 511u; }
  };
  Draw draw(std::uint32_t org, std::size_t cell, double u) const {
    const double point = u * total_weight(cell);
    // The chunk whose span of the cell holds the point (chunks without the cell span nothing).
    std::size_t lo = 0, hi = chunks_;  // start(lo) <= point < start(hi)
    while (hi - lo > 1) {
      const std::size_t mid = (lo + hi) / 2;
      (start_[mid * cells_ + cell] <= point ? lo : hi) = mid;
    }
    // Only a point rounded up to the total can land in a last chunk without the cell.
    while (lo > 0 && start_[(lo + 1) * cells_ + cell] <= start_[lo * cells_ + cell]) --lo;
    return {point - start_[lo * cells_ + cell], org, static_cast<std::uint32_t>(lo << 9 | cell)};
  }

  // Groups draws by chunk, in place (a counting sort); returns where each chunk's draws start
  // (one more entry than chunks: the last is the number of draws).
  std::vector<std::size_t> group_by_chunk(std::vector<Draw>& draws) const;
  // Sets the talent (`who`) of the draws [begin, end), all of chunk `chunk` (points relative to
  // the chunk's start): sorts them by (cell, point) and walks the chunk's talents once. A point
  // past the chunk's last talent of the cell (rounding) takes that talent.
  void find(Draw* begin, Draw* end, std::size_t chunk) const;

 private:
  std::size_t cell(std::size_t i) const {
    return t_.region[i].index() * kRoleCount + static_cast<std::size_t>(t_.role[i]);
  }
  double weight(std::size_t i) const {
    return exponent_ == 1.0 ? static_cast<double>(t_.ability[i])
                            : std::pow(t_.ability[i], exponent_);
  }
  const Talents& t_;
  double exponent_;
  std::size_t cells_, chunks_;
  std::vector<double> start_;
};

}  // namespace mercato
