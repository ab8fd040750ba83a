// Checkouts across the nodes of a cluster, replayed step by step on CAF's
// test coordinator: two nodes in one actor system (their registries linked
// as the middleman links them), each with its own file. Node 0 holds the
// carts and coordinates; node 1 owns the books. A crash is simulated by
// killing a node's actors between two messages (nothing queued runs, the
// store commits nothing more), and a restart by starting it again on its
// file. The protocol and its states: actors/checkout_actor.hpp.

#include <algorithm>
#include <array>
#include <functional>
#include <optional>

#include <catch2/catch.hpp>

#include "tests/actors/shop_fixtures.hpp"
#include "tests/support/sqlite_probe.hpp"

using namespace bookstore;
using namespace bookstore::testing;
using model::error_code;
using namespace std::chrono_literals;

namespace {

/// One node: its own actor system on its own test coordinator, so that a
/// crash can stop it between any two messages.
struct node_runtime {
  caf::actor_system_config cfg;
  caf::actor_system sys{coordinated_config(cfg)};
  caf::scheduler::test_coordinator& sched{
      dynamic_cast<caf::scheduler::test_coordinator&>(sys.scheduler())};
  core shop;

  ~node_runtime() { sched.run(); }
};

class two_nodes {
public:
  explicit two_nodes(std::chrono::milliseconds payment_latency = 0ms)
      : latency_(payment_latency) {
    start(0);
    start(1);
  }
  ~two_nodes() {
    // Every node, the crashed ones too, stops and runs until its actors
    // have ended: an actor system waits for its actors when it goes.
    for (auto& n : nodes_)
      if (n)
        stop(n->shop);
    for (auto& n : crashed_)
      stop(n->shop);
    rehome_jobs(true);
    for (auto& n : nodes_)
      n.reset();
    crashed_.clear();
  }

  core& node(std::size_t i) { return nodes_.at(i)->shop; }

  /// Starts node i on its file and links it with the other one, as the
  /// middleman's links do (peer_atom).
  void start(std::size_t i) {
    core_config config;
    config.database_path = files_[i].path();
    config.detached_store = false;
    config.payment_failure_rate = 0.0;
    config.payment_latency = latency_;
    config.id_space_count = 2;
    config.id_space_index = static_cast<std::int64_t>(i);
    // Recovery asks about every part at once, in rounds the test's clock
    // paces (the real one would wait two seconds of wall time).
    config.recovery.min_age = 0s;
    auto runtime = std::make_unique<node_runtime>();
    runtime->shop = bookstore::start(runtime->sys, config);
    nodes_[i] = std::move(runtime);
    run();
    link();
  }

  /// Node i stops between two messages, for good: none of its actors runs
  /// again, nothing it queued reaches its file, and the other node hears
  /// nothing more from it (its questions go unanswered, as to a node that
  /// is down). A restart is a new node on the same file.
  void crash(std::size_t i) {
    crashed_.push_back(std::move(nodes_.at(i)));
    auto other = 1 - i;
    if (nodes_[other])
      caf::anon_send(node(other).registry, peer_atom::value,
                     static_cast<std::uint32_t>(i), caf::actor{});
    run();
  }

  const std::string& file(std::size_t i) const { return files_[i].path(); }

  /// Runs every running node until nothing is left to do, one message at
  /// a time (each job goes to its node's scheduler first: rehome_jobs).
  void run() {
    for (bool progress = true; progress;) {
      progress = false;
      for (auto& n : nodes_) {
        rehome_jobs();
        if (n && n->sched.try_run_once())
          progress = true;
      }
    }
  }

  /// Runs one message at a time, the nodes in turn, until `done` holds;
  /// false if everything ran first.
  bool step_until(const std::function<bool()>& done) {
    while (!done()) {
      bool ran = false;
      for (auto& n : nodes_) {
        rehome_jobs();
        if (n && !done() && n->sched.try_run_once())
          ran = true;
      }
      if (!ran)
        return false;
    }
    return true;
  }

