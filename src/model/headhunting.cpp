// Headhunting's draws by inversion (decision 022): see headhunting.hpp.
#include "model/headhunting.hpp"

namespace mercato {

HeadhuntingCells::HeadhuntingCells(const World& w)
    : t_(w.talents),
      exponent_(w.params.visibility_exponent),
      cells_(w.regions.size() * kRoleCount),
      chunks_((t_.size() + kChunk - 1) / kChunk),
      start_((chunks_ + 1) * cells_, 0.0) {}

// start_[c * cells + cell]: the cell's weight in the chunks before c (the last row: total).
void HeadhuntingCells::finish() {
  for (std::size_t c = 1; c <= chunks_; ++c)
    for (std::size_t k = 0; k < cells_; ++k) start_[c * cells_ + k] += start_[(c - 1) * cells_ + k];
}

std::vector<std::size_t> HeadhuntingCells::group_by_chunk(std::vector<Draw>& draws) const {
  // first[c + 1]: after the counts and their prefix sums, where chunk c + 1's draws start.
  std::vector<std::size_t> first(chunks_ + 1, 0);
  for (const Draw& d : draws) ++first.at(d.chunk() + 1);
  for (std::size_t c = 0; c < chunks_; ++c) first[c + 1] += first[c];
  std::vector<std::size_t> next(first.begin(), first.end() - 1);
  std::vector<Draw> grouped(draws.size());
  for (const Draw& d : draws) grouped[next[d.chunk()]++] = d;
  draws.swap(grouped);
  return first;
}

void HeadhuntingCells::find(Draw* begin, Draw* end, std::size_t chunk) const {
  if (begin == end) return;
  std::sort(begin, end, [](const Draw& a, const Draw& b) {
    return a.who != b.who ? a.who < b.who : a.point < b.point;
  });
  // The draws of each cell, [next, stop), in order of their points.
  std::vector<Draw*> next(cells_, end), stop(cells_, end);
  for (Draw* d = end; d-- != begin;) next[d->cell()] = d;
  for (Draw* d = begin; d != end; ++d)
    if (d + 1 == end || d[1].who != d->who) stop[d->cell()] = d + 1;
  std::vector<double> sum(cells_, 0.0);
  std::vector<std::uint32_t> last(cells_);
  const std::size_t stop_at = std::min(t_.size(), (chunk + 1) * kChunk);
  for (std::size_t i = chunk * kChunk; i < stop_at; ++i) {
    if (!t_.employer[i].valid()) continue;
    const std::size_t k = cell(i);
    sum[k] += weight(i);
    last[k] = static_cast<std::uint32_t>(i);
    while (next[k] != stop[k] && next[k]->point < sum[k])
      (next[k]++)->who = static_cast<std::uint32_t>(i);
  }
  for (std::size_t k = 0; k < cells_; ++k)
    for (; next[k] != stop[k]; ++next[k]) next[k]->who = last[k];
}

}  // namespace mercato
