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

// AliasTable::finish's construction, its two worklists in one buffer: the small items from
// the front, the large ones from the back (an item is in at most one, so they never meet).
void AliasTables::finish_cell(std::size_t cell, std::vector<double>& scaled,
                              std::vector<std::uint32_t>& worklists) {
  const std::size_t begin = begin_[cell], n = begin_[cell + 1] - begin;
  if (n == 0) return;
  worklists.resize(n);
  std::uint32_t* stack = worklists.data();
  std::size_t small = 0, large = 0;  // stack[0, small) and stack[n - large, n)
  const double mean = total_[cell] / static_cast<double>(n);
  for (std::size_t j = 0; j < n; ++j) {
    prob_[begin + j] = 1.0f;
    alias_[begin + j] = static_cast<std::uint32_t>(begin + j);
    scaled[j] /= mean;
    if (scaled[j] < 1.0)
      stack[small++] = static_cast<std::uint32_t>(j);
    else
      stack[n - ++large] = static_cast<std::uint32_t>(j);
  }
  while (small > 0 && large > 0) {
    const std::uint32_t s = stack[--small], l = stack[n - large];
    prob_[begin + s] = static_cast<float>(scaled[s]);
    alias_[begin + s] = static_cast<std::uint32_t>(begin + l);
    scaled[l] -= 1.0 - scaled[s];
    if (scaled[l] < 1.0) {
      --large;
      stack[small++] = l;
    }
  }
}

void AliasTable::release_scratch() {
  std::vector<double>().swap(scaled_);
  std::vector<std::uint32_t>().swap(small_);
  std::vector<std::uint32_t>().swap(large_);
}

}  // namespace mercato
