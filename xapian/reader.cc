// reader.cc — reading an index: revisions, counts, stored documents,
// metadata, terms and values.
#include "bridge.h"

#include <cstdlib>
#include <cstring>
#include <memory>
#include <new>
#include <string>
#include <utility>
#include <vector>

using namespace vbx;

extern "C" vb_status
vb_xapian_reader_open(const char *dir, vb_xapian_reader **out, vb_error *err)
{
    return vb_xapian_reader_open_shards(dir, VB_XAPIAN_SHARD_TIMEOUT_MS, out,
                                        err);
}

extern "C" vb_status vb_xapian_reader_open_shards(const char *dir,
                                                  unsigned shard_timeout_ms,
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
        reader->shard_timeout_ms = shard_timeout_ms;
        if (is_stub_file(reader->dir))
            open_shards(reader);
        else
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
        if (!reader->shards.empty()) {
            bool moved = refresh_shards(reader);
            if (changed)
                *changed = moved;
            return VB_OK;
        }
        Xapian::rev before = reader->db.get_revision();
        try {
            reader->db.reopen();
        } catch (const Xapian::DatabaseOpeningError &) {
            // A replica copied anew by xapian-replicate lives in another
            // directory now, which its stub names: open that.
            if (reader->borrowed)
                throw;
            reader->db = Xapian::Database(reader->dir);
        }
        if (changed)
            *changed = reader->db.get_revision() != before;
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
        *revision = reader->shards.empty() ? reader->db.get_revision()
                                           : reader->generation;
        return VB_OK;
    } catch (...) {
        return fail(err, reader->dir.c_str(), "get revision");
    }
}

extern "C" bool vb_xapian_reader_remote(const vb_xapian_reader *reader)
{
    return reader && reader->remote;
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

extern "C" vb_status vb_xapian_last_docid(vb_xapian_reader *reader,
                                          uint32_t *docid, vb_error *err)
{
    if (docid)
        *docid = 0;
    if (!reader || !docid)
        return null_argument(err, __func__);
    return with_retry(reader, err, "find the last document id", [&]() {
        *docid = reader->db.get_lastdocid();
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
        *freq = term_freq(reader, std::string(term, len));
        return VB_OK;
    });
}

extern "C" vb_status vb_xapian_value_freq(vb_xapian_reader *reader,
                                          uint32_t slot, uint32_t *freq,
                                          vb_error *err)
{
    if (freq)
        *freq = 0;
    if (!reader || !freq)
        return null_argument(err, __func__);
    return with_retry(reader, err, "value frequency", [&]() {
        *freq = reader->db.get_value_freq(slot);
        return VB_OK;
    });
}

extern "C" vb_status vb_xapian_get_document(vb_xapian_reader *reader,
                                            const char *id_term,
                                            size_t id_term_len, uint32_t *docid,
                                            char **data, size_t *data_len,
                                            vb_error *err)
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
            return vb_error_set(
                err, VB_ENOTFOUND, "index %s: no document with id term %.*s",
                reader->dir.c_str(),
                static_cast<int>(id_term_len > 128 ? 128 : id_term_len),
                id_term);
        Xapian::docid id = *posting;
        if (data) {
            vb_status status = copy_out(document(reader, id).get_data(), data,
                                        data_len, err, reader->dir.c_str());
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
        return copy_out(document(reader, docid).get_data(), data, len, err,
                        reader->dir.c_str());
    });
}

extern "C" vb_status vb_xapian_document_value(vb_xapian_reader *reader,
                                              uint32_t docid, uint32_t slot,
                                              char **value, size_t *len,
                                              vb_error *err)
{
    if (value)
        *value = nullptr;
    if (len)
        *len = 0;
    if (!reader || !value || docid == 0)
        return null_argument(err, __func__);
    return with_retry(reader, err, "document value", [&]() {
        std::string v = document(reader, docid).get_value(slot);
        if (v.empty())
            return VB_OK;
        return copy_out(v, value, len, err, reader->dir.c_str());
    });
}

extern "C" vb_status vb_xapian_document_positions(
    vb_xapian_reader *reader, uint32_t docid, const char *term, size_t term_len,
    uint32_t *positions, size_t max, size_t *count, vb_error *err)
{
    if (count)
        *count = 0;
    if (!reader || !term || !count || (max && !positions) || docid == 0)
        return null_argument(err, __func__);
    return with_retry(reader, err, "positions", [&]() {
        std::string t(term, term_len);
        size_t n = 0;
        for (Xapian::PositionIterator it =
                 reader->db.positionlist_begin(docid, t);
             it != reader->db.positionlist_end(docid, t); ++it, ++n)
            if (n < max)
                positions[n] = *it;
        *count = n;
        return VB_OK;
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
        // Every shard holds the same schema; Xapian asks only the first,
        // which may be a down shard's empty stand-in.
        std::string k(key, key_len), stored;
        for (const shard &s : reader->shards)
            if (s.up && stored.empty())
                stored = s.db.get_metadata(k);
        if (reader->shards.empty())
            stored = reader->db.get_metadata(k);
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

extern "C" vb_status
vb_xapian_for_each_doc_term(vb_xapian_reader *reader, uint32_t docid,
                            const char *prefix, size_t prefix_len,
                            vb_xapian_term_fn fn, void *ctx, vb_error *err)
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
