/* static.c — the demo page and the widget: files from the web directory.
 *
 * Read per request (open + fstat, sent from the file descriptor), so an
 * edited file is served at once without a cache to invalidate; ETag and
 * Last-Modified let browsers revalidate cheaply (304).  Only plain names
 * in the directory itself are served: no subdirectories, no dot files, so
 * no path can leave the directory. */
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "searchd_int.h"

struct content_type {
    const char *extension;
    const char *type;
};

static const struct content_type content_types[] = {
    {".html", "text/html; charset=utf-8"},
    {".js", "text/javascript; charset=utf-8"},
    {".mjs", "text/javascript; charset=utf-8"},
    {".css", "text/css; charset=utf-8"},
    {".json", "application/json; charset=utf-8"},
    {".svg", "image/svg+xml"},
    {".png", "image/png"},
    {".ico", "image/x-icon"},
    {".txt", "text/plain; charset=utf-8"},
    {".map", "application/json; charset=utf-8"},
    {".woff2", "font/woff2"},
};

static const char *content_type_of(const char *name)
{
    size_t len = strlen(name);
    for (size_t i = 0; i < sizeof content_types / sizeof *content_types; i++) {
        size_t n = strlen(content_types[i].extension);
        if (len > n && strcmp(name + len - n, content_types[i].extension) == 0)
            return content_types[i].type;
    }
    return "application/octet-stream";
}

static bool file_name_ok(const char *name, size_t len)
{
    if (len == 0 || len > 128 || name[0] == '.')
        return false;
    for (size_t i = 0; i < len; i++) {
        char ch = name[i];
        if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
              (ch >= '0' && ch <= '9') || ch == '.' || ch == '-' || ch == '_'))
            return false;
    }
    return true;
}

/* Whether the client's If-None-Match lists `etag`. */
static bool etag_matches(struct MHD_Connection *connection, const char *etag)
{
    const char *header = MHD_lookup_connection_value(
        connection, MHD_HEADER_KIND, MHD_HTTP_HEADER_IF_NONE_MATCH);
    if (!header)
        return false;
    if (strcmp(header, "*") == 0)
        return true;
    const char *found = strstr(header, etag);
    return found != NULL;
}

enum MHD_Result vb_handle_static(struct vb_request *request)
{
    const char *web_dir = request->server->web_dir;
    const char *name = request->path_arg ? request->path_arg : "index.html";
    size_t name_len =
        request->path_arg ? request->path_arg_len : strlen("index.html");
    /* A literal route names its file: "/widget.js" itself, "/editor"
     * the page editor.html. */
    char page[64];
    if (!request->path_arg && strcmp(request->route->path, "/") != 0) {
        const char *path = request->route->path + 1;
        snprintf(page, sizeof page, strchr(path, '.') ? "%s" : "%s.html", path);
        name = page;
        name_len = strlen(page);
    }
    char shown[80];
    if (!web_dir || !file_name_ok(name, name_len))
        return vb_respond_error(request, 404, VB_API_NOT_FOUND, NULL,
                                "no such resource: '/%s'",
                                vb_quote(shown, sizeof shown, name, name_len));

    char path[4096];
    int n = snprintf(path, sizeof path, "%s/%s", web_dir, name);
    int fd = n > 0 && (size_t)n < sizeof path
                 ? open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
                 : -1;
    struct stat st;
    if (fd < 0 || fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        if (fd >= 0)
            close(fd);
        return vb_respond_error(request, 404, VB_API_NOT_FOUND, NULL,
                                "no such file: '/%s'", name);
    }

    char etag[64], last_modified[64];
    snprintf(etag, sizeof etag, "\"%" PRIx64 "-%" PRIx64 "-%" PRIx64 "\"",
             (uint64_t)st.st_mtim.tv_sec, (uint64_t)st.st_mtim.tv_nsec,
             (uint64_t)st.st_size);
    struct tm tm;
    gmtime_r(&st.st_mtim.tv_sec, &tm);
    strftime(last_modified, sizeof last_modified, "%a, %d %b %Y %H:%M:%S GMT",
             &tm);

    struct MHD_Response *response;
    unsigned status;
    if (etag_matches(request->connection, etag)) {
        close(fd);
        response =
            MHD_create_response_from_buffer(0, NULL, MHD_RESPMEM_PERSISTENT);
        status = 304;
    } else {
        /* libmicrohttpd closes fd when the response is destroyed. */
        response = MHD_create_response_from_fd((size_t)st.st_size, fd);
        if (!response)
            close(fd);
        status = 200;
    }
    if (!response)
        return MHD_NO;
    const char *type = content_type_of(name);
    MHD_add_response_header(response, MHD_HTTP_HEADER_CONTENT_TYPE, type);
    MHD_add_response_header(response, MHD_HTTP_HEADER_ETAG, etag);
    MHD_add_response_header(response, MHD_HTTP_HEADER_LAST_MODIFIED,
                            last_modified);
    /* An HTML page of ours runs only our own scripts and styles, talks
     * only to us, and is never framed (clickjacking). */
    if (strncmp(type, "text/html", 9) == 0)
        MHD_add_response_header(
            response, "Content-Security-Policy",
            "default-src 'none'; script-src 'self'; style-src 'self'; "
            "connect-src 'self'; img-src 'self' data:; base-uri 'none'; "
            "form-action 'none'; frame-ancestors 'none'");
    /* The page always revalidates; the widget and other files may be
     * cached for five minutes, then revalidate by ETag. */
    MHD_add_response_header(response, MHD_HTTP_HEADER_CACHE_CONTROL,
                            strncmp(type, "text/html", 9) == 0
                                ? "no-cache"
                                : "public, max-age=300");
    return vb_respond(request, status, response);
}
