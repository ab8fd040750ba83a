// The bookstore program: `bookstore serve` runs the HTTP API over the actor
// core; `bookstore --help` says how.

#include <csignal>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <memory>

#include <pthread.h>
#include <random>

#include "caf/all.hpp"
#include "caf/io/all.hpp"

#include "actors/core.hpp"
#include "app/bootstrap.hpp"
#include "app/options.hpp"
#include "gateway/api/context.hpp"
#include "gateway/api/dispatch.hpp"
#include "gateway/api/router.hpp"
#include "gateway/http/server.hpp"
#include "gateway/uploads/upload_dir.hpp"

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

int serve(const app::serve_options& o) {
  auto signals = stop_signals();
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  std::signal(SIGPIPE, SIG_IGN);

  caf::actor_system_config cfg;
  cfg.load<caf::io::middleman>();
  caf::actor_system sys{cfg};
  core shop;
  try {
    shop = start(sys, core_config_of(o));
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
  // Every request is answered: no hash is left to wait for.
  ctx->hashing->stop();
  ctx->files->stop();
  stop(shop);
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
  return serve(cmd.options);
}
