// The MATCH expression of a catalog search. Whether a word holds a token is
// asked of the very tokenizer books_fts uses (through SQLite's fts5_api), so
// the answer cannot drift from what the index does with the word.

#include "storage/fts_query.hpp"

#include <climits>
#include <iterator>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include <sqlite3.h>

#include "storage/database.hpp"
#include "storage/sqlite.hpp"

namespace bookstore::storage {

namespace {

// Must match the tokenize option of books_fts in schema.cpp.
constexpr const char* tokenizer_name = "unicode61";
const char* tokenizer_args[] = {"remove_diacritics", "0"};

/// The connection's FTS5 extension API, got the documented way: SELECT
/// fts5(?1) with a pointer bound for it to fill in.
fts5_api* fts5_of(sqlite3* db) {
  sqlite3_stmt* raw = nullptr;
  int rc = sqlite3_prepare_v2(db, "SELECT fts5(?1)", -1, &raw, nullptr);
  std::unique_ptr<sqlite3_stmt, int (*)(sqlite3_stmt*)> stmt(raw,
                                                             sqlite3_finalize);
  if (rc != SQLITE_OK)
    throw_error(db, rc, "fts5 api");
  fts5_api* api = nullptr;
  sqlite3_bind_pointer(raw, 1, &api, "fts5_api_ptr", nullptr);
  rc = sqlite3_step(raw);
  if (rc != SQLITE_ROW || api == nullptr)
    throw error(failure_kind::other, rc, "fts5 api: not available");
  return api;
}

/// One instance of the books_fts tokenizer, deleted with this object.
class tokenizer {
public:
  explicit tokenizer(sqlite3* db) {
    fts5_api* api = fts5_of(db);
    void* user_data = nullptr;
    int rc = api->xFindTokenizer(api, tokenizer_name, &user_data, &methods_);
    if (rc == SQLITE_OK)
      rc = methods_.xCreate(user_data, tokenizer_args,
                            static_cast<int>(std::size(tokenizer_args)),
                            &instance_);
    if (rc != SQLITE_OK)
      throw error(failure_kind::other, rc, "fts5 tokenizer: cannot create");
  }
  ~tokenizer() { methods_.xDelete(instance_); }
  tokenizer(const tokenizer&) = delete;
  tokenizer& operator=(const tokenizer&) = delete;

  bool has_token(std::string_view word) {
    if (word.size() > INT_MAX)
      throw error(failure_kind::other, 0, "search word too long");
    int count = 0;
    auto on_token = [](void* context, int, const char*, int, int, int) {
      ++*static_cast<int*>(context);
      return SQLITE_OK;
    };
    const int rc =
        methods_.xTokenize(instance_, &count, FTS5_TOKENIZE_QUERY, word.data(),
                           static_cast<int>(word.size()), on_token);
    if (rc != SQLITE_OK)
      throw error(failure_kind::other, rc, "fts5 tokenizer: failed");
    return count > 0;
  }

private:
  fts5_tokenizer methods_{};
  Fts5Tokenizer* instance_ = nullptr;
};

// NUL counts as a blank too: FTS5 would stop reading the expression there.
bool is_blank(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f'
         || c == '\v' || c == '\0';
}

} // namespace

std::optional<std::string> fts_match_expression(connection& conn,
                                                std::string_view q) {
  std::optional<tokenizer> words_of; // made only once a word shows up
  std::string expression;
  std::size_t pos = 0;
  while (pos < q.size()) {
    if (is_blank(q[pos])) {
      ++pos;
      continue;
    }
    std::size_t end = pos;
    while (end < q.size() && !is_blank(q[end]))
      ++end;
    const std::string_view word = q.substr(pos, end - pos);
    pos = end;
    if (!words_of)
      words_of.emplace(conn.handle());
    if (!words_of->has_token(word))
      continue;
    if (!expression.empty())
      expression += " AND ";
    // A quoted string is FTS5's literal: only its double quotes need
    // escaping (doubled). Inside it the tokenizer splits "jean-paul" into a
    // phrase, so the word still matches the title it was copied from.
    expression += '"';
    for (const char c : word) {
      if (c == '"')
        expression += '"';
      expression += c;
    }
    expression += "\"*";
  }
  if (expression.empty())
    return std::nullopt;
  return expression;
}

} // namespace bookstore::storage
