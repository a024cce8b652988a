# The synthetic benchmark data generator (corpus/tools/gen_synthetic.c).
#   test_synthetic       generates a small set and checks every document
#                        with the project's reader, and the data's shape
#   synthetic_generator  same arguments -> same bytes, another seed -> other
#                        bytes, usage errors exit 2; then test_synthetic on
#                        the generated set
if(TARGET vb-gen-synthetic)
  vb_check_test(test_synthetic vb_document)
  if(TARGET test_synthetic)
    add_dependencies(test_synthetic vb-gen-synthetic)
    set_tests_properties(test_synthetic PROPERTIES ENVIRONMENT
      "VB_SYNTHETIC_GENERATOR=$<TARGET_FILE:vb-gen-synthetic>;VB_SYNTHETIC_CORPUS=${CMAKE_SOURCE_DIR}/corpus")
    add_test(NAME synthetic_generator
             COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/synthetic_generator.sh
                     $<TARGET_FILE:vb-gen-synthetic>
                     $<TARGET_FILE:test_synthetic>
                     ${CMAKE_SOURCE_DIR}/corpus)
    set_tests_properties(synthetic_generator PROPERTIES TIMEOUT 600)
  endif()
endif()