  /// Runs node i one message at a time until `done` holds, never actor
  /// `held` (a store slow to write, say): false if nothing else was left
  /// to run first.
  bool step_holding(std::size_t i, const caf::actor_addr& held,
                    const std::function<bool()>& done) {
    auto& jobs = nodes_.at(i)->sched.jobs;
    while (!done()) {
      rehome_jobs();
      auto next = std::find_if(jobs.begin(), jobs.end(), [&](auto* job) {
        auto* actor = dynamic_cast<caf::scheduled_actor*>(job);
        return !actor || actor->address() != held;
      });
      if (next == jobs.end())
        return false;
      std::rotate(jobs.begin(), next, std::next(next));
      nodes_.at(i)->sched.try_run_once();
    }
    return true;
  }

  /// Moves node i's clock without running anything: what falls due waits
  /// in the mailboxes.
  void advance_clock(std::size_t i, caf::timespan by) {
    nodes_.at(i)->sched.advance_time(by);
  }

  /// Moves the clocks (recovery rounds, deadlines) and runs what is due.
  void advance(caf::timespan by) {
    for (auto& n : nodes_)
      if (n)
        n->sched.advance_time(by);
    run();
  }

  /// Sends a request from a fresh client on node i's system; the answer
  /// fills in later.
  template <class T, class Handle, class... Ts>
  std::shared_ptr<answer<T>> send(std::size_t i, const Handle& dest, Ts... xs) {
    auto out = std::make_shared<answer<T>>();
    nodes_.at(i)->sys.spawn([=](caf::event_based_actor* client) {
      client->request(dest, caf::infinite, xs...)
          .then([=](T& value) { out->value = std::move(value); },
                [=](caf::error& err) { out->error = std::move(err); });
    });
    return out;
  }

  template <class T, class Handle, class... Ts>
  T ask(std::size_t i, const Handle& dest, Ts... xs) {
    auto out = send<T>(i, dest, xs...);
    run();
    if (!out->value)
      throw std::runtime_error("no answer");
    return *out->value;
  }

  template <class F> caf::actor spawn(std::size_t i, F fun) {
    return nodes_.at(i)->sys.spawn(fun);
  }

  /// A book of node `owner` with `stock` copies.
  model::book book_on(std::size_t owner, std::int64_t stock) {
    auto created = ask<model::book>(owner, node(owner).registry,
                                    create_atom::value, draft_book("Book"));
    return ask<model::book>(owner, book_actor_of(owner, created.id),
                            stock_atom::value, stock);
  }

  book_actor book_actor_of(std::size_t owner, model::book_id id) {
    return ask<book_actor>(owner, node(owner).registry, book_atom::value, id);
  }

  /// A user of node 0 whose cart holds `lines` of (book, quantity).
  cart_actor
  cart_with(const std::vector<std::pair<model::book_id, std::int64_t>>& lines) {
    auto user = ask<storage::user_record>(
                    0, node(0).store, create_atom::value,
                    user_registration{"buyer" + std::to_string(++users_)
                                          + "@example.com",
                                      "hash", "user"})
                    .id;
    auto cart = ask<cart_actor>(0, node(0).registry, cart_atom::value, user);
    for (auto& [book, quantity] : lines)
      ask<storage::cart_view_line>(0, cart, add_atom::value, book, quantity);
    return cart;
  }

