#pragma once

// multipart/form-data (RFC 7578) as POST /uploads/images reads it, parsed by
// GMime (Debian's libgmime-3.0), a maintained MIME parser. No CAF, no I/O:
// plain functions over bytes, safe to call from any thread at once.

#include <string>
#include <string_view>

namespace bookstore::uploads {

enum class form_status {
  ok,            // the part was found: see form_file
  not_multipart, // the request's Content-Type is not multipart/form-data
                 // with a valid boundary
  malformed,     // the body is not a well-formed multipart of that boundary
  no_part,       // well-formed, but no part of that name (or two of them)
};

/// One part of a form, as sent.
struct form_file {
  /// The part's own Content-Type, "type/subtype" in lower case without
  /// parameters; empty if the part declared none.
  std::string content_type;
  /// The part's bytes, exactly as sent (decoded if the sender used a
  /// Content-Transfer-Encoding, which RFC 7578 deprecates).
  std::string bytes;
};

struct form_result {
  form_status status = form_status::not_multipart;
  form_file file; // set when status is ok
};

/// The part named `field` (its Content-Disposition `form-data; name=...`) of
/// the body of a request whose Content-Type header is `content_type`. The
/// client's filename is never looked at. Parts with other names are skipped.
form_result find_form_part(std::string_view content_type, std::string_view body,
                           std::string_view field);

/// A request Content-Type's boundary if it says multipart/form-data with a
/// boundary of RFC 2046 (1 to 70 of its characters, not ending in a space);
/// empty otherwise.
std::string form_boundary(std::string_view content_type);

} // namespace bookstore::uploads
