/* vb_utf8.h — strict UTF-8 validation, for every module's boundary
 * (files, queries, headers). */
#ifndef VB_UTF8_H
#define VB_UTF8_H

#include <stddef.h>

#include "vb_error.h"

/* Checks that `text[0..len)` is valid UTF-8 (no overlongs, surrogates or
 * code points above U+10FFFF; NUL bytes are rejected too).  On failure
 * returns VB_EUTF8 and, when `bad_offset` is non-NULL, stores the byte
 * offset of the first invalid byte. */
enum vb_status vb_utf8_validate(const char *text, size_t len,
                                size_t *bad_offset);

#endif
