// Encoders produce API.md's shapes: keys, nulls and money strings.

#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "gateway/json/encode.hpp"
#include "gateway/json/errors.hpp"

namespace bj = bookstore::json;
namespace model = bookstore::model;
namespace storage = bookstore::storage;
using nlohmann::json;

namespace {

model::book dune() {
  model::book book;
  book.id = 7;
  book.title = "Dune";
  book.author = "Frank Herbert";
  book.price = 1499;
  book.isbn = "9780441013593";
  book.genre = 2;
  book.description = "Spice.";
  book.cover_image_url = "https://example.com/dune.jpg";
  book.publish_date = "1965-08-01";
  book.stock_quantity = 3;
  return book;
}

model::book bare() {
  model::book book;
  book.id = 8;
  book.title = "Emma";
  book.author = "Jane Austen";
  book.price = 29;
  return book;
}

storage::cart_view_line cart_line(std::int64_t id, model::book_id book,
                                  std::int64_t quantity, model::cents price,
                                  std::optional<std::string> cover) {
  storage::cart_view_line line;
  line.line = model::cart_line{id, book, quantity};
  line.book.id = book;
  line.book.title = "Book " + std::to_string(book);
  line.book.author = "Author";
  line.book.price = price;
  line.book.cover_image_url = std::move(cover);
  return line;
}

} // namespace

TEST_CASE("book_json has every Book key with money as a string",
          "[json][encode]") {
  CHECK(bj::book_json(dune()) == json::parse(R"({
    "id": 7, "title": "Dune", "author": "Frank Herbert", "price": "14.99",
    "isbn": "9780441013593", "genre_id": 2, "description": "Spice.",
    "cover_image_url": "https://example.com/dune.jpg",
    "publish_date": "1965-08-01", "stock_quantity": 3})"));
  CHECK(bj::book_json(bare()) == json::parse(R"({
    "id": 8, "title": "Emma", "author": "Jane Austen", "price": "0.29",
    "isbn": null, "genre_id": null, "description": null,
    "cover_image_url": null, "publish_date": null, "stock_quantity": 0})"));
}

TEST_CASE("book_json adds in_stock only when asked", "[json][encode]") {
  CHECK_FALSE(bj::book_json(dune()).contains("in_stock"));
  CHECK(bj::book_detail_json(dune()).at("in_stock") == true);
  CHECK(bj::book_detail_json(bare()).at("in_stock") == false);
  CHECK(bj::book_detail_json(dune()).size() == 13);
}

TEST_CASE("book_json with in_stock adds the rating rounded half to even",
          "[json][encode]") {
  auto book = dune();
  CHECK(bj::book_detail_json(book).at("avg_rating").is_null());
  CHECK(bj::book_detail_json(book).at("review_count") == 0);
  CHECK_FALSE(bj::book_json(book).contains("avg_rating"));
  book.rating = {17, 4, 1}; // 4.25
  CHECK(bj::book_detail_json(book).at("avg_rating").dump() == "4.2");
  CHECK(bj::book_detail_json(book).at("review_count") == 4);
  book.rating = {15, 4, 2}; // 3.75
  CHECK(bj::book_detail_json(book).at("avg_rating").dump() == "3.8");
  book.rating = {5, 1, 3};
  CHECK(bj::book_detail_json(book).at("avg_rating").dump() == "5.0");
}

TEST_CASE("genre_json and genres_json give the id and name of each genre",
          "[json][encode]") {
  CHECK(bj::genre_json({4, "Sci-Fi"})
        == json::parse(R"({"id":4,"name":"Sci-Fi"})"));
  CHECK(bj::genres_json({}) == json::array());
  CHECK(bj::genres_json({{1, "A"}, {2, "B"}})
        == json::parse(R"([{"id":1,"name":"A"},{"id":2,"name":"B"}])"));
}

TEST_CASE("book_page_json echoes page and size", "[json][encode]") {
  storage::book_page page;
  page.items = {dune(), bare()};
  page.total = 41;
  storage::book_query query;
  query.page = 3;
  query.size = 2;
  const auto out = bj::book_page_json(page, query);
  CHECK(out.size() == 4);
  CHECK(out.at("total") == 41);
  CHECK(out.at("page") == 3);
  CHECK(out.at("size") == 2);
  REQUIRE(out.at("items").size() == 2);
  CHECK(out.at("items")[0] == bj::book_json(dune()));
  CHECK_FALSE(out.at("items")[0].contains("in_stock"));

  const auto empty = bj::book_page_json({}, storage::book_query{});
  CHECK(empty == json::parse(R"({"items":[],"total":0,"page":1,"size":20})"));
}

TEST_CASE("cart_item_json has the book summary and cart_json sums quantities "
          "and prices",
          "[json][encode]") {
  const auto hobbit = cart_line(5, 11, 3, 1299, std::nullopt);
  CHECK(bj::cart_item_json(hobbit) == json::parse(R"({
    "id": 5, "book_id": 11, "quantity": 3,
    "book": {"id": 11, "title": "Book 11", "author": "Author",
             "price": "12.99", "cover_image_url": null}})"));

  CHECK(bj::cart_json({})
        == json::parse(R"({"items":[],"total_items":0,"total_price":"0.00"})"));
  CHECK(bj::dump_body(bj::cart_json({}))
        == R"({"items":[],"total_items":0,"total_price":"0.00"})");

  const auto foundation = cart_line(6, 12, 2, 999, "c.jpg");
  const auto cart = bj::cart_json({hobbit, foundation});
  CHECK(cart.at("total_items") == 5);       // sum of quantities
  CHECK(cart.at("total_price") == "58.95"); // 12.99*3 + 9.99*2
  REQUIRE(cart.at("items").size() == 2);
  CHECK(cart.at("items")[1].at("book").at("cover_image_url") == "c.jpg");
  CHECK(cart.at("items")[1] == bj::cart_item_json(foundation));
  CHECK(cart.size() == 3);
}

