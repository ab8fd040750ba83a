#include <catch2/catch.hpp>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <optional>
#include <random>
#include <vector>

#include "model/reservations.hpp"

using namespace bookstore::model;
using namespace std::chrono_literals;

namespace {

/// A deadline `s` seconds into a test's time.
hold_clock::time_point at(std::chrono::seconds s) {
  return hold_clock::time_point{} + s;
}

/// Checks the three numbers of `r` at once.
void check_numbers(const reservations& r, std::int64_t on_hand,
                   std::int64_t held) {
  CHECK(r.on_hand() == on_hand);
  CHECK(r.held() == held);
  CHECK(r.available() == on_hand - held);
}

} // namespace

TEST_CASE("a reservation holds copies only while enough are available",
          "[model][reservations]") {
  reservations r{5};
  check_numbers(r, 5, 0);
  CHECK(r.empty());
  CHECK_FALSE(r.next_deadline());

  CHECK_FALSE(r.reserve(1, 0, at(10s)));
  CHECK_FALSE(r.reserve(1, -1, at(10s)));
  CHECK_FALSE(r.reserve(1, 6, at(10s)));
  CHECK(r.empty()); // a refused reservation changes nothing
  check_numbers(r, 5, 0);

  CHECK(r.reserve(1, 2, at(10s)));
  CHECK(r.reserve(2, 3, at(20s))); // exactly what is left
  check_numbers(r, 5, 5);
  CHECK(r.size() == 2);
  CHECK(r.next_deadline() == at(10s));
  CHECK_FALSE(r.reserve(3, 1, at(30s)));
  CHECK(r.size() == 2);
  CHECK(r.stock().on_hand == 5);
  CHECK(r.stock().held == 5);
}

TEST_CASE("committing a live hold sells the hold's own quantity",
          "[model][reservations]") {
  reservations r{10};
  REQUIRE(r.reserve(7, 4, at(10s)));
  // The quantity the commit names is not used while the hold is live.
  CHECK(r.commit(7, 99) == commit_source::hold);
  check_numbers(r, 6, 0);
  CHECK(r.empty());
}

TEST_CASE("committing without a live hold takes the named quantity off on "
          "hand",
          "[model][reservations]") {
  reservations r{10};
  SECTION("an id never held") {
    CHECK(r.commit(42, 3) == commit_source::no_hold);
    check_numbers(r, 7, 0);
  }
  SECTION("a released hold") {
    REQUIRE(r.reserve(1, 2, at(10s)));
    REQUIRE(r.release(1) == 2);
    CHECK(r.commit(1, 2) == commit_source::no_hold);
    check_numbers(r, 8, 0);
  }
  SECTION("a second commit of one id sells again") {
    REQUIRE(r.reserve(1, 2, at(10s)));
    CHECK(r.commit(1, 2) == commit_source::hold);
    CHECK(r.commit(1, 2) == commit_source::no_hold);
    check_numbers(r, 6, 0);
  }
}

TEST_CASE("a sale committed after its hold expired may leave less available "
          "than held until those holds end",
          "[model][reservations]") {
  reservations r{3};
  REQUIRE(r.reserve(1, 2, at(1s)));
  CHECK(r.expire(at(1s)) == 1);
  check_numbers(r, 3, 0);
  REQUIRE(r.reserve(2, 3, at(3s))); // the expired copies are held again
  // The store sold the first checkout's copies all the same.
  CHECK(r.commit(1, 2) == commit_source::no_hold);
  check_numbers(r, 1, 3);
  CHECK(r.available() == -2);
  CHECK_FALSE(r.reserve(3, 1, at(4s)));
  CHECK(r.release(2) == 3); // its store refused the second checkout
  check_numbers(r, 1, 0);
  CHECK(r.reserve(3, 1, at(4s)));
}

TEST_CASE("a release gives the copies back once", "[model][reservations]") {
  reservations r{4};
  REQUIRE(r.reserve(1, 3, at(10s)));
  CHECK(r.release(1) == 3);
  check_numbers(r, 4, 0);
  CHECK(r.release(1) == 0); // a double release is harmless
  CHECK(r.release(99) == 0);
  check_numbers(r, 4, 0);
  CHECK(r.empty());
}

