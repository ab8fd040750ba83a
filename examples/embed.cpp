// Embeds the bookstore in a program's own actor system: creates books, fills
// two carts and checks them out, without any HTTP.
//
//   embed [database-file]   (default: a throwaway :memory:)
//
// Links bookstore::core only (see CMakeLists.txt). Exits 0 if the outcome
// is the expected one.

#include <iostream>
#include <string>

#include "caf/all.hpp"

#include "actors/core.hpp"
#include "ask.hpp"
#include "model/money.hpp"

using namespace bookstore;
using examples::ask;

namespace {

model::book add_book(caf::scoped_actor& self, const core& shop,
                     std::string title, model::cents price,
                     std::int64_t stock) {
  model::book draft;
  draft.title = std::move(title);
  draft.author = "Frank Herbert";
  draft.price = price;
  auto created =
      ask<model::book>(self, shop.registry, create_atom::value, draft);
  auto book =
      ask<book_actor>(self, shop.registry, book_atom::value, created.id);
  return ask<model::book>(self, book, stock_atom::value, stock);
}

cart_actor new_customer(caf::scoped_actor& self, const core& shop,
                        const std::string& email) {
  auto user = ask<storage::user_record>(
      self, shop.store, create_atom::value,
      user_registration{email, "not-a-real-hash", "user"});
  return ask<cart_actor>(self, shop.registry, cart_atom::value, user.id);
}

void report(const std::string& who, const checkout_outcome& outcome) {
  if (outcome.ok()) {
    std::cout << who << ": order " << outcome.order.id << " confirmed, "
              << outcome.order.lines.size() << " lines, total "
              << model::format_money(outcome.order.total()) << "\n";
    return;
  }
  std::cout << who << ": " << model::code_name(outcome.error);
  for (auto& s : outcome.shortages)
    std::cout << " (" << s.title << ": requested " << s.requested
              << ", available " << s.available << ")";
  std::cout << "\n";
}

} // namespace

int main(int argc, char** argv) {
  caf::actor_system_config cfg;
  caf::actor_system sys{cfg};
  core_config config;
  config.database_path = argc > 1 ? argv[1] : ":memory:";
  config.payment_failure_rate = 0.0; // approve every charge
  auto shop = start(sys, config);
  caf::scoped_actor self{sys};
  try {
    auto dune = add_book(self, shop, "Dune", 1499, 1);
    auto messiah = add_book(self, shop, "Dune Messiah", 999, 5);

    auto alice = new_customer(self, shop, "alice@example.com");
    auto bob = new_customer(self, shop, "bob@example.com");
    for (auto& cart : {alice, bob}) {
      ask<storage::cart_view_line>(self, cart, add_atom::value, dune.id,
                                   std::int64_t{1});
      ask<storage::cart_view_line>(self, cart, add_atom::value, messiah.id,
                                   std::int64_t{2});
    }
    // Alice buys the last copy of Dune; Bob's checkout is refused whole.
    auto first = ask<checkout_outcome>(self, alice, checkout_atom::value,
                                       checkout_request{});
    auto second = ask<checkout_outcome>(self, bob, checkout_atom::value,
                                        checkout_request{});
    report("alice", first);
    report("bob", second);
    auto left = ask<model::book>(
        self,
        ask<book_actor>(self, shop.registry, book_atom::value, messiah.id),
        get_atom::value);
    std::cout << "Dune Messiah copies left: " << left.stock_quantity << "\n";
    stop(shop);
    return first.ok()
                   && second.error
                          == model::error_code::order_insufficient_stock
                   && left.stock_quantity == 3
               ? 0
               : 1;
  } catch (const std::exception& e) {
    std::cerr << "rejected: " << e.what() << "\n";
    stop(shop);
    return 1;
  }
}
