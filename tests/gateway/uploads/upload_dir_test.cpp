// The uploads folder: served names, atomic writes, reads of served names.

#include <filesystem>
#include <fstream>
#include <set>
#include <string>

#include <catch2/catch.hpp>
#include <unistd.h>

#include "gateway/uploads/upload_dir.hpp"

using namespace bookstore::uploads;
namespace fs = std::filesystem;

namespace {

struct temp_dir {
  std::string path;
  temp_dir() {
    std::string pattern = (fs::temp_directory_path() / "uploads-XXXXXX");
    path = ::mkdtemp(pattern.data());
  }
  ~temp_dir() {
    std::error_code ec;
    fs::remove_all(path, ec);
  }
};

} // namespace

TEST_CASE("only jpeg and png and webp have an extension") {
  CHECK(extension_for("image/jpeg") == "jpg");
  CHECK(extension_for("image/png") == "png");
  CHECK(extension_for("image/webp") == "webp");
  for (auto t : {"image/svg+xml", "text/html", "image/gif", "", "image/PNG",
                 "image/png; x=y"})
    CHECK_FALSE(extension_for(t));
}

TEST_CASE("new names are 32 random hex digits and the extension") {
  std::set<std::string> seen;
  for (int i = 0; i < 200; ++i) {
    auto name = new_name("png");
    CHECK(name.size() == 36);
    CHECK(served_type(name) == "image/png");
    seen.insert(name);
  }
  CHECK(seen.size() == 200);
  CHECK(served_type(new_name("jpg")) == "image/jpeg");
  CHECK(served_type(new_name("webp")) == "image/webp");
}

TEST_CASE("names the server does not make are never served") {
  auto good = std::string(32, 'a') + ".png";
  CHECK(served_type(good));
  for (std::string bad :
       {std::string{"../../etc/passwd"}, std::string{"a/b.png"},
        std::string{"%2e%2e"}, std::string{".."}, std::string{""},
        std::string(32, 'A') + ".png", std::string(31, 'a') + ".png",
        std::string(33, 'a') + ".png", std::string(32, 'a') + ".PNG",
        std::string(32, 'a') + ".gif", std::string(32, 'a') + ".png.tmp",
        std::string(32, 'a') + ".png/", std::string(32, 'a') + "png",
        "." + std::string(32, 'a') + ".png.Ab12Cd",
        std::string(32, 'a') + ".png" + std::string(1, '\0'),
        std::string(31, 'a') + std::string(1, '\0') + ".png",
        std::string(32, 'g') + ".jpg"}) {
    CAPTURE(bad);
    CHECK_FALSE(served_type(bad));
  }
}

TEST_CASE("a written file reads back byte for byte and leaves no temp") {
  temp_dir dir;
  std::string bytes = "\x89PNG\r\n";
  bytes += std::string(1, '\0') + std::string(100000, 'x');
  auto name = new_name("png");
  REQUIRE(write_file(dir.path, name, bytes));
  CHECK(read_file(dir.path, name) == bytes);
  int files = 0;
  for (auto& entry : fs::directory_iterator(dir.path)) {
    ++files;
    CHECK(entry.path().filename() == name);
  }
  CHECK(files == 1);
  CHECK_FALSE(read_file(dir.path, new_name("png"))); // never written
}

TEST_CASE("a write that fails leaves nothing under the name") {
  temp_dir dir;
  auto name = new_name("jpg");
  CHECK_FALSE(write_file(dir.path + "/missing", name, "abc"));
  CHECK_FALSE(fs::exists(dir.path + "/missing/" + name));
}

TEST_CASE("reads refuse other names and links and folders") {
  temp_dir dir;
  std::ofstream{dir.path + "/secret.txt"} << "secret";
  CHECK_FALSE(read_file(dir.path, "secret.txt"));
  CHECK_FALSE(read_file(dir.path, "../" + fs::path(dir.path).filename().string()
                                      + "/secret.txt"));
  auto link = std::string(32, 'b') + ".png";
  fs::create_symlink(dir.path + "/secret.txt", dir.path + "/" + link);
  CHECK_FALSE(read_file(dir.path, link));
  auto folder = std::string(32, 'c') + ".png";
  fs::create_directory(dir.path + "/" + folder);
  CHECK_FALSE(read_file(dir.path, folder));
}

TEST_CASE("the default folder sits beside the database") {
  CHECK(default_dir("bookstore.db") == "uploads");
  CHECK(default_dir("/var/lib/shop/bookstore.db") == "/var/lib/shop/uploads");
  auto temp = default_dir(":memory:");
  CHECK(fs::is_directory(temp));
  auto other = default_dir(":memory:");
  CHECK(temp != other);
  std::error_code ec;
  fs::remove_all(temp, ec);
  fs::remove_all(other, ec);
}

TEST_CASE("make_dir creates parents and refuses a file") {
  temp_dir dir;
  make_dir(dir.path + "/a/b/c");
  CHECK(fs::is_directory(dir.path + "/a/b/c"));
  make_dir(dir.path + "/a/b/c"); // again: fine
  std::ofstream{dir.path + "/file"} << "x";
  CHECK_THROWS(make_dir(dir.path + "/file"));
}
