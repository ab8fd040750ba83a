#pragma once

// Turns the words of a catalog search (GET /books?q=) into an FTS5 MATCH
// expression for books_fts. Internal to storage/.

#include <optional>
#include <string>
#include <string_view>

namespace bookstore::storage {

class connection;

/// Splits `q` on ASCII whitespace and makes each word a quoted prefix phrase,
/// `"word"*` (double quotes doubled), AND-ed: every word must start a word of
/// the title or the author. Quoting makes any input a valid expression: FTS5
/// operators, column filters and SQL in `q` are plain text. A word in which
/// the index's tokenizer finds no token (punctuation; symbols such as an em
/// dash or an arrow; SQLite 3.40's unicode61 does count emoji as tokens) is
/// dropped, since FTS5 would read it as an empty phrase that matches nothing.
/// When no word is left the result is nullopt and the search has no `q`
/// filter, as in the original backend, which strips such characters first.
std::optional<std::string> fts_match_expression(connection& conn,
                                                std::string_view q);

} // namespace bookstore::storage
