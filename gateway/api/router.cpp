#include "gateway/api/router.hpp"

#include <chrono>
#include <cstdio>
#include <string_view>
#include <vector>

#include "gateway/api/isbn_claims.hpp"
#include "gateway/api/path_match.hpp"
#include "gateway/api/placement.hpp"
#include "gateway/api/routes.hpp"
#include "gateway/auth/jwt.hpp"
#include "gateway/http/cors.hpp"
#include "gateway/http/parser.hpp"
#include "gateway/json/decode.hpp"
#include "gateway/uploads/upload_dir.hpp"
#include "model/time.hpp"

namespace bookstore::gateway {

namespace {

enum class access { anyone, user, admin };

struct route_entry {
  const char* method;
  const char* pattern; // segments; "{id}" is a positive integer, "{name}" any
  access who;
  void (*run)(const call_ptr&);
  placement where = placement::here; // which node runs it in a cluster
};

const route_entry table[] = {
    {"GET", "/health", access::anyone, routes::health},
    {"GET", "/metrics", access::anyone, routes::metrics},
    {"GET", "/openapi.json", access::anyone, routes::openapi},
    {"POST", "/auth/register", access::anyone, routes::register_user,
     placement::email},
    {"POST", "/auth/login", access::anyone, routes::login, placement::email},
    {"POST", "/auth/refresh", access::anyone, routes::refresh,
     placement::refresh},
    {"POST", "/auth/logout", access::anyone, routes::logout,
     placement::refresh},
    {"POST", "/books", access::admin, routes::create_book, placement::isbn},
    {"GET", "/books", access::anyone, routes::list_books, placement::gather},
    {"GET", "/books/{id}", access::anyone, routes::get_book, placement::book},
    {"PUT", "/books/{id}", access::admin, routes::update_book, placement::book},
    {"DELETE", "/books/{id}", access::admin, routes::delete_book,
     placement::book},
    {"PATCH", "/books/{id}/stock", access::admin, routes::set_stock,
     placement::book},
    {"POST", "/genres", access::admin, routes::create_genre, placement::genres},
    {"GET", "/genres", access::anyone, routes::list_genres, placement::genres},
    {"GET", "/cart", access::user, routes::get_cart, placement::user},
    {"POST", "/cart/items", access::user, routes::add_cart_item,
     placement::user},
    {"PUT", "/cart/items/{id}", access::user, routes::update_cart_item,
     placement::user},
    {"DELETE", "/cart/items/{id}", access::user, routes::delete_cart_item,
     placement::user},
    {"POST", "/orders/checkout", access::user, routes::checkout,
     placement::user},
    {"GET", "/orders", access::user, routes::list_orders, placement::user},
    {"GET", "/orders/{id}", access::user, routes::get_order, placement::user},
    {"GET", "/admin/orders", access::admin, routes::admin_orders,
     placement::gather},
    {"GET", "/admin/analytics/sales/summary", access::admin,
     routes::sales_summary, placement::gather},
    {"GET", "/admin/analytics/sales/top-books", access::admin,
     routes::top_books, placement::gather},
    {"GET", "/admin/analytics/inventory/low-stock", access::admin,
     routes::low_stock, placement::gather},
    // The first paths of the reports, kept as aliases.
    {"GET", "/admin/sales/summary", access::admin, routes::sales_summary,
     placement::gather},
    {"GET", "/admin/sales/top-books", access::admin, routes::top_books,
     placement::gather},
    {"GET", "/admin/inventory/low-stock", access::admin, routes::low_stock,
     placement::gather},
    // A new review starts on its author's node, which knows their orders,
    // and goes on to its book's (routes_reviews.cpp).
    {"POST", "/books/{id}/reviews", access::user, routes::create_review,
     placement::user},
    {"GET", "/books/{id}/reviews", access::anyone, routes::list_book_reviews,
     placement::book},
    {"GET", "/reviews/{id}", access::anyone, routes::get_review,
     placement::review},
    {"PATCH", "/reviews/{id}", access::user, routes::update_review,
     placement::review},
    {"DELETE", "/reviews/{id}", access::user, routes::delete_review,
     placement::review},
    {"GET", "/admin/reviews", access::admin, routes::admin_reviews,
     placement::gather},
    {"DELETE", "/admin/reviews/bulk", access::admin,
     routes::bulk_delete_reviews, placement::gather},
    {"POST", "/wishlist", access::user, routes::add_to_wishlist,
     placement::listed},
    {"GET", "/wishlist", access::user, routes::get_wishlist, placement::gather},
    {"DELETE", "/wishlist/{id}", access::user, routes::remove_from_wishlist,
     placement::book},
    {"POST", "/prebooks", access::user, routes::create_prebook,
     placement::listed},
    {"GET", "/prebooks", access::user, routes::list_prebooks,
     placement::gather},
    {"DELETE", "/prebooks/{id}", access::user, routes::cancel_prebook,
     placement::prebook},
    {"GET", "/admin/users", access::admin, routes::admin_users,
     placement::gather},
    {"PATCH", "/admin/users/{id}/deactivate", access::admin,
     routes::deactivate_user, placement::account},
    {"PATCH", "/admin/users/{id}/reactivate", access::admin,
     routes::reactivate_user, placement::account},
    {"POST", "/uploads/images", access::admin, routes::upload_image},
    {"GET", "/uploads/{name}", access::anyone, routes::get_upload,
     placement::upload},
    // What nodes ask each other (isbn_claims.hpp); a client's request is 404.
    {"POST", "/_cluster/isbn-claims", access::anyone, routes::claim_isbn},
    {"POST", "/_cluster/isbn-claims/settle", access::anyone,
     routes::settle_isbn_claim},
};

/// Reads the bearer token into c.who; answers 401 itself and returns false.
bool read_token(call& c) {
  auto header = c.req.header("authorization");
  constexpr std::string_view scheme = "Bearer ";
  if (header.empty() || header.size() <= scheme.size()
      || header.substr(0, scheme.size()) != scheme) {
    c.reply_http_error(401, "AUTH_REQUIRED", "Not authenticated");
    return false;
  }
  auto token = header.substr(scheme.size());
  auto now = model::unix_now();
  auto claims = c.ctx->tokens.find(token, now);
  if (!claims) {
    auto result = auth::verify_jwt(token, c.ctx->auth.jwt_secret, now);
    if (result.status == auth::jwt_status::expired) {
      c.reply_http_error(401, "AUTH_TOKEN_EXPIRED", "Token has expired");
      return false;
    }
    if (result.status != auth::jwt_status::ok) {
      c.reply_http_error(401, "AUTH_TOKEN_INVALID", "Invalid token");
      return false;
    }
    c.ctx->tokens.put(token, result.claims, now);
    claims = result.claims;
  }
  auto id = json::parse_path_id(claims->sub);
  if (!id) {
    c.reply_http_error(401, "AUTH_TOKEN_INVALID", "Invalid token");
    return false;
  }
  c.who.id = *id;
  c.who.admin = claims->role == "admin";
  return true;
}

/// Checks the token's account and role; answers 403 itself and returns
/// false.
bool check_account(call& c, access who) {
  // Immediate lockout without a database read: the account directory is
  // updated by the store before a deactivation is answered.
  if (!c.ctx->shop.accounts || !c.ctx->shop.accounts->active(c.who.id)) {
    c.reply_http_error(403, "AUTH_ACCOUNT_DEACTIVATED",
                       "Account deactivated. Contact support.");
    return false;
  }
  if (who == access::admin && !c.who.admin) {
    c.reply_http_error(403, "AUTH_FORBIDDEN", "Admin access required");
    return false;
  }
  return true;
}

/// Wraps the responder: one log line per request and the metrics.
http::responder logged(std::shared_ptr<context> ctx, http::responder respond,
                       std::string method, std::string path,
                       std::string route) {
  auto start = std::chrono::steady_clock::now();
  return [=](http::response res) {
    auto seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
            .count();
    // An answer lost on purpose (cluster) goes out as no status at all.
    int status = res.lost ? 0 : res.status;
    ctx->metrics.record(route, status, seconds);
    if (ctx->log_requests)
      std::fprintf(stderr, "%s %s %d %.3fms\n", method.c_str(), path.c_str(),
                   status, seconds * 1000);
    respond(std::move(res));
  };
}

} // namespace

std::size_t body_limit(std::string_view method, std::string_view path,
                       std::size_t default_limit) {
  std::int64_t unused = 0;
  if (method == "POST"
      && path_matches("/uploads/images", path_segments(path), unused))
    return uploads::max_image_bytes + uploads::max_framing_bytes;
  return default_limit;
}

namespace {

/// Who sent a request: a client of this node, or a peer node passing on its
/// client's request, perhaps with the token already checked (as_user).
struct origin {
  bool forwarded = false;
  model::user_id as_user = 0;
  bool as_admin = false;
};

/// In a cluster, passes the request to `node` if that is another node and
/// returns true; false if it runs here. `checked`: c.who goes along.
bool passed_to(const call_ptr& c, std::optional<std::size_t> node,
               bool checked) {
  if (!c->ctx->cluster || !node || *node == c->ctx->cluster->peers->self())
    return false;
  forward(c, *node, checked);
  return true;
}

void serve(caf::event_based_actor* self, const std::shared_ptr<context>& ctx,
           http::request&& req, http::responder respond, const origin& from) {
  // The path as received, not decoded: a decoded "%0A" would end the log
  // line and let a client write lines of its own.
  auto logged_path =
      http::log_escape(req.raw_path.empty() ? req.path : req.raw_path);
  if (http::is_preflight(req)) {
    // Any path: the browser asks before it knows whether the route exists.
    logged(ctx, std::move(respond), req.method, logged_path,
           "preflight")(http::preflight_answer(ctx->cors, req));
    return;
  }
  auto path = path_segments(req.path);
  const route_entry* found = nullptr;
  bool path_known = false;
  std::int64_t id = 0;
  for (auto& r : table) {
    if (!path_matches(r.pattern, path, id))
      continue;
    path_known = true;
    if (req.method == r.method) {
      found = &r;
      break;
    }
  }
  auto c = std::make_shared<call>();
  c->self = self;
  c->ctx = ctx;
  c->id = id;
  c->respond = logged(ctx, std::move(respond), req.method, logged_path,
                      found ? found->pattern : "unmatched");
  c->req = std::move(req);
  c->forwarded = from.forwarded;
  if (!found) {
    if (path_known)
      c->reply_http_error(405, "HTTP_405", "Method Not Allowed");
    else
      c->reply_http_error(404, "HTTP_404", "Not Found");
    return;
  }
  if (from.as_user != 0) {
    // Checked by the account's owner, which passed it on: it runs here.
    c->who.id = from.as_user;
    c->who.admin = from.as_admin;
    return found->run(c);
  }
  if (found->who != access::anyone) {
    if (!read_token(*c))
      return;
    // In a cluster the account's owner checks it: only it knows whether the
    // account is active.
    auto& cluster = c->ctx->cluster;
    if (cluster && passed_to(c, cluster->owners.owner_of_id(c->who.id), false))
      return;
    if (!check_account(*c, found->who))
      return;
  }
  // Then the owner of the route's data runs it, the token checked.
  if (c->ctx->cluster
      && passed_to(c, owner_node(*c, found->where),
                   found->who != access::anyone))
    return;
  found->run(c);
}

} // namespace

void route(caf::event_based_actor* self, const std::shared_ptr<context>& ctx,
           http::request&& req, http::responder respond) {
  serve(self, ctx, std::move(req), std::move(respond), origin{});
}

void route_forwarded(caf::event_based_actor* self,
                     const std::shared_ptr<context>& ctx, http::request&& req,
                     model::user_id as_user, bool as_admin,
                     http::responder respond) {
  serve(self, ctx, std::move(req), std::move(respond),
        origin{true, as_user, as_admin});
}

} // namespace bookstore::gateway
