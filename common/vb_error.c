#include "vb_error.h"

#include <stdarg.h>
#include <stdio.h>

const char *vb_status_str(enum vb_status status)
{
    switch (status) {
    case VB_OK: return "ok";
    case VB_ENOMEM: return "out of memory";
    case VB_EINVAL: return "invalid argument";
    case VB_EIO: return "input/output error";
    case VB_ENOTFOUND: return "not found";
    case VB_ECORRUPT: return "corrupt data";
    case VB_EUTF8: return "invalid UTF-8";
    case VB_EBACKEND: return "index engine error";
    case VB_ELIMIT: return "size limit exceeded";
    case VB_EBUSY: return "busy";
    case VB_ECONFLICT: return "conflict";
    case VB_EDENIED: return "denied";
    }
    return "unknown status";
}

enum vb_status vb_error_set(struct vb_error *err, enum vb_status status,
                            const char *fmt, ...)
{
    if (err) {
        va_list ap;
        err->code = status;
        va_start(ap, fmt);
        vsnprintf(err->msg, sizeof err->msg, fmt, ap);
        va_end(ap);
    }
    return status;
}
