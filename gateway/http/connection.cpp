#include "gateway/http/connection.hpp"

#include <algorithm>
#include <cassert>
#include <chrono>
#include <cstdint>
#include <exception>
#include <iostream>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <fcntl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "caf/io/broker.hpp"
#include "caf/io/receive_policy.hpp"
#include "caf/io/system_messages.hpp"
#include "caf/send.hpp"

#include "gateway/http/atoms.hpp"
#include "gateway/http/connection_phase.hpp"
#include "gateway/http/parser.hpp"
#include "gateway/http/pipeline.hpp"
#include "gateway/http/response.hpp"
#include "gateway/http/socket_of.hpp"
#include "gateway/http/write_order.hpp"

namespace bookstore::http::detail {

namespace {

using clock = std::chrono::steady_clock;

// Requests of one connection handed to the handler and not yet answered.
// Beyond this the connection stops parsing (and reading) until answers go
// out, so one pipelining client cannot flood the actors.
constexpr std::size_t max_in_flight = 32;

// Bytes asked from the socket per read.
constexpr std::size_t read_size = 8192;

// Answers waiting in CAF's buffer because the client does not read them.
// Beyond this the connection stops parsing (and reading) until they drain:
// a client that pipelines thousands of requests and never reads costs this
// much (plus the answers of the requests already in flight), not gigabytes.
constexpr std::size_t max_unsent = 1 << 20;

// After an error answer the client may still be sending (a body we refused,
// the rest of a huge header). Closing with unread bytes makes the kernel send
// a reset that can destroy the answer before the client reads it, so the
// connection reads and discards until the client is quiet for a moment, it
// closes, or the maximum linger time is over.
constexpr std::chrono::milliseconds linger_quiet{250};
constexpr std::chrono::milliseconds linger_max{2000};

std::string what(const std::exception_ptr& ex) {
  try {
    std::rethrow_exception(ex);
  } catch (const std::exception& e) {
    return e.what();
  } catch (...) {
    return "unknown exception";
  }
}

/// The state of one connection. Lives as long as its broker; responders hold
/// it weakly, so an answer that comes after the broker is gone does nothing.
/// Its lifecycle is `phase_` (connection_phase.hpp draws it); it changes only
/// in enter().
class connection : public std::enable_shared_from_this<connection> {
public:
  connection(caf::io::broker* self, caf::io::connection_handle hdl,
             std::shared_ptr<const connection_params> params)
      : self_(self), hdl_(hdl), params_(std::move(params)),
        parser_(parser_limits{params_->config.max_body,
                              params_->config.max_header,
                              params_->config.body_limit}) {}

  void start() {
    self_->configure_read(hdl_, caf::io::receive_policy::at_most(read_size));
    fd_ = socket_of(self_, hdl_);
    writes_ = write_order{fd_ >= 0};
    // CAF tells us when its own buffers for this socket are empty again.
    if (fd_ >= 0)
      self_->ack_writes(hdl_, true);
    idle_since_ = clock::now();
    update_timer();
  }

  void on_data(const std::vector<char>& buf) {
    if (lingering()) {
      last_input_ = clock::now();
      update_timer();
      return;
    }
    // After an error, a last request or a stop nothing more is read.
    if (!reading())
      return;
    if (backlog_.empty()) {
      auto used = consume(buf.data(), buf.size());
      if (reading() && used < buf.size())
        backlog_.assign(buf.begin() + static_cast<std::ptrdiff_t>(used),
                        buf.end());
    } else {
      backlog_.insert(backlog_.end(), buf.begin(), buf.end());
      drain_backlog();
    }
    // A backlog means too many requests in flight or too many answers
    // unsent: stop reading for now.
    if (alive() && (!backlog_.empty() || output_full()) && !halted_) {
      self_->halt(hdl_);
      halted_ = true;
    }
    update_timer();
  }

