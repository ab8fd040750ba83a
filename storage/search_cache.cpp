#include "storage/search_cache.hpp"

#include <utility>

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
  return bytes;
}

} // namespace

search_cache::key search_cache::key_of(const book_query& q) {
  return key{q.page,      q.size,      q.q,    q.author,    q.min_price,
             q.max_price, q.genre,     q.sort, q.descending};
}

void search_cache::start_over(std::int64_t version) {
  pages_.clear();
  bytes_ = 0;
  version_ = version;
}

const book_page* search_cache::find(std::int64_t version,
                                    const book_query& query) {
  if (version_ != version) {
    start_over(version);
    return nullptr;
  }
  auto it = pages_.find(key_of(query));
  return it == pages_.end() ? nullptr : &it->second;
}

void search_cache::store(std::int64_t version, const book_query& query,
                         book_page page) {
  const auto bytes = bytes_of(page);
  if (version_ != version || pages_.size() >= max_pages
      || bytes_ + bytes > max_bytes)
    start_over(version);
  if (bytes > max_bytes)
    return;
  if (pages_.emplace(key_of(query), std::move(page)).second)
    bytes_ += bytes;
}

} // namespace bookstore::storage
