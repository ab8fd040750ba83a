#pragma once

// Keeps a connection's bytes in the order they were written when some go
// straight into the socket and the rest through CAF's buffers. No CAF: the
// socket and CAF's queue are passed in, so the rule is tested on its own.

#include <cstddef>
#include <sys/types.h>

namespace bookstore::http {

class write_order {
public:
  /// `direct` false: every byte goes through the queue (no socket to use).
  explicit write_order(bool direct = false) : direct_(direct) {}

  /// Gives the socket what it takes now (`try_send(data, n)`, without
  /// blocking, returns the bytes taken or a negative error) and the rest to
  /// `enqueue(data, n)`. Once bytes are queued, everything written after
  /// them is queued too until `drained()`: a socket that has room again
  /// before CAF wrote the queue would otherwise get later bytes first.
  template <class TrySend, class Enqueue>
  void write(const char* data, std::size_t n, TrySend&& try_send,
             Enqueue&& enqueue) {
    if (direct_ && !queued_) {
      ::ssize_t sent = try_send(data, n);
      if (sent > 0) {
        data += sent;
        n -= static_cast<std::size_t>(sent);
      }
      // A real error is left to the queue's writer, which reports it.
      if (n == 0)
        return;
    }
    enqueue(data, n);
    queued_ = direct_;
  }

  /// The queue is written out: the socket may be used directly again.
  void drained() { queued_ = false; }

  /// Bytes written here still wait in the queue.
  bool queued() const { return queued_; }

private:
  bool direct_;
  bool queued_ = false;
};

} // namespace bookstore::http
