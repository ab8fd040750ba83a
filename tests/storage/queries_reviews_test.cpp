#include <catch2/catch.hpp>

#include "helpers.hpp"
#include "storage/queries.hpp"
#include "storage/review_queries.hpp"

using namespace storage_test;
namespace st = bookstore::storage;

namespace {

struct shop {
  st::database db{":memory:"};
  model::user_id alice =
      storage::insert_user(db, "alice@example.com", "h", "user").id;
  model::user_id bob =
      storage::insert_user(db, "bob@example.com", "h", "user").id;
  model::book_id dune = storage::insert_book(db, make_book("Dune", 999, 10)).id;
  model::book_id emma = storage::insert_book(db, make_book("Emma", 500, 10)).id;

  void buy(model::user_id who, model::book_id book) {
    model::order_line line;
    line.book = book;
    line.quantity = 1;
    line.unit_price = 100;
    line.summary.title = "t";
    line.summary.author = "a";
    storage::insert_order(db, who, {line}, {}, "2026-01-01T00:00:00Z");
  }

  /// Inserts a review as the store does: with what this file tells of its
  /// author.
  model::review_id review(model::user_id who, model::book_id book,
                          std::int64_t rating,
                          const std::optional<std::string>& text,
                          std::int64_t now) {
    auto author = st::review_author_of(db, who, book);
    REQUIRE(author);
    return st::insert_review(db, who, *author, book, rating, text, now);
  }

  /// The kept totals equal a recount of the live reviews.
  void check_consistent(model::book_id book) {
    auto kept = st::book_rating(db, book);
    auto counted = st::recount_rating(db, book);
    CHECK(kept.sum == counted.sum);
    CHECK(kept.count == counted.count);
    auto found = storage::find_book(db, book);
    if (found) {
      CHECK(found->rating.sum == kept.sum);
      CHECK(found->rating.count == kept.count);
    }
  }
};

} // namespace

TEST_CASE("the kept rating sum and count follow every review write",
          "[reviews]") {
  shop s;
  auto v0 = st::book_rating(s.db, s.dune).version;
  auto a = s.review(s.alice, s.dune, 5, std::string("Great"), 1000);
  s.check_consistent(s.dune);
  auto b = s.review(s.bob, s.dune, 2, std::nullopt, 2000);
  s.check_consistent(s.dune);
  auto totals = st::book_rating(s.db, s.dune);
  CHECK(totals.sum == 7);
  CHECK(totals.count == 2);
  CHECK(totals.version > v0);

  // Changing only the text keeps the sum; the rating moves it.
  model::review_patch text_only;
  text_only.text = std::optional<std::string>{"Changed"};
  REQUIRE(st::update_review(s.db, a, text_only, 3000));
  CHECK(st::book_rating(s.db, s.dune).sum == 7);
  model::review_patch rating;
  rating.rating = 1;
  REQUIRE(st::update_review(s.db, a, rating, 3000));
  s.check_consistent(s.dune);
  CHECK(st::book_rating(s.db, s.dune).sum == 3);

  REQUIRE(st::soft_delete_review(s.db, b, 4000));
  s.check_consistent(s.dune);
  CHECK(st::book_rating(s.db, s.dune).count == 1);
  // Deleting twice changes nothing.
  CHECK_FALSE(st::soft_delete_review(s.db, b, 5000));
  CHECK(st::book_rating(s.db, s.dune).count == 1);
  // Editing a deleted review is refused and counts nothing.
  CHECK_FALSE(st::update_review(s.db, b, rating, 5000));
  s.check_consistent(s.dune);

  // Another book is untouched throughout.
  CHECK(st::book_rating(s.db, s.emma).count == 0);

  // Deleting the book's reviews (the book goes) empties the totals.
  s.review(s.bob, s.emma, 4, std::nullopt, 6000);
  CHECK(st::soft_delete_book_reviews(s.db, s.dune, 7000) == 1);
  s.check_consistent(s.dune);
  CHECK(st::book_rating(s.db, s.dune).count == 0);
  CHECK(st::book_rating(s.db, s.dune).sum == 0);
  s.check_consistent(s.emma);

  // A hard delete is covered by the triggers all the same.
  conn_of(s.db).exec("DELETE FROM reviews");
  s.check_consistent(s.emma);
  CHECK(st::book_rating(s.db, s.emma).count == 0);
}

