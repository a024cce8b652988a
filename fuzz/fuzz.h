/* fuzz.h — what the fuzz targets share.
 *
 * Each fuzz_*.c defines LLVMFuzzerTestOneInput (and, when it needs one,
 * LLVMFuzzerInitialize) for libFuzzer.  Built with clang and
 * -DVB_FUZZ=ON they are fuzzers (bench/fuzz-campaign.sh runs them); in
 * every other build they are linked with replay.c, which feeds them each
 * file of their kept corpus (fuzz/corpus/NAME), and CTest runs that
 * under the sanitizers of the build: every input a campaign found
 * interesting, and every crash it found, is replayed on every run. */
#ifndef VB_FUZZ_H
#define VB_FUZZ_H

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

/* The sample corpus (corpus/ of the source tree) indexed once into a
 * temporary directory, removed at exit; its path.  Aborts on failure: a
 * fuzzer without its fixture finds nothing. */
const char *vb_fuzz_fixture_index(void);

/* Stops the process the way libFuzzer counts as a crash, with a message. */
_Noreturn void vb_fuzz_fail(const char *what, const char *detail);

#endif
