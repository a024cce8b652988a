# searchd's integration tests (included from tests/CMakeLists.txt).  Each
# Check suite starts its own vraagbaak-searchd on 127.0.0.1 port 0, talks
# HTTP to it over raw sockets, and stops it.
#   test_searchd_cli       the program: --help, --version, bad options,
#                          missing index, busy port, non-loopback address,
#                          config file, signals
#   test_searchd_api       every route: status, content type, JSON shape,
#                          errors, 405/404, CORS, /metrics, static files,
#                          docs/openapi.yaml against the routing table
#   test_searchd_badinput  naughty strings, Kuhn's UTF-8 file, the JSON
#                          test suite, malformed HTTP replayed on raw
#                          sockets, oversized bodies, a stalled client
#   test_searchd_search    search results against an index of corpus/
#                          (skipped when the index is empty)
#   test_searchd_behaviour what a query means, one test per behaviour
#                          (inflection, compounds, accents, elision, typos,
#                          prefixes, codes, phrases, exclusions,
#                          translations, term bank, live synonyms, customer
#                          isolation, suggest, live reindex); runs the
#                          indexer itself (skipped when the index is empty)
#   deploy_shards_replicas  remote shards and replicas behind HAProxy in
#                          network namespaces (docs/deploy.md)
if(NOT TARGET vraagbaak-searchd)
  return()
endif()
pkg_check_modules(SD_JANSSON REQUIRED IMPORTED_TARGET jansson)

# The index every suite serves, made once per test run (a CTest fixture).
# With the indexer in the build it is corpus/; without, an empty index.
set(VB_SEARCHD_TEST_INDEX ${CMAKE_CURRENT_BINARY_DIR}/searchd-index)
if(TARGET vraagbaak-indexer)
  add_test(NAME searchd_test_index
           COMMAND vraagbaak-indexer --full --index ${VB_SEARCHD_TEST_INDEX}
                   ${CMAKE_SOURCE_DIR}/corpus)
  set(VB_SEARCHD_TEST_CORPUS 1)
else()
  add_executable(test_searchd_mkindex test_searchd_mkindex.c)
  target_link_libraries(test_searchd_mkindex PRIVATE vb_xapian)
  add_test(NAME searchd_test_index
           COMMAND test_searchd_mkindex ${VB_SEARCHD_TEST_INDEX})
  set(VB_SEARCHD_TEST_CORPUS 0)
endif()
set_tests_properties(searchd_test_index PROPERTIES
  FIXTURES_SETUP searchd_index TIMEOUT 300)

add_library(vb_searchd_testutil STATIC test_searchd_util.c)
target_include_directories(vb_searchd_testutil PUBLIC
  ${CMAKE_CURRENT_SOURCE_DIR})
target_compile_definitions(vb_searchd_testutil PUBLIC
  VB_SEARCHD_PATH="$<TARGET_FILE:vraagbaak-searchd>"
  VB_SEARCHD_TEST_INDEX="${VB_SEARCHD_TEST_INDEX}"
  VB_SEARCHD_TEST_CORPUS=${VB_SEARCHD_TEST_CORPUS}
  VB_SOURCE_DIR="${CMAKE_SOURCE_DIR}")
target_link_libraries(vb_searchd_testutil PUBLIC PkgConfig::SD_JANSSON)
add_dependencies(vb_searchd_testutil vraagbaak-searchd)
# The indexer, for suites that build an index of their own ("" without).
if(TARGET vraagbaak-indexer)
  target_compile_definitions(vb_searchd_testutil PUBLIC
    VB_INDEXER_PATH="$<TARGET_FILE:vraagbaak-indexer>")
  add_dependencies(vb_searchd_testutil vraagbaak-indexer)
else()
  target_compile_definitions(vb_searchd_testutil PUBLIC VB_INDEXER_PATH="")
endif()

foreach(suite cli api badinput search editors tenants)
  vb_check_test(test_searchd_${suite} vb_searchd_testutil vb_searchd
                vb_common)
  if(TARGET test_searchd_${suite})
    set_tests_properties(test_searchd_${suite} PROPERTIES
      FIXTURES_REQUIRED searchd_index TIMEOUT 300)
  endif()
endforeach()

# test_searchd_api writes search answers itself (render.c's internal
# header names the search engine's result).
if(TARGET test_searchd_api)
  target_link_libraries(test_searchd_api PRIVATE vb_search)
endif()

# With libsystemd the daemon tells systemd when it is ready (Type=notify):
# test_searchd_cli checks the message.
if(SYSTEMD_FOUND AND TARGET test_searchd_cli)
  target_compile_definitions(test_searchd_cli PRIVATE VB_HAVE_SYSTEMD=1)
endif()

vb_check_test(test_searchd_behaviour vb_searchd_testutil vb_searchd vb_common)
if(TARGET test_searchd_behaviour)
  set_tests_properties(test_searchd_behaviour PROPERTIES
    FIXTURES_REQUIRED searchd_index TIMEOUT 300)
endif()

# Contract 5: tokens, tickets, the audit log, erasure, HTTPS.  Links
# nettle (the test mints its own tickets, as a CRM would) and SQLite (an
# old audit row for the retention test).
pkg_check_modules(SD_NETTLE REQUIRED IMPORTED_TARGET nettle)
pkg_check_modules(SD_SQLITE3 REQUIRED IMPORTED_TARGET sqlite3)
vb_check_test(test_searchd_access vb_searchd_testutil vb_searchd vb_common
              PkgConfig::SD_NETTLE PkgConfig::SD_SQLITE3)
if(TARGET test_searchd_access)
  set_tests_properties(test_searchd_access PROPERTIES
    FIXTURES_REQUIRED searchd_index TIMEOUT 600)
endif()

# Past one machine (docs/deploy.md): three remote shards (xapian-tcpsrv),
# two replicas (xapian-replicate) behind HAProxy, in network namespaces
# the test makes and removes; shards and replicas killed under load.
if(TARGET vraagbaak-indexer)
  add_test(NAME deploy_shards_replicas
           COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/deploy_shards_replicas.sh
                   ${CMAKE_BINARY_DIR} ${CMAKE_SOURCE_DIR})
  set_tests_properties(deploy_shards_replicas PROPERTIES
    SKIP_RETURN_CODE 77 TIMEOUT 300)
endif()
