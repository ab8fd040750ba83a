#include "gateway/api/gather.hpp"

#include <algorithm>
#include <memory>
#include <optional>
#include <utility>

#include "caf/all.hpp"

#include "gateway/api/placement.hpp"
#include "gateway/json/decode.hpp"
#include "gateway/json/query_string.hpp"
#include "model/errors.hpp"

namespace bookstore::gateway {

namespace {

struct gathering {
  std::vector<nlohmann::json> parts;
  std::size_t waiting = 0;
  bool answered = false;
};

constexpr const char* part_parameter = "_part";
constexpr const char* keys_parameter = "_keys";
constexpr const char* ids_parameter = "_ids";

} // namespace

// A repeated name keeps its last value (query_string.hpp), so a client's
// own `_part`, `_keys` or `_ids` cannot override the ones added last.
std::string part_query(const std::string& query, std::int64_t size,
                       const part_kind& kind) {
  std::string ids;
  for (auto id : kind.ids)
    ids += (ids.empty() ? "" : ",") + std::to_string(id);
  return query + (query.empty() ? "" : "&") + part_parameter + "="
         + std::to_string(size) + "&" + keys_parameter + "="
         + (kind.keys_only ? "1" : "0") + "&" + ids_parameter + "=" + ids;
}

bool part_keys_only(const call& c) {
  return part_value(c, keys_parameter).has_value();
}

std::vector<std::int64_t> part_ids(const call& c) {
  std::vector<std::int64_t> ids;
  if (!c.forwarded)
    return ids;
  auto params = json::detail::parse_query(c.req.query);
  auto found = params.find(ids_parameter);
  if (found == params.end())
    return ids;
  std::string_view list = found->second;
  while (!list.empty()) {
    auto comma = list.find(',');
    if (auto id = json::parse_path_id(list.substr(0, comma)))
      ids.push_back(*id);
    list = comma == std::string_view::npos ? std::string_view{}
                                           : list.substr(comma + 1);
  }
  return ids;
}

std::optional<std::int64_t> part_size(const call& c) {
  return part_value(c, part_parameter);
}

std::optional<std::int64_t> part_value(const call& c, const char* name) {
  if (!c.forwarded)
    return std::nullopt;
  auto params = json::detail::parse_query(c.req.query);
  auto found = params.find(name);
  if (found == params.end())
    return std::nullopt;
  return json::parse_path_id(found->second);
}

bool gathers(const call& c) {
  return c.ctx->cluster && !part_size(c);
}

std::vector<std::size_t> every_node(const call& c) {
  std::vector<std::size_t> every(c.ctx->cluster->peers->size());
  for (std::size_t node = 0; node < every.size(); ++node)
    every[node] = node;
  return every;
}

std::vector<std::size_t> holders_of(const call& c,
                                    const std::vector<std::int64_t>& ids) {
  std::vector<std::size_t> nodes;
  for (auto id : ids)
    if (id > 0)
      nodes.push_back(c.ctx->cluster->owners.owner_of_id(id));
  std::sort(nodes.begin(), nodes.end());
  nodes.erase(std::unique(nodes.begin(), nodes.end()), nodes.end());
  return nodes;
}

void gather(const call_ptr& c, std::int64_t size,
            void (*run_here)(const call_ptr&), merge_function merge) {
  gather_from(c, every_node(*c), size, run_here, std::move(merge));
}

void gather_page(const call_ptr& c, std::vector<std::size_t> nodes,
                 std::int64_t offset, std::int64_t count,
                 void (*run_here)(const call_ptr&), merge_function merge,
                 std::function<void(const call_ptr&)> deep) {
  // Up to this many rows a node, one round: the page is near the front,
  // where nearly every listing's pages are.
  constexpr std::int64_t shallow = 1000;
  const auto window = offset + count; // fits: the decoders bound the page
  if (window <= shallow)
    return gather_from(c, std::move(nodes), window, run_here, std::move(merge));
  gather_from(c, nodes, 1, run_here,
              [=](const call_ptr& c, std::vector<nlohmann::json>& totals) {
                std::int64_t total = 0;
                for (const auto& part : totals)
                  total += part.at("total").get<std::int64_t>();
                if (offset >= total)
                  return merge(c, totals);
                if (deep)
                  return deep(c);
                gather_from(c, nodes, window, run_here, merge);
              });
}

void gather_from(const call_ptr& c, std::vector<std::size_t> nodes,
                 std::int64_t size, void (*run_here)(const call_ptr&),
                 merge_function merge, const part_kind& kind) {
  const auto self = c->ctx->cluster->peers->self();
  auto state = std::make_shared<gathering>();
  state->parts.resize(nodes.size());
  state->waiting = nodes.size();
  if (nodes.empty())
    return merge(c, state->parts);
  auto query = part_query(c->req.query, size, kind);
  // `at`: the part's place in `nodes`.
  auto take = [c, state, merge](std::size_t at, http::response res) {
    if (state->answered)
      return;
    if (res.status != 200) {
      state->answered = true;
      return c->respond(std::move(res));
    }
    auto body = nlohmann::json::parse(res.body, nullptr, false);
    if (body.is_discarded()) {
      state->answered = true;
      return c->respond(failure_response(caf::error{}));
    }
    state->parts[at] = std::move(body);
    if (--state->waiting == 0) {
      state->answered = true;
      try {
        merge(c, state->parts);
      } catch (const std::exception&) {
        // A part of another shape: nodes of different versions.
        c->respond(failure_response(caf::error{}));
      }
    }
  };
  std::optional<std::size_t> here;
  for (std::size_t at = 0; at < nodes.size(); ++at) {
    if (nodes[at] == self) {
      here = at;
      continue;
    }
    auto request = c->req;
    request.query = query;
    ask_node(c, nodes[at], std::move(request),
             [take, at](http::response res) { take(at, std::move(res)); });
  }
  if (!here)
    return;
  // This node's part, as a peer's would run here.
  auto part = std::make_shared<call>(*c);
  part->req.query = query;
  part->forwarded = true;
  part->respond = [take, at = *here](http::response res) {
    take(at, std::move(res));
  };
  run_here(part);
}

} // namespace bookstore::gateway
