#include "app/options.hpp"

#include <cerrno>
#include <cstdlib>

#include "gateway/http/cors.hpp"

namespace bookstore::app {

namespace {

std::optional<std::string> env(const char* name) {
  if (const char* value = std::getenv(name))
    return std::string{value};
  return std::nullopt;
}

bool parse_int(const std::string& text, std::int64_t min, std::int64_t max,
               std::int64_t& out) {
  if (text.empty())
    return false;
  errno = 0;
  char* end = nullptr;
  auto value = std::strtoll(text.c_str(), &end, 10);
  if (errno != 0 || *end != '\0' || value < min || value > max)
    return false;
  out = value;
  return true;
}

bool parse_rate(const std::string& text, double& out) {
  if (text.empty())
    return false;
  errno = 0;
  char* end = nullptr;
  auto value = std::strtod(text.c_str(), &end);
  if (errno != 0 || *end != '\0' || !(value >= 0.0 && value <= 1.0))
    return false;
  out = value;
  return true;
}

/// Applies one option's value; false with a message if it is invalid.
bool apply(serve_options& o, const std::string& name, const std::string& value,
           std::string& error) {
  std::int64_t number = 0;
  if (name == "host") {
    o.host = value;
  } else if (name == "port") {
    if (!parse_int(value, 0, 65535, number)) {
      error = "--port must be an integer from 0 to 65535";
      return false;
    }
    o.port = static_cast<std::uint16_t>(number);
  } else if (name == "db") {
    o.db = value;
  } else if (name == "uploads-dir") {
    if (value.empty()) {
      error = "--uploads-dir must not be empty";
      return false;
    }
    o.uploads_dir = value;
  } else if (name == "payment-failure-rate") {
    if (!parse_rate(value, o.payment_failure_rate)) {
      error = "--payment-failure-rate must be a number from 0 to 1";
      return false;
    }
  } else if (name == "payment-latency-ms") {
    if (!parse_int(value, 0, 3'600'000, o.payment_latency_ms)) {
      error = "--payment-latency-ms must be an integer from 0 to 3600000";
      return false;
    }
  } else if (name == "checkout-timeout-ms") {
    if (!parse_int(value, 1, 3'600'000, o.checkout_timeout_ms)) {
      error = "--checkout-timeout-ms must be an integer from 1 to 3600000";
      return false;
    }
  } else if (name == "commit-window-us") {
    if (!parse_int(value, 0, 1'000'000, o.commit_window_us)) {
      error = "--commit-window-us must be an integer from 0 to 1000000";
      return false;
    }
  } else if (name == "idle-timeout-ms") {
    if (!parse_int(value, 1, 86'400'000, o.idle_timeout_ms)) {
      error = "--idle-timeout-ms must be an integer from 1 to 86400000";
      return false;
    }
  } else if (name == "readers") {
    if (!parse_int(value, 0, 64, o.readers)) {
      error = "--readers must be an integer from 0 to 64";
      return false;
    }
  } else if (name == "reader-nice") {
    if (!parse_int(value, 0, 19, o.reader_nice)) {
      error = "--reader-nice must be an integer from 0 to 19";
      return false;
    }
  } else if (name == "hash-threads") {
    if (!parse_int(value, 1, 64, o.hash_threads)) {
      error = "--hash-threads must be an integer from 1 to 64";
      return false;
    }
  } else if (name == "threads") {
    if (!parse_int(value, 0, 256, o.threads)) {
      error = "--threads must be an integer from 0 to 256";
      return false;
    }
  } else if (name == "hash-queue") {
    if (!parse_int(value, 1, 100'000, o.hash_queue)) {
      error = "--hash-queue must be an integer from 1 to 100000";
      return false;
    }
  } else if (name == "cluster") {
    if (value.empty()) {
      error = "--cluster must name a cluster file";
      return false;
    }
    o.cluster_file = value;
  } else if (name == "node") {
    if (value.empty()) {
      error = "--node must name a node of the cluster file";
      return false;
    }
    o.node = value;
  } else if (name == "cors-origins") {
    if (!http::parse_cors_origins(value, error))
      return false;
    o.cors_origins = value;
  } else {
    error = "unknown option --" + name;
    return false;
  }
  return true;
}

struct env_option {
  const char* option;
  const char* variable;
};

constexpr env_option env_options[] = {
    {"host", "BOOKSTORE_HOST"},
    {"port", "BOOKSTORE_PORT"},
    {"db", "BOOKSTORE_DB"},
    {"payment-failure-rate", "BOOKSTORE_PAYMENT_FAILURE_RATE"},
    {"payment-latency-ms", "BOOKSTORE_PAYMENT_LATENCY_MS"},
    {"checkout-timeout-ms", "BOOKSTORE_CHECKOUT_TIMEOUT_MS"},
    {"commit-window-us", "BOOKSTORE_COMMIT_WINDOW_US"},
    {"idle-timeout-ms", "BOOKSTORE_IDLE_TIMEOUT_MS"},
    {"readers", "BOOKSTORE_READERS"},
    {"reader-nice", "BOOKSTORE_READER_NICE"},
    {"hash-threads", "BOOKSTORE_HASH_THREADS"},
    {"hash-queue", "BOOKSTORE_HASH_QUEUE"},
    {"threads", "BOOKSTORE_THREADS"},
    {"cors-origins", "BOOKSTORE_CORS_ORIGINS"},
    {"uploads-dir", "BOOKSTORE_UPLOADS_DIR"},
    {"cluster", "BOOKSTORE_CLUSTER"},
    {"node", "BOOKSTORE_NODE"},
};

} // namespace

command parse_command(const std::vector<std::string>& args) {
  command cmd;
  if (args.empty() || args[0] == "--help" || args[0] == "-h"
      || args[0] == "help") {
    cmd.kind = command::help;
    return cmd;
  }
  if (args[0] != "serve") {
    cmd.error = "unknown command '" + args[0] + "'";
    return cmd;
  }
  auto& o = cmd.options;
  for (auto& e : env_options)
    if (auto value = env(e.variable);
        value && !apply(o, e.option, *value, cmd.error)) {
      cmd.error += " (from " + std::string{e.variable} + ")";
      return cmd;
    }
  o.admin_email = env("BOOKSTORE_ADMIN_EMAIL");
  o.admin_password = env("BOOKSTORE_ADMIN_PASSWORD");
  o.secret_key = env("BOOKSTORE_SECRET_KEY");
  for (std::size_t i = 1; i < args.size(); ++i) {
    auto arg = args[i];
    if (arg == "--help" || arg == "-h") {
      cmd.kind = command::help;
      return cmd;
    }
    if (arg.rfind("--", 0) != 0) {
      cmd.error = "unexpected argument '" + arg + "'";
      return cmd;
    }
    std::string name = arg.substr(2);
    std::string value;
    if (auto eq = name.find('='); eq != std::string::npos) {
      value = name.substr(eq + 1);
      name = name.substr(0, eq);
    } else if (i + 1 < args.size()) {
      value = args[++i];
    } else {
      cmd.error = "option --" + name + " needs a value";
      return cmd;
    }
    if (!apply(o, name, value, cmd.error))
      return cmd;
  }
  if (o.cluster_file.empty() != o.node.empty()) {
    cmd.error = "--cluster and --node go together";
    return cmd;
  }
  cmd.kind = command::serve;
  return cmd;
}

std::string usage() {
  return R"(usage: bookstore serve [options]
       bookstore --help

Serves the bookstore's HTTP API (see API.md) from an embedded SQLite file.

options (each also read from the environment variable in brackets; the flag
wins):
  --host ADDR                  [BOOKSTORE_HOST] address to listen on
                               (default 127.0.0.1)
  --port N                     [BOOKSTORE_PORT] port; 0 picks a free one
                               (default 8080)
  --db PATH                    [BOOKSTORE_DB] SQLite file, created with its
                               schema if missing; :memory: for a throwaway
                               store (default bookstore.db)
  --payment-failure-rate R     [BOOKSTORE_PAYMENT_FAILURE_RATE] chance that
                               the mock provider declines (default 0.10)
  --payment-latency-ms N       [BOOKSTORE_PAYMENT_LATENCY_MS] simulated
                               provider delay per charge (default 0)
  --checkout-timeout-ms N      [BOOKSTORE_CHECKOUT_TIMEOUT_MS] a payment that
                               takes longer gives 504 (default 10000)
  --commit-window-us N         [BOOKSTORE_COMMIT_WINDOW_US] under load, a
                               commit waits up to N microseconds for as many
                               writes as the last one held, so that more
                               writes share one fsync (default 0: commit
                               whenever the store is idle)
  --idle-timeout-ms N          [BOOKSTORE_IDLE_TIMEOUT_MS] book and cart
                               actors idle this long are stopped and loaded
                               again when needed, which bounds memory for a
                               large catalog (default 60000)
  --readers N                  [BOOKSTORE_READERS] read-only SQLite
                               connections, each on its own thread, that
                               answer searches, listings, orders and
                               reports beside the commits (default 1; 0:
                               the store answers them between commits)
  --reader-nice N              [BOOKSTORE_READER_NICE] the readers' threads
                               run at this nice value (0 to 19): checkouts
                               then get the larger share of busy cores, and
                               reads less (default 0: the same priority)
  --hash-threads N             [BOOKSTORE_HASH_THREADS] threads that hash
                               passwords (Argon2id, 64 MiB each) for
                               register and login, apart from the threads
                               serving other requests (default 2)
  --hash-queue N               [BOOKSTORE_HASH_QUEUE] hashes that may wait
                               for those threads; beyond that, register and
                               login answer 503 AUTH_BUSY (default 32)
  --threads N                  [BOOKSTORE_THREADS] threads that run the
                               actors (default 0: CAF's, the cores or 4,
                               whichever is more; a node of a cluster whose
                               file has other nodes on its machine takes its
                               share of the cores: bench/CLUSTER.md)
  --cors-origins LIST          [BOOKSTORE_CORS_ORIGINS] comma-separated
                               origins (scheme://host[:port]) whose browser
                               pages may call the API with credentials; *
                               for any, empty for none (default
                               http://localhost:3000,http://127.0.0.1:3000)
  --uploads-dir PATH           [BOOKSTORE_UPLOADS_DIR] where uploaded images
                               live, created if missing (default: uploads
                               beside the --db file; a temporary folder for
                               :memory:)
  --cluster FILE --node NAME   [BOOKSTORE_CLUSTER, BOOKSTORE_NODE] run as
                               node NAME of the cluster FILE describes
                               (API.md, "Cluster"): --host, --port and --db
                               come from its entry, and
                               BOOKSTORE_SECRET_KEY is required

environment only:
  BOOKSTORE_ADMIN_EMAIL, BOOKSTORE_ADMIN_PASSWORD
                               create or promote this admin account at start
  BOOKSTORE_SECRET_KEY         JWT signing secret; without it one is
                               generated and kept in the database

It prints "listening on http://HOST:PORT" once ready, logs one line per
request to stderr, and on SIGINT or SIGTERM stops accepting, answers what is
in flight and exits 0.
)";
}

} // namespace bookstore::app
