#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace bookstore::cluster {

/// What every thread of a node may read about the cluster: its nodes in
/// ownership order, which of them answer now, and how many messages went
/// each way. The links actor writes the states; the gateway reads them on
/// every request, so they are atomics, not messages.
class peer_table {
public:
  /// `names` in ownership order (model::ownership_order); `self` is this
  /// node's index among them.
  peer_table(std::vector<std::string> names, std::size_t self);

  std::size_t size() const { return peers_.size(); }
  std::size_t self() const { return self_; }
  const std::string& name(std::size_t node) const;

  /// This node is always up; another is up from its first answer to a ping
  /// until a ping or a request to it fails.
  bool up(std::size_t node) const;
  void set_up(std::size_t node, bool up);

  /// Counts one message sent to, or received from, `node`.
  void sent_to(std::size_t node);
  void received_from(std::size_t node);
  std::uint64_t sent(std::size_t node) const;
  std::uint64_t received(std::size_t node) const;

private:
  struct peer {
    std::string name;
    std::atomic<bool> up{false};
    std::atomic<std::uint64_t> sent{0};
    std::atomic<std::uint64_t> received{0};
  };
  std::vector<std::unique_ptr<peer>> peers_;
  std::size_t self_;
};

} // namespace bookstore::cluster
