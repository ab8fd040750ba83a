// Books and genres: POST/GET /books, GET/PUT/DELETE /books/{id},
// PATCH /books/{id}/stock, POST/GET /genres.

#include "actors/errors.hpp"
#include "gateway/api/ask.hpp"
#include "gateway/json/decode.hpp"
#include "gateway/json/encode.hpp"
#include "gateway/api/routes.hpp"

namespace bookstore::gateway::routes {

namespace {

using model::error_code;

/// Rejections of book writes: a duplicate ISBN names its field.
void reply_book_failure(const call_ptr& c, const caf::error& err) {
  switch (domain_code(err)) {
  case error_code::book_isbn_conflict:
    c->reply_error(error_code::book_isbn_conflict,
                   "A book with this ISBN already exists", "isbn");
    break;
  case error_code::validation_error:
    c->reply_validation("body", "genre_id", "Genre not found");
    break;
  case error_code::stock_reserved:
    c->reply_error(error_code::stock_reserved,
                   "Copies are reserved by checkouts in progress; the new "
                   "stock must not be below them",
                   "quantity");
    break;
  default:
    c->reply_failure(err);
  }
}

/// Sends a change to the book of {id} and answers with the changed book.
template <class... Ts> void write_book(const call_ptr& c, Ts... xs) {
  ask_book<model::book>(
      c, [=](model::book& b) { c->reply(200, json::book_json(b, false)); },
      [=](const caf::error& err) { reply_book_failure(c, err); }, xs...);
}

} // namespace

void create_book(const call_ptr& c) {
  auto input = json::decode_new_book(c->req.body);
  if (!accepted(c, input))
    return;
  c->self
      ->request(c->ctx->shop.registry, caf::infinite, create_atom::value,
                *input.value)
      .then(
          [=](model::book& book) {
            c->reply(201, json::book_json(book, false));
          },
          [=](caf::error& err) { reply_book_failure(c, err); });
}

void list_books(const call_ptr& c) {
  auto query = json::decode_book_query(c->req.query);
  if (!accepted(c, query))
    return;
  auto q = *query.value;
  c->self
      ->request(c->ctx->shop.store, caf::infinite, list_atom::value,
                book_atom::value, q)
      .then(
          [=](storage::book_page& page) {
            c->reply(200, json::book_page_json(page, q));
          },
          [=](caf::error& err) { c->reply_failure(err); });
}

void get_book(const call_ptr& c) {
  ask_book<model::book>(
      c, [=](model::book& book) { c->reply(200, json::book_json(book, true)); },
      reply_failure_of(c), get_atom::value);
}

void update_book(const call_ptr& c) {
  auto input = json::decode_book_patch(c->req.body);
  if (!accepted(c, input))
    return;
  write_book(c, update_atom::value, *input.value);
}

void delete_book(const call_ptr& c) {
  ask_book<bool>(
      c, [=](bool) { c->reply_no_content(); },
      [=](const caf::error& err) {
        if (domain_code(err) == error_code::stock_reserved)
          return c->reply_error(error_code::stock_reserved,
                                "Copies of this book are held by checkouts in "
                                "progress; delete it when they have ended");
        c->reply_failure(err);
      },
      delete_atom::value);
}

void set_stock(const call_ptr& c) {
  auto input = json::decode_stock(c->req.body);
  if (!accepted(c, input))
    return;
  write_book(c, stock_atom::value, *input.value);
}

void create_genre(const call_ptr& c) {
  auto input = json::decode_genre(c->req.body);
  if (!accepted(c, input))
    return;
  c->self
      ->request(c->ctx->shop.store, caf::infinite, create_atom::value,
                genre_atom::value, *input.value)
      .then([=](model::genre& g) { c->reply(201, json::genre_json(g)); },
            [=](caf::error& err) {
              if (domain_code(err) == error_code::genre_conflict)
                c->reply_error(error_code::genre_conflict,
                               "A genre with this name already exists", "name");
              else
                c->reply_failure(err);
            });
}

void list_genres(const call_ptr& c) {
  c->self
      ->request(c->ctx->shop.store, caf::infinite, list_atom::value,
                genre_atom::value)
      .then(
          [=](std::vector<model::genre>& genres) {
            c->reply(200, json::genres_json(genres));
          },
          [=](caf::error& err) { c->reply_failure(err); });
}

} // namespace bookstore::gateway::routes
