// gateway/api/offload.hpp: an actor hands password hashing to the hashing pool
// and gets its answer back as a message; a full queue or a hash that throws
// (libsodium out of memory) is an AUTH_BUSY error, never a dead worker.

#include <catch2/catch.hpp>

#include <chrono>
#include <condition_variable>
#include <functional>
#include <future>
#include <memory>
#include <mutex>
#include <new>
#include <string>
#include <thread>
#include <vector>

#include "caf/all.hpp"

#include "actors/errors.hpp"
#include "gateway/api/offload.hpp"
#include "gateway/auth/hash_pool.hpp"

using namespace bookstore;

namespace {

using hash_fn = std::function<std::string(const std::string&)>;

/// A route worker in miniature: hashes each string it gets with `hash` on
/// `pool` and answers the hash, or the error.
caf::behavior hashing_worker(caf::event_based_actor* self,
                             std::shared_ptr<auth::hash_pool> pool,
                             hash_fn hash) {
  return {[=](std::string password) -> caf::result<std::string> {
    auto promise = self->make_response_promise<std::string>();
    gateway::offload<std::string>(
        self, pool, [=] { return hash(password); },
        [=](std::string hashed) mutable { promise.deliver(hashed); },
        [=](caf::error& err) mutable { promise.deliver(err); });
    return promise;
  }};
}

struct fixture {
  caf::actor_system_config cfg;
  caf::actor_system sys{cfg};
  caf::scoped_actor self{sys};
  std::vector<caf::actor> workers;

  // Also when a REQUIRE failed: the system waits for every actor.
  ~fixture() {
    for (auto& w : workers)
      self->send_exit(w, caf::exit_reason::user_shutdown);
  }

  caf::actor worker(std::shared_ptr<auth::hash_pool> pool, hash_fn hash) {
    workers.push_back(sys.spawn(hashing_worker, std::move(pool), hash));
    return workers.back();
  }

  caf::expected<std::string> ask(const caf::actor& worker,
                                 const std::string& password) {
    caf::expected<std::string> result{caf::error{}};
    self->request(worker, std::chrono::seconds(10), password)
        .receive([&](std::string& h) { result = std::move(h); },
                 [&](caf::error& err) { result = std::move(err); });
    return result;
  }
};

} // namespace

TEST_CASE_METHOD(fixture, "a hash runs on the pool and comes back",
                 "[hash_offload]") {
  auto pool = std::make_shared<auth::hash_pool>(1, 4);
  auto w = worker(pool, [](const std::string& p) { return "hashed:" + p; });
  auto r = ask(w, "secret");
  REQUIRE(r);
  CHECK(*r == "hashed:secret");
}

TEST_CASE_METHOD(fixture,
                 "a hash that throws answers AUTH_BUSY and the worker lives on",
                 "[hash_offload]") {
  auto pool = std::make_shared<auth::hash_pool>(1, 4);
  auto w = worker(pool, [](const std::string& p) -> std::string {
    if (p == "oom")
      throw std::bad_alloc{};
    return "hashed:" + p;
  });
  auto failed = ask(w, "oom");
  REQUIRE_FALSE(failed);
  CHECK(domain_code(failed.error()) == model::error_code::auth_busy);
  // Neither the worker nor the pool went down with it.
  auto next = ask(w, "fine");
  REQUIRE(next);
  CHECK(*next == "hashed:fine");
}

TEST_CASE_METHOD(fixture, "a full hashing queue answers AUTH_BUSY at once",
                 "[hash_offload]") {
  auto pool = std::make_shared<auth::hash_pool>(1, 1);
  // Holds the pool's only thread; opened at the latest when the test ends,
  // so that a failed REQUIRE cannot leave the pool's stop waiting.
  struct held_thread {
    std::mutex mtx;
    std::condition_variable cv;
    bool open = false;
    void release() {
      {
        std::lock_guard<std::mutex> lock(mtx);
        open = true;
      }
      cv.notify_all();
    }
  };
  auto held = std::make_shared<held_thread>();
  struct release_on_exit {
    std::shared_ptr<held_thread> held;
    ~release_on_exit() { held->release(); }
  } guard{held};
  auto running = std::make_shared<std::promise<void>>();
  REQUIRE(pool->try_post([held, running] {
    running->set_value();
    std::unique_lock<std::mutex> lock(held->mtx);
    held->cv.wait(lock, [&] { return held->open; });
  }));
  running->get_future().wait();
  REQUIRE(pool->try_post([] {})); // the one waiting place
  auto w = worker(pool, [](const std::string& p) { return "hashed:" + p; });
  auto busy = ask(w, "secret");
  held->release();
  REQUIRE_FALSE(busy);
  CHECK(domain_code(busy.error()) == model::error_code::auth_busy);
  // Once the queue has drained (the held job ended, the waiting one was
  // taken), there is room again.
  for (int i = 0; i < 5000 && pool->queued() > 0; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  auto later = ask(w, "secret");
  REQUIRE(later);
  CHECK(*later == "hashed:secret");
}
