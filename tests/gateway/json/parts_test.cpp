// A cluster's merge of the nodes' parts of GET /books (book_parts.hpp): the
// order of a single server's ORDER BY, totals summed, the page cut last.

#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "gateway/json/encode_reviews.hpp"
#include "gateway/json/parts.hpp"

namespace bj = bookstore::json;
namespace storage = bookstore::storage;
using nlohmann::json;

namespace {

storage::book_page
part(std::vector<std::pair<std::int64_t, storage::sort_value>> books,
     std::int64_t total, storage::page_order order) {
  storage::book_page page;
  for (auto& [id, key] : books) {
    bookstore::model::book b;
    b.id = id;
    b.title = "t" + std::to_string(id);
    page.items.push_back(b);
    page.keys.push_back(key);
  }
  page.total = total;
  page.order = order;
  return page;
}

std::vector<std::int64_t> ids(const json& page) {
  std::vector<std::int64_t> out;
  for (auto& item : page["items"])
    out.push_back(item["id"]);
  return out;
}

} // namespace

TEST_CASE("titles merge without ASCII case, ties by id") {
  storage::page_order nocase{false, false, true};
  std::vector<json> parts = {
      bj::book_part_json(part(
          {{1, std::string("beta")}, {4, std::string("Gamma")}}, 5, nocase)),
      bj::book_part_json(part(
          {{2, std::string("Alpha")}, {5, std::string("Beta")}}, 2, nocase))};
  auto first = bj::merge_book_parts(parts, 1, 3);
  CHECK(ids(first) == std::vector<std::int64_t>{2, 1, 5});
  CHECK(first["total"] == 7);
  CHECK(first["page"] == 1);
  CHECK(first["size"] == 3);
  CHECK(ids(bj::merge_book_parts(parts, 2, 3)) == std::vector<std::int64_t>{4});
  CHECK(bj::merge_book_parts(parts, 3, 3)["items"].empty());
}

TEST_CASE("descending values keep absent ones last, ties by ascending id") {
  storage::page_order desc{true, false, false};
  std::vector<json> parts = {
      bj::book_part_json(
          part({{3, 4.5}, {6, 4.5}, {9, std::monostate{}}}, 3, desc)),
      bj::book_part_json(part({{1, 4.75}, {2, std::monostate{}}}, 2, desc))};
  CHECK(ids(bj::merge_book_parts(parts, 1, 10))
        == std::vector<std::int64_t>{1, 3, 6, 2, 9});
}

TEST_CASE("newest first: values and ids both descending") {
  storage::page_order newest{true, true, false};
  std::vector<json> parts = {
      bj::book_part_json(part({{7, std::string("2026-01-02T00:00:00Z")},
                               {4, std::string("2026-01-01T00:00:00Z")}},
                              2, newest)),
      bj::book_part_json(
          part({{8, std::string("2026-01-01T00:00:00Z")}}, 1, newest))};
  CHECK(ids(bj::merge_book_parts(parts, 1, 10))
        == std::vector<std::int64_t>{7, 8, 4});
}

TEST_CASE("integer values compare as integers, past 2^53") {
  storage::page_order asc{false, false, false};
  const std::int64_t big = (std::int64_t{1} << 53) + 1;
  std::vector<json> parts = {bj::book_part_json(part({{2, big}}, 1, asc)),
                             bj::book_part_json(part({{1, big - 1}}, 1, asc))};
  CHECK(ids(bj::merge_book_parts(parts, 1, 10))
        == std::vector<std::int64_t>{1, 2});
}

TEST_CASE("a part that is not one refuses to merge") {
  std::vector<json> parts = {json{
      {"items", json::array({{{"id", 1}}})},
      {"keys", json::array()},
      {"total", 1},
      {"order", {{"key_desc", false}, {"id_desc", false}, {"nocase", false}}}}};
  CHECK_THROWS_AS(bj::merge_book_parts(parts, 1, 10), std::invalid_argument);
}

TEST_CASE("a node without matches does not change the merge's order") {
  storage::page_order desc{true, false, false};
  std::vector<json> parts = {
      bj::book_part_json(
          part({{1, std::int64_t{499}}, {4, std::int64_t{2999}}}, 2, desc)),
      bj::book_part_json(part({}, 0, {}))}; // an empty part, default order
  CHECK(ids(bj::merge_book_parts(parts, 1, 10))
        == std::vector<std::int64_t>{4, 1});
}

TEST_CASE("a user's lists merge newest first over the nodes, ties by id") {
  auto item = [](std::int64_t id, const char* at) {
    return json{{"id", id}, {"added_at", at}, {"book_id", id * 10}};
  };
  // Each node's part is newest first already; one second holds two rows of
  // different nodes.
  std::vector<json> parts{
      {{"items",
        {item(7, "2026-12-07T10:00:02Z"), item(1, "2026-12-07T10:00:00Z")}}},
      {{"items", json::array()}},
      {{"items",
        {item(5, "2026-12-07T10:00:02Z"), item(8, "2026-12-07T10:00:01Z")}}}};
  auto merged = bj::merge_newest_first(parts, "added_at");
  std::vector<std::int64_t> ids;
  for (auto& i : merged.at("items"))
    ids.push_back(i.at("id").get<std::int64_t>());
  CHECK(ids == std::vector<std::int64_t>{7, 5, 8, 1});
  CHECK(merged.size() == 1); // {"items"} only, as one server answers
  CHECK_THROWS(
      bj::merge_newest_first({json{{"rows", json::array()}}}, "added_at"));
}

TEST_CASE("the moderation list merges by rating or time in the filter's "
          "direction, ties by id descending, and counts pages of the sum") {
  auto review = [](std::int64_t id, std::int64_t rating, std::int64_t at) {
    storage::review_record r;
    r.id = id;
    r.rating = rating;
    r.created_at = at;
    r.updated_at = at;
    r.author_email = "a@example.com";
    return r;
  };
  storage::review_filter filter;
  filter.by_rating = true;
  filter.descending = false;
  filter.page = 2;
  filter.per_page = 2;
  // Each node's first page x per_page rows in the filter's order.
  storage::review_page a, b;
  a.items = {review(4, 1, 40), review(1, 3, 10)};
  a.total = 3;
  b.items = {review(5, 3, 50), review(2, 3, 20)};
  b.total = 2;
  std::vector<json> parts{bj::admin_review_part_json(a, filter),
                          bj::admin_review_part_json(b, filter)};
  auto merged = bj::merge_admin_review_parts(parts, filter);
  // All: 4 (1), then the threes by id descending: 5, 2, 1. Page 2 of 2.
  CHECK(ids(merged) == std::vector<std::int64_t>{2, 1});
  CHECK(merged["total_count"] == 5);
  CHECK(merged["total_pages"] == 3);
  CHECK(merged["page"] == 2);
  CHECK(merged["per_page"] == 2);
  CHECK(merged["items"][0]
        == bj::admin_review_json(review(2, 3, 20))); // the item as one server
  // By time, newest first.
  filter.by_rating = false;
  filter.descending = true;
  filter.page = 1;
  a.items = {review(4, 1, 40), review(1, 3, 10)};
  b.items = {review(5, 3, 50), review(2, 3, 20)};
  parts = {bj::admin_review_part_json(a, filter),
           bj::admin_review_part_json(b, filter)};
  CHECK(ids(bj::merge_admin_review_parts(parts, filter))
        == std::vector<std::int64_t>{5, 4});
}
