// xapian_bridge.cc — the C API of vb_xapian.h over Xapian 1.4.
//
// Every exported function is a try/catch around a few Xapian calls: no
// exception leaves this file, and fail() turns the one in flight into a
// vb_status with Xapian's description.  No policy lives here.

#include "vb_xapian.h"

#include <xapian.h>

#include <cstdlib>
#include <cstring>
#include <memory>
#include <new>
#include <string>
#include <utility>
#include <vector>

// ==== Handles ===============================================================

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

namespace {

struct hit {
    uint32_t docid;
    double weight;
    uint32_t collapse_count;
    std::string data;
    std::vector<std::string> values; // parallel to vb_xapian_hits::value_slots
};

struct facet_entry {
    std::string value;
    uint32_t count;
};

} // namespace

struct vb_xapian_hits {
    uint32_t estimated = 0;
    uint32_t lower_bound = 0;
    std::vector<uint32_t> value_slots;
    std::vector<hit> hits;
    std::vector<std::vector<facet_entry>> facets;
};

// ==== Errors and copies =====================================================

namespace {

// Classifies the exception in flight.  Call only from inside a catch block.
// `action` says what was being done ("open for writing", "search").
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
            return vb_error_set(err, VB_ENOTFOUND, "index %s: %s: no index (%s)",
                                dir, action, e.get_description().c_str());
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
            return vb_error_set(err, VB_EINVAL, "index %s: %s: %s", dir,
                                action, e.get_description().c_str());
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
        return vb_error_set(err, VB_ENOMEM, "index %s: %s: out of memory "
                            "while describing an error", dir, action);
    }
}

vb_status null_argument(vb_error *err, const char *function)
{
    return vb_error_set(err, VB_EINVAL, "%s: NULL argument", function);
}

// Copies `s` into a malloc'd buffer with a NUL after it.
vb_status copy_out(const std::string &s, char **out, size_t *out_len,
                   vb_error *err, const char *dir)
{
    char *copy = static_cast<char *>(std::malloc(s.size() + 1));
    if (!copy)
        return vb_error_set(err, VB_ENOMEM, "index %s: out of memory copying "
                            "%zu bytes", dir, s.size());
    std::memcpy(copy, s.data(), s.size());
    copy[s.size()] = '\0';
    *out = copy;
    if (out_len)
        *out_len = s.size();
    return VB_OK;
}

// A term as a std::string; NULL with a length is a caller bug, reported as
// VB_EINVAL by the callers before they get here.
std::string bytes(const char *p, size_t len)
{
    return len ? std::string(p, len) : std::string();
}

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
void ensure_transaction(vb_xapian_writer *writer)
{
    if (!writer->in_transaction) {
        writer->db.begin_transaction(false);
        writer->in_transaction = true;
    }
}

} // namespace

// ==== Writer ================================================================

extern "C" vb_status vb_xapian_writer_open(const char *dir, bool create,
                                           vb_xapian_writer **out,
                                           vb_error *err)
{
    if (out)
        *out = nullptr;
    if (!dir || !out)
        return null_argument(err, __func__);
    vb_xapian_writer *writer = nullptr;
    try {
        writer = new vb_xapian_writer();
        writer->dir = dir;
        writer->db = Xapian::WritableDatabase(
            writer->dir, create ? Xapian::DB_CREATE_OR_OPEN : Xapian::DB_OPEN);
        ensure_transaction(writer);
        writer->view.db = writer->db;
        writer->view.dir = writer->dir;
        writer->view.borrowed = true;
        *out = writer;
        return VB_OK;
    } catch (...) {
        vb_status status = fail(err, dir, "open for writing");
        delete writer; // nothing pending: the destructor commits nothing
        return status;
    }
}

