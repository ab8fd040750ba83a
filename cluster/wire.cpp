#include "cluster/wire.hpp"

#include "actors/handles.hpp"

namespace bookstore::cluster {

void announce_peer_types(caf::actor_system_config& cfg) {
  cfg.add_message_type<peer_request>("bookstore::peer_request");
  cfg.add_message_type<peer_response>("bookstore::peer_response");
  // A book actor of another node, and its answers (handles.hpp).
  cfg.add_message_type<book_actor>("bookstore::book_actor");
  cfg.add_message_type<model::book>("bookstore::model::book");
  cfg.add_message_type<reservation_reply>("bookstore::reservation_reply");
  cfg.add_message_type<transfer_status>("bookstore::transfer_status");
}

} // namespace bookstore::cluster
