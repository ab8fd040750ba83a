#pragma once

#include <stdexcept>
#include <string>

#include "model/cluster.hpp"

namespace bookstore::app {

/// A cluster file that cannot be used; what() names the file and the reason.
struct cluster_file_error : std::runtime_error {
  using std::runtime_error::runtime_error;
};

/// Reads the cluster file of API.md ("Cluster"): {"nodes": [{"name",
/// "http", "peer", "db"}, ...], "tls": {"cert", "key", "ca"}} with "tls"
/// optional. Relative `db` and TLS paths are taken from the file's folder,
/// so every node can be started from anywhere. Throws cluster_file_error
/// if the file is missing, is not that JSON, or describes a cluster that
/// model::cluster_problem rejects.
model::cluster load_cluster_file(const std::string& path);

} // namespace bookstore::app
