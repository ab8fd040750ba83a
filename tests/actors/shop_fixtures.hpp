#pragma once

// Two ways to run the bookstore's actors in a test: on CAF's threaded
// scheduler (truly concurrent) or on its deterministic test coordinator.

#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "caf/all.hpp"
#include "caf/scheduler/test_coordinator.hpp"

#include "actors/core.hpp"
#include "tests/support/temp_db.hpp"

namespace bookstore::testing {

/// A test's default configuration: payments always approve, no latency.
inline core_config test_config(const std::string& path) {
  core_config config;
  config.database_path = path;
  config.payment_failure_rate = 0.0;
  return config;
}

inline model::book draft_book(std::string title, model::cents price = 1000) {
  model::book draft;
  draft.title = std::move(title);
  draft.author = "Test Author";
  draft.price = price;
  return draft;
}

/// Shortcuts over a fixture's `ask<T>(dest, xs...)`, the same whichever
/// scheduler runs the actors.
template <class Fixture> class shop_shortcuts {
public:
  book_actor book_of(model::book_id id) {
    return fixture().template ask<book_actor>(shop().registry, book_atom::value,
                                              id);
  }
  cart_actor cart_of(model::user_id user) {
    return fixture().template ask<cart_actor>(shop().registry, cart_atom::value,
                                              user);
  }
  model::book create_book(std::string title, std::int64_t stock,
                          model::cents price = 1000) {
    auto created = fixture().template ask<model::book>(
        shop().registry, create_atom::value,
        draft_book(std::move(title), price));
    return fixture().template ask<model::book>(book_of(created.id),
                                               stock_atom::value, stock);
  }
  model::user_id create_user(const std::string& email) {
    return fixture()
        .template ask<storage::user_record>(
            shop().store, create_atom::value,
            user_registration{email, "hash", "user"})
        .id;
  }

private:
  Fixture& fixture() { return static_cast<Fixture&>(*this); }
  core& shop() { return fixture().shop; }
};

/// The actors on the threaded scheduler, driven by a blocking scoped actor.
class threaded_shop : public shop_shortcuts<threaded_shop> {
public:
  explicit threaded_shop(const std::string& path,
                         std::optional<core_config> config = std::nullopt)
      : sys_(cfg_), self(sys_) {
    shop = start(sys_, config ? *config : test_config(path));
  }
  ~threaded_shop() { stop(shop); }

  /// Asks and waits; a rejection comes back as the error.
  template <class T, class Handle, class... Ts>
  caf::expected<T> try_ask(const Handle& dest, Ts&&... xs) {
    caf::expected<T> result{caf::error{}};
    self->request(dest, caf::infinite, std::forward<Ts>(xs)...)
        .receive([&](T& value) { result = std::move(value); },
                 [&](caf::error& err) { result = std::move(err); });
    return result;
  }

  /// Asks and waits; a rejection fails the test.
  template <class T, class Handle, class... Ts>
  T ask(const Handle& dest, Ts&&... xs) {
    auto result = try_ask<T>(dest, std::forward<Ts>(xs)...);
    if (!result)
      throw std::runtime_error(std::string{"rejected: "}
                               + model::code_name(domain_code(result.error())));
    return std::move(*result);
  }

  /// Fires one request per handle at once, then collects every answer.
  template <class T, class Handle, class... Ts>
  std::vector<caf::expected<T>> ask_all(const std::vector<Handle>& dests,
                                        const Ts&... xs) {
    using handle_t =
        decltype(self->request(dests.front(), caf::infinite, xs...));
    std::vector<handle_t> pending;
    pending.reserve(dests.size());
    for (auto& dest : dests)
      pending.push_back(self->request(dest, caf::infinite, xs...));
    std::vector<caf::expected<T>> results;
    for (auto& h : pending)
      h.receive([&](T& value) { results.emplace_back(std::move(value)); },
                [&](caf::error& err) { results.emplace_back(std::move(err)); });
    return results;
  }

private:
  caf::actor_system_config cfg_;
  caf::actor_system sys_;

public:
  core shop;
  caf::scoped_actor self;
};

/// An answer that arrives while the test coordinator runs.
template <class T> struct answer {
  std::optional<T> value;
  std::optional<caf::error> error;
  bool done() const { return value || error; }
};

inline caf::actor_system_config&
coordinated_config(caf::actor_system_config& cfg) {
  cfg.set("scheduler.policy", caf::atom("testing"));
  return cfg;
}

/// The actors on CAF's test coordinator: nothing runs until the test says
/// so, and time moves only when the test advances it.
class coordinated_shop : public shop_shortcuts<coordinated_shop> {
public:
  explicit coordinated_shop(const std::string& path,
                            core_config config = core_config{})
      : sys_(coordinated_config(cfg_)),
        sched(
            dynamic_cast<caf::scheduler::test_coordinator&>(sys_.scheduler())) {
    config.database_path = path;
    config.detached_store = false;
    shop = start(sys_, config);
  }
  ~coordinated_shop() {
    stop(shop);
    sched.run();
  }

  /// Sends a request from a fresh client actor; the answer fills in later.
  template <class T, class Handle, class... Ts>
  std::shared_ptr<answer<T>> send(const Handle& dest, Ts... xs) {
    auto out = std::make_shared<answer<T>>();
    sys_.spawn([=](caf::event_based_actor* client) {
      client->request(dest, caf::infinite, xs...)
          .then([=](T& value) { out->value = std::move(value); },
                [=](caf::error& err) { out->error = std::move(err); });
    });
    return out;
  }

  /// Sends, runs everything that is ready, and returns the answer.
  template <class T, class Handle, class... Ts>
  T ask(const Handle& dest, Ts... xs) {
    auto out = send<T>(dest, xs...);
    sched.run();
    if (!out->value)
      throw std::runtime_error("no answer");
    return *out->value;
  }

  /// A user whose cart holds `lines` of (book, quantity).
  cart_actor user_with_cart(
      const std::string& email,
      const std::vector<std::pair<model::book_id, std::int64_t>>& lines) {
    auto cart = cart_of(create_user(email));
    for (auto& [book, quantity] : lines)
      ask<storage::cart_view_line>(cart, add_atom::value, book, quantity);
    return cart;
  }

private:
  caf::actor_system_config cfg_;
  caf::actor_system sys_;

public:
  caf::scheduler::test_coordinator& sched;
  core shop;
};

} // namespace bookstore::testing
