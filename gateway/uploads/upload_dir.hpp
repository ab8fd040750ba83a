#pragma once

// The folder of uploaded images (API.md, Uploads): names the server makes,
// atomic writes, and reads of those names only. Blocking file I/O: the
// routes run it on the file pool (see routes_uploads.cpp), never on an
// actor's thread. Every function is safe to call from several threads.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace bookstore::uploads {

/// The largest image accepted: 5 MiB.
inline constexpr std::size_t max_image_bytes = 5u << 20;
/// Room for the multipart framing around it (boundaries, part headers, other
/// small fields): the body limit of POST /uploads/images is the sum.
inline constexpr std::size_t max_framing_bytes = 64u << 10;

/// "jpg", "png" or "webp" for the accepted declared types (lower case
/// "type/subtype"); nothing for any other.
std::optional<std::string> extension_for(std::string_view mime_type);

/// The Content-Type to serve `name` with, if it is a name the server makes:
/// 32 lower-case hex digits, a dot, jpg|png|webp. Nothing for any other
/// name (paths, dots, encodings, temporary files), which is never opened.
std::optional<std::string> served_type(std::string_view name);

/// A fresh name: 32 hex digits of 16 random bytes (libsodium), "." and `ext`.
std::string new_name(std::string_view ext);

/// Creates `dir` and its parents if missing; throws std::runtime_error.
void make_dir(const std::string& dir);

/// The default folder: "uploads" beside the database file `db`, or a new
/// temporary folder for ":memory:" (and "" ).
std::string default_dir(const std::string& db);

/// Writes `bytes` as `dir/name` atomically: a temporary file in `dir`,
/// written and fsynced, renamed over `name`, then the folder fsynced. False
/// if any step failed (nothing is left under `name` then).
bool write_file(const std::string& dir, const std::string& name,
                std::string_view bytes);

/// The bytes of `dir/name` if `name` is a served name and the file exists
/// as a regular file (symbolic links are not followed).
std::optional<std::string> read_file(const std::string& dir,
                                     std::string_view name);

} // namespace bookstore::uploads
