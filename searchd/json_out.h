/* json_out.h — a jansson tree written out as JSON text (json_out.c). */
#ifndef VB_JSON_OUT_H
#define VB_JSON_OUT_H

#include <stddef.h>

#include <jansson.h>

/* `root` as JSON text, NUL-terminated, its length in *len: the bytes of
 * json_dumps(root, JSON_COMPACT | JSON_REAL_PRECISION(precision)), in a
 * quarter of the time.  Its strings must be valid UTF-8, as jansson's
 * checked constructors make them.  NULL when out of memory. */
char *vb_json_write(const json_t *root, int precision, size_t *len);

#endif
