#include <chrono>
#include <condition_variable>
#include <exception>
#include <mutex>
#include <thread>

#include "bindings.hpp"

namespace mercato::python {

namespace {
// Often enough that Ctrl-C feels immediate, rarely enough to cost nothing next to a month.
constexpr auto kSignalPollInterval = std::chrono::milliseconds(50);
}  // namespace

void run_interruptibly(const std::function<void(const std::atomic<bool>& stop)>& work) {
  std::atomic<bool> stop{false};
  std::exception_ptr error;
  std::mutex mutex;
  std::condition_variable finished_changed;
  bool finished = false;
  bool interrupted = false;
  {
    py::gil_scoped_release release;
    std::thread worker([&] {
      try {
        work(stop);
      } catch (...) {
        error = std::current_exception();
      }
      {
        const std::lock_guard lock(mutex);
        finished = true;
      }
      finished_changed.notify_all();
    });
    std::unique_lock lock(mutex);
    while (!finished) {
      if (interrupted) {
        finished_changed.wait(lock, [&] { return finished; });
        break;
      }
      if (finished_changed.wait_for(lock, kSignalPollInterval, [&] { return finished; })) break;
      lock.unlock();
      {
        py::gil_scoped_acquire acquire;
        // Runs the Python handlers of pending signals; non-zero when one raised.
        if (PyErr_CheckSignals() != 0) {
          interrupted = true;
          stop.store(true);
        }
      }
      lock.lock();
    }
    lock.unlock();
    worker.join();
  }
  if (interrupted) throw py::error_already_set();
  if (error) std::rethrow_exception(error);
}

}  // namespace mercato::python
