// The readers: reads on read-only connections beside the store's writes.
// A writer of our own holds SQLite's write lock with an open transaction,
// which is what a large batch being committed looks like to everybody else;
// the store's next commit then waits behind it.

#include <catch2/catch.hpp>

#include <sqlite3.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <limits>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>

#include "tests/actors/shop_fixtures.hpp"
#include "tests/support/timeouts.hpp"

using namespace bookstore;
using namespace bookstore::testing;
using model::error_code;

namespace {

/// A second writer on the file: BEGIN IMMEDIATE on construction, so it
/// holds the write lock until commit() or its destructor (a rollback).
class held_write {
public:
  explicit held_write(const std::string& path) {
    if (sqlite3_open_v2(path.c_str(), &db_, SQLITE_OPEN_READWRITE, nullptr)
        != SQLITE_OK)
      throw std::runtime_error("cannot open " + path);
    exec("BEGIN IMMEDIATE");
  }
  ~held_write() {
    if (open_)
      sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
    sqlite3_close(db_);
  }
  held_write(const held_write&) = delete;
  held_write& operator=(const held_write&) = delete;

  void exec(const std::string& sql) {
    if (sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, nullptr) != SQLITE_OK)
      throw std::runtime_error(sqlite3_errmsg(db_));
  }
  void commit() {
    exec("COMMIT");
    open_ = false;
  }
  void rollback() {
    exec("ROLLBACK");
    open_ = false;
  }

private:
  sqlite3* db_ = nullptr;
  bool open_ = true;
};

bool has_genre(const std::vector<model::genre>& genres,
               const std::string& name) {
  return std::any_of(genres.begin(), genres.end(),
                     [&](const model::genre& g) { return g.name == name; });
}

std::vector<model::genre> genres_now(threaded_shop& t) {
  return t.ask<std::vector<model::genre>>(t.shop.readers->next(),
                                          list_atom::value, genre_atom::value);
}

std::vector<model::order> all_orders(threaded_shop& t) {
  return t.ask<std::vector<model::order>>(
      t.shop.readers->next(), list_atom::value,
      order_page_request{0, std::numeric_limits<model::order_id>::max(), 100});
}

/// How many threads of this process run at nice value `nice` (Linux keeps
/// one per thread, field 19 of /proc/self/task/TID/stat).
int threads_at_nice(int nice) {
  int count = 0;
  for (const auto& task :
       std::filesystem::directory_iterator("/proc/self/task")) {
    std::string stat;
    try {
      std::ifstream in(task.path() / "stat");
      stat.assign(std::istreambuf_iterator<char>(in), {});
    } catch (const std::exception&) {
      continue; // the thread ended while we read (ESRCH): not counted
    }
    // The thread's name, field 2, is in parentheses and may hold spaces.
    const auto close = stat.rfind(')');
    if (close == std::string::npos)
      continue;
    std::istringstream fields(stat.substr(close + 1));
    std::string field;
    for (int i = 3; i <= 19 && fields >> field; ++i) {
    }
    if (fields && field == std::to_string(nice))
      ++count;
  }
  return count;
}

} // namespace

TEST_CASE("a file store gets its own read-only readers; an in-memory one "
          "answers the reads itself",
          "[actor][readers]") {
  temp_db db;
  {
    auto config = test_config(db.path());
    config.readers = 2;
    threaded_shop t{db.path(), config};
    auto& members = t.shop.readers->members();
    REQUIRE(members.size() == 2);
    for (auto& r : members)
      CHECK(caf::actor_cast<caf::actor_addr>(r)
            != caf::actor_cast<caf::actor_addr>(t.shop.store));
  }
  threaded_shop memory{":memory:"};
  REQUIRE(memory.shop.readers->members().size() == 1);
  CHECK(caf::actor_cast<caf::actor_addr>(memory.shop.readers->next())
        == caf::actor_cast<caf::actor_addr>(memory.shop.store));
  memory.ask<model::genre>(memory.shop.store, create_atom::value,
                           genre_atom::value, std::string{"Poetry"});
  CHECK(has_genre(genres_now(memory), "Poetry"));
}

