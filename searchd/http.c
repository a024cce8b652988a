/* http.c — every response leaves through here: common headers, CORS, the
 * error JSON of Contract 3, and the metrics count. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "vb_utf8.h"

#include "json_out.h"

#include "searchd_int.h"

static const char out_of_memory_json[] =
    "{\"error\":{\"code\":\"internal_error\",\"message\":\"out of memory\"}}";

uint64_t vb_elapsed_ns(const struct timespec *since)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    int64_t ns = (int64_t)(now.tv_sec - since->tv_sec) * 1000000000 +
                 (now.tv_nsec - since->tv_nsec);
    return ns > 0 ? (uint64_t)ns : 0;
}

/* The request's line for the log: what an operator needs (when, which
 * route, the answer, how long, how many hits, for which token and
 * client, which error and parameter) and nothing a client typed but the
 * name of a parameter we refused.  Written with one write(2), so lines
 * of concurrent requests do not interleave. */
static void log_request(const struct vb_request *request, unsigned status,
                        uint64_t elapsed_ns)
{
    struct timespec now;
    clock_gettime(CLOCK_REALTIME, &now);
    char time[40];
    vb_format_time((int64_t)now.tv_sec * 1000000 + now.tv_nsec / 1000, time,
                   sizeof time);
    const char *route = request->route      ? request->route->path
                        : request->resource ? request->resource
                                            : NULL;
    json_t *line = json_pack(
        "{s:s,s:o,s:o,s:i,s:I}", "time", time, "method",
        vb_json_text(request->method), "route", vb_json_text(route), "status",
        (int)status, "took_us",
        (json_int_t)(elapsed_ns / 1000));
    if (!line)
        return;
    if (request->hits >= 0)
        json_object_set_new(line, "hits", json_integer(request->hits));
    if (request->token)
        json_object_set_new(line, "token", json_string(request->token->name));
    if (request->tenant)
        json_object_set_new(line, "tenant", json_string(request->tenant));
    if (request->error >= 0)
        json_object_set_new(
            line, "error",
            json_string(vb_api_error_slug((enum vb_api_error)request->error)));
    if (request->error_parameter)
        json_object_set_new(line, "parameter",
                            json_string(request->error_parameter));
    size_t len;
    char *text = vb_json_write(line, 0, &len);
    json_decref(line);
    if (!text)
        return;
    text[len] = '\n'; /* in place of its NUL */
    if (write(STDERR_FILENO, text, len + 1) < 0) {
        /* Nowhere to say it. */
    }
    free(text);
}

enum MHD_Result vb_respond(struct vb_request *request, unsigned status,
                           struct MHD_Response *response)
{
    if (!response)
        return MHD_NO; /* out of memory: libmicrohttpd closes the socket */
    struct vb_searchd *server = request->server;
    MHD_add_response_header(response, "X-Content-Type-Options", "nosniff");
    /* Queries and document ids are in our URLs: never pass them on. */
    MHD_add_response_header(response, "Referrer-Policy", "no-referrer");
    /* Once any origin is configured, every answer depends on Origin, so
     * caches must keep them apart. */
    if (request->policy->cors_origin_count > 0)
        MHD_add_response_header(response, "Vary", "Origin");
    if (request->origin)
        MHD_add_response_header(response, "Access-Control-Allow-Origin",
                                request->origin);
    if (request->etag[0] && status < 300) {
        char quoted[24];
        snprintf(quoted, sizeof quoted, "\"%s\"", request->etag);
        MHD_add_response_header(response, MHD_HTTP_HEADER_ETAG, quoted);
    }
    enum MHD_Result result =
        MHD_queue_response(request->connection, status, response);
    MHD_destroy_response(response);
    if (result == MHD_YES) {
        request->status = status;
        /* Counted when queued, not when sent, so that a client that has
         * read a response always finds it counted in the next scrape. */
        uint64_t elapsed_ns = vb_elapsed_ns(&request->started);
        vb_metrics_record(&server->metrics, request->endpoint, status,
                          elapsed_ns);
        if (request->policy->log_requests)
            log_request(request, status, elapsed_ns);
    }
    return result;
}

