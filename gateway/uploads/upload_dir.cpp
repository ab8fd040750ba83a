#include "gateway/uploads/upload_dir.hpp"

#include <cerrno>
#include <cstdlib>
#include <stdexcept>
#include <system_error>

#include <fcntl.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

namespace bookstore::uploads {

namespace {

/// Closes a descriptor at scope exit.
struct fd_guard {
  int fd = -1;
  ~fd_guard() {
    if (fd >= 0)
      ::close(fd);
  }
};

bool write_all(int fd, std::string_view bytes) {
  while (!bytes.empty()) {
    auto n = ::write(fd, bytes.data(), bytes.size());
    if (n < 0) {
      if (errno == EINTR)
        continue;
      return false;
    }
    bytes.remove_prefix(static_cast<std::size_t>(n));
  }
  return true;
}

bool sync_dir(const std::string& dir) {
  fd_guard d{::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC)};
  return d.fd >= 0 && ::fsync(d.fd) == 0;
}

} // namespace

std::optional<std::string> extension_for(std::string_view mime_type) {
  if (mime_type == "image/jpeg")
    return "jpg";
  if (mime_type == "image/png")
    return "png";
  if (mime_type == "image/webp")
    return "webp";
  return std::nullopt;
}

std::optional<std::string> served_type(std::string_view name) {
  constexpr std::size_t hex_digits = 32;
  if (name.size() <= hex_digits + 1 || name[hex_digits] != '.')
    return std::nullopt;
  for (std::size_t i = 0; i < hex_digits; ++i) {
    char ch = name[i];
    if (!((ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'f')))
      return std::nullopt;
  }
  auto ext = name.substr(hex_digits + 1);
  if (ext == "jpg")
    return "image/jpeg";
  if (ext == "png")
    return "image/png";
  if (ext == "webp")
    return "image/webp";
  return std::nullopt;
}

std::string new_name(std::string_view ext) {
  if (sodium_init() < 0)
    throw std::runtime_error("libsodium cannot start");
  unsigned char raw[16];
  randombytes_buf(raw, sizeof(raw));
  char hex[2 * sizeof(raw) + 1];
  sodium_bin2hex(hex, sizeof(hex), raw, sizeof(raw));
  return std::string{hex} + "." + std::string{ext};
}

void make_dir(const std::string& dir) {
  if (dir.empty())
    throw std::runtime_error("the uploads folder has no name");
  std::string path;
  std::size_t pos = 0;
  while (pos != std::string::npos) {
    pos = dir.find('/', pos + 1);
    path = dir.substr(0, pos);
    if (path.empty() || path == "/")
      continue;
    if (::mkdir(path.c_str(), 0755) != 0 && errno != EEXIST)
      throw std::system_error(errno, std::generic_category(),
                              "cannot create " + path);
  }
  struct stat st;
  if (::stat(dir.c_str(), &st) != 0 || !S_ISDIR(st.st_mode))
    throw std::runtime_error(dir + " is not a folder");
}

std::string default_dir(const std::string& db) {
  if (db.empty() || db == ":memory:") {
    const char* tmp = std::getenv("TMPDIR");
    std::string pattern =
        std::string{tmp && *tmp ? tmp : "/tmp"} + "/bookstore-uploads-XXXXXX";
    if (!::mkdtemp(pattern.data()))
      throw std::system_error(errno, std::generic_category(),
                              "cannot create a temporary uploads folder");
    return pattern;
  }
  auto slash = db.rfind('/');
  if (slash == std::string::npos)
    return "uploads";
  return db.substr(0, slash + 1) + "uploads";
}

bool write_file(const std::string& dir, const std::string& name,
                std::string_view bytes) {
  // The temporary name starts with a dot: never a served name.
  std::string temp = dir + "/." + name + ".XXXXXX";
  fd_guard f{::mkostemp(temp.data(), O_CLOEXEC)};
  if (f.fd < 0)
    return false;
  bool ok =
      ::fchmod(f.fd, 0644) == 0 && write_all(f.fd, bytes) && ::fsync(f.fd) == 0;
  ok = ::close(f.fd) == 0 && ok;
  f.fd = -1;
  if (ok)
    ok = ::rename(temp.c_str(), (dir + "/" + name).c_str()) == 0;
  if (!ok) {
    ::unlink(temp.c_str());
    return false;
  }
  // The rename is durable once the folder is synced; the file is there
  // for readers already, so a failure here still counts as written.
  sync_dir(dir);
  return true;
}

std::optional<std::string> read_file(const std::string& dir,
                                     std::string_view name) {
  if (!served_type(name))
    return std::nullopt;
  std::string path = dir + "/" + std::string{name};
  fd_guard f{::open(path.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC)};
  if (f.fd < 0)
    return std::nullopt;
  struct stat st;
  if (::fstat(f.fd, &st) != 0 || !S_ISREG(st.st_mode)
      || static_cast<unsigned long long>(st.st_size) > max_image_bytes)
    return std::nullopt;
  std::string out(static_cast<std::size_t>(st.st_size), '\0');
  std::size_t got = 0;
  while (got < out.size()) {
    auto n = ::read(f.fd, out.data() + got, out.size() - got);
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0)
      break;
    got += static_cast<std::size_t>(n);
  }
  out.resize(got);
  return out;
}

} // namespace bookstore::uploads
