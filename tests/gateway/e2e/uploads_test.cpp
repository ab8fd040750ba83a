// Uploads (API.md): POST /uploads/images and GET /uploads/{name}. The
// original backend has no test file for them; these follow its router
// (backend/app/uploads/router.py) and the contract.

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <random>
#include <regex>
#include <set>
#include <string>
#include <vector>

#include "helpers.hpp"

using namespace e2e;
namespace fs = std::filesystem;

namespace {

constexpr std::size_t mib = 1u << 20;
const std::string boundary = "----e2eBoundary7MA4YWxkTrZu0gW";
const std::string form_type = "multipart/form-data; boundary=" + boundary;

server_process& server() {
  return shared_server("uploads");
}

http_client client() {
  return http_client{server().port(), std::chrono::milliseconds(30000)};
}

/// The folder the server writes to: "uploads" beside its database file.
fs::path uploads_dir() {
  return fs::path{server().db_path()}.parent_path() / "uploads";
}

/// Random bytes after a format's magic number, with CRLFs, dashes and NULs
/// mixed in, so framing-like bytes travel through the file too.
std::string image_bytes(const std::string& magic, std::size_t n,
                        unsigned seed) {
  std::mt19937 gen{seed};
  std::string out = magic;
  while (out.size() < n) {
    switch (gen() % 8) {
    case 0:
      out += "\r\n--";
      break;
    case 1:
      out += '\0';
      break;
    default:
      out += static_cast<char>(gen() & 0xff);
    }
  }
  out.resize(n);
  return out;
}

const std::string jpeg_magic = "\xFF\xD8\xFF\xE0";
const std::string png_magic = "\x89PNG\r\n\x1a\n";
const std::string webp_magic = "RIFF\x10\0\0\0WEBPVP8 ";

/// One form part.
std::string part(const std::string& name, const std::string& type,
                 const std::string& bytes,
                 const std::string& filename = "cover.img") {
  std::string out = "--" + boundary + "\r\nContent-Disposition: form-data; "
                    + "name=\"" + name + "\"";
  if (!filename.empty())
    out += "; filename=\"" + filename + "\"";
  out += "\r\n";
  if (!type.empty())
    out += "Content-Type: " + type + "\r\n";
  return out + "\r\n" + bytes + "\r\n";
}

std::string form(const std::string& parts) {
  return parts + "--" + boundary + "--\r\n";
}

response post_form(http_client& c, const std::string& body,
                   const std::string& token,
                   const std::string& content_type = form_type) {
  return c.request("POST", "/uploads/images", body,
                   {{"Content-Type", content_type}}, token);
}

response upload(http_client& c, const std::string& type,
                const std::string& bytes, const std::string& token,
                const std::string& filename = "cover.img") {
  return post_form(c, form(part("file", type, bytes, filename)), token);
}

bool nosniff(const response& r) {
  auto h = r.header("X-Content-Type-Options");
  return h && *h == "nosniff";
}

/// The name in an upload's URL; CHECKs the answer's shape on the way.
std::string uploaded_name(const response& r, const std::string& ext) {
  INFO(describe(r));
  auto body = r.json();
  CHECK(keys_of(body) == std::set<std::string>{"url"});
  auto url = body.at("url").get<std::string>();
  std::smatch m;
  std::regex shape{"http://127\\.0\\.0\\.1:" + std::to_string(server().port())
                   + "/uploads/([0-9a-f]{32}\\." + ext + ")"};
  REQUIRE(std::regex_match(url, m, shape));
  return m[1];
}

/// Every entry of the uploads folder is a name the server makes.
void check_folder_holds_only_server_names() {
  std::regex served{"[0-9a-f]{32}\\.(jpg|png|webp)"};
  for (auto& entry : fs::directory_iterator(uploads_dir())) {
    auto name = entry.path().filename().string();
    INFO(name);
    CHECK(std::regex_match(name, served));
    CHECK(entry.is_regular_file());
  }
}

} // namespace

