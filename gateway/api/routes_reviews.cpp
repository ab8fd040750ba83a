// Reviews and their moderation: POST/GET /books/{id}/reviews,
// GET/PATCH/DELETE /reviews/{id}, GET /admin/reviews,
// DELETE /admin/reviews/bulk. After a committed write, the book actor of
// each book touched is given the book's new rating totals (newest version
// wins) before the client is answered, so GET /books/{id} stays a read of
// the book actor's memory and shows the write at once.
//
// In a cluster a review lives on its book's node, beside the rating totals
// its write keeps in one transaction, with an id of that node's, so a
// review's routes go there. Its author's orders live on the author's node:
// a new review starts there (router.cpp), which tells the book's node what
// it knows of the author (pass_to_books_node). The moderation list and the
// bulk delete ask every node that may hold their rows.

#include <algorithm>
#include <memory>
#include <optional>
#include <vector>

#include "actors/errors.hpp"
#include "gateway/api/ask.hpp"
#include "gateway/api/gather.hpp"
#include "gateway/api/placement.hpp"
#include "gateway/api/routes.hpp"
#include "gateway/json/decode_reviews.hpp"
#include "gateway/json/encode_reviews.hpp"
#include "gateway/json/parts.hpp"

namespace bookstore::gateway::routes {

namespace {

using model::error_code;

/// Gives the book actor its totals, then runs `then` (also when the book is
/// gone: its reviews went with it, and a new actor loads the row).
template <class Then>
void tell_rating(const call_ptr& c, const storage::rating_change& change,
                 Then then) {
  ask_via_registry<bool, book_actor, book_atom>(
      c, change.book, lookup_attempts, [then](bool) { then(); },
      [then](const caf::error&) { then(); }, rating_atom::value,
      change.totals.sum, change.totals.count, change.totals.version);
}

/// Tells every book of `changes` in turn, then runs `then`.
template <class Then>
void tell_ratings(const call_ptr& c,
                  std::shared_ptr<std::vector<storage::rating_change>> changes,
                  std::size_t next, Then then) {
  if (next >= changes->size())
    return then();
  tell_rating(c, (*changes)[next],
              [=] { tell_ratings(c, changes, next + 1, then); });
}

/// The handler of a review route's rejection; `owner_message` answers
/// NOT_REVIEW_OWNER.
auto reply_review_failure(const call_ptr& c, const char* owner_message) {
  return [c, owner_message](const caf::error& err) {
    switch (domain_code(err)) {
    case error_code::book_not_found:
      return c->reply_error(error_code::book_not_found, "Book not found",
                            "book_id");
    case error_code::not_purchased:
      return c->reply_error(
          error_code::not_purchased,
          "You must purchase this book before submitting a review", "book_id");
    case error_code::review_duplicate:
      return c->reply_error(error_code::review_duplicate,
                            "You have already reviewed this book", "book_id");
    case error_code::review_not_found:
      return c->reply_error(error_code::review_not_found, "Review not found");
    case error_code::not_review_owner:
      return c->reply_error(error_code::not_review_owner, owner_message);
    default:
      return c->reply_failure(err);
    }
  };
}

constexpr const char* modify_message = "You can only modify your own reviews";
constexpr const char* delete_message = "You can only delete your own reviews";

// The body members in which the author's node tells the book's node about
// the author (their email, and whether an order of theirs holds the book).
constexpr const char* author_email_member = "_author_email";
constexpr const char* author_purchased_member = "_author_purchased";

/// On the author's node, of a book of another node: passes the request on
/// to the book's node with what this node's file tells of the author,
/// written over any such members the client sent.
void pass_to_books_node(const call_ptr& c) {
  ask_reader<storage::review_author>(
      c,
      [c](storage::review_author& author) {
        // Decoded as an object before this ask.
        auto body = nlohmann::json::parse(c->req.body);
        body[author_email_member] = author.email;
        body[author_purchased_member] = author.purchased;
        c->req.body = body.dump();
        forward(c, c->ctx->cluster->owners.owner_of_id(c->id), true);
      },
      reply_failure_of(c), get_atom::value, review_atom::value,
      user_atom::value, c->who.id, c->id);
}

/// On the book's node, the author as their node told it: only for an
/// author of another node, whose requests reach this route here only from
/// their own node (pass_to_books_node). Nothing else: this file tells.
std::optional<storage::review_author> vouched_author(const call& c) {
  if (!c.forwarded || !owned_elsewhere(c, c.who.id))
    return std::nullopt;
  auto body = nlohmann::json::parse(c.req.body, nullptr, false);
  auto email = body.find(author_email_member);
  auto purchased = body.find(author_purchased_member);
  if (!body.is_object() || email == body.end() || !email->is_string()
      || purchased == body.end() || !purchased->is_boolean())
    return storage::review_author{}; // nobody vouched: no purchase known
  return storage::review_author{email->get<std::string>(),
                                purchased->get<bool>()};
}

} // namespace

void create_review(const call_ptr& c) {
  auto input = json::decode_review_create(c->req.body);
  if (!accepted(c, input))
    return;
  if (owned_elsewhere(*c, c->id))
    return pass_to_books_node(c);
  review_draft draft{c->who.id, c->id, input.value->rating, input.value->text,
                     vouched_author(*c)};
  ask_store<review_written>(
      c,
      [=](review_written& out) {
        if (out.error == error_code::duplicate_review) {
          nlohmann::ordered_json body;
          body["detail"] = "You have already reviewed this book";
          body["code"] = "DUPLICATE_REVIEW";
          body["existing_review_id"] = out.existing;
          return c->reply(409, json::dump_body(body));
        }
        auto review = out.review;
        tell_rating(c, out.rating,
                    [=] { c->reply(201, json::review_json(review)); });
      },
      reply_review_failure(c, modify_message), create_atom::value,
      std::move(draft));
}

void list_book_reviews(const call_ptr& c) {
  auto query = json::decode_review_page(c->req.query);
  if (!accepted(c, query))
    return;
  auto q = *query.value;
  ask_reader<storage::review_page>(
      c,
      [=](storage::review_page& page) {
        c->reply(200, json::review_page_json(page, q.page, q.size));
      },
      reply_failure_of(c), list_atom::value, review_atom::value, c->id, q.page,
      q.size);
}

void get_review(const call_ptr& c) {
  ask_store<storage::review_record>(
      c,
      [=](storage::review_record& review) {
        c->reply(200, json::review_json(review));
      },
      reply_review_failure(c, modify_message), get_atom::value,
      review_atom::value, c->id);
}

void update_review(const call_ptr& c) {
  auto input = json::decode_review_patch(c->req.body);
  if (!accepted(c, input))
    return;
  ask_store<review_written>(
      c,
      [=](review_written& out) {
        auto review = out.review;
        tell_rating(c, out.rating,
                    [=] { c->reply(200, json::review_json(review)); });
      },
      reply_review_failure(c, modify_message), update_atom::value,
      review_atom::value, c->id, c->who.id, *input.value);
}

void delete_review(const call_ptr& c) {
  ask_store<storage::rating_change>(
      c,
      [=](storage::rating_change& change) {
        tell_rating(c, change, [=] { c->reply_no_content(); });
      },
      reply_review_failure(c, delete_message), delete_atom::value,
      review_atom::value, c->id, c->who.id, c->who.admin);
}

void admin_reviews(const call_ptr& c) {
  auto query = json::decode_review_filter(c->req.query);
  if (!accepted(c, query))
    return;
  auto filter = *query.value;
  if (gathers(*c)) {
    // Every node's first page x per_page matches, merged in the order;
    // one book's reviews are all on its node.
    auto merge = [filter](const call_ptr& c,
                          std::vector<nlohmann::json>& parts) {
      c->reply(200, json::merge_admin_review_parts(parts, filter));
    };
    auto nodes = filter.book ? holders_of(*c, {*filter.book}) : every_node(*c);
    return gather_page(c, std::move(nodes), (filter.page - 1) * filter.per_page,
                       filter.per_page, admin_reviews, merge);
  }
  auto window = part_size(*c);
  if (window) {
    filter.page = 1;
    filter.per_page = *window;
  }
  ask_reader<storage::review_page>(
      c,
      [=](storage::review_page& page) {
        c->reply(200, window ? json::admin_review_part_json(page, filter)
                             : json::admin_review_page_json(page, filter));
      },
      reply_failure_of(c), list_atom::value, filter);
}

void bulk_delete_reviews(const call_ptr& c) {
  auto input = json::decode_review_bulk(c->req.body);
  if (!accepted(c, input))
    return;
  if (gathers(*c)) {
    // Each node that holds some of the ids deletes those (the others are
    // unknown there, so skipped), and the counts add up. One of them down
    // answers 503 while the others may have deleted theirs: the same
    // request again deletes the rest (and counts only those).
    return gather_from(
        c, holders_of(*c, *input.value), 1, bulk_delete_reviews,
        [](const call_ptr& c, std::vector<nlohmann::json>& parts) {
          std::int64_t deleted = 0;
          for (const auto& part : parts)
            deleted += part.at("deleted_count").get<std::int64_t>();
          c->reply(200, nlohmann::json{{"deleted_count", deleted}});
        });
  }
  ask_store<review_bulk_result>(
      c,
      [=](review_bulk_result& out) {
        auto deleted = out.deleted;
        auto changes = std::make_shared<std::vector<storage::rating_change>>(
            std::move(out.ratings));
        tell_ratings(c, changes, 0, [=] {
          c->reply(200, nlohmann::json{{"deleted_count", deleted}});
        });
      },
      reply_failure_of(c), delete_atom::value, review_bulk{*input.value});
}

} // namespace bookstore::gateway::routes
