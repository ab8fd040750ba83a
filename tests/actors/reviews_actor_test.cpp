// Reviews through the store actor and the book actor's rating totals, on
// CAF's test coordinator.

#include <catch2/catch.hpp>

#include "actors/errors.hpp"
#include "tests/actors/shop_fixtures.hpp"
#include "tests/support/sqlite_probe.hpp"

using namespace bookstore;
using namespace bookstore::testing;
using model::error_code;

namespace {

core_config instant_payments() {
  core_config config;
  config.payment_failure_rate = 0.0;
  config.payment_latency = std::chrono::milliseconds(0);
  return config;
}

model::rating_totals rating_of(coordinated_shop& t, model::book_id id) {
  return t.ask<model::book>(t.book_of(id), get_atom::value).rating;
}

/// A user who bought one copy of `book`.
model::user_id buyer(coordinated_shop& t, const std::string& email,
                     model::book_id book) {
  auto user = t.create_user(email);
  auto cart = t.cart_of(user);
  t.ask<storage::cart_view_line>(cart, add_atom::value, book, std::int64_t{1});
  auto outcome =
      t.ask<checkout_outcome>(cart, checkout_atom::value, checkout_request{});
  REQUIRE(outcome.ok());
  return user;
}

} // namespace

TEST_CASE("the book actor keeps the newest rating totals it is told",
          "[actor][reviews]") {
  temp_db db;
  coordinated_shop t{db.path(), instant_payments()};
  auto book = t.create_book("Rated", 5);
  auto handle = t.book_of(book.id);
  CHECK(rating_of(t, book.id).count == 0);
  t.ask<bool>(handle, rating_atom::value, std::int64_t{9}, std::int64_t{2},
              std::int64_t{5});
  CHECK(rating_of(t, book.id).sum == 9);
  CHECK(rating_of(t, book.id).count == 2);
  // An older version arriving late changes nothing.
  t.ask<bool>(handle, rating_atom::value, std::int64_t{4}, std::int64_t{1},
              std::int64_t{3});
  CHECK(rating_of(t, book.id).sum == 9);
  t.ask<bool>(handle, rating_atom::value, std::int64_t{12}, std::int64_t{3},
              std::int64_t{6});
  CHECK(rating_of(t, book.id).count == 3);
}

TEST_CASE("a review write answers with the book's totals as committed",
          "[actor][reviews]") {
  temp_db db;
  coordinated_shop t{db.path(), instant_payments()};
  auto book = t.create_book("Reviewed", 5);
  auto alice = buyer(t, "alice@example.com", book.id);
  auto out = t.ask<review_written>(
      t.shop.store, create_atom::value,
      review_draft{alice, book.id, 4, std::string("Fine"), std::nullopt});
  CHECK(out.error == error_code::none);
  CHECK(out.review.verified_purchase);
  CHECK(out.rating.book == book.id);
  CHECK(out.rating.totals.sum == 4);
  CHECK(out.rating.totals.count == 1);
  auto changed = t.ask<storage::rating_change>(t.shop.store, delete_atom::value,
                                               review_atom::value,
                                               out.review.id, alice, false);
  CHECK(changed.totals.count == 0);
  CHECK(changed.totals.version > out.rating.totals.version);
  // The row says the same.
  auto row = t.ask<model::book>(t.shop.store, get_atom::value, book_atom::value,
                                book.id);
  CHECK(row.rating.count == 0);
  CHECK(row.rating.version == changed.totals.version);
}

TEST_CASE("of two creates of one review in one group commit one wins and the "
          "other is told the winner's id",
          "[actor][reviews]") {
  temp_db db;
  coordinated_shop t{db.path(), instant_payments()};
  auto book = t.create_book("Twice", 5);
  auto alice = buyer(t, "alice@example.com", book.id);
  auto first =
      t.send<review_written>(t.shop.store, create_atom::value,
                             review_draft{alice, book.id, 5, {}, std::nullopt});
  auto second =
      t.send<review_written>(t.shop.store, create_atom::value,
                             review_draft{alice, book.id, 1, {}, std::nullopt});
  t.sched.run();
  REQUIRE(first->value);
  REQUIRE(second->value);
  CHECK(first->value->error == error_code::none);
  CHECK(second->value->error == error_code::duplicate_review);
  CHECK(second->value->existing == first->value->review.id);
  // The row holds the winner's rating only. (The book actor, live since the
  // checkout, learns it from the gateway, which is not part of this test.)
  auto row = t.ask<model::book>(t.shop.store, get_atom::value, book_atom::value,
                                book.id);
  CHECK(row.rating.sum == 5);
  CHECK(row.rating.count == 1);
}

TEST_CASE("a user without a confirmed order of the book cannot review it",
          "[actor][reviews]") {
  temp_db db;
  coordinated_shop t{db.path(), instant_payments()};
  auto book = t.create_book("Unbought", 5);
  auto bob = t.create_user("bob@example.com");
  auto out =
      t.send<review_written>(t.shop.store, create_atom::value,
                             review_draft{bob, book.id, 5, {}, std::nullopt});
  t.sched.run();
  REQUIRE(out->error);
  CHECK(domain_code(*out->error) == error_code::not_purchased);
}

TEST_CASE("a review by another node's user goes by what that node told of "
          "them",
          "[actor][reviews]") {
  temp_db db;
  coordinated_shop t{db.path(), instant_payments()};
  auto book = t.create_book("Far", 5);
  // Users this file does not hold (a cluster: their node vouches).
  const model::user_id zoe = 90001;
  const model::user_id yan = 90002;
  auto refused = t.send<review_written>(
      t.shop.store, create_atom::value,
      review_draft{yan,
                   book.id,
                   2,
                   {},
                   storage::review_author{"yan@example.com", false}});
  auto unknown =
      t.send<review_written>(t.shop.store, create_atom::value,
                             review_draft{yan, book.id, 2, {}, std::nullopt});
  t.sched.run();
  REQUIRE(refused->error);
  CHECK(domain_code(*refused->error) == error_code::not_purchased);
  REQUIRE(unknown->error); // and without their node's word, no purchase
  CHECK(domain_code(*unknown->error) == error_code::not_purchased);
  auto out = t.ask<review_written>(
      t.shop.store, create_atom::value,
      review_draft{zoe, book.id, 5, std::string("Vouched"),
                   storage::review_author{"zoe@example.com", true}});
  CHECK(out.error == error_code::none);
  CHECK(out.review.user == zoe);
  CHECK(out.review.author_email == "zoe@example.com");
  CHECK(out.review.verified_purchase);
  CHECK(out.rating.totals.sum == 5);
  auto found = t.ask<storage::review_record>(t.shop.store, get_atom::value,
                                             review_atom::value, out.review.id);
  CHECK(found.author_email == "zoe@example.com");
}
