#pragma once

// Small shared pieces of the crash and graceful-stop tests.

#include <unistd.h>

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <mutex>
#include <random>
#include <string>

#include "wire_client.hpp"

namespace crash {

/// An integer from the environment, or `fallback` (also when malformed or
/// below `min`).
inline long env_long(const char* name, long fallback, long min = 1) {
  const char* v = std::getenv(name);
  if (v == nullptr || *v == '\0')
    return fallback;
  char* end = nullptr;
  long n = std::strtol(v, &end, 10);
  if (end == v || *end != '\0' || n < min)
    return fallback;
  return n;
}

/// BOOKSTORE_CRASH_SEED or a random seed.
inline std::uint64_t test_seed() {
  const char* v = std::getenv("BOOKSTORE_CRASH_SEED");
  if (v != nullptr && *v != '\0')
    return std::strtoull(v, nullptr, 10);
  std::random_device rd;
  return (static_cast<std::uint64_t>(rd()) << 32) ^ rd();
}

/// A private directory for a database that outlives its servers; removed
/// at the end unless BOOKSTORE_CRASH_KEEP_DB is set (to inspect it).
class temp_dir {
public:
  explicit temp_dir(const std::string& prefix) {
    auto templ =
        (std::filesystem::temp_directory_path() / (prefix + "XXXXXX")).string();
    if (::mkdtemp(templ.data()) != nullptr)
      path_ = templ;
  }
  ~temp_dir() {
    if (path_.empty() || std::getenv("BOOKSTORE_CRASH_KEEP_DB") != nullptr)
      return;
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  temp_dir(const temp_dir&) = delete;
  temp_dir& operator=(const temp_dir&) = delete;
  bool ok() const { return !path_.empty(); }
  std::string db() const { return path_ + "/store.db"; }

private:
  std::string path_;
};

/// Lets worker threads get ready (connect) and then go at once.
class start_gate {
public:
  void arrive() {
    std::unique_lock<std::mutex> lock{mutex_};
    ++ready_;
    cv_.notify_all();
    cv_.wait(lock, [&] { return open_; });
  }
  /// Waits (at most `limit`) until `n` threads arrived, then opens.
  bool open_when(int n, std::chrono::milliseconds limit) {
    std::unique_lock<std::mutex> lock{mutex_};
    bool all = cv_.wait_for(lock, limit, [&] { return ready_ >= n; });
    open_ = true;
    cv_.notify_all();
    return all;
  }

private:
  std::mutex mutex_;
  std::condition_variable cv_;
  int ready_ = 0;
  bool open_ = false;
};

/// "POST /orders/checkout -> 201" and the like, for histories.
inline std::string history_line(const std::string& what, const exchange& ex) {
  std::string s = what + " -> ";
  if (ex.kind == outcome::answered) {
    s += std::to_string(ex.res.status);
    if (ex.res.status >= 400) {
      auto code = ex.res.body.find("\"code\"");
      if (code != std::string::npos)
        s += " " + ex.res.body.substr(code, 40);
    }
  } else {
    s += to_string(ex.kind);
    if (!ex.fully_sent)
      s += " (request not fully sent)";
  }
  return s + "\n";
}

} // namespace crash
