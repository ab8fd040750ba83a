// GET /health, /metrics (Prometheus text), /openapi.json.

#include <cstdio>
#include <string>
#include <utility>

#include "gateway/api/openapi.hpp"
#include "gateway/api/routes.hpp"
#include "model/errors.hpp"

namespace bookstore::gateway::routes {

namespace {

void gauge(std::string& out, const char* name, const char* help,
           const char* type, double value) {
  char line[256];
  std::snprintf(line, sizeof(line), "# HELP %s %s\n# TYPE %s %s\n%s %.17g\n",
                name, help, name, type, name, value);
  out += line;
}

std::string core_metrics_text(const core_metrics& m) {
  std::string out;
  out += "# HELP bookstore_checkouts_total Checkouts by outcome.\n"
         "# TYPE bookstore_checkouts_total counter\n";
  for (std::size_t i = 0; i < m.checkouts.size(); ++i) {
    auto count = m.checkouts[i].load(std::memory_order_relaxed);
    if (count == 0)
      continue;
    auto code = static_cast<model::error_code>(i);
    char line[160];
    std::snprintf(
        line, sizeof(line), "bookstore_checkouts_total{outcome=\"%s\"} %llu\n",
        code == model::error_code::none ? "CONFIRMED" : model::code_name(code),
        static_cast<unsigned long long>(count));
    out += line;
  }
  gauge(out, "bookstore_live_book_actors", "Book actors running.", "gauge",
        static_cast<double>(m.live_books.load()));
  gauge(out, "bookstore_live_cart_actors", "Cart actors running.", "gauge",
        static_cast<double>(m.live_carts.load()));
  gauge(out, "bookstore_store_commits_total", "SQLite write transactions.",
        "counter", static_cast<double>(m.commits.load()));
  gauge(out, "bookstore_store_writes_total",
        "Writes committed (the sum of all batch sizes).", "counter",
        static_cast<double>(m.writes_committed.load()));
  gauge(out, "bookstore_store_orders_total", "Orders committed.", "counter",
        static_cast<double>(m.orders_committed.load()));
  gauge(out, "bookstore_store_failed_batches_total",
        "Write transactions rolled back.", "counter",
        static_cast<double>(m.failed_batches.load()));
  // The mock provider's ledger: charges - refunds = confirmed orders.
  gauge(out, "bookstore_payment_charges_total",
        "Charges the payment provider approved.", "counter",
        static_cast<double>(m.payment_charges.load()));
  gauge(out, "bookstore_payment_charged_cents_total",
        "Cents of the approved charges.", "counter",
        static_cast<double>(m.payment_charged_cents.load()));
  gauge(out, "bookstore_payment_refunds_total",
        "Approved charges voided because no order was created.", "counter",
        static_cast<double>(m.payment_refunds.load()));
  gauge(out, "bookstore_payment_refunded_cents_total",
        "Cents of the voided charges.", "counter",
        static_cast<double>(m.payment_refunded_cents.load()));
  return out;
}

/// A node's view of its cluster: the peers' states, the messages each way.
void add_cluster_health(nlohmann::json& body, const cluster::peer_table& t) {
  body["node"] = t.name(t.self());
  auto peers = nlohmann::json::object();
  for (std::size_t node = 0; node < t.size(); ++node)
    if (node != t.self())
      peers[t.name(node)] = t.up(node) ? "up" : "down";
  body["peers"] = std::move(peers);
}

std::string cluster_metrics_text(const cluster::peer_table& t,
                                 const core_metrics& m) {
  std::string out;
  gauge(out, "bookstore_cluster_actor_messages_total",
        "Messages to and from other nodes' actors (request and answer: two).",
        "counter", static_cast<double>(m.peer_actor_messages.load()));
  out += "# HELP bookstore_cluster_messages_total Messages exchanged with "
         "each peer node's links (requests passed on, pings).\n"
         "# TYPE bookstore_cluster_messages_total counter\n";
  for (std::size_t node = 0; node < t.size(); ++node) {
    if (node == t.self())
      continue;
    for (auto [direction, count] :
         {std::pair{"out", t.sent(node)}, std::pair{"in", t.received(node)}}) {
      out += "bookstore_cluster_messages_total{peer=\"" + t.name(node)
             + "\",direction=\"" + direction + "\"} " + std::to_string(count)
             + "\n";
    }
  }
  return out;
}

} // namespace

void health(const call_ptr& c) {
  nlohmann::json body = {{"status", "ok"}, {"version", BOOKSTORE_VERSION}};
  if (c->ctx->cluster)
    add_cluster_health(body, *c->ctx->cluster->peers);
  c->reply(200, body);
}

void metrics(const call_ptr& c) {
  http::response res;
  res.content_type = "text/plain; version=0.0.4";
  res.body =
      c->ctx->metrics.render() + core_metrics_text(*c->ctx->shop.metrics);
  if (c->ctx->cluster)
    res.body +=
        cluster_metrics_text(*c->ctx->cluster->peers, *c->ctx->shop.metrics);
  c->respond(std::move(res));
}

void openapi(const call_ptr& c) {
  http::response res;
  res.body = openapi_document();
  c->respond(std::move(res));
}

} // namespace bookstore::gateway::routes
