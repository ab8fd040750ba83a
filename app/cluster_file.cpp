#include "app/cluster_file.hpp"

#include <filesystem>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

namespace bookstore::app {

namespace {

namespace fs = std::filesystem;
using nlohmann::json;

// A cluster file lists a few nodes; anything much bigger is a mistake.
constexpr std::uintmax_t max_file_bytes = 1 << 20;

std::string string_at(const json& object, const char* key) {
  const auto& value = object.at(key);
  if (!value.is_string())
    throw cluster_file_error(std::string("'") + key + "' must be a string");
  return value.get<std::string>();
}

model::endpoint endpoint_at(const json& node, const char* key) {
  const auto text = string_at(node, key);
  if (auto e = model::parse_endpoint(text))
    return *e;
  throw cluster_file_error(std::string("'") + key + "' must be host:port, not '"
                           + text + "'");
}

// A relative path names a file beside the cluster file.
std::string beside(const fs::path& folder, const std::string& path) {
  if (path.empty() || fs::path(path).is_absolute())
    return path;
  return (folder / path).lexically_normal().string();
}

model::cluster parse(const json& j, const fs::path& folder) {
  if (!j.is_object() || !j.at("nodes").is_array())
    throw cluster_file_error("expected {\"nodes\": [...]}");
  model::cluster c;
  for (const auto& node : j.at("nodes")) {
    if (!node.is_object())
      throw cluster_file_error("each node must be an object");
    c.nodes.push_back({string_at(node, "name"), endpoint_at(node, "http"),
                       endpoint_at(node, "peer"),
                       beside(folder, string_at(node, "db"))});
  }
  if (j.contains("tls")) {
    const auto& tls = j.at("tls");
    if (!tls.is_object())
      throw cluster_file_error("'tls' must be an object");
    c.tls = model::cluster_tls{beside(folder, string_at(tls, "cert")),
                               beside(folder, string_at(tls, "key")),
                               beside(folder, string_at(tls, "ca"))};
  }
  if (auto problem = model::cluster_problem(c))
    throw cluster_file_error(*problem);
  return c;
}

} // namespace

model::cluster load_cluster_file(const std::string& path) {
  const auto fail = [&](const std::string& why) {
    return cluster_file_error("cluster file " + path + ": " + why);
  };
  std::error_code ec;
  const auto size = fs::file_size(path, ec);
  if (ec)
    throw fail(ec.message());
  if (size > max_file_bytes)
    throw fail("larger than 1 MiB");
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  if (!in)
    throw fail("cannot be read");
  try {
    return parse(json::parse(text.str()), fs::path(path).parent_path());
  } catch (const json::exception& e) {
    throw fail(e.what());
  } catch (const cluster_file_error& e) {
    throw fail(e.what());
  }
}

} // namespace bookstore::app
