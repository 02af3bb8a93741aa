// Walker/Vose alias tables: O(n) build, O(1) weighted draw. Search rebuilds one per region and
// role each month for applications (MODEL.md, search: "per-region alias tables rebuilt once a
// month"); headhunting draws by inversion instead (model/headhunting.hpp, decision 022).
#pragma once

#include <algorithm>
#include <cstdint>
#include <utility>
#include <vector>

namespace mercato {

// Many alias tables in flat arrays, one per cell, over items 0..n-1 that each belong to one
// cell or none; each cell's items are in increasing order. Only the cells being built have
// scratch (their weights and worklists, one cell per thread at a time), so building tables
// over many items needs no copy of their weights.
class AliasTables {
 public:
  // cell_of(i): the item's cell in [0, cells), or -1 for none. weight_of(i): items with weight
  // <= 0 are never drawn. Each is called up to three times per item, from up to `threads`
  // threads; the tables are the same for any number of threads.
  template <class CellOf, class WeightOf>
  void build(std::size_t cells, std::size_t n, CellOf cell_of, WeightOf weight_of, int threads = 1);
  double total_weight(std::size_t cell) const { return total_[cell]; }
  std::size_t size(std::size_t cell) const { return begin_[cell + 1] - begin_[cell]; }
  // A draw from a cell that is not empty, u1 and u2 uniform in [0, 1).
  std::uint32_t draw(std::size_t cell, double u1, double u2) const {
    const std::size_t n = size(cell);
    const std::size_t j = static_cast<std::size_t>(u1 * static_cast<double>(n));
    const Slot& slot = slots_[begin_[cell] + (j < n ? j : n - 1)];
    return u2 < slot.prob ? slot.item : slot.alias;
  }

 private:
  // Vose's construction for one cell from its weights (scaled is overwritten). Leftovers
  // (rounding) keep probability 1 and alias themselves.
  void finish_cell(std::size_t cell, std::vector<double>& scaled,
                   std::vector<std::uint32_t>& worklists);

  // One record per item, so that a draw reads one cache line: the item, the probability of
  // keeping it, and its alias item (decision 023).
  struct Slot {
    float prob;
    std::uint32_t item;   // by cell, each cell's in increasing order
    std::uint32_t alias;  // an item of the same cell
  };
  std::vector<Slot> slots_;
  std::vector<std::size_t> begin_;  // cell c is [begin_[c], begin_[c + 1])
  std::vector<double> total_;
};

// Items are counted and placed by blocks of items, each block's items of a cell at their own
// offsets (so each cell's items stay in increasing order), then each cell is finished on its
// own; every cell's arithmetic is in item order whatever the threads.
template <class CellOf, class WeightOf>
void AliasTables::build(std::size_t cells, std::size_t n, CellOf cell_of, WeightOf weight_of,
                        [[maybe_unused]] int threads) {
  constexpr std::size_t kBlock = 8192;
  const std::size_t blocks = (n + kBlock - 1) / kBlock;
  auto in_cell = [&](std::size_t i) {
    const int c = cell_of(i);
    return c >= 0 && weight_of(i) > 0 ? c : -1;
  };
  std::vector<std::size_t> at(blocks * cells, 0);  // per block and cell: a count, then an offset
#ifdef _OPENMP
#pragma omp parallel for schedule(static) num_threads(threads)
#endif
  for (std::size_t b = 0; b < blocks; ++b) {
    std::size_t* count = at.data() + b * cells;
    const std::size_t end = std::min(n, (b + 1) * kBlock);
    for (std::size_t i = b * kBlock; i < end; ++i)
      if (const int c = in_cell(i); c >= 0) ++count[c];
  }
  begin_.assign(cells + 1, 0);
  std::size_t items = 0, largest = 0;
  for (std::size_t c = 0; c < cells; ++c) {
    begin_[c] = items;
    for (std::size_t b = 0; b < blocks; ++b) items += std::exchange(at[b * cells + c], items);
    largest = std::max(largest, items - begin_[c]);
  }
  begin_[cells] = items;
  // Exactly reserved: a vector's resize past its capacity would double it.
  slots_.reserve(items);
  slots_.resize(items);
#ifdef _OPENMP
#pragma omp parallel for schedule(static) num_threads(threads)
#endif
  for (std::size_t b = 0; b < blocks; ++b) {
    std::size_t* next = at.data() + b * cells;
    Slot* slots = slots_.data();
    const std::size_t end = std::min(n, (b + 1) * kBlock);
    for (std::size_t i = b * kBlock; i < end; ++i)
      if (const int c = in_cell(i); c >= 0) slots[next[c]++].item = static_cast<std::uint32_t>(i);
  }
  total_.assign(cells, 0.0);
#ifdef _OPENMP
#pragma omp parallel num_threads(threads)
#endif
  {
    std::vector<double> scaled;
    std::vector<std::uint32_t> worklists;
    scaled.reserve(largest);
    worklists.reserve(largest);
#ifdef _OPENMP
#pragma omp for schedule(dynamic, 1)
#endif
    for (std::size_t c = 0; c < cells; ++c) {
      const std::size_t first = begin_[c], size = begin_[c + 1] - first;
      scaled.resize(size);
      double total = 0;
      for (std::size_t k = 0; k < size; ++k) {
        scaled[k] = weight_of(slots_[first + k].item);
        total += scaled[k];
      }
      total_[c] = total;
      finish_cell(c, scaled, worklists);
    }
  }
}

}  // namespace mercato
