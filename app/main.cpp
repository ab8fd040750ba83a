// The bookstore program: `bookstore serve` runs the HTTP API over the actor
// core; `bookstore --help` says how.

#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <memory>

#include <pthread.h>
#include <random>
#include <thread>

#include "caf/all.hpp"
#include "caf/io/all.hpp"
#include "caf/openssl/manager.hpp"
#include "caf/openssl/publish.hpp"

#include "actors/core.hpp"
#include "app/bootstrap.hpp"
#include "app/cluster_file.hpp"
#include "app/options.hpp"
#include "app/peer_tls.hpp"
#include "cluster/front.hpp"
#include "cluster/links.hpp"
#include "cluster/wire.hpp"
#include "gateway/api/context.hpp"
#include "gateway/api/dispatch.hpp"
#include "gateway/api/router.hpp"
#include "gateway/http/response.hpp"
#include "gateway/http/server.hpp"
#include "gateway/uploads/upload_dir.hpp"
#include "model/text.hpp"

using namespace bookstore;

namespace {

/// SIGINT and SIGTERM are blocked in every thread (CAF's threads inherit the
/// mask) and taken by sigwait in main, so a stop is an ordinary event.
sigset_t stop_signals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  return set;
}

/// Which step of a stop runs: a thread of its own says it every 5 s once
/// the stop takes longer, so that a stop that hangs tells where (the
/// steps are quick: a hang is a bug to find).
std::atomic<const char*> stop_step{nullptr};

void watch_stop() {
  std::thread{[] {
    for (int waited = 5;; waited += 5) {
      std::this_thread::sleep_for(std::chrono::seconds{5});
      if (const char* step = stop_step.load())
        std::cerr << "stopping: still " << step << " after " << waited
                  << " s\n";
    }
  }}.detach();
}

/// The temporary uploads folder of a ":memory:" store: as throwaway as the
/// store, removed when serve() returns.
struct temp_folder {
  std::string path;
  ~temp_folder() {
    std::error_code ec;
    if (!path.empty())
      std::filesystem::remove_all(path, ec);
  }
};

core_config core_config_of(const app::serve_options& o) {
  core_config config;
  config.database_path = o.db;
  config.payment_failure_rate = o.payment_failure_rate;
  config.payment_latency = std::chrono::milliseconds{o.payment_latency_ms};
  config.payment_seed = std::random_device{}();
  config.checkout_timeout = std::chrono::milliseconds{o.checkout_timeout_ms};
  config.group_commit_window = std::chrono::microseconds{o.commit_window_us};
  config.idle_timeout = std::chrono::milliseconds{o.idle_timeout_ms};
  config.readers = static_cast<std::size_t>(o.readers);
  config.reader_nice = static_cast<int>(o.reader_nice);
  config.reservation_timeout =
      config.checkout_timeout + std::chrono::seconds{20};
  return config;
}

/// This process as a node of a cluster (API.md, "Cluster").
struct node_role {
  model::cluster cluster;
  std::size_t index = 0; // in ownership order
  model::cluster_node self;
};

/// Reads the cluster file and finds this node in it; with its entry's
/// address and file in `o`. Nothing, after saying why on stderr, if it
/// cannot run.
std::optional<node_role> node_role_of(app::serve_options& o) {
  node_role role;
  try {
    role.cluster = app::load_cluster_file(o.cluster_file);
  } catch (const app::cluster_file_error& e) {
    std::cerr << "bookstore: " << e.what() << "\n";
    return std::nullopt;
  }
  auto index = model::node_index(role.cluster, o.node);
  if (!index) {
    std::cerr << "bookstore: node '" << o.node << "' is not in "
              << o.cluster_file << "\n";
    return std::nullopt;
  }
  // Every node signs and checks the others' tokens: one secret for all.
  if (!o.secret_key || o.secret_key->empty()) {
    std::cerr << "bookstore: a cluster node needs BOOKSTORE_SECRET_KEY, the "
                 "same on every node\n";
    return std::nullopt;
  }
  if (role.cluster.tls) {
    if (auto problem = app::tls_problem(*role.cluster.tls)) {
      std::cerr << "bookstore: " << *problem << "\n";
      return std::nullopt;
    }
  }
  role.index = *index;
  role.self = model::ownership_order(role.cluster)[*index];
  o.host = role.self.http.host;
  o.port = role.self.http.port;
  o.db = role.self.db;
  return role;
}

