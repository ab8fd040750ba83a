#pragma once

namespace bookstore::gateway {

/// The OpenAPI 3 document of the whole API (gateway/api/openapi.json, embedded
/// at build time).
const char* openapi_document();

} // namespace bookstore::gateway
