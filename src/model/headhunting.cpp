// Headhunting's draws by inversion (decision 022): see headhunting.hpp.
#include "model/headhunting.hpp"

namespace mercato {

HeadhuntingCells::HeadhuntingCells(const World& w, int threads)
    : t_(w.talents),
      exponent_(w.params.visibility_exponent),
      cells_(w.regions.size() * kRoleCount),
      chunks_((t_.size() + kChunk - 1) / kChunk),
      start_((chunks_ + 1) * cells_, 0.0) {
  // start_[c * cells + cell]: the cell's weight in the chunks before c (the last row: total).
#pragma omp parallel for schedule(dynamic, 1) num_threads(threads)
  for (std::size_t c = 0; c < chunks_; ++c) {
    double* sum = &start_[(c + 1) * cells_];
    const std::size_t end = std::min(t_.size(), (c + 1) * kChunk);
    for (std::size_t i = c * kChunk; i < end; ++i)
      if (t_.employer[i].valid()) sum[cell(i)] += weight(i);
  }
  for (std::size_t c = 1; c <= chunks_; ++c)
    for (std::size_t k = 0; k < cells_; ++k) start_[c * cells_ + k] += start_[(c - 1) * cells_ + k];
}

void HeadhuntingCells::sort(std::vector<Draw>& draws) const {
  // end[w]: after the counts and their prefix sums, where the draws of `who` w start; after the
  // scatter, where they end.
  std::vector<std::size_t> end((chunks_ << 9) + 1, 0);
  for (const Draw& d : draws) ++end.at(d.who + 1);
  for (std::size_t w = 1; w < end.size(); ++w) end[w] += end[w - 1];
  std::vector<Draw> sorted(draws.size());
  for (const Draw& d : draws) sorted[end[d.who]++] = d;
  std::size_t begin = 0;
  for (std::size_t w = 0; w + 1 < end.size(); ++w) {
    if (end[w] - begin > 1)
      std::sort(sorted.begin() + static_cast<std::ptrdiff_t>(begin),
                sorted.begin() + static_cast<std::ptrdiff_t>(end[w]),
                [](const Draw& a, const Draw& b) { return a.point < b.point; });
    begin = end[w];
  }
  draws.swap(sorted);
}

void HeadhuntingCells::find(std::vector<Draw>& draws, int threads) const {
  std::vector<std::size_t> first(chunks_ + 1, 0);
  for (const Draw& d : draws) ++first[d.chunk() + 1];
  for (std::size_t c = 0; c < chunks_; ++c) first[c + 1] += first[c];
#pragma omp parallel num_threads(threads)
  {
    std::vector<std::size_t> next(cells_), stop(cells_);
    std::vector<double> sum(cells_);
    std::vector<std::uint32_t> last(cells_);
#pragma omp for schedule(dynamic, 1)
    for (std::size_t c = 0; c < chunks_; ++c) {
      if (first[c] == first[c + 1]) continue;
      std::fill(next.begin(), next.end(), first[c + 1]);
      std::fill(stop.begin(), stop.end(), first[c + 1]);
      for (std::size_t d = first[c + 1]; d-- > first[c];) next[draws[d].cell()] = d;
      for (std::size_t d = first[c]; d < first[c + 1]; ++d)
        if (d + 1 == first[c + 1] || draws[d + 1].who != draws[d].who)
          stop[draws[d].cell()] = d + 1;
      std::fill(sum.begin(), sum.end(), 0.0);
      const std::size_t end = std::min(t_.size(), (c + 1) * kChunk);
      for (std::size_t i = c * kChunk; i < end; ++i) {
        if (!t_.employer[i].valid()) continue;
        const std::size_t k = cell(i);
        sum[k] += weight(i);
        last[k] = static_cast<std::uint32_t>(i);
        while (next[k] < stop[k] && draws[next[k]].point < sum[k])
          draws[next[k]++].who = static_cast<std::uint32_t>(i);
      }
      for (std::size_t k = 0; k < cells_; ++k)
        for (; next[k] < stop[k]; ++next[k]) draws[next[k]].who = last[k];
    }
  }
}

}  // namespace mercato
