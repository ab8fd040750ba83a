#pragma once

// Reads of every node's data in a cluster (API.md, "Cluster": listings,
// searches and reports answer as a single server holding all the data
// would). Scatter-gather: the node that received the request asks every
// node, itself included, for its part, and merges the parts. Always
// current (no copy to fall behind), at the price of one message per node
// per read.

#include <functional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "gateway/api/call.hpp"

namespace bookstore::gateway {

/// If `c` is a part that another node gathers: the size it asked for (how
/// many rows a listing's part holds: its `_part` parameter, which only a
/// request forwarded by a node can carry). Nothing for a client's request.
std::optional<std::int64_t> part_size(const call& c);

/// Another positive integer parameter of a part (a cursor), if `c` is one.
std::optional<std::int64_t> part_value(const call& c, const char* name);

/// What a listing's part holds besides its size: its rows (the default),
/// only each row's sort value and id, or the rows of these ids instead of
/// a search (query then fetch: gather_page).
struct part_kind {
  bool keys_only = false;
  std::vector<std::int64_t> ids;
};

/// The query of a part of `size`: `query` with `_part=size`, `_keys` and
/// `_ids` last, so that a client's own cannot stand.
std::string part_query(const std::string& query, std::int64_t size,
                       const part_kind& kind = {});

/// If `c` is a part: whether it is asked for sort values and ids only, and
/// the ids it is asked to fetch (none: a search).
bool part_keys_only(const call& c);
std::vector<std::int64_t> part_ids(const call& c);

/// True if `c`'s route must gather: in a cluster, and not a part.
bool gathers(const call& c);

using merge_function =
    std::function<void(const call_ptr& c, std::vector<nlohmann::json>& parts)>;

/// Runs `c`'s route on every node as a part of `size` (part_size), this
/// node's part through `run_here`, and calls `merge` with the parts'
/// bodies in node order; `merge` answers. A part that is not 200 is
/// the answer (the same input fails the same way on every node); a node
/// down, 503 NODE_UNAVAILABLE. An admin's route goes with its principal
/// (c.who), checked.
void gather(const call_ptr& c, std::int64_t size,
            void (*run_here)(const call_ptr&), merge_function merge);

/// gather from `nodes` only (distinct, in the order `merge` gets their
/// parts): a route whose input names the nodes that hold its rows asks
/// just those, so another node down does not make it 503.
void gather_from(const call_ptr& c, std::vector<std::size_t> nodes,
                 std::int64_t size, void (*run_here)(const call_ptr&),
                 merge_function merge, const part_kind& kind = {});

/// Every node, in ownership order.
std::vector<std::size_t> every_node(const call& c);

/// The nodes that hold the rows of `ids` (each drawn from its node's id
/// space), in node order; none for ids that no node hands out.
std::vector<std::size_t> holders_of(const call& c,
                                    const std::vector<std::int64_t>& ids);

/// A listing's rows [offset, offset + count) gathered from `nodes`: each
/// node's first offset + count rows (its part of that size), which `merge`
/// merges. A deep page is asked as one row per node first, which tells the
/// totals: a page past the end of every node's matches is merged from those
/// (no rows, the total), as one server answers it at once, rather than
/// every node sending all its matches. A deep page within them goes to
/// `deep` if given (query then fetch), else is gathered as any other.
void gather_page(const call_ptr& c, std::vector<std::size_t> nodes,
                 std::int64_t offset, std::int64_t count,
                 void (*run_here)(const call_ptr&), merge_function merge,
                 std::function<void(const call_ptr&)> deep = nullptr);

} // namespace bookstore::gateway