extern "C" void vb_xapian_writer_close(vb_xapian_writer *writer)
{
    if (!writer)
        return;
    // Xapian's close() commits pending changes unless a transaction is
    // active, so make sure one is and cancel it: that discards the batch
    // and, the transaction being unflushed, anything left by a failed
    // commit.
    try {
        ensure_transaction(writer);
        writer->in_transaction = false;
        writer->db.cancel_transaction();
    } catch (...) {
    }
    try {
        writer->db.close();
    } catch (...) {
    }
    delete writer;
}

extern "C" vb_status vb_xapian_commit(vb_xapian_writer *writer, vb_error *err)
{
    if (!writer)
        return null_argument(err, __func__);
    try {
        ensure_transaction(writer);
        // Whatever happens next, Xapian ends the transaction.
        writer->in_transaction = false;
        writer->db.commit_transaction();
        writer->db.commit();
        ensure_transaction(writer);
        return VB_OK;
    } catch (...) {
        vb_status status = fail(err, writer->dir.c_str(), "commit");
        try {
            ensure_transaction(writer);
        } catch (...) {
        }
        return status;
    }
}

extern "C" vb_status vb_xapian_replace(vb_xapian_writer *writer,
                                       const char *id_term, size_t id_term_len,
                                       vb_xapian_doc *doc, uint32_t *docid,
                                       vb_error *err)
{
    if (docid)
        *docid = 0;
    if (!writer || !id_term || !doc)
        return null_argument(err, __func__);
    if (id_term_len == 0)
        return vb_error_set(err, VB_EINVAL, "index %s: replace: empty id term",
                            writer->dir.c_str());
    try {
        std::string term(id_term, id_term_len);
        ensure_transaction(writer);
        // wdf 0: idempotent when the caller already added the term.
        doc->doc.add_boolean_term(term);
        Xapian::docid id = writer->db.replace_document(term, doc->doc);
        if (docid)
            *docid = id;
        return VB_OK;
    } catch (...) {
        return fail(err, writer->dir.c_str(), "replace document");
    }
}

extern "C" vb_status vb_xapian_add(vb_xapian_writer *writer,
                                   const char *id_term, size_t id_term_len,
                                   vb_xapian_doc *doc, uint32_t *docid,
                                   vb_error *err)
{
    if (docid)
        *docid = 0;
    if (!writer || !id_term || !doc)
        return null_argument(err, __func__);
    if (id_term_len == 0)
        return vb_error_set(err, VB_EINVAL, "index %s: add: empty id term",
                            writer->dir.c_str());
    try {
        ensure_transaction(writer);
        doc->doc.add_boolean_term(std::string(id_term, id_term_len));
        Xapian::docid id = writer->db.add_document(doc->doc);
        if (docid)
            *docid = id;
        return VB_OK;
    } catch (...) {
        return fail(err, writer->dir.c_str(), "add document");
    }
}

extern "C" vb_status vb_xapian_replace_docid(vb_xapian_writer *writer,
                                             uint32_t docid,
                                             vb_xapian_doc *doc, vb_error *err)
{
    if (!writer || !doc || docid == 0)
        return null_argument(err, __func__);
    try {
        ensure_transaction(writer);
        writer->db.replace_document(docid, doc->doc);
        return VB_OK;
    } catch (...) {
        return fail(err, writer->dir.c_str(), "replace document");
    }
}

extern "C" vb_status vb_xapian_delete_docid(vb_xapian_writer *writer,
                                            uint32_t docid, vb_error *err)
{
    if (!writer || docid == 0)
        return null_argument(err, __func__);
    try {
        ensure_transaction(writer);
        writer->db.delete_document(docid);
        return VB_OK;
    } catch (...) {
        return fail(err, writer->dir.c_str(), "delete document");
    }
}

extern "C" vb_status vb_xapian_delete(vb_xapian_writer *writer,
                                      const char *id_term, size_t id_term_len,
                                      bool *deleted, vb_error *err)
{
    if (deleted)
        *deleted = false;
    if (!writer || !id_term)
        return null_argument(err, __func__);
    if (id_term_len == 0)
        return vb_error_set(err, VB_EINVAL, "index %s: delete: empty id term",
                            writer->dir.c_str());
    try {
        std::string term(id_term, id_term_len);
        ensure_transaction(writer);
        bool existed = writer->db.term_exists(term);
        if (existed)
            writer->db.delete_document(term);
        if (deleted)
            *deleted = existed;
        return VB_OK;
    } catch (...) {
        return fail(err, writer->dir.c_str(), "delete document");
    }
}

