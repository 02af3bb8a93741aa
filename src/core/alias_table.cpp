#include "core/alias_table.hpp"

namespace mercato {

// The two worklists share one buffer: the small items from the front, the large ones from the
// back (an item is in at most one, so they never meet).
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

}  // namespace mercato
