// writer.cc — the writer: one transaction per revision, committed at
// once, and the documents it stores.
#include "bridge.h"

#include <cmath>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <new>
#include <string>
#include <utility>
#include <vector>

#include <sys/stat.h>

using namespace vbx;

extern "C" vb_status vb_xapian_writer_open(const char *dir, bool create,
                                           vb_xapian_writer **out,
                                           vb_error *err)
{
    if (out)
        *out = nullptr;
    if (!dir || !out)
        return null_argument(err, __func__);
    if (is_stub_file(dir))
        return vb_error_set(err, VB_EINVAL,
                            "index %s is a stub file of shards, which is "
                            "read only: write to each shard's own index",
                            dir);
    // A replica: what is written here would be overwritten (or break the
    // next change that arrives from the master).
    if (is_stub_file(std::string(dir) + "/XAPIANDB"))
        return vb_error_set(err, VB_EINVAL,
                            "index %s is a replica, which is read only: "
                            "write to the index it copies",
                            dir);
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
                                             uint32_t docid, vb_xapian_doc *doc,
                                             vb_error *err)
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

extern "C" vb_status vb_xapian_set_document_value(vb_xapian_writer *writer,
                                                  uint32_t docid, uint32_t slot,
                                                  const char *value, size_t len,
                                                  vb_error *err)
{
    if (!writer || !value || docid == 0)
        return null_argument(err, __func__);
    try {
        ensure_transaction(writer);
        /* The document as read from this database: Xapian sees that only
         * its values changed and leaves the postings alone. */
        Xapian::Document doc = writer->db.get_document(docid);
        doc.add_value(slot, std::string(value, len));
        writer->db.replace_document(docid, doc);
        return VB_OK;
    } catch (...) {
        return fail(err, writer->dir.c_str(), "set a document's value");
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

namespace
{

vb_status check_term(const char *function, vb_xapian_doc *doc, const char *term,
                     size_t len, vb_error *err)
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

extern "C" vb_status vb_xapian_doc_scale_wdf(vb_xapian_doc *doc, double factor,
                                             vb_error *err)
{
    if (!doc)
        return null_argument(err, __func__);
    if (!(factor > 0))
        return vb_error_set(err, VB_EINVAL, "%s: factor %g", __func__, factor);
    try {
        Xapian::Document &d = doc->doc;
        // Collected first: the term list must not change under its iterator.
        std::vector<std::pair<std::string, Xapian::termcount>> terms;
        for (auto t = d.termlist_begin(); t != d.termlist_end(); ++t)
            if (t.get_wdf() > 0)
                terms.emplace_back(*t, t.get_wdf());
        for (const auto &[term, wdf] : terms) {
            double scaled = std::round(wdf * factor);
            auto target =
                static_cast<Xapian::termcount>(scaled < 1     ? 1
                                               : scaled > 4e9 ? 4e9
                                                              : scaled);
            if (target > wdf) {
                d.add_term(term, target - wdf);
                continue;
            }
            if (target == wdf)
                continue;
            // Lower: a position's posting takes the difference away and
            // comes back without any; a term without positions anew.
            auto t = d.termlist_begin();
            t.skip_to(term);
            if (t.positionlist_count() > 0) {
                Xapian::termpos pos = *t.positionlist_begin();
                d.remove_posting(term, pos, wdf - target);
                d.add_posting(term, pos, 0);
            } else {
                d.remove_term(term);
                d.add_term(term, target);
            }
        }
        return VB_OK;
    } catch (...) {
        return fail(err, "(document)", "scale within-document frequencies");
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

extern "C" vb_status vb_xapian_compact(const char *const *sources, size_t n,
                                       const char *output, vb_error *err)
{
    if (!sources || n == 0 || !output)
        return null_argument(err, __func__);
    // Xapian would write over an index there.
    struct stat st;
    if (lstat(output, &st) == 0)
        return vb_error_set(err, VB_EINVAL, "index %s: compact: it exists",
                            output);
    std::string failed_at = output;
    try {
        Xapian::Database all;
        for (size_t i = 0; i < n; i++) {
            failed_at = sources[i];
            all.add_database(Xapian::Database(sources[i]));
        }
        failed_at = output;
        all.compact(output);
        return VB_OK;
    } catch (...) {
        return fail(err, failed_at.c_str(), "compact");
    }
}