  void on_timer(std::uint64_t generation) {
    if (!alive() || generation != generation_)
      return; // a stale timer: a later one replaced it
    timer_at_.reset();
    auto deadline = current_deadline();
    if (!deadline)
      return;
    if (clock::now() < *deadline) {
      arm(*deadline);
      return;
    }
    if (lingering())
      shutdown();
    else if (stalled())
      abort_stalled(); // answers wait and the client reads none of them
    else if (reading() && parser_.phase() != parse_phase::idle)
      fail(408); // a slow client: it had its time to send the request
    else
      shutdown(); // idle keep-alive connection
  }

  void on_stop() {
    if (!reading())
      return; // already finishing (lingering ends on its own)
    // Answer what the handler already has, read nothing more.
    enter(connection_phase::answering);
    backlog_.clear();
    if (outbox_.empty() && !streaming_)
      shutdown();
    // Otherwise flush_ready() closes after the last answer.
  }

  // CAF reports the peer's FIN (a half-close: "I sent everything") like a
  // broken connection, and closes its scribe. A client that half-closes
  // after its requests still waits for the answers, so the connection takes
  // a copy of the socket into a scribe that only writes, and answers what
  // was received before the FIN. If the peer is really gone, the first
  // write fails and the new scribe reports that; then nothing is left.
  void on_peer_closed(caf::io::connection_handle closed) {
    if (closed != hdl_)
      return;
    if (alive() && !lingering() && !peer_closed_ && has_work() && adopt_copy())
      return continue_after_fin();
    // Pending answers have nowhere to go: drop them.
    enter(connection_phase::closed);
    outbox_.clear();
    streaming_.reset();
    self_->quit();
  }

  // An exception escaped a handler's continuation (a `.then`): CAF 0.17
  // ends the broker whatever we do, so answer 500 to everything still
  // waiting, in order, and close.
  void on_exception() {
    if (!alive())
      return;
    if (reading())
      enter(connection_phase::answering);
    outbox_.fulfill_all(server_error(500));
    flush_ready();
    shutdown();
  }

  void on_terminated() { enter(connection_phase::closed); }

  // The acceptor needs this connection's slot: close if nothing is going on.
  void on_evict(idle_list<caf::actor>::key key) {
    if (idle_key_ == key)
      idle_key_.reset(); // the acceptor took it off the list
    if (idle_now())
      shutdown();
    else
      update_timer();
  }

  void on_written(std::uint64_t remaining) {
    // Called by CAF right after its write, so `remaining` is exact: it
    // counts every byte we queued that has not gone out yet.
    unsent_ = remaining;
    last_progress_ = clock::now();
    if (remaining == 0) {
      writes_.drained();
      pull_piece(); // a streamed body waits for its last piece to go out
    }
    if (!alive())
      return;
    resume_input(); // below the bound again: parse and read on
    update_timer();
  }

  // The trigger sent by request_read().
  void on_resume_read() {
    read_requested_ = false;
    if (!alive() || !halted_ || peer_closed_)
      return;
    if (!lingering() && (!reading() || !backlog_.empty() || output_full()))
      return; // halted again in the meantime
    self_->trigger(hdl_);
    halted_ = false;
    // While we did not read, the client could not send: a request begun
    // before gets its time again.
    auto now = clock::now();
    if (header_started_)
      header_started_ = now;
    if (body_started_)
      body_started_ = now;
    update_timer();
  }

private:
  using time_point = clock::time_point;

  // The one place the phase changes; the arrows are may_enter()'s.
  void enter(connection_phase next) {
    assert(may_enter(phase_, next));
    phase_ = next;
    if (next == connection_phase::closed)
      leave_idle_list(); // the acceptor must not evict a closed connection
  }

  bool alive() const { return phase_ != connection_phase::closed; }
  bool reading() const { return phase_ == connection_phase::reading; }
  bool lingering() const { return phase_ == connection_phase::lingering; }

  // No further request will come and every answer has been written.
  bool no_more_answers() const { return !reading() && outbox_.empty(); }

