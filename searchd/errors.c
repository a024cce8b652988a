/* errors.c — every error searchd answers with, in one place: the code of
 * each (its slug in the JSON answer and in /metrics) and which HTTP status
 * and code a failed engine, indexer or database call becomes.  Below
 * http.c (which answers) and metrics.c (which counts); knows no HTTP
 * library. */
#include "searchd_int.h"

static const char *const error_slugs[VB_API_ERROR_COUNT] = {
    [VB_API_INVALID_PARAMETER] = "invalid_parameter",
    [VB_API_UNKNOWN_PARAMETER] = "unknown_parameter",
    [VB_API_DUPLICATE_PARAMETER] = "duplicate_parameter",
    [VB_API_MISSING_PARAMETER] = "missing_parameter",
    [VB_API_INVALID_UTF8] = "invalid_utf8",
    [VB_API_INVALID_JSON] = "invalid_json",
    [VB_API_TOO_LARGE] = "too_large",
    [VB_API_UNSUPPORTED_MEDIA] = "unsupported_media_type",
    [VB_API_NOT_FOUND] = "not_found",
    [VB_API_METHOD_NOT_ALLOWED] = "method_not_allowed",
    [VB_API_UNAVAILABLE] = "index_unavailable",
    [VB_API_INTERNAL] = "internal_error",
    [VB_API_UNAUTHORIZED] = "unauthorized",
    [VB_API_FORBIDDEN] = "forbidden",
    [VB_API_TICKET_REQUIRED] = "ticket_required",
    [VB_API_TICKET_EXPIRED] = "ticket_expired",
    [VB_API_TICKET_INVALID] = "ticket_invalid",
    [VB_API_TICKET_WRONG_CUSTOMER] = "ticket_wrong_customer",
    [VB_API_RATE_LIMITED] = "rate_limited",
    [VB_API_MISDIRECTED] = "misdirected_request",
    [VB_API_AUDIT_UNAVAILABLE] = "audit_unavailable",
    [VB_API_PRECONDITION_FAILED] = "precondition_failed",
    [VB_API_TICKET_WRONG_TENANT] = "ticket_wrong_tenant",
};

const char *vb_api_error_slug(enum vb_api_error code)
{
    return (unsigned)code < VB_API_ERROR_COUNT ? error_slugs[code]
                                               : "internal_error";
}

struct vb_api_failure vb_api_failure_of(enum vb_status status)
{
    switch (status) {
    case VB_EINVAL:
        return (struct vb_api_failure){400, VB_API_INVALID_PARAMETER, NULL};
    case VB_EUTF8:
        return (struct vb_api_failure){400, VB_API_INVALID_UTF8, NULL};
    case VB_ELIMIT: return (struct vb_api_failure){413, VB_API_TOO_LARGE, NULL};
    case VB_EDENIED: /* a document of another client */
        return (struct vb_api_failure){403, VB_API_FORBIDDEN, "tenant"};
    case VB_ECONFLICT: /* If-Match differs from the document's ETag */
        return (struct vb_api_failure){412, VB_API_PRECONDITION_FAILED,
                                       "If-Match"};
    case VB_ENOMEM: return (struct vb_api_failure){503, VB_API_INTERNAL, NULL};
    case VB_EBUSY: /* another process writes the index */
    case VB_EIO:
    case VB_ECORRUPT:
    case VB_EBACKEND:
    case VB_ENOTFOUND:
        return (struct vb_api_failure){503, VB_API_UNAVAILABLE, NULL};
    default: return (struct vb_api_failure){500, VB_API_INTERNAL, NULL};
    }
}

bool vb_status_index_trouble(enum vb_status status)
{
    return status == VB_EIO || status == VB_ECORRUPT || status == VB_EBACKEND ||
           status == VB_ENOTFOUND;
}