TEST_CASE("holds sharing an id are taken oldest first",
          "[model][reservations]") {
  reservations r{10};
  REQUIRE(r.reserve(1, 2, at(10s)));
  REQUIRE(r.reserve(1, 5, at(5s)));
  CHECK(r.release(1) == 2);
  CHECK(r.commit(1, 1) == commit_source::hold);
  check_numbers(r, 5, 0);
}

TEST_CASE("expiry ends the holds due by then and keeps the others in order",
          "[model][reservations]") {
  reservations r{20};
  REQUIRE(r.reserve(1, 1, at(10s)));
  REQUIRE(r.reserve(2, 2, at(5s)));
  REQUIRE(r.reserve(1, 3, at(20s)));
  REQUIRE(r.reserve(3, 4, at(6s)));
  // The earliest deadline, not the oldest hold's.
  CHECK(r.next_deadline() == at(5s));

  CHECK(r.expire(at(4s)) == 0);
  CHECK(r.size() == 4);
  CHECK(r.expire(at(6s)) == 2); // a deadline equal to now is due
  check_numbers(r, 20, 4);
  CHECK(r.next_deadline() == at(10s));
  CHECK(r.release(3) == 0);
  // Id 1's holds kept their order: the older one goes first.
  CHECK(r.release(1) == 1);
  CHECK(r.next_deadline() == at(20s));
  CHECK(r.release(1) == 3);
  CHECK(r.empty());
  CHECK_FALSE(r.next_deadline());
  CHECK(r.expire(at(100s)) == 0);
}

TEST_CASE("a hold past its deadline stays live until expiry runs",
          "[model][reservations]") {
  reservations r{5};
  REQUIRE(r.reserve(1, 2, at(1s)));
  REQUIRE(r.reserve(2, 3, at(1s)));
  // Nothing has called expire yet: both holds still sell and release.
  CHECK(r.commit(1, 2) == commit_source::hold);
  CHECK(r.release(2) == 3);
  check_numbers(r, 3, 0);
  CHECK(r.expire(at(2s)) == 0);
}

TEST_CASE("a pinned hold neither expires nor sets the next deadline",
          "[model][reservations]") {
  reservations r{10};
  REQUIRE(r.reserve(1, 2, at(1s)));
  REQUIRE(r.reserve(2, 3, at(2s)));
  REQUIRE(r.reserve(3, 4, at(30s)));
  auto first = [](hold_id id) { return id == 1; };
  CHECK(r.next_deadline(first) == at(2s));
  CHECK(r.expire(at(5s), first) == 1); // hold 2 only
  check_numbers(r, 10, 6);
  CHECK(r.next_deadline(first) == at(30s));
  // Unpinned, it goes as any other.
  CHECK(r.expire(at(5s)) == 1);
  check_numbers(r, 10, 4);
}

TEST_CASE("the stock may be set to no less than what is held",
          "[model][reservations]") {
  reservations r{5};
  REQUIRE(r.reserve(1, 3, at(10s)));
  CHECK_FALSE(r.can_set(2));
  CHECK(r.can_set(3));
  r.restock(-2);
  check_numbers(r, 3, 3);
  r.restock(7);
  check_numbers(r, 10, 3);
  CHECK(r.commit(1, 3) == commit_source::hold);
  check_numbers(r, 7, 0);
}

namespace {

/// The rules written the plain way: a list of holds and on_hand, with held
/// and available computed from them rather than tracked.
struct reference_book {
  struct hold {
    hold_id id;
    std::int64_t quantity;
    hold_clock::time_point deadline;
  };
  std::int64_t on_hand = 0;
  std::vector<hold> holds;

  std::int64_t held() const {
    std::int64_t sum = 0;
    for (auto& h : holds)
      sum += h.quantity;
    return sum;
  }

  std::optional<hold_clock::time_point> next_deadline() const {
    std::optional<hold_clock::time_point> earliest;
    for (auto& h : holds)
      if (!earliest || h.deadline < *earliest)
        earliest = h.deadline;
    return earliest;
  }

