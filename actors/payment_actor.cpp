#include "actors/payment_actor.hpp"

namespace bookstore {

namespace {

using self_ptr = payment_actor::stateful_pointer<payment_state>;

bool decide(payment_state& st, bool force_decline) {
  std::bernoulli_distribution declines(st.failure_rate);
  // Draw even when forced, so a seed gives the same sequence either way.
  auto declined = declines(st.random);
  return !(force_decline || declined);
}

} // namespace

payment_actor::behavior_type payment(self_ptr self, core_config config) {
  auto& st = self->state;
  st.failure_rate = std::clamp(config.payment_failure_rate, 0.0, 1.0);
  st.latency = config.payment_latency;
  st.random.seed(config.payment_seed);
  return {
      [=](charge_atom, model::cents, bool force_decline) -> caf::result<bool> {
        auto& st = self->state;
        auto approved = decide(st, force_decline);
        if (st.latency.count() == 0)
          return approved;
        auto id = st.next_charge++;
        auto rp = self->make_response_promise<bool>();
        st.due.emplace(id, std::make_pair(rp, approved));
        self->delayed_send(self, st.latency, settle_atom::value, id);
        return rp;
      },
      [=](settle_atom, std::uint64_t id) {
        auto i = self->state.due.find(id);
        if (i == self->state.due.end())
          return;
        i->second.first.deliver(i->second.second);
        self->state.due.erase(i);
      },
  };
}

} // namespace bookstore
