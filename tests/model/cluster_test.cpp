#include <catch2/catch.hpp>

#include <limits>
#include <map>
#include <set>
#include <string>

#include "model/cluster.hpp"

using namespace bookstore::model;

namespace {

cluster three_nodes() {
  return cluster{{{"a", {"127.0.0.1", 8081}, {"127.0.0.1", 9081}, "a.db"},
                  {"b", {"127.0.0.1", 8082}, {"127.0.0.1", 9082}, "b.db"},
                  {"c", {"127.0.0.1", 8083}, {"127.0.0.1", 9083}, "c.db"}},
                 std::nullopt};
}

} // namespace

TEST_CASE("endpoints are host:port, IPv6 in brackets", "[cluster]") {
  CHECK(parse_endpoint("127.0.0.1:8081") == endpoint{"127.0.0.1", 8081});
  CHECK(parse_endpoint("node-b.example:65535")
        == endpoint{"node-b.example", 65535});
  CHECK(parse_endpoint("[::1]:9081") == endpoint{"::1", 9081});
  const char* bad = GENERATE(
      "", "127.0.0.1", "127.0.0.1:", ":8080", "127.0.0.1:0", "127.0.0.1:65536",
      "host:80x", "host:-1", "::1:9081", "[::1]9081", "[::1:9081", "[]:80");
  CAPTURE(bad);
  CHECK_FALSE(parse_endpoint(bad).has_value());
}

TEST_CASE("loopback is localhost, 127/8 and ::1", "[cluster]") {
  const char* local = GENERATE("localhost", "127.0.0.1", "127.1.2.3", "::1");
  CAPTURE(local);
  CHECK(is_loopback(local));
}

TEST_CASE("anything else is not loopback", "[cluster]") {
  // A name that merely starts like a loopback address may resolve anywhere.
  const char* remote =
      GENERATE("0.0.0.0", "10.0.0.2", "128.0.0.1", "localhost.example",
               "127.example.com", "127.0.0.1.example.com", "127.0.0.256",
               "127.0.0", "127.0.0.-1");
  CAPTURE(remote);
  CHECK_FALSE(is_loopback(remote));
}

TEST_CASE("a valid cluster description has no problem", "[cluster]") {
  CHECK_FALSE(cluster_problem(three_nodes()).has_value());
  auto remote = three_nodes();
  remote.nodes[1].peer = {"10.0.0.2", 9082};
  remote.tls = cluster_tls{"node.pem", "node.key", "ca.pem"};
  CHECK_FALSE(cluster_problem(remote).has_value());
}

TEST_CASE("an unusable cluster description is named", "[cluster]") {
  auto c = three_nodes();
  std::string expected;
  SECTION("no nodes") {
    c.nodes.clear();
    expected = "no nodes";
  }
  SECTION("a bad name") {
    c.nodes[0].name = "A";
    expected = "must be 1 to 32";
  }
  SECTION("a repeated name") {
    c.nodes[1].name = "a";
    expected = "'a' is used twice";
  }
  SECTION("an address used twice") {
    c.nodes[2].http = c.nodes[0].peer;
    expected = "127.0.0.1:9081 is used twice";
  }
  SECTION("a shared file") {
    c.nodes[2].db = "a.db";
    expected = "used by two nodes";
  }
  SECTION("a peer off loopback without tls") {
    c.nodes[1].peer = {"10.0.0.2", 9082};
    expected = "off loopback";
  }
  SECTION("tls without its ca") {
    c.tls = cluster_tls{"node.pem", "node.key", ""};
    expected = "tls needs cert, key and ca";
  }
  const auto problem = cluster_problem(c);
  REQUIRE(problem.has_value());
  CHECK_THAT(*problem, Catch::Contains(expected));
}

TEST_CASE("ownership order is by name, whatever the file's order",
          "[cluster]") {
  auto c = three_nodes();
  std::swap(c.nodes[0], c.nodes[2]);
  CHECK(node_index(c, "a") == std::size_t{0});
  CHECK(node_index(c, "b") == std::size_t{1});
  CHECK(node_index(c, "c") == std::size_t{2});
  CHECK_FALSE(node_index(c, "d").has_value());
  CHECK(ownership_order(c)[0].db == "a.db");
}

TEST_CASE("each node hands out only ids it owns, and together all of them",
          "[cluster]") {
  const std::size_t n = GENERATE(1, 2, 3, 5);
  const ownership own(n);
  std::set<std::int64_t> handed;
  for (std::size_t node = 0; node < n; ++node) {
    std::int64_t last = 0;
    for (int i = 0; i < 50; ++i) {
      last = own.next_id(node, last);
      CHECK(own.owner_of_id(last) == node);
      CHECK(handed.insert(last).second);
    }
  }
  // 50 ids from each of n nodes are exactly 1 .. 50n: no gap, no overlap.
  CHECK(*handed.begin() == 1);
  CHECK(*handed.rbegin() == static_cast<std::int64_t>(50 * n));
}

