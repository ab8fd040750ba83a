# Finds libsodium (Debian's libsodium-dev). Provides the imported target
# Sodium::sodium and the cache variables SODIUM_INCLUDE_DIR, SODIUM_LIBRARY.
include("${CMAKE_CURRENT_LIST_DIR}/find_plain_library.cmake")
bookstore_find_plain_library(Sodium SODIUM sodium.h sodium Sodium::sodium)
