// POST/GET /wishlist, DELETE /wishlist/{book_id}; POST/GET /prebooks,
// DELETE /prebooks/{id}. In a cluster the rows live on their books' nodes
// (placement::listed): a user's lists are gathered from every node.

#include "actors/errors.hpp"
#include "gateway/api/ask.hpp"
#include "gateway/api/gather.hpp"
#include "gateway/api/routes.hpp"
#include "gateway/json/lists.hpp"
#include "gateway/json/parts.hpp"

namespace bookstore::gateway::routes {

namespace {

using model::error_code;

/// Rejections with the original's details; those about the requested book
/// name the field book_id, as the original does.
auto reply_list_failure(const call_ptr& c) {
  return [c](const caf::error& err) {
    switch (auto code = domain_code(err)) {
    case error_code::book_not_found:
      return c->reply_error(code, "Book not found", "book_id");
    case error_code::wishlist_item_duplicate:
    case error_code::wishlist_item_not_found:
    case error_code::prebook_book_in_stock:
    case error_code::prebook_duplicate:
      return c->reply_error(code, {}, "book_id");
    default:
      return c->reply_failure(err);
    }
  };
}

/// A user's list from every node's part (in a cluster, each row lives on
/// its book's node): all of them, newest first by `time`.
merge_function merge_lists(const char* time) {
  return [time](const call_ptr& c, std::vector<nlohmann::json>& parts) {
    c->reply(200, json::merge_newest_first(parts, time));
  };
}

} // namespace

void add_to_wishlist(const call_ptr& c) {
  auto input = json::decode_book_ref(c->req.body);
  if (!accepted(c, input))
    return;
  ask_store<model::wishlist_item>(
      c,
      [=](model::wishlist_item& item) {
        c->reply(201, json::wishlist_item_json(item));
      },
      reply_list_failure(c), add_atom::value, wishlist_atom::value, c->who.id,
      *input.value);
}

void get_wishlist(const call_ptr& c) {
  if (gathers(*c))
    return gather(c, 1, get_wishlist, merge_lists("added_at"));
  ask_store<std::vector<model::wishlist_item>>(
      c,
      [=](std::vector<model::wishlist_item>& items) {
        c->reply(200, json::wishlist_json(items));
      },
      reply_list_failure(c), list_atom::value, wishlist_atom::value, c->who.id);
}

void remove_from_wishlist(const call_ptr& c) {
  ask_store<bool>(
      c, [=](bool) { c->reply_no_content(); }, reply_list_failure(c),
      remove_atom::value, wishlist_atom::value, c->who.id, c->id);
}

void create_prebook(const call_ptr& c) {
  auto input = json::decode_book_ref(c->req.body);
  if (!accepted(c, input))
    return;
  // The book's actor judges "out of stock": it serializes the stock, so a
  // restock or a checkout cannot slip between the check and the insert.
  ask_via_registry<model::prebook, book_actor, book_atom>(
      c, *input.value, lookup_attempts,
      [=](model::prebook& created) {
        c->reply(201, json::prebook_json(created));
      },
      reply_list_failure(c), prebook_atom::value, c->who.id);
}

void list_prebooks(const call_ptr& c) {
  if (gathers(*c))
    return gather(c, 1, list_prebooks, merge_lists("created_at"));
  ask_store<std::vector<model::prebook>>(
      c,
      [=](std::vector<model::prebook>& items) {
        c->reply(200, json::prebooks_json(items));
      },
      reply_list_failure(c), list_atom::value, prebook_atom::value, c->who.id);
}

void cancel_prebook(const call_ptr& c) {
  ask_store<bool>(
      c, [=](bool) { c->reply_no_content(); }, reply_list_failure(c),
      cancel_atom::value, prebook_atom::value, c->who.id, c->id);
}

} // namespace bookstore::gateway::routes
