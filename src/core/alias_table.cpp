#include "core/alias_table.hpp"

namespace mercato {

void AliasTable::build(const std::vector<std::uint32_t>& items,
                       const std::vector<double>& weights) {
  clear();
  for (std::size_t j = 0; j < items.size(); ++j) add(items[j], weights[j]);
  finish();
}

void AliasTable::finish() {
  const std::size_t n = items_.size();
  prob_.assign(n, 1.0f);
  alias_.resize(n);
  small_.clear();
  large_.clear();
  if (n == 0) {
    release_scratch();
    return;
  }
  small_.reserve(n);
  large_.reserve(n);
  const double mean = total_ / static_cast<double>(n);
  for (std::size_t j = 0; j < n; ++j) {
    scaled_[j] /= mean;
    alias_[j] = static_cast<std::uint32_t>(j);
    (scaled_[j] < 1.0 ? small_ : large_).push_back(static_cast<std::uint32_t>(j));
  }
  while (!small_.empty() && !large_.empty()) {
    const std::uint32_t s = small_.back(), l = large_.back();
    small_.pop_back();
    prob_[s] = static_cast<float>(scaled_[s]);
    alias_[s] = l;
    scaled_[l] -= 1.0 - scaled_[s];
    if (scaled_[l] < 1.0) {
      large_.pop_back();
      small_.push_back(l);
    }
  }
  // Leftovers (rounding) keep probability 1 and alias themselves.
  release_scratch();
}

void AliasTable::release_scratch() {
  std::vector<double>().swap(scaled_);
  std::vector<std::uint32_t>().swap(small_);
  std::vector<std::uint32_t>().swap(large_);
}

}  // namespace mercato
