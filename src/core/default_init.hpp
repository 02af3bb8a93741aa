// An allocator for arrays whose every element is written before it is read: resize() and
// vector(n) leave trivial elements uninitialised instead of zeroing them, so the pages are
// first touched by the (parallel) loop that fills them rather than by one thread's memset.
#pragma once

#include <memory>
#include <new>
#include <utility>
#include <vector>

namespace mercato {

template <class T>
struct DefaultInitAllocator : std::allocator<T> {
  template <class U>
  struct rebind {
    using other = DefaultInitAllocator<U>;
  };
  DefaultInitAllocator() noexcept = default;
  template <class U>
  DefaultInitAllocator(const DefaultInitAllocator<U>&) noexcept {}
  template <class U, class... Args>
  void construct(U* p, Args&&... args) {
    if constexpr (sizeof...(Args) == 0)
      ::new (static_cast<void*>(p)) U;  // default-initialised: trivial types keep no value
    else
      ::new (static_cast<void*>(p)) U(std::forward<Args>(args)...);
  }
};

// A vector whose resize() does not zero what it adds.
template <class T>
using FilledLater = std::vector<T, DefaultInitAllocator<T>>;

}  // namespace mercato
