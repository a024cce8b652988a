/* json_out.h — JSON text written out (json_out.c): a jansson tree, or
 * an answer written piece by piece without one. */
#ifndef VB_JSON_OUT_H
#define VB_JSON_OUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

/* `root` as JSON text, NUL-terminated, its length in *len: the bytes of
 * json_dumps(root, JSON_COMPACT | JSON_REAL_PRECISION(precision)), in a
 * quarter of the time.  Its strings must be valid UTF-8, as jansson's
 * checked constructors make them.  NULL when out of memory. */
char *vb_json_write(const json_t *root, int precision, size_t *len);

/* A JSON text written piece by piece, for the answer that is written most
 * (a search's: building and freeing its jansson tree cost twice what
 * writing it did).  Each piece is written as vb_json_write writes the
 * same value.  Start with {.precision = p} (JSON_REAL_PRECISION's p, 0
 * for 17 digits); a failure (out of memory, a string that is not valid
 * UTF-8) sticks, and vb_json_out_finish then returns NULL. */
struct vb_json_out {
    char *data;
    size_t len, cap;
    int precision;
    bool failed;
};

/* Bytes as they are: punctuation and keys the caller knows need no
 * escape ("{\"id\":"). */
void vb_json_out_raw(struct vb_json_out *o, const char *s);
/* A string, quoted and escaped; it must be valid UTF-8. */
void vb_json_out_string(struct vb_json_out *o, const char *s, size_t n);
/* `s` as a string, or null when it is NULL. */
void vb_json_out_text(struct vb_json_out *o, const char *s);
void vb_json_out_integer(struct vb_json_out *o, int64_t value);
void vb_json_out_real(struct vb_json_out *o, double value);
void vb_json_out_bool(struct vb_json_out *o, bool value);
/* The text, NUL-terminated, its length in *len; NULL (everything freed)
 * after a failure. */
char *vb_json_out_finish(struct vb_json_out *o, size_t *len);

#endif
