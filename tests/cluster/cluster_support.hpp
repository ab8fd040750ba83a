#pragma once

// A cluster of `bookstore serve` nodes on loopback for the black-box tests
// (API.md, "Cluster"): a cluster file in a private folder, one child process
// per node, and helpers to reach any node, kill one and start it again.

#include <chrono>
#include <cstdint>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "helpers.hpp"
#include "server_process.hpp"

namespace cluster_test {

/// The secret every node shares (API.md: all nodes need the same one).
inline constexpr const char* secret = e2e::secret_key;

class test_cluster {
public:
  /// Writes a cluster file of `nodes` nodes named a, b, c... with free
  /// loopback ports and starts them all; returns once each one sees every
  /// other as up. With `tls`, the file names certificates made in the
  /// cluster's folder (make_test_certificates). A start whose nodes do not
  /// all see each other is tried once more, in a new folder on new ports,
  /// and said on stderr with the first start's /health and logs (see the
  /// e2e harness, start_cluster: a link that stays down for the whole
  /// wait, seen about once in ten full runs beside other heavy tests, its
  /// cause not yet known).
  explicit test_cluster(std::size_t nodes = 3,
                        std::vector<std::string> extra_args = {},
                        bool tls = false);
  ~test_cluster();
  test_cluster(const test_cluster&) = delete;
  test_cluster& operator=(const test_cluster&) = delete;

  std::size_t size() const { return names_.size(); }
  /// Node i in ownership order (names sorted: a, b, c...).
  const std::string& name(std::size_t i) const { return names_.at(i); }
  std::uint16_t http_port(std::size_t i) const { return http_ports_.at(i); }
  const std::string& file() const { return file_; }
  const std::string& folder() const { return folder_; }
  std::uint16_t peer_port(std::size_t i) const { return peer_ports_.at(i); }
  e2e::server_process& node(std::size_t i) { return *servers_.at(i); }
  bool running(std::size_t i) const { return servers_.at(i) != nullptr; }

  /// The owner of an id (users, books, orders, reviews): (id - 1) % n.
  std::size_t owner_of(std::int64_t id) const {
    return static_cast<std::size_t>((id - 1)
                                    % static_cast<std::int64_t>(size()));
  }

  /// A client of node i; of a random running node.
  e2e::http_client client(std::size_t i) const;
  e2e::http_client any_client();
  std::size_t random_running_node();

  /// SIGKILLs node i (a crash), or stops it with SIGTERM.
  void kill(std::size_t i);
  void stop(std::size_t i);
  /// Starts node i again on its file and address.
  void start(std::size_t i);
  /// Waits until node `observer` reports node `peer` as `state` ("up" or
  /// "down") in GET /health; false if it did not within `within`.
  bool wait_peer(std::size_t observer, std::size_t peer,
                 const std::string& state, std::chrono::milliseconds within);
  /// Waits until every running node sees every other running node up.
  void wait_all_up();

private:
  /// Makes the folder, the file and the ports, and starts every node.
  void launch(std::size_t nodes, bool tls);
  /// Stops every node and removes the folder (unless kept).
  void tear_down();
  /// What a failed wait shows: `observer`'s /health and both nodes' logs.
  std::string diagnose(std::size_t observer, std::size_t peer);

  std::vector<std::string> names_;
  std::vector<std::uint16_t> http_ports_;
  std::vector<std::uint16_t> peer_ports_;
  std::vector<std::string> extra_args_;
  std::vector<std::unique_ptr<e2e::server_process>> servers_;
  std::string folder_;
  std::string file_;
  std::mt19937_64 rng_{std::random_device{}()};
};

/// Makes with scripts/cluster-certs.sh, in `folder`: a CA (ca.pem, ca.key)
/// and a node certificate it signed (node.pem, node.key); and for attacks,
/// in folder/rogue, another CA with a certificate it signed (the same
/// names). Throws if that fails.
void make_test_certificates(const std::string& folder);

/// A book whose id node `owner` handed out (made through random nodes),
/// with `stock` copies.
e2e::json book_owned_by(test_cluster& cl, const std::string& admin,
                        std::size_t owner, long long stock = 10);
/// A book made with a fresh ISBN that node `owner` keeps (a new book is
/// made on its ISBN's node, so its id is that node's too).
e2e::json isbn_book_owned_by(test_cluster& cl, const std::string& admin,
                             std::size_t owner);
/// A registered account owned by node `owner`.
e2e::account user_owned_by(test_cluster& cl, std::size_t owner);
/// A book of each node with `stock` copies, `quantity` of each put in
/// `user`'s cart through random nodes; their ids, in node order.
std::vector<std::int64_t> cart_across_nodes(test_cluster& cl,
                                            const std::string& admin,
                                            const e2e::account& user,
                                            long long stock, int quantity);
/// The bootstrap admin's token, through a random node.
std::string admin_token(test_cluster& cl);

/// A loopback port that takes no connection, like a machine that drops
/// packets: a listener whose backlog is full and that never accepts, so the
/// kernel drops further connection requests and a connect() waits for its
/// retries (minutes).
class black_hole {
public:
  black_hole();
  ~black_hole();
  black_hole(const black_hole&) = delete;
  black_hole& operator=(const black_hole&) = delete;
  std::uint16_t port() const { return port_; }

private:
  int listener_ = -1;
  int filler_ = -1;
  std::uint16_t port_ = 0;
};

/// True if a TCP connection to 127.0.0.1:`port` opens within `within`.
bool connects_within(std::uint16_t port, std::chrono::milliseconds within);

/// A free TCP port on 127.0.0.1 now (e2e::free_loopback_ports); for more
/// than one, ask that for all at once: ports asked one by one may repeat.
std::uint16_t free_port();

} // namespace cluster_test