  /// The cart's lines.
  std::size_t cart_lines(const cart_actor& cart) {
    return ask<std::vector<model::cart_line>>(0, cart, get_atom::value).size();
  }

private:
  /// CAF schedules an actor that a message wakes on the sender's
  /// scheduler. So a live node's actor woken by a message a crashed node
  /// sent just before its crash would wait on the dead scheduler forever,
  /// and a dead node's actor woken by a live node's message would run on
  /// the live one: each job goes to the scheduler of its actor's node, dead
  /// or alive. With `all` (at the end), every node then runs until nothing
  /// is left, so that every actor can end.
  void rehome_jobs(bool all = false) {
    std::vector<node_runtime*> runtimes;
    for (auto& n : nodes_)
      if (n)
        runtimes.push_back(n.get());
    for (auto& n : crashed_)
      runtimes.push_back(n.get());
    auto move_home = [&] {
      bool moved = false;
      for (auto* n : runtimes)
        for (auto i = n->sched.jobs.begin(); i != n->sched.jobs.end();) {
          auto* actor = dynamic_cast<caf::scheduled_actor*>(*i);
          auto home = std::find_if(
              runtimes.begin(), runtimes.end(), [&](node_runtime* r) {
                return actor && &actor->home_system() == &r->sys;
              });
          if (home == runtimes.end() || *home == n) {
            ++i;
            continue;
          }
          (*home)->sched.jobs.push_back(*i);
          i = n->sched.jobs.erase(i);
          moved = true;
        }
      return moved;
    };
    move_home();
    for (bool progress = all; progress;) {
      progress = false;
      for (auto* n : runtimes)
        if (n->sched.run() > 0)
          progress = true;
      progress = move_home() || progress;
    }
  }

  void link() {
    for (std::size_t a = 0; a < 2; ++a)
      for (std::size_t b = 0; b < 2; ++b)
        if (a != b && nodes_[a] && nodes_[b])
          caf::anon_send(node(a).registry, peer_atom::value,
                         static_cast<std::uint32_t>(b),
                         caf::actor_cast<caf::actor>(node(b).registry));
    run();
  }

  std::chrono::milliseconds latency_;
  std::array<temp_db, 2> files_;
  int users_ = 0;
  // Declared after the files: destroyed first.
  std::vector<std::unique_ptr<node_runtime>> crashed_;
  std::array<std::unique_ptr<node_runtime>, 2> nodes_;
};

/// What each node's file holds now.
std::int64_t prepared_parts(two_nodes& t) {
  return sqlite_probe{t.file(1)}.scalar(
      "SELECT COUNT(*) FROM prepared_transfers");
}
std::int64_t decisions(two_nodes& t) {
  return sqlite_probe{t.file(0)}.scalar(
      "SELECT COUNT(*) FROM transfer_decisions");
}
std::int64_t stock(two_nodes& t, std::size_t node, model::book_id book) {
  return sqlite_probe{t.file(node)}.stock(book);
}
std::int64_t orders(two_nodes& t) {
  return sqlite_probe{t.file(0)}.orders();
}
std::int64_t sold(two_nodes& t, model::book_id book) {
  return sqlite_probe{t.file(0)}.units_sold(book);
}

/// Lets recovery run a few rounds (one a second).
void recover(two_nodes& t) {
  for (int i = 0; i < 3; ++i)
    t.advance(1s);
}

/// The stock node 1's book actor holds in memory.
std::int64_t live_stock(two_nodes& t, model::book_id book) {
  return t.ask<model::book>(1, t.book_actor_of(1, book), get_atom::value)
      .stock_quantity;
}

/// Holds `quantity` copies of node 1's book for `holder`: the answer.
reservation_status hold(two_nodes& t, const book_actor& book, ticket holder,
                        std::int64_t quantity) {
  return t
      .ask<reservation_reply>(1, book, reserve_atom::value, holder, quantity)
      .status;
}

/// Nothing of a failed checkout is left: both books' copies back (file
/// and memory), no order, no part, the cart as it was, the charge voided.
void check_nothing_applied(two_nodes& t, const model::book& remote,
                           const model::book& local, const cart_actor& cart) {
  CHECK(stock(t, 1, remote.id) == remote.stock_quantity);
  CHECK(live_stock(t, remote.id) == remote.stock_quantity);
  CHECK(stock(t, 0, local.id) == local.stock_quantity);
  CHECK(orders(t) == 0);
  CHECK(prepared_parts(t) == 0);
  CHECK(t.cart_lines(cart) == 2);
  auto& m = *t.node(0).metrics;
  CHECK(m.payment_charges.load() - m.payment_refunds.load() == 0);
}

} // namespace