extern "C" vb_status vb_xapian_set_metadata(vb_xapian_writer *writer,
                                            const char *key, size_t key_len,
                                            const char *value, size_t value_len,
                                            vb_error *err)
{
    if (!writer || !key || (!value && value_len))
        return null_argument(err, __func__);
    if (key_len == 0)
        return vb_error_set(err, VB_EINVAL, "index %s: empty metadata key",
                            writer->dir.c_str());
    try {
        ensure_transaction(writer);
        writer->db.set_metadata(std::string(key, key_len),
                                bytes(value, value_len));
        return VB_OK;
    } catch (...) {
        return fail(err, writer->dir.c_str(), "set metadata");
    }
}

extern "C" vb_xapian_reader *vb_xapian_writer_reader(vb_xapian_writer *writer)
{
    return writer ? &writer->view : nullptr;
}

// ==== Documents =============================================================

extern "C" vb_xapian_doc *vb_xapian_doc_new(void)
{
    try {
        return new vb_xapian_doc();
    } catch (...) {
        return nullptr;
    }
}

extern "C" void vb_xapian_doc_free(vb_xapian_doc *doc)
{
    delete doc;
}

namespace {

vb_status check_term(const char *function, vb_xapian_doc *doc,
                     const char *term, size_t len, vb_error *err)
{
    if (!doc || !term)
        return null_argument(err, function);
    if (len == 0)
        return vb_error_set(err, VB_EINVAL, "%s: empty term", function);
    return VB_OK;
}

} // namespace

extern "C" vb_status vb_xapian_doc_add_posting(vb_xapian_doc *doc,
                                               const char *term, size_t len,
                                               uint32_t position,
                                               uint32_t wdf_inc, vb_error *err)
{
    vb_status status = check_term(__func__, doc, term, len, err);
    if (status != VB_OK)
        return status;
    try {
        doc->doc.add_posting(std::string(term, len), position, wdf_inc);
        return VB_OK;
    } catch (...) {
        return fail(err, "(document)", "add posting");
    }
}

extern "C" vb_status vb_xapian_doc_add_term(vb_xapian_doc *doc,
                                            const char *term, size_t len,
                                            uint32_t wdf_inc, vb_error *err)
{
    vb_status status = check_term(__func__, doc, term, len, err);
    if (status != VB_OK)
        return status;
    try {
        doc->doc.add_term(std::string(term, len), wdf_inc);
        return VB_OK;
    } catch (...) {
        return fail(err, "(document)", "add term");
    }
}

extern "C" vb_status vb_xapian_doc_add_boolean_term(vb_xapian_doc *doc,
                                                    const char *term,
                                                    size_t len, vb_error *err)
{
    vb_status status = check_term(__func__, doc, term, len, err);
    if (status != VB_OK)
        return status;
    try {
        doc->doc.add_boolean_term(std::string(term, len));
        return VB_OK;
    } catch (...) {
        return fail(err, "(document)", "add boolean term");
    }
}

extern "C" vb_status vb_xapian_doc_set_value(vb_xapian_doc *doc, uint32_t slot,
                                             const char *value, size_t len,
                                             vb_error *err)
{
    if (!doc || (!value && len))
        return null_argument(err, __func__);
    if (slot == VB_XAPIAN_NO_SLOT)
        return vb_error_set(err, VB_EINVAL, "%s: invalid value slot", __func__);
    try {
        doc->doc.add_value(slot, bytes(value, len));
        return VB_OK;
    } catch (...) {
        return fail(err, "(document)", "set value");
    }
}

