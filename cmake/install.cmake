# `cmake --install <build> --prefix <prefix>` puts in <prefix>:
#   include/bookstore/{model,storage,actors,cluster,gateway}/... the headers
#   lib/libbookstore_*.a                                  the static libraries
#   lib/cmake/bookstore/                                  the CMake package
# so that an outside project (examples/ is one) does
#   find_package(bookstore CONFIG REQUIRED)
#   target_link_libraries(app PRIVATE bookstore::core)     # actors, embedding
#   target_link_libraries(app PRIVATE bookstore::gateway)  # + the HTTP API
# The same bookstore:: names are aliases in this build tree.
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

set(BOOKSTORE_INSTALL_INCLUDEDIR "${CMAKE_INSTALL_INCLUDEDIR}/bookstore")
set(BOOKSTORE_INSTALL_CMAKEDIR "${CMAKE_INSTALL_LIBDIR}/cmake/bookstore")

# Every library the gateway links, down to the model: the export set must
# hold all of them. Each is bookstore::<name without bookstore_>;
# bookstore_core is bookstore::core and bookstore_gateway bookstore::gateway.
set(BOOKSTORE_LIBRARIES bookstore_model bookstore_storage bookstore_core
  bookstore_json bookstore_routing bookstore_auth bookstore_http
  bookstore_uploads bookstore_cluster bookstore_gateway)
foreach(lib ${BOOKSTORE_LIBRARIES})
  string(REGEX REPLACE "^bookstore_" "" name "${lib}")
  set_target_properties(${lib} PROPERTIES EXPORT_NAME ${name})
  add_library(bookstore::${name} ALIAS ${lib})
endforeach()

# Headers include each other as "model/...", "gateway/http/...": the layout
# is kept under include/bookstore, which INCLUDES DESTINATION puts on every
# exported target's include path (the build tree uses the source root).
install(TARGETS ${BOOKSTORE_LIBRARIES} EXPORT bookstoreTargets
  ARCHIVE DESTINATION "${CMAKE_INSTALL_LIBDIR}"
  INCLUDES DESTINATION "${BOOKSTORE_INSTALL_INCLUDEDIR}")
install(DIRECTORY model storage actors cluster gateway
  DESTINATION "${BOOKSTORE_INSTALL_INCLUDEDIR}"
  FILES_MATCHING PATTERN "*.hpp")
install(EXPORT bookstoreTargets NAMESPACE bookstore::
  DESTINATION "${BOOKSTORE_INSTALL_CMAKEDIR}")

# The package: its config finds the dependencies again (static libraries
# carry their link dependencies), with the Find modules Debian lacks.
configure_package_config_file(cmake/bookstoreConfig.cmake.in
  "${PROJECT_BINARY_DIR}/bookstoreConfig.cmake"
  INSTALL_DESTINATION "${BOOKSTORE_INSTALL_CMAKEDIR}")
write_basic_package_version_file(
  "${PROJECT_BINARY_DIR}/bookstoreConfigVersion.cmake"
  COMPATIBILITY SameMinorVersion)
install(FILES
  "${PROJECT_BINARY_DIR}/bookstoreConfig.cmake"
  "${PROJECT_BINARY_DIR}/bookstoreConfigVersion.cmake"
  cmake/FindCAF.cmake cmake/FindSodium.cmake cmake/FindHttpParser.cmake
  cmake/find_plain_library.cmake
  DESTINATION "${BOOKSTORE_INSTALL_CMAKEDIR}")
