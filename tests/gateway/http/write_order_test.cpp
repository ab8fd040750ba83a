// write_order: bytes reach the client in the order written, whichever way
// each part goes (straight into the socket or through CAF's queue).

#include <algorithm>
#include <string>

#include <catch2/catch.hpp>

#include "gateway/http/write_order.hpp"

using bookstore::http::write_order;

namespace {

// A socket with `room` bytes free, what reached the client (`wire`) and
// CAF's queue in front of it.
struct fake_connection {
  write_order order;
  std::size_t room = 0;
  std::string wire;
  std::string queue;

  explicit fake_connection(bool direct) : order(direct) {}

  void write(const std::string& bytes) {
    order.write(
        bytes.data(), bytes.size(),
        [this](const char* p, std::size_t n) -> ::ssize_t {
          auto taken = std::min(n, room);
          wire.append(p, taken);
          room -= taken;
          return taken == 0 ? -1 : static_cast<::ssize_t>(taken); // EAGAIN
        },
        [this](const char* p, std::size_t n) { queue.append(p, n); });
  }

  // CAF's turn: it writes what the socket takes and says when it is done.
  void caf_writes() {
    auto taken = std::min(queue.size(), room);
    wire += queue.substr(0, taken);
    queue.erase(0, taken);
    room -= taken;
    if (queue.empty())
      order.drained();
  }
};

} // namespace

TEST_CASE("write_order: bytes go straight into a socket with room") {
  fake_connection c{true};
  c.room = 100;
  c.write("first");
  c.write("second");
  CHECK(c.wire == "firstsecond");
  CHECK(c.queue.empty());
  CHECK_FALSE(c.order.queued());
}

TEST_CASE("write_order: later bytes wait behind queued ones even when the "
          "socket has room again") {
  fake_connection c{true};
  c.room = 4;
  c.write("AAAAAAAA"); // half fits
  CHECK(c.wire == "AAAA");
  CHECK(c.queue == "AAAA");
  CHECK(c.order.queued());
  // The client read: room again, before CAF's turn came.
  c.room = 100;
  c.write("BB");
  CHECK(c.wire == "AAAA"); // not "AAAABB"
  c.caf_writes();
  CHECK(c.wire == "AAAAAAAABB");
  CHECK_FALSE(c.order.queued());
  // Drained: straight into the socket again.
  c.write("CC");
  CHECK(c.wire == "AAAAAAAABBCC");
  CHECK(c.queue.empty());
}

TEST_CASE("write_order on a full socket queues everything in order") {
  fake_connection c{true};
  c.write("one");
  c.write("two");
  CHECK(c.wire.empty());
  CHECK(c.queue == "onetwo");
  c.room = 3;
  c.caf_writes(); // part of the queue: still queued
  CHECK(c.order.queued());
  c.room = 100;
  c.write("three");
  c.caf_writes();
  CHECK(c.wire == "onetwothree");
}

TEST_CASE("write_order: without a socket of its own everything is queued") {
  fake_connection c{false};
  c.room = 100;
  c.write("all");
  CHECK(c.wire.empty());
  CHECK(c.queue == "all");
  CHECK_FALSE(c.order.queued()); // nothing to wait for: CAF orders it all
}
