// bridge.h — private to xapian/: the handles behind vb_xapian.h's opaque
// types and what every file of the bridge shares (turning the exception
// in flight into a vb_status, copies out, the retry after a reader's
// revision was overwritten, or a remote shard failed).  Files: bridge.cc
// (these helpers), writer.cc (the writer and documents), reader.cc,
// shards.cc (an index over several shards), query.cc, search.cc.
#ifndef VB_XAPIAN_BRIDGE_H
#define VB_XAPIAN_BRIDGE_H

#include "vb_xapian.h"

#include <xapian.h>

#include <chrono>
#include <string>
#include <unordered_map>
#include <vector>

namespace vbx
{

// One line of a stub file (shards.cc): a local index or a remote one.
struct shard {
    std::string name; // as the stub names it, for messages and answers
    std::string path; // a local index; else remote:
    std::string host, program, args;
    unsigned port = 0;
    Xapian::Database db; // empty while down
    bool up = false;
    unsigned failures = 0; // in a row: the wait before the next try grows
    std::chrono::steady_clock::time_point retry_at;
    bool remote() const
    {
        return path.empty();
    }
};

} // namespace vbx

struct vb_xapian_reader {
    Xapian::Database db;
    std::string dir;       // for messages
    bool borrowed = false; // the view inside a writer: not freed by close
    // A stub file's shards, each opened on its own; db combines them.
    // Empty for an index directory (or a replica's), which Xapian opens.
    std::vector<vbx::shard> shards;
    unsigned shard_timeout_ms = VB_XAPIAN_SHARD_TIMEOUT_MS;
    uint64_t generation = 1; // with shards: the revision (see reader.cc)
    // With a remote shard: the documents and term frequencies read at
    // this generation, each of which cost a round trip (shards.cc).
    bool remote = false;
    uint64_t cached_generation = 0;
    std::unordered_map<Xapian::docid, Xapian::Document> documents;
    std::unordered_map<std::string, Xapian::doccount> term_freqs;
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

// shards.cc.  Whether `dir` names a file (a stub), not a directory.
bool is_stub_file(const std::string &dir);
// Reads the stub reader->dir and opens its shards; a remote one that does
// not answer is down.  Throws on a bad line (naming it) or a local shard
// that cannot be opened.
void open_shards(vb_xapian_reader *reader);
// Makes reader->db of the shards that are up and empty stand-ins.
void combine(vb_xapian_reader *reader);
// After a network error: connects every remote shard anew (those that do
// not answer are down).  False when the reader has no remote shard.
bool reconnect_shards(vb_xapian_reader *reader);
// Moves every shard to its latest revision and tries the down ones whose
// wait is over; whether anything changed.
bool refresh_shards(vb_xapian_reader *reader);
// Document `id` and the frequency of `term`: from Xapian, or with a remote
// shard from what this generation of the reader has already fetched.
Xapian::Document document(vb_xapian_reader *reader, Xapian::docid id);
Xapian::doccount term_freq(vb_xapian_reader *reader, const std::string &term);
// Whether document `id` is kept; keeps `doc` as document `id` (a no-op
// without a remote shard) and returns it.
bool has_document(const vb_xapian_reader *reader, Xapian::docid id);
Xapian::Document remember(vb_xapian_reader *reader, Xapian::docid id,
                          const Xapian::Document &doc);

// Runs `f` (which returns a vb_status); if the reader's revision was
// overwritten under it, or a remote shard failed, reopens the reader (or
// its shards) and runs `f` once more.  `f`
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
        } catch (const Xapian::NetworkError &) {
            // A remote shard failed (down, or past its timeout): once
            // more without the shards that do not answer.
            if (!reconnect_shards(reader))
                throw;
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
