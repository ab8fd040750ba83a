// Decoders of the catalog bodies: new book, book patch, stock and genre.

#include <limits>
#include <utility>

#include "gateway/json/decode.hpp"
#include "gateway/json/fields.hpp"
#include "model/isbn.hpp"
#include "model/time.hpp"

namespace bookstore::json {

namespace {

using detail::location;
using nlohmann::json;

// The limits of model/book.cpp (API.md: title 1..500, author 1..255), so a
// body breaking one gets pydantic's message here; validate_new_book and
// apply_patch check them again.
constexpr std::size_t max_title = 500;
constexpr std::size_t max_author = 255;
constexpr std::size_t max_description = 5000;
constexpr std::size_t max_cover_url = 2048;
constexpr std::size_t max_genre_name = 100;
constexpr model::cents min_price = 1;
constexpr std::size_t any_length = std::numeric_limits<std::size_t>::max();

// The value of a nullable member: empty when absent or wrong (the error is
// recorded), engaged-empty for JSON null.
template <class T> using nullable = std::optional<std::optional<T>>;

template <class T> nullable<T> null_value() {
  return std::optional<T>{};
}

template <class T> nullable<T> engaged(std::optional<T> value) {
  if (!value) {
    return std::nullopt;
  }
  return value;
}

bool is_blank(const std::string& text) {
  return text.find_first_not_of(" \t\n\r\f\v") == std::string::npos;
}

// Reads a non-null string member of `min`..`max` characters.
auto text_reader(field_errors& errors, std::size_t min, std::size_t max) {
  return [&errors, min, max](const json& value, const location& at) {
    return detail::read_string(value, at, min, max, errors);
  };
}

auto price_reader(field_errors& errors) {
  return [&errors](const json& value, const location& at) {
    return detail::read_money(value, at, min_price, model::max_price, errors);
  };
}

auto nullable_text_reader(field_errors& errors, std::size_t max) {
  return [&errors, max](const json& value,
                        const location& at) -> nullable<std::string> {
    if (value.is_null()) {
      return null_value<std::string>();
    }
    return engaged(detail::read_string(value, at, 0, max, errors));
  };
}

// Like the original: a blank ISBN is no ISBN; any other is normalized
// (hyphens and spaces dropped) and must pass its checksum.
auto isbn_reader(field_errors& errors) {
  return [&errors](const json& value,
                   const location& at) -> nullable<std::string> {
    if (value.is_null()) {
      return null_value<std::string>();
    }
    const auto text = detail::read_string(value, at, 0, any_length, errors);
    if (!text) {
      return std::nullopt;
    }
    if (is_blank(*text)) {
      return null_value<std::string>();
    }
    auto normalized = model::normalize_isbn(*text);
    if (!normalized) {
      detail::add_error(errors, at, "value_error",
                        "isbn must be a valid ISBN-10 or ISBN-13");
      return std::nullopt;
    }
    return engaged(std::move(normalized));
  };
}

auto genre_reader(field_errors& errors) {
  return [&errors](const json& value,
                   const location& at) -> nullable<model::genre_id> {
    if (value.is_null()) {
      return null_value<model::genre_id>();
    }
    return engaged(
        detail::read_integer(value, at, 1, detail::int64_max, errors));
  };
}

auto date_reader(field_errors& errors) {
  return [&errors](const json& value,
                   const location& at) -> nullable<std::string> {
    if (value.is_null()) {
      return null_value<std::string>();
    }
    if (!value.is_string()) {
      detail::add_error(errors, at, "date_type",
                        "Input should be a valid date");
      return std::nullopt;
    }
    const auto& text = value.get_ref<const std::string&>();
    if (!model::is_valid_date(text)) {
      detail::add_error(errors, at, "date_parsing",
                        "Input should be a valid date in the format "
                        "YYYY-MM-DD");
      return std::nullopt;
    }
    return engaged(std::optional<std::string>(text));
  };
}

template <class T> std::optional<T> flatten(nullable<T> value) {
  return value ? std::move(*value) : std::nullopt;
}

} // namespace

decoded<model::book> decode_new_book(std::string_view body) {
  decoded<model::book> out;
  auto& errors = out.errors;
  const auto object = detail::parse_object(body, errors);
  if (!object) {
    return out;
  }
  const auto& o = *object;
  auto title =
      detail::required(o, "title", errors, text_reader(errors, 1, max_title));
  auto author =
      detail::required(o, "author", errors, text_reader(errors, 1, max_author));
  auto price = detail::required(o, "price", errors, price_reader(errors));
  auto isbn = detail::optional_member(o, "isbn", isbn_reader(errors));
  auto genre = detail::optional_member(o, "genre_id", genre_reader(errors));
  auto description = detail::optional_member(
      o, "description", nullable_text_reader(errors, max_description));
  auto cover = detail::optional_member(
      o, "cover_image_url", nullable_text_reader(errors, max_cover_url));
  auto date = detail::optional_member(o, "publish_date", date_reader(errors));
  if (!errors.empty() || !title || !author || !price) {
    return out;
  }
  model::book draft;
  draft.title = std::move(*title);
  draft.author = std::move(*author);
  draft.price = *price;
  draft.isbn = flatten(std::move(isbn));
  draft.genre = flatten(std::move(genre));
  draft.description = flatten(std::move(description));
  draft.cover_image_url = flatten(std::move(cover));
  draft.publish_date = flatten(std::move(date));
  draft.stock_quantity = 0;
  const auto failure = model::validate_new_book(draft);
  if (failure.code != model::error_code::none) {
    errors.push_back(to_field_error(failure));
    return out;
  }
  out.value = std::move(draft);
  return out;
}

decoded<model::book_patch> decode_book_patch(std::string_view body) {
  decoded<model::book_patch> out;
  auto& errors = out.errors;
  const auto object = detail::parse_object(body, errors);
  if (!object) {
    return out;
  }
  const auto& o = *object;
  model::book_patch patch;
  // title, author and price are never null: null is a type error there.
  patch.title =
      detail::optional_member(o, "title", text_reader(errors, 1, max_title));
  patch.author =
      detail::optional_member(o, "author", text_reader(errors, 1, max_author));
  patch.price = detail::optional_member(o, "price", price_reader(errors));
  patch.isbn = detail::optional_member(o, "isbn", isbn_reader(errors));
  patch.genre = detail::optional_member(o, "genre_id", genre_reader(errors));
  patch.description = detail::optional_member(
      o, "description", nullable_text_reader(errors, max_description));
  patch.cover_image_url = detail::optional_member(
      o, "cover_image_url", nullable_text_reader(errors, max_cover_url));
  patch.publish_date =
      detail::optional_member(o, "publish_date", date_reader(errors));
  if (errors.empty()) {
    out.value = std::move(patch);
  }
  return out;
}

decoded<std::int64_t> decode_stock(std::string_view body) {
  decoded<std::int64_t> out;
  const auto object = detail::parse_object(body, out.errors);
  if (!object) {
    return out;
  }
  auto quantity = detail::required(
      *object, "quantity", out.errors,
      [&](const json& value, const location& at) {
        return detail::read_integer(value, at, 0, model::max_stock, out.errors);
      });
  if (quantity && out.errors.empty()) {
    out.value = quantity;
  }
  return out;
}

decoded<std::string> decode_genre(std::string_view body) {
  decoded<std::string> out;
  const auto object = detail::parse_object(body, out.errors);
  if (!object) {
    return out;
  }
  // Not trimmed: the original's GenreCreate keeps the name as sent.
  auto name = detail::required(*object, "name", out.errors,
                               text_reader(out.errors, 1, max_genre_name));
  if (name && out.errors.empty()) {
    out.value = std::move(name);
  }
  return out;
}

} // namespace bookstore::json