extern "C" vb_status vb_xapian_doc_set_data(vb_xapian_doc *doc,
                                            const char *data, size_t len,
                                            vb_error *err)
{
    if (!doc || (!data && len))
        return null_argument(err, __func__);
    try {
        doc->doc.set_data(bytes(data, len));
        return VB_OK;
    } catch (...) {
        return fail(err, "(document)", "set data");
    }
}

// ==== Reader ================================================================

extern "C" vb_status vb_xapian_reader_open(const char *dir,
                                           vb_xapian_reader **out,
                                           vb_error *err)
{
    if (out)
        *out = nullptr;
    if (!dir || !out)
        return null_argument(err, __func__);
    vb_xapian_reader *reader = nullptr;
    try {
        reader = new vb_xapian_reader();
        reader->dir = dir;
        reader->db = Xapian::Database(reader->dir);
        *out = reader;
        return VB_OK;
    } catch (...) {
        vb_status status = fail(err, dir, "open for reading");
        delete reader;
        return status;
    }
}

extern "C" void vb_xapian_reader_close(vb_xapian_reader *reader)
{
    if (!reader || reader->borrowed)
        return;
    try {
        reader->db.close();
    } catch (...) {
    }
    delete reader;
}

extern "C" vb_status vb_xapian_reader_reopen(vb_xapian_reader *reader,
                                             bool *changed, vb_error *err)
{
    if (changed)
        *changed = false;
    if (!reader)
        return null_argument(err, __func__);
    try {
        // A stub file over several shards has no single revision; then
        // reopen()'s "might have changed" is the best answer there is.
        Xapian::rev before = 0;
        bool have_revision = true;
        try {
            before = reader->db.get_revision();
        } catch (const Xapian::InvalidOperationError &) {
            have_revision = false;
        }
        bool maybe = reader->db.reopen();
        if (changed)
            *changed = have_revision ? reader->db.get_revision() != before
                                     : maybe;
        return VB_OK;
    } catch (...) {
        return fail(err, reader->dir.c_str(), "reopen");
    }
}

extern "C" vb_status vb_xapian_reader_revision(vb_xapian_reader *reader,
                                               uint64_t *revision,
                                               vb_error *err)
{
    if (revision)
        *revision = 0;
    if (!reader || !revision)
        return null_argument(err, __func__);
    try {
        *revision = reader->db.get_revision();
        return VB_OK;
    } catch (...) {
        return fail(err, reader->dir.c_str(), "get revision");
    }
}

extern "C" vb_status vb_xapian_doc_count(vb_xapian_reader *reader,
                                         uint32_t *count, vb_error *err)
{
    if (count)
        *count = 0;
    if (!reader || !count)
        return null_argument(err, __func__);
    return with_retry(reader, err, "count documents", [&]() {
        *count = reader->db.get_doccount();
        return VB_OK;
    });
}

extern "C" vb_status vb_xapian_term_freq(vb_xapian_reader *reader,
                                         const char *term, size_t len,
                                         uint32_t *freq, vb_error *err)
{
    if (freq)
        *freq = 0;
    if (!reader || !term || !freq)
        return null_argument(err, __func__);
    if (len == 0)
        return VB_OK; // Xapian would count every document for ""
    return with_retry(reader, err, "term frequency", [&]() {
        *freq = reader->db.get_termfreq(std::string(term, len));
        return VB_OK;
    });
}