static enum MHD_Result respond_out_of_memory(struct vb_request *request)
{
    vb_metrics_record_error(&request->server->metrics, VB_API_INTERNAL);
    struct MHD_Response *response = MHD_create_response_from_buffer(
        sizeof out_of_memory_json - 1, (void *)out_of_memory_json,
        MHD_RESPMEM_PERSISTENT);
    if (response)
        MHD_add_response_header(response, MHD_HTTP_HEADER_CONTENT_TYPE,
                                "application/json; charset=utf-8");
    return vb_respond(request, 500, response);
}

/* A response owning `json` (freed with it, or at once when none could be
 * made), with the JSON answers' content type and no caching. */
static struct MHD_Response *json_response(char *json, size_t len)
{
    struct MHD_Response *response =
        MHD_create_response_from_buffer_with_free_callback(len, json, free);
    if (!response) {
        free(json);
        return NULL;
    }
    MHD_add_response_header(response, MHD_HTTP_HEADER_CONTENT_TYPE,
                            "application/json; charset=utf-8");
    MHD_add_response_header(response, MHD_HTTP_HEADER_CACHE_CONTROL,
                            "no-store");
    return response;
}

enum MHD_Result vb_respond_json_owned(struct vb_request *request,
                                      unsigned status, char *json, size_t len)
{
    struct MHD_Response *response = json_response(json, len);
    if (!response)
        return respond_out_of_memory(request);
    return vb_respond(request, status, response);
}

json_t *vb_json_text(const char *s)
{
    return s ? json_string(s) : json_null();
}

enum MHD_Result vb_respond_json(struct vb_request *request, unsigned status,
                                json_t *root)
{
    if (!root)
        return respond_out_of_memory(request);
    /* Six significant digits are plenty for a score. */
    size_t len;
    char *json = vb_json_write(root, 6, &len);
    json_decref(root);
    if (!json)
        return respond_out_of_memory(request);
    return vb_respond_json_owned(request, status, json, len);
}

enum MHD_Result vb_respond_json_text(struct vb_request *request,
                                     unsigned status, const char *json,
                                     size_t len)
{
    char *copy = malloc(len + 1);
    if (!copy)
        return respond_out_of_memory(request);
    memcpy(copy, json, len);
    copy[len] = '\0';
    return vb_respond_json_owned(request, status, copy, len);
}

/* The error JSON with `message` (valid UTF-8 or not: see below), plus
 * the header `extra` (Allow, WWW-Authenticate, Retry-After) when it is
 * non-NULL. */
static enum MHD_Result
respond_error_message(struct vb_request *request, unsigned status,
                      enum vb_api_error code, const char *parameter,
                      const char *message, const char *extra,
                      const char *extra_value)
{
    vb_metrics_record_error(&request->server->metrics, code);
    request->error = (int)code;
    request->error_parameter = parameter;
    json_t *root = vb_render_error(code, parameter, message);
    size_t len = 0;
    char *json = root ? vb_json_write(root, 0, &len) : NULL;
    json_decref(root);
    if (!json)
        return respond_out_of_memory(request);
    struct MHD_Response *response = json_response(json, len);
    if (!response)
        return respond_out_of_memory(request);
    if (extra)
        MHD_add_response_header(response, extra, extra_value);
    return vb_respond(request, status, response);
}