/// Starts the node's front on its peer address and its links to the
/// others; the view the gateway routes with. Nothing if the peer address
/// cannot be bound.
std::shared_ptr<gateway::cluster_view>
join_cluster(caf::actor_system& sys, const node_role& role,
             const std::shared_ptr<gateway::context>& ctx,
             cluster::front_actor& front) {
  auto nodes = model::ownership_order(role.cluster);
  std::vector<std::string> names;
  std::vector<model::endpoint> addresses;
  for (auto& node : nodes) {
    names.push_back(node.name);
    addresses.push_back(node.peer);
  }
  auto view = std::make_shared<gateway::cluster_view>();
  view->peers = std::make_shared<cluster::peer_table>(names, role.index);
  view->owners = model::ownership{nodes.size()};
  // With tls, peers reach the front over TLS only (nothing listens in
  // plain text), and the links connect over TLS.
  bool tls = role.cluster.tls.has_value();
  view->links =
      cluster::spawn_links(sys, view->peers, addresses,
                           caf::actor_cast<caf::actor>(ctx->shop.registry),
                           tls ? sys.openssl_manager().actor_handle()
                               : sys.middleman().actor_handle());
  // The front holds the context through this function; it is killed
  // before the context goes (see serve).
  std::weak_ptr<gateway::context> weak = ctx;
  front = cluster::spawn_front(
      sys, view->peers,
      [weak](caf::event_based_actor* self, http::request&& req,
             std::int64_t as_user, bool as_admin, http::responder respond) {
        auto ctx = weak.lock();
        if (!ctx) {
          respond(http::server_error(503));
          return;
        }
        gateway::route_forwarded(self, ctx, std::move(req), as_user, as_admin,
                                 std::move(respond));
      },
      caf::actor_cast<caf::actor>(ctx->shop.registry), view->links);
  auto port = tls ? caf::openssl::publish(front, role.self.peer.port,
                                          role.self.peer.host.c_str(), true)
                  : sys.middleman().publish(front, role.self.peer.port,
                                            role.self.peer.host.c_str(), true);
  if (!port) {
    std::cerr << "cannot listen for peers on " << role.self.peer.host << ":"
              << role.self.peer.port << ": " << sys.render(port.error())
              << "\n";
    caf::anon_send_exit(front, caf::exit_reason::user_shutdown);
    caf::anon_send_exit(view->links, caf::exit_reason::user_shutdown);
    return nullptr;
  }
  caf::anon_send(view->links, cluster::front_atom::value, front);
  return view;
}

/// Stops the node's front and links, so that the actor system can end.
void leave_cluster(gateway::context& ctx, const cluster::front_actor& front) {
  if (!ctx.cluster)
    return;
  caf::anon_send_exit(front, caf::exit_reason::user_shutdown);
  caf::anon_send_exit(ctx.cluster->links, caf::exit_reason::user_shutdown);
  ctx.cluster = nullptr;
}

