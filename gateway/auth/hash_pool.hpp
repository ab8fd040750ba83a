#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <optional>
#include <thread>
#include <utility>
#include <vector>

namespace bookstore::auth {

/// A few plain threads that run password hashing (Argon2id: 64 MiB and tens
/// of milliseconds of CPU per job) off CAF's scheduler, behind a bounded
/// queue. A flood of logins then waits here, or is turned away, instead of
/// occupying the scheduler threads every other request needs.
class hash_pool {
public:
  /// Starts `threads` workers (at least 1); at most `capacity` jobs wait.
  hash_pool(std::size_t threads, std::size_t capacity);
  /// stop().
  ~hash_pool();
  hash_pool(const hash_pool&) = delete;
  hash_pool& operator=(const hash_pool&) = delete;

  /// Queues `job`; false (and `job` is dropped unrun) when `capacity` jobs
  /// already wait or the pool is stopping. A job that throws is contained:
  /// the worker carries on with the next one.
  bool try_post(std::function<void()> job);

  /// Runs `work()` on a worker, then `done` there with its result, or with
  /// nullopt when `work` threw (std::bad_alloc when memory runs out, the
  /// std::runtime_error of hash_password). False, and neither runs, when
  /// the queue is full.
  template <class T, class Work, class Done>
  bool try_submit(Work work, Done done) {
    return try_post([work = std::move(work), done = std::move(done)]() mutable {
      std::optional<T> result;
      try {
        result.emplace(work());
      } catch (...) {
        result.reset();
      }
      done(std::move(result));
    });
  }

  /// Stops accepting, runs what is already queued, joins the workers.
  /// Idempotent.
  void stop();

  std::size_t capacity() const noexcept { return capacity_; }
  /// Jobs waiting (not counting those running).
  std::size_t queued() const;

private:
  void run();

  const std::size_t capacity_;
  mutable std::mutex mtx_;
  std::condition_variable wake_;
  std::deque<std::function<void()>> jobs_;
  bool stopping_ = false;
  std::vector<std::thread> workers_;
};

} // namespace bookstore::auth
