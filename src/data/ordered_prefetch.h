// Builds the items of steps first..end-1 on worker threads, at most `prefetch` steps ahead of
// the consumer, and hands them out in step order whatever order the threads finish in. The
// batch loader's threading, apart from what a batch holds (so it is tested without torch, and
// under ThreadSanitizer).
#pragma once

#include <condition_variable>
#include <cstdint>
#include <exception>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

namespace au::data {

template <typename Item>
class OrderedPrefetch {
 public:
  /// Starts `workers` threads calling `build(step)` (which may throw: next() rethrows the first
  /// error, and the workers stop taking steps).
  OrderedPrefetch(std::function<Item(int64_t)> build, int64_t first_step, int64_t end_step,
                  int workers, int prefetch)
      : build_(std::move(build)),
        end_step_(end_step),
        prefetch_(prefetch),
        next_to_build_(first_step),
        next_to_deliver_(first_step) {
    for (int i = 0; i < workers; ++i) workers_.emplace_back([this] { work(); });
  }
  /// Stops the workers after the steps they are building (nothing new is started) and joins.
  ~OrderedPrefetch() {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      stopping_ = true;
    }
    changed_.notify_all();
    for (auto& t : workers_) t.join();
  }
  OrderedPrefetch(const OrderedPrefetch&) = delete;
  OrderedPrefetch& operator=(const OrderedPrefetch&) = delete;

  /// The next step's item (waiting for it), or nullopt after the last step.
  std::optional<Item> next() {
    std::unique_lock<std::mutex> lock(mutex_);
    if (next_to_deliver_ >= end_step_) return std::nullopt;
    changed_.wait(lock, [&] { return error_ || ready_.count(next_to_deliver_); });
    if (error_) std::rethrow_exception(error_);
    auto node = ready_.extract(next_to_deliver_++);
    lock.unlock();
    changed_.notify_all();
    return std::move(node.mapped());
  }

 private:
  void work() {
    for (;;) {
      int64_t step;
      {
        std::unique_lock<std::mutex> lock(mutex_);
        changed_.wait(lock, [&] {
          return stopping_ || error_ || next_to_build_ >= end_step_ ||
                 next_to_build_ < next_to_deliver_ + prefetch_;
        });
        if (stopping_ || error_ || next_to_build_ >= end_step_) return;
        step = next_to_build_++;
      }
      try {
        Item item = build_(step);
        std::lock_guard<std::mutex> lock(mutex_);
        ready_.emplace(step, std::move(item));
      } catch (...) {
        std::lock_guard<std::mutex> lock(mutex_);
        if (!error_) error_ = std::current_exception();
      }
      changed_.notify_all();
    }
  }

  const std::function<Item(int64_t)> build_;
  const int64_t end_step_;
  const int prefetch_;

  std::mutex mutex_;
  std::condition_variable changed_;
  int64_t next_to_build_;    // the next step a worker takes
  int64_t next_to_deliver_;  // the next step next() returns
  std::map<int64_t, Item> ready_;
  std::exception_ptr error_;
  bool stopping_ = false;
  std::vector<std::thread> workers_;  // last: started once everything above exists
};

}  // namespace au::data