int serve(app::serve_options o) {
  auto signals = stop_signals();
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  std::signal(SIGPIPE, SIG_IGN);

  std::optional<node_role> role;
  if (!o.cluster_file.empty()) {
    role = node_role_of(o);
    if (!role)
      return 2;
  }
  caf::actor_system_config cfg;
  cfg.load<caf::io::middleman>();
  auto threads = static_cast<std::size_t>(o.threads);
  if (threads == 0 && role)
    threads = model::default_threads(
        std::thread::hardware_concurrency(),
        model::nodes_sharing_machine(role->cluster, o.node));
  if (threads > 0)
    cfg.set("scheduler.max-threads", threads);
  if (role && role->cluster.tls)
    app::use_peer_tls(cfg, *role->cluster.tls);
  cluster::announce_peer_types(cfg);
  caf::actor_system sys{cfg};
  core shop;
  try {
    auto config = core_config_of(o);
    if (role) {
      config.id_space_count =
          static_cast<std::int64_t>(role->cluster.nodes.size());
      config.id_space_index = static_cast<std::int64_t>(role->index);
    }
    shop = start(sys, config);
  } catch (const std::exception& e) {
    std::cerr << "cannot open database " << o.db << ": " << e.what() << "\n";
    return 1;
  }
  caf::scoped_actor self{sys};
  temp_folder temp_uploads;
  auto ctx = std::make_shared<gateway::context>();
  ctx->shop = shop;
  std::string cors_error; // the options were checked already
  ctx->cors = *http::parse_cors_origins(o.cors_origins, cors_error);
  ctx->hashing = std::make_shared<auth::hash_pool>(
      static_cast<std::size_t>(o.hash_threads),
      static_cast<std::size_t>(o.hash_queue));
  // Uploaded images are read and written on threads of their own (see
  // routes_uploads.cpp): two, and at most 16 files waiting (16 x 5 MiB).
  ctx->files = std::make_shared<auth::hash_pool>(2, 16);
  try {
    ctx->uploads_dir =
        o.uploads_dir.empty() ? uploads::default_dir(o.db) : o.uploads_dir;
    if (o.uploads_dir.empty() && (o.db.empty() || o.db == ":memory:"))
      temp_uploads.path = ctx->uploads_dir;
    uploads::make_dir(ctx->uploads_dir);
    ctx->auth.jwt_secret = app::signing_secret(self, shop, o.secret_key);
    // In a cluster the admin account lives on its owner only.
    bool admin_here =
        !role || !o.admin_email
        || model::ownership{role->cluster.nodes.size()}.owner_of_key(
               model::to_lower_ascii(*o.admin_email))
               == role->index;
    if (admin_here)
      app::bootstrap_admin(self, shop, *ctx->hashing, o.admin_email,
                           o.admin_password, ctx->auth.password_cost);
  } catch (const std::exception& e) {
    std::cerr << "cannot start: " << e.what() << "\n";
    ctx->hashing->stop();
    ctx->files->stop();
    stop(shop);
    return 1;
  }
  // The first dummy verification computes its hash (two Argon2id runs):
  // in the background on the pool, ahead of any login, and not between
  // start-up and listening.
  ctx->hashing->try_post(
      [cost = ctx->auth.password_cost] { auth::verify_dummy("", cost); });

  cluster::front_actor front;
  if (role) {
    ctx->cluster = join_cluster(sys, *role, ctx, front);
    if (!ctx->cluster) {
      ctx->hashing->stop();
      ctx->files->stop();
      stop(shop);
      return 1;
    }
  }

  http::server_config server_config;
  server_config.host = o.host;
  server_config.port = o.port;
  // Larger bodies on the upload route only (router.hpp).
  server_config.body_limit =
      [max = server_config.max_body](std::string_view method,
                                     std::string_view path) {
        return gateway::body_limit(method, path, max);
      };
  caf::actor server;
  auto port = http::start_server(sys, server_config, gateway::make_handler(ctx),
                                 server);
  if (!port) {
    std::cerr << "cannot listen on " << o.host << ":" << o.port << ": "
              << sys.render(port.error()) << "\n";
    leave_cluster(*ctx, front);
    ctx->hashing->stop();
    ctx->files->stop();
    stop(shop);
    return 1;
  }
  std::printf("listening on http://%s:%u\n", o.host.c_str(),
              static_cast<unsigned>(*port));
  std::fflush(stdout);

  int sig = 0;
  sigwait(&signals, &sig);
  std::cerr << "stopping: finishing the requests in flight\n";
  http::stop_server_and_wait(sys, server);
  // Each step of a stop says when it is done, so that a stop that hangs
  // shows where.
  std::cerr << "stopping: connections closed, ending the actors\n";
  watch_stop();
  leave_cluster(*ctx, front);
  // Every request is answered: no hash is left to wait for.
  stop_step = "ending the password hashing threads";
  ctx->hashing->stop();
  stop_step = "ending the upload file threads";
  ctx->files->stop();
  stop(shop);
  // The actor system's destructor waits for every actor, the store's last
  // commit and close included.
  stop_step = "waiting for the actors to end";
  // Timers of closed connections may still hold the handler, and with it
  // the context: drop its handles, or the store's thread would wait for
  // them when the actor system shuts down.
  ctx->shop = core{};
  return 0;
}

} // namespace

int main(int argc, char** argv) {
  auto cmd = app::parse_command({argv + 1, argv + argc});
  switch (cmd.kind) {
  case app::command::help:
    std::cout << app::usage();
    return 0;
  case app::command::invalid:
    std::cerr << "bookstore: " << cmd.error
              << "\nrun 'bookstore --help' for usage\n";
    return 2;
  case app::command::serve:
    break;
  }
  auto status = serve(cmd.options);
  stop_step = nullptr;
  // Here the actor system has ended: every actor is done, the file closed.
  if (status == 0)
    std::cerr << "stopped\n";
  return status;
}