extern "C" vb_status vb_xapian_get_document(vb_xapian_reader *reader,
                                            const char *id_term,
                                            size_t id_term_len,
                                            uint32_t *docid, char **data,
                                            size_t *data_len, vb_error *err)
{
    if (docid)
        *docid = 0;
    if (data)
        *data = nullptr;
    if (data_len)
        *data_len = 0;
    if (!reader || !id_term)
        return null_argument(err, __func__);
    if (id_term_len == 0)
        return vb_error_set(err, VB_EINVAL, "index %s: empty id term",
                            reader->dir.c_str());
    return with_retry(reader, err, "get document", [&]() {
        std::string term(id_term, id_term_len);
        Xapian::PostingIterator posting = reader->db.postlist_begin(term);
        if (posting == reader->db.postlist_end(term))
            return vb_error_set(err, VB_ENOTFOUND,
                                "index %s: no document with id term %.*s",
                                reader->dir.c_str(),
                                static_cast<int>(id_term_len > 128
                                                     ? 128 : id_term_len),
                                id_term);
        Xapian::docid id = *posting;
        if (data) {
            vb_status status = copy_out(reader->db.get_document(id).get_data(),
                                        data, data_len, err,
                                        reader->dir.c_str());
            if (status != VB_OK)
                return status;
        }
        if (docid)
            *docid = id;
        return VB_OK;
    });
}

extern "C" vb_status vb_xapian_document_data(vb_xapian_reader *reader,
                                             uint32_t docid, char **data,
                                             size_t *len, vb_error *err)
{
    if (data)
        *data = nullptr;
    if (len)
        *len = 0;
    if (!reader || !data || docid == 0)
        return null_argument(err, __func__);
    return with_retry(reader, err, "document data", [&]() {
        return copy_out(reader->db.get_document(docid).get_data(), data, len,
                        err, reader->dir.c_str());
    });
}

extern "C" vb_status vb_xapian_get_metadata(vb_xapian_reader *reader,
                                            const char *key, size_t key_len,
                                            char **value, size_t *value_len,
                                            vb_error *err)
{
    if (value)
        *value = nullptr;
    if (value_len)
        *value_len = 0;
    if (!reader || !key || !value)
        return null_argument(err, __func__);
    if (key_len == 0)
        return vb_error_set(err, VB_EINVAL, "index %s: empty metadata key",
                            reader->dir.c_str());
    return with_retry(reader, err, "get metadata", [&]() {
        std::string stored = reader->db.get_metadata(std::string(key, key_len));
        if (stored.empty())
            return VB_OK;
        return copy_out(stored, value, value_len, err, reader->dir.c_str());
    });
}

extern "C" vb_status vb_xapian_for_each_term(vb_xapian_reader *reader,
                                             const char *prefix,
                                             size_t prefix_len,
                                             vb_xapian_term_fn fn, void *ctx,
                                             vb_error *err)
{
    if (!reader || !fn || (!prefix && prefix_len))
        return null_argument(err, __func__);
    try {
        std::string start = bytes(prefix, prefix_len);
        Xapian::TermIterator end = reader->db.allterms_end(start);
        for (Xapian::TermIterator it = reader->db.allterms_begin(start);
             it != end; ++it) {
            std::string term = *it;
            if (fn(ctx, term.data(), term.size(), it.get_termfreq()) != 0)
                break;
        }
        return VB_OK;
    } catch (...) {
        return fail(err, reader->dir.c_str(), "list terms");
    }
}

extern "C" vb_status vb_xapian_for_each_doc_term(vb_xapian_reader *reader,
                                                 uint32_t docid,
                                                 const char *prefix,
                                                 size_t prefix_len,
                                                 vb_xapian_term_fn fn,
                                                 void *ctx, vb_error *err)
{
    if (!reader || !fn || (!prefix && prefix_len))
        return null_argument(err, __func__);
    try {
        std::string start = bytes(prefix, prefix_len);
        Xapian::TermIterator end = reader->db.termlist_end(docid);
        Xapian::TermIterator it = reader->db.termlist_begin(docid);
        for (it.skip_to(start); it != end; ++it) {
            std::string term = *it;
            if (term.compare(0, start.size(), start) != 0)
                break;
            if (fn(ctx, term.data(), term.size(), it.get_termfreq()) != 0)
                break;
        }
        return VB_OK;
    } catch (const Xapian::DocNotFoundError &) {
        return vb_error_set(err, VB_ENOTFOUND, "document %u is not in %s",
                            docid, reader->dir.c_str());
    } catch (...) {
        return fail(err, reader->dir.c_str(), "list a document's terms");
    }
}

