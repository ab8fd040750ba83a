#include "server_process.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <random>
#include <stdexcept>
#include <thread>

#include "http_client.hpp"
#include "tests/support/timeouts.hpp"

extern char** environ;

#ifndef BOOKSTORE_BINARY
#error "BOOKSTORE_BINARY must name the bookstore program under test"
#endif

namespace e2e {

namespace {

using clock_type = std::chrono::steady_clock;

std::string make_temp_dir() {
  std::string templ =
      (std::filesystem::temp_directory_path() / "bookstore-e2e-XXXXXX")
          .string();
  if (::mkdtemp(templ.data()) == nullptr)
    throw std::runtime_error("mkdtemp failed: "
                             + std::string(std::strerror(errno)));
  return templ;
}

// The environment of the child: ours without any BOOKSTORE_* variable (so
// the developer's shell cannot change the tests), plus `extra`.
std::vector<std::string> child_environment(
    const std::vector<std::pair<std::string, std::string>>& extra) {
  std::vector<std::string> env;
  for (char** e = environ; e != nullptr && *e != nullptr; ++e) {
    std::string_view kv{*e};
    if (kv.rfind("BOOKSTORE_", 0) == 0)
      continue;
    env.emplace_back(kv);
  }
  for (auto& [k, v] : extra) {
    auto prefix = k + "=";
    for (auto it = env.begin(); it != env.end();) {
      if (it->rfind(prefix, 0) == 0)
        it = env.erase(it);
      else
        ++it;
    }
    env.push_back(prefix + v);
  }
  return env;
}

std::vector<char*> c_strings(std::vector<std::string>& v) {
  std::vector<char*> out;
  out.reserve(v.size() + 1);
  for (auto& s : v)
    out.push_back(s.data());
  out.push_back(nullptr);
  return out;
}

int decode_status(int wstatus) {
  if (WIFEXITED(wstatus))
    return WEXITSTATUS(wstatus);
  if (WIFSIGNALED(wstatus))
    return 128 + WTERMSIG(wstatus);
  return -1;
}

// fork + exec. In the child only async-signal-safe calls happen: everything
// is prepared before the fork. The child dies with its parent thread
// (PR_SET_PDEATHSIG) so a crashed test program leaves no server behind.
pid_t spawn(std::vector<std::string> argv, std::vector<std::string> env,
            int stdout_fd, int stderr_fd) {
  auto args = c_strings(argv);
  auto envp = c_strings(env);
  pid_t parent = ::getpid();
  pid_t pid = ::fork();
  if (pid < 0)
    throw std::runtime_error("fork failed: "
                             + std::string(std::strerror(errno)));
  if (pid == 0) {
    ::prctl(PR_SET_PDEATHSIG, SIGTERM);
    // A file size limit (set_file_size_limit) must fail writes, not kill.
    ::signal(SIGXFSZ, SIG_IGN);
    if (::getppid() != parent)
      ::_exit(126);
    int devnull = ::open("/dev/null", O_RDONLY);
    if (devnull >= 0)
      ::dup2(devnull, 0);
    ::dup2(stdout_fd, 1);
    ::dup2(stderr_fd, 2);
    // Every other descriptor of the test program is O_CLOEXEC or closed by
    // the dup2s above; sockets of the http_client are O_CLOEXEC too.
    ::execve(args[0], args.data(), envp.data());
    ::_exit(127);
  }
  return pid;
}

} // namespace

const char* binary_path() {
  return BOOKSTORE_BINARY;
}

server_process::server_process(server_options options)
    : options_(std::move(options)) {
  dir_ = make_temp_dir();
  stderr_path_ = dir_ + "/stderr.log";
  if (options_.db_path.empty()) {
    db_path_ = dir_ + "/store.db";
  } else {
    db_path_ = options_.db_path;
    own_db_ = false;
  }

  std::vector<std::string> argv{binary_path(), "serve", "--port",
                                "0",           "--db",  db_path_};
  if (!options_.payment_failure_rate.empty()) {
    argv.push_back("--payment-failure-rate");
    argv.push_back(options_.payment_failure_rate);
  }
  for (auto& a : options_.extra_args)
    argv.push_back(a);

  std::vector<std::pair<std::string, std::string>> vars;
  if (!options_.secret.empty())
    vars.emplace_back("BOOKSTORE_SECRET_KEY", options_.secret);
  if (options_.with_admin) {
    vars.emplace_back("BOOKSTORE_ADMIN_EMAIL", admin_email);
    vars.emplace_back("BOOKSTORE_ADMIN_PASSWORD", admin_password);
  }
  for (auto& kv : options_.extra_env)
    vars.push_back(kv);
  auto env = child_environment(vars);

  int out_pipe[2];
  if (::pipe2(out_pipe, O_CLOEXEC) != 0)
    throw std::runtime_error("pipe2 failed");
  int err_fd = ::open(stderr_path_.c_str(),
                      O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (err_fd < 0) {
    ::close(out_pipe[0]);
    ::close(out_pipe[1]);
    throw std::runtime_error("cannot create " + stderr_path_);
  }
  try {
    pid_ = spawn(argv, env, out_pipe[1], err_fd);
  } catch (...) {
    ::close(out_pipe[0]);
    ::close(out_pipe[1]);
    ::close(err_fd);
    throw;
  }
  ::close(out_pipe[1]);
  ::close(err_fd);
  stdout_fd_ = out_pipe[0];

  // Read stdout until the listening line, the end of the child, or timeout.
  const auto start_timeout = test_support::scaled(options_.start_timeout);
  auto deadline = clock_type::now() + start_timeout;
  std::string failure;
  for (;;) {
    auto pos = stdout_buf_.find("listening on http://");
    if (pos != std::string::npos) {
      auto eol = stdout_buf_.find('\n', pos);
      if (eol != std::string::npos) {
        listening_ = stdout_buf_.substr(pos, eol - pos);
        if (!listening_.empty() && listening_.back() == '\r')
          listening_.pop_back();
        auto addr = listening_.substr(std::strlen("listening on http://"));
        auto colon = addr.rfind(':');
        if (colon == std::string::npos) {
          failure = "no port in the listening line";
          break;
        }
        host_ = addr.substr(0, colon);
        auto port = std::strtol(addr.c_str() + colon + 1, nullptr, 10);
        if (port <= 0 || port > 65535) {
          failure = "bad port in the listening line";
          break;
        }
        port_ = static_cast<std::uint16_t>(port);
        break;
      }
    }
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                    deadline - clock_type::now())
                    .count();
    if (left <= 0) {
      failure = "no listening line within "
                + std::to_string(start_timeout.count()) + " ms";
      break;
    }
    pollfd pfd{stdout_fd_, POLLIN, 0};
    int rc = ::poll(&pfd, 1, static_cast<int>(left));
    if (rc < 0 && errno == EINTR)
      continue;
    if (rc <= 0)
      continue;
    char buf[4096];
    auto n = ::read(stdout_fd_, buf, sizeof(buf));
    if (n > 0) {
      stdout_buf_.append(buf, static_cast<std::size_t>(n));
      continue;
    }
    if (n < 0 && errno == EINTR)
      continue;
    failure = "the server closed stdout before listening";
    break;
  }

  if (!failure.empty()) {
    int st = stop(SIGTERM, std::chrono::milliseconds(3000));
    std::string msg = "bookstore did not start: " + failure + " (exit status "
                      + std::to_string(st) + ")\nstdout:\n" + stdout_text()
                      + "\nstderr tail:\n" + stderr_tail();
    if (own_db_) {
      std::error_code ec;
      std::filesystem::remove_all(dir_, ec);
    }
    throw std::runtime_error(msg);
  }
  drain_ = std::thread([this] { drain_stdout(); });
}

server_process::~server_process() {
  // A server the test already stopped (or killed) was judged by the test.
  bool was_running = pid_ > 0 && !exited_;
  int st = stop();
  if (was_running && st != 0) {
    std::fprintf(stderr,
                 "[e2e] bookstore (pid %d) exited with status %d on "
                 "SIGTERM; stderr tail:\n%s\n",
                 static_cast<int>(pid_), st, stderr_tail().c_str());
  }
  // The directory holds the stderr log and, unless the caller named its
  // own database file, the database with its -wal and -shm files.
  std::error_code ec;
  std::filesystem::remove_all(dir_, ec);
}

void server_process::drain_stdout() {
  char buf[4096];
  for (;;) {
    auto n = ::read(stdout_fd_, buf, sizeof(buf));
    if (n > 0) {
      std::lock_guard<std::mutex> guard{stdout_mutex_};
      stdout_buf_.append(buf, static_cast<std::size_t>(n));
      continue;
    }
    if (n < 0 && errno == EINTR)
      continue;
    return; // EOF: the child exited (or closed its stdout)
  }
}

int server_process::kill(std::chrono::milliseconds wait) {
  return stop(SIGKILL, wait);
}

void server_process::signal(int sig) const {
  if (!exited_ && pid_ > 0)
    ::kill(pid_, sig);
}

namespace {

/// Whether every thread of `pid` is stopped (state T in /proc).
bool all_threads_stopped(pid_t pid) {
  namespace fs = std::filesystem;
  std::error_code ec;
  fs::directory_iterator tasks{"/proc/" + std::to_string(pid) + "/task", ec};
  if (ec)
    return false;
  for (auto& task : tasks) {
    std::ifstream stat{task.path() / "stat"};
    std::string line;
    std::getline(stat, line);
    // pid (comm) state ...: comm may hold spaces and parentheses.
    auto close = line.rfind(')');
    if (close == std::string::npos || close + 2 >= line.size()
        || line[close + 2] != 'T')
      return false;
  }
  return true;
}

} // namespace

bool server_process::pause(std::chrono::milliseconds wait) {
  if (exited_ || pid_ <= 0)
    return false;
  ::kill(pid_, SIGSTOP);
  auto deadline = std::chrono::steady_clock::now() + wait;
  while (!all_threads_stopped(pid_)) {
    if (std::chrono::steady_clock::now() >= deadline)
      return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  return true;
}

void server_process::set_file_size_limit(unsigned long long bytes) {
  if (exited_ || pid_ <= 0)
    throw std::runtime_error("set_file_size_limit: the server is not running");
  rlimit old{};
  if (::prlimit(pid_, RLIMIT_FSIZE, nullptr, &old) != 0)
    throw std::runtime_error("prlimit failed: "
                             + std::string(std::strerror(errno)));
  rlimit lim = old;
  lim.rlim_cur =
      bytes == unlimited
          ? old.rlim_max
          : std::min<rlim_t>(static_cast<rlim_t>(bytes), old.rlim_max);
  if (::prlimit(pid_, RLIMIT_FSIZE, &lim, nullptr) != 0)
    throw std::runtime_error("prlimit failed: "
                             + std::string(std::strerror(errno)));
}

bool server_process::running() {
  if (exited_ || pid_ <= 0)
    return false;
  int wstatus = 0;
  auto rc = ::waitpid(pid_, &wstatus, WNOHANG);
  if (rc == pid_) {
    exited_ = true;
    status_ = decode_status(wstatus);
    return false;
  }
  return true;
}

int server_process::wait_exit(std::chrono::milliseconds wait) {
  auto deadline = clock_type::now() + test_support::scaled(wait);
  while (running()) {
    if (clock_type::now() >= deadline)
      return -1;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  if (drain_.joinable())
    drain_.join();
  if (stdout_fd_ >= 0) {
    ::close(stdout_fd_);
    stdout_fd_ = -1;
  }
  return status_;
}

int server_process::stop(int sig, std::chrono::milliseconds wait) {
  if (pid_ <= 0)
    return status_;
  if (!exited_) {
    signal(sig);
    if (wait_exit(wait) == -1 && !exited_) {
      ::kill(pid_, SIGKILL);
      int wstatus = 0;
      while (::waitpid(pid_, &wstatus, 0) < 0 && errno == EINTR) {
      }
      exited_ = true;
      status_ = -1;
    }
  }
  if (drain_.joinable())
    drain_.join();
  if (stdout_fd_ >= 0) {
    ::close(stdout_fd_);
    stdout_fd_ = -1;
  }
  return status_;
}

std::string server_process::stderr_tail(std::size_t max_bytes) const {
  std::FILE* f = std::fopen(stderr_path_.c_str(), "rb");
  if (f == nullptr)
    return "(no stderr log)";
  std::fseek(f, 0, SEEK_END);
  long size = std::ftell(f);
  long from = size > static_cast<long>(max_bytes)
                  ? size - static_cast<long>(max_bytes)
                  : 0;
  std::fseek(f, from, SEEK_SET);
  std::string out(static_cast<std::size_t>(size - from), '\0');
  auto n = std::fread(out.data(), 1, out.size(), f);
  out.resize(n);
  std::fclose(f);
  return out;
}

std::string server_process::stdout_text() const {
  std::lock_guard<std::mutex> guard{stdout_mutex_};
  return stdout_buf_;
}

namespace {

struct registry {
  std::mutex mutex;
  std::map<std::string, std::unique_ptr<server_process>> servers;
  // In cluster mode: the other nodes of each server (its first node is in
  // `servers`).
  std::map<std::string, std::vector<std::unique_ptr<server_process>>> others;
  std::map<std::string, std::string> failures;

  ~registry() {
    bool bad = false;
    auto stop = [&](const std::string& name, server_process& srv) {
      int st = srv.stop();
      if (st != 0) {
        bad = true;
        std::fprintf(stderr,
                     "[e2e] server '%s' exited with status %d on SIGTERM "
                     "(expected 0); stderr tail:\n%s\n",
                     name.c_str(), st, srv.stderr_tail().c_str());
      }
    };
    for (auto& [name, srv] : servers)
      stop(name, *srv);
    for (auto& [name, nodes] : others)
      for (auto& node : nodes)
        stop(name, *node);
    servers.clear();
    others.clear();
    if (bad) {
      std::fflush(stdout);
      std::fflush(stderr);
      std::_Exit(EXIT_FAILURE);
    }
  }
};

} // namespace

namespace {

/// The lowest port the kernel picks for a connection's own end
/// (ip_local_port_range), or 0 if unknown.
int lowest_ephemeral_port() {
  std::ifstream in{"/proc/sys/net/ipv4/ip_local_port_range"};
  int low = 0;
  return in >> low ? low : 0;
}

} // namespace

std::vector<std::uint16_t> free_loopback_ports(std::size_t count) {
  // Below the ephemeral range, drawn at random: a port the kernel handed
  // out (bind to port 0) and the test released could be taken by any of
  // the many connections the tests open before a node binds it (seen: a
  // node's peer port, so another node never saw it up). Every socket
  // stays bound until all are chosen, so no port comes twice.
  constexpr int lowest = 10000;
  const int limit = lowest_ephemeral_port();
  std::mt19937 rng{std::random_device{}()};
  std::vector<int> fds;
  std::vector<std::uint16_t> ports;
  auto close_all = [&] {
    for (int fd : fds)
      ::close(fd);
  };
  for (int tries = 0; ports.size() < count; ++tries) {
    if (tries > 1000) {
      close_all();
      throw std::runtime_error("no free port");
    }
    int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
      continue;
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    // Port 0 (the kernel's pick) only where the range is unknown or low.
    if (limit > lowest + 1000)
      addr.sin_port = htons(static_cast<std::uint16_t>(
          std::uniform_int_distribution<int>{lowest, limit - 1}(rng)));
    socklen_t len = sizeof(addr);
    if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0
        || ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
      ::close(fd); // taken: draw again
      continue;
    }
    fds.push_back(fd);
    ports.push_back(ntohs(addr.sin_port));
  }
  close_all();
  return ports;
}

namespace {

/// BOOKSTORE_E2E_CLUSTER: the number of nodes of each shared server, or 1.
std::size_t cluster_nodes() {
  const char* text = std::getenv("BOOKSTORE_E2E_CLUSTER");
  if (text == nullptr || *text == '\0')
    return 1;
  auto n = std::strtol(text, nullptr, 10);
  if (n < 1 || n > 8)
    throw std::runtime_error("BOOKSTORE_E2E_CLUSTER must be 1 to 8");
  return static_cast<std::size_t>(n);
}

/// What every node of `nodes` answers to GET /health, one line each.
std::string
health_of(const std::vector<std::unique_ptr<server_process>>& nodes) {
  std::string out;
  for (auto& node : nodes) {
    http_client c{node->port()};
    auto health = c.get("/health");
    out += "\n  node on port " + std::to_string(node->port()) + ": "
           + std::to_string(health.status) + " " + health.body
           + "\n  its log, last lines:\n" + node->stderr_tail(1500);
  }
  return out;
}

/// Starts `count` nodes of a cluster with `options` each (their files in a
/// folder of their own); returns them once every node sees every other up.
/// Throws, with every node's /health and log, if they do not within the
/// deadline.
std::vector<std::unique_ptr<server_process>>
start_cluster_once(std::size_t count, const server_options& options) {
  auto dir = make_temp_dir();
  std::string file = dir + "/cluster.json";
  std::vector<std::string> names;
  {
    auto ports = free_loopback_ports(2 * count);
    std::string nodes;
    for (std::size_t i = 0; i < count; ++i) {
      names.push_back(std::string(1, static_cast<char>('a' + i)));
      nodes += std::string(i ? "," : "") + "{\"name\": \"" + names.back()
               + "\", \"http\": \"127.0.0.1:" + std::to_string(ports[2 * i])
               + "\", \"peer\": \"127.0.0.1:" + std::to_string(ports[2 * i + 1])
               + "\", \"db\": \"" + names.back() + ".db\"}";
    }
    std::FILE* f = std::fopen(file.c_str(), "w");
    if (f == nullptr)
      throw std::runtime_error("cannot write " + file);
    std::fprintf(f, "{\"nodes\": [%s]}\n", nodes.c_str());
    std::fclose(f);
  }
  std::vector<std::unique_ptr<server_process>> nodes;
  for (auto& name : names) {
    auto node_options = options;
    node_options.db_path = dir + "/" + name + ".db";
    node_options.extra_args.insert(node_options.extra_args.end(),
                                   {"--cluster", file, "--node", name});
    nodes.push_back(std::make_unique<server_process>(node_options));
  }
  // Up once every node reports every other up.
  auto deadline =
      clock_type::now() + test_support::scaled(std::chrono::seconds(20));
  for (auto& node : nodes) {
    for (;;) {
      http_client c{node->port()};
      auto health = c.get("/health");
      auto peers = health.status == 200
                       ? health.json().value("peers", nlohmann::json::object())
                       : nlohmann::json::object();
      std::size_t up = 0;
      for (auto& state : peers)
        up += state == "up" ? 1 : 0;
      if (up + 1 == count)
        break;
      if (clock_type::now() > deadline)
        throw std::runtime_error("the cluster's nodes do not see each other:"
                                 + health_of(nodes));
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
  }
  return nodes;
}

/// start_cluster_once, and once more if its nodes did not all see each
/// other. Seen twice in about ten full runs of the suite, each time while
/// other heavy tests ran beside: one node's link to one peer stayed down
/// for the whole minute, and the cause is not known (the failure names
/// every node's /health). The retry, with new ports and processes, is said
/// on stderr, so a start that needed it stays visible in the test's log.
std::vector<std::unique_ptr<server_process>>
start_cluster(std::size_t count, const server_options& options) {
  try {
    return start_cluster_once(count, options);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "e2e: starting the cluster again: %s\n", e.what());
  }
  return start_cluster_once(count, options);
}

} // namespace

server_process& shared_server(const std::string& name,
                              const server_options& options) {
  static registry reg;
  std::lock_guard<std::mutex> guard{reg.mutex};
  if (auto it = reg.servers.find(name); it != reg.servers.end())
    return *it->second;
  if (auto it = reg.failures.find(name); it != reg.failures.end())
    throw std::runtime_error(it->second);
  try {
    if (auto count = cluster_nodes(); count > 1 && options.db_path.empty()) {
      auto nodes = start_cluster(count, options);
      std::vector<std::uint16_t> ports;
      for (auto& node : nodes)
        ports.push_back(node->port());
      spread_requests(ports.front(), ports);
      auto first = std::move(nodes.front());
      nodes.erase(nodes.begin());
      auto& ref = *first;
      reg.servers.emplace(name, std::move(first));
      reg.others.emplace(name, std::move(nodes));
      return ref;
    }
    auto srv = std::make_unique<server_process>(options);
    auto& ref = *srv;
    reg.servers.emplace(name, std::move(srv));
    return ref;
  } catch (const std::exception& e) {
    reg.failures.emplace(name, e.what());
    throw;
  }
}

run_result
run_binary(const std::vector<std::string>& args,
           std::chrono::milliseconds timeout,
           const std::vector<std::pair<std::string, std::string>>& env) {
  std::vector<std::string> argv{binary_path()};
  argv.insert(argv.end(), args.begin(), args.end());
  int out_pipe[2];
  int err_pipe[2];
  if (::pipe2(out_pipe, O_CLOEXEC) != 0)
    throw std::runtime_error("pipe2 failed");
  if (::pipe2(err_pipe, O_CLOEXEC) != 0) {
    ::close(out_pipe[0]);
    ::close(out_pipe[1]);
    throw std::runtime_error("pipe2 failed");
  }
  pid_t pid = spawn(argv, child_environment(env), out_pipe[1], err_pipe[1]);
  ::close(out_pipe[1]);
  ::close(err_pipe[1]);

  run_result result;
  std::string* sinks[2] = {&result.out, &result.err};
  int fds[2] = {out_pipe[0], err_pipe[0]};
  auto deadline = clock_type::now() + test_support::scaled(timeout);
  while (fds[0] >= 0 || fds[1] >= 0) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                    deadline - clock_type::now())
                    .count();
    if (left <= 0)
      break;
    pollfd pfds[2] = {{fds[0], POLLIN, 0}, {fds[1], POLLIN, 0}};
    int rc = ::poll(pfds, 2, static_cast<int>(left));
    if (rc <= 0)
      continue;
    for (int i = 0; i < 2; ++i) {
      if (fds[i] < 0 || pfds[i].revents == 0)
        continue;
      char buf[4096];
      auto n = ::read(fds[i], buf, sizeof(buf));
      if (n > 0) {
        sinks[i]->append(buf, static_cast<std::size_t>(n));
      } else if (n == 0 || errno != EINTR) {
        ::close(fds[i]);
        fds[i] = -1;
      }
    }
  }
  for (int fd : fds)
    if (fd >= 0)
      ::close(fd);
  int wstatus = 0;
  for (;;) {
    auto rc = ::waitpid(pid, &wstatus, WNOHANG);
    if (rc == pid) {
      result.exit_code = decode_status(wstatus);
      break;
    }
    if (clock_type::now() >= deadline) {
      ::kill(pid, SIGKILL);
      ::waitpid(pid, &wstatus, 0);
      result.exit_code = -1;
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return result;
}

} // namespace e2e