TEST_CASE("next_id skips past any id, its node's or not", "[cluster]") {
  const ownership own(3);
  CHECK(own.next_id(0, 0) == 1);
  CHECK(own.next_id(2, 0) == 3);
  CHECK(own.next_id(1, 2) == 5); // 2 is node 1's; next is 5
  CHECK(own.next_id(1, 3) == 5); // 3 is node 2's
  CHECK(own.next_id(0, 100) == 103);
  CHECK_THROWS(own.next_id(3, 0));
  CHECK_THROWS(own.next_id(0, std::numeric_limits<std::int64_t>::max()));
  CHECK_THROWS(own.owner_of_id(0));
}

TEST_CASE("users spread over the nodes by email, the same on every call",
          "[cluster]") {
  const ownership own(3);
  std::map<std::size_t, int> per_node;
  for (int i = 0; i < 3000; ++i) {
    const auto email = "user" + std::to_string(i) + "@example.com";
    const auto owner = own.owner_of_key(email);
    CHECK(owner == own.owner_of_key(email));
    ++per_node[owner];
  }
  for (std::size_t node = 0; node < 3; ++node) {
    CAPTURE(node);
    CHECK(per_node[node] > 800); // about 1,000 each
  }
  // FNV-1a is fixed by its definition: a value computed by hand, so the
  // owner of a stored account cannot change with the compiler or library.
  CHECK(ownership(1000).owner_of_key("a") == 0xaf63dc4c8601ec8cULL % 1000);
}

TEST_CASE("a cluster's ids grow with time over all nodes; one node's stay "
          "1, 2, 3",
          "[cluster]") {
  const ownership three(3);
  const std::int64_t t = 1'765'000'000'000; // ms, December 2025
  // Two nodes' ids a millisecond apart are in time order, whatever their
  // largest ids were.
  auto early = three.next_id(2, 5, t);
  auto late = three.next_id(0, 1, t + 1);
  CHECK(early < late);
  CHECK(three.owner_of_id(early) == 2);
  CHECK(three.owner_of_id(late) == 0);
  // Within a millisecond, ten ids per node before time catches up.
  std::int64_t last = three.next_id(1, 0, t);
  for (int i = 0; i < 9; ++i)
    last = three.next_id(1, last, t);
  CHECK(last < three.next_id(0, 0, t + 1));
  // Ahead of the clock (a burst), ids still grow.
  CHECK(three.next_id(1, late + 1000, t) > late + 1000);
  // One node: no time at all.
  CHECK(ownership(1).next_id(0, 0, t) == 1);
  CHECK(ownership(1).time_floor(t) == 0);
  // Exact in JavaScript (below 2^53) for 64 nodes until the year 2400.
  const std::int64_t year_2400 = 13'569'465'600'000;
  CHECK(ownership(64).next_id(63, 0, year_2400) < (std::int64_t{1} << 53));
}

TEST_CASE("nodes on one machine are those of its peer host, loopback as one",
          "[cluster]") {
  auto c = three_nodes();
  CHECK(nodes_sharing_machine(c, "a") == 3);
  c.nodes[1].peer.host = "localhost";
  c.nodes[2].peer.host = "::1";
  CHECK(nodes_sharing_machine(c, "b") == 3);
  // A node on loopback is reached from this machine only: all are here.
  c.nodes[2].peer.host = "10.0.0.3";
  CHECK(nodes_sharing_machine(c, "a") == 3);
  c.nodes[0].peer.host = "node-a.example";
  c.nodes[1].peer.host = "10.0.0.2";
  c.nodes[2].peer.host = "NODE-A.example";
  CHECK(nodes_sharing_machine(c, "a") == 2);
  CHECK(nodes_sharing_machine(c, "b") == 1);
  CHECK(nodes_sharing_machine(c, "c") == 2);
  CHECK(nodes_sharing_machine(c, "nobody") == 1);
}

TEST_CASE("a node given no threads takes its share of its machine's cores",
          "[cluster]") {
  CHECK(default_threads(8, 1) == 0); // alone: the scheduler's default
  CHECK(default_threads(8, 0) == 0);
  CHECK(default_threads(8, 2) == 4);
  CHECK(default_threads(8, 3) == 2);
  CHECK(default_threads(2, 2) == 1);
  CHECK(default_threads(2, 3) == 1); // never none
  CHECK(default_threads(0, 2) == 0); // cores unknown: the default
}
