#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace bookstore::app {

/// `bookstore serve` options (API.md, Operations); each also read from its
/// environment variable, the flag winning.
struct serve_options {
  std::string host = "127.0.0.1";
  std::uint16_t port = 8080;
  std::string db = "bookstore.db";
  double payment_failure_rate = 0.10;
  std::int64_t payment_latency_ms = 0;
  std::int64_t checkout_timeout_ms = 10'000;
  std::int64_t commit_window_us = 0;     // the store's group commit window
  std::int64_t idle_timeout_ms = 60'000; // passivation of book/cart actors
  std::int64_t readers = 1;     // read-only connections beside the store's
  std::int64_t reader_nice = 0; // their threads' nice value
  // The password hashing pool (Argon2id, 64 MiB a hash) and how many hashes
  // may wait for it; beyond that, register and login answer 503 AUTH_BUSY.
  std::int64_t hash_threads = 2;
  std::int64_t hash_queue = 32;
  // The threads that run the actors (CAF's scheduler); 0: CAF's default
  // (the cores or 4), or, for a node of a cluster that shares its machine
  // with others of the file, its share of the cores
  // (model::default_threads).
  std::int64_t threads = 0;
  // Browser origins allowed to call with credentials (API.md, CORS); the
  // original storefront's development server by default.
  std::string cors_origins = "http://localhost:3000,http://127.0.0.1:3000";
  // Where uploaded images live; empty: "uploads" beside the database file,
  // or a temporary folder for ":memory:" (API.md, Uploads).
  std::string uploads_dir;
  // A node of a cluster (API.md, "Cluster"): the cluster file and this
  // node's name in it; both or neither.
  std::string cluster_file;
  std::string node;
  std::optional<std::string> admin_email;
  std::optional<std::string> admin_password;
  std::optional<std::string> secret_key;
};

/// What the command line asks for.
struct command {
  enum { serve, help, invalid } kind = invalid;
  serve_options options;
  std::string error; // for invalid
};

/// Parses `args` (without the program name) and the environment.
command parse_command(const std::vector<std::string>& args);

/// The text of `bookstore --help`.
std::string usage();

} // namespace bookstore::app