extern "C" vb_status vb_xapian_for_each_value(vb_xapian_reader *reader,
                                              uint32_t slot,
                                              vb_xapian_value_fn fn, void *ctx,
                                              vb_error *err)
{
    if (!reader || !fn || slot == Xapian::BAD_VALUENO)
        return null_argument(err, __func__);
    try {
        Xapian::ValueIterator end = reader->db.valuestream_end(slot);
        for (Xapian::ValueIterator it = reader->db.valuestream_begin(slot);
             it != end; ++it) {
            std::string value = *it;
            if (fn(ctx, it.get_docid(), value.data(), value.size()) != 0)
                break;
        }
        return VB_OK;
    } catch (...) {
        return fail(err, reader->dir.c_str(), "list values");
    }
}

// ==== Queries ===============================================================

namespace {

vb_xapian_query *make_query(Xapian::Query &&query)
{
    return new vb_xapian_query{std::move(query)};
}

vb_xapian_query *combine(Xapian::Query::op op, vb_xapian_query *const *subs,
                         size_t n, Xapian::termcount parameter)
{
    if (n && !subs)
        return nullptr;
    try {
        std::vector<Xapian::Query> parts;
        parts.reserve(n);
        for (size_t i = 0; i < n; i++) {
            if (!subs[i])
                return nullptr;
            parts.push_back(subs[i]->query);
        }
        return make_query(
            Xapian::Query(op, parts.begin(), parts.end(), parameter));
    } catch (...) {
        return nullptr;
    }
}

vb_xapian_query *combine2(Xapian::Query::op op, const vb_xapian_query *a,
                          const vb_xapian_query *b)
{
    if (!a || !b)
        return nullptr;
    try {
        return make_query(Xapian::Query(op, a->query, b->query));
    } catch (...) {
        return nullptr;
    }
}

} // namespace

extern "C" vb_xapian_query *vb_xapian_query_term(const char *term, size_t len,
                                                 uint32_t wqf, uint32_t position)
{
    // An empty term would be Xapian's MatchAll: make that explicit instead.
    if (!term || len == 0)
        return nullptr;
    try {
        return make_query(Xapian::Query(std::string(term, len), wqf, position));
    } catch (...) {
        return nullptr;
    }
}

extern "C" vb_xapian_query *vb_xapian_query_match_nothing(void)
{
    try {
        return make_query(Xapian::Query());
    } catch (...) {
        return nullptr;
    }
}

extern "C" vb_xapian_query *vb_xapian_query_and(vb_xapian_query *const *subs,
                                                size_t n)
{
    return combine(Xapian::Query::OP_AND, subs, n, 0);
}

extern "C" vb_xapian_query *vb_xapian_query_or(vb_xapian_query *const *subs,
                                               size_t n)
{
    return combine(Xapian::Query::OP_OR, subs, n, 0);
}

extern "C" vb_xapian_query *vb_xapian_query_synonym(
    vb_xapian_query *const *subs, size_t n)
{
    return combine(Xapian::Query::OP_SYNONYM, subs, n, 0);
}

extern "C" vb_xapian_query *vb_xapian_query_phrase(
    vb_xapian_query *const *subs, size_t n, uint32_t window)
{
    return combine(Xapian::Query::OP_PHRASE, subs, n, window);
}

extern "C" vb_xapian_query *vb_xapian_query_value_le(uint32_t slot,
                                                     const char *bytes,
                                                     size_t len)
{
    if (!bytes)
        return nullptr;
    try {
        return make_query(Xapian::Query(Xapian::Query::OP_VALUE_LE, slot,
                                  std::string(bytes, len)));
    } catch (...) {
        return nullptr;
    }
}

extern "C" vb_xapian_query *vb_xapian_query_and_not(const vb_xapian_query *a,
                                                    const vb_xapian_query *b)
{
    return combine2(Xapian::Query::OP_AND_NOT, a, b);
}

