#include "tally.hpp"

namespace soak {

const char* to_string(route r) {
  static constexpr const char* names[route_count] = {
      "browse",   "search", "detail", "auth",   "cart",
      "checkout", "orders", "admin",  "health", "metrics"};
  return names[static_cast<std::size_t>(r)];
}

void tally::expected(route r, int status) {
  std::lock_guard<std::mutex> guard{mutex_};
  ++totals_.requests;
  if (status == 409)
    ++totals_.conflicts;
  else
    ++totals_.ok;
  ++statuses_[static_cast<std::size_t>(r)][status];
}

void tally::failure(route r, int status, std::string what) {
  std::lock_guard<std::mutex> guard{mutex_};
  ++totals_.requests;
  ++totals_.failures;
  ++statuses_[static_cast<std::size_t>(r)][status];
  if (failures_.size() < kept_failures)
    failures_.push_back(std::move(what));
}

totals tally::snapshot() const {
  std::lock_guard<std::mutex> guard{mutex_};
  return totals_;
}

std::string tally::by_route() const {
  std::lock_guard<std::mutex> guard{mutex_};
  std::string out;
  for (std::size_t i = 0; i < route_count; ++i) {
    std::int64_t sum = 0;
    std::string statuses;
    for (auto [status, n] : statuses_[i]) {
      sum += n;
      // Status 0: no answer at all (a transport error).
      statuses += " " + std::to_string(status) + "x" + std::to_string(n);
    }
    out += "  " + std::string{to_string(static_cast<route>(i))} + ": "
           + std::to_string(sum) + " ("
           + (statuses.empty() ? "" : statuses.substr(1)) + ")\n";
  }
  return out;
}

std::string tally::failures() const {
  std::lock_guard<std::mutex> guard{mutex_};
  std::string out;
  for (const auto& f : failures_)
    out += "  " + f + "\n";
  if (totals_.failures > static_cast<std::int64_t>(failures_.size()))
    out += "  ... and " + std::to_string(totals_.failures - failures_.size())
           + " more\n";
  return out;
}

} // namespace soak
