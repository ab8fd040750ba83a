#include "gateway/uploads/multipart.hpp"

#include <cctype>
#include <memory>
#include <mutex>

#include <gmime/gmime.h>

namespace bookstore::uploads {

namespace {

// GMime's global tables are set up once; after that its parsers are
// independent objects, one per call here.
void init_gmime() {
  static std::once_flag once;
  std::call_once(once, [] { g_mime_init(); });
}

std::string lower(std::string_view s) {
  std::string out{s};
  for (auto& ch : out)
    ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  return out;
}

bool boundary_char(unsigned char ch) {
  // RFC 2046, 5.1.1: bchars.
  return std::isalnum(ch)
         || std::string_view{"'()+_,-./:=? "}.find(static_cast<char>(ch))
                != std::string_view::npos;
}

struct gobject_unref {
  void operator()(void* p) const {
    if (p)
      g_object_unref(p);
  }
};
template <class T> using gptr = std::unique_ptr<T, gobject_unref>;

struct options_free {
  void operator()(GMimeParserOptions* p) const {
    g_mime_parser_options_free(p);
  }
};

/// Whatever GMime found wrong while parsing: it repairs and carries on (it
/// reads e-mail), we refuse.
struct parse_issues {
  bool fatal = false;
};

void on_warning(gint64, GMimeParserWarning code, const gchar*, gpointer data) {
  auto& issues = *static_cast<parse_issues*>(data);
  switch (code) {
  case GMIME_WARN_MALFORMED_MULTIPART:
  case GMIME_WARN_TRUNCATED_MESSAGE:
  case GMIME_WARN_MALFORMED_MESSAGE:
  case GMIME_WARN_PART_WITHOUT_CONTENT:
  case GMIME_WARN_INVALID_CONTENT_TYPE:
  case GMIME_CRIT_INVALID_HEADER_NAME:
  case GMIME_CRIT_CONFLICTING_HEADER:
  case GMIME_CRIT_CONFLICTING_PARAMETER:
  case GMIME_CRIT_MULTIPART_WITHOUT_BOUNDARY:
  case GMIME_CRIT_NESTING_OVERFLOW:
  case GMIME_CRIT_PART_WITHOUT_HEADERS_OR_CONTENT:
    issues.fatal = true;
    break;
  default: // duplicated or odd parameters, 8-bit header text: harmless here
    break;
  }
}

/// The form-data name of a part, if its Content-Disposition has one.
const char* form_name(GMimeObject* part) {
  auto* disposition = g_mime_object_get_content_disposition(part);
  if (!disposition)
    return nullptr;
  auto* kind = g_mime_content_disposition_get_disposition(disposition);
  if (!kind || g_ascii_strcasecmp(kind, "form-data") != 0)
    return nullptr;
  return g_mime_content_disposition_get_parameter(disposition, "name");
}

std::string declared_type(GMimeObject* part) {
  if (!g_mime_object_get_header(part, "Content-Type"))
    return {};
  auto* type = g_mime_object_get_content_type(part);
  if (!type)
    return {};
  char* mime = g_mime_content_type_get_mime_type(type);
  std::string out = mime ? lower(mime) : std::string{};
  g_free(mime);
  return out;
}

bool content_of(GMimeObject* object, std::string& out) {
  if (!GMIME_IS_PART(object))
    return true; // a nested multipart: no bytes of its own, type says so
  auto* wrapper = g_mime_part_get_content(GMIME_PART(object));
  if (!wrapper)
    return true; // an empty part
  auto* array = g_byte_array_new();
  gptr<GMimeStream> sink{g_mime_stream_mem_new_with_byte_array(array)};
  if (g_mime_data_wrapper_write_to_stream(wrapper, sink.get()) < 0)
    return false;
  out.assign(reinterpret_cast<const char*>(array->data), array->len);
  return true;
}

} // namespace

std::string form_boundary(std::string_view content_type) {
  for (char ch : content_type)
    if (ch == '\r' || ch == '\n' || ch == '\0')
      return {};
  init_gmime();
  std::string text{content_type};
  std::unique_ptr<GMimeParserOptions, options_free> options{
      g_mime_parser_options_new()};
  g_mime_parser_options_set_parameter_compliance_mode(
      options.get(), GMIME_RFC_COMPLIANCE_STRICT);
  gptr<GMimeContentType> type{
      g_mime_content_type_parse(options.get(), text.c_str())};
  if (!type
      || !g_mime_content_type_is_type(type.get(), "multipart", "form-data"))
    return {};
  const char* b = g_mime_content_type_get_parameter(type.get(), "boundary");
  if (!b)
    return {};
  std::string boundary{b};
  if (boundary.empty() || boundary.size() > 70 || boundary.back() == ' ')
    return {};
  for (unsigned char ch : boundary)
    if (!boundary_char(ch))
      return {};
  return boundary;
}

form_result find_form_part(std::string_view content_type, std::string_view body,
                           std::string_view field) {
  form_result result;
  auto boundary = form_boundary(content_type);
  if (boundary.empty())
    return result; // not_multipart
  init_gmime();
  // The parser reads a MIME entity: a header section we write from the
  // checked boundary (nothing of the client's header goes in verbatim),
  // then the body. One copy of the body, into GMime's memory stream.
  std::string head = "Content-Type: multipart/form-data; boundary=\"" + boundary
                     + "\"\r\n\r\n";
  // A line break after the body: the close delimiter may end the body
  // without one (RFC 2046), and GMime then keeps the CR before it in the
  // last part's bytes. After a close delimiter the break is only epilogue.
  constexpr std::string_view tail = "\r\n";
  auto* array = g_byte_array_sized_new(
      static_cast<guint>(head.size() + body.size() + tail.size()));
  g_byte_array_append(array, reinterpret_cast<const guint8*>(head.data()),
                      static_cast<guint>(head.size()));
  g_byte_array_append(array, reinterpret_cast<const guint8*>(body.data()),
                      static_cast<guint>(body.size()));
  g_byte_array_append(array, reinterpret_cast<const guint8*>(tail.data()),
                      static_cast<guint>(tail.size()));
  gptr<GMimeStream> stream{g_mime_stream_mem_new_with_byte_array(array)};
  gptr<GMimeParser> parser{g_mime_parser_new_with_stream(stream.get())};
  parse_issues issues;
  std::unique_ptr<GMimeParserOptions, options_free> options{
      g_mime_parser_options_new()};
  g_mime_parser_options_set_warning_callback(options.get(), on_warning,
                                             &issues);
  gptr<GMimeObject> root{
      g_mime_parser_construct_part(parser.get(), options.get())};
  result.status = form_status::malformed;
  if (!root || issues.fatal || !GMIME_IS_MULTIPART(root.get()))
    return result;
  auto* multipart = GMIME_MULTIPART(root.get());
  GMimeObject* found = nullptr;
  int count = g_mime_multipart_get_count(multipart);
  if (count <= 0)
    return result;
  for (int i = 0; i < count; ++i) {
    auto* part = g_mime_multipart_get_part(multipart, i);
    auto* name = form_name(part);
    if (!name || std::string_view{name} != field)
      continue;
    if (found) { // two parts of one name: which one would be meant?
      result.status = form_status::no_part;
      return result;
    }
    found = part;
  }
  if (!found) {
    result.status = form_status::no_part;
    return result;
  }
  result.file.content_type = declared_type(found);
  if (!content_of(found, result.file.bytes))
    return result; // malformed (a transfer encoding that does not decode)
  result.status = form_status::ok;
  return result;
}

} // namespace bookstore::uploads
