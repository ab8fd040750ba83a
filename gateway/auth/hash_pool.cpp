#include "gateway/auth/hash_pool.hpp"

#include <algorithm>

namespace bookstore::auth {

hash_pool::hash_pool(std::size_t threads, std::size_t capacity)
    : capacity_(capacity) {
  threads = std::max<std::size_t>(threads, 1);
  workers_.reserve(threads);
  for (std::size_t i = 0; i < threads; ++i)
    workers_.emplace_back([this] { run(); });
}

hash_pool::~hash_pool() {
  stop();
}

bool hash_pool::try_post(std::function<void()> job) {
  {
    std::lock_guard<std::mutex> lock(mtx_);
    if (stopping_ || jobs_.size() >= capacity_)
      return false;
    jobs_.push_back(std::move(job));
  }
  wake_.notify_one();
  return true;
}

void hash_pool::stop() {
  {
    std::lock_guard<std::mutex> lock(mtx_);
    if (stopping_ && workers_.empty())
      return;
    stopping_ = true;
  }
  wake_.notify_all();
  for (auto& worker : workers_)
    if (worker.joinable())
      worker.join();
  workers_.clear();
}

std::size_t hash_pool::queued() const {
  std::lock_guard<std::mutex> lock(mtx_);
  return jobs_.size();
}

void hash_pool::run() {
  for (;;) {
    std::function<void()> job;
    {
      std::unique_lock<std::mutex> lock(mtx_);
      wake_.wait(lock, [this] { return stopping_ || !jobs_.empty(); });
      if (jobs_.empty())
        return; // stopping, and nothing left to run
      job = std::move(jobs_.front());
      jobs_.pop_front();
    }
    // A job must not take its worker down: the pool would shrink for good.
    try {
      job();
    } catch (...) {
    }
  }
}

} // namespace bookstore::auth
