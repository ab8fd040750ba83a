#include "gateway/api/call.hpp"

#include <cstdio>

#include "actors/errors.hpp"
#include "gateway/json/errors.hpp"

namespace bookstore::gateway {

using model::error_code;

int status_of(error_code code) {
  switch (code) {
  case error_code::none:
    return 200;
  case error_code::validation_error:
  case error_code::order_cart_empty:
    return 422;
  case error_code::book_not_found:
  case error_code::cart_item_not_found:
  case error_code::order_not_found:
  case error_code::not_found:
  case error_code::review_not_found:
  case error_code::wishlist_item_not_found:
  case error_code::prebook_not_found:
  case error_code::user_not_found:
    return 404;
  case error_code::book_isbn_conflict:
  case error_code::genre_conflict:
  case error_code::stock_reserved:
  case error_code::cart_book_out_of_stock:
  case error_code::cart_item_duplicate:
  case error_code::checkout_in_progress:
  case error_code::order_insufficient_stock:
  case error_code::order_items_unavailable:
  case error_code::idempotency_in_progress:
  case error_code::auth_email_conflict:
  case error_code::duplicate_review:
  case error_code::review_duplicate:
  case error_code::wishlist_item_duplicate:
  case error_code::prebook_book_in_stock:
  case error_code::prebook_duplicate:
  case error_code::prebook_already_cancelled:
    return 409;
  case error_code::cart_item_forbidden:
  case error_code::not_purchased:
  case error_code::not_review_owner:
  case error_code::auth_account_deactivated:
  case error_code::admn_cannot_deactivate_admin:
    return 403;
  case error_code::order_payment_failed:
    return 402;
  case error_code::auth_invalid_credentials:
  case error_code::auth_refresh_invalid:
  case error_code::auth_token_reuse:
  case error_code::auth_user_inactive:
    return 401;
  case error_code::payment_timeout:
    return 504;
  case error_code::store_unavailable:
  case error_code::checkout_timeout:
  case error_code::query_too_expensive:
  case error_code::auth_busy:
  case error_code::node_unavailable:
  case error_code::node_lost:
    return 503;
  case error_code::internal_error:
    return 500;
  }
  return 500;
}

namespace {

http::response json_response(int status, std::string body) {
  http::response res;
  res.status = status;
  res.body = std::move(body);
  return res;
}

} // namespace

void call::reply(int status, const nlohmann::json& body) const {
  respond(json_response(status, json::dump_body(body)));
}

void call::reply(int status, std::string body) const {
  respond(json_response(status, std::move(body)));
}

void call::reply_no_content() const {
  http::response res;
  res.status = 204;
  res.content_type.clear();
  respond(std::move(res));
}

http::response error_response(error_code code, const std::string& detail,
                              const std::string& field) {
  auto res = json_response(
      status_of(code),
      json::error_body(model::code_name(code),
                       detail.empty() ? model::default_message(code) : detail,
                       field));
  // Every 503 is a "not now": tell the client when to try again.
  if (res.status == 503)
    res.headers.emplace_back("Retry-After", "1");
  return res;
}

http::response failure_response(const caf::error& err) {
  auto code = domain_code(err);
  // A vanished actor or a broken request is our fault, never the client's.
  return error_response(code == error_code::none ? error_code::internal_error
                                                 : code);
}

void call::reply_error(error_code code, const std::string& detail,
                       const std::string& field) const {
  respond(error_response(code, detail, field));
}

void call::reply_http_error(int status, const char* code,
                            const char* detail) const {
  auto res = json_response(status, json::error_body(code, detail));
  if (status == 401)
    res.headers.emplace_back("WWW-Authenticate", "Bearer");
  respond(std::move(res));
}

void call::reply_validation(const std::string& where, const std::string& name,
                            const std::string& msg) const {
  json::field_errors errors{json::field_error{{where, name}, msg}};
  respond(json_response(422, json::validation_body(errors)));
}

void call::reply_invalid(const json::field_errors& errors) const {
  respond(json_response(422, json::validation_body(errors)));
}

void call::reply_failure(const caf::error& err) const {
  respond(failure_response(err));
}

void request_metrics::record(const std::string& route, int status,
                             double seconds) {
  std::lock_guard<std::mutex> guard{mtx_};
  ++requests_[{route, status}];
  std::size_t i = 0;
  while (i < bucket_count && seconds > buckets[i])
    ++i;
  ++histogram_[i];
  latency_sum_ += seconds;
  ++latency_count_;
}

std::string request_metrics::render() const {
  std::lock_guard<std::mutex> guard{mtx_};
  std::string out;
  out += "# HELP bookstore_http_requests_total HTTP requests by route and "
         "status.\n# TYPE bookstore_http_requests_total counter\n";
  char line[512];
  for (auto& [key, count] : requests_) {
    std::snprintf(line, sizeof(line),
                  "bookstore_http_requests_total{route=\"%s\",status=\"%d\"} "
                  "%llu\n",
                  key.first.c_str(), key.second,
                  static_cast<unsigned long long>(count));
    out += line;
  }
  out += "# HELP bookstore_http_request_duration_seconds Request latency.\n"
         "# TYPE bookstore_http_request_duration_seconds histogram\n";
  std::uint64_t cumulative = 0;
  for (std::size_t i = 0; i <= bucket_count; ++i) {
    cumulative += histogram_[i];
    if (i < bucket_count)
      std::snprintf(line, sizeof(line),
                    "bookstore_http_request_duration_seconds_bucket{le=\"%g\"}"
                    " %llu\n",
                    buckets[i], static_cast<unsigned long long>(cumulative));
    else
      std::snprintf(line, sizeof(line),
                    "bookstore_http_request_duration_seconds_bucket{le="
                    "\"+Inf\"} %llu\n",
                    static_cast<unsigned long long>(cumulative));
    out += line;
  }
  std::snprintf(line, sizeof(line),
                "bookstore_http_request_duration_seconds_sum %.6f\n"
                "bookstore_http_request_duration_seconds_count %llu\n",
                latency_sum_, static_cast<unsigned long long>(latency_count_));
  out += line;
  return out;
}

} // namespace bookstore::gateway