TEST_CASE("one review per user and book whether deleted or not", "[reviews]") {
  shop s;
  auto a = s.review(s.alice, s.dune, 5, std::nullopt, 1000);
  CHECK(kind_of([&] { s.review(s.alice, s.dune, 4, std::nullopt, 1000); })
        == st::failure_kind::unique);
  st::soft_delete_review(s.db, a, 2000);
  auto key = st::review_of(s.db, s.alice, s.dune);
  REQUIRE(key);
  CHECK(key->id == a);
  CHECK(key->deleted);
  CHECK(kind_of([&] { s.review(s.alice, s.dune, 4, std::nullopt, 3000); })
        == st::failure_kind::unique);
  s.check_consistent(s.dune);
  CHECK(st::book_rating(s.db, s.dune).count == 0);
}

TEST_CASE("updated_at grows strictly even within one microsecond",
          "[reviews]") {
  shop s;
  auto a = s.review(s.alice, s.dune, 3, std::nullopt, 5000);
  model::review_patch patch;
  patch.rating = 3;
  std::int64_t last = 5000;
  for (int i = 0; i < 3; ++i) {
    REQUIRE(st::update_review(s.db, a, patch, 5000)); // the clock stands
    auto now = st::find_review(s.db, a)->updated_at;
    CHECK(now > last);
    last = now;
  }
  REQUIRE(st::update_review(s.db, a, patch, 9000)); // the clock moves on
  CHECK(st::find_review(s.db, a)->updated_at == 9000);
  CHECK(st::find_review(s.db, a)->created_at == 5000);
}

TEST_CASE("a review keeps its author's email and purchase as the author's "
          "file tells them",
          "[reviews]") {
  shop s;
  CHECK_FALSE(st::review_author_of(s.db, s.alice, s.dune)->purchased);
  s.buy(s.alice, s.dune);
  CHECK(st::review_author_of(s.db, s.alice, s.dune)->purchased);
  CHECK_FALSE(st::review_author_of(s.db, s.bob, s.dune)->purchased);
  CHECK_FALSE(st::review_author_of(s.db, s.alice, s.emma)->purchased);
  CHECK(st::review_author_of(s.db, s.bob, s.dune)->email == "bob@example.com");
  CHECK_FALSE(st::review_author_of(s.db, 9999, s.dune)); // not this file's
  auto a = s.review(s.alice, s.dune, 4, std::nullopt, 1);
  auto b = s.review(s.bob, s.dune, 4, std::nullopt, 2);
  CHECK(st::find_review(s.db, a)->verified_purchase);
  CHECK_FALSE(st::find_review(s.db, b)->verified_purchase);
  auto r = *st::find_review(s.db, a);
  CHECK(r.author_email == "alice@example.com");
  CHECK(r.book_title == "Dune");
  // Another node's user (a cluster): what their node vouched for, although
  // this file holds neither the user nor their orders.
  auto c =
      st::insert_review(s.db, 7001, st::review_author{"zoe@example.com", true},
                        s.emma, 3, std::nullopt, 3);
  auto zoe = *st::find_review(s.db, c);
  CHECK(zoe.author_email == "zoe@example.com");
  CHECK(zoe.verified_purchase);
  CHECK(zoe.user == 7001);
}

