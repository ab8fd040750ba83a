#include "actors/reader_actor.hpp"

#include <utility>

#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "actors/reads.hpp"

namespace bookstore {

namespace {

/// The catalog search through the reader's cache (search_cache.hpp): the
/// kept page if the connection has seen no commit since (one PRAGMA, outside
/// any snapshot, so it sees the latest commit), else within the read budget
/// in one snapshot.
caf::result<storage::book_page> cached_search(reader_state& st,
                                              storage::book_query query) {
  try {
    if (const auto* page = st.pages.unchanged(st.db->data_version(), query))
      return *page;
  } catch (const storage::error&) {
    return make_error(model::error_code::store_unavailable);
  }
  return read_ops::bounded_read(
      st, [&](storage::database& db) { return st.pages.search(db, query); });
}

/// Sets the nice value of the calling thread alone (Linux gives each thread
/// its own). Raising it needs no privilege; if the kernel refuses, the
/// reader runs at the process's priority, as readers did before.
void lower_this_thread(int nice) {
  const auto tid = static_cast<id_t>(::syscall(SYS_gettid));
  (void)::setpriority(PRIO_PROCESS, tid, nice);
}

} // namespace

reader_actor::behavior_type
reader(reader_actor::stateful_pointer<reader_state> self,
       std::shared_ptr<storage::database> db, caf::timespan read_budget,
       int thread_nice) {
  // A detached actor's behavior is made on its own thread, before its
  // first message.
  if (thread_nice > 0)
    lower_this_thread(thread_nice);
  self->state.db = std::move(db);
  self->state.read_budget = read_budget;
  using read_ops::on_read;
  // One line per message of reader_actor (handles.hpp documents each).
  return {
      on_read<list_atom, genre_atom>(self, reads::genres),
      on_read<list_atom, book_atom>(self, cached_search),
      on_read<list_atom, book_atom>(self, reads::books_by_ids),
      on_read<get_atom, order_atom>(self, reads::order),
      on_read<list_atom>(self, reads::orders),
      on_read<list_atom, user_atom>(self, reads::accounts),
      on_read<sales_atom>(self, reads::sales),
      on_read<top_atom>(self, reads::top_books),
      on_read<low_atom>(self, reads::low_stock),
      on_read<list_atom, review_atom>(self, reads::book_reviews),
      on_read<list_atom>(self, reads::reviews),
      on_read<get_atom, review_atom, user_atom>(self, reads::review_author),
  };
}

} // namespace bookstore
