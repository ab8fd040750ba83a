#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <string>

#include <unistd.h>

#include "app/cluster_file.hpp"

using bookstore::app::cluster_file_error;
using bookstore::app::load_cluster_file;
namespace fs = std::filesystem;

namespace {

/// A cluster file with `text`, in a folder of its own removed afterwards.
struct cluster_file {
  fs::path folder;
  std::string path;

  explicit cluster_file(const std::string& text) {
    folder = fs::temp_directory_path()
             / ("cluster_file_test_" + std::to_string(::getpid()));
    fs::create_directories(folder);
    path = (folder / "cluster.json").string();
    std::ofstream(path) << text;
  }
  ~cluster_file() {
    std::error_code ec;
    fs::remove_all(folder, ec);
  }
};

const char* const three_nodes = R"({"nodes": [
  {"name": "a", "http": "127.0.0.1:8081", "peer": "127.0.0.1:9081", "db": "a.db"},
  {"name": "b", "http": "127.0.0.1:8082", "peer": "127.0.0.1:9082", "db": "data/b.db"},
  {"name": "c", "http": "127.0.0.1:8083", "peer": "[::1]:9083", "db": "/var/c.db"}]})";

} // namespace

TEST_CASE("the cluster file of API.md loads, paths beside it", "[cluster]") {
  const cluster_file file(three_nodes);
  const auto c = load_cluster_file(file.path);
  REQUIRE(c.nodes.size() == 3);
  CHECK(c.nodes[0].name == "a");
  CHECK(c.nodes[0].http == bookstore::model::endpoint{"127.0.0.1", 8081});
  CHECK(c.nodes[2].peer == bookstore::model::endpoint{"::1", 9083});
  CHECK(c.nodes[0].db == (file.folder / "a.db").string());
  CHECK(c.nodes[1].db == (file.folder / "data" / "b.db").string());
  CHECK(c.nodes[2].db == "/var/c.db");
  CHECK_FALSE(c.tls.has_value());
}

TEST_CASE("tls files are read beside the cluster file", "[cluster]") {
  const cluster_file file(R"({"nodes": [
    {"name": "a", "http": "10.0.0.1:8081", "peer": "10.0.0.1:9081", "db": "a.db"}],
    "tls": {"cert": "node.pem", "key": "node.key", "ca": "/etc/ca.pem"}})");
  const auto c = load_cluster_file(file.path);
  REQUIRE(c.tls.has_value());
  CHECK(c.tls->cert == (file.folder / "node.pem").string());
  CHECK(c.tls->key == (file.folder / "node.key").string());
  CHECK(c.tls->ca == "/etc/ca.pem");
}

TEST_CASE("an unusable cluster file is an error naming the file and why",
          "[cluster]") {
  std::string text;
  std::string why;
  SECTION("not JSON") {
    text = "{\"nodes\": [";
    why = "parse error";
  }
  SECTION("no nodes array") {
    text = R"({"nodes": {}})";
    why = "expected {\"nodes\": [...]}";
  }
  SECTION("a node without its db") {
    text =
        R"({"nodes": [{"name": "a", "http": "127.0.0.1:1", "peer": "127.0.0.1:2"}]})";
    why = "'db' not found";
  }
  SECTION("a port that is not a number") {
    text =
        R"({"nodes": [{"name": "a", "http": "127.0.0.1:http", "peer": "127.0.0.1:2", "db": "a.db"}]})";
    why = "'http' must be host:port";
  }
  SECTION("a name that is not a string") {
    text =
        R"({"nodes": [{"name": 1, "http": "127.0.0.1:1", "peer": "127.0.0.1:2", "db": "a.db"}]})";
    why = "'name' must be a string";
  }
  SECTION("a remote peer without tls") {
    text =
        R"({"nodes": [{"name": "a", "http": "127.0.0.1:1", "peer": "10.0.0.1:2", "db": "a.db"}]})";
    why = "off loopback";
  }
  const cluster_file file(text);
  try {
    load_cluster_file(file.path);
    FAIL("loaded");
  } catch (const cluster_file_error& e) {
    CHECK_THAT(e.what(), Catch::Contains(file.path) && Catch::Contains(why));
  }
}

TEST_CASE("a missing cluster file is an error", "[cluster]") {
  CHECK_THROWS_AS(load_cluster_file("/nonexistent/cluster.json"),
                  cluster_file_error);
}