TEST_CASE("a checkout across two nodes commits on both, each book once",
          "[actor][transfer]") {
  two_nodes t;
  auto remote = t.book_on(1, 5);
  auto local = t.book_on(0, 4);
  REQUIRE(remote.id % 2 == 0); // node 1's ids: 2, 4, ...
  REQUIRE(local.id % 2 == 1);
  auto cart = t.cart_with({{remote.id, 2}, {local.id, 1}});
  auto outcome = t.ask<checkout_outcome>(0, cart, checkout_atom::value,
                                         checkout_request{});
  REQUIRE(outcome.ok());
  CHECK(outcome.order.lines.size() == 2);
  CHECK(stock(t, 1, remote.id) == 3);
  CHECK(stock(t, 0, local.id) == 3);
  CHECK(sold(t, remote.id) == 2);
  CHECK(prepared_parts(t) == 0); // committed: the part is gone
  CHECK(decisions(t) == 1);
  CHECK(live_stock(t, remote.id) == 3);
  CHECK(t.cart_lines(cart) == 0);
}

TEST_CASE("a book owner that cannot write aborts the whole checkout",
          "[actor][transfer]") {
  two_nodes t;
  auto remote = t.book_on(1, 5);
  auto local = t.book_on(0, 4);
  auto cart = t.cart_with({{remote.id, 2}, {local.id, 1}});
  // Node 1's file turns read-only: its prepare fails.
  t.ask<bool>(1, t.node(1).store, fault_atom::value, true);
  auto outcome = t.ask<checkout_outcome>(0, cart, checkout_atom::value,
                                         checkout_request{});
  CHECK(outcome.error == error_code::node_unavailable);
  t.ask<bool>(1, t.node(1).store, fault_atom::value, false);
  check_nothing_applied(t, remote, local, cart);
}

TEST_CASE("the coordinator dies after a part is prepared, before its "
          "decision: the part is aborted once it is back",
          "[actor][transfer]") {
  two_nodes t;
  auto remote = t.book_on(1, 5);
  auto cart = t.cart_with({{remote.id, 2}});
  auto out = t.send<checkout_outcome>(0, cart, checkout_atom::value,
                                      checkout_request{});
  REQUIRE(t.step_until([&] { return prepared_parts(t) == 1; }));
  CHECK(decisions(t) == 0);
  t.crash(0);
  CHECK(stock(t, 1, remote.id) == 3); // taken off, held by the part
  // While the coordinator is down the part waits: nobody can say.
  recover(t);
  CHECK(prepared_parts(t) == 1);
  t.start(0);
  recover(t);
  CHECK(prepared_parts(t) == 0);
  CHECK(stock(t, 1, remote.id) == 5);
  CHECK(live_stock(t, remote.id) == 5);
  CHECK(orders(t) == 0);
  CHECK_FALSE(out->done()); // the client never heard
}

TEST_CASE("the coordinator dies right after its decision: the part is "
          "committed once it is back",
          "[actor][transfer]") {
  two_nodes t;
  auto remote = t.book_on(1, 5);
  auto cart = t.cart_with({{remote.id, 2}});
  auto out = t.send<checkout_outcome>(0, cart, checkout_atom::value,
                                      checkout_request{});
  REQUIRE(t.step_until([&] { return decisions(t) == 1; }));
  t.crash(0);
  CHECK(prepared_parts(t) == 1);
  t.start(0);
  recover(t);
  CHECK(prepared_parts(t) == 0);
  CHECK(stock(t, 1, remote.id) == 3); // sold, once
  CHECK(live_stock(t, remote.id) == 3);
  CHECK(orders(t) == 1);
  CHECK(sold(t, remote.id) == 2);
  CHECK_FALSE(out->done());
}

