// Decoders of review bodies and queries, with the original's pydantic
// messages.

#include "gateway/json/decode_reviews.hpp"

#include <limits>

#include "gateway/json/fields.hpp"
#include "gateway/json/query_fields.hpp"
#include "model/rating.hpp"

namespace bookstore::json {

namespace {

using detail::find_param;
using detail::location;
using detail::query_params;
using detail::read_pattern;
using detail::read_query_integer;
using nlohmann::json;

using detail::max_page;
using detail::max_page_size;

auto rating_reader(field_errors& errors) {
  return [&errors](const json& value, const location& at) {
    return detail::read_integer(value, at, 1, 5, errors);
  };
}

/// Text or null: an engaged optional holding the text or nothing; nothing
/// at all after an error.
std::optional<std::optional<std::string>>
read_text_or_null(const json& value, const location& at, field_errors& errors) {
  if (value.is_null())
    return std::optional<std::string>{};
  if (auto text =
          detail::read_string(value, at, 0, model::max_review_text, errors))
    return std::optional<std::string>{std::move(*text)};
  return std::nullopt;
}

} // namespace

decoded<review_input> decode_review_create(std::string_view body) {
  decoded<review_input> out;
  auto& errors = out.errors;
  const auto object = detail::parse_object(body, errors);
  if (!object)
    return out;
  const auto rating =
      detail::required(*object, "rating", errors, rating_reader(errors));
  const auto text = detail::optional_member(
      *object, "text", [&](const json& value, const location& at) {
        return read_text_or_null(value, at, errors);
      });
  if (rating && errors.empty())
    out.value = review_input{*rating, text ? *text : std::nullopt};
  return out;
}

decoded<model::review_patch> decode_review_patch(std::string_view body) {
  decoded<model::review_patch> out;
  auto& errors = out.errors;
  const auto object = detail::parse_object(body, errors);
  if (!object)
    return out;
  model::review_patch patch;
  if (const auto* value = detail::member(*object, "rating");
      value != nullptr && !value->is_null())
    patch.rating =
        detail::read_integer(*value, detail::body_at("rating"), 1, 5, errors);
  if (const auto* value = detail::member(*object, "text"))
    patch.text = read_text_or_null(*value, detail::body_at("text"), errors);
  if (errors.empty())
    out.value = std::move(patch);
  return out;
}

decoded<page_query> decode_review_page(std::string_view query) {
  decoded<page_query> out;
  const auto params = detail::parse_query(query);
  page_query result;
  read_query_integer(params, "page", 1, max_page, result.page, out.errors);
  read_query_integer(params, "size", 1, max_page_size, result.size, out.errors);
  if (out.errors.empty())
    out.value = result;
  return out;
}

decoded<storage::review_filter> decode_review_filter(std::string_view query) {
  decoded<storage::review_filter> out;
  auto& errors = out.errors;
  const auto params = detail::parse_query(query);
  storage::review_filter result;
  read_query_integer(params, "page", 1, max_page, result.page, errors);
  read_query_integer(params, "per_page", 1, max_page_size, result.per_page,
                     errors);
  auto optional_integer = [&](std::string_view name, std::int64_t min,
                              std::int64_t max,
                              std::optional<std::int64_t>& target) {
    if (find_param(params, name) == nullptr)
      return;
    std::int64_t value = 0;
    const auto before = errors.size();
    read_query_integer(params, name, min, max, value, errors);
    if (errors.size() == before)
      target = value;
  };
  constexpr auto int64_min = std::numeric_limits<std::int64_t>::min();
  optional_integer("book_id", int64_min, detail::int64_max, result.book);
  optional_integer("user_id", int64_min, detail::int64_max, result.user);
  optional_integer("rating_min", 1, 5, result.rating_min);
  optional_integer("rating_max", 1, 5, result.rating_max);
  if (auto sort_by =
          read_pattern(params, "sort_by", {"date", "rating"}, errors))
    result.by_rating = *sort_by == "rating";
  if (auto dir = read_pattern(params, "sort_dir", {"asc", "desc"}, errors))
    result.descending = *dir == "desc";
  if (errors.empty())
    out.value = result;
  return out;
}

decoded<std::vector<std::int64_t>> decode_review_bulk(std::string_view body) {
  decoded<std::vector<std::int64_t>> out;
  auto& errors = out.errors;
  const auto object = detail::parse_object(body, errors);
  if (!object)
    return out;
  const auto ids = detail::required(
      *object, "review_ids", errors,
      [&](const json& value,
          const location& at) -> std::optional<std::vector<std::int64_t>> {
        if (!value.is_array()) {
          detail::add_error(errors, at, "list_type",
                            "Input should be a valid list");
          return std::nullopt;
        }
        const auto n = std::to_string(value.size());
        if (value.empty()) {
          detail::add_error(
              errors, at, "too_short",
              "List should have at least 1 item after validation, not 0");
          return std::nullopt;
        }
        if (value.size() > 50) {
          detail::add_error(
              errors, at, "too_long",
              "List should have at most 50 items after validation, not " + n);
          return std::nullopt;
        }
        std::vector<std::int64_t> result;
        for (std::size_t i = 0; i < value.size(); ++i) {
          auto item_at = at;
          item_at.push_back(i);
          if (auto id = detail::read_integer(
                  value[i], item_at, std::numeric_limits<std::int64_t>::min(),
                  detail::int64_max, errors))
            result.push_back(*id);
        }
        return result;
      });
  if (ids && errors.empty())
    out.value = *ids;
  return out;
}

} // namespace bookstore::json
