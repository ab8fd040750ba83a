#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

// The pure rules of a cluster (API.md, "Cluster: one store over several
// processes"): what a valid cluster description is, and which node owns a
// book or a user. Every node computes ownership alone from the same file, so
// routing needs no directory and no message: a key's owner is arithmetic.

namespace bookstore::model {

/// A host and port a node listens on, "127.0.0.1:8081" or "[::1]:9081".
struct endpoint {
  std::string host;
  std::uint16_t port = 0;

  friend bool operator==(const endpoint& a, const endpoint& b) {
    return a.host == b.host && a.port == b.port;
  }
};

/// Reads "host:port" (an IPv6 host in brackets); nothing if malformed or the
/// port is not in 1..65535.
std::optional<endpoint> parse_endpoint(std::string_view text);

/// True for "localhost", 127.0.0.0/8 and ::1: peers that only this machine
/// can reach, the only ones allowed without TLS.
bool is_loopback(std::string_view host);

struct cluster_node {
  std::string name;
  endpoint http;  // where it serves the HTTP API
  endpoint peer;  // where the other nodes reach its actors
  std::string db; // its own SQLite file
};

/// Files of the mutual TLS between peers (PEM).
struct cluster_tls {
  std::string cert;
  std::string key;
  std::string ca;
};

struct cluster {
  std::vector<cluster_node> nodes;
  std::optional<cluster_tls> tls;
};

/// Why `c` cannot run, or nothing: no nodes or more than max_cluster_nodes;
/// a name that is empty, not [a-z0-9_-] or repeated; an address or file used
/// twice; a peer off loopback without TLS; a TLS file missing.
std::optional<std::string> cluster_problem(const cluster& c);

inline constexpr std::size_t max_cluster_nodes = 64;

/// The position of node `name` in the ownership order (names sorted), or
/// nothing. Sorting by name rather than taking the file's order keeps
/// ownership the same when someone reorders the file's lines.
std::optional<std::size_t> node_index(const cluster& c, std::string_view name);

/// How many nodes of `c` run on the machine of node `name`, it included:
/// every node if its peer host is loopback (only this machine reaches it),
/// else those with its peer host (in any case). 1 if `name` is not in `c`.
std::size_t nodes_sharing_machine(const cluster& c, std::string_view name);

/// The scheduler threads of a node given none, on a machine of `cores`
/// cores that `nodes` nodes share: its share of the cores, at least 1; 0 (the
/// scheduler's own default) for a node alone there or cores unknown (0). Nodes
/// that share a machine each with a thread per core compete for the cores and
/// spend more CPU per checkout (bench/CLUSTER.md).
std::size_t default_threads(std::size_t cores, std::size_t nodes);

/// The nodes in ownership order: index i of ownership is element i.
std::vector<cluster_node> ownership_order(const cluster& c);

/// Who owns what among `node_count` nodes.
///
/// Ids (books, users, orders) are handed out by their owner from its own
/// residue class: node i (0-based) gives only ids with (id - 1) % n == i, so
/// ids are unique cluster-wide without a central allocator, and the owner of
/// an id is (id - 1) % n, one division, on any node. A user is owned by the
/// hash of their normalised email (registration and login know only the
/// email), and their owner gives them an id of its class, so the id in
/// their token leads to the same node.
class ownership {
public:
  explicit ownership(std::size_t node_count);

  std::size_t node_count() const { return node_count_; }

  /// The owner of a positive id.
  std::size_t owner_of_id(std::int64_t id) const;

  /// The owner of a string key: a user's normalised email, a book's
  /// normalised ISBN (or title, for a book without one). FNV-1a (64 bit):
  /// its value is fixed by its definition, not by a library's std::hash.
  std::size_t owner_of_key(std::string_view key) const;

  /// The smallest id greater than `after` (0 or more) that `node` owns: the
  /// next id it hands out when its largest is `after`. In a cluster also
  /// at least time_floor(now_ms): ids then grow with time over all nodes,
  /// not only within each, so "newest first" by id holds for the whole
  /// cluster (to the nodes' clocks), as on one server.
  std::int64_t next_id(std::size_t node, std::int64_t after,
                       std::int64_t now_ms = 0) const;

  /// The least id a cluster hands out at `now_ms` (ms since 1970): ten ids
  /// per node and millisecond, then time catches up. 0 for one node, whose
  /// ids stay 1, 2, 3... Below 2^53 (JavaScript's exact integers) for 64
  /// nodes until the year 2400.
  std::int64_t time_floor(std::int64_t now_ms) const;

private:
  std::size_t node_count_;
};

} // namespace bookstore::model
