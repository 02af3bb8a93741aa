// Walker/Vose alias table: O(n) build, O(1) weighted draw. Search rebuilds one per region
// (and role) each month (MODEL.md, search: "per-region alias tables rebuilt once a month").
#pragma once

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

}  // namespace mercato
