// Decoder of the wishlist and pre-booking bodies.

#include <limits>

#include "gateway/json/fields.hpp"
#include "gateway/json/lists.hpp"

namespace bookstore::json {

decoded<std::int64_t> decode_book_ref(std::string_view body) {
  decoded<std::int64_t> out;
  const auto object = detail::parse_object(body, out.errors);
  if (!object)
    return out;
  const auto book = detail::required(
      *object, "book_id", out.errors,
      [&](const nlohmann::json& value, const detail::location& at) {
        return detail::read_integer(value, at,
                                    std::numeric_limits<std::int64_t>::min(),
                                    detail::int64_max, out.errors);
      });
  if (book && out.errors.empty())
    out.value = book;
  return out;
}

} // namespace bookstore::json
