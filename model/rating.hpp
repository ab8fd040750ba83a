#pragma once

#include <cstdint>
#include <optional>

namespace bookstore::model {

/// A book's live ratings as the books row keeps them: their sum and count,
/// and a version that grows with every change (the newest wins).
struct rating_totals {
  std::int64_t sum = 0;
  std::int64_t count = 0;
  std::int64_t version = 0;
};

/// The mean sum / count in tenths, rounded half to even exactly (integer
/// arithmetic, no floating point): 17 / 4 = 4.25 gives 42. Nothing for a
/// count of 0 (or a negative count or sum, which never occur).
std::optional<std::int64_t> mean_tenths(std::int64_t sum, std::int64_t count);

/// True for a rating a review may carry: an integer 1..5.
constexpr bool valid_rating(std::int64_t rating) {
  return rating >= 1 && rating <= 5;
}

} // namespace bookstore::model
