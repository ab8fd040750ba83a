#include "model/prebook.hpp"

namespace bookstore::model {

const char* prebook_status_name(prebook_status status) {
  switch (status) {
  case prebook_status::waiting:
    return "waiting";
  case prebook_status::notified:
    return "notified";
  case prebook_status::cancelled:
    return "cancelled";
  }
  return "waiting"; // only for a value outside the enumeration
}

std::optional<prebook_status> parse_prebook_status(std::string_view name) {
  for (auto status : {prebook_status::waiting, prebook_status::notified,
                      prebook_status::cancelled})
    if (name == prebook_status_name(status))
      return status;
  return std::nullopt;
}

} // namespace bookstore::model
