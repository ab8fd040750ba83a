// multipart/form-data as POST /uploads/images reads it (GMime underneath).

#include <random>
#include <string>

#include <catch2/catch.hpp>

#include "gateway/uploads/multipart.hpp"

using namespace bookstore::uploads;

namespace {

const std::string form_type = "multipart/form-data; boundary=XyZzy-1";

std::string part(const std::string& headers, const std::string& bytes,
                 const std::string& boundary = "XyZzy-1") {
  return "--" + boundary + "\r\n" + headers + "\r\n" + bytes + "\r\n";
}

std::string file_part(const std::string& bytes,
                      const std::string& type = "image/png",
                      const std::string& name = "file") {
  return part("Content-Disposition: form-data; name=\"" + name
                  + "\"; filename=\"cover.png\"\r\nContent-Type: " + type
                  + "\r\n",
              bytes);
}

std::string closing(const std::string& boundary = "XyZzy-1") {
  return "--" + boundary + "--\r\n";
}

/// Bytes that look like framing: CRLFs, dashes, a near-boundary, NULs.
std::string hostile_bytes(std::size_t n, unsigned seed) {
  std::mt19937 gen{seed};
  std::string out;
  const std::string pieces[] = {"\r\n",         "--",
                                "--XyZzy-",     "--XyZzy-12",
                                "\r\n--XyZzy-", std::string(1, '\0'),
                                "\n",           "\r"};
  while (out.size() < n) {
    if (gen() % 4 == 0)
      out += pieces[gen() % std::size(pieces)];
    else
      out += static_cast<char>(gen() & 0xff);
  }
  out.resize(n);
  // A sender picks a boundary that its content does not hold (RFC 2046);
  // anything short of it may appear.
  for (auto at = out.find("--XyZzy-1"); at != std::string::npos;
       at = out.find("--XyZzy-1"))
    out[at + 8] = '0';
  return out;
}

} // namespace

TEST_CASE("the file part's bytes come back exactly with its declared type") {
  for (unsigned seed = 1; seed <= 20; ++seed) {
    auto bytes = hostile_bytes(1 + seed * 997, seed);
    CAPTURE(seed);
    auto r = find_form_part(form_type, file_part(bytes) + closing(), "file");
    REQUIRE(r.status == form_status::ok);
    CHECK(r.file.content_type == "image/png");
    CHECK(r.file.bytes == bytes);
  }
}

TEST_CASE("other fields and a preamble and an epilogue are skipped") {
  auto body =
      "preamble\r\n"
      + part("Content-Disposition: form-data; name=\"title\"\r\n", "Dune")
      + file_part("\x89PNG", "Image/PNG; charset=x") + closing() + "epilogue";
  auto r = find_form_part(form_type, body, "file");
  REQUIRE(r.status == form_status::ok);
  CHECK(r.file.content_type == "image/png"); // lower case, no parameters
  CHECK(r.file.bytes == "\x89PNG");
}

TEST_CASE("the close delimiter may end the body without a line break") {
  auto r = find_form_part(form_type, file_part("abc") + "--XyZzy-1--", "file");
  REQUIRE(r.status == form_status::ok);
  CHECK(r.file.bytes == "abc");
}

TEST_CASE("an empty file part is a file of no bytes") {
  auto r = find_form_part(form_type, file_part("") + closing(), "file");
  REQUIRE(r.status == form_status::ok);
  CHECK(r.file.bytes.empty());
}

TEST_CASE("a part without a Content-Type has no declared type") {
  auto body = part("Content-Disposition: form-data; name=\"file\"\r\n", "abc")
              + closing();
  auto r = find_form_part(form_type, body, "file");
  REQUIRE(r.status == form_status::ok);
  CHECK(r.file.content_type.empty());
}

TEST_CASE("the boundary may be quoted and the type in any case") {
  auto body = file_part("abc") + closing();
  for (auto type : {"multipart/form-data; boundary=\"XyZzy-1\"",
                    "Multipart/Form-Data; BOUNDARY=XyZzy-1"}) {
    CAPTURE(type);
    auto r = find_form_part(type, body, "file");
    CHECK(r.status == form_status::ok);
  }
}

