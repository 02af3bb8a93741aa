#include "core/alias_table.hpp"

namespace mercato {

// The two worklists share one buffer: the small items from the front, the large ones from the
// back (an item is in at most one, so they never meet). Each item is written to both ends and
// only one end's count advances, so the split has no branch to mispredict. The items left on a
// worklist at the end (rounding) keep probability 1 and alias themselves.
void AliasTables::finish_cell(std::size_t cell, std::vector<double>& scaled,
                              std::vector<std::uint32_t>& worklists) {
  const std::size_t begin = begin_[cell], n = begin_[cell + 1] - begin;
  if (n == 0) return;
  worklists.resize(n);
  std::uint32_t* stack = worklists.data();
  std::size_t small = 0, large = 0;  // stack[0, small) and stack[n - large, n)
  const double mean = total_[cell] / static_cast<double>(n);
  for (std::size_t j = 0; j < n; ++j) {
    scaled[j] /= mean;
    const bool is_small = scaled[j] < 1.0;
    stack[small] = static_cast<std::uint32_t>(j);
    stack[n - 1 - large] = static_cast<std::uint32_t>(j);
    small += is_small ? 1 : 0;
    large += is_small ? 0 : 1;
  }
  // The large item on top gives its excess to small items until it becomes small itself.
  while (small > 0 && large > 0) {
    const std::uint32_t l = stack[n - large];
    double excess = scaled[l];
    while (small > 0 && excess >= 1.0) {
      const std::uint32_t s = stack[--small];
      slots_[begin + s].prob = static_cast<float>(scaled[s]);
      slots_[begin + s].alias = slots_[begin + l].item;
      excess -= 1.0 - scaled[s];
    }
    scaled[l] = excess;
    if (excess < 1.0) {
      --large;
      stack[small++] = l;
    }
  }
  auto keep_whole = [&](std::uint32_t j) {
    slots_[begin + j].prob = 1.0f;
    slots_[begin + j].alias = slots_[begin + j].item;
  };
  for (std::size_t k = 0; k < small; ++k) keep_whole(stack[k]);
  for (std::size_t k = n - large; k < n; ++k) keep_whole(stack[k]);
}

}  // namespace mercato
