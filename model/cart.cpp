#include "model/cart.hpp"

#include <algorithm>

namespace bookstore::model {

namespace {

failure bad_quantity() {
  return failure{error_code::validation_error,
                 "quantity must be between 1 and "
                     + std::to_string(max_line_quantity),
                 "quantity"};
}

} // namespace

bool valid_line_quantity(std::int64_t quantity) {
  return quantity >= 1 && quantity <= max_line_quantity;
}

const cart_line* cart::find(cart_item_id item) const {
  const auto it =
      std::find_if(lines.begin(), lines.end(),
                   [&](const cart_line& l) { return l.id == item; });
  return it == lines.end() ? nullptr : &*it;
}

bool cart::contains_book(book_id id) const {
  return std::any_of(lines.begin(), lines.end(),
                     [&](const cart_line& l) { return l.book == id; });
}

failure cart::check_add(book_id id, std::int64_t quantity) const {
  if (!valid_line_quantity(quantity)) {
    return bad_quantity();
  }
  if (contains_book(id)) {
    return failure{error_code::cart_item_duplicate,
                   default_message(error_code::cart_item_duplicate), ""};
  }
  return {};
}

failure cart::check_change(cart_item_id item, std::int64_t quantity) const {
  if (!valid_line_quantity(quantity)) {
    return bad_quantity();
  }
  if (find(item) == nullptr) {
    return failure{error_code::cart_item_not_found,
                   default_message(error_code::cart_item_not_found), ""};
  }
  return {};
}

void cart::change(cart_item_id item, std::int64_t quantity) {
  for (auto& line : lines) {
    if (line.id == item) {
      line.quantity = quantity;
    }
  }
}

void cart::remove(cart_item_id item) {
  lines.erase(std::remove_if(lines.begin(), lines.end(),
                             [&](const cart_line& l) { return l.id == item; }),
              lines.end());
}

void cart::remove_sold(const std::vector<cart_line>& sold) {
  // Match by item id: a line added after the checkout read the cart has a
  // new id and must stay for the next checkout.
  const auto was_sold = [&](const cart_line& line) {
    return std::any_of(sold.begin(), sold.end(),
                       [&](const cart_line& s) { return s.id == line.id; });
  };
  lines.erase(std::remove_if(lines.begin(), lines.end(), was_sold),
              lines.end());
}

} // namespace bookstore::model
