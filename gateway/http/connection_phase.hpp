#pragma once

// The lifecycle of one HTTP connection (connection.cpp). No CAF.
//
//                +---------+  parses requests, hands them to the handler,
//   accepted --->| reading |  writes the answers in request order
//                +---------+
//                  |     |
//     no further   |     |  the server's own error answer (400, 408,
//     request (*)  |     |  413, 431, 505), behind every earlier answer
//                  v     v
//       +-----------+   +---------+
//       | answering |   | failing |
//       +-----------+   +---------+
//             |              |  the error answer is written (if the peer
//             |              |  half-closed: straight to closed instead)
//             |              v
//             |         +-----------+  reads and discards what the client
//             |         | lingering |  still sends, so that closing does not
//             |         +-----------+  reset the answer away, until the
//             |              |         client is quiet (250 ms) or 2 s pass
//             | the last     |
//             | answer is out|
//             v              v
//           +------------------+
//           |      closed      |  later answers are dropped
//           +------------------+
//
// (*) a request without keep-alive, a graceful stop, the peer's FIN once
// everything it sent is parsed, an exception in a handler's continuation.
//
// Any phase may go straight to closed: the idle or first-request timeout
// or an eviction (reading, nothing in flight), an answer that says
// "Connection: close", a client that reads no answer for the idle timeout,
// a failed streamed body, a peer gone for good, the broker ending.

namespace bookstore::http::detail {

enum class connection_phase {
  reading,   // requests are parsed and answered
  answering, // no further request: answer what is in flight, then close
  failing,   // like answering, but the last answer is the server's error
  lingering, // the error is written: drain the input, then close
  closed,    // nothing more is read or written
};

/// The arrows of the diagram above: whether a connection in `from` may go
/// on to `to`. Closing is always allowed (and closing twice is harmless).
constexpr bool may_enter(connection_phase from, connection_phase to) {
  using p = connection_phase;
  switch (to) {
  case p::closed:
    return true;
  case p::answering:
  case p::failing:
    return from == p::reading;
  case p::lingering:
    return from == p::failing;
  case p::reading:
    return false; // a connection never starts reading again
  }
  return false;
}

} // namespace bookstore::http::detail