  // Parses and dispatches from `data`; returns the bytes consumed. Stops at
  // the in-flight limit, an error or the end of the input.
  std::size_t consume(const char* data, std::size_t n) {
    consuming_ = true;
    std::size_t off = 0;
    while (reading() && off < n && outbox_.size() < max_in_flight
           && !output_full()) {
      auto used = parser_.feed(data + off, n - off);
      off += used;
      if (auto req = parser_.next()) {
        dispatch(std::move(*req));
        continue;
      }
      if (parser_.error() != 0) {
        fail(parser_.error());
        break;
      }
      if (used == 0)
        break;
    }
    consuming_ = false;
    note_phase();
    maybe_continue();
    return off;
  }

  void drain_backlog() {
    auto used = consume(backlog_.data(), backlog_.size());
    if (!alive())
      return;
    if (!reading())
      backlog_.clear();
    else
      backlog_.erase(backlog_.begin(),
                     backlog_.begin() + static_cast<std::ptrdiff_t>(used));
  }

  // Continues parsing held-back bytes once answers made room.
  void resume_input() {
    if (consuming_ || !reading())
      return; // the running consume() loop picks up where it stands
    if (!backlog_.empty() && outbox_.size() < max_in_flight && !output_full())
      drain_backlog();
    if (!reading())
      return;
    if (peer_closed_) {
      // Everything the peer sent is parsed: what is in flight is the rest.
      if (backlog_.empty())
        end_input();
      return;
    }
    if (halted_ && backlog_.empty() && !output_full())
      request_read();
  }

  // CAF 0.17 loses a trigger() that follows a halt() in the same turn of
  // its loop (the halt's removal from epoll is still pending, so trigger
  // sees a reader and does nothing; then the removal happens) and the
  // connection would never read again. A halt happens while reading, in a
  // socket event, and so may a write acknowledgement that frees room; the
  // trigger is therefore sent as a message, which CAF runs after it applied
  // the pending changes.
  void request_read() {
    if (read_requested_)
      return;
    read_requested_ = true;
    caf::anon_send(caf::actor_cast<caf::actor>(self_), resume_atom::value);
  }

  // Waiting for the client's next request, with nothing of it seen yet.
  bool idle_now() const {
    return reading() && !peer_closed_ && outbox_.empty() && !streaming_
           && backlog_.empty() && unsent_ == 0
           && parser_.phase() == parse_phase::idle;
  }

  // Keeps this connection's entry in the server's idle list up to date.
  void note_idle() {
    if (idle_now()) {
      if (!idle_key_)
        idle_key_ = params_->idle->add(caf::actor_cast<caf::actor>(self_));
    } else {
      leave_idle_list();
    }
  }

  void leave_idle_list() {
    if (idle_key_)
      params_->idle->remove(*idle_key_);
    idle_key_.reset();
  }

  // Too many answered bytes wait for the client to read them.
  bool output_full() const { return unsent_ >= max_unsent; }

  // Something received is still to be parsed, answered or written.
  bool has_work() const {
    return !outbox_.empty() || streaming_ || !backlog_.empty();
  }

  // Continues on a copy of the socket once CAF closed its scribe on the
  // peer's FIN; false if that cannot be done safely.
  bool adopt_copy() {
    // Bytes still in the old scribe's buffer would race with ours on the
    // copy; that scribe no longer tells us when they are out.
    if (fd_ < 0 || writes_.queued() || unsent_ != 0)
      return false;
    int copy = ::fcntl(fd_, F_DUPFD_CLOEXEC, 0);
    if (copy < 0)
      return false;
    // Never configured to read, so the new scribe only writes (and closes
    // the copy when it is done).
    hdl_ = self_->add_scribe(copy);
    fd_ = socket_of(self_, hdl_);
    if (fd_ < 0) {
      self_->close(hdl_);
      return false;
    }
    self_->ack_writes(hdl_, true);
    return true;
  }

  void continue_after_fin() {
    peer_closed_ = true;
    halted_ = false; // the new scribe never reads: nothing to resume
    resume_input();
    update_timer();
  }

  // No further request will come: close once the last answer is out.
  void end_input() {
    enter(connection_phase::answering);
    backlog_.clear();
    if (outbox_.empty() && !streaming_)
      shutdown();
  }

