#include "model/reservations.hpp"

#include <algorithm>

namespace bookstore::model {

std::optional<hold_clock::time_point>
reservations::next_deadline(const pinned_holds& pinned) const {
  std::optional<hold_clock::time_point> next;
  for (const auto& h : holds_)
    if ((!pinned || !pinned(h.id)) && (!next || h.deadline < *next))
      next = h.deadline;
  return next;
}

bool reservations::reserve(hold_id id, std::int64_t quantity,
                           hold_clock::time_point deadline) {
  if (!stock_.can_reserve(quantity))
    return false;
  stock_.reserve(quantity);
  holds_.push_back({id, quantity, deadline});
  return true;
}

commit_source reservations::commit(hold_id id, std::int64_t quantity) {
  if (auto held = take(id); held > 0) {
    stock_.commit(held);
    return commit_source::hold;
  }
  stock_.on_hand -= quantity;
  return commit_source::no_hold;
}

std::int64_t reservations::release(hold_id id) {
  auto quantity = take(id);
  stock_.release(quantity);
  return quantity;
}

std::size_t reservations::expire(hold_clock::time_point now,
                                 const pinned_holds& pinned) {
  auto before = holds_.size();
  auto expired = [&](const hold& h) {
    if (h.deadline > now || (pinned && pinned(h.id)))
      return false;
    stock_.release(h.quantity);
    return true;
  };
  holds_.erase(std::remove_if(holds_.begin(), holds_.end(), expired),
               holds_.end());
  return before - holds_.size();
}

std::int64_t reservations::take(hold_id id) {
  auto i = std::find_if(holds_.begin(), holds_.end(),
                        [&](const hold& h) { return h.id == id; });
  if (i == holds_.end())
    return 0;
  auto quantity = i->quantity;
  holds_.erase(i);
  return quantity;
}

} // namespace bookstore::model
