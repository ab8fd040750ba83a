#include "model/order.hpp"

namespace bookstore::model {

cents order_total(const std::vector<order_line>& lines) {
  // Unit prices are at most 1,000,000.00 and quantities at most 10,000, so
  // each product stays below 10^12 cents; no realistic order overflows.
  cents total = 0;
  for (const auto& line : lines) {
    total += line.unit_price * line.quantity;
  }
  return total;
}

cents order::total() const {
  return order_total(lines);
}

} // namespace bookstore::model