TEST_CASE("an admin uploads a jpeg and a png and a webp and gets each back "
          "byte for byte",
          "[uploads]") {
  auto c = client();
  auto admin = admin_token(c);
  struct kind {
    std::string type, ext, magic;
  };
  unsigned seed = 1;
  std::set<std::string> names;
  for (auto& k : {kind{"image/jpeg", "jpg", jpeg_magic},
                  kind{"image/png", "png", png_magic},
                  kind{"image/webp", "webp", webp_magic}}) {
    CAPTURE(k.type);
    auto bytes = image_bytes(k.magic, 300000 + seed, seed);
    ++seed;
    auto r = upload(c, k.type, bytes, admin);
    REQUIRE_STATUS(r, 200);
    CHECK(nosniff(r));
    auto name = uploaded_name(r, k.ext);
    names.insert(name);
    auto back = c.get("/uploads/" + name);
    REQUIRE_STATUS(back, 200);
    CHECK(back.header("Content-Type") == k.type);
    CHECK(nosniff(back));
    CHECK(back.body == bytes);
    // Public: no token needed, and the file is in the folder as sent.
    std::ifstream in{uploads_dir() / name, std::ios::binary};
    std::string on_disk{std::istreambuf_iterator<char>{in}, {}};
    CHECK(on_disk == bytes);
  }
  CHECK(names.size() == 3);
  SECTION("the same image twice gets two names") {
    auto bytes = image_bytes(png_magic, 1000, 99);
    auto a = upload(c, "image/png", bytes, admin);
    auto b = upload(c, "image/png", bytes, admin);
    REQUIRE_STATUS(a, 200);
    REQUIRE_STATUS(b, 200);
    CHECK(uploaded_name(a, "png") != uploaded_name(b, "png"));
  }
  SECTION("the URL names the Host the request was sent to") {
    auto r = c.request(
        "POST", "/uploads/images", form(part("file", "image/png", "x")),
        {{"Content-Type", form_type}, {"Host", "books.example.com:8443"}},
        admin);
    REQUIRE_STATUS(r, 200);
    CHECK(
        std::regex_match(r.json().at("url").get<std::string>(),
                         std::regex{"http://books\\.example\\.com:8443/uploads/"
                                    "[0-9a-f]{32}\\.png"}));
  }
  check_folder_holds_only_server_names();
}

TEST_CASE("the declared type decides: other types are 400 and bytes are not "
          "sniffed",
          "[uploads]") {
  auto c = client();
  auto admin = admin_token(c);
  auto png = image_bytes(png_magic, 2000, 5);
  for (auto type : {"text/html", "image/svg+xml", "image/gif",
                    "application/octet-stream", "image/png-x"}) {
    CAPTURE(type);
    auto r = upload(c, type, png, admin);
    check_error(r, 400, "HTTP_400");
  }
  SECTION("a part without a Content-Type is 400 too") {
    check_error(post_form(c, form(part("file", "", png)), admin), 400,
                "HTTP_400");
  }
  SECTION("HTML declared as PNG is kept and served as PNG, never sniffed") {
    std::string html = "<html><script>alert(1)</script></html>";
    auto r = upload(c, "image/png", html, admin);
    REQUIRE_STATUS(r, 200);
    auto back = c.get("/uploads/" + uploaded_name(r, "png"));
    REQUIRE_STATUS(back, 200);
    CHECK(back.header("Content-Type") == "image/png");
    CHECK(nosniff(back));
    CHECK(back.body == html);
  }
  SECTION("the type's case and parameters do not matter") {
    auto r = upload(c, "IMAGE/JPEG; q=1", png, admin);
    REQUIRE_STATUS(r, 200);
    uploaded_name(r, "jpg");
  }
}

