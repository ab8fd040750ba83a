// POST /uploads/images, GET /uploads/{name} (API.md, Uploads).
//
// The multipart body (at most 5 MiB plus framing, see router.cpp's
// body_limit) is parsed on the route worker: bounded CPU, like a JSON body.
// File I/O (a 5 MiB write with two fsyncs, or a read that may miss the page
// cache) runs on the file pool, like password hashing on the hashing pool,
// so a slow disk holds a pool thread, never one of the scheduler's.

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "caf/event_based_actor.hpp"

#include "cluster/peer_table.hpp"
#include "gateway/api/offload.hpp"
#include "gateway/api/path_match.hpp"
#include "gateway/api/routes.hpp"
#include "gateway/json/errors.hpp"
#include "gateway/uploads/multipart.hpp"
#include "gateway/uploads/upload_dir.hpp"

namespace bookstore::gateway::routes {

namespace {

/// An answer of these routes: never sniffed by a browser.
http::response nosniff(http::response res) {
  res.headers.emplace_back("X-Content-Type-Options", "nosniff");
  return res;
}

http::response error(int status, const char* code, const char* detail) {
  http::response res;
  res.status = status;
  res.body = json::error_body(code, detail);
  if (status == 503)
    res.headers.emplace_back("Retry-After", "1");
  return nosniff(std::move(res));
}

http::response missing_file() {
  http::response res;
  res.status = 422;
  res.body = json::validation_body(
      {json::field_error{{"body", "file"}, "Field required", "missing"}});
  return nosniff(std::move(res));
}

http::response busy() {
  return error(503, "UPLOADS_BUSY",
               "Too many uploads at once; try again shortly.");
}

/// A fresh name for a file stored here. In a cluster, one that GET
/// /uploads/{name} leads back to this node (placement::upload: the node the
/// name hashes to), where the file is written: with n nodes, n draws on
/// average, each 16 random bytes.
std::string name_made_here(const call& c, std::string_view ext) {
  auto name = uploads::new_name(ext);
  if (auto& cluster = c.ctx->cluster)
    while (cluster->owners.owner_of_key(name) != cluster->peers->self())
      name = uploads::new_name(ext);
  return name;
}

} // namespace

void upload_image(const call_ptr& c) {
  auto form = uploads::find_form_part(c->req.header("content-type"),
                                      c->req.body, "file");
  // The body is not needed any more: let its memory go now.
  std::string{}.swap(c->req.body);
  if (form.status != uploads::form_status::ok)
    return c->respond(missing_file());
  auto ext = uploads::extension_for(form.file.content_type);
  if (!ext)
    return c->respond(error(400, "HTTP_400",
                            "Invalid image type. Allowed: JPEG, PNG, WebP."));
  if (form.file.bytes.size() > uploads::max_image_bytes)
    return c->respond(error(400, "HTTP_400", "File too large. Max 5 MB."));
  auto host = std::string{c->req.header("host")};
  if (host.empty())
    host = "localhost";
  auto name = name_made_here(*c, *ext);
  auto dir = c->ctx->uploads_dir;
  auto bytes = std::make_shared<const std::string>(std::move(form.file.bytes));
  offload<bool>(
      c->self, c->ctx->files,
      [dir, name, bytes] { return uploads::write_file(dir, name, *bytes); },
      [c, host, name](bool written) {
        if (!written)
          return c->respond(
              error(500, "INTERNAL_ERROR", "The image could not be stored."));
        http::response res;
        res.body = json::dump_body(
            nlohmann::json{{"url", "http://" + host + "/uploads/" + name}});
        c->respond(nosniff(std::move(res)));
      },
      [c](caf::error&) { c->respond(busy()); });
}

void get_upload(const call_ptr& c) {
  auto parts = path_segments(c->req.path);
  auto name = parts.size() == 2 ? std::string{parts[1]} : std::string{};
  auto type = uploads::served_type(name);
  if (!type) // not a name the server makes: never looked up on disk
    return c->respond(error(404, "HTTP_404", "Not Found"));
  auto dir = c->ctx->uploads_dir;
  // One element: the bytes; none: no such file.
  offload<std::vector<std::string>>(
      c->self, c->ctx->files,
      [dir, name] {
        std::vector<std::string> found;
        if (auto bytes = uploads::read_file(dir, name))
          found.push_back(std::move(*bytes));
        return found;
      },
      [c, type = *type](std::vector<std::string> found) {
        if (found.empty())
          return c->respond(error(404, "HTTP_404", "Not Found"));
        http::response res;
        res.content_type = type;
        res.body = std::move(found.front());
        c->respond(nosniff(std::move(res)));
      },
      [c](caf::error&) { c->respond(busy()); });
}

} // namespace bookstore::gateway::routes
