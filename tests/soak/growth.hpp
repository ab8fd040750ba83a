#pragma once

// The soak's verdict on resource growth, kept apart from the load so that
// it can be checked on synthetic series (growth_test.cpp): a growth check
// that cannot fail would prove nothing.

#include <cstdint>
#include <string>
#include <vector>

namespace soak {

/// One reading of the server process.
struct sample {
  double seconds = 0; // since the load started
  std::int64_t rss_kib = 0;
  std::int64_t fds = 0;
};

struct growth_limits {
  /// Samples before this are warm-up: caches fill, actors spawn, the
  /// allocator reaches its working set. They are shown, never judged.
  double warmup_seconds = 0;
  /// Allowed rise of the peak RSS from the first to the last third of the
  /// judged samples: the larger of the two (see soak_test.cpp for why).
  std::int64_t rss_slack_kib = 0;
  double rss_slack_fraction = 0;
  /// No judged sample may show more open descriptors than this: the
  /// server's idle count plus every connection the soak itself holds.
  std::int64_t fd_ceiling = 0;
};

struct growth_verdict {
  bool ok = false;
  std::string reason; // every failed rule, one per line; empty when ok
  std::int64_t first_max_rss_kib = 0; // peak of the first judged third
  std::int64_t last_max_rss_kib = 0;  // peak of the last judged third
  std::int64_t allowed_rss_kib = 0;   // first peak + slack
  std::int64_t first_max_fds = 0;
  std::int64_t last_max_fds = 0;
  std::int64_t max_fds = 0; // over every judged sample
};

/// Judges the samples after warm-up: the peak RSS of their last third must
/// not exceed the peak of their first third by more than the slack, the
/// peak descriptor count must not rise at all between them, and no sample
/// may exceed the descriptor ceiling. Fewer than two samples per third is
/// a failure too (nothing could have been judged).
growth_verdict judge_growth(const std::vector<sample>& samples,
                            const growth_limits& limits);

} // namespace soak
