#include "actors/checkout_actor.hpp"

#include <chrono>
#include <random>

#include "actors/errors.hpp"
#include "actors/patience.hpp"
#include "actors/registry_actor.hpp"
#include "model/time.hpp"

namespace bookstore {

namespace {

using checkout_self = checkout_actor::stateful_pointer<checkout_state>;
using model::error_code;

/// The hold's name at the book: the saga's id, unique on this node; for a
/// book of another node the transfer id, unique across nodes.
ticket ticket_of(checkout_self self, const line_progress& l) {
  return l.remote ? static_cast<ticket>(self->state.transfer) : self->id();
}

/// A transfer id: random, positive, 63 bits; two checkouts of a cluster
/// sharing one is as likely as guessing a 63-bit secret.
std::int64_t new_transfer_id() {
  thread_local std::mt19937_64 rng{std::random_device{}()};
  std::int64_t id = 0;
  while (id == 0)
    id = static_cast<std::int64_t>(rng() >> 1);
  return id;
}

/// Counts `n` messages with `l`'s book if it is another node's
/// (core_metrics::peer_actor_messages).
void count_remote(checkout_self self, const line_progress& l, std::uint64_t n) {
  if (l.remote)
    self->state.metrics->count_peer_messages(n);
}

/// The checkout across nodes has decided (or given up): the registry stops
/// answering "pending" for it.
void end_transfer(checkout_self self) {
  auto& st = self->state;
  if (st.transfer != 0)
    self->send(st.peers.registry, transfer_atom::value, finished_atom::value,
               st.transfer);
}

void finish(checkout_self self, checkout_outcome outcome,
            std::vector<model::cart_line> sold) {
  auto& st = self->state;
  st.phase = checkout_phase::done;
  st.metrics->count_checkout(outcome.error);
  // The cart hears of the outcome before the client does, so the client's
  // next look at its cart already sees it.
  self->send(st.peers.cart, finished_atom::value, std::move(sold));
  st.promise.deliver(std::move(outcome));
  // A charge still out may yet be approved; the saga stays to void it.
  if (!st.awaiting_payment)
    self->quit();
}

/// Releases every reservation this checkout may hold and aborts every part
/// prepared on another node; the cart stays as is.
void fail(checkout_self self, error_code code,
          std::vector<model::shortage> shortages = {}) {
  auto& st = self->state;
  for (auto& l : st.lines) {
    if (l.reserve_sent) {
      self->send(l.book, release_atom::value, ticket_of(self, l));
      count_remote(self, l, 1);
    }
    // A part lost on the way is ended by its owner's recovery, which asks
    // the registry here: no decision, so aborted.
    if (l.prepare_sent) {
      caf::anon_send(l.book, finish_atom::value, st.transfer, false);
      count_remote(self, l, 1);
    }
  }
  end_transfer(self);
  checkout_outcome outcome;
  outcome.error = code;
  outcome.shortages = std::move(shortages);
  finish(self, std::move(outcome), {});
}

void commit(checkout_self self, model::order order) {
  auto& st = self->state;
  std::vector<model::cart_line> sold;
  for (auto& l : st.lines) {
    if (l.remote) {
      caf::anon_send(l.book, finish_atom::value, st.transfer, true);
      count_remote(self, l, 1);
    } else
      self->send(l.book, commit_atom::value, ticket_of(self, l),
                 l.line.quantity);
    sold.push_back(l.line);
  }
  end_transfer(self);
  checkout_outcome outcome;
  outcome.order = std::move(order);
  finish(self, std::move(outcome), std::move(sold));
}

/// Voids an approved charge: the provider's answer comes first, then `next`.
template <class Next> void refund_then(checkout_self self, Next next) {
  auto& st = self->state;
  self->request(st.peers.payment, caf::infinite, refund_atom::value, st.charge,
                st.total)
      .then([=](bool) { next(); }, [=](caf::error&) { next(); });
}

void persist(checkout_self self) {
  auto& st = self->state;
  st.phase = checkout_phase::persisting;
  order_draft draft;
  draft.owner = st.owner;
  draft.created_at = model::iso8601_utc(std::chrono::system_clock::now());
  draft.idempotency_key = st.request.idempotency_key;
  draft.idempotency_at = st.request.idempotency_at;
  draft.transfer_id = st.transfer;
  for (auto& l : st.lines) {
    model::order_line line;
    line.book = l.line.book;
    line.quantity = l.line.quantity;
    line.unit_price = l.reply.book.price;
    line.summary = l.reply.book;
    draft.lines.push_back(std::move(line));
    draft.sold_items.push_back(l.line.id);
    if (l.remote)
      draft.remote_books.push_back(l.line.book);
  }
  // No deadline from here on: the store always answers, and abandoning a
  // write that may still commit would sell copies twice.
  self->request(st.peers.store, caf::infinite, create_atom::value, draft)
      .then([=](model::order& order) { commit(self, std::move(order)); },
            [=](caf::error& err) {
              auto code = domain_code(err);
              if (code == error_code::internal_error)
                code = error_code::store_unavailable;
              // Nothing was sold: the buyer gets their money back before
              // they hear of it, so a retry never pays twice.
              refund_then(self, [=] { fail(self, code); });
            });
}

/// Gives up after the charge was approved: the buyer gets their money back
/// before they hear of it. Late answers of the books are ignored.
void refund_and_fail(checkout_self self, error_code code) {
  self->state.phase = checkout_phase::done;
  refund_then(self, [=] { fail(self, code); });
}

/// A remote line's prepare failed: why, as the client hears it.
error_code prepare_failure(const caf::error& err) {
  switch (auto code = domain_code(err)) {
  case error_code::book_not_found:
    return error_code::order_items_unavailable;
  case error_code::internal_error:
  case error_code::store_unavailable: // the book's actor or node is gone
    return error_code::node_unavailable;
  default:
    return code;
  }
}

/// Every book of another node turns its hold into a durable part of the
/// transfer; once all have, the order (and with it the decision) is
/// written. Any refusal, or the deadline, aborts them all.
void prepare(checkout_self self) {
  auto& st = self->state;
  st.phase = checkout_phase::preparing;
  for (std::size_t i = 0; i < st.lines.size(); ++i) {
    auto& l = st.lines[i];
    if (!l.remote)
      continue;
    l.prepare_sent = true;
    count_remote(self, l, 2);
    // Bounded: a node that stopped answering fails the checkout in time;
    // a part it prepares after all is aborted by its recovery.
    self->request(l.book, patience(self, l.book), prepare_atom::value,
                  ticket_of(self, l), st.transfer, l.line.quantity, st.node)
        .then(
            [=](bool) {
              auto& st = self->state;
              st.lines[i].prepared = true;
              if (st.phase == checkout_phase::preparing && --st.unprepared == 0)
                persist(self);
            },
            [=](caf::error& err) {
              if (self->state.phase == checkout_phase::preparing)
                refund_and_fail(self, prepare_failure(err));
            });
  }
}

void charge(checkout_self self) {
  auto& st = self->state;
  st.phase = checkout_phase::paying;
  model::cents total = 0;
  for (auto& l : st.lines)
    total += l.reply.book.price * l.line.quantity;
  st.total = total;
  st.awaiting_payment = true;
  self->request(st.peers.payment, caf::infinite, charge_atom::value, total,
                st.request.force_payment_failure)
      .then(
          [=](payment_receipt& receipt) {
            auto& st = self->state;
            st.awaiting_payment = false;
            if (receipt.approved)
              st.charge = receipt.charge;
            if (st.phase != checkout_phase::paying) {
              // The deadline passed first (504): nothing will be sold.
              if (receipt.approved)
                refund_then(self, [=] { self->quit(); });
              else
                self->quit();
              return;
            }
            if (!receipt.approved)
              fail(self, error_code::order_payment_failed);
            else if (st.transfer != 0)
              prepare(self);
            else
              persist(self);
          },
          [=](caf::error&) {
            self->state.awaiting_payment = false;
            if (self->state.phase == checkout_phase::paying)
              fail(self, error_code::order_payment_failed);
            else
              self->quit();
          });
}

/// All lines answered: go on to payment, or fail with every short line.
void evaluate(checkout_self self) {
  std::vector<model::shortage> shortages;
  bool gone = false;
  auto worst = error_code::none;
  for (auto& l : self->state.lines) {
    if (l.error != error_code::none)
      worst = l.error;
    else if (l.reply.status == reservation_status::gone)
      gone = true;
    else if (l.reply.status == reservation_status::short_stock)
      shortages.push_back({l.line.book, l.reply.book.title, l.line.quantity,
                           l.reply.available});
  }
  if (worst != error_code::none)
    fail(self, worst);
  else if (gone)
    fail(self, error_code::order_items_unavailable);
  else if (!shortages.empty())
    fail(self, error_code::order_insufficient_stock, std::move(shortages));
  else
    charge(self);
}

void answered(checkout_self self, std::size_t i, reservation_reply reply,
              error_code error) {
  auto& st = self->state;
  if (st.phase != checkout_phase::reserving || st.lines[i].answered)
    return;
  st.lines[i].answered = true;
  st.lines[i].reply = std::move(reply);
  st.lines[i].error = error;
  if (--st.unanswered == 0)
    evaluate(self);
}

void reserve_line(checkout_self self, std::size_t i) {
  auto& st = self->state;
  auto& l = st.lines[i];
  ++l.lookups;
  self->request(st.peers.registry, caf::infinite, book_atom::value, l.line.book)
      .then(
          [=](book_actor& book) {
            auto& l = self->state.lines[i];
            l.book = book;
            l.reserve_sent = true;
            // Another node's book: if it goes (its node died, or the link
            // broke), an answer in flight never comes (on_book_down).
            if (l.remote)
              self->monitor(book);
            count_remote(self, l, 2);
            self->request(book, patience(self, book), reserve_atom::value,
                          ticket_of(self, l), l.line.quantity)
                .then(
                    [=](reservation_reply& reply) {
                      answered(self, i, std::move(reply), error_code::none);
                    },
                    [=](caf::error& err) {
                      // The book actor passivated after the lookup: look
                      // again.
                      if (receiver_gone(err)
                          && self->state.lines[i].lookups < max_book_lookups)
                        reserve_line(self, i);
                      else
                        answered(self, i, {}, domain_code(err));
                    });
          },
          [=](caf::error& err) {
            auto code = domain_code(err);
            if (code
                == error_code::book_not_found) // deleted since it was added
              answered(self, i, {}, error_code::none);
            else
              answered(self, i, {}, code);
          });
}

/// Another node's book actor is gone: its node died or the link broke,
/// unless it merely passivated, which it does only without our hold. An
/// answer that was on its way never comes, so the line fails now rather
/// than at the deadline.
void on_book_down(checkout_self self, const caf::actor_addr& who) {
  auto& st = self->state;
  for (std::size_t i = 0; i < st.lines.size(); ++i) {
    auto& l = st.lines[i];
    if (!l.remote || l.book.address() != who)
      continue;
    if (st.phase == checkout_phase::reserving) {
      if (!l.answered)
        answered(self, i, {}, error_code::node_unavailable);
      else
        l.error = error_code::node_unavailable; // its hold is lost
    } else if (st.phase == checkout_phase::preparing && !l.prepared) {
      refund_and_fail(self, error_code::node_unavailable);
    }
    // Paying: the prepare that follows is bounced and fails the checkout.
    // Persisting or later: the part is durable, its owner's recovery ends it.
  }
}

void on_deadline(checkout_self self) {
  switch (self->state.phase) {
  case checkout_phase::reserving:
    fail(self, error_code::checkout_timeout);
    break;
  case checkout_phase::paying:
    fail(self, error_code::payment_timeout);
    break;
  case checkout_phase::preparing:
    // A node that does not answer: nothing is sold anywhere.
    refund_and_fail(self, error_code::checkout_timeout);
    break;
  default:
    break; // persisting: the store's answer decides
  }
}

} // namespace

checkout_actor::behavior_type checkout(checkout_self self, model::user_id owner,
                                       std::vector<model::cart_line> lines,
                                       checkout_request request,
                                       checkout_peers peers, core_config config,
                                       std::shared_ptr<core_metrics> metrics) {
  auto& st = self->state;
  st.owner = owner;
  st.request = request;
  st.peers = std::move(peers);
  st.metrics = std::move(metrics);
  st.node = config.id_space_index;
  for (auto& line : lines) {
    line_progress l;
    l.line = line;
    l.remote = (line.book - 1) % config.id_space_count != st.node;
    if (l.remote)
      ++st.unprepared;
    st.lines.push_back(std::move(l));
  }
  st.unanswered = st.lines.size();
  auto timeout = config.checkout_timeout;
  // The cart passes the deadline on: without it (the node is stopping and
  // the registry ended its carts) the saga gives up as at the deadline,
  // rather than keep the actor system waiting for a node that is gone.
  self->monitor(st.peers.cart);
  self->set_down_handler([=](caf::down_msg& msg) {
    if (msg.source == self->state.peers.cart.address())
      on_deadline(self);
    else
      on_book_down(self, msg.source);
  });
  return {
      [=](start_atom) {
        auto& st = self->state;
        st.promise = self->make_response_promise<checkout_outcome>();
        // The timer goes to the cart, which outlives this saga and passes it
        // on only while the saga runs. It names the saga by its weak address
        // and is sent anonymously: a timer holding the saga itself would
        // keep every finished saga in memory until it fired.
        caf::delayed_anon_send(st.peers.cart, timeout, deadline_atom::value,
                               self->address());
        // Books of other nodes: a transfer, which the registry reports as
        // pending from now until it is decided (checkout_actor.hpp).
        if (st.unprepared > 0) {
          st.transfer = new_transfer_id();
          self->send(st.peers.registry, transfer_atom::value, start_atom::value,
                     st.transfer);
        }
        for (std::size_t i = 0; i < st.lines.size(); ++i)
          reserve_line(self, i);
        return st.promise;
      },
      [=](deadline_atom) { on_deadline(self); },
  };
}

} // namespace bookstore