TEST_CASE("an image over 5 MiB is 400 and a body past 5 MiB plus framing is "
          "413",
          "[uploads]") {
  auto c = client();
  auto admin = admin_token(c);
  SECTION("exactly 5 MiB is accepted") {
    auto bytes = image_bytes(jpeg_magic, 5 * mib, 11);
    auto r = upload(c, "image/jpeg", bytes, admin);
    REQUIRE_STATUS(r, 200);
    auto back = c.get("/uploads/" + uploaded_name(r, "jpg"));
    REQUIRE_STATUS(back, 200);
    CHECK(back.body == bytes);
  }
  SECTION("5 MiB and one byte is 400") {
    auto r = upload(c, "image/jpeg", image_bytes(jpeg_magic, 5 * mib + 1, 12),
                    admin);
    check_error(r, 400, "HTTP_400");
  }
  SECTION("a body far past the framing allowance is 413, unread") {
    auto r = upload(c, "image/png", std::string(6 * mib, 'x'), admin);
    check_error(r, 413, "HTTP_413");
  }
  check_folder_holds_only_server_names();
}

TEST_CASE("a 2 MiB upload succeeds while a 2 MiB JSON body elsewhere is 413",
          "[uploads]") {
  auto c = client();
  auto admin = admin_token(c);
  auto bytes = image_bytes(webp_magic, 2 * mib, 21);
  auto r = upload(c, "image/webp", bytes, admin);
  REQUIRE_STATUS(r, 200);
  CHECK(c.get("/uploads/" + uploaded_name(r, "webp")).body == bytes);
  auto json_body = "{\"title\": \"" + std::string(2 * mib, 'a') + "\"}";
  auto c2 = client();
  check_error(c2.send_text("POST", "/books", json_body, admin), 413,
              "HTTP_413");
  auto c3 = client();
  CHECK_STATUS(c3.request("PUT", "/uploads/images", std::string(2 * mib, 'x'),
                          {{"Content-Type", form_type}}, admin),
               413);
}

TEST_CASE("hostile file names are never used and nothing leaves the folder",
          "[uploads]") {
  auto c = client();
  auto admin = admin_token(c);
  auto parent = uploads_dir().parent_path();
  std::set<std::string> before;
  for (auto& entry : fs::directory_iterator(parent))
    before.insert(entry.path().filename().string());
  for (std::string filename :
       {std::string{"../../etc/passwd"}, std::string{"a/b.png"},
        std::string{"%2e%2e"}, std::string{"..%2f..%2fx.png"},
        std::string{"x.png"} + '\0' + ".html", std::string{"/tmp/abs.png"},
        std::string{"..\\..\\win.png"}}) {
    CAPTURE(filename);
    auto r = upload(c, "image/png", "bytes", admin, filename);
    REQUIRE_STATUS(r, 200);
    uploaded_name(r, "png");
  }
  std::set<std::string> after;
  for (auto& entry : fs::directory_iterator(parent))
    after.insert(entry.path().filename().string());
  CHECK(after == before); // nothing new beside the folder
  CHECK_FALSE(fs::exists(parent / "x.png"));
  CHECK_FALSE(fs::exists("/tmp/abs.png"));
  check_folder_holds_only_server_names();
}

TEST_CASE("names the server did not make are 404", "[uploads]") {
  auto c = client();
  auto admin = admin_token(c);
  // A file that is in the folder, but not by a name the server makes.
  { std::ofstream{uploads_dir() / "planted.png"} << "planted"; }
  auto made = upload(c, "image/png", "real", admin);
  REQUIRE_STATUS(made, 200);
  auto name = uploaded_name(made, "png");
  auto stem = name.substr(0, 32);
  std::string upper = stem;
  for (auto& ch : upper)
    ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
  for (std::string target :
       {std::string{"/uploads/planted.png"},
        std::string{"/uploads/../../etc/passwd"},
        std::string{"/uploads/%2e%2e"},
        std::string{"/uploads/%2e%2e%2f%2e%2e%2fetc%2fpasswd"},
        std::string{"/uploads/..%2fuploads%2f"} + name,
        std::string{"/uploads/a/b.png"}, std::string{"/uploads/"},
        std::string{"/uploads/images"}, "/uploads/" + upper + ".png",
        "/uploads/" + stem + ".jpg", "/uploads/" + stem + ".png%00",
        "/uploads/" + stem + "%00.png", "/uploads/" + stem + ".PNG",
        "/uploads/" + stem + ".png.tmp", "/uploads/." + name,
        std::string{"/uploads/0123456789abcdef0123456789abcdef.png"}}) {
    CAPTURE(target);
    auto r = c.get(target);
    check_error(r, 404, "HTTP_404");
  }
  // The real one still is there.
  CHECK_STATUS(c.get("/uploads/" + name), 200);
  fs::remove(uploads_dir() / "planted.png");
}