  // Remembers when the current request started its header section or its
  // body, for the header and body timeouts.
  void note_phase() {
    auto phase = parser_.phase();
    if (phase != parse_phase::headers)
      header_started_.reset();
    else if (!header_started_)
      header_started_ = clock::now();
    if (phase != parse_phase::body)
      body_started_.reset();
    else if (!body_started_)
      body_started_ = clock::now();
  }

  // Tells a client that sent "Expect: 100-continue" to send its body. Only
  // when no earlier answer is pending, which would have to come first; a
  // client that gets no 100 sends its body after a short wait anyway.
  void maybe_continue() {
    if (!reading() || continue_sent_ || !outbox_.empty() || streaming_
        || !parser_.expects_continue())
      return;
    static constexpr std::string_view interim = "HTTP/1.1 100 Continue\r\n\r\n";
    send_bytes(interim.data(), interim.size());
    continue_sent_ = true;
  }

  void dispatch(request&& req) {
    continue_sent_ = false;
    header_started_.reset();
    body_started_.reset();
    served_any_ = true;
    if (!req.keep_alive)
      enter(connection_phase::answering); // this request is the last
    auto seq = outbox_.open(req.keep_alive, req.method == "HEAD", req.http11);
    responder respond = [weak = weak_from_this(), seq](response r) {
      if (auto conn = weak.lock())
        conn->answer(seq, std::move(r));
    };
    try {
      params_->handle(self_, std::move(req), std::move(respond));
    } catch (...) {
      // Never let a handler take the connection down; answering twice is a
      // no-op, so a handler that answered and then threw keeps its answer.
      answer(seq, server_error(500));
    }
  }

  // Answers the server gives itself (400, 408, 413, 431, 505): after every
  // earlier answer, then the connection closes.
  void fail(int status) {
    enter(connection_phase::failing);
    auto seq = outbox_.open(false, false);
    answer(seq, server_error(status));
  }

  void answer(std::uint64_t seq, response r) {
    if (!alive() || !outbox_.fulfill(seq, std::move(r)))
      return;
    flush_ready();
  }

  // Writes every answer that is next in line, then flushes once. A streamed
  // answer is the last one written until its body is complete.
  void flush_ready() {
    if (streaming_)
      return; // on_piece() goes on once the streamed body is out
    bool wrote = false;
    bool close = false;
    while (auto e = outbox_.pop_ready()) {
      if (e->answer->lost) {
        close = true;
        break;
      }
      // Nothing more will be read once input is done: the last answer closes.
      bool keep =
          e->keep_alive && !wants_close(*e->answer) && !no_more_answers();
      framing how{keep, e->head};
      if (e->answer->stream) {
        how.body =
            e->http11 ? body_framing::chunked : body_framing::until_close;
        how.keep_alive = keep = keep && e->http11;
      }
      if (!wrote)
        out_.clear();
      serialize(*e->answer, how, out_);
      wrote = true;
      if (e->answer->stream && !e->head) {
        streaming_ = stream_out{std::move(e->answer->stream), how.body, keep};
        break;
      }
      if (!keep) {
        close = true;
        break;
      }
    }
    if (wrote)
      send_bytes(out_.data(), out_.size());
    if (streaming_) {
      pull_piece();
    } else if (close) {
      if (phase_ == connection_phase::failing)
        start_linger();
      else
        shutdown();
      return;
    }
    if (outbox_.empty())
      idle_since_ = clock::now();
    maybe_continue();
    resume_input();
    update_timer();
  }

  // Asks for the next piece of the streamed body once the bytes before it
  // left our and CAF's buffers: one piece at a time is in memory, and a
  // client that reads slowly slows the listing down instead of filling us.
  void pull_piece() {
    if (!alive() || !streaming_ || pulling_ || writes_.queued())
      return;
    pulling_ = true;
    // A copy: a stream that answers at once ends up in on_piece, which may
    // reset streaming_ while the function runs.
    auto next = streaming_->next;
    next(self_, [weak = weak_from_this()](std::optional<body_piece> p) {
      if (auto conn = weak.lock())
        conn->on_piece(std::move(p));
    });
  }

