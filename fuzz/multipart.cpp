// Fuzzes multipart/form-data parsing (gateway/uploads/multipart.hpp, GMime
// underneath). The input's first line is the request's Content-Type, the
// rest the body. What is checked, beyond no crash and no sanitizer report:
// - never throws;
// - a boundary it accepts is 1..70 of RFC 2046's characters, not ending in
//   a space, and a Content-Type without one is refused as not multipart;
// - a found part is bytes the body holds (GMime decodes transfer
//   encodings, which only shrink them), with a lower-case type;
// - the same body wrapped in a form with a boundary it cannot hold gives
//   back exactly the body's bytes as the file.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz/check.hpp"
#include "gateway/uploads/multipart.hpp"

using namespace bookstore::uploads;

namespace {

bool boundary_ok(const std::string& b) {
  if (b.empty() || b.size() > 70 || b.back() == ' ')
    return false;
  for (unsigned char ch : b) {
    bool alnum = (ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'z')
                 || (ch >= 'A' && ch <= 'Z');
    if (!alnum
        && std::string_view{"'()+_,-./:=? "}.find(static_cast<char>(ch))
               == std::string_view::npos)
      return false;
  }
  return true;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* bytes,
                                      std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(bytes), size);
  const auto eol = input.find('\n');
  const auto type = input.substr(0, eol);
  const auto body = eol == std::string_view::npos ? std::string_view{}
                                                  : input.substr(eol + 1);

  auto boundary = bookstore::fuzz::no_throw(
      "form_boundary", [&] { return form_boundary(type); });
  FUZZ_CHECK(boundary.empty() || boundary_ok(boundary));
  auto r = bookstore::fuzz::no_throw(
      "find_form_part", [&] { return find_form_part(type, body, "file"); });
  if (boundary.empty())
    FUZZ_CHECK(r.status == form_status::not_multipart);
  if (r.status == form_status::ok) {
    FUZZ_CHECK(r.file.bytes.size() <= body.size());
    for (char ch : r.file.content_type)
      FUZZ_CHECK(!(ch >= 'A' && ch <= 'Z'));
  }

  // The body as a file, in a form whose boundary it does not hold. A
  // counter, not a growing suffix: a body holding the boundary and a run of
  // its suffix once made it longer than the 70 characters RFC 2046 allows,
  // and the form was (rightly) refused. Candidates of one length that the
  // body holds start at different places in it, 13 bytes or more apart, so
  // the counter stays a few digits long.
  std::string b;
  for (unsigned n = 0;; ++n) {
    b = "fuzzB0undary" + std::to_string(n);
    if (body.find(b) == std::string_view::npos)
      break;
  }
  std::string wrapped = "--" + b
                        + "\r\nContent-Disposition: form-data; name=\"file\""
                          "\r\nContent-Type: image/png\r\n\r\n"
                        + std::string{body} + "\r\n--" + b + "--\r\n";
  auto w = bookstore::fuzz::no_throw("find_form_part", [&] {
    return find_form_part("multipart/form-data; boundary=" + b, wrapped,
                          "file");
  });
  FUZZ_CHECK(w.status == form_status::ok);
  FUZZ_CHECK(w.file.content_type == "image/png");
  FUZZ_CHECK(w.file.bytes == body);
  return 0;
}
