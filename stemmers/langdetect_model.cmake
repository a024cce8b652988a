# Language-detection model, generated at build time from Debian's word lists
# (wdutch, wfrench, wamerican) by tools/gen_langdetect_model.c and compiled
# into vb_stemmers.  The generated file lives in the build tree only.
set(VB_LANGDETECT_DICTS
  /usr/share/dict/dutch /usr/share/dict/french /usr/share/dict/american-english)
foreach(dict IN LISTS VB_LANGDETECT_DICTS)
  if(NOT EXISTS ${dict})
    message(FATAL_ERROR "${dict} is missing: install the Debian packages "
                        "wdutch, wfrench and wamerican")
  endif()
endforeach()

add_executable(vb_gen_langdetect_model tools/gen_langdetect_model.c)
target_link_libraries(vb_gen_langdetect_model PRIVATE m)

set(VB_LANGDETECT_MODEL ${CMAKE_CURRENT_BINARY_DIR}/langdetect_model.c)
add_custom_command(
  OUTPUT ${VB_LANGDETECT_MODEL}
  COMMAND vb_gen_langdetect_model ${VB_LANGDETECT_DICTS}
          ${VB_LANGDETECT_MODEL}.tmp
  COMMAND ${CMAKE_COMMAND} -E rename ${VB_LANGDETECT_MODEL}.tmp
          ${VB_LANGDETECT_MODEL}
  DEPENDS vb_gen_langdetect_model ${VB_LANGDETECT_DICTS}
  COMMENT "Generating the language-detection model from the word lists"
  VERBATIM)
target_sources(vb_stemmers PRIVATE ${VB_LANGDETECT_MODEL})
target_link_libraries(vb_stemmers PRIVATE m)
