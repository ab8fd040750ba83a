#include "gateway/api/order_listing.hpp"

#include <limits>
#include <string>
#include <utility>
#include <vector>

#include "caf/all.hpp"
#include "caf/io/broker.hpp"

#include "actors/handles.hpp"
#include "gateway/api/ask.hpp"
#include "gateway/json/encode.hpp"

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
  auto pager = c->self->spawn(order_pager, c->ctx->shop.readers->next(), owner,
                              caf::actor_cast<caf::actor>(c->self));
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
