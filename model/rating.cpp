#include "model/rating.hpp"

namespace bookstore::model {

std::optional<std::int64_t> mean_tenths(std::int64_t sum, std::int64_t count) {
  if (count <= 0 || sum < 0)
    return std::nullopt;
  // Ratings are 1..5, so 10 * sum cannot overflow for any real count.
  const std::int64_t scaled = 10 * sum;
  std::int64_t q = scaled / count;
  const std::int64_t r = scaled % count;
  // Compare the remainder with half the divisor without dividing it.
  if (2 * r > count || (2 * r == count && q % 2 == 1))
    ++q;
  return q;
}

} // namespace bookstore::model