TEST_CASE("only an admin uploads: no token is 401 and a user's is 403",
          "[uploads]") {
  auto c = client();
  auto user = register_user(c, "uploader");
  auto before = std::distance(fs::directory_iterator(uploads_dir()),
                              fs::directory_iterator{});
  check_error(upload(c, "image/png", "x", {}), 401, "AUTH_REQUIRED");
  check_error(upload(c, "image/png", "x", user.access_token), 403,
              "AUTH_FORBIDDEN");
  CHECK(std::distance(fs::directory_iterator(uploads_dir()),
                      fs::directory_iterator{})
        == before);
}

TEST_CASE("a body that is not multipart or has no file part is 422",
          "[uploads]") {
  auto c = client();
  auto admin = admin_token(c);
  auto png = image_bytes(png_magic, 500, 31);
  SECTION("a JSON body") {
    auto r = c.post("/uploads/images", json{{"file", "x"}}, admin);
    check_validation_error(r);
    CHECK(validation_mentions(r, "file"));
  }
  SECTION("no body at all") {
    check_validation_error(c.request("POST", "/uploads/images", {}, {}, admin));
  }
  SECTION("multipart without a boundary, or another multipart") {
    check_validation_error(post_form(c, form(part("file", "image/png", png)),
                                     admin, "multipart/form-data"));
    check_validation_error(post_form(c, form(part("file", "image/png", png)),
                                     admin,
                                     "multipart/mixed; boundary=" + boundary));
  }
  SECTION("the image under another field name") {
    auto r = post_form(c, form(part("image", "image/png", png)), admin);
    check_validation_error(r);
    CHECK(validation_mentions(r, "file"));
  }
  SECTION("a multipart cut short (no closing boundary)") {
    check_validation_error(post_form(c, part("file", "image/png", png), admin));
  }
  SECTION("a boundary that is not the declared one") {
    check_validation_error(post_form(c, form(part("file", "image/png", png)),
                                     admin,
                                     "multipart/form-data; boundary=other"));
  }
  check_folder_holds_only_server_names();
}

TEST_CASE("--uploads-dir and BOOKSTORE_UPLOADS_DIR choose the folder and "
          "--help lists it",
          "[uploads]") {
  auto help = run_binary({"--help"});
  CHECK(help.exit_code == 0);
  CHECK(help.out.find("--uploads-dir") != std::string::npos);
  CHECK(help.out.find("BOOKSTORE_UPLOADS_DIR") != std::string::npos);

  auto base = fs::path{server().db_path()}.parent_path();
  auto by_flag = base / "by-flag" / "nested";
  auto by_env = base / "by-env";
  for (bool flag : {true, false}) {
    CAPTURE(flag);
    server_options o;
    if (flag)
      o.extra_args = {"--uploads-dir", by_flag.string()};
    else
      o.extra_env = {{"BOOKSTORE_UPLOADS_DIR", by_env.string()}};
    server_process s{o};
    http_client c{s.port()};
    auto admin = login(c, admin_email, admin_password);
    auto r = c.request("POST", "/uploads/images",
                       form(part("file", "image/png", "here")),
                       {{"Content-Type", form_type}}, admin);
    REQUIRE_STATUS(r, 200);
    auto url = r.json().at("url").get<std::string>();
    auto name = url.substr(url.rfind('/') + 1);
    CHECK(fs::exists((flag ? by_flag : by_env) / name));
    CHECK(c.get("/uploads/" + name).body == "here");
  }
}
