// Decoders of the cart and checkout bodies.

#include "gateway/json/decode.hpp"
#include "gateway/json/fields.hpp"
#include "model/cart.hpp"

namespace bookstore::json {

namespace {

using detail::location;
using nlohmann::json;

auto quantity_reader(field_errors& errors) {
  return [&errors](const json& value, const location& at) {
    return detail::read_integer(value, at, 1, model::max_line_quantity, errors);
  };
}

} // namespace

decoded<cart_add> decode_cart_add(std::string_view body) {
  decoded<cart_add> out;
  auto& errors = out.errors;
  const auto object = detail::parse_object(body, errors);
  if (!object) {
    return out;
  }
  const auto book = detail::required(
      *object, "book_id", errors, [&](const json& value, const location& at) {
        return detail::read_integer(value, at, 1, detail::int64_max, errors);
      });
  // Absent means 1; null is a type error, as in the original's CartItemAdd.
  const auto quantity =
      detail::optional_member(*object, "quantity", quantity_reader(errors));
  if (book && errors.empty()) {
    out.value = cart_add{*book, quantity.value_or(1)};
  }
  return out;
}

decoded<std::int64_t> decode_cart_quantity(std::string_view body) {
  decoded<std::int64_t> out;
  const auto object = detail::parse_object(body, out.errors);
  if (!object) {
    return out;
  }
  const auto quantity = detail::required(*object, "quantity", out.errors,
                                         quantity_reader(out.errors));
  if (quantity && out.errors.empty()) {
    out.value = quantity;
  }
  return out;
}

decoded<checkout_options> decode_checkout(std::string_view body) {
  decoded<checkout_options> out;
  const auto object = detail::parse_object(body, out.errors, true);
  if (!object) {
    return out;
  }
  const auto force =
      detail::optional_member(*object, "force_payment_failure",
                              [&](const json& value, const location& at) {
                                return detail::read_bool(value, at, out.errors);
                              });
  if (out.errors.empty()) {
    out.value = checkout_options{force.value_or(false)};
  }
  return out;
}

} // namespace bookstore::json
