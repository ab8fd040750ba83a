#include "actors/reader_actor.hpp"

#include <utility>

#include "actors/reads.hpp"

namespace bookstore {

reader_actor::behavior_type
reader(reader_actor::stateful_pointer<reader_state> self,
       std::shared_ptr<storage::database> db, caf::timespan read_budget) {
  self->state.db = std::move(db);
  self->state.read_budget = read_budget;
  using read_ops::on_read;
  // One line per message of reader_actor (handles.hpp documents each).
  return {
      on_read<list_atom, genre_atom>(self, reads::genres),
      on_read<list_atom, book_atom>(self, reads::search),
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