TEST_CASE("each reader's thread, and only it, runs at the readers' nice value",
          "[actor][readers]") {
  temp_db db;
  auto config = test_config(db.path());
  config.readers = 2;
  config.reader_nice = 7; // a value nothing else in this process has
  REQUIRE(threads_at_nice(7) == 0);
  threaded_shop t{db.path(), config};
  // A read from each: both have made their behavior on their own thread.
  genres_now(t);
  genres_now(t);
  CHECK(threads_at_nice(7) == 2);
  // They are the readers' own threads, not scheduler workers that happened
  // to run them: ending the readers alone (stopped, and their last handles,
  // the pool's, dropped) ends those threads, while the workers and the
  // store keep running.
  for (const auto& r : t.shop.readers->members())
    caf::anon_send_exit(r, caf::exit_reason::user_shutdown);
  t.shop.readers = std::make_shared<const reader_pool>(
      std::vector<reader_actor>{t.shop.store});
  const auto deadline = std::chrono::steady_clock::now()
                        + test_support::scaled(std::chrono::seconds{5});
  while (threads_at_nice(7) > 0 && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds{10});
  CHECK(threads_at_nice(7) == 0);
}

TEST_CASE("a read issued while a large batch is being committed answers "
          "without waiting for it, and sees none of it",
          "[actor][readers]") {
  temp_db db;
  threaded_shop t{db.path()};
  t.create_book("Before the batch", 3);
  held_write batch{db.path()};
  for (int i = 0; i < 5000; ++i)
    batch.exec("INSERT INTO genres(name) VALUES ('batch " + std::to_string(i)
               + "')");
  // The store's own write now waits for the write lock (up to its busy
  // timeout of 5 s, after which it would answer STORE_UNAVAILABLE).
  auto pending = t.self->request(t.shop.store, caf::infinite,
                                 create_atom::value, genre_atom::value,
                                 std::string{"Queued behind the batch"});
  // Every read answers while both writes are open. Were reads on the store's
  // thread, they would wait behind its blocked commit and this test would
  // release the lock only after the store gave up.
  for (int i = 0; i < 8; ++i) {
    auto genres = genres_now(t);
    CHECK_FALSE(has_genre(genres, "batch 0"));
    CHECK_FALSE(has_genre(genres, "Queued behind the batch"));
    storage::book_query query;
    query.q = "batch";
    auto page = t.ask<storage::book_page>(
        t.shop.readers->next(), list_atom::value, book_atom::value, query);
    CHECK(page.total == 1);
  }
  batch.commit();
  bool written = false;
  pending.receive([&](model::genre& g) { written = g.id > 0; },
                  [&](caf::error& err) {
                    FAIL("the store's write failed: " << to_string(err));
                  });
  CHECK(written);
  auto genres = genres_now(t);
  CHECK(has_genre(genres, "batch 4999"));
  CHECK(has_genre(genres, "Queued behind the batch"));
}

TEST_CASE("a reader never sees an order before its commit, and sees every "
          "order its buyer has heard of",
          "[actor][readers]") {
  temp_db db;
  threaded_shop t{db.path()};
  auto book = t.create_book("Committed only", 10, 900);
  auto user = t.create_user("reader-order@example.com");
  auto cart = t.cart_of(user);
  t.ask<storage::cart_view_line>(cart, add_atom::value, book.id,
                                 std::int64_t{1});
  {
    // An order written but not committed by another writer.
    held_write other{db.path()};
    other.exec("INSERT INTO orders(id, user_id, total_cents, created_at)"
               " VALUES (999, "
               + std::to_string(user) + ", 1, '2026-01-01T00:00:00Z')");
    auto checkout = t.self->request(cart, caf::infinite, checkout_atom::value,
                                    checkout_request{});
    CHECK(all_orders(t).empty());
    CHECK_FALSE(t.try_ask<model::order>(t.shop.readers->next(), get_atom::value,
                                        order_atom::value,
                                        model::order_id{999}));
    other.rollback(); // gone: nobody ever sees order 999
    model::order_id sold = 0;
    checkout.receive([&](checkout_outcome& o) { sold = o.order.id; },
                     [&](caf::error& err) { FAIL(to_string(err)); });
    REQUIRE(sold > 0);
    // Answered after its commit: every reader has it from then on.
    for (std::size_t i = 0; i < t.shop.readers->members().size(); ++i)
      CHECK(t.ask<model::order>(t.shop.readers->next(), get_atom::value,
                                order_atom::value, sold)
                .id
            == sold);
    auto orders = all_orders(t);
    REQUIRE(orders.size() == 1);
    CHECK(orders.front().id == sold);
  }
}