TEST_CASE("the book owner dies after preparing, before the coordinator "
          "hears: the checkout fails and the part is aborted once it is back",
          "[actor][transfer]") {
  two_nodes t;
  auto remote = t.book_on(1, 5);
  auto local = t.book_on(0, 4);
  auto cart = t.cart_with({{remote.id, 2}, {local.id, 1}});
  auto out = t.send<checkout_outcome>(0, cart, checkout_atom::value,
                                      checkout_request{});
  REQUIRE(t.step_until([&] { return prepared_parts(t) == 1; }));
  t.crash(1);
  // Its answer never comes: the checkout gives up at its deadline. (Two
  // actor systems of one process share a node id, so here the prepare has
  // no remote_answer_timeout; over the middleman a dead node's book actor
  // goes down at once, or the prepare times out in 1.5 s, which the
  // cluster tests show.)
  t.advance(10s);
  REQUIRE(out->value);
  CHECK(out->value->error == error_code::checkout_timeout);
  CHECK(prepared_parts(t) == 1); // durable on node 1's file
  t.start(1);
  recover(t);
  check_nothing_applied(t, remote, local, cart);
}

TEST_CASE("the book owner dies after the decision: its part is committed "
          "when it is back",
          "[actor][transfer]") {
  two_nodes t;
  auto remote = t.book_on(1, 5);
  auto cart = t.cart_with({{remote.id, 2}});
  auto out = t.send<checkout_outcome>(0, cart, checkout_atom::value,
                                      checkout_request{});
  REQUIRE(t.step_until([&] { return decisions(t) == 1; }));
  t.crash(1);
  REQUIRE(out->value); // the order stands: 201
  CHECK(out->value->ok());
  CHECK(prepared_parts(t) == 1);
  t.start(1);
  recover(t);
  CHECK(prepared_parts(t) == 0);
  CHECK(stock(t, 1, remote.id) == 3);
  CHECK(live_stock(t, remote.id) == 3);
  CHECK(sold(t, remote.id) == 2);
}

TEST_CASE("the coordinator answers pending while a checkout runs, then "
          "its decision; an unknown or dead one was aborted",
          "[actor][transfer]") {
  two_nodes t;
  // Asked as a book owner's recovery asks: of its own registry, which
  // passes the question on to the coordinator's.
  auto status = [&](std::int64_t transfer) {
    return t.ask<transfer_status>(1, t.node(1).registry, transfer_atom::value,
                                  transfer, std::uint32_t{0});
  };
  CHECK(status(424242) == transfer_status::aborted);

  // A saga that has started a transfer and lives on.
  auto registry = t.node(0).registry;
  auto saga = t.spawn(0, [=](caf::event_based_actor* self) -> caf::behavior {
    self->send(registry, transfer_atom::value, start_atom::value,
               std::int64_t{555});
    return {[=](finished_atom) {
      self->send(registry, transfer_atom::value, finished_atom::value,
                 std::int64_t{555});
    }};
  });
  t.run();
  CHECK(status(555) == transfer_status::pending);
  caf::anon_send(saga, finished_atom::value);
  t.run();
  CHECK(status(555) == transfer_status::aborted);

  // A saga that dies without ending its transfer decides nothing more.
  t.spawn(0, [=](caf::event_based_actor* self) {
    self->send(registry, transfer_atom::value, start_atom::value,
               std::int64_t{556});
  });
  t.run();
  CHECK(status(556) == transfer_status::aborted);

  // A real one, once decided.
  auto remote = t.book_on(1, 5);
  auto cart = t.cart_with({{remote.id, 1}});
  auto out = t.ask<checkout_outcome>(0, cart, checkout_atom::value,
                                     checkout_request{});
  REQUIRE(out.ok());
  auto transfer = sqlite_probe{t.file(0)}.scalar(
      "SELECT transfer_id FROM transfer_decisions");
  CHECK(status(transfer) == transfer_status::committed);
}