  void on_piece(std::optional<body_piece> piece) {
    pulling_ = false;
    if (!alive() || !streaming_)
      return;
    if (!piece) {
      // The status line is out: cutting the connection before the last
      // chunk is the only way left to tell the client the body is not whole.
      std::cerr << "http: a streamed answer failed; closing its connection\n";
      streaming_.reset();
      return shutdown();
    }
    out_.clear();
    append_piece(piece->bytes, streaming_->framing, out_);
    if (piece->last)
      append_body_end(streaming_->framing, out_);
    if (!out_.empty())
      send_bytes(out_.data(), out_.size());
    if (!piece->last)
      return pull_piece();
    bool keep = streaming_->keep_alive;
    streaming_.reset();
    if (!keep || no_more_answers())
      return shutdown();
    idle_since_ = clock::now();
    flush_ready(); // the answers that waited behind the streamed one
  }

  // Writes to the client. CAF would queue the bytes, ask epoll for
  // writability and send on the next turn of its loop, which is two
  // epoll_ctl calls and one more wake-up per answer on the I/O thread that
  // every connection shares. So the bytes go straight into the socket, and
  // what it does not take goes through CAF, in order (write_order).
  void send_bytes(const char* data, std::size_t n) {
    writes_.write(
        data, n,
        [this](const char* p, std::size_t len) {
          return ::send(fd_, p, len, MSG_NOSIGNAL | MSG_DONTWAIT);
        },
        [this](const char* p, std::size_t len) {
          auto& buf = self_->wr_buf(hdl_);
          buf.insert(buf.end(), p, p + len);
          self_->flush(hdl_);
          if (unsent_ == 0)
            last_progress_ = clock::now();
          unsent_ += len;
        });
  }

  // Stops answering and drains input before closing (see linger_quiet).
  void start_linger() {
    if (peer_closed_)
      return shutdown(); // the peer sends nothing more: no reset to fear
    outbox_.clear();
    if (!consuming_)
      backlog_.clear(); // else consume()'s caller drops it
    enter(connection_phase::lingering);
    linger_started_ = last_input_ = clock::now();
    if (halted_)
      request_read();
    update_timer();
  }

  time_point stall_deadline() const {
    return last_progress_ + params_->config.idle_timeout;
  }

  bool stalled() const {
    return unsent_ != 0 && clock::now() >= stall_deadline();
  }

  // A client that reads nothing for the idle timeout while answers wait:
  // CAF would keep trying to write them for ever, so the socket is shut
  // down under it (its next write fails and it lets go), then closed.
  void abort_stalled() {
    if (fd_ >= 0)
      ::shutdown(fd_, SHUT_RDWR);
    shutdown();
  }

  // Closes after the written bytes went out; later answers are dropped.
  void shutdown() {
    if (!alive())
      return;
    enter(connection_phase::closed);
    outbox_.clear();
    self_->close(hdl_);
    self_->quit();
  }

  // The one deadline that applies now, if any.
  std::optional<time_point> current_deadline() const {
    auto& cfg = params_->config;
    if (lingering())
      return std::min(linger_started_ + linger_max, last_input_ + linger_quiet);
    std::optional<time_point> input;
    // Not while reading is halted: then it is us who do not take the bytes.
    if (reading() && !halted_) {
      if (header_started_)
        input = *header_started_ + cfg.header_timeout;
      else if (body_started_)
        input = *body_started_ + cfg.idle_timeout;
    }
    // Answers wait in CAF's buffer: the client must read some of them
    // within the idle timeout.
    if (unsent_ != 0)
      return input ? std::min(*input, stall_deadline()) : stall_deadline();
    if (input)
      return input;
    if (outbox_.empty() && !streaming_ && backlog_.empty()
        && parser_.phase() == parse_phase::idle) {
      // A connection that never sent a request gets the shorter timeout.
      auto limit = served_any_ ? cfg.idle_timeout : cfg.header_timeout;
      return idle_since_ + limit;
    }
    return std::nullopt;
  }