TEST_CASE("order_json has unit prices and a book summary and the total",
          "[json][encode]") {
  model::order order;
  order.id = 9;
  order.owner = 1;
  order.status = "confirmed";
  order.created_at = "2026-02-25T16:51:00Z";
  model::order_line first;
  first.id = 21;
  first.book = 7;
  first.quantity = 2;
  first.unit_price = 1499; // the price at checkout
  first.summary = {7, "Dune", "Frank Herbert", std::nullopt, 1799};
  model::order_line second;
  second.id = 22;
  second.book = 8;
  second.quantity = 1;
  second.unit_price = 29;
  second.summary = {8, "Emma", "Jane Austen", "e.jpg", 29};
  order.lines = {first, second};

  CHECK(bj::order_json(order) == json::parse(R"({
    "id": 9, "status": "confirmed", "created_at": "2026-02-25T16:51:00Z",
    "items": [
      {"id": 21, "book_id": 7, "quantity": 2, "unit_price": "14.99",
       "book": {"id": 7, "title": "Dune", "author": "Frank Herbert",
                "cover_image_url": null, "price": "17.99"}},
      {"id": 22, "book_id": 8, "quantity": 1, "unit_price": "0.29",
       "book": {"id": 8, "title": "Emma", "author": "Jane Austen",
                "cover_image_url": "e.jpg", "price": "0.29"}}],
    "total_price": "30.27"})"));
  CHECK_FALSE(bj::order_json(order).contains("owner"));

  const auto one = bj::order_json(order);
  CHECK(json::parse(bj::orders_piece({order, order}, true, true))
        == json::array({one, one}));
  CHECK(json::parse(bj::orders_piece({}, true, true)) == json::array());
  // Pages in pieces: the first opens, the last (maybe empty) closes.
  const auto pieces = bj::orders_piece({order, order}, true, false)
                      + bj::orders_piece({order}, false, false)
                      + bj::orders_piece({}, false, true);
  CHECK(json::parse(pieces) == json::array({one, one, one}));
  CHECK(json::parse(bj::orders_piece({order}, true, false)
                    + bj::orders_piece({order}, false, true))
        == json::array({one, one}));
}

TEST_CASE("token_pair_json gives both tokens and the bearer type",
          "[json][encode]") {
  CHECK(
      bj::token_pair_json("a.b.c", "r")
      == json::parse(
          R"({"access_token":"a.b.c","refresh_token":"r","token_type":"bearer"})"));
}

TEST_CASE("reports carry money as JSON numbers", "[json][encode]") {
  storage::sales_summary summary;
  summary.period = "week";
  summary.revenue = 12345;
  summary.order_count = 4;
  summary.aov = 3086;
  summary.delta_percentage = 33.333333;
  const auto out = bj::sales_summary_json(summary);
  CHECK(out.at("revenue").is_number_float());
  CHECK(bj::dump_body(out)
        == R"({"aov":30.86,"delta_percentage":33.33,"order_count":4,)"
           R"("period":"week","revenue":123.45})");

  summary.revenue = 0;
  summary.aov = 0;
  summary.order_count = 0;
  summary.delta_percentage = std::nullopt;
  const auto zero = bj::sales_summary_json(summary);
  CHECK(zero.at("revenue") == 0.0);
  CHECK(zero.at("revenue").is_number_float());
  CHECK(zero.at("delta_percentage").is_null());
  summary.delta_percentage = -50.0;
  CHECK(bj::sales_summary_json(summary).at("delta_percentage") == -50.0);
  summary.delta_percentage = std::numeric_limits<double>::infinity();
  CHECK(bj::sales_summary_json(summary).at("delta_percentage").is_null());

  CHECK(bj::money_number(29).dump() == "0.29");
  CHECK(bj::money_number(1).dump() == "0.01");
  CHECK(bj::money_number(100'000'000).dump() == "1000000.0");
  CHECK(bj::money_number(123'456'789'012).dump() == "1234567890.12");
}

TEST_CASE(
    "top_books_json and low_stock_json list their items with money as numbers",
    "[json][encode]") {
  const std::vector<storage::top_book> top{
      {7, "Dune", "Frank Herbert", 4497, 3}, {8, "Emma", "Jane Austen", 29, 1}};
  CHECK(bj::top_books_json("revenue", top) == json::parse(R"({
    "sort_by": "revenue",
    "items": [
      {"book_id": 7, "title": "Dune", "author": "Frank Herbert",
       "total_revenue": 44.97, "units_sold": 3},
      {"book_id": 8, "title": "Emma", "author": "Jane Austen",
       "total_revenue": 0.29, "units_sold": 1}]})"));
  CHECK(bj::top_books_json("volume", {})
        == json::parse(R"({"sort_by":"volume","items":[]})"));

  const std::vector<storage::low_stock_item> low{{8, "Emma", "Jane Austen", 0},
                                                 {7, "Dune", "F", 5}};
  CHECK(bj::low_stock_json(10, low) == json::parse(R"({
    "threshold": 10, "total_low_stock": 2,
    "items": [
      {"book_id": 8, "title": "Emma", "author": "Jane Austen",
       "current_stock": 0, "threshold": 10},
      {"book_id": 7, "title": "Dune", "author": "F",
       "current_stock": 5, "threshold": 10}]})"));
  CHECK(bj::low_stock_json(0, {})
        == json::parse(R"({"threshold":0,"total_low_stock":0,"items":[]})"));
}