TEST_CASE("a part prepared after its checkout gave up is aborted by "
          "recovery, once; a repeated prepare changes nothing",
          "[actor][transfer]") {
  two_nodes t;
  auto remote = t.book_on(1, 5);
  // The part of a transfer node 0 never decided, as a prepare that arrives
  // after its checkout ended leaves it.
  auto actor = t.book_actor_of(1, remote.id);
  REQUIRE(hold(t, actor, 77, 2) == reservation_status::reserved);
  for (int i = 0; i < 2; ++i)
    REQUIRE(t.ask<bool>(1, actor, prepare_atom::value, ticket{77},
                        std::int64_t{77}, std::int64_t{2}, std::int64_t{0}));
  CHECK(stock(t, 1, remote.id) == 3);
  CHECK(live_stock(t, remote.id) == 3);
  recover(t);
  CHECK(prepared_parts(t) == 0);
  CHECK(stock(t, 1, remote.id) == 5);
  CHECK(live_stock(t, remote.id) == 5);
  // A late commit of the ended part changes nothing either.
  REQUIRE(t.ask<bool>(1, actor, finish_atom::value, std::int64_t{77}, true));
  CHECK(stock(t, 1, remote.id) == 5);
}

TEST_CASE("a book sells on while a part of it is written, the part's hold "
          "kept until the store has answered",
          "[actor][transfer]") {
  two_nodes t;
  auto remote = t.book_on(1, 5);
  auto actor = t.book_actor_of(1, remote.id);
  REQUIRE(hold(t, actor, 77, 2) == reservation_status::reserved);
  // The part, then two buyers of this node, queued behind it.
  auto part = t.send<bool>(1, actor, prepare_atom::value, ticket{77},
                           std::int64_t{77}, std::int64_t{2}, std::int64_t{0});
  auto rest = t.send<reservation_reply>(1, actor, reserve_atom::value,
                                        ticket{78}, std::int64_t{3});
  auto one_more = t.send<reservation_reply>(1, actor, reserve_atom::value,
                                            ticket{79}, std::int64_t{1});
  // The store does not get to write yet: the buyers are answered all the
  // same (the book does not wait for the part)...
  REQUIRE(t.step_holding(1, caf::actor_cast<caf::actor_addr>(t.node(1).store),
                         [&] { return rest->done() && one_more->done(); }));
  CHECK(prepared_parts(t) == 0);
  CHECK_FALSE(part->done());
  // ...and the part's copies were not on offer meanwhile.
  REQUIRE(rest->value);
  CHECK(rest->value->status == reservation_status::reserved);
  REQUIRE(one_more->value);
  CHECK(one_more->value->status == reservation_status::short_stock);
  // Nor do its saga giving up (a release) and every deadline passing
  // offer them: the store's answer decides the hold. Ticket 78's expires.
  t.spawn(1, [=](caf::event_based_actor* saga) {
    saga->send(actor, release_atom::value, ticket{77});
  });
  t.advance_clock(1, 24h);
  auto after_deadlines = t.send<reservation_reply>(
      1, actor, reserve_atom::value, ticket{80}, std::int64_t{4});
  REQUIRE(t.step_holding(1, caf::actor_cast<caf::actor_addr>(t.node(1).store),
                         [&] { return after_deadlines->done(); }));
  REQUIRE(after_deadlines->value);
  CHECK(after_deadlines->value->status == reservation_status::short_stock);
  CHECK(after_deadlines->value->available == 3);
  CHECK_FALSE(part->done());
  t.run();
  REQUIRE(part->value);
  CHECK(prepared_parts(t) == 1);
  CHECK(stock(t, 1, remote.id) == 3);
  CHECK(live_stock(t, remote.id) == 3);

  // The part's end and an admin's stock change, queued together: file and
  // memory agree after both, whichever the store wrote first.
  auto end =
      t.send<bool>(1, actor, finish_atom::value, std::int64_t{77}, false);
  auto set = t.send<model::book>(1, actor, stock_atom::value, std::int64_t{10});
  t.run();
  REQUIRE(end->value);
  REQUIRE(set->value);
  CHECK(prepared_parts(t) == 0);
  CHECK(stock(t, 1, remote.id) == live_stock(t, remote.id));
  CHECK(stock(t, 1, remote.id) == 12); // the stock set, then 2 returned
}
