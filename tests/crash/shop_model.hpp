#pragma once

// What the crash and graceful-stop tests know about the shop: the books
// with their ledger (initial stock and restocks), the customers with their
// orders and carts, and what each customer did since the last check, as the
// client saw it. verify() compares that with what a (re)started server
// says, with Catch assertions, on the test's own thread.

#include <cstdint>
#include <map>
#include <random>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "helpers.hpp"

namespace crash {

using json = nlohmann::json;

/// Cart or order lines: book id -> quantity.
using lines = std::map<std::int64_t, long long>;

std::string to_string(const lines& l);
/// The lines of a list of cart or order items (duplicates add up, so a
/// book listed twice shows as one line with the sum, and is caught by the
/// comparison with a cart).
lines lines_of(const json& items);

struct book_entry {
  std::int64_t id = 0;
  long long initial = 0;
  long long restocks = 0; // units added by the test since the creation
};

struct customer {
  e2e::account account;
  std::set<std::int64_t> orders; // every order of theirs found so far
  lines cart;                    // their cart as last verified
};

/// A checkout answered 201: its body and the cart it checked out.
struct confirmed_order {
  json body;
  lines cart;
};

enum class pending_kind { none, checkout, add_item };

/// What one customer did since the last verification. Every request but
/// the last was answered; the last one may have no known outcome (the
/// server was killed or stopped before answering it): `pending`.
struct activity {
  lines cart; // the cart after the last answered request
  std::vector<confirmed_order> confirmed;
  pending_kind pending = pending_kind::none;
  std::int64_t pending_book = 0; // add_item
  long long pending_quantity = 0;
  std::string pending_key; // a checkout's Idempotency-Key, if it had one
  std::string history;     // one line per request, for failure messages
  std::string error;       // an answer that should not have happened
};

struct verify_stats {
  int confirmed = 0;             // 201s checked
  int pending_committed = 0;     // unanswered checkouts that did commit
  int pending_not_committed = 0; // unanswered checkouts that did not
  int pending_adds = 0;
  std::size_t orders_total = 0;
};

class shop {
public:
  std::vector<book_entry> books;
  std::vector<customer> customers;
  std::string admin_token;

  /// Creates `count` books with `stock` each (REQUIREs success).
  void add_books(e2e::http_client& c, int count, long long stock);
  /// Registers `count` customers in parallel (REQUIREs success).
  void add_customers(std::uint16_t port, int count);
  /// Logs the admin and every customer in again (fresh access tokens for
  /// long runs; REQUIREs success).
  void renew_tokens(e2e::http_client& c);
  /// Adds stock to every book below `below` (while nothing else runs, so
  /// the absolute PATCH is exact); returns the units added.
  long long restock(e2e::http_client& c, long long below, std::mt19937_64& rng);

  /// Checks, against the server on `c`:
  ///  - every 201 order exists (GET /orders/{id} as its owner) exactly as
  ///    answered, with the lines of the cart it checked out, and the cart
  ///    is empty;
  ///  - an unanswered checkout either committed (exactly one new order,
  ///    with the cart's lines, and the cart is empty) or did not (no new
  ///    order, the cart unchanged);
  ///  - no other order appeared and every other cart is unchanged;
  ///  - GET /admin/orders lists exactly the orders found, all confirmed;
  ///  - for every book, stock >= 0 and initial + restocks = stock + units
  ///    in confirmed orders.
  /// `acts[i]` is customer i's activity. Returns false if anything failed
  /// (each failure is also a Catch CHECK naming `when`); the model is then
  /// updated to what the server says.
  bool verify(e2e::http_client& c, const std::vector<activity>& acts,
              const std::string& when, verify_stats& stats);
};

} // namespace crash
