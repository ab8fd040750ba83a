#include "gateway/api/placement.hpp"

#include <string>
#include <string_view>
#include <utility>

#include <nlohmann/json.hpp>

#include "caf/all.hpp"

#include "actors/errors.hpp"
#include "cluster/front.hpp"
#include "gateway/auth/tokens.hpp"
#include "model/isbn.hpp"
#include "model/text.hpp"

namespace bookstore::gateway {

namespace {

/// The body's member `name`, if the body is a JSON object with one. A body
/// that is not decides nothing: it is refused where it lands.
std::optional<nlohmann::json> body_member(const call& c, const char* name) {
  auto body = nlohmann::json::parse(c.req.body, nullptr, false);
  if (!body.is_object())
    return std::nullopt;
  auto member = body.find(name);
  if (member == body.end())
    return std::nullopt;
  return std::move(*member);
}

std::optional<std::string> body_string(const call& c, const char* name) {
  auto member = body_member(c, name);
  if (!member || !member->is_string())
    return std::nullopt;
  return member->get<std::string>();
}

/// A positive integer (an id), or nothing.
std::optional<std::int64_t> body_id(const call& c, const char* name) {
  auto member = body_member(c, name);
  if (!member || !member->is_number_integer())
    return std::nullopt;
  auto id = member->get<std::int64_t>();
  return id > 0 ? std::optional<std::int64_t>{id} : std::nullopt;
}

/// The last segment of `path` ({name} of /uploads/{name}), as received.
std::string_view last_segment(std::string_view path) {
  return path.substr(path.rfind('/') + 1);
}

/// GET and HEAD change nothing: answering 503 for them is always true.
bool is_safe_method(const std::string& method) {
  return method == "GET" || method == "HEAD";
}

} // namespace

bool owned_elsewhere(const call& c, std::int64_t id) {
  auto& cluster = c.ctx->cluster;
  return cluster && cluster->owners.owner_of_id(id) != cluster->peers->self();
}

std::optional<std::size_t> owner_node(const call& c, placement where) {
  auto& owners = c.ctx->cluster->owners;
  switch (where) {
  case placement::here:
  case placement::gather: // the receiving node gathers
    return std::nullopt;
  case placement::genres:
    return genre_keeper;
  case placement::upload:
    return owners.owner_of_key(last_segment(c.req.path));
  case placement::user:
    return owners.owner_of_id(c.who.id);
  case placement::book:
  case placement::account:
  case placement::prebook:
  case placement::review:
    return owners.owner_of_id(c.id);
  case placement::listed:
    if (auto book = body_id(c, "book_id"))
      return owners.owner_of_id(*book);
    return std::nullopt; // refused where it lands
  case placement::email:
    if (auto email = body_string(c, "email"))
      return owners.owner_of_key(model::to_lower_ascii(*email));
    return std::nullopt;
  case placement::refresh:
    if (auto token = body_string(c, "refresh_token"))
      if (auto user = auth::refresh_token_user(*token))
        return owners.owner_of_id(user);
    return std::nullopt; // no node's token: refused where it lands
  case placement::isbn:
    // One book per ISBN: its owner alone can tell. A book without one goes
    // by its title, which spreads the catalog over the nodes.
    if (auto text = body_string(c, "isbn"))
      if (auto isbn = model::normalize_isbn(*text))
        return owners.owner_of_key(*isbn);
    if (auto title = body_string(c, "title"))
      return owners.owner_of_key(*title);
    return std::nullopt;
  }
  return std::nullopt;
}

cluster::peer_request peer_request_of(const context& ctx,
                                      const http::request& request,
                                      const principal& who) {
  auto wire = cluster::to_wire(request);
  wire.from = static_cast<std::uint32_t>(ctx.cluster->peers->self());
  wire.as_user = who.id;
  wire.as_admin = who.admin;
  return wire;
}

void forward(const call_ptr& c, std::size_t node, bool checked) {
  auto& view = *c->ctx->cluster;
  auto request =
      peer_request_of(*c->ctx, c->req, checked ? c->who : principal{});
  c->self
      ->request(view.links, caf::infinite, cluster::forward_atom::value,
                static_cast<std::uint32_t>(node), std::move(request))
      .then(
          [c](cluster::peer_response& res) {
            c->respond(cluster::to_http(std::move(res)));
          },
          [c](const caf::error& err) {
            // A write whose node died while running it may have happened
            // (a checkout's order committed just before): answering 503,
            // "nothing applied", could be false. The answer is lost.
            if (domain_code(err) != model::error_code::node_lost)
              return c->reply_failure(err);
            if (is_safe_method(c->req.method))
              return c->reply_error(model::error_code::node_unavailable);
            http::response res;
            res.lost = true;
            c->respond(std::move(res));
          });
}

void ask_node(const call_ptr& c, std::size_t node, http::request request,
              std::function<void(http::response)> then) {
  auto& view = *c->ctx->cluster;
  auto wire = peer_request_of(*c->ctx, request, c->who);
  c->self
      ->request(view.links, caf::infinite, cluster::forward_atom::value,
                static_cast<std::uint32_t>(node), std::move(wire))
      .then(
          [then](cluster::peer_response& res) {
            then(cluster::to_http(std::move(res)));
          },
          [then](const caf::error&) {
            then(error_response(model::error_code::node_unavailable));
          });
}

} // namespace bookstore::gateway
