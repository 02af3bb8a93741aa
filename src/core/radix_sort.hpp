// A stable sort of records by a 64-bit key: LSD radix sort on 8-bit digits, skipping each
// digit that every key shares. With unique keys it gives the same order as std::sort; it is
// several times faster on the hundreds of thousands of records a month sorts (clearing's
// auction order, bench/decisions/014-radix-sort-auction-order.md). With `threads` > 1 a large
// sort's two halves are sorted on two threads, then merged, with the same result.
#pragma once

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

namespace mercato {

namespace detail {
// Sorts items[0, n) by key with buffer[0, n) as scratch; returns where the sorted records are
// (items or buffer: the passes alternate between them, and a digit every key shares is skipped).
template <class T, class KeyOf>
T* radix_sort_span(T* items, T* buffer, std::size_t n, KeyOf& key_of) {
  std::array<std::array<std::size_t, 256>, 8> counts{};
  for (std::size_t j = 0; j < n; ++j) {
    const std::uint64_t key = key_of(items[j]);
    for (std::size_t d = 0; d < 8; ++d) ++counts[d][(key >> (8 * d)) & 0xFF];
  }
  T* from = items;
  T* to = buffer;
  for (std::size_t d = 0; d < 8; ++d) {
    auto& at = counts[d];
    if (at[(key_of(from[0]) >> (8 * d)) & 0xFF] == n) continue;  // one digit
    std::size_t start = 0;
    for (auto& c : at) start += std::exchange(c, start);
    for (std::size_t j = 0; j < n; ++j) to[at[(key_of(from[j]) >> (8 * d)) & 0xFF]++] = from[j];
    std::swap(from, to);
  }
  return from;
}
}  // namespace detail

template <class T, class KeyOf>
void radix_sort_by_key(std::vector<T>& items, KeyOf key_of, int threads = 1) {
  constexpr std::size_t kSmall = 512;  // below this, a comparison sort is as fast
  const std::size_t n = items.size();
  if (n < kSmall) {
    std::stable_sort(items.begin(), items.end(),
                     [&](const T& x, const T& y) { return key_of(x) < key_of(y); });
    return;
  }
  std::vector<T> buffer(n);
  // On several threads (large inputs only): the two halves sorted side by side, each in its
  // own core's cache, then merged, the first half's records first among equal keys: the same
  // stable order as one thread.
  constexpr std::size_t kParallel = std::size_t{1} << 16;
  if (threads > 1 && n >= kParallel) {
    const std::size_t half[3] = {0, n / 2, n};
#pragma omp parallel for schedule(static, 1) num_threads(2)
    for (int h = 0; h < 2; ++h) {
      T* first = items.data() + half[h];
      const std::size_t size = half[h + 1] - half[h];
      const T* sorted = detail::radix_sort_span(first, buffer.data() + half[h], size, key_of);
      if (sorted != first) std::copy(sorted, sorted + size, first);
    }
    const auto middle = items.begin() + static_cast<std::ptrdiff_t>(half[1]);
    std::merge(items.begin(), middle, middle, items.end(), buffer.begin(),
               [&](const T& x, const T& y) { return key_of(x) < key_of(y); });
    items.swap(buffer);
    return;
  }
  if (detail::radix_sort_span(items.data(), buffer.data(), n, key_of) != items.data())
    items.swap(buffer);
}

}  // namespace mercato
