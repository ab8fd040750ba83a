#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "model/book.hpp"
#include "model/cart.hpp"
#include "model/money.hpp"

namespace bookstore::model {

using order_id = std::int64_t;

/// The book as an order or cart line shows it.
struct book_summary {
  book_id id = 0;
  std::string title;
  std::string author;
  std::optional<std::string> cover_image_url;
  cents price = 0;
};

/// A sold line: `unit_price` is the price when the checkout reserved it.
struct order_line {
  std::int64_t id = 0;
  book_id book = 0;
  std::int64_t quantity = 0;
  cents unit_price = 0;
  book_summary summary;
};

struct order {
  order_id id = 0;
  user_id owner = 0;
  std::string status = "confirmed";
  std::string created_at; // ISO 8601 UTC
  std::vector<order_line> lines;

  /// Sum of unit_price * quantity.
  cents total() const;
};

/// A cart line that cannot be sold: what was asked and what is left.
struct shortage {
  book_id book = 0;
  std::string title;
  std::int64_t requested = 0;
  std::int64_t available = 0;
};

/// Sum of unit_price * quantity over `lines`.
cents order_total(const std::vector<order_line>& lines);

} // namespace bookstore::model
