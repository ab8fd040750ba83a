# bookstore_find_plain_library(<Package> <PREFIX> <header> <library> <target>)
# is the body of a Find module for a C library that Debian ships without a
# CMake config: it finds <header> and <library>, caches their paths as
# <PREFIX>_INCLUDE_DIR and <PREFIX>_LIBRARY, sets <Package>_FOUND and makes
# the imported <target>. An imported target, unlike a plain path, lets the
# installed package (bookstoreConfig.cmake) find the library again on the
# machine that uses it.
macro(bookstore_find_plain_library package prefix header library target)
  find_path(${prefix}_INCLUDE_DIR NAMES ${header})
  find_library(${prefix}_LIBRARY NAMES ${library})
  include(FindPackageHandleStandardArgs)
  find_package_handle_standard_args(${package}
    REQUIRED_VARS ${prefix}_INCLUDE_DIR ${prefix}_LIBRARY)
  if(${package}_FOUND AND NOT TARGET ${target})
    add_library(${target} UNKNOWN IMPORTED)
    set_target_properties(${target} PROPERTIES
      IMPORTED_LOCATION "${${prefix}_LIBRARY}"
      INTERFACE_INCLUDE_DIRECTORIES "${${prefix}_INCLUDE_DIR}")
  endif()
  mark_as_advanced(${prefix}_INCLUDE_DIR ${prefix}_LIBRARY)
endmacro()
