/* vb_error.h — the one status enum and error record every module uses.
 *
 * A function that can fail returns an enum vb_status and, when the caller
 * passes a non-NULL struct vb_error, fills it with the code and a message
 * written by the place that detected the failure (it knows the file, line,
 * byte offset or field).  Callers pass the status up unchanged.
 *
 * The numbers are frozen: they may appear in logs and API responses. */
#ifndef VB_ERROR_H
#define VB_ERROR_H

enum vb_status {
    VB_OK = 0,
    VB_ENOMEM = 1,    /* allocation failed */
    VB_EINVAL = 2,    /* bad argument or bad input */
    VB_EIO = 3,       /* file or socket error */
    VB_ENOTFOUND = 4, /* no such document, file or key */
    VB_ECORRUPT = 5,  /* stored data is not what we wrote */
    VB_EUTF8 = 6,     /* invalid UTF-8 */
    VB_EBACKEND = 7,  /* the index engine (Xapian) reported an error */
    VB_ELIMIT = 8,    /* input exceeds a documented size limit */
    VB_EBUSY = 9,     /* held by another process: try again later */
    VB_ECONFLICT = 10, /* changed since the caller read it */
    VB_EDENIED = 11    /* not the caller's to change (another tenant's) */
};

struct vb_error {
    enum vb_status code;
    char msg[256];
};

/* Short fixed text for a status ("invalid UTF-8"); never NULL. */
const char *vb_status_str(enum vb_status status);

/* Fills `err` (which may be NULL) with `status` and a printf-style message,
 * truncated to fit.  Returns `status` so a caller can write
 * `return vb_error_set(err, VB_EINVAL, "...")`. */
enum vb_status vb_error_set(struct vb_error *err, enum vb_status status,
                            const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#endif
