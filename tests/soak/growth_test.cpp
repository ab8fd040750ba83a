// The growth verdict on synthetic series: it passes a flat or noisy but
// bounded series and fails each kind of growth the soak looks for.

#include <catch2/catch.hpp>

#include "growth.hpp"

using soak::growth_limits;
using soak::judge_growth;
using soak::sample;

namespace {

constexpr std::int64_t mib = 1024;

growth_limits limits() {
  growth_limits l;
  l.warmup_seconds = 20;
  l.rss_slack_kib = 8 * mib;
  l.rss_slack_fraction = 0.05;
  l.fd_ceiling = 40;
  return l;
}

/// 80 s sampled every 2 s: warm-up climbs from 20 MiB to 100 MiB, then
/// `rss(t)` and `fds(t)` take over.
template <class Rss, class Fds> std::vector<sample> series(Rss rss, Fds fds) {
  std::vector<sample> out;
  for (int t = 0; t <= 80; t += 2) {
    if (t < 20)
      out.push_back({double(t), (20 + 4 * t) * mib, 10 + t});
    else
      out.push_back({double(t), rss(t), fds(t)});
  }
  return out;
}

auto flat_fds = [](int) -> std::int64_t { return 35; };

} // namespace

TEST_CASE("a flat series passes and warm-up growth is not judged",
          "[analysis]") {
  auto v =
      judge_growth(series([](int) { return 100 * mib; }, flat_fds), limits());
  INFO(v.reason);
  CHECK(v.ok);
  CHECK(v.first_max_rss_kib == 100 * mib);
  CHECK(v.last_max_fds == 35);
}

TEST_CASE("noise within the slack passes", "[analysis]") {
  // +-3 MiB jitter and one late spike that stays under 100 MiB + 8 MiB.
  auto v = judge_growth(
      series([](int t) { return (t == 76 ? 107 : 100 + (t % 6) - 3) * mib; },
             [](int t) -> std::int64_t { return 34 + t % 2; }),
      limits());
  INFO(v.reason);
  CHECK(v.ok);
}

TEST_CASE("a steady leak fails", "[analysis]") {
  // 256 KiB per second: 15 MiB over the judged minute, above the slack.
  auto v = judge_growth(
      series([](int t) { return 100 * mib + 256 * t; }, flat_fds), limits());
  CHECK_FALSE(v.ok);
  CHECK(v.reason.find("RSS grew") != std::string::npos);
}

TEST_CASE("the slack scales with a large heap", "[analysis]") {
  // 5 % of 400 MiB is 20 MiB: a 15 MiB rise passes, a 25 MiB one fails.
  auto step = [](std::int64_t rise) {
    return [rise](int t) { return 400 * mib + (t >= 60 ? rise : 0); };
  };
  CHECK(judge_growth(series(step(15 * mib), flat_fds), limits()).ok);
  CHECK_FALSE(judge_growth(series(step(25 * mib), flat_fds), limits()).ok);
}

TEST_CASE("one descriptor more at the end fails", "[analysis]") {
  auto v = judge_growth(
      series([](int) { return 100 * mib; },
             [](int t) -> std::int64_t { return t >= 70 ? 36 : 35; }),
      limits());
  CHECK_FALSE(v.ok);
  CHECK(v.reason.find("descriptors grew") != std::string::npos);
}

TEST_CASE("descriptors above the ceiling fail even without growth",
          "[analysis]") {
  auto v = judge_growth(series([](int) { return 100 * mib; },
                               [](int) -> std::int64_t { return 41; }),
                        limits());
  CHECK_FALSE(v.ok);
  CHECK(v.reason.find("above the 40") != std::string::npos);
}

TEST_CASE("too few samples after warm-up fail", "[analysis]") {
  std::vector<sample> few{{0, 100 * mib, 30},
                          {25, 100 * mib, 30},
                          {30, 100 * mib, 30},
                          {35, 100 * mib, 30},
                          {40, 100 * mib, 30}};
  auto v = judge_growth(few, limits());
  CHECK_FALSE(v.ok);
  CHECK(v.reason.find("too few samples") != std::string::npos);
}
