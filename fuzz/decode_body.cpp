// Fuzzes every request-body decoder of gateway/json/decode.hpp: credentials
// (register and login), refresh token, new book and book patch, stock, genre,
// cart add, cart quantity and checkout. The first byte picks the decoder (or
// the pair compared below), the rest is the body: running all ten on every
// input made each execution ten JSON parses, and the target too slow to
// reach ten million executions in reasonable time. Seeds carry the byte of
// the decoder they were written for (fuzz/corpus/decode_body/).
//
// Invariants:
// - no decoder throws;
// - each answers a value or field errors, never both nor neither;
// - a value keeps the documented ranges (lengths in code points of valid
//   UTF-8, prices, quantities, normalized ISBNs, valid emails);
// - whatever register accepts, login accepts with the same values;
// - whatever POST /books accepts, PUT /books/{id} accepts with the same
//   values;
// - every error location starts with "body", and the 422 body made of the
//   errors is valid JSON listing them all.

#include <cstddef>
#include <cstdint>
#include <iterator>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "fuzz/check.hpp"
#include "gateway/json/decode.hpp"
#include "gateway/json/errors.hpp"
#include "model/cart.hpp"
#include "model/isbn.hpp"
#include "model/text.hpp"
#include "model/time.hpp"

namespace {

namespace json = bookstore::json;
namespace model = bookstore::model;
using bookstore::fuzz::no_throw;

bool chars_within(const std::string& text, std::size_t min, std::size_t max) {
  return model::length_within(text, min, max);
}

bool normalized_isbn(const std::string& isbn) {
  return model::normalize_isbn(isbn) == isbn;
}

// A value or errors, and the errors make a valid 422 body.
template <class T> void check_shape(const json::decoded<T>& d) {
  FUZZ_CHECK(d.value.has_value() == d.errors.empty());
  FUZZ_CHECK(d.ok() == d.value.has_value());
  for (const auto& e : d.errors) {
    FUZZ_CHECK(!e.loc.empty() && e.loc.front() == "body");
    FUZZ_CHECK(!e.msg.empty() && !e.type.empty());
  }
  if (d.errors.empty())
    return;
  const auto body = no_throw("validation_body",
                             [&] { return json::validation_body(d.errors); });
  const auto parsed = nlohmann::json::parse(body, nullptr, false);
  FUZZ_CHECK(!parsed.is_discarded() && parsed.is_object());
  FUZZ_CHECK(parsed.value("code", "") == "VALIDATION_ERROR");
  FUZZ_CHECK(parsed.contains("detail"));
  const auto& detail = parsed["detail"];
  FUZZ_CHECK(detail.is_array() && detail.size() == d.errors.size());
}

void check_credentials(std::string_view body) {
  const auto reg = no_throw("decode_credentials(register)", [&] {
    return json::decode_credentials(body, true);
  });
  const auto login = no_throw("decode_credentials(login)", [&] {
    return json::decode_credentials(body, false);
  });
  check_shape(reg);
  check_shape(login);
  if (reg.value) {
    FUZZ_CHECK(model::is_valid_email(reg.value->email));
    FUZZ_CHECK(chars_within(reg.value->password, 8, 128));
    // Register is the stricter of the two.
    FUZZ_CHECK(login.value && login.value->email == reg.value->email
               && login.value->password == reg.value->password);
  }
  if (login.value) {
    FUZZ_CHECK(chars_within(login.value->email, 0, 254));
    FUZZ_CHECK(chars_within(login.value->password, 0, 1024));
  }
}

void check_book(std::string_view body) {
  const auto book =
      no_throw("decode_new_book", [&] { return json::decode_new_book(body); });
  const auto patch = no_throw("decode_book_patch",
                              [&] { return json::decode_book_patch(body); });
  check_shape(book);
  check_shape(patch);
  if (book.value) {
    const auto& b = *book.value;
    FUZZ_CHECK(chars_within(b.title, 1, 500));
    FUZZ_CHECK(chars_within(b.author, 1, 255));
    FUZZ_CHECK(b.price >= 1 && b.price <= model::max_price);
    FUZZ_CHECK(!b.isbn || normalized_isbn(*b.isbn));
    FUZZ_CHECK(!b.genre || *b.genre >= 1);
    FUZZ_CHECK(!b.description || chars_within(*b.description, 0, 5000));
    FUZZ_CHECK(!b.cover_image_url || chars_within(*b.cover_image_url, 0, 2048));
    FUZZ_CHECK(!b.publish_date || model::is_valid_date(*b.publish_date));
    FUZZ_CHECK(b.stock_quantity == 0);
    // A body good enough for a new book is a good patch, saying the same.
    FUZZ_CHECK(patch.value);
    const auto& p = *patch.value;
    FUZZ_CHECK(p.title == b.title && p.author == b.author
               && p.price == b.price);
    FUZZ_CHECK(!p.isbn || *p.isbn == b.isbn);
    FUZZ_CHECK(!p.genre || *p.genre == b.genre);
    FUZZ_CHECK(!p.description || *p.description == b.description);
    FUZZ_CHECK(!p.cover_image_url || *p.cover_image_url == b.cover_image_url);
    FUZZ_CHECK(!p.publish_date || *p.publish_date == b.publish_date);
  }
  if (patch.value) {
    const auto& p = *patch.value;
    FUZZ_CHECK(!p.title || chars_within(*p.title, 1, 500));
    FUZZ_CHECK(!p.author || chars_within(*p.author, 1, 255));
    FUZZ_CHECK(!p.price || (*p.price >= 1 && *p.price <= model::max_price));
    FUZZ_CHECK(!p.isbn || !*p.isbn || normalized_isbn(**p.isbn));
    FUZZ_CHECK(!p.genre || !*p.genre || **p.genre >= 1);
    FUZZ_CHECK(!p.publish_date || !*p.publish_date
               || model::is_valid_date(**p.publish_date));
  }
}

void check_refresh(std::string_view body) {
  const auto refresh = no_throw(
      "decode_refresh_token", [&] { return json::decode_refresh_token(body); });
  check_shape(refresh);
  FUZZ_CHECK(!refresh.value || chars_within(*refresh.value, 0, 512));
}

void check_stock(std::string_view body) {
  const auto stock =
      no_throw("decode_stock", [&] { return json::decode_stock(body); });
  check_shape(stock);
  FUZZ_CHECK(!stock.value
             || (*stock.value >= 0 && model::valid_stock(*stock.value)));
}

void check_genre(std::string_view body) {
  const auto genre =
      no_throw("decode_genre", [&] { return json::decode_genre(body); });
  check_shape(genre);
  FUZZ_CHECK(!genre.value || chars_within(*genre.value, 1, 100));
}

void check_cart_add(std::string_view body) {
  const auto add =
      no_throw("decode_cart_add", [&] { return json::decode_cart_add(body); });
  check_shape(add);
  if (add.value) {
    FUZZ_CHECK(add.value->book_id >= 1);
    FUZZ_CHECK(add.value->quantity >= 1
               && add.value->quantity <= model::max_line_quantity);
  }
}

void check_cart_quantity(std::string_view body) {
  const auto quantity = no_throw(
      "decode_cart_quantity", [&] { return json::decode_cart_quantity(body); });
  check_shape(quantity);
  FUZZ_CHECK(
      !quantity.value
      || (*quantity.value >= 1 && *quantity.value <= model::max_line_quantity));
}

void check_checkout(std::string_view body) {
  const auto checkout =
      no_throw("decode_checkout", [&] { return json::decode_checkout(body); });
  check_shape(checkout);
}

// Indexed by the input's first byte (modulo their number); the seeds' first
// bytes follow this order, so keep it.
void (*const checks[])(std::string_view) = {
    check_credentials, check_refresh,  check_book,          check_stock,
    check_genre,       check_cart_add, check_cart_quantity, check_checkout};

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* bytes,
                                      std::size_t size) {
  if (size == 0)
    return 0;
  const std::string_view body(reinterpret_cast<const char*>(bytes) + 1,
                              size - 1);
  checks[bytes[0] % std::size(checks)](body);
  return 0;
}
