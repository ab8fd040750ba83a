#include "gateway/json/errors.hpp"

namespace bookstore::json {

namespace {

// ordered_json keeps the keys in the order of API.md ("detail" first) rather
// than sorting them.
using ordered = nlohmann::ordered_json;

} // namespace

std::string dump_body(const nlohmann::json& body) {
  return body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::string dump_body(const nlohmann::ordered_json& body) {
  return body.dump(-1, ' ', false, ordered::error_handler_t::replace);
}

std::string error_body(std::string_view code, std::string_view detail,
                       std::string_view field) {
  ordered body;
  body["detail"] = std::string(detail);
  body["code"] = std::string(code);
  if (!field.empty()) {
    body["field"] = std::string(field);
  }
  return dump_body(body);
}

std::string validation_body(const field_errors& errors) {
  auto detail = ordered::array();
  for (const auto& error : errors) {
    auto loc = ordered::array();
    for (const auto& part : error.loc) {
      loc.push_back(ordered(part));
    }
    ordered entry;
    entry["type"] = error.type;
    entry["loc"] = std::move(loc);
    entry["msg"] = error.msg;
    detail.push_back(std::move(entry));
  }
  ordered body;
  body["detail"] = std::move(detail);
  body["code"] = model::code_name(model::error_code::validation_error);
  return dump_body(body);
}

std::string insufficient_stock_body(const std::vector<model::shortage>& items) {
  auto list = ordered::array();
  for (const auto& item : items) {
    ordered entry;
    entry["book_id"] = item.book;
    entry["title"] = item.title;
    entry["requested"] = item.requested;
    entry["available"] = item.available;
    list.push_back(std::move(entry));
  }
  ordered body;
  // The message of the original backend's checkout.
  body["detail"] = "Insufficient stock for one or more items";
  body["code"] = model::code_name(model::error_code::order_insufficient_stock);
  body["items"] = std::move(list);
  return dump_body(body);
}

field_error to_field_error(const model::failure& failure,
                           std::string_view where) {
  field_error error;
  error.loc.emplace_back(std::string(where));
  if (!failure.field.empty()) {
    error.loc.emplace_back(failure.field);
  }
  error.msg = failure.detail.empty()
                  ? std::string(model::default_message(failure.code))
                  : failure.detail;
  error.type = "value_error";
  return error;
}

} // namespace bookstore::json
