#include "actors/reader_actor.hpp"

#include <utility>

#include "actors/reads.hpp"

namespace bookstore {

namespace {

/// The catalog search, from the reader's cache while its connection has
/// seen no commit since the page was read (one PRAGMA, no table touched);
/// else read as reads::search does and kept.
caf::result<storage::book_page> cached_search(reader_state& st,
                                              storage::book_query query) {
  std::int64_t latest = 0;
  try {
    latest = st.db->data_version();
  } catch (const storage::error&) {
    return make_error(model::error_code::store_unavailable);
  }
  if (const auto* page = st.pages.find(latest, query))
    return *page;
  return read_ops::bounded_read(st, [&](storage::database& db) {
    // The snapshot's own version (its first statement): a commit that
    // landed since `latest` is in this page, and the page is kept under it.
    const auto version = db.data_version();
    auto page = storage::search_books(db, query);
    st.pages.store(version, query, page);
    return page;
  });
}

} // namespace

reader_actor::behavior_type
reader(reader_actor::stateful_pointer<reader_state> self,
       std::shared_ptr<storage::database> db, caf::timespan read_budget) {
  self->state.db = std::move(db);
  self->state.read_budget = read_budget;
  using read_ops::on_read;
  // One line per message of reader_actor (handles.hpp documents each).
  return {
      on_read<list_atom, genre_atom>(self, reads::genres),
      on_read<list_atom, book_atom>(self, cached_search),
      on_read<get_atom, order_atom>(self, reads::order),
      on_read<list_atom>(self, reads::orders),
      on_read<list_atom, user_atom>(self, reads::accounts),
      on_read<sales_atom>(self, reads::sales),
      on_read<top_atom>(self, reads::top_books),
      on_read<low_atom>(self, reads::low_stock),
      on_read<list_atom, review_atom>(self, reads::book_reviews),
      on_read<list_atom>(self, reads::reviews),
  };
}

} // namespace bookstore