  /// The oldest hold of `id`, or holds.end().
  std::vector<hold>::iterator oldest(hold_id id) {
    for (auto i = holds.begin(); i != holds.end(); ++i)
      if (i->id == id)
        return i;
    return holds.end();
  }
};

void check_against(const reservations& r, const reference_book& ref) {
  REQUIRE(r.on_hand() == ref.on_hand);
  REQUIRE(r.held() == ref.held()); // held is the sum of the live holds
  REQUIRE(r.held() >= 0);
  REQUIRE(r.on_hand() >= 0);
  REQUIRE(r.available() == ref.on_hand - ref.held());
  REQUIRE(r.size() == ref.holds.size());
  REQUIRE(r.empty() == ref.holds.empty());
  REQUIRE(r.next_deadline() == ref.next_deadline());
}

} // namespace

TEST_CASE("random reservations agree with a plain reference and keep the "
          "invariants",
          "[model][reservations]") {
  for (unsigned seed = 1; seed <= 20; ++seed) {
    INFO("seed " << seed);
    std::mt19937 rng{seed};
    auto pick = [&](int lo, int hi) {
      return std::uniform_int_distribution<int>{lo, hi}(rng);
    };
    reference_book ref;
    ref.on_hand = pick(0, 20);
    reservations r{ref.on_hand};
    auto now = at(0s);
    for (int step = 0; step < 2000; ++step) {
      hold_id id = pick(1, 6); // few ids, so they collide and repeat
      switch (pick(0, 5)) {
      case 0: { // reserve
        std::int64_t quantity = pick(-1, 6);
        auto deadline = now + std::chrono::seconds{pick(0, 10)};
        bool fits = quantity > 0 && quantity <= ref.on_hand - ref.held();
        REQUIRE(r.reserve(id, quantity, deadline) == fits);
        if (fits)
          ref.holds.push_back({id, quantity, deadline});
        break;
      }
      case 1: { // commit
        // As the store would, which sells only copies it has (and otherwise
        // the checkout releases its hold instead).
        auto i = ref.oldest(id);
        if (i != ref.holds.end() && i->quantity > ref.on_hand) {
          REQUIRE(r.release(id) == i->quantity);
          ref.holds.erase(i);
        } else if (i != ref.holds.end()) {
          REQUIRE(r.commit(id, pick(1, 6)) == commit_source::hold);
          ref.on_hand -= i->quantity;
          ref.holds.erase(i);
        } else if (ref.on_hand > 0) {
          std::int64_t quantity = pick(1, static_cast<int>(ref.on_hand));
          REQUIRE(r.commit(id, quantity) == commit_source::no_hold);
          ref.on_hand -= quantity;
        }
        break;
      }
      case 2: { // release
        auto i = ref.oldest(id);
        std::int64_t quantity = i == ref.holds.end() ? 0 : i->quantity;
        if (i != ref.holds.end())
          ref.holds.erase(i);
        REQUIRE(r.release(id) == quantity);
        break;
      }
      case 3: { // time passes, and expiry runs
        now += std::chrono::seconds{pick(0, 3)};
        auto due = std::count_if(ref.holds.begin(), ref.holds.end(),
                                 [&](auto& h) { return h.deadline <= now; });
        ref.holds.erase(
            std::remove_if(ref.holds.begin(), ref.holds.end(),
                           [&](auto& h) { return h.deadline <= now; }),
            ref.holds.end());
        REQUIRE(r.expire(now) == static_cast<std::size_t>(due));
        break;
      }
      case 4: { // an admin sets the stock
        std::int64_t quantity = pick(0, 20);
        REQUIRE(r.can_set(quantity) == (quantity >= ref.held()));
        if (quantity >= ref.held()) {
          r.restock(quantity - ref.on_hand);
          ref.on_hand = quantity;
        }
        break;
      }
      default: // time passes without expiry: due holds stay live
        now += std::chrono::seconds{pick(0, 2)};
        break;
      }
      check_against(r, ref);
    }
  }
}
