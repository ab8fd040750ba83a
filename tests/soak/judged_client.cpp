#include "load.hpp"

#include <algorithm>

#include <nlohmann/json.hpp>

namespace soak {

namespace {

std::string request_line(std::string_view method, const std::string& target,
                         const std::string& body) {
  std::string line = std::string{method} + " " + target;
  if (!body.empty())
    line += " " + body.substr(0, 120);
  return line;
}

std::string error_code(const e2e::response& res) {
  try {
    return res.json().at("code").get<std::string>();
  } catch (...) {
    return {};
  }
}

} // namespace

judged_client::judged_client(std::uint16_t port, tally& counts)
    : client_{port}, counts_{counts} {}

std::optional<e2e::response>
judged_client::send(route r, std::string_view method, const std::string& target,
                    const std::string& body, const std::string& token,
                    std::initializer_list<std::string_view> allowed_409,
                    const e2e::header_list& extra) {
  e2e::response res;
  auto line = request_line(method, target, body);
  try {
    res = client_.request(method, target, body, extra, token);
  } catch (const std::exception& e) {
    counts_.failure(r, 0, line + " -> " + e.what() + after());
    return std::nullopt;
  }
  bool ok = res.status / 100 == 2;
  if (res.status == 409) {
    auto code = error_code(res);
    ok = std::find(allowed_409.begin(), allowed_409.end(), code)
         != allowed_409.end();
  }
  if (!ok) {
    counts_.failure(r, res.status,
                    line + " -> " + std::to_string(res.status) + " "
                        + res.body.substr(0, 200) + after());
    return std::nullopt;
  }
  counts_.expected(r, res.status);
  remember(line + " -> " + std::to_string(res.status));
  return res;
}

std::string judged_client::after() const {
  std::string out = "\n    after:";
  for (const auto& h : history_)
    out += "\n      " + h;
  return out;
}

void judged_client::remember(std::string line) {
  history_.push_back(std::move(line));
  if (history_.size() > kept_history)
    history_.pop_front();
}

} // namespace soak
