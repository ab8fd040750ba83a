#include "growth.hpp"

#include <algorithm>

namespace soak {

namespace {

constexpr std::size_t min_per_third = 2;

std::string kib(std::int64_t v) {
  return std::to_string(v) + " KiB";
}

} // namespace

growth_verdict judge_growth(const std::vector<sample>& samples,
                            const growth_limits& limits) {
  std::vector<sample> judged;
  for (const auto& s : samples)
    if (s.seconds >= limits.warmup_seconds)
      judged.push_back(s);
  growth_verdict v;
  const std::size_t third = judged.size() / 3;
  if (third < min_per_third) {
    v.reason = "too few samples after warm-up: " + std::to_string(judged.size())
               + " (need " + std::to_string(3 * min_per_third) + ")\n";
    return v;
  }
  auto peak = [](auto first, auto last, auto field) {
    std::int64_t m = 0;
    for (auto i = first; i != last; ++i)
      m = std::max(m, (*i).*field);
    return m;
  };
  auto first_end = judged.begin() + static_cast<std::ptrdiff_t>(third);
  auto last_begin = judged.end() - static_cast<std::ptrdiff_t>(third);
  v.first_max_rss_kib = peak(judged.begin(), first_end, &sample::rss_kib);
  v.last_max_rss_kib = peak(last_begin, judged.end(), &sample::rss_kib);
  v.first_max_fds = peak(judged.begin(), first_end, &sample::fds);
  v.last_max_fds = peak(last_begin, judged.end(), &sample::fds);
  v.max_fds = peak(judged.begin(), judged.end(), &sample::fds);
  auto slack = std::max(limits.rss_slack_kib,
                        static_cast<std::int64_t>(limits.rss_slack_fraction
                                                  * v.first_max_rss_kib));
  v.allowed_rss_kib = v.first_max_rss_kib + slack;
  if (v.last_max_rss_kib > v.allowed_rss_kib)
    v.reason += "RSS grew: peak " + kib(v.last_max_rss_kib)
                + " in the last third, " + kib(v.first_max_rss_kib)
                + " in the first (allowed " + kib(v.allowed_rss_kib) + ")\n";
  if (v.last_max_fds > v.first_max_fds)
    v.reason += "open descriptors grew: peak " + std::to_string(v.last_max_fds)
                + " in the last third, " + std::to_string(v.first_max_fds)
                + " in the first\n";
  if (v.max_fds > limits.fd_ceiling)
    v.reason += "open descriptors reached " + std::to_string(v.max_fds)
                + ", above the " + std::to_string(limits.fd_ceiling)
                + " that the soak's own connections explain\n";
  v.ok = v.reason.empty();
  return v;
}

} // namespace soak
