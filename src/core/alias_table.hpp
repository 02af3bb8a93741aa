// Walker/Vose alias tables: O(n) build, O(1) weighted draw. Search rebuilds one per region and
// role each month, for applications and for headhunting (MODEL.md, search: "per-region alias
// tables rebuilt once a month").
#pragma once

#include <algorithm>
#include <cstdint>
#include <vector>

namespace mercato {

// Many alias tables in flat arrays, one per cell, over items 0..n-1 that each belong to one
// cell or none; each cell's items are in increasing order. Only the cell being built has
// scratch (its weights and worklists), so building the headhunting tables over every employed
// talent needs no copy of their weights.
class AliasTables {
 public:
  // cell_of(i): the item's cell in [0, cells), or -1 for none. weight_of(i): items with weight
  // <= 0 are never drawn. Each is called up to three times per item.
  template <class CellOf, class WeightOf>
  void build(std::size_t cells, std::size_t n, CellOf cell_of, WeightOf weight_of);
  double total_weight(std::size_t cell) const { return total_[cell]; }
  std::size_t size(std::size_t cell) const { return begin_[cell + 1] - begin_[cell]; }
  // A draw from a cell that is not empty, u1 and u2 uniform in [0, 1).
  std::uint32_t draw(std::size_t cell, double u1, double u2) const {
    return pick(slot(cell, u1), u2);
  }
  // draw() in two steps, so that a caller drawing many can prefetch the slots in between: slot
  // k is a position in the flat arrays.
  std::size_t slot(std::size_t cell, double u1) const {
    const std::size_t n = size(cell);
    const std::size_t k = static_cast<std::size_t>(u1 * static_cast<double>(n));
    return begin_[cell] + (k < n ? k : n - 1);
  }
  void prefetch(std::size_t k) const {
    __builtin_prefetch(&prob_[k]);
    __builtin_prefetch(&items_[k]);
    __builtin_prefetch(&alias_[k]);
  }
  std::uint32_t pick(std::size_t k, double u2) const {
    return u2 < prob_[k] ? items_[k] : items_[alias_[k]];
  }

 private:
  // Vose's construction for one cell from its weights (scaled is overwritten). Leftovers
  // (rounding) keep probability 1 and alias themselves.
  void finish_cell(std::size_t cell, std::vector<double>& scaled,
                   std::vector<std::uint32_t>& worklists);

  std::vector<std::uint32_t> items_;  // by cell, each cell's in increasing order
  std::vector<float> prob_;
  std::vector<std::uint32_t> alias_;  // positions in items_
  std::vector<std::size_t> begin_;    // cell c is [begin_[c], begin_[c + 1])
  std::vector<double> total_;
};

template <class CellOf, class WeightOf>
void AliasTables::build(std::size_t cells, std::size_t n, CellOf cell_of, WeightOf weight_of) {
  begin_.assign(cells + 1, 0);
  for (std::size_t i = 0; i < n; ++i) {
    const int c = cell_of(i);
    if (c >= 0 && weight_of(i) > 0) ++begin_[static_cast<std::size_t>(c) + 1];
  }
  std::size_t largest = 0;
  for (std::size_t c = 0; c < cells; ++c) {
    largest = std::max(largest, begin_[c + 1]);
    begin_[c + 1] += begin_[c];
  }
  // Exactly reserved: a vector's resize past its capacity would double it.
  const std::size_t items = begin_[cells];
  items_.reserve(items);
  prob_.reserve(items);
  alias_.reserve(items);
  items_.resize(items);
  prob_.resize(items);
  alias_.resize(items);
  std::vector<std::size_t> at(begin_.begin(), begin_.end() - 1);
  for (std::size_t i = 0; i < n; ++i) {
    const int c = cell_of(i);
    if (c >= 0 && weight_of(i) > 0)
      items_[at[static_cast<std::size_t>(c)]++] = static_cast<std::uint32_t>(i);
  }
  total_.assign(cells, 0.0);
  std::vector<double> scaled;
  std::vector<std::uint32_t> worklists;
  scaled.reserve(largest);
  worklists.reserve(largest);
  for (std::size_t c = 0; c < cells; ++c) {
    scaled.clear();
    for (std::size_t k = begin_[c]; k < begin_[c + 1]; ++k) {
      scaled.push_back(weight_of(items_[k]));
      total_[c] += scaled.back();
    }
    finish_cell(c, scaled, worklists);
  }
}

}  // namespace mercato
