// Books and genres: POST/GET /books, GET/PUT/DELETE /books/{id},
// PATCH /books/{id}/stock, POST/GET /genres.

#include "actors/errors.hpp"
#include "gateway/api/ask.hpp"
#include "gateway/api/gather.hpp"
#include "gateway/api/isbn_claims.hpp"
#include "gateway/api/placement.hpp"
#include "gateway/api/routes.hpp"
#include "gateway/json/decode.hpp"
#include "gateway/json/encode.hpp"
#include "gateway/json/parts.hpp"

namespace bookstore::gateway::routes {

namespace {

using model::error_code;

/// The handler of a book write's rejection: a duplicate ISBN names its
/// field.
auto reply_book_failure(const call_ptr& c) {
  return [c](const caf::error& err) {
    switch (domain_code(err)) {
    case error_code::book_isbn_conflict:
      return reply_isbn_conflict(*c);
    case error_code::validation_error:
      return c->reply_validation("body", "genre_id", "Genre not found");
    case error_code::stock_reserved:
      return c->reply_error(error_code::stock_reserved,
                            "Copies are reserved by checkouts in progress; "
                            "the new stock must not be below them",
                            "quantity");
    default:
      return c->reply_failure(err);
    }
  };
}

/// Sends a change to the book of {id} and answers with the changed book.
template <class... Ts> void write_book(const call_ptr& c, Ts... xs) {
  ask_book<model::book>(
      c, [=](model::book& b) { c->reply(200, json::book_json(b)); },
      reply_book_failure(c), xs...);
}

/// In a cluster the genre keeper names the genres (placement.hpp); a book
/// of another node that names one keeps a copy of that genre in its own
/// file first, as its row references it. Then `next`; at once if there is
/// nothing to copy (no genre, or the keeper has no such genre: the write
/// then refuses it as one server would).
void with_genre(const call_ptr& c, std::optional<model::genre_id> genre,
                std::function<void()> next) {
  if (!c->ctx->cluster || !genre
      || c->ctx->cluster->peers->self() == genre_keeper)
    return next();
  http::request list;
  list.method = "GET";
  list.path = list.raw_path = "/genres";
  ask_node(c, genre_keeper, std::move(list),
           [c, id = *genre, next](http::response res) {
             if (res.status != 200)
               return c->respond(std::move(res));
             auto genres = nlohmann::json::parse(res.body, nullptr, false);
             if (!genres.is_array())
               return c->respond(failure_response(caf::error{}));
             for (const auto& g : genres)
               if (g.value("id", std::int64_t{0}) == id
                   && g.value("name", nlohmann::json{}).is_string())
                 return ask_store<bool>(
                     c, [next](bool) { next(); }, reply_failure_of(c),
                     update_atom::value, genre_atom::value,
                     model::genre{id, g["name"].get<std::string>()});
             next();
           });
}

/// A node's part of a deep page's second round: the rows of these books.
void fetch_books(const call_ptr& c, std::vector<model::book_id> ids) {
  ask_reader<std::vector<model::book>>(
      c,
      [c](std::vector<model::book>& books) {
        c->reply(200, json::book_rows_json(books));
      },
      reply_failure_of(c), list_atom::value, book_atom::value, std::move(ids));
}

/// A deep page of GET /books within the matches, in two rounds (as search
/// engines over shards do): every node's first page x size matches as sort
/// values and ids only, merged to the page's ids; then the rows of just
/// those from the nodes that hold them. A node then sends its keys, not
/// its rows, for every match before the page.
void query_then_fetch(const call_ptr& c, const storage::book_query& q) {
  const auto offset = (q.page - 1) * q.size;
  auto keys = [c, q, offset](const call_ptr&,
                             std::vector<nlohmann::json>& parts) {
    auto merged = json::merge_parts(parts, offset, q.size);
    part_kind rows;
    for (const auto& item : merged.items)
      rows.ids.push_back(item.at("id").get<std::int64_t>());
    auto nodes = holders_of(*c, rows.ids);
    auto fetched = [c, q, ids = rows.ids, total = merged.total](
                       const call_ptr&, std::vector<nlohmann::json>& parts) {
      c->reply(200, json::fetched_book_page(parts, ids, total, q.page, q.size));
    };
    gather_from(c, std::move(nodes), q.size, list_books, fetched, rows);
  };
  part_kind keys_only;
  keys_only.keys_only = true;
  gather_from(c, every_node(*c), offset + q.size, list_books, keys, keys_only);
}

} // namespace

void create_book(const call_ptr& c) {
  auto input = json::decode_new_book(c->req.body);
  if (!accepted(c, input))
    return;
  auto draft = *input.value;
  with_genre(c, draft.genre, [c, draft] {
    auto create = [c, draft](std::string) {
      ask_registry<model::book>(
          c, [=](model::book& book) { c->reply(201, json::book_json(book)); },
          reply_book_failure(c), create_atom::value, draft);
    };
    // Made on its ISBN's node (placement::isbn): no claim to take there,
    // but another node's claim to settle if one is in the way.
    if (!draft.isbn)
      return create({});
    take_isbn(c, *draft.isbn, 0, create);
  });
}

void list_books(const call_ptr& c) {
  if (auto ids = part_ids(*c); !ids.empty())
    return fetch_books(c, std::move(ids));
  auto query = json::decode_book_query(c->req.query);
  if (!accepted(c, query))
    return;
  auto q = *query.value;
  if (gathers(*c)) {
    // Any of the page's books may be any node's: each node's first
    // page x size matches, merged by their sort values.
    return gather_page(
        c, every_node(*c), (q.page - 1) * q.size, q.size, list_books,
        [q](const call_ptr& c, std::vector<nlohmann::json>& parts) {
          c->reply(200, json::merge_book_parts(parts, q.page, q.size));
        },
        [q](const call_ptr& c) { query_then_fetch(c, q); });
  }
  if (auto window = part_size(*c))
    q.window = *window;
  const bool keys_only = part_keys_only(*c);
  ask_reader<storage::book_page>(
      c,
      [=](storage::book_page& page) {
        if (q.window == 0)
          return c->reply(200, json::book_page_json(page, q));
        c->reply(200, keys_only ? json::book_key_part_json(page)
                                : json::book_part_json(page));
      },
      reply_failure_of(c), list_atom::value, book_atom::value, q);
}

void get_book(const call_ptr& c) {
  ask_book<model::book>(
      c,
      [=](model::book& book) { c->reply(200, json::book_detail_json(book)); },
      reply_failure_of(c), get_atom::value);
}

void update_book(const call_ptr& c) {
  auto input = json::decode_book_patch(c->req.body);
  if (!accepted(c, input))
    return;
  auto patch = *input.value;
  auto genre = patch.genre.value_or(std::optional<model::genre_id>{});
  with_genre(c, genre, [c, patch] {
    auto isbn = patch.isbn.value_or(std::nullopt);
    if (!isbn || !c->ctx->cluster) // one server: no claim to take
      return write_book(c, update_atom::value, patch);
    // The book first, so that a PUT of no book is 404 whatever its ISBN,
    // and no claim is taken for it.
    ask_book<model::book>(
        c,
        [c, patch, isbn](model::book&) {
          take_isbn(c, *isbn, c->id, [c, patch](std::string claim) mutable {
            patch.isbn_claim = std::move(claim);
            write_book(c, update_atom::value, patch);
          });
        },
        reply_failure_of(c), get_atom::value);
  });
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
  ask_store<model::genre>(
      c, [=](model::genre& g) { c->reply(201, json::genre_json(g)); },
      [=](const caf::error& err) {
        if (domain_code(err) == error_code::genre_conflict)
          c->reply_error(error_code::genre_conflict,
                         "A genre with this name already exists", "name");
        else
          c->reply_failure(err);
      },
      create_atom::value, genre_atom::value, *input.value);
}

void list_genres(const call_ptr& c) {
  ask_reader<std::vector<model::genre>>(
      c,
      [=](std::vector<model::genre>& genres) {
        c->reply(200, json::genres_json(genres));
      },
      reply_failure_of(c), list_atom::value, genre_atom::value);
}

} // namespace bookstore::gateway::routes