extern "C" vb_xapian_query *vb_xapian_query_filter(const vb_xapian_query *a,
                                                   const vb_xapian_query *b)
{
    return combine2(Xapian::Query::OP_FILTER, a, b);
}

extern "C" vb_xapian_query *vb_xapian_query_scale_weight(
    const vb_xapian_query *q, double factor)
{
    if (!q || !(factor >= 0.0)) // also rejects NaN
        return nullptr;
    try {
        return make_query(
            Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT, q->query, factor));
    } catch (...) {
        return nullptr;
    }
}

extern "C" void vb_xapian_query_free(vb_xapian_query *q)
{
    delete q;
}

// ==== Search ================================================================

extern "C" void vb_xapian_search_options_init(
    vb_xapian_search_options *options)
{
    if (!options)
        return;
    *options = vb_xapian_search_options();
    options->offset = 0;
    options->limit = 10;
    options->check_at_least = 0;
    options->collapse_slot = VB_XAPIAN_NO_SLOT;
    options->collapse_max = 1;
    options->sort_slot = VB_XAPIAN_NO_SLOT;
    options->sort_descending = false;
    options->value_slots = nullptr;
    options->value_slot_count = 0;
    options->facet_slots = nullptr;
    options->facet_slot_count = 0;
    options->without_data = false;
    options->bm25_k1 = 1.0; // Xapian::BM25Weight's defaults
    options->bm25_b = 0.5;
}

namespace {

// One run of the search; throws.  Fills a fresh `hits`.
vb_status run_search(vb_xapian_reader *reader, const vb_xapian_query *query,
                     const vb_xapian_search_options &options,
                     std::unique_ptr<vb_xapian_hits> &hits)
{
    hits.reset(new vb_xapian_hits());
    Xapian::Enquire enquire(reader->db);
    enquire.set_query(query->query);
    // k2 = 0, k3 = 1, min_normlen = 0.5: Xapian's defaults.
    enquire.set_weighting_scheme(
        Xapian::BM25Weight(options.bm25_k1, 0, 1, options.bm25_b, 0.5));
    if (options.collapse_slot != VB_XAPIAN_NO_SLOT)
        enquire.set_collapse_key(options.collapse_slot,
                                 options.collapse_max ? options.collapse_max
                                                      : 1);
    if (options.sort_slot != VB_XAPIAN_NO_SLOT)
        enquire.set_sort_by_value_then_relevance(options.sort_slot,
                                                 options.sort_descending);

    // The enquire borrows the spies; they must outlive get_mset().
    std::vector<std::unique_ptr<Xapian::ValueCountMatchSpy>> spies;
    for (size_t f = 0; f < options.facet_slot_count; f++) {
        spies.emplace_back(
            new Xapian::ValueCountMatchSpy(options.facet_slots[f]));
        enquire.add_matchspy(spies.back().get());
    }

    Xapian::MSet mset = enquire.get_mset(options.offset, options.limit,
                                         options.check_at_least);
    hits->estimated = mset.get_matches_estimated();
    hits->lower_bound = mset.get_matches_lower_bound();
    hits->value_slots.assign(options.value_slots,
                             options.value_slots + options.value_slot_count);
    hits->hits.reserve(mset.size());
    for (Xapian::MSetIterator it = mset.begin(); it != mset.end(); ++it) {
        hit h;
        h.docid = *it;
        h.weight = it.get_weight();
        h.collapse_count = it.get_collapse_count();
        Xapian::Document doc = it.get_document();
        if (!options.without_data)
            h.data = doc.get_data();
        h.values.reserve(hits->value_slots.size());
        for (uint32_t slot : hits->value_slots)
            h.values.push_back(doc.get_value(slot));
        hits->hits.push_back(std::move(h));
    }
    hits->facets.resize(spies.size());
    for (size_t f = 0; f < spies.size(); f++) {
        for (Xapian::TermIterator v = spies[f]->values_begin();
             v != spies[f]->values_end(); ++v)
            hits->facets[f].push_back(facet_entry{*v, v.get_termfreq()});
    }
    return VB_OK;
}

} // namespace

