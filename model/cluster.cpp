#include "model/cluster.hpp"

#include <algorithm>
#include <charconv>
#include <limits>
#include <set>
#include <stdexcept>

#include "model/text.hpp"

namespace bookstore::model {

namespace {

bool valid_name(std::string_view name) {
  return !name.empty() && name.size() <= 32
         && std::all_of(name.begin(), name.end(), [](char c) {
              return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
                     || c == '_' || c == '-';
            });
}

std::string text_of(const endpoint& e) {
  const bool v6 = e.host.find(':') != std::string::npos;
  return (v6 ? "[" + e.host + "]" : e.host) + ":" + std::to_string(e.port);
}

// An address the node set uses twice (two listeners cannot share it).
std::optional<std::string> repeated_address(const cluster& c) {
  std::set<std::string> seen;
  for (const auto& node : c.nodes)
    for (const auto* e : {&node.http, &node.peer})
      if (!seen.insert(text_of(*e)).second)
        return "address " + text_of(*e) + " is used twice";
  return std::nullopt;
}

// Four decimal numbers 0..255 separated by dots, and nothing else: a name
// such as "127.example.com" is not an address, and it may resolve anywhere.
bool is_ipv4(std::string_view text) {
  for (int part = 0; part < 4; ++part) {
    if (part > 0) {
      if (text.empty() || text.front() != '.')
        return false;
      text.remove_prefix(1);
    }
    unsigned value = 0;
    const auto* end = text.data() + text.size();
    const auto [last, ec] = std::from_chars(text.data(), end, value);
    const auto digits = static_cast<std::size_t>(last - text.data());
    if (ec != std::errc{} || digits == 0 || digits > 3 || value > 255)
      return false;
    text.remove_prefix(digits);
  }
  return text.empty();
}

} // namespace

std::optional<endpoint> parse_endpoint(std::string_view text) {
  std::string_view host;
  std::string_view port;
  if (!text.empty() && text.front() == '[') {
    const auto close = text.find(']');
    if (close == std::string_view::npos || close + 1 >= text.size()
        || text[close + 1] != ':')
      return std::nullopt;
    host = text.substr(1, close - 1);
    port = text.substr(close + 2);
  } else {
    const auto colon = text.rfind(':');
    if (colon == std::string_view::npos)
      return std::nullopt;
    host = text.substr(0, colon);
    port = text.substr(colon + 1);
    if (host.find(':') != std::string_view::npos)
      return std::nullopt; // an IPv6 host needs its brackets
  }
  unsigned value = 0;
  const auto* end = port.data() + port.size();
  const auto [last, ec] = std::from_chars(port.data(), end, value);
  if (host.empty() || port.empty() || ec != std::errc{} || last != end
      || value == 0 || value > 65535)
    return std::nullopt;
  return endpoint{std::string(host), static_cast<std::uint16_t>(value)};
}

bool is_loopback(std::string_view host) {
  return host == "localhost" || host == "::1"
         || (host.rfind("127.", 0) == 0 && is_ipv4(host));
}

std::optional<std::string> cluster_problem(const cluster& c) {
  if (c.nodes.empty())
    return std::string("the cluster has no nodes");
  if (c.nodes.size() > max_cluster_nodes)
    return "the cluster has more than " + std::to_string(max_cluster_nodes)
           + " nodes";
  std::set<std::string> names;
  std::set<std::string> files;
  for (const auto& node : c.nodes) {
    if (!valid_name(node.name))
      return "node name '" + node.name
             + "' must be 1 to 32 of a-z, 0-9, '_' and '-'";
    if (!names.insert(node.name).second)
      return "node name '" + node.name + "' is used twice";
    if (node.db.empty())
      return "node '" + node.name + "' has no db";
    if (!files.insert(node.db).second)
      return "db '" + node.db + "' is used by two nodes";
    if (!c.tls && !is_loopback(node.peer.host))
      return "node '" + node.name + "' has peer address " + text_of(node.peer)
             + " off loopback: a cluster without tls keeps its peers on "
               "this machine";
  }
  if (auto problem = repeated_address(c))
    return problem;
  if (c.tls && (c.tls->cert.empty() || c.tls->key.empty() || c.tls->ca.empty()))
    return std::string("tls needs cert, key and ca");
  return std::nullopt;
}

std::vector<cluster_node> ownership_order(const cluster& c) {
  auto nodes = c.nodes;
  std::sort(nodes.begin(), nodes.end(),
            [](const auto& a, const auto& b) { return a.name < b.name; });
  return nodes;
}

std::size_t nodes_sharing_machine(const cluster& c, std::string_view name) {
  auto self = std::find_if(c.nodes.begin(), c.nodes.end(),
                           [&](const auto& n) { return n.name == name; });
  if (self == c.nodes.end())
    return 1;
  // A peer address on loopback is reachable from this machine only, so
  // every node of the cluster runs here.
  if (is_loopback(self->peer.host))
    return c.nodes.size();
  auto same_machine = [&](const cluster_node& n) {
    return to_lower_ascii(n.peer.host) == to_lower_ascii(self->peer.host);
  };
  return static_cast<std::size_t>(
      std::count_if(c.nodes.begin(), c.nodes.end(), same_machine));
}

std::size_t default_threads(std::size_t cores, std::size_t nodes) {
  if (nodes <= 1 || cores == 0) // alone, or cores unknown: CAF's default
    return 0;
  return std::max<std::size_t>(1, cores / nodes);
}

std::optional<std::size_t> node_index(const cluster& c, std::string_view name) {
  const auto nodes = ownership_order(c);
  for (std::size_t i = 0; i < nodes.size(); ++i)
    if (nodes[i].name == name)
      return i;
  return std::nullopt;
}

ownership::ownership(std::size_t node_count) : node_count_(node_count) {
  if (node_count == 0)
    throw std::invalid_argument("ownership needs at least one node");
}

std::size_t ownership::owner_of_id(std::int64_t id) const {
  if (id <= 0)
    throw std::invalid_argument("ids are positive");
  return static_cast<std::size_t>((id - 1)
                                  % static_cast<std::int64_t>(node_count_));
}

std::size_t ownership::owner_of_key(std::string_view key) const {
  std::uint64_t hash = 0xcbf29ce484222325ULL;
  for (unsigned char c : key) {
    hash ^= c;
    hash *= 0x100000001b3ULL;
  }
  return static_cast<std::size_t>(hash % node_count_);
}

std::int64_t ownership::time_floor(std::int64_t now_ms) const {
  if (node_count_ <= 1 || now_ms <= 0)
    return 0;
  return now_ms * 10 * static_cast<std::int64_t>(node_count_);
}

std::int64_t ownership::next_id(std::size_t node, std::int64_t after,
                                std::int64_t now_ms) const {
  const auto n = static_cast<std::int64_t>(node_count_);
  if (node >= node_count_ || after < 0)
    throw std::invalid_argument("next_id: no such node, or a negative id");
  after = std::max(after, time_floor(now_ms));
  // The ids of `node` are node + 1, node + 1 + n, node + 1 + 2n, ...
  const auto first = static_cast<std::int64_t>(node) + 1;
  if (after < first)
    return first;
  const auto steps = (after - first) / n + 1;
  if (steps > (std::numeric_limits<std::int64_t>::max() - first) / n)
    throw std::overflow_error("next_id: the ids of this node are used up");
  return first + steps * n;
}

} // namespace bookstore::model
