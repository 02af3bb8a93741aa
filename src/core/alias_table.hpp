// Walker/Vose alias table: O(n) build, O(1) weighted draw. Search rebuilds one per region
// (and role) each month (MODEL.md, search: "per-region alias tables rebuilt once a month").
#pragma once

#include <algorithm>
#include <cstdint>
#include <vector>

namespace mercato {

class AliasTable {
 public:
  // Items with weight <= 0 are never drawn. Keeps its item buffers across builds.
  void build(const std::vector<std::uint32_t>& items, const std::vector<double>& weights);
  // The same in place, without a copy of the items: clear(), add() each item, then finish().
  // The build's scratch (scaled weights, worklists) is released by finish(), so that the
  // tables hold 12 bytes per item between builds; clear() reserves it again at last size.
  void clear() {
    scaled_.reserve(items_.size());
    items_.clear();
    scaled_.clear();
    total_ = 0;
  }
  void add(std::uint32_t item, double weight) {
    if (!(weight > 0)) return;
    items_.push_back(item);
    scaled_.push_back(weight);
    total_ += weight;
  }
  void finish();
  bool empty() const { return items_.empty(); }
  double total_weight() const { return total_; }
  std::size_t size() const { return items_.size(); }
  // u1, u2 uniform in [0, 1).
  std::uint32_t draw(double u1, double u2) const { return pick(slot(u1), u2); }
  // draw() in two steps, so that a caller drawing many can prefetch the slots in between.
  std::size_t slot(double u1) const {
    const std::size_t k = static_cast<std::size_t>(u1 * static_cast<double>(items_.size()));
    return k < items_.size() ? k : items_.size() - 1;
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
  void release_scratch();

  std::vector<std::uint32_t> items_;
  std::vector<float> prob_;
  std::vector<std::uint32_t> alias_;
  std::vector<std::uint32_t> small_, large_;
  std::vector<double> scaled_;
  double total_ = 0;
};

// Many alias tables in flat arrays, one per cell, over items 0..n-1 that each belong to one
// cell or none: the same tables as one AliasTable per cell built from its items in increasing
// order (the same draws), but without a copy of the weights per table while they are built
// (only the cell being built has scratch) and without a vector per table. Search's
// headhunting tables, over every employed talent.
class AliasTables {
 public:
  // cell_of(i): the item's cell in [0, cells), or -1 for none. weight_of(i): items with weight
  // <= 0 are never drawn. Each is called up to three times per item.
  template <class CellOf, class WeightOf>
  void build(std::size_t cells, std::size_t n, CellOf cell_of, WeightOf weight_of);
  double total_weight(std::size_t cell) const { return total_[cell]; }
  std::size_t size(std::size_t cell) const { return begin_[cell + 1] - begin_[cell]; }
  // A draw in two steps, like AliasTable::slot and pick: slot k is a position in the flat
  // arrays, u1 and u2 uniform in [0, 1). The cell must not be empty.
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
  // Vose's construction for one cell from its weights (scaled is overwritten).
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
