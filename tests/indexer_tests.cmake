# The indexer's tests (included from tests/CMakeLists.txt).
#   test_schema   Check: the index layout (schema/vb_schema.h)
#   test_indexer  Check: sync semantics through vb_indexer_run
#   indexer_cli   the vraagbaak-indexer program as a user runs it
#   indexer_crash SIGKILL at random moments: the index is always one
#                 committed revision, never a mix
#   indexer_watch --watch with each way an editor saves a file, checked
#                 through a real searchd
# Each builds its corpora in a temporary directory and removes it.

vb_check_test(test_schema vb_schema)
vb_check_test(test_indexer vb_indexer vb_schema vb_xapian vb_document)
if(TARGET test_indexer)
  target_compile_definitions(test_indexer PRIVATE
    VB_SOURCE_DIR="${CMAKE_SOURCE_DIR}")
endif()
if(TARGET test_schema)
  set_tests_properties(test_schema PROPERTIES TIMEOUT 300)
endif()

# The crash test's checker (a tool, not a test): opens an index, prints its
# document count and revision, decodes every stored document and checks
# that all titles carry the same version marker.
add_executable(vb-index-verify index_verify.c)
target_link_libraries(vb-index-verify PRIVATE vb_schema vb_xapian vb_document)

add_test(NAME indexer_cli
         COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/indexer_cli.sh
                 $<TARGET_FILE:vraagbaak-indexer> ${CMAKE_SOURCE_DIR}/corpus)
set_tests_properties(indexer_cli PROPERTIES TIMEOUT 300)

if(TARGET vraagbaak-searchd)
  add_test(NAME indexer_watch
           COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/indexer_watch.sh
                   $<TARGET_FILE:vraagbaak-indexer>
                   $<TARGET_FILE:vraagbaak-searchd>)
  set_tests_properties(indexer_watch PROPERTIES TIMEOUT 300)
endif()

# About 30 s (RelWithDebInfo) to 60 s (ASan/UBSan) on two cores; it sizes
# its kill delays from measured runs, so a loaded machine makes it slower,
# not flaky.
add_test(NAME indexer_crash
         COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/indexer_crash.sh
                 $<TARGET_FILE:vraagbaak-indexer>
                 $<TARGET_FILE:vb-index-verify>)
# Under ASan on a loaded machine it has taken 290 s: a bound, not a target.
set_tests_properties(indexer_crash PROPERTIES TIMEOUT 600)
