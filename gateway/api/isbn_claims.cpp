// One live book per ISBN over a cluster's nodes (isbn_claims.hpp).

#include "gateway/api/isbn_claims.hpp"

#include <cstdint>
#include <utility>

#include <nlohmann/json.hpp>

#include "actors/errors.hpp"
#include "gateway/api/ask.hpp"
#include "gateway/api/placement.hpp"
#include "gateway/auth/tokens.hpp"

namespace bookstore::gateway {

namespace {

using model::error_code;
using storage::isbn_claim;

/// How many claims in the way one request settles before it gives up with
/// 409: each settled one is gone, so more means others keep claiming.
constexpr int claim_settlements = 3;

constexpr const char* claims_path = "/_cluster/isbn-claims";
constexpr const char* settle_path = "/_cluster/isbn-claims/settle";

http::request claim_request(const char* path, const isbn_claim& claim) {
  http::request req;
  req.method = "POST";
  req.path = req.raw_path = path;
  req.body = nlohmann::json{{"isbn", claim.isbn},
                            {"book_id", claim.book},
                            {"token", claim.token}}
                 .dump();
  return req;
}

/// A claim as a node sends it, or nothing for a body that is not one.
std::optional<isbn_claim> decode_claim(const std::string& body) {
  auto j = nlohmann::json::parse(body, nullptr, false);
  if (!j.is_object())
    return std::nullopt;
  auto isbn = j.find("isbn");
  auto book = j.find("book_id");
  auto token = j.find("token");
  if (isbn == j.end() || !isbn->is_string() || book == j.end()
      || !book->is_number_integer() || token == j.end() || !token->is_string())
    return std::nullopt;
  isbn_claim claim{isbn->get<std::string>(), book->get<std::int64_t>(),
                   token->get<std::string>()};
  if (claim.isbn.empty() || claim.isbn.size() > 13 || claim.book <= 0
      || claim.token.empty() || claim.token.size() > 64)
    return std::nullopt;
  return claim;
}

/// On the ISBN's node: asks the node of `claim`'s book whether the claim
/// holds, then runs `held`; else drops it and runs `freed`.
void settle_claim(const call_ptr& c, const isbn_claim& claim,
                  std::function<void()> held, std::function<void()> freed) {
  auto node = c->ctx->cluster->owners.owner_of_id(claim.book);
  ask_node(c, node, claim_request(settle_path, claim),
           [c, claim, held, freed](http::response res) {
             if (res.status != 200)
               return c->respond(std::move(res));
             auto answer = nlohmann::json::parse(res.body, nullptr, false);
             auto verdict =
                 answer.is_object() ? answer.find("held") : answer.end();
             if (verdict == answer.end() || !verdict->is_boolean())
               return c->respond(failure_response(caf::error{}));
             if (verdict->get<bool>())
               return held();
             ask_store<bool>(
                 c, [freed](bool) { freed(); }, reply_failure_of(c),
                 remove_atom::value, isbn_atom::value, claim);
           });
}

/// On the ISBN's node, for a write of its own: runs `next` once no other
/// node's book claims `isbn` (the write's transaction checks again).
void clear_claims(const call_ptr& c, const std::string& isbn,
                  model::book_id book, std::function<void(std::string)> next,
                  int settlements) {
  ask_store<isbn_claim>(
      c,
      [=](isbn_claim& found) {
        if (found.book == 0 || found.book == book)
          return next(std::string{});
        if (settlements == 0)
          return reply_isbn_conflict(*c);
        settle_claim(
            c, found, [c] { reply_isbn_conflict(*c); },
            [=] { clear_claims(c, isbn, book, next, settlements - 1); });
      },
      reply_failure_of(c), get_atom::value, isbn_atom::value, isbn);
}

/// On the ISBN's node, for another node's book: keeps `wanted` and answers
/// 200 with its token, settling the claim in its way first. That may be
/// the same book's own earlier claim (a PUT sent twice, or the ISBN kept by
/// a later PUT): if it holds, its token is the answer; if not, it is voided
/// before a new token is given. So every token but the kept one is void,
/// and a change still on its way under an older one cannot land after the
/// kept one is found stale.
void grant_claim(const call_ptr& c, const isbn_claim& wanted, int settlements) {
  ask_store<isbn_claim>(
      c,
      [=](isbn_claim& kept) {
        auto granted = [c, token = kept.token] {
          c->reply(200, nlohmann::json{{"token", token}});
        };
        if (kept.token == wanted.token)
          return granted();
        if (settlements == 0)
          return reply_isbn_conflict(*c);
        auto held = [c, granted, own = kept.book == wanted.book] {
          if (own)
            return granted();
          reply_isbn_conflict(*c);
        };
        settle_claim(c, kept, held,
                     [=] { grant_claim(c, wanted, settlements - 1); });
      },
      [c](const caf::error& err) {
        if (domain_code(err) == error_code::book_isbn_conflict)
          return reply_isbn_conflict(*c);
        c->reply_failure(err);
      },
      create_atom::value, isbn_atom::value, wanted);
}

/// A node's own question: a client's request is answered as an unknown
/// path. Decodes the claim, or answers 422 and gives nothing.
std::optional<isbn_claim> node_claim(const call_ptr& c) {
  if (!c->forwarded || !c->ctx->cluster) {
    c->reply_http_error(404, "HTTP_404", "Not Found");
    return std::nullopt;
  }
  auto claim = decode_claim(c->req.body);
  if (!claim)
    c->reply_validation("body", "isbn", "Not an ISBN claim");
  return claim;
}

} // namespace

void reply_isbn_conflict(const call& c) {
  c.reply_error(error_code::book_isbn_conflict,
                "A book with this ISBN already exists", "isbn");
}

void take_isbn(const call_ptr& c, const std::string& isbn, model::book_id book,
               std::function<void(std::string claim)> next) {
  auto& cluster = c->ctx->cluster;
  if (!cluster)
    return next(std::string{});
  auto owner = cluster->owners.owner_of_key(isbn);
  if (owner == cluster->peers->self())
    return clear_claims(c, isbn, book, std::move(next), claim_settlements);
  isbn_claim wanted{isbn, book, auth::random_token(18)};
  ask_node(c, owner, claim_request(claims_path, wanted),
           [c, next](http::response res) {
             if (res.status != 200)
               return c->respond(std::move(res));
             // The token kept there: ours, or the book's earlier one.
             auto answer = nlohmann::json::parse(res.body, nullptr, false);
             auto token =
                 answer.is_object() ? answer.find("token") : answer.end();
             if (token == answer.end() || !token->is_string()
                 || token->get<std::string>().empty())
               return c->respond(failure_response(caf::error{}));
             next(token->get<std::string>());
           });
}

namespace routes {

void claim_isbn(const call_ptr& c) {
  if (auto claim = node_claim(c))
    grant_claim(c, *claim, claim_settlements);
}

void settle_isbn_claim(const call_ptr& c) {
  if (auto claim = node_claim(c))
    ask_store<bool>(
        c,
        [c](bool held) {
          c->reply(200, nlohmann::json{{"held", held}});
        },
        reply_failure_of(c), settle_atom::value, isbn_atom::value, *claim);
}

} // namespace routes

} // namespace bookstore::gateway