extern "C" vb_status vb_xapian_search(vb_xapian_reader *reader,
                                      const vb_xapian_query *query,
                                      const vb_xapian_search_options *options,
                                      vb_xapian_hits **out, vb_error *err)
{
    if (out)
        *out = nullptr;
    if (!reader || !query || !out)
        return null_argument(err, __func__);
    vb_xapian_search_options defaults;
    if (!options) {
        vb_xapian_search_options_init(&defaults);
        options = &defaults;
    }
    if ((options->value_slot_count && !options->value_slots) ||
        (options->facet_slot_count && !options->facet_slots))
        return null_argument(err, __func__);
    std::unique_ptr<vb_xapian_hits> hits;
    vb_status status = with_retry(reader, err, "search", [&]() {
        return run_search(reader, query, *options, hits);
    });
    if (status == VB_OK)
        *out = hits.release();
    return status;
}

extern "C" void vb_xapian_hits_free(vb_xapian_hits *hits)
{
    delete hits;
}

extern "C" size_t vb_xapian_hits_count(const vb_xapian_hits *hits)
{
    return hits ? hits->hits.size() : 0;
}

extern "C" uint32_t vb_xapian_hits_estimated(const vb_xapian_hits *hits)
{
    return hits ? hits->estimated : 0;
}

extern "C" uint32_t vb_xapian_hits_lower_bound(const vb_xapian_hits *hits)
{
    return hits ? hits->lower_bound : 0;
}

namespace {

const hit *hit_at(const vb_xapian_hits *hits, size_t i)
{
    return hits && i < hits->hits.size() ? &hits->hits[i] : nullptr;
}

} // namespace

extern "C" uint32_t vb_xapian_hit_docid(const vb_xapian_hits *hits, size_t i)
{
    const hit *h = hit_at(hits, i);
    return h ? h->docid : 0;
}

extern "C" double vb_xapian_hit_weight(const vb_xapian_hits *hits, size_t i)
{
    const hit *h = hit_at(hits, i);
    return h ? h->weight : 0.0;
}

extern "C" uint32_t vb_xapian_hit_collapse_count(const vb_xapian_hits *hits,
                                                 size_t i)
{
    const hit *h = hit_at(hits, i);
    return h ? h->collapse_count : 0;
}

extern "C" const char *vb_xapian_hit_data(const vb_xapian_hits *hits, size_t i,
                                          size_t *len)
{
    const hit *h = hit_at(hits, i);
    if (len)
        *len = h ? h->data.size() : 0;
    return h ? h->data.c_str() : nullptr;
}

extern "C" const char *vb_xapian_hit_value(const vb_xapian_hits *hits,
                                           size_t i, uint32_t slot,
                                           size_t *len)
{
    if (len)
        *len = 0;
    const hit *h = hit_at(hits, i);
    if (!h)
        return nullptr;
    for (size_t k = 0; k < hits->value_slots.size(); k++) {
        if (hits->value_slots[k] == slot) {
            if (len)
                *len = h->values[k].size();
            return h->values[k].c_str();
        }
    }
    return nullptr;
}

extern "C" size_t vb_xapian_hits_facet_size(const vb_xapian_hits *hits,
                                            size_t f)
{
    return hits && f < hits->facets.size() ? hits->facets[f].size() : 0;
}

extern "C" const char *vb_xapian_hits_facet_value(const vb_xapian_hits *hits,
                                                  size_t f, size_t j,
                                                  size_t *len, uint32_t *count)
{
    if (len)
        *len = 0;
    if (count)
        *count = 0;
    if (!hits || f >= hits->facets.size() || j >= hits->facets[f].size())
        return nullptr;
    const facet_entry &entry = hits->facets[f][j];
    if (len)
        *len = entry.value.size();
    if (count)
        *count = entry.count;
    return entry.value.c_str();
}
