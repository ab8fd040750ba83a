#include "storage/casefold.hpp"

#include <string>

#include <sqlite3.h>
#include <unicode/stringoptions.h>
#include <unicode/ustring.h>
#include <unicode/utypes.h>

#include "storage/database.hpp"

namespace bookstore::storage {

namespace {

/// Folds `bytes` of UTF-8 at `utf8` into `out`; false when ICU refuses the
/// text (invalid UTF-8 never reaches here: the gateway checks every string).
bool fold(const char* utf8, int bytes, std::string& out) {
  UErrorCode status = U_ZERO_ERROR;
  int32_t units = 0;
  u_strFromUTF8(nullptr, 0, &units, utf8, bytes, &status);
  if (status != U_BUFFER_OVERFLOW_ERROR && U_FAILURE(status))
    return false;
  std::u16string source(static_cast<std::size_t>(units), u'\0');
  status = U_ZERO_ERROR;
  u_strFromUTF8(source.data(), units, nullptr, utf8, bytes, &status);
  if (U_FAILURE(status))
    return false;
  // Full folding may lengthen the text (ß → ss); three times is the most.
  std::u16string folded(source.size() * 3 + 1, u'\0');
  status = U_ZERO_ERROR;
  const auto length =
      u_strFoldCase(folded.data(), static_cast<int32_t>(folded.size()),
                    source.data(), units, U_FOLD_CASE_DEFAULT, &status);
  if (U_FAILURE(status))
    return false;
  int32_t out_bytes = 0;
  status = U_ZERO_ERROR;
  u_strToUTF8(nullptr, 0, &out_bytes, folded.data(), length, &status);
  if (status != U_BUFFER_OVERFLOW_ERROR && U_FAILURE(status))
    return false;
  out.assign(static_cast<std::size_t>(out_bytes), '\0');
  status = U_ZERO_ERROR;
  u_strToUTF8(out.data(), out_bytes, nullptr, folded.data(), length, &status);
  return !U_FAILURE(status);
}

void casefold(sqlite3_context* ctx, int, sqlite3_value** args) {
  if (sqlite3_value_type(args[0]) == SQLITE_NULL)
    return sqlite3_result_null(ctx);
  const auto* text = reinterpret_cast<const char*>(sqlite3_value_text(args[0]));
  const int bytes = sqlite3_value_bytes(args[0]);
  std::string folded;
  if (text == nullptr || !fold(text, bytes, folded))
    return sqlite3_result_error(ctx, "casefold: not valid UTF-8", -1);
  sqlite3_result_text(ctx, folded.data(), static_cast<int>(folded.size()),
                      SQLITE_TRANSIENT);
}

} // namespace

void register_casefold(sqlite3* db) {
  const int rc = sqlite3_create_function(
      db, "casefold", 1, SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS,
      nullptr, casefold, nullptr, nullptr);
  if (rc != SQLITE_OK)
    throw error(failure_kind::other, rc, "cannot register casefold()");
}

} // namespace bookstore::storage
