// bridge.h — private to xapian/: the handles behind vb_xapian.h's opaque
// types and what every file of the bridge shares (turning the exception
// in flight into a vb_status, copies out, the retry after a reader's
// revision was overwritten).  Files: bridge.cc (these helpers),
// writer.cc (the writer and documents), reader.cc, query.cc, search.cc.
#ifndef VB_XAPIAN_BRIDGE_H
#define VB_XAPIAN_BRIDGE_H

#include "vb_xapian.h"

#include <xapian.h>

#include <string>

struct vb_xapian_reader {
    Xapian::Database db;
    std::string dir;       // for messages
    bool borrowed = false; // the view inside a writer: not freed by close
};

struct vb_xapian_writer {
    Xapian::WritableDatabase db;
    std::string dir;
    // An unflushed transaction is active whenever this is true; every
    // change goes into it, so nothing is published before
    // vb_xapian_commit and closing (cancel) discards everything pending.
    bool in_transaction = false;
    vb_xapian_reader view; // shares db's internals
};

struct vb_xapian_doc {
    Xapian::Document doc;
};

struct vb_xapian_query {
    Xapian::Query query;
};

namespace vbx
{

// Classifies the exception in flight.  Call only from inside a catch block.
// `action` says what was being done ("open for writing", "search").
vb_status fail(vb_error *err, const char *dir, const char *action) noexcept;

vb_status null_argument(vb_error *err, const char *function);

// Copies `s` into a malloc'd buffer with a NUL after it.
vb_status copy_out(const std::string &s, char **out, size_t *out_len,
                   vb_error *err, const char *dir);

// A term as a std::string; NULL with a length is a caller bug, reported as
// VB_EINVAL by the callers before they get here.
std::string bytes(const char *p, size_t len);

// Runs `f` (which returns a vb_status); if the reader's revision was
// overwritten under it, reopens the reader and runs `f` once more.  `f`
// must have no effect visible to the caller before it succeeds.
template <typename F>
vb_status with_retry(vb_xapian_reader *reader, vb_error *err,
                     const char *action, F &&f)
{
    try {
        try {
            return f();
        } catch (const Xapian::DatabaseModifiedError &) {
            reader->db.reopen();
            return f();
        }
    } catch (...) {
        return fail(err, reader->dir.c_str(), action);
    }
}

// Starts the batch transaction if a failed commit ended it.
void ensure_transaction(vb_xapian_writer *writer);

} // namespace vbx

#endif
