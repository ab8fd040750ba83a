#include "cluster_support.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <thread>

#include "tests/support/timeouts.hpp"

namespace cluster_test {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

std::uint16_t free_port() {
  return e2e::free_loopback_ports(1).front();
}

namespace {

sockaddr_in loopback(std::uint16_t port) {
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = htons(port);
  return addr;
}

} // namespace

black_hole::black_hole() {
  listener_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  auto addr = loopback(0);
  socklen_t len = sizeof(addr);
  if (listener_ < 0
      || ::bind(listener_, reinterpret_cast<sockaddr*>(&addr), sizeof(addr))
             != 0
      || ::listen(listener_, 0) != 0
      || ::getsockname(listener_, reinterpret_cast<sockaddr*>(&addr), &len)
             != 0)
    throw std::runtime_error("black_hole: cannot listen");
  port_ = ntohs(addr.sin_port);
  // Backlog 0 queues one connection: this one fills it.
  filler_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (filler_ < 0
      || ::connect(filler_, reinterpret_cast<sockaddr*>(&addr), sizeof(addr))
             != 0)
    throw std::runtime_error("black_hole: cannot fill the backlog");
}

black_hole::~black_hole() {
  if (filler_ >= 0)
    ::close(filler_);
  if (listener_ >= 0)
    ::close(listener_);
}

bool connects_within(std::uint16_t port, std::chrono::milliseconds within) {
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0)
    return false;
  auto addr = loopback(port);
  bool ok =
      ::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0;
  if (!ok && errno == EINPROGRESS) {
    pollfd p{fd, POLLOUT, 0};
    int error = 0;
    socklen_t len = sizeof(error);
    ok = ::poll(&p, 1, static_cast<int>(within.count())) == 1
         && ::getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &len) == 0
         && error == 0;
  }
  ::close(fd);
  return ok;
}

void make_test_certificates(const std::string& folder) {
  auto run = [](const std::string& dir) {
    auto command = std::string("bash '") + BOOKSTORE_CERTS_SCRIPT + "' '" + dir
                   + "' >/dev/null 2>&1";
    if (std::system(command.c_str()) != 0)
      throw std::runtime_error("scripts/cluster-certs.sh failed in " + dir);
  };
  run(folder);
  run(folder + "/rogue");
}

e2e::json book_owned_by(test_cluster& cl, const std::string& admin,
                        std::size_t owner, long long stock) {
  for (int tries = 0; tries < 60; ++tries) {
    auto c = cl.any_client();
    auto book = e2e::stocked_book(c, admin, stock);
    if (cl.owner_of(book["id"].get<std::int64_t>()) == owner)
      return book;
  }
  throw std::runtime_error("no book of node " + std::to_string(owner)
                           + " in 60 tries");
}

e2e::json isbn_book_owned_by(test_cluster& cl, const std::string& admin,
                             std::size_t owner) {
  for (int tries = 0; tries < 60; ++tries) {
    auto fields = e2e::book_fields();
    fields["isbn"] = e2e::unique_isbn13();
    auto made = cl.any_client().post("/books", fields, admin);
    if (made.status != 201)
      throw std::runtime_error("cannot make a book: " + made.body);
    auto book = made.json();
    if (cl.owner_of(book["id"].get<std::int64_t>()) == owner)
      return book;
  }
  throw std::runtime_error("no ISBN of node " + std::to_string(owner)
                           + " in 60 tries");
}

e2e::account user_owned_by(test_cluster& cl, std::size_t owner) {
  for (int tries = 0; tries < 60; ++tries) {
    auto c = cl.any_client();
    auto user = e2e::register_user(c, "cl");
    if (cl.owner_of(std::stoll(user.id)) == owner)
      return user;
  }
  throw std::runtime_error("no account of node " + std::to_string(owner)
                           + " in 60 tries");
}

std::vector<std::int64_t> cart_across_nodes(test_cluster& cl,
                                            const std::string& admin,
                                            const e2e::account& user,
                                            long long stock, int quantity) {
  std::vector<std::int64_t> books;
  for (std::size_t owner = 0; owner < cl.size(); ++owner)
    books.push_back(book_owned_by(cl, admin, owner, stock)["id"]);
  for (auto id : books) {
    auto added = cl.any_client().post("/cart/items",
                                      {{"book_id", id}, {"quantity", quantity}},
                                      user.access_token);
    if (added.status != 201)
      throw std::runtime_error("cannot add book " + std::to_string(id)
                               + " to the cart: " + added.body);
  }
  return books;
}

std::string admin_token(test_cluster& cl) {
  auto c = cl.any_client();
  return e2e::login(c, e2e::admin_email, e2e::admin_password);
}

test_cluster::test_cluster(std::size_t nodes,
                           std::vector<std::string> extra_args, bool tls)
    : extra_args_(std::move(extra_args)) {
  try {
    launch(nodes, tls);
    return;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "cluster: starting the nodes again: %s\n", e.what());
  }
  tear_down();
  launch(nodes, tls);
}

