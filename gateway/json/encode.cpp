// Encoders of the catalog, cart, order and token responses.

#include "gateway/json/encode.hpp"

#include "gateway/json/errors.hpp"
#include "gateway/json/or_null.hpp"

namespace bookstore::json {

using detail::or_null;
using nlohmann::json;

json book_json(const model::book& book) {
  return {
      {"id", book.id},
      {"title", book.title},
      {"author", book.author},
      {"price", model::format_money(book.price)},
      {"isbn", or_null(book.isbn)},
      {"genre_id", or_null(book.genre)},
      {"description", or_null(book.description)},
      {"cover_image_url", or_null(book.cover_image_url)},
      {"publish_date", or_null(book.publish_date)},
      {"stock_quantity", book.stock_quantity},
  };
}

json book_detail_json(const model::book& book) {
  json out = book_json(book);
  out["in_stock"] = book.stock_quantity > 0;
  // One decimal, rounded half to even from the exact sum and count.
  const auto tenths = model::mean_tenths(book.rating.sum, book.rating.count);
  out["avg_rating"] =
      tenths ? json(static_cast<double>(*tenths) / 10.0) : json(nullptr);
  out["review_count"] = book.rating.count;
  return out;
}

json genre_json(const model::genre& genre) {
  return {{"id", genre.id}, {"name", genre.name}};
}

json genres_json(const std::vector<model::genre>& genres) {
  json out = json::array();
  for (const auto& genre : genres) {
    out.push_back(genre_json(genre));
  }
  return out;
}

json book_page_json(const storage::book_page& page,
                    const storage::book_query& query) {
  json items = json::array();
  for (const auto& book : page.items) {
    items.push_back(book_json(book));
  }
  return {{"items", std::move(items)},
          {"total", page.total},
          {"page", query.page},
          {"size", query.size}};
}

json cart_item_json(const storage::cart_view_line& line) {
  // The line's book id names the book; the summary only describes it.
  const json book = {
      {"id", line.line.book},
      {"title", line.book.title},
      {"author", line.book.author},
      {"price", model::format_money(line.book.price)},
      {"cover_image_url", or_null(line.book.cover_image_url)},
  };
  return {{"id", line.line.id},
          {"book_id", line.line.book},
          {"quantity", line.line.quantity},
          {"book", book}};
}

json cart_json(const std::vector<storage::cart_view_line>& lines) {
  json items = json::array();
  std::int64_t total_items = 0;
  model::cents total_price = 0;
  for (const auto& line : lines) {
    items.push_back(cart_item_json(line));
    total_items += line.line.quantity;
    total_price += line.book.price * line.line.quantity;
  }
  return {{"items", std::move(items)},
          {"total_items", total_items},
          {"total_price", model::format_money(total_price)}};
}

json order_json(const model::order& order) {
  json items = json::array();
  for (const auto& line : order.lines) {
    const json book = {
        {"id", line.book},
        {"title", line.summary.title},
        {"author", line.summary.author},
        {"cover_image_url", or_null(line.summary.cover_image_url)},
        {"price", model::format_money(line.summary.price)},
    };
    items.push_back({{"id", line.id},
                     {"book_id", line.book},
                     {"quantity", line.quantity},
                     {"unit_price", model::format_money(line.unit_price)},
                     {"book", book}});
  }
  return {{"id", order.id},
          {"status", order.status},
          {"created_at", order.created_at},
          {"items", std::move(items)},
          {"total_price", model::format_money(order.total())}};
}

std::string orders_piece(const std::vector<model::order>& orders, bool first,
                         bool last) {
  std::string out = first ? "[" : "";
  for (const auto& order : orders) {
    // A piece after the first follows orders: the first page is only empty
    // when it is also the last.
    if (!first || out.size() > 1)
      out += ',';
    out += dump_body(order_json(order));
  }
  if (last)
    out += ']';
  return out;
}

json token_pair_json(const std::string& access_token,
                     const std::string& refresh_token) {
  return {{"access_token", access_token},
          {"refresh_token", refresh_token},
          {"token_type", "bearer"}};
}

} // namespace bookstore::json
