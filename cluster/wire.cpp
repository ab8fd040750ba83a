#include "cluster/wire.hpp"

namespace bookstore::cluster {

void announce_peer_types(caf::actor_system_config& cfg) {
  cfg.add_message_type<peer_request>("bookstore::peer_request");
  cfg.add_message_type<peer_response>("bookstore::peer_response");
}

} // namespace bookstore::cluster
