#include <cstdio>
#include <random>

#include "helpers.hpp"
#include "load.hpp"

namespace soak {

namespace {

// Titles are "<adjective> <noun>", authors "<first> <surname>": a few
// hundred books share these words, so every search matches several.
constexpr const char* adjectives[] = {
    "Silent", "Golden",    "Broken", "Hidden", "Distant", "Crimson",
    "Frozen", "Wandering", "Last",   "Secret", "Burning", "Quiet"};
constexpr const char* nouns[] = {"River",    "Empire",  "Garden",  "Harbor",
                                 "Mountain", "Letters", "Machine", "Orchard",
                                 "Voyage",   "Winter",  "Library", "Kingdom"};
constexpr const char* first_names[] = {"Ada",   "Boris", "Clara", "Dmitri",
                                       "Elena", "Farid", "Greta", "Hugo"};
constexpr const char* surnames[] = {"Okafor",  "Lindqvist", "Moreau",
                                    "Tanaka",  "Castillo",  "Novak",
                                    "Brennan", "Haddad",    "Ivanova"};
constexpr const char* genre_names[] = {"Fiction", "History", "Science",
                                       "Poetry",  "Travel",  "Mystery"};

template <class T, std::size_t N>
const T& pick(const T (&items)[N], std::mt19937_64& rng) {
  return items[rng() % N];
}

} // namespace

catalog seed_catalog(e2e::http_client& c, const std::string& admin,
                     int book_count, std::uint64_t seed) {
  std::mt19937_64 rng{seed};
  catalog shop;
  for (auto name : genre_names) {
    auto r = c.post("/genres", {{"name", name}}, admin);
    REQUIRE_STATUS(r, 201);
    shop.genres.push_back(r.json().at("id").get<std::int64_t>());
  }
  for (auto w : adjectives)
    shop.words.emplace_back(w);
  for (auto w : nouns)
    shop.words.emplace_back(w);
  for (auto w : surnames)
    shop.authors.emplace_back(w);
  for (int i = 0; i < book_count; ++i) {
    auto cents = 100 + static_cast<long>(rng() % 5900);
    char price[16];
    std::snprintf(price, sizeof price, "%ld.%02ld", cents / 100, cents % 100);
    e2e::json fields{
        {"title", std::string{pick(adjectives, rng)} + " " + pick(nouns, rng)},
        {"author",
         std::string{pick(first_names, rng)} + " " + pick(surnames, rng)},
        {"price", price},
        {"genre_id", shop.genres[rng() % shop.genres.size()]},
        {"description", "Seeded by the soak test, book " + std::to_string(i)}};
    if (i % 2 == 0)
      fields["isbn"] = e2e::unique_isbn13();
    auto book = e2e::create_book(c, admin, fields,
                                 i % 10 == 0 ? scarce_stock : ample_stock);
    shop.books.push_back(book.at("id").get<std::int64_t>());
  }
  return shop;
}

std::vector<credentials> seed_customers(e2e::http_client& c, int count) {
  std::vector<credentials> out;
  for (int i = 0; i < count; ++i) {
    auto a = e2e::register_user(c, "soak");
    out.push_back({a.email, a.password});
  }
  return out;
}

} // namespace soak
