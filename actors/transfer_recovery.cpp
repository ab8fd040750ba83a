#include "actors/transfer_recovery.hpp"

#include <memory>
#include <vector>

#include "actors/errors.hpp"
#include "model/time.hpp"

namespace bookstore {

namespace {

using round_atom = caf::atom_constant<caf::atom("round")>;

/// Ends one part as its transfer's coordinator decided, through the book's
/// actor so that its stock in memory follows; a book deleted since has no
/// actor, and its part is ended in the store alone. `done` runs once.
template <class Done>
void end_part(caf::event_based_actor* self, store_actor store,
              registry_actor registry, storage::prepared_transfer part,
              bool commit, caf::timespan timeout, Done done) {
  auto direct = [=] {
    self->request(store, caf::infinite, finish_atom::value, part.transfer_id,
                  part.book, commit)
        .then([=](std::int64_t) { done(); }, [=](caf::error&) { done(); });
  };
  self->request(registry, timeout, book_atom::value, part.book)
      .then(
          [=](book_actor& book) {
            self->request(book, timeout, finish_atom::value, part.transfer_id,
                          commit)
                .then([=](bool) { done(); }, [=](caf::error&) { done(); });
          },
          [=](caf::error& err) {
            if (domain_code(err) == model::error_code::book_not_found)
              direct();
            else
              done();
          });
}

} // namespace

caf::behavior transfer_recovery(caf::event_based_actor* self, store_actor store,
                                registry_actor registry,
                                recovery_timing timing) {
  self->send(self, round_atom::value);
  caf::timespan timeout = timing.ask_timeout;
  return {
      [=](round_atom) {
        auto next_round = [=] {
          self->delayed_send(self, timing.every, round_atom::value);
        };
        auto cutoff = model::unix_now() - timing.min_age.count();
        self->request(store, caf::infinite, list_atom::value,
                      transfer_atom::value, cutoff)
            .then(
                [=](std::vector<storage::prepared_transfer>& parts) {
                  if (parts.empty())
                    return next_round();
                  // The next round starts once every part of this one has
                  // been asked about (and ended, if decided).
                  auto left = std::make_shared<std::size_t>(parts.size());
                  auto one_done = [=] {
                    if (--*left == 0)
                      next_round();
                  };
                  for (auto& part : parts)
                    self->request(registry, timeout, transfer_atom::value,
                                  part.transfer_id,
                                  static_cast<std::uint32_t>(part.coordinator))
                        .then(
                            [=](transfer_status status) {
                              if (status == transfer_status::pending)
                                return one_done();
                              end_part(self, store, registry, part,
                                       status == transfer_status::committed,
                                       timeout, one_done);
                            },
                            [=](caf::error&) { one_done(); });
                },
                [=](caf::error&) { next_round(); });
      },
  };
}

} // namespace bookstore