TEST_CASE("a request that is not multipart/form-data is refused as such") {
  auto body = file_part("abc") + closing();
  for (auto type : {"", "application/json", "text/plain; boundary=XyZzy-1",
                    "multipart/mixed; boundary=XyZzy-1", "multipart/form-data",
                    "multipart/form-data; boundary=",
                    "multipart/form-data; boundary=\"ends in space \"",
                    "multipart/form-data; boundary=\"a\\\"b\"",
                    "multipart/form-data; boundary=XyZzy-1\r\nX-Evil: 1"}) {
    CAPTURE(type);
    CHECK(find_form_part(type, body, "file").status
          == form_status::not_multipart);
  }
  CHECK(form_boundary("multipart/form-data; boundary=" + std::string(71, 'a'))
            .empty());
  CHECK(form_boundary("multipart/form-data; boundary=" + std::string(70, 'a'))
        == std::string(70, 'a'));
}

TEST_CASE("a body that is not a complete multipart is malformed") {
  for (auto body :
       {std::string{}, std::string{"hello"},
        file_part("abc"), // no closing
        std::string{"--XyZzy-1\r\nContent-Type: image/png\r\n\r\nabc"},
        std::string{"--Other\r\n\r\nabc\r\n--Other--\r\n"}}) {
    CAPTURE(body);
    auto status = find_form_part(form_type, body, "file").status;
    CHECK(status != form_status::ok);
    CHECK(status != form_status::not_multipart);
  }
}

TEST_CASE("a part header that is broken or conflicting makes it malformed") {
  auto twice = part("Content-Disposition: form-data; name=\"file\"\r\n"
                    "Content-Type: image/png\r\nContent-Type: text/html\r\n",
                    "abc")
               + closing();
  CHECK(find_form_part(form_type, twice, "file").status
        == form_status::malformed);
  auto broken = part("Content-Disposition: form-data; name=\"file\"\r\n"
                     "Content-Type: image/png\r\nno colon here\r\n",
                     "abc")
                + closing();
  CHECK(find_form_part(form_type, broken, "file").status
        == form_status::malformed);
}

TEST_CASE("no part of that name or two of them is no part") {
  auto other = file_part("abc", "image/png", "image") + closing();
  CHECK(find_form_part(form_type, other, "file").status
        == form_status::no_part);
  auto two = file_part("abc") + file_part("def") + closing();
  CHECK(find_form_part(form_type, two, "file").status == form_status::no_part);
  auto not_form_data = part("Content-Disposition: attachment; name=\"file\"\r\n"
                            "Content-Type: image/png\r\n",
                            "abc")
                       + closing();
  CHECK(find_form_part(form_type, not_form_data, "file").status
        == form_status::no_part);
}

TEST_CASE("the client's filename plays no part") {
  for (auto filename : {"../../etc/passwd", "a/b.png", "%2e%2e", "x\\y.png"}) {
    CAPTURE(filename);
    auto body = part(std::string{"Content-Disposition: form-data; "
                                 "name=\"file\"; filename=\""}
                         + filename + "\"\r\nContent-Type: image/jpeg\r\n",
                     "abc")
                + closing();
    auto r = find_form_part(form_type, body, "file");
    REQUIRE(r.status == form_status::ok);
    CHECK(r.file.content_type == "image/jpeg");
    CHECK(r.file.bytes == "abc");
  }
}

// Fuzz-style: every truncation and many random byte flips of a valid body
// parse without a crash (ASan runs this too), and whatever parses as ok
// names the file part with bytes taken from the body.
TEST_CASE("mutated bodies never crash and never invent bytes") {
  auto bytes = hostile_bytes(600, 7);
  auto body = part("Content-Disposition: form-data; name=\"title\"\r\n", "Dune")
              + file_part(bytes) + closing();
  for (std::size_t cut = 0; cut < body.size(); cut += 3) {
    auto r = find_form_part(form_type, body.substr(0, cut), "file");
    if (r.status == form_status::ok)
      CHECK(body.find(r.file.bytes) != std::string::npos);
  }
  std::mt19937 gen{42};
  for (int round = 0; round < 2000; ++round) {
    auto mutated = body;
    int flips = 1 + static_cast<int>(gen() % 8);
    for (int i = 0; i < flips; ++i)
      mutated[gen() % mutated.size()] = static_cast<char>(gen() & 0xff);
    auto r = find_form_part(form_type, mutated, "file");
    if (r.status == form_status::ok)
      CHECK(r.file.bytes.size() <= mutated.size());
  }
}
