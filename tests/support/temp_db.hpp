#pragma once

#include <atomic>
#include <filesystem>
#include <string>

#include <unistd.h>

namespace bookstore::testing {

/// A database file in the temp directory, removed with its WAL files.
class temp_db {
public:
  temp_db() {
    static std::atomic<int> counter{0};
    path_ = (std::filesystem::temp_directory_path()
             / ("bookstore-test-" + std::to_string(::getpid()) + "-"
                + std::to_string(counter++) + ".db"))
                .string();
    remove_files();
  }
  ~temp_db() { remove_files(); }
  temp_db(const temp_db&) = delete;
  temp_db& operator=(const temp_db&) = delete;

  const std::string& path() const { return path_; }

private:
  void remove_files() {
    for (auto suffix : {"", "-wal", "-shm", "-journal"})
      std::filesystem::remove(path_ + suffix);
  }
  std::string path_;
};

} // namespace bookstore::testing
