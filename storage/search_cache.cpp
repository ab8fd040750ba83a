#include "storage/search_cache.hpp"

#include <utility>
#include <vector>

namespace bookstore::storage {

namespace {

std::size_t text_bytes(const std::optional<std::string>& text) {
  return text ? text->size() : 0;
}

/// Roughly what a page holds in memory: its books and their texts.
std::size_t bytes_of(const book_page& page) {
  std::size_t bytes = sizeof(book_page);
  for (const auto& b : page.items)
    bytes += sizeof(model::book) + b.title.size() + b.author.size()
             + text_bytes(b.isbn) + text_bytes(b.description)
             + text_bytes(b.cover_image_url) + text_bytes(b.publish_date);
  for (const auto& k : page.keys)
    bytes += sizeof(k)
             + (std::holds_alternative<std::string>(k)
                    ? std::get<std::string>(k).size()
                    : 0);
  return bytes;
}

} // namespace

search_cache::key search_cache::key_of(const book_query& q) {
  // A cluster's part (a window) is the same whatever page and size the
  // client asked for: one entry, not one per page number.
  const bool part = q.window > 0;
  return key{part ? 0 : q.page, part ? 0 : q.size, q.q,     q.author,
             q.min_price,       q.max_price,       q.genre, q.sort,
             q.descending,      q.window};
}

const book_page* search_cache::unchanged(std::int64_t data_version,
                                         const book_query& query) {
  auto it = entries_.find(key_of(query));
  if (it == entries_.end() || it->second.data_version != data_version)
    return nullptr;
  ++counts_.unchanged;
  return &it->second.page;
}

book_page search_cache::search(database& db, const book_query& query) {
  // Both read first in the caller's snapshot: they describe what follows.
  const auto data_version = db.data_version();
  const auto catalog = catalog_version(db);
  auto k = key_of(query);
  auto it = entries_.find(k);
  if (it != entries_.end() && it->second.catalog_version == catalog) {
    auto& kept = it->second;
    std::vector<model::book_id> ids;
    ids.reserve(kept.page.items.size());
    for (const auto& b : kept.page.items)
      ids.push_back(b.id);
    auto items = books_by_ids(db, ids);
    // With the catalog unchanged every id is still a live book; were one
    // missing all the same, the full search below answers.
    if (items.size() == ids.size()) {
      ++counts_.reread;
      kept.page.items = std::move(items);
      kept.data_version = data_version;
      return kept.page;
    }
  }
  ++counts_.searched;
  auto page = search_books(db, query);
  keep(std::move(k), entry{catalog, data_version, page});
  return page;
}

void search_cache::keep(key k, entry e) {
  const auto bytes = bytes_of(e.page);
  auto old = entries_.find(k);
  if (old != entries_.end()) {
    bytes_ -= bytes_of(old->second.page);
    entries_.erase(old);
  }
  if (entries_.size() >= max_pages || bytes_ + bytes > max_bytes) {
    entries_.clear();
    bytes_ = 0;
  }
  if (bytes > max_bytes)
    return;
  entries_.emplace(std::move(k), std::move(e));
  bytes_ += bytes;
}

} // namespace bookstore::storage