  // Keeps at most one live timer: an armed timer that fires no later than
  // the deadline is kept (on_timer re-arms); an earlier deadline replaces it.
  void update_timer() {
    note_idle();
    if (!alive())
      return;
    auto deadline = current_deadline();
    if (!deadline || (timer_at_ && *timer_at_ <= *deadline))
      return;
    arm(*deadline);
  }

  void arm(time_point deadline) {
    ++generation_;
    timer_at_ = deadline;
    auto delay = std::max(clock::duration::zero(), deadline - clock::now());
    // Anonymous, not delayed_send(self_, ...): a CAF 0.17 broker never
    // empties its mailbox once terminated, so a timer that fires after the
    // connection closed stays there; with the broker as its sender it would
    // keep the broker (and this connection, the handler, ...) alive forever.
    caf::delayed_anon_send(caf::actor_cast<caf::actor>(self_), delay,
                           timeout_atom::value, generation_);
  }

  // The answer whose body is being streamed.
  struct stream_out {
    body_stream next;
    body_framing framing;
    bool keep_alive;
  };

  caf::io::broker* self_;
  caf::io::connection_handle hdl_;
  std::shared_ptr<const connection_params> params_;
  parser parser_;
  pipeline outbox_;
  std::vector<char> backlog_; // read but not parsed: too many in flight
  std::vector<char> out_;     // answers serialized for one write
  int fd_ = -1;               // the socket, if we may write to it directly
  write_order writes_;        // direct to fd_, or behind CAF's buffers
  std::optional<stream_out> streaming_;
  std::size_t unsent_ = 0; // our bytes in CAF's buffer, not yet sent
  connection_phase phase_ = connection_phase::reading; // only enter() sets it
  // Flags beside the phase, not part of it, because each holds in more than
  // one phase. The read side of the socket, in reading, answering and failing
  // alike: a halt for backpressure, the resume message it waits for, and the
  // peer's FIN (after which we write on a copy and read nothing).
  bool halted_ = false;
  bool read_requested_ = false;
  bool peer_closed_ = false;
  // Guards against re-entry while a callback runs: inside consume() (no
  // nested parsing) and while a stream makes its next piece.
  bool consuming_ = false;
  bool pulling_ = false;
  // Facts about the requests so far: any was dispatched (for the idle
  // timeout), and "100 Continue" went out for the current one.
  bool served_any_ = false;
  bool continue_sent_ = false;
  time_point linger_started_;
  time_point last_input_;
  time_point idle_since_;
  time_point last_progress_; // when unsent bytes last went out (or began)
  std::optional<time_point> header_started_;
  std::optional<time_point> body_started_;
  std::optional<time_point> timer_at_; // when the live timer fires
  std::uint64_t generation_ = 0;       // of the live timer
  std::optional<idle_list<caf::actor>::key> idle_key_; // if on the list
};

} // namespace

caf::behavior connection_behavior(caf::io::broker* self,
                                  caf::io::connection_handle hdl,
                                  std::shared_ptr<const connection_params> p) {
  auto conn = std::make_shared<connection>(self, hdl, std::move(p));
  // However the broker ends (close, peer gone, killed), answers that come
  // later must not touch it.
  self->attach_functor([conn] { conn->on_terminated(); });
  self->set_exception_handler([conn](caf::scheduled_actor*,
                                     std::exception_ptr& ex) -> caf::error {
    std::cerr << "http: exception in a request handler: " << what(ex) << '\n';
    conn->on_exception();
    return caf::sec::runtime_error;
  });
  conn->start();
  return {
      [conn](const caf::io::new_data_msg& msg) { conn->on_data(msg.buf); },
      [conn](const caf::io::connection_closed_msg& msg) {
        conn->on_peer_closed(msg.handle);
      },
      [conn](const caf::io::data_transferred_msg& msg) {
        conn->on_written(msg.remaining);
      },
      [conn](timeout_atom, std::uint64_t generation) {
        conn->on_timer(generation);
      },
      [conn](stop_atom) { conn->on_stop(); },
      [conn](evict_atom, std::uint64_t key) { conn->on_evict(key); },
      [conn](resume_atom) { conn->on_resume_read(); },
  };
}

} // namespace bookstore::http::detail
