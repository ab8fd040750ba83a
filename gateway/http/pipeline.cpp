#include "gateway/http/pipeline.hpp"

#include <utility>

namespace bookstore::http {

std::uint64_t pipeline::open(bool keep_alive, bool head, bool http11) {
  entry e;
  e.seq = next_++;
  e.keep_alive = keep_alive;
  e.head = head;
  e.http11 = http11;
  slots_.push_back(std::move(e));
  return slots_.back().seq;
}

bool pipeline::fulfill(std::uint64_t seq, response r) {
  // Slots are contiguous: the front one has number next_ - size().
  auto first = next_ - slots_.size();
  if (seq < first || seq >= next_)
    return false;
  auto& slot = slots_[seq - first];
  if (slot.answer)
    return false;
  slot.answer = std::move(r);
  return true;
}

void pipeline::fulfill_all(const response& r) {
  for (auto& slot : slots_)
    if (!slot.answer)
      slot.answer = r;
}

std::optional<pipeline::entry> pipeline::pop_ready() {
  if (slots_.empty() || !slots_.front().answer)
    return std::nullopt;
  auto result = std::move(slots_.front());
  slots_.pop_front();
  return result;
}

} // namespace bookstore::http