enum MHD_Result vb_respond_error(struct vb_request *request, unsigned status,
                                 enum vb_api_error code, const char *parameter,
                                 const char *fmt, ...)
{
    char message[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(message, sizeof message, fmt, ap);
    va_end(ap);
    return respond_error_message(request, status, code, parameter, message,
                                 NULL, NULL);
}

enum MHD_Result vb_respond_failure(struct vb_request *request,
                                   enum vb_status status,
                                   const struct vb_error *err,
                                   const char *what_failed)
{
    struct vb_api_failure f = vb_api_failure_of(status);
    if (status == VB_EBUSY)
        return vb_respond_busy(request, err->msg);
    if (status == VB_ENOMEM)
        return vb_respond_error(request, f.http, f.code, NULL,
                                "out of memory; try again");
    if (f.http >= 500)
        return vb_respond_error(request, f.http, f.code, NULL, "%s: %s",
                                what_failed, err->msg);
    return vb_respond_error(request, f.http, f.code, f.parameter, "%s",
                            err->msg);
}

enum MHD_Result vb_respond_busy(struct vb_request *request,
                                const char *message)
{
    return respond_error_message(request, 503, VB_API_UNAVAILABLE, NULL,
                                 message, MHD_HTTP_HEADER_RETRY_AFTER, "1");
}

enum MHD_Result vb_respond_unauthorized(struct vb_request *request,
                                        bool had_token)
{
    return respond_error_message(
        request, 401, VB_API_UNAUTHORIZED, NULL,
        had_token ? "the token is not valid here"
                  : "this route needs a token: Authorization: Bearer TOKEN",
        "WWW-Authenticate",
        had_token ? "Bearer error=\"invalid_token\"" : "Bearer");
}

enum MHD_Result vb_respond_too_many(struct vb_request *request,
                                    unsigned retry_after, const char *why)
{
    char seconds[16];
    snprintf(seconds, sizeof seconds, "%u", retry_after);
    char message[160];
    snprintf(message, sizeof message, "%s; try again in %u s", why,
             retry_after);
    return respond_error_message(request, 429, VB_API_RATE_LIMITED, NULL,
                                 message, MHD_HTTP_HEADER_RETRY_AFTER,
                                 seconds);
}

enum MHD_Result vb_respond_method_not_allowed(struct vb_request *request,
                                              const char *allow)
{
    char method[96], message[256];
    vb_quote(method, sizeof method, request->method, strlen(request->method));
    snprintf(message, sizeof message,
             "method '%s' is not allowed here; allowed: %s", method, allow);
    return respond_error_message(request, 405, VB_API_METHOD_NOT_ALLOWED, NULL,
                                 message, MHD_HTTP_HEADER_ALLOW, allow);
}

/* "2026-12-05T14:03:12.345Z". */
void vb_format_time(int64_t us, char *out, size_t cap)
{
    time_t seconds = (time_t)(us / 1000000);
    struct tm utc;
    gmtime_r(&seconds, &utc);
    char date[32];
    strftime(date, sizeof date, "%Y-%m-%dT%H:%M:%S", &utc);
    snprintf(out, cap, "%s.%03dZ", date, (int)(us % 1000000 / 1000));
}

/* ---- Quoting client text in messages ---------------------------------- */

/* Length of the valid UTF-8 sequence at s[0..len) that is not a control
 * character, or 0. */
static size_t printable_char_len(const unsigned char *s, size_t len)
{
    unsigned char c = s[0];
    size_t n = c < 0x80                 ? 1
               : c >= 0xC2 && c <= 0xDF ? 2
               : c >= 0xE0 && c <= 0xEF ? 3
               : c >= 0xF0 && c <= 0xF4 ? 4
                                        : 0;
    if (n == 0 || n > len ||
        vb_utf8_validate((const char *)s, n, NULL) != VB_OK)
        return 0;
    if (n == 1 && (c < 0x20 || c == 0x7F))
        return 0;
    if (n == 2 && c == 0xC2 && s[1] < 0xA0) /* C1 controls */
        return 0;
    return n;
}

char *vb_quote(char *dst, size_t cap, const char *s, size_t len)
{
    static const char ellipsis[] = "...";
    const unsigned char *in = (const unsigned char *)s;
    size_t out = 0, i = 0;
    if (cap == 0)
        return dst;
    while (i < len) {
        char piece[8];
        size_t n = printable_char_len(in + i, len - i), piece_len;
        if (n > 0) {
            memcpy(piece, in + i, n);
            piece_len = n;
        } else {
            piece_len = (size_t)snprintf(piece, sizeof piece, "\\x%02X", in[i]);
            n = 1;
        }
        /* Keep room for the ellipsis and the NUL, unless this is the
         * last piece and fits without them. */
        bool last = i + n == len;
        if (out + piece_len + (last ? 1 : sizeof ellipsis) > cap) {
            if (out + sizeof ellipsis <= cap) {
                memcpy(dst + out, ellipsis, sizeof ellipsis - 1);
                out += sizeof ellipsis - 1;
            }
            break;
        }
        memcpy(dst + out, piece, piece_len);
        out += piece_len;
        i += n;
    }
    dst[out] = '\0';
    return dst;
}
