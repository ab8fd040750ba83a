#include "gateway/api/order_listing.hpp"

#include <deque>
#include <limits>
#include <string>
#include <utility>
#include <vector>

#include "caf/all.hpp"
#include "caf/io/broker.hpp"

#include "actors/handles.hpp"
#include "cluster/front.hpp"
#include "gateway/api/ask.hpp"
#include "gateway/api/gather.hpp"
#include "gateway/api/placement.hpp"
#include "gateway/json/encode.hpp"
#include "gateway/json/errors.hpp"

namespace bookstore::gateway {

namespace {

using next_page_atom = caf::atom_constant<caf::atom("next_page")>;

struct pager_state {
  // Orders never change once written and new ones get higher ids, so paging
  // below the last id read lists each order of the first page's moment once.
  model::order_id before = std::numeric_limits<model::order_id>::max();
  bool first = true;
};

/// One listing's cursor. Each next_page reads a page from a reader and
/// answers it as the next piece of the array, and whether it is the last.
/// The pager quits after the last, or with the connection's route worker
/// (`worker`), which quits once its client is gone: a piece answered to a
/// connection that closed meanwhile stays in its broker's mailbox with the
/// pager as sender, and would keep it running (see route_worker).
caf::behavior order_pager(caf::stateful_actor<pager_state>* self,
                          reader_actor reader, model::user_id owner,
                          caf::actor worker) {
  self->monitor(worker);
  self->set_down_handler([self](caf::down_msg&) { self->quit(); });
  return {
      [=](next_page_atom) -> caf::result<std::string, bool> {
        auto rp = self->make_response_promise<std::string, bool>();
        ask_actor<std::vector<model::order>>(
            self, reader,
            [=](std::vector<model::order>& page) mutable {
              auto& st = self->state;
              bool last =
                  static_cast<std::int64_t>(page.size()) < orders_per_page;
              auto piece = json::orders_piece(page, st.first, last);
              st.first = false;
              if (!page.empty())
                st.before = page.back().id;
              rp.deliver(std::move(piece), last);
              if (last)
                self->quit();
            },
            [=](const caf::error& err) mutable {
              rp.deliver(err);
              self->quit();
            },
            list_atom::value,
            order_page_request{owner, self->state.before, orders_per_page});
        return rp;
      },
  };
}

/// The JSON text of rows as a piece of the listing's array (see
/// json::orders_piece: a piece after the first follows rows).
std::string rows_piece(const std::vector<std::string>& rows, bool first,
                       bool last) {
  std::string out = first ? "[" : "";
  for (const auto& row : rows) {
    if (!first || out.size() > 1)
      out += ',';
    out += row;
  }
  if (last)
    out += ']';
  return out;
}

/// One node's orders as the merger reads them: a page at a time, newest
/// first, below a cursor.
/// A row of a node's listing: its id and its JSON text.
struct order_row {
  model::order_id id = 0;
  std::string text;
};

struct order_source {
  std::deque<order_row> rows;
  model::order_id before = std::numeric_limits<model::order_id>::max();
  bool done = false;    // its last page is in `rows`
  bool reading = false; // a page is on its way
};

struct merger_state {
  std::vector<order_source> nodes;
  bool first = true;
  std::vector<std::string> piece; // rows of the piece being made
  caf::response_promise waiting;  // the next_page being answered
};

using merger_actor = caf::stateful_actor<merger_state>;

void fill_piece(merger_actor* self, const std::shared_ptr<context>& ctx,
                principal who);

/// Reads node `node`'s next page into its source, then goes on with the
/// piece. Another node's comes as its part of GET /admin/orders.
void read_page(merger_actor* self, const std::shared_ptr<context>& ctx,
               principal who, std::size_t node) {
  auto& source = self->state.nodes[node];
  source.reading = true;
  auto take = [=](std::vector<order_row> rows) {
    auto& source = self->state.nodes[node];
    source.reading = false;
    source.done = static_cast<std::int64_t>(rows.size()) < orders_per_page;
    if (!rows.empty())
      source.before = rows.back().id;
    for (auto& row : rows)
      source.rows.push_back(std::move(row));
    fill_piece(self, ctx, who);
  };
  auto fail = [self](const caf::error& err) {
    if (self->state.waiting.pending())
      self->state.waiting.deliver(err);
    self->quit();
  };
  if (node == ctx->cluster->peers->self()) {
    ask_actor<std::vector<model::order>>(
        self, ctx->shop.readers->next(),
        [take](std::vector<model::order>& page) {
          std::vector<order_row> rows;
          for (const auto& order : page)
            rows.push_back(
                {order.id, json::dump_body(json::order_json(order))});
          take(std::move(rows));
        },
        fail, list_atom::value,
        order_page_request{0, source.before, orders_per_page});
    return;
  }
  http::request page;
  page.method = "GET";
  page.path = page.raw_path = "/admin/orders";
  page.query =
      part_query("_before=" + std::to_string(source.before), orders_per_page);
  self->request(ctx->cluster->links, caf::infinite,
                cluster::forward_atom::value, static_cast<std::uint32_t>(node),
                peer_request_of(*ctx, page, who))
      .then(
          [take, fail](cluster::peer_response& res) {
            auto page = nlohmann::json::parse(res.body, nullptr, false);
            if (res.status != 200 || !page.is_array())
              return fail(model::make_error(
                  res.status == 503 ? model::error_code::node_unavailable
                                    : model::error_code::internal_error));
            std::vector<order_row> rows;
            for (const auto& order : page)
              rows.push_back({order.value("id", model::order_id{0}),
                              json::dump_body(order)});
            take(std::move(rows));
          },
          [fail](const caf::error&) {
            fail(model::make_error(model::error_code::node_unavailable));
          });
}

/// Adds the newest row of all nodes to the piece until it is full or every
/// node is read to its end; reads a node's next page first whenever its
/// rows ran out, since its next row could be the newest.
void fill_piece(merger_actor* self, const std::shared_ptr<context>& ctx,
                principal who) {
  auto& st = self->state;
  for (;;) {
    bool done = true;
    for (std::size_t node = 0; node < st.nodes.size(); ++node) {
      auto& source = st.nodes[node];
      if (source.rows.empty() && !source.done) {
        if (!source.reading)
          read_page(self, ctx, who, node);
        return; // on with the piece once the page is in
      }
      done = done && source.rows.empty();
    }
    if (done || static_cast<std::int64_t>(st.piece.size()) == orders_per_page) {
      auto piece = rows_piece(st.piece, st.first, done);
      st.first = false;
      st.piece.clear();
      st.waiting.deliver(std::move(piece), done);
      if (done)
        self->quit();
      return;
    }
    order_source* newest = nullptr;
    for (auto& source : st.nodes)
      if (!source.rows.empty()
          && (!newest || source.rows.front().id > newest->rows.front().id))
        newest = &source;
    st.piece.push_back(std::move(newest->rows.front().text));
    newest->rows.pop_front();
  }
}

/// A cluster's listing of every order: the nodes' listings merged, newest
/// first by id (as one server's; a cluster's ids follow time too, see
/// model::ownership::next_id), a piece of at most orders_per_page at a
/// time, each read when asked for, as order_pager does for one node.
caf::behavior order_merger(merger_actor* self, std::shared_ptr<context> ctx,
                           principal who, caf::actor worker) {
  self->state.nodes.resize(ctx->cluster->peers->size());
  self->monitor(worker);
  self->set_down_handler([self](caf::down_msg&) { self->quit(); });
  return {
      [=](next_page_atom) -> caf::result<std::string, bool> {
        self->state.waiting = self->make_response_promise<std::string, bool>();
        fill_piece(self, ctx, who);
        return self->state.waiting;
      },
  };
}

/// The connection's side: asks the pager for each next piece.
http::body_stream pieces_of(caf::actor pager) {
  return [pager](caf::io::broker* self, http::piece_receiver receive) {
    self->request(pager, caf::infinite, next_page_atom::value)
        .then(
            [receive](std::string& bytes, bool last) {
              receive(http::body_piece{std::move(bytes), last});
            },
            [receive](caf::error&) { receive(std::nullopt); });
  };
}

/// Asks the pager for every piece and answers them as one body: for a
/// request forwarded by another node, whose answer crosses as one message.
void reply_whole(const call_ptr& c, caf::actor pager,
                 std::shared_ptr<std::string> body) {
  c->self->request(pager, caf::infinite, next_page_atom::value)
      .then(
          [c, pager, body](std::string& piece, bool last) {
            *body += piece;
            if (!last)
              return reply_whole(c, pager, body);
            http::response res;
            res.body = std::move(*body);
            c->respond(std::move(res));
          },
          reply_failure_of(c));
}

} // namespace

void reply_order_listing(const call_ptr& c, model::user_id owner) {
  auto worker = caf::actor_cast<caf::actor>(c->self);
  if (owner == 0 && part_size(*c)) {
    // A node's part of a cluster's listing: one page below the cursor.
    auto before = part_value(*c, "_before")
                      .value_or(std::numeric_limits<model::order_id>::max());
    return ask_reader<std::vector<model::order>>(
        c,
        [c](std::vector<model::order>& page) {
          http::response res;
          res.body = json::orders_piece(page, true, true);
          c->respond(std::move(res));
        },
        reply_failure_of(c), list_atom::value,
        order_page_request{0, before, orders_per_page});
  }
  auto pager = owner == 0 && gathers(*c)
                   ? c->self->spawn(order_merger, c->ctx, c->who, worker)
                   : c->self->spawn(order_pager, c->ctx->shop.readers->next(),
                                    owner, worker);
  if (c->forwarded)
    return reply_whole(c, pager, std::make_shared<std::string>());
  c->self->request(pager, caf::infinite, next_page_atom::value)
      .then(
          [c, pager](std::string& first, bool last) {
            http::response res;
            res.body = std::move(first);
            if (!last)
              res.stream = pieces_of(pager);
            c->respond(std::move(res));
          },
          reply_failure_of(c));
}

} // namespace bookstore::gateway