TEST_CASE("after concurrent checkouts, the stock a book actor holds and the "
          "stock a reader's listing shows agree",
          "[actor][readers]") {
  temp_db db;
  threaded_shop t{db.path()};
  std::vector<model::book_id> books;
  for (int b = 0; b < 4; ++b)
    books.push_back(t.create_book("Agreed " + std::to_string(b), 30).id);
  std::vector<cart_actor> carts;
  for (int u = 0; u < 24; ++u) {
    auto cart =
        t.cart_of(t.create_user("agree" + std::to_string(u) + "@example.com"));
    t.ask<storage::cart_view_line>(cart, add_atom::value, books[u % 4],
                                   std::int64_t{1 + u % 3});
    carts.push_back(cart);
  }
  auto outcomes = t.ask_all<checkout_outcome>(carts, checkout_atom::value,
                                              checkout_request{});
  for (auto& o : outcomes)
    REQUIRE(o);
  storage::book_query query;
  query.q = "agreed";
  auto page = t.ask<storage::book_page>(
      t.shop.readers->next(), list_atom::value, book_atom::value, query);
  REQUIRE(page.total == 4);
  for (auto& listed : page.items) {
    auto held = t.ask<model::book>(t.book_of(listed.id), get_atom::value);
    CHECK(held.stock_quantity == listed.stock_quantity);
    CHECK(held.stock_quantity < 30); // some were sold
  }
}

TEST_CASE("readers keep answering through a store I/O fault and a read past "
          "its budget",
          "[actor][readers]") {
  temp_db db;
  auto config = test_config(db.path());
  config.readers = 1; // every read below goes to the same connection
  threaded_shop t{db.path(), config};
  for (int i = 0; i < 300; ++i)
    t.create_book("Fault " + std::to_string(i), 1);
  auto reader = t.shop.readers->next();
  CHECK(t.ask<bool>(t.shop.store, fault_atom::value, true));
  auto refused = t.try_ask<model::genre>(t.shop.store, create_atom::value,
                                         genre_atom::value,
                                         std::string{"During the fault"});
  REQUIRE_FALSE(refused);
  CHECK(domain_code(refused.error()) == error_code::store_unavailable);
  storage::book_query query;
  query.q = "fault";
  CHECK(t.ask<storage::book_page>(reader, list_atom::value, book_atom::value,
                                  query)
            .total
        == 300);
  CHECK_FALSE(t.ask<bool>(t.shop.store, fault_atom::value, false));
  t.ask<model::genre>(t.shop.store, create_atom::value, genre_atom::value,
                      std::string{"After the fault"});
  CHECK(has_genre(genres_now(t), "After the fault"));

  // The same reader stops a search past its budget and answers the next.
  temp_db db2;
  auto tight = test_config(db2.path());
  tight.readers = 1;
  tight.read_budget = std::chrono::microseconds{1};
  threaded_shop s{db2.path(), tight};
  for (int i = 0; i < 200; ++i)
    s.create_book("Budget " + std::to_string(i), 1);
  storage::book_query costly;
  costly.q = "b"; // a prefix of all 200 titles
  auto slow = s.try_ask<storage::book_page>(
      s.shop.readers->next(), list_atom::value, book_atom::value, costly);
  REQUIRE_FALSE(slow);
  CHECK(domain_code(slow.error()) == error_code::query_too_expensive);
  CHECK(genres_now(s).empty()); // a read without a budget still answers
}

TEST_CASE("a reader answers a repeated search from its cache until the next "
          "commit, the store's or another process's",
          "[actor][readers]") {
  temp_db db;
  auto config = test_config(db.path());
  config.readers = 1; // every search below goes to the same cache
  threaded_shop t{db.path(), config};
  auto book = t.create_book("Cached dune", 10, 900);
  auto reader = t.shop.readers->next();
  storage::book_query query;
  query.q = "cached";
  auto search = [&] {
    return t.ask<storage::book_page>(reader, list_atom::value, book_atom::value,
                                     query);
  };
  REQUIRE(search().items.at(0).stock_quantity == 10);
  REQUIRE(search().items.at(0).stock_quantity == 10); // now from the cache

  // A sale the store commits.
  auto cart = t.cart_of(t.create_user("cached@example.com"));
  t.ask<storage::cart_view_line>(cart, add_atom::value, book.id,
                                 std::int64_t{3});
  REQUIRE(
      t.ask<checkout_outcome>(cart, checkout_atom::value, checkout_request{})
          .ok());
  CHECK(search().items.at(0).stock_quantity == 7);

  // A book the store creates: the total moves too.
  t.create_book("Cached emma", 1);
  CHECK(search().total == 2);

  // A commit by another connection to the file.
  held_write other{db.path()};
  other.exec("UPDATE books SET title = 'Cached dune revised' WHERE id = "
             + std::to_string(book.id));
  other.commit();
  auto page = search();
  REQUIRE(page.total == 2);
  CHECK(std::any_of(
      page.items.begin(), page.items.end(),
      [](const model::book& b) { return b.title == "Cached dune revised"; }));
}
