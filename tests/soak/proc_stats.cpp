#include "proc_stats.hpp"

#include <filesystem>
#include <fstream>
#include <string>

namespace soak {

std::optional<std::int64_t> resident_kib(pid_t pid) {
  std::ifstream in{"/proc/" + std::to_string(pid) + "/status"};
  std::string line;
  while (std::getline(in, line))
    if (line.rfind("VmRSS:", 0) == 0)
      return std::stoll(line.substr(6)); // "VmRSS:     12345 kB"
  return std::nullopt;
}

std::optional<std::int64_t> open_fds(pid_t pid) {
  std::error_code ec;
  std::filesystem::directory_iterator it{"/proc/" + std::to_string(pid) + "/fd",
                                         ec};
  if (ec)
    return std::nullopt;
  std::int64_t n = 0;
  for (; it != std::filesystem::directory_iterator{}; it.increment(ec)) {
    if (ec)
      return std::nullopt;
    ++n;
  }
  return n;
}

} // namespace soak
