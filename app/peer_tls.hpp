#pragma once

#include <optional>
#include <string>

#include "caf/actor_system_config.hpp"

#include "model/cluster.hpp"

// Mutual TLS between the nodes of a cluster (API.md, "Cluster"): CAF's
// OpenSSL module carries the middleman's connections, and each side
// requires a certificate signed by the cluster's CA from the other.

namespace bookstore::app {

/// Why the node cannot take part with these files, or nothing: a file that
/// cannot be read, a key that is encrypted or does not match the
/// certificate, a CA that is not PEM, or a certificate the CA did not sign
/// (the peers would refuse it). Checked before listening, since CAF's
/// module only reads the files when the first connection opens, and fails
/// there without saying why.
std::optional<std::string> tls_problem(const model::cluster_tls& files);

/// Loads CAF's OpenSSL module with these files into `cfg` (before the actor
/// system starts). With it, every peer connection opened or accepted through
/// `caf::openssl` asks for a certificate signed by `files.ca`.
void use_peer_tls(caf::actor_system_config& cfg,
                  const model::cluster_tls& files);

} // namespace bookstore::app
