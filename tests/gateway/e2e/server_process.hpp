#pragma once

// Runs `bookstore serve` as a child process for the black-box tests.

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <mutex>
#include <string>
#include <thread>
#include <utility>
#include <vector>

namespace e2e {

// What every test server is started with (API.md, Auth and Operations).
inline constexpr const char* admin_email = "admin@example.com";
inline constexpr const char* admin_password = "adminpass123";
inline constexpr const char* secret_key =
    "e2e-black-box-secret-key-0123456789abcdef";

struct server_options {
  /// Appended after `serve --port 0 --db <db> --payment-failure-rate <r>`.
  /// Note for tests that start more than one server: the child gets
  /// PR_SET_PDEATHSIG, which fires when the *thread* that started it ends,
  /// so start servers from the test's own thread.
  std::vector<std::string> extra_args;
  /// Set in the child's environment after the defaults (later wins).
  std::vector<std::pair<std::string, std::string>> extra_env;
  /// Empty: the flag is left out (the environment or default applies).
  std::string payment_failure_rate = "0";
  /// Empty: a fresh file in a private temp directory, removed at the end.
  /// Otherwise this file is used (created if missing, reused if it exists)
  /// and left in place with its -wal/-shm files, so another server can be
  /// started on it (restart and crash tests).
  std::string db_path;
  /// BOOKSTORE_SECRET_KEY; empty leaves it unset.
  std::string secret = secret_key;
  /// BOOKSTORE_ADMIN_EMAIL / _PASSWORD; false leaves them unset.
  bool with_admin = true;
  std::chrono::seconds start_timeout{15};
};

/// The server as a child process. The constructor returns once the server
/// printed `listening on http://HOST:PORT`, or throws std::runtime_error
/// (with the tail of its stderr). The destructor stops it (SIGTERM, bounded
/// wait, SIGKILL as a last resort) and removes its files.
class server_process {
public:
  explicit server_process(server_options options = {});
  ~server_process();
  server_process(const server_process&) = delete;
  server_process& operator=(const server_process&) = delete;

  std::uint16_t port() const noexcept { return port_; }
  const std::string& host() const noexcept { return host_; }
  pid_t pid() const noexcept { return pid_; }
  const std::string& db_path() const noexcept { return db_path_; }
  /// The line the server printed when ready.
  const std::string& listening_line() const noexcept { return listening_; }

  /// Sends `sig` (SIGTERM by default) and waits at most `wait` for the exit.
  /// Returns the exit code, 128 + signal if a signal ended it, or -1 when it
  /// did not stop in time (it is then killed). Later calls return the same.
  int stop(int sig = 15,
           std::chrono::milliseconds wait = std::chrono::milliseconds(10000));
  /// SIGKILL (a crash: no cleanup at all) and waits at most `wait` for the
  /// exit. Returns the status: 128 + 9 when the kill ended it, something
  /// else if the server had already ended by itself.
  int kill(std::chrono::milliseconds wait = std::chrono::milliseconds(10000));
  /// Sends a signal without waiting.
  void signal(int sig) const;
  /// SIGSTOP, then waits at most `wait` until every thread of the server is
  /// stopped; false if one still ran. kill() returns before a multithreaded
  /// process has stopped: one thread takes the signal and stops the others
  /// once it is scheduled, and on a loaded machine they answer requests
  /// meanwhile.
  bool pause(std::chrono::milliseconds wait);
  /// Waits at most `wait` for the exit: the result of stop(), or -1 while
  /// the server still runs (it is left running).
  int wait_exit(std::chrono::milliseconds wait);
  /// Sets the server's RLIMIT_FSIZE (prlimit): writes past `bytes` then
  /// fail with EFBIG, as on a full disk (SIGXFSZ is ignored in the child).
  /// `unlimited` lifts the limit again.
  void set_file_size_limit(unsigned long long bytes);
  static constexpr unsigned long long unlimited = ~0ULL;
  /// True while the child has not exited.
  bool running();
  bool stopped() const noexcept { return exited_; }
  int exit_status() const noexcept { return status_; }

  /// The last `max_bytes` of what the server wrote to stderr.
  std::string stderr_tail(std::size_t max_bytes = 4000) const;
  /// Everything written to stdout so far (including the listening line).
  std::string stdout_text() const;

private:
  void drain_stdout();

  server_options options_;
  std::string dir_;
  std::string db_path_;
  std::string stderr_path_;
  bool own_db_ = true;
  pid_t pid_ = -1;
  int stdout_fd_ = -1;
  std::uint16_t port_ = 0;
  std::string host_;
  std::string listening_;
  bool exited_ = false;
  int status_ = -1;
  std::thread drain_;
  mutable std::mutex stdout_mutex_;
  std::string stdout_buf_;
};

/// `count` distinct TCP ports free on 127.0.0.1 now, below the kernel's
/// range for connections (bound at once, then released: a later bind by
/// another test can still take one, which the tests then report).
std::vector<std::uint16_t> free_loopback_ports(std::size_t count);

/// One server per `name` for the whole test program, started on first use
/// and stopped when the program ends. With BOOKSTORE_E2E_CLUSTER=N (2 to
/// 8) in the environment, each is a cluster of N nodes on loopback (API.md,
/// "Cluster") and this is its first node, whose clients send each request
/// to a random node (http_client); the suite expects of it what it expects
/// of one server. a server that does not exit 0 on
/// SIGTERM then makes the test program fail. A server that failed to start
/// is not retried (the same exception is thrown again at once).
server_process& shared_server(const std::string& name,
                              const server_options& options = {});

/// Runs the binary with `args` to completion (bounded by `timeout`), with
/// `env` set in its environment (and no other BOOKSTORE_ variable),
/// returning its exit code and what it wrote to stdout and stderr.
struct run_result {
  int exit_code = -1;
  std::string out;
  std::string err;
};
run_result
run_binary(const std::vector<std::string>& args,
           std::chrono::milliseconds timeout = std::chrono::milliseconds(10000),
           const std::vector<std::pair<std::string, std::string>>& env = {});

/// The path of the bookstore binary under test.
const char* binary_path();

} // namespace e2e
