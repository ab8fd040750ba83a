# Finds Node's http-parser (Debian's libhttp-parser-dev). Provides the
# imported target HttpParser::http_parser and the cache variables
# HTTP_PARSER_INCLUDE_DIR, HTTP_PARSER_LIBRARY.
include("${CMAKE_CURRENT_LIST_DIR}/find_plain_library.cmake")
bookstore_find_plain_library(HttpParser HTTP_PARSER http_parser.h http_parser
  HttpParser::http_parser)
