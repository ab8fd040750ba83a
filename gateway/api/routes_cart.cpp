// GET /cart, POST /cart/items, PUT and DELETE /cart/items/{id}.

#include <algorithm>
#include <memory>
#include <vector>

#include "actors/errors.hpp"
#include "gateway/api/ask.hpp"
#include "gateway/api/placement.hpp"
#include "gateway/api/routes.hpp"
#include "gateway/json/decode.hpp"
#include "gateway/json/encode.hpp"

namespace bookstore::gateway::routes {

namespace {

using model::error_code;

using view_lines = std::vector<storage::cart_view_line>;

/// Completes the lines whose books live on other nodes (a cluster) from
/// those books' actors, all at once, then calls on_view. A book that is
/// gone keeps its line, with its id only, so that it can be removed.
template <class OnView>
void add_remote_books(const call_ptr& c, std::shared_ptr<view_lines> lines,
                      OnView on_view) {
  auto missing = std::make_shared<std::size_t>(
      std::count_if(lines->begin(), lines->end(),
                    [](const storage::cart_view_line& l) { return !l.here; }));
  if (*missing == 0)
    return on_view(*lines);
  auto one_more = [=] {
    if (--*missing == 0)
      on_view(*lines);
  };
  for (std::size_t i = 0; i < lines->size(); ++i) {
    if ((*lines)[i].here)
      continue;
    c->ctx->shop.metrics->count_peer_messages(2);
    ask_via_registry<model::book, book_actor, book_atom>(
        c, (*lines)[i].line.book, lookup_attempts,
        [=](model::book& book) {
          (*lines)[i].book = {book.id, book.title, book.author,
                              book.cover_image_url, book.price};
          one_more();
        },
        [=](const caf::error&) { one_more(); }, get_atom::value);
  }
}

/// The cart of the caller with its books, as the store has it: the cart
/// actor persists every change before it acknowledges it.
template <class OnView> void with_cart_view(const call_ptr& c, OnView on_view) {
  ask_store<view_lines>(
      c,
      [=](view_lines& lines) {
        add_remote_books(c, std::make_shared<view_lines>(std::move(lines)),
                         on_view);
      },
      reply_failure_of(c), list_atom::value, cart_atom::value, c->who.id);
}

/// Answers with one line of the caller's cart.
void reply_line(const call_ptr& c, int status, model::cart_item_id item) {
  with_cart_view(c, [=](view_lines& lines) {
    auto i = std::find_if(lines.begin(), lines.end(),
                          [&](auto& l) { return l.line.id == item; });
    if (i == lines.end())
      c->reply_error(error_code::cart_item_not_found);
    else
      c->reply(status, json::cart_item_json(*i));
  });
}

/// An item the caller's cart does not hold is another user's (403) or
/// nobody's (404), as this node's file tells.
void reply_not_callers_item(const call_ptr& c) {
  ask_store<model::user_id>(
      c,
      [=](model::user_id owner) {
        if (owner != 0 && owner != c->who.id)
          c->reply_error(error_code::cart_item_forbidden,
                         "This cart item belongs to another user");
        else
          c->reply_error(error_code::cart_item_not_found);
      },
      reply_failure_of(c), owner_atom::value, c->id);
}

/// An item the caller's cart does not hold: in a cluster, one whose id is
/// of another node may be that node's user's, which only that node knows,
/// so it answers (the request runs there as a caller of another node's,
/// which changes nothing: see refused_as_foreign_caller).
auto reply_item_failure(const call_ptr& c) {
  return [c](const caf::error& err) {
    if (domain_code(err) != error_code::cart_item_not_found)
      return c->reply_failure(err);
    if (!owned_elsewhere(*c, c->id))
      return reply_not_callers_item(c);
    ask_node(c, c->ctx->cluster->owners.owner_of_id(c->id), c->req,
             [c](http::response res) { c->respond(std::move(res)); });
  };
}

/// The request of a caller of another node, which this one has been asked
/// about (reply_item_failure): no cart here holds that caller's items.
bool refused_as_foreign_caller(const call_ptr& c) {
  if (!owned_elsewhere(*c, c->who.id))
    return false;
  reply_not_callers_item(c);
  return true;
}

} // namespace

void get_cart(const call_ptr& c) {
  with_cart_view(
      c, [=](view_lines& lines) { c->reply(200, json::cart_json(lines)); });
}

void add_cart_item(const call_ptr& c) {
  auto input = json::decode_cart_add(c->req.body);
  if (!accepted(c, input))
    return;
  // The cart answers with the book it checked, so no read is needed here.
  ask_cart<storage::cart_view_line>(
      c,
      [=](storage::cart_view_line& added) {
        c->reply(201, json::cart_item_json(added));
      },
      reply_failure_of(c), add_atom::value, input.value->book_id,
      input.value->quantity);
}

void update_cart_item(const call_ptr& c) {
  auto input = json::decode_cart_quantity(c->req.body);
  if (!accepted(c, input) || refused_as_foreign_caller(c))
    return;
  ask_cart<model::cart_line>(
      c, [=](model::cart_line& line) { reply_line(c, 200, line.id); },
      reply_item_failure(c), change_atom::value, c->id, *input.value);
}

void delete_cart_item(const call_ptr& c) {
  if (refused_as_foreign_caller(c))
    return;
  ask_cart<bool>(
      c, [=](bool) { c->reply_no_content(); }, reply_item_failure(c),
      remove_atom::value, c->id);
}

} // namespace bookstore::gateway::routes
