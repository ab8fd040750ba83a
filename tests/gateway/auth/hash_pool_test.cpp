// The password hashing pool: a few threads behind a bounded queue.

#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <future>
#include <mutex>
#include <new>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>

#include "gateway/auth/hash_pool.hpp"

using bookstore::auth::hash_pool;

namespace {

/// Holds the pool's workers until opened.
class gate {
public:
  void wait() {
    std::unique_lock<std::mutex> lock(mtx_);
    cv_.wait(lock, [this] { return open_; });
  }
  void open() {
    {
      std::lock_guard<std::mutex> lock(mtx_);
      open_ = true;
    }
    cv_.notify_all();
  }

private:
  std::mutex mtx_;
  std::condition_variable cv_;
  bool open_ = false;
};

/// Waits until `pool` has taken every job off its queue (they run).
void wait_until_dequeued(const hash_pool& pool) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (pool.queued() > 0 && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  REQUIRE(pool.queued() == 0);
}

} // namespace

TEST_CASE("the pool runs jobs and hands back their results", "[hash_pool]") {
  hash_pool pool{2, 8};
  std::promise<std::optional<std::string>> a, b;
  REQUIRE(pool.try_submit<std::string>(
      [] { return std::string{"hash-a"}; },
      [&](std::optional<std::string> r) { a.set_value(std::move(r)); }));
  REQUIRE(pool.try_submit<std::string>(
      [] { return std::string{"hash-b"}; },
      [&](std::optional<std::string> r) { b.set_value(std::move(r)); }));
  CHECK(a.get_future().get() == std::optional<std::string>{"hash-a"});
  CHECK(b.get_future().get() == std::optional<std::string>{"hash-b"});
}

TEST_CASE("a full queue refuses jobs until it drains", "[hash_pool]") {
  hash_pool pool{1, 2};
  gate held;
  std::atomic<int> ran{0};
  std::promise<void> running;
  // The only worker is busy with this one...
  REQUIRE(pool.try_post([&] {
    running.set_value();
    held.wait();
    ++ran;
  }));
  running.get_future().wait();
  // ... so two wait, and a third is turned away at once.
  REQUIRE(pool.try_post([&] { ++ran; }));
  REQUIRE(pool.try_post([&] { ++ran; }));
  CHECK(pool.queued() == 2);
  CHECK_FALSE(pool.try_post([&] { ran += 100; }));
  CHECK_FALSE(pool.try_submit<int>([] { return 1; },
                                   [&](std::optional<int>) { ran += 100; }));
  held.open();
  wait_until_dequeued(pool);
  pool.stop();
  CHECK(ran == 3);
}

TEST_CASE("a job that throws answers nothing but an empty result and the "
          "worker carries on",
          "[hash_pool]") {
  hash_pool pool{1, 4};
  std::promise<std::optional<std::string>> failed, thrown_runtime, after;
  REQUIRE(pool.try_submit<std::string>(
      []() -> std::string { throw std::bad_alloc{}; },
      [&](std::optional<std::string> r) { failed.set_value(std::move(r)); }));
  REQUIRE(pool.try_submit<std::string>(
      []() -> std::string { throw std::runtime_error{"hashing failed"}; },
      [&](std::optional<std::string> r) {
        thrown_runtime.set_value(std::move(r));
      }));
  // A job that throws past try_submit's guard does not end its worker.
  REQUIRE(pool.try_post([] { throw std::bad_alloc{}; }));
  REQUIRE(pool.try_submit<std::string>(
      [] { return std::string{"still here"}; },
      [&](std::optional<std::string> r) { after.set_value(std::move(r)); }));
  CHECK(failed.get_future().get() == std::nullopt);
  CHECK(thrown_runtime.get_future().get() == std::nullopt);
  CHECK(after.get_future().get() == std::optional<std::string>{"still here"});
}

TEST_CASE("stop runs what is queued and then refuses", "[hash_pool]") {
  hash_pool pool{1, 8};
  std::atomic<int> ran{0};
  for (int i = 0; i < 5; ++i)
    REQUIRE(pool.try_post([&] { ++ran; }));
  pool.stop();
  CHECK(ran == 5);
  CHECK_FALSE(pool.try_post([&] { ++ran; }));
  pool.stop(); // twice is harmless
}