TEST_CASE(
    "book lists are newest first and the moderation list filters and sorts",
    "[reviews]") {
  shop s;
  auto a = s.review(s.alice, s.dune, 5, std::nullopt, 100);
  auto b = s.review(s.bob, s.dune, 2, std::nullopt, 100);
  auto c = s.review(s.alice, s.emma, 3, std::nullopt, 50);
  auto page = st::list_book_reviews(s.db, s.dune, 1, 20);
  CHECK(page.total == 2);
  REQUIRE(page.items.size() == 2);
  CHECK(page.items[0].id == b); // same time: higher id first
  CHECK(page.items[1].id == a);
  CHECK(st::list_book_reviews(s.db, s.dune, 3, 1).items.empty());
  CHECK(st::list_book_reviews(s.db, 999, 1, 20).total == 0);

  st::review_filter f;
  auto ids = [&] {
    std::vector<model::review_id> out;
    for (auto& r : st::list_reviews(s.db, f).items)
      out.push_back(r.id);
    return out;
  };
  CHECK(ids() == std::vector<model::review_id>{b, a, c});
  f.descending = false;
  CHECK(ids() == std::vector<model::review_id>{c, b, a}); // ties id desc
  f.by_rating = true;
  CHECK(ids() == std::vector<model::review_id>{b, c, a});
  f.descending = true;
  CHECK(ids() == std::vector<model::review_id>{a, c, b});
  f.rating_min = 3;
  CHECK(ids() == std::vector<model::review_id>{a, c});
  f.book = s.emma;
  CHECK(ids() == std::vector<model::review_id>{c});
  f = {};
  f.user = s.bob;
  CHECK(ids() == std::vector<model::review_id>{b});
  f = {};
  f.per_page = 2;
  f.page = 2;
  CHECK(ids() == std::vector<model::review_id>{c});
  CHECK(st::list_reviews(s.db, f).total == 3);
  st::soft_delete_review(s.db, a, 200);
  f = {};
  CHECK(ids() == std::vector<model::review_id>{b, c});
}

TEST_CASE("sort=avg_rating uses the kept mean with books without reviews last",
          "[reviews]") {
  shop s;
  auto third = storage::insert_book(s.db, make_book("Zed", 100, 1)).id;
  s.review(s.alice, s.dune, 2, std::nullopt, 1);
  s.review(s.alice, s.emma, 5, std::nullopt, 1);
  s.review(s.bob, s.emma, 4, std::nullopt, 1);
  st::book_query q;
  q.sort = st::book_sort::avg_rating;
  auto order = [&] {
    std::vector<model::book_id> out;
    for (auto& b : st::search_books(s.db, q).items)
      out.push_back(b.id);
    return out;
  };
  CHECK(order() == std::vector<model::book_id>{s.dune, s.emma, third});
  q.descending = true;
  CHECK(order() == std::vector<model::book_id>{s.emma, s.dune, third});
}

TEST_CASE("sort=avg_rating walks an index in both directions", "[reviews]") {
  shop s;
  auto plan = [&](const char* sql) {
    auto stmt = conn_of(s.db).prepare(sql);
    std::string out;
    while (stmt.step() == st::step_result::row)
      out += stmt.column_text(3) + "\n";
    return out;
  };
  // The statement texts of catalog_queries.cpp (filters as there).
  auto asc =
      plan("EXPLAIN QUERY PLAN SELECT b.id FROM books b WHERE b.deleted = 0"
           " AND (?2 IS NULL OR instr(casefold(b.author), casefold(?2)) > 0)"
           " AND (?3 IS NULL OR b.price_cents >= ?3)"
           " AND (?4 IS NULL OR b.price_cents <= ?4)"
           " AND (?5 IS NULL OR b.genre_id = ?5)"
           " ORDER BY b.rating_mean IS NULL, b.rating_mean, b.id LIMIT 8");
  auto desc =
      plan("EXPLAIN QUERY PLAN SELECT b.id FROM books b WHERE b.deleted = 0"
           " AND (?2 IS NULL OR instr(casefold(b.author), casefold(?2)) > 0)"
           " AND (?3 IS NULL OR b.price_cents >= ?3)"
           " AND (?4 IS NULL OR b.price_cents <= ?4)"
           " AND (?5 IS NULL OR b.genre_id = ?5)"
           " ORDER BY b.rating_mean IS NULL, b.rating_mean DESC, b.id LIMIT 8");
  INFO(asc << desc);
  CHECK(asc.find("books_rating_asc") != std::string::npos);
  CHECK(desc.find("books_rating_desc") != std::string::npos);
  CHECK(asc.find("TEMP B-TREE") == std::string::npos);
  CHECK(desc.find("TEMP B-TREE") == std::string::npos);
}
