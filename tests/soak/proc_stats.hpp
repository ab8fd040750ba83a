#pragma once

// What Linux says about another process's resources.

#include <sys/types.h>

#include <cstdint>
#include <optional>

namespace soak {

/// VmRSS of /proc/<pid>/status in KiB; nothing if the process is gone.
std::optional<std::int64_t> resident_kib(pid_t pid);
/// Entries of /proc/<pid>/fd; nothing if the process is gone.
std::optional<std::int64_t> open_fds(pid_t pid);

} // namespace soak
