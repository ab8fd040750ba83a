#include "actors/payment_actor.hpp"

#include <algorithm>

namespace bookstore {

namespace {

using payment_self = payment_actor::stateful_pointer<payment_state>;

bool decide(payment_state& st, bool force_decline) {
  std::bernoulli_distribution declines(st.failure_rate);
  // Draw even when forced, so a seed gives the same sequence either way.
  auto declined = declines(st.random);
  return !(force_decline || declined);
}

/// The charge is approved now: it enters the ledger.
void book_charge(payment_state& st, model::cents amount) {
  st.metrics->payment_charges.fetch_add(1, std::memory_order_relaxed);
  st.metrics->payment_charged_cents.fetch_add(
      static_cast<std::uint64_t>(amount), std::memory_order_relaxed);
}

} // namespace

payment_actor::behavior_type payment(payment_self self, core_config config,
                                     std::shared_ptr<core_metrics> metrics) {
  auto& st = self->state;
  st.failure_rate = std::clamp(config.payment_failure_rate, 0.0, 1.0);
  st.latency = config.payment_latency;
  st.random.seed(config.payment_seed);
  st.metrics = std::move(metrics);
  return {
      [=](charge_atom, model::cents amount,
          bool force_decline) -> caf::result<payment_receipt> {
        auto& st = self->state;
        payment_receipt receipt;
        receipt.approved = decide(st, force_decline);
        receipt.charge = st.next_charge++;
        if (st.latency.count() == 0) {
          if (receipt.approved)
            book_charge(st, amount);
          return receipt;
        }
        auto rp = self->make_response_promise<payment_receipt>();
        st.due.emplace(receipt.charge,
                       payment_state::due_charge{rp, receipt, amount});
        self->delayed_send(self, st.latency, settle_atom::value,
                           receipt.charge);
        return rp;
      },
      [=](settle_atom, std::uint64_t id) {
        auto& st = self->state;
        auto i = st.due.find(id);
        if (i == st.due.end())
          return;
        auto& charge = i->second;
        if (charge.receipt.approved)
          book_charge(st, charge.amount);
        charge.promise.deliver(charge.receipt);
        st.due.erase(i);
      },
      [=](refund_atom, std::uint64_t, model::cents amount) {
        auto& m = *self->state.metrics;
        m.payment_refunds.fetch_add(1, std::memory_order_relaxed);
        m.payment_refunded_cents.fetch_add(static_cast<std::uint64_t>(amount),
                                           std::memory_order_relaxed);
        return true;
      },
  };
}

} // namespace bookstore
