#pragma once

// Keeps one connection's answers in request order: HTTP/1.1 pipelining lets a
// client send several requests before reading, and the answers must come
// back in that order even when a later request completes first. No CAF.

#include <cstdint>
#include <deque>
#include <optional>

#include "gateway/http/message.hpp"

namespace bookstore::http {

class pipeline {
public:
  /// One request's place in line.
  struct entry {
    std::uint64_t seq = 0;
    bool keep_alive = true; // what the request asked for
    bool head = false;      // a HEAD request: answer without body
    bool http11 = true;     // the request's version was HTTP/1.1
    std::optional<response> answer;
  };

  /// Reserves the next place in line and returns its sequence number.
  std::uint64_t open(bool keep_alive, bool head, bool http11 = true);

  /// Stores the answer for `seq`. False if `seq` was never opened, is
  /// already answered or was dropped by `clear()`: answering twice is
  /// harmless.
  bool fulfill(std::uint64_t seq, response r);

  /// Gives `r` to every place still waiting for its answer.
  void fulfill_all(const response& r);

  /// Removes and returns the first entry once it has its answer.
  std::optional<entry> pop_ready();

  /// Places not yet released by `pop_ready` (answered or not).
  std::size_t size() const { return slots_.size(); }
  bool empty() const { return slots_.empty(); }

  /// Forgets every place: later `fulfill` calls for them return false.
  void clear() { slots_.clear(); }

private:
  std::deque<entry> slots_;
  std::uint64_t next_ = 0; // the sequence number `open` hands out next
};

} // namespace bookstore::http
