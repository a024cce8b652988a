// bridge.cc — the C API of vb_xapian.h over Xapian 1.4, what its files
// share.  Every exported function (writer.cc, reader.cc, query.cc,
// search.cc) is a try/catch around a few Xapian calls: no exception leaves
// the bridge, and fail() turns the one in flight into a vb_status with
// Xapian's description.  No policy lives here.
#include "bridge.h"

#include <cstdlib>
#include <cstring>
#include <new>

namespace vbx
{

vb_status fail(vb_error *err, const char *dir, const char *action) noexcept
{
    if (!dir)
        dir = "(null)";
    try {
        try {
            throw;
        } catch (const Xapian::DatabaseLockError &e) {
            // A lock file that cannot be created (a read-only file system,
            // no permission) is reported as a lock error too.
            std::string d = e.get_description();
            const std::string cannot = "Couldn't open lockfile: ";
            size_t at = d.find(cannot);
            if (at != std::string::npos)
                return vb_error_set(err, VB_EIO,
                                    "index %s cannot be written: %s", dir,
                                    d.c_str() + at + cannot.size());
            return vb_error_set(err, VB_EIO,
                                "index %s is being written by another "
                                "process (%s)",
                                dir, d.c_str());
        } catch (const Xapian::DatabaseNotFoundError &e) {
            return vb_error_set(err, VB_ENOTFOUND,
                                "index %s: %s: no index (%s)", dir, action,
                                e.get_description().c_str());
        } catch (const Xapian::DocNotFoundError &e) {
            return vb_error_set(err, VB_ENOTFOUND, "index %s: %s: %s", dir,
                                action, e.get_description().c_str());
        } catch (const Xapian::DatabaseCorruptError &e) {
            return vb_error_set(err, VB_ECORRUPT, "index %s: %s: %s", dir,
                                action, e.get_description().c_str());
        } catch (const Xapian::DatabaseOpeningError &e) {
            return vb_error_set(err, VB_EIO, "index %s: %s: %s", dir, action,
                                e.get_description().c_str());
        } catch (const Xapian::InvalidArgumentError &e) {
            // Bad input from C, e.g. a term longer than 245 bytes.
            return vb_error_set(err, VB_EINVAL, "index %s: %s: %s", dir, action,
                                e.get_description().c_str());
        } catch (const Xapian::Error &e) {
            return vb_error_set(err, VB_EBACKEND, "index %s: %s: %s", dir,
                                action, e.get_description().c_str());
        } catch (const std::bad_alloc &) {
            return vb_error_set(err, VB_ENOMEM, "index %s: %s: out of memory",
                                dir, action);
        } catch (const std::exception &e) {
            return vb_error_set(err, VB_EBACKEND, "index %s: %s: %s", dir,
                                action, e.what());
        } catch (...) {
            return vb_error_set(err, VB_EBACKEND,
                                "index %s: %s: unknown C++ exception", dir,
                                action);
        }
    } catch (...) {
        // get_description() itself failed (out of memory).
        return vb_error_set(err, VB_ENOMEM,
                            "index %s: %s: out of memory "
                            "while describing an error",
                            dir, action);
    }
}

vb_status null_argument(vb_error *err, const char *function)
{
    return vb_error_set(err, VB_EINVAL, "%s: NULL argument", function);
}

vb_status copy_out(const std::string &s, char **out, size_t *out_len,
                   vb_error *err, const char *dir)
{
    char *copy = static_cast<char *>(std::malloc(s.size() + 1));
    if (!copy)
        return vb_error_set(err, VB_ENOMEM,
                            "index %s: out of memory copying "
                            "%zu bytes",
                            dir, s.size());
    std::memcpy(copy, s.data(), s.size());
    copy[s.size()] = '\0';
    *out = copy;
    if (out_len)
        *out_len = s.size();
    return VB_OK;
}

std::string bytes(const char *p, size_t len)
{
    return len ? std::string(p, len) : std::string();
}

void ensure_transaction(vb_xapian_writer *writer)
{
    if (!writer->in_transaction) {
        writer->db.begin_transaction(false);
        writer->in_transaction = true;
    }
}

} // namespace vbx