void test_cluster::launch(std::size_t nodes, bool tls) {
  names_.clear();
  http_ports_.clear();
  peer_ports_.clear();
  auto templ =
      (fs::temp_directory_path() / "bookstore_cluster_XXXXXX").string();
  if (::mkdtemp(templ.data()) == nullptr)
    throw std::runtime_error("mkdtemp failed");
  folder_ = templ;
  file_ = folder_ + "/cluster.json";
  nlohmann::json list = nlohmann::json::array();
  auto ports = e2e::free_loopback_ports(2 * nodes);
  for (std::size_t i = 0; i < nodes; ++i) {
    names_.push_back(std::string(1, static_cast<char>('a' + i)));
    http_ports_.push_back(ports[2 * i]);
    peer_ports_.push_back(ports[2 * i + 1]);
    list.push_back({{"name", names_.back()},
                    {"http", "127.0.0.1:" + std::to_string(http_ports_.back())},
                    {"peer", "127.0.0.1:" + std::to_string(peer_ports_.back())},
                    {"db", names_.back() + ".db"}});
  }
  nlohmann::json file{{"nodes", list}};
  if (tls) {
    make_test_certificates(folder_);
    file["tls"] = {{"cert", "node.pem"}, {"key", "node.key"}, {"ca", "ca.pem"}};
  }
  std::ofstream{file_} << file.dump(2);
  servers_.clear();
  servers_.resize(nodes);
  for (std::size_t i = 0; i < nodes; ++i)
    start(i);
  wait_all_up();
}

void test_cluster::tear_down() {
  servers_.clear(); // stops every node
  if (std::getenv("BOOKSTORE_CLUSTER_KEEP") == nullptr) {
    std::error_code ec;
    fs::remove_all(folder_, ec);
  }
}

test_cluster::~test_cluster() {
  tear_down();
}

void test_cluster::start(std::size_t i) {
  e2e::server_options options;
  options.db_path = folder_ + "/" + names_[i] + ".db";
  // Each node its own uploads folder, as on machines of their own.
  options.extra_args = {
      "--cluster", file_,           "--node",
      names_[i],   "--uploads-dir", folder_ + "/" + names_[i] + "-uploads"};
  options.extra_args.insert(options.extra_args.end(), extra_args_.begin(),
                            extra_args_.end());
  servers_[i].reset();
  servers_[i] = std::make_unique<e2e::server_process>(options);
  if (servers_[i]->port() != http_ports_[i])
    throw std::runtime_error("node " + names_[i]
                             + " listens on the wrong port");
}

void test_cluster::kill(std::size_t i) {
  servers_.at(i)->kill();
  servers_[i].reset();
}

void test_cluster::stop(std::size_t i) {
  servers_.at(i)->stop();
  servers_[i].reset();
}

e2e::http_client test_cluster::client(std::size_t i) const {
  return e2e::http_client{http_ports_.at(i)};
}

std::size_t test_cluster::random_running_node() {
  std::vector<std::size_t> up;
  for (std::size_t i = 0; i < size(); ++i)
    if (running(i))
      up.push_back(i);
  if (up.empty())
    throw std::runtime_error("no node is running");
  return up[std::uniform_int_distribution<std::size_t>{0, up.size() - 1}(rng_)];
}

e2e::http_client test_cluster::any_client() {
  return client(random_running_node());
}

bool test_cluster::wait_peer(std::size_t observer, std::size_t peer,
                             const std::string& state,
                             std::chrono::milliseconds within) {
  auto deadline = std::chrono::steady_clock::now() + within;
  auto c = client(observer);
  do {
    try {
      auto r = c.get("/health");
      if (r.status == 200
          && r.json().value("peers", nlohmann::json::object())
                     .value(names_[peer], "")
                 == state)
        return true;
    } catch (const std::exception&) {
    }
    std::this_thread::sleep_for(20ms);
  } while (std::chrono::steady_clock::now() < deadline);
  return false;
}

void test_cluster::wait_all_up() {
  for (std::size_t i = 0; i < size(); ++i)
    for (std::size_t j = 0; j < size(); ++j)
      if (i != j && running(i) && running(j)
          && !wait_peer(i, j, "up", test_support::scaled(15s)))
        throw std::runtime_error("node " + names_[i] + " does not see "
                                 + names_[j] + " up" + diagnose(i, j));
}

std::string test_cluster::diagnose(std::size_t observer, std::size_t peer) {
  std::string out = "\n" + names_[observer] + "'s /health: ";
  try {
    out += client(observer).get("/health").body;
  } catch (const std::exception& e) {
    out += e.what();
  }
  for (auto i : {observer, peer})
    if (running(i))
      out += "\n" + names_[i] + "'s log, last lines:\n"
             + servers_[i]->stderr_tail(1500);
  return out;
}

} // namespace cluster_test
