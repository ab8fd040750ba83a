#pragma once

// Shared steps of the review tests (reviews, moderation, book aggregates).

#include <cstdint>
#include <optional>
#include <string>

#include "helpers.hpp"

namespace e2e {

/// The user buys one copy of the book (cart, checkout); REQUIREs 201.
void buy(http_client& c, const std::string& token, std::int64_t book_id);

/// A new book (stock 10) the user has bought.
json bought_book(http_client& c, const std::string& admin,
                 const std::string& token);

/// POST /books/{id}/reviews; REQUIREs 201 and returns the review.
json create_review(http_client& c, const std::string& token,
                   std::int64_t book_id, int rating = 4,
                   std::optional<std::string> text = std::string("Good"));

/// CHECKs API.md's Review keys and types.
void check_review_shape(const json& review);

/// GET /books/{id}; REQUIREs 200.
json book_detail(http_client& c, std::int64_t book_id);

} // namespace e2e
