# The widget in a real browser (included from tests/CMakeLists.txt):
# tests/widget/run.sh indexes corpus/, starts vraagbaak-searchd on a
# loopback port with web/, and drives headless Debian chromium with
# playwright-core (node:test).  Skipped (77) without chromium or node,
# except under CI=true.
if(NOT TARGET vraagbaak-searchd OR NOT TARGET vraagbaak-indexer)
  return()
endif()
add_test(NAME widget_browser
         COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/widget/run.sh
                 $<TARGET_FILE:vraagbaak-indexer>
                 $<TARGET_FILE:vraagbaak-searchd> ${CMAKE_SOURCE_DIR})
set_tests_properties(widget_browser PROPERTIES SKIP_RETURN_CODE 77
                     TIMEOUT 400)
