#include "model/book.hpp"

#include <utility>

#include "model/isbn.hpp"
#include "model/text.hpp"
#include "model/time.hpp"

namespace bookstore::model {

namespace {

constexpr std::size_t max_title = 500;
constexpr std::size_t max_author = 255;
constexpr std::size_t max_description = 5000;
constexpr std::size_t max_cover_url = 2048;

failure invalid(std::string field, std::string detail) {
  return failure{error_code::validation_error, std::move(detail),
                 std::move(field)};
}

bool ok(const failure& f) {
  return f.code == error_code::none;
}

// Length limits count code points (API.md "Fine print"); text that is not
// UTF-8 at all gets its own message so the client knows which rule it broke.
failure check_text(const std::string& field, const std::string& text,
                   std::size_t min, std::size_t max) {
  const auto count = code_points(text);
  if (!count) {
    return invalid(field, field + " must be valid UTF-8");
  }
  if (*count < min || *count > max) {
    return invalid(field, field + " must have " + std::to_string(min) + ".."
                              + std::to_string(max) + " characters");
  }
  return {};
}

failure check_optional_text(const std::string& field,
                            const std::optional<std::string>& text,
                            std::size_t max) {
  return text ? check_text(field, *text, 0, max) : failure{};
}

failure check_price(cents price) {
  if (price < 1 || price > max_price) {
    return invalid("price",
                   "price must be between 0.01 and " + format_money(max_price));
  }
  return {};
}

// Replaces the ISBN by its normalized spelling, so that two spellings of one
// ISBN collide on the store's unique index.
failure normalize_isbn_field(std::optional<std::string>& isbn) {
  if (!isbn) {
    return {};
  }
  auto normalized = normalize_isbn(*isbn);
  if (!normalized) {
    return invalid("isbn", "isbn must be a valid ISBN-10 or ISBN-13");
  }
  isbn = std::move(*normalized);
  return {};
}

failure check_publish_date(const std::optional<std::string>& date) {
  if (date && !is_valid_date(*date)) {
    return invalid("publish_date", "publish_date must be a date YYYY-MM-DD");
  }
  return {};
}

failure check_stock(std::int64_t quantity) {
  if (!valid_stock(quantity)) {
    return invalid("stock_quantity", "stock_quantity must be between 0 and "
                                         + std::to_string(max_stock));
  }
  return {};
}

failure check_genre(const std::optional<genre_id>& genre) {
  if (genre && *genre <= 0) {
    return invalid("genre_id", "genre_id must be a positive integer");
  }
  return {};
}

// Assigns a patch field when it was sent; an absent field keeps the value.
template <typename T>
void patch_field(T& target, const std::optional<T>& value) {
  if (value) {
    target = *value;
  }
}

} // namespace

bool valid_stock(std::int64_t quantity) {
  return quantity >= 0 && quantity <= max_stock;
}

failure validate_new_book(book& draft) {
  // Checked in the field order of API.md's Book so the violation reported
  // is predictable. All checks run (the list is evaluated left to right);
  // a valid ISBN is normalized even when another field fails.
  const failure checks[] = {
      check_text("title", draft.title, 1, max_title),
      check_text("author", draft.author, 1, max_author),
      check_price(draft.price),
      normalize_isbn_field(draft.isbn),
      check_genre(draft.genre),
      check_optional_text("description", draft.description, max_description),
      check_optional_text("cover_image_url", draft.cover_image_url,
                          max_cover_url),
      check_publish_date(draft.publish_date),
      check_stock(draft.stock_quantity),
  };
  for (const auto& check : checks) {
    if (!ok(check)) {
      return check;
    }
  }
  return {};
}

failure apply_patch(book& target, const book_patch& patch) {
  // Work on a copy so that a rejected patch leaves the target untouched.
  book next = target;
  patch_field(next.title, patch.title);
  patch_field(next.author, patch.author);
  patch_field(next.price, patch.price);
  patch_field(next.isbn, patch.isbn);
  patch_field(next.genre, patch.genre);
  patch_field(next.description, patch.description);
  patch_field(next.cover_image_url, patch.cover_image_url);
  patch_field(next.publish_date, patch.publish_date);
  auto result = validate_new_book(next);
  if (ok(result)) {
    target = std::move(next);
  }
  return result;
}

} // namespace bookstore::model
