#include "cluster/peer_table.hpp"

#include <stdexcept>

namespace bookstore::cluster {

peer_table::peer_table(std::vector<std::string> names, std::size_t self)
    : self_(self) {
  if (self >= names.size())
    throw std::invalid_argument("peer_table: self is not a node");
  for (auto& name : names) {
    peers_.push_back(std::make_unique<peer>());
    peers_.back()->name = std::move(name);
  }
  peers_[self]->up = true;
}

const std::string& peer_table::name(std::size_t node) const {
  return peers_.at(node)->name;
}

bool peer_table::up(std::size_t node) const {
  return node < peers_.size() && peers_[node]->up.load();
}

void peer_table::set_up(std::size_t node, bool up) {
  if (node < peers_.size() && node != self_)
    peers_[node]->up = up;
}

void peer_table::sent_to(std::size_t node) {
  if (node < peers_.size())
    ++peers_[node]->sent;
}

void peer_table::received_from(std::size_t node) {
  if (node < peers_.size())
    ++peers_[node]->received;
}

std::uint64_t peer_table::sent(std::size_t node) const {
  return peers_.at(node)->sent.load();
}

std::uint64_t peer_table::received(std::size_t node) const {
  return peers_.at(node)->received.load();
}

} // namespace bookstore::cluster
