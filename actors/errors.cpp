#include "actors/errors.hpp"

#include "caf/atom.hpp"
#include "caf/exit_reason.hpp"
#include "caf/sec.hpp"

namespace bookstore::model {

namespace {
constexpr auto category = caf::atom("bookstore");
} // namespace

caf::error make_error(error_code code) {
  return {static_cast<std::uint8_t>(code), category};
}

} // namespace bookstore::model

namespace bookstore {

model::error_code domain_code(const caf::error& err) {
  if (!err)
    return model::error_code::none;
  if (err.category() == caf::atom("bookstore"))
    return static_cast<model::error_code>(err.code());
  // Only requests to another node's actors have a timeout (patience.hpp),
  // and only another node's actors are unreachable: that node is down.
  if (err == caf::sec::request_timeout
      || err == caf::exit_reason::remote_link_unreachable)
    return model::error_code::node_unavailable;
  return model::error_code::internal_error;
}

bool receiver_gone(const caf::error& err) {
  // Another node bounces a request to an actor it no longer has as
  // unreachable.
  return err == caf::sec::request_receiver_down
         || err == caf::exit_reason::remote_link_unreachable;
}

} // namespace bookstore
