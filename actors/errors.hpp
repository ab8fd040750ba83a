#pragma once

// Domain rejections travel as caf::error values of the category "bookstore",
// so a handler can simply return a model::error_code as its result.

#include "caf/error.hpp"

#include "model/errors.hpp"

namespace bookstore::model {

/// Lets CAF convert a model::error_code into a caf::error (found by ADL).
caf::error make_error(error_code code);

} // namespace bookstore::model

namespace bookstore {

/// The domain code inside `err`: the code itself for our category,
/// node_unavailable for another node's actor that did not answer in time or
/// is unreachable (a cluster), internal_error otherwise.
model::error_code domain_code(const caf::error& err);

/// True if the request's receiver had stopped (an idle book or cart actor
/// passivates) before it got the request, on this node or on another:
/// look the actor up again.
bool receiver_gone(const caf::error& err);

} // namespace bookstore
