/* vb_schema.h — what a document becomes in the index, and back.
 *
 * The one place that knows the index layout: which terms (with which
 * prefixes, positions and weights), which value slots and which stored
 * data a corpus document turns into.  The indexer writes through it,
 * searchd reads through it; both use the constants below rather than
 * spelling prefixes themselves.
 *
 * Layout of one document:
 *   - text terms (no prefix — VB_SCHEMA_PREFIX_HISTORY for customer
 *     history — lower case, as the analysis chain makes them),
 *     whole-word terms with positions (phrases match on them; parts,
 *     variants and joins have none; customer history has none at all, see
 *     vb_schema_build): the title first, weighted VB_SCHEMA_TITLE_WDF per
 *     occurrence, then tags and product codes (VB_SCHEMA_TAGS_WDF), then
 *     the body (1) from VB_SCHEMA_BODY_POSITION; a gap of at least
 *     VB_SCHEMA_POSITION_GAP positions between the three so that a phrase
 *     never spans two of them;
 *   - pair terms (articles only): for each two content words that follow
 *     each other in a field, function words between them skipped, the
 *     pair of their whole-word terms (vb_schema_pair_term), with the
 *     field's within-document frequency and no positions: search scores
 *     two query words found together with one posting list, where a
 *     phrase query would read both words' positions in every candidate.
 *     The body's first VB_SCHEMA_BODY_PAIRS pairs only: where a text
 *     says what it is about (see the constant);
 *   - subject terms: every text term of an article's title, tags and
 *     product codes again, prefixed VB_SCHEMA_PREFIX_SUBJECT, with a
 *     within-document frequency of 1 per occurrence (none for customer
 *     history): a second field, with its own statistics, that search
 *     scores beside the text (a word rare in titles weighs more there);
 *   - vocabulary terms, boolean: VB_SCHEMA_PREFIX_WORD + lang + the word as
 *     typed but folded (vb_token.word), e.g. "Wnlfacturen", for every
 *     word that is not a stopword or a number, from every document except
 *     customer history (a completion or "did you mean" must never reveal
 *     a word from someone's events); a tenant's documents write theirs
 *     under VB_SCHEMA_PREFIX_TENANT_WORD + tenant + ":" instead.  Their term
 *     frequency is the number of documents in that language holding the
 *     word: the per-language vocabulary, with frequencies, from which
 *     search completes prefixes and corrects typos.  Exact under
 *     deletions, unlike Xapian's spelling table;
 *   - filter terms, boolean: id, type, customer, channel, products, tags,
 *     translation group, tenant (VB_SCHEMA_TENANT_SHARED when none); and
 *     the lang term, which has a within-document
 *     frequency of 1 so that a query can boost the preferred language;
 *   - every within-document frequency above, normalised for the
 *     document's length when it is built (Document length, below);
 *   - values: type, lang, collapse key, sortable dates, sync record, id,
 *     tenant;
 *   - stored data: a compact binary record (see schema.c) with every
 *     Contract 1 field, the body as written and, when it differs, its plain
 *     text (for snippets), so a hit is shown without another lookup.
 *
 * Thread safety: the functions keep no state; the analyzer, writer and
 * reader passed in belong to the calling thread. */
#ifndef VB_SCHEMA_H
#define VB_SCHEMA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "vb_analysis.h"
#include "vb_document.h"
#include "vb_error.h"
#include "vb_xapian.h"

/* Bumped whenever the layout changes; an index with another version is
 * refused by vb_schema_check and rebuilt by the indexer's --full. */
#define VB_SCHEMA_VERSION "13"
#define VB_SCHEMA_METADATA_VERSION "vraagbaak.schema"
/* Customers whose history was erased (AVG art. 17), one
 * "CUSTOMER YYYY-MM-DD\n" line each: the indexer does not index their
 * events dated up to that day again. */
#define VB_SCHEMA_METADATA_ERASED "vraagbaak.erased"

/* The document type of customer history: only ever shown for its own
 * customer, no positions, no vocabulary terms. */
#define VB_SCHEMA_TYPE_HISTORY "history"

/* ---- Term prefixes (Xapian convention: upper case, text is lower) ----- */

#define VB_SCHEMA_PREFIX_ID "Q"        /* unique id */
#define VB_SCHEMA_PREFIX_TYPE "XT"     /* product, procedure, history, … */
#define VB_SCHEMA_PREFIX_LANG "L"      /* nl, fr, en */
#define VB_SCHEMA_PREFIX_CUSTOMER "XC" /* history: customer id as written */
#define VB_SCHEMA_PREFIX_CHANNEL "XH"  /* history: phone, email, … */
#define VB_SCHEMA_PREFIX_PRODUCT "XP"  /* product code, upper case */
#define VB_SCHEMA_PREFIX_TAG "K"       /* tag, ASCII letters lower-cased */
#define VB_SCHEMA_PREFIX_GROUP "G"     /* translation group */
#define VB_SCHEMA_PREFIX_WORD "W"      /* + lang + folded word */
/* A tenant's documents (Contract 1 `tenant`): the filter term "XN" +
 * tenant, "XN_" for the shared ones (a tenant name has no '_'); their
 * vocabulary terms "XW" + tenant + ":" + lang + word, so that a word of
 * one client's articles is never completed or offered to another. */
#define VB_SCHEMA_PREFIX_TENANT "XN"
#define VB_SCHEMA_TENANT_SHARED "_"
#define VB_SCHEMA_PREFIX_TENANT_WORD "XW"
/* Customer history's text terms carry this prefix: a knowledge search
 * never walks the postings of a million events, and a history search
 * (always for one customer) never matches an article's terms. */
#define VB_SCHEMA_PREFIX_HISTORY "H"
/* Every text term of an article's subject fields (title, tags, product
 * codes) again under this prefix, one per occurrence: the subject field
 * that ranking scores beside the text (search/rank.c). */
#define VB_SCHEMA_PREFIX_SUBJECT "S"
/* Two neighbouring content words' whole-word terms, space between. */
#define VB_SCHEMA_PREFIX_PAIR "P"

/* ---- Weights and positions ------------------------------------------- */

/* A title occurrence weighs this many body occurrences in the text field
 * (tuned with search/rank.c's model on the judged suites). */
#define VB_SCHEMA_TITLE_WDF 12
#define VB_SCHEMA_TAGS_WDF 2
#define VB_SCHEMA_POSITION_GAP 100
/* The body's first position, whatever the title, tags and codes hold
 * (after them when they reach it): an edit of the title or a tag leaves
 * the body's positions as they were, so a sync of it rewrites a handful
 * of position lists, not every word's (a long article has about 500).
 * Below 16,384, so a body position stays a two-byte number in the
 * position list of a text of up to 12,000 words. */
#define VB_SCHEMA_BODY_POSITION 4096
/* Pair terms of a body: its first this many.  Measured on the judged
 * suites (bench/relevance.sh, MRR@10 against every pair): 200 kept
 * Cranfield (0.589 against 0.590) and stackfaq (0.852 against 0.850) and
 * raised the long French fiches from 0.884 to 0.890, where neighbours
 * deep in a long text made it win on length; 100 or 150 lost Cranfield
 * 0.6 to 1.1 points.  A long article's pairs were two fifths of its
 * terms and a tenth of the time to index it. */
#define VB_SCHEMA_BODY_PAIRS 200

/* ---- Document length ------------------------------------------------- */

/* BM25's length normalisation is done here, once, when a document is
 * built, not by Xapian for every posting it scores: fetching each
 * candidate's length was a third of the matcher's instructions at
 * 100,000 documents, a sixth to a quarter on the judged suites.  Every
 * term's within-document frequency (wdf) is stored as
 *     round(VB_SCHEMA_WDF_SCALE * wdf / K),  at least 1, where
 *     K = 1 - b + b * max(length / reference, VB_SCHEMA_LENGTH_MIN),
 * b = VB_SCHEMA_LENGTH_B, `length` = vb_schema_length(doc) and
 * `reference` the index's (vb_schema_reference).  Search then scores BM25
 * without length normalisation and with k1 scaled alike
 * (vb_schema_weighting): the same ranking as BM25 with b on the raw
 * frequencies, every score multiplied by one constant.  Xapian's own
 * document lengths (sums of these frequencies) play no part. */
#define VB_SCHEMA_WDF_SCALE 128
#define VB_SCHEMA_LENGTH_B 0.75
#define VB_SCHEMA_LENGTH_MIN 0.5
/* The reference length is the mean length of the first this many
 * documents a new index is built from (of all of them in a smaller
 * build; the indexer may take fewer when their text is very large),
 * fixed then and kept in the index's metadata, so that every
 * later document, from a rerun or an HTTP write, is normalised alike
 * (vraagbaak-indexer --full fixes it again). */
#define VB_SCHEMA_LENGTH_SAMPLE 4096
#define VB_SCHEMA_METADATA_LENGTH "vraagbaak.length"

/* The length of `doc` for BM25: its words (runs of letters and digits), a
 * title word counting VB_SCHEMA_TITLE_WDF times and a word of a tag or
 * product code VB_SCHEMA_TAGS_WDF times, as they count in the text field.
 * No analysis: the indexer measures documents before building them. */
double vb_schema_length(const struct vb_document *doc);

/* The reference length of `count` documents whose lengths sum to
 * `total`: their mean, at least 1 (documents without a word, or none). */
double vb_schema_mean_length(double total, size_t count);

/* The index's reference length in *length, 0 when it has none (a new or
 * empty index). */
enum vb_status vb_schema_reference(struct vb_xapian_reader *reader,
                                   double *length, struct vb_error *err);

/* Search options for BM25 with saturation k1 on an index whose lengths
 * are normalised as above. */
void vb_schema_weighting(double k1, struct vb_xapian_search_options *options);
/* The constant those options multiply every BM25 score by, against BM25
 * with b on the raw frequencies: (k1 * VB_SCHEMA_WDF_SCALE + 1) /
 * (k1 + 1).  Scores divided by it are on BM25's own scale. */
double vb_schema_weight_unit(double k1);

/* Words shorter or longer than this (bytes) get no vocabulary term. */
#define VB_SCHEMA_WORD_MIN 2
#define VB_SCHEMA_WORD_MAX 64

/* ---- Value slots ------------------------------------------------------ */

enum vb_schema_slot {
    VB_SCHEMA_SLOT_TYPE = 0,
    VB_SCHEMA_SLOT_LANG = 1,
    /* The translation group (no value for a document without one): one
     * hit per distinct value when search collapses translations.  A
     * tenant's group is "tenant/group": groups of two clients never
     * collapse into one. */
    VB_SCHEMA_SLOT_COLLAPSE = 2,
    /* Sortable forms of `updated` and `date`: "YYYY-MM-DD" for a date,
     * "YYYY-MM-DDThh:mm:ssZ" (UTC) for a date-time. */
    VB_SCHEMA_SLOT_UPDATED = 3,
    VB_SCHEMA_SLOT_DATE = 4,
    /* The sync record (see vb_schema_sync_record). */
    VB_SCHEMA_SLOT_SYNC = 5,
    /* The id, so that a hit's id and language are known without decoding
     * its stored data (translations of a group). */
    VB_SCHEMA_SLOT_ID = 6,
    /* Sortable `review_by` and `valid_until` (as SLOT_UPDATED): search
     * leaves out articles whose valid_until has passed; the editors'
     * review list reads the first. */
    VB_SCHEMA_SLOT_REVIEW_BY = 7,
    VB_SCHEMA_SLOT_VALID_UNTIL = 8,
    /* The tenant, "" for a shared document. */
    VB_SCHEMA_SLOT_TENANT = 9
};

/* ---- Writing ---------------------------------------------------------- */

/* Marks a new or empty index with this schema version and, when it is
 * not 0, the reference length its documents were built with (part of the
 * writer's current batch). */
enum vb_status vb_schema_init(struct vb_xapian_writer *writer, double reference,
                              struct vb_error *err);

/* Checks that the index `reader` sees was written with this schema
 * version; an empty index without a version passes.  Otherwise VB_EINVAL
 * "index DIR has schema version X, this program writes Y; rebuild it with
 * vraagbaak-indexer --full". */
enum vb_status vb_schema_check(struct vb_xapian_reader *reader,
                               struct vb_error *err);

/* Builds the index form of `doc` in language `lang` (the declared one, or
 * the detected one for a document without; not VB_LANG_UNKNOWN) into a
 * new Xapian document in *out (free with vb_xapian_doc_free), its length
 * normalised against `reference` (above; > 0).  `hash` is
 * vb_document_content_hash(doc), kept in the sync record with
 * `fingerprint` (see vb_schema_sync_record; 0 for none).  Pure
 * computation: no index is touched, so documents may be built in one
 * thread and stored in another.  Errors: VB_ENOMEM, VB_EINVAL (lang
 * unknown), VB_EUTF8 (cannot happen for a validated document). */
enum vb_status vb_schema_build(struct vb_analyzer *analyzer,
                               const struct vb_document *doc, enum vb_lang lang,
                               uint64_t hash, uint64_t fingerprint,
                               double reference, struct vb_xapian_doc **out,
                               struct vb_error *err);

/* For vb_schema_put and vb_schema_delete: look the document up by id. */
#define VB_SCHEMA_DOCID_UNKNOWN UINT32_MAX

/* Stores a built document under `id`, replacing the one with that id.
 * `docid` is what the caller knows of it: the Xapian id of the document
 * holding `id` (from a sync record), 0 when `id` is known to be new (the
 * fast path for bulk indexing), or VB_SCHEMA_DOCID_UNKNOWN. */
enum vb_status vb_schema_put(struct vb_xapian_writer *writer, const char *id,
                             uint32_t docid, struct vb_xapian_doc *built,
                             struct vb_error *err);

/* Deletes document `id` (`docid` as for vb_schema_put, never 0);
 * `*deleted` (may be NULL) says whether it existed. */
enum vb_status vb_schema_delete(struct vb_xapian_writer *writer,
                                const char *id, uint32_t docid, bool *deleted,
                                struct vb_error *err);

/* ---- Sync records ----------------------------------------------------- */

/* What the indexer needs to know of every indexed document to synchronise
 * a directory: its id, content hash and where it came from.  Borrowed
 * strings (valid during the callback only, when read). */
struct vb_schema_sync_record {
    uint32_t docid;
    const char *id;
    size_t id_len;
    uint64_t hash;
    /* The indexer's fingerprint of the bytes it was read from, so that a
     * record read again is known without parsing it; 0: none (written over
     * HTTP, or by a version before fingerprints). */
    uint64_t fingerprint;
    const char *source_path; /* as the indexer was given it, made absolute */
    size_t source_path_len;
    unsigned source_line;
};

typedef int (*vb_schema_sync_fn)(void *ctx,
                                 const struct vb_schema_sync_record *record);

/* Calls `fn` for every indexed document (in docid order; return non-zero to
 * stop).  A record that does not parse is VB_ECORRUPT naming the docid. */
enum vb_status vb_schema_for_each_sync_record(struct vb_xapian_reader *reader,
                                              vb_schema_sync_fn fn, void *ctx,
                                              struct vb_error *err);

/* Rewrites the sync record of document rec->docid from `rec` (every
 * field but docid), leaving its terms, other values and stored data as
 * they are: for an unchanged document that moved to another line or file,
 * or was read from other bytes.  A docid not in the index: VB_ENOTFOUND. */
enum vb_status vb_schema_restamp(struct vb_xapian_writer *writer,
                                 const struct vb_schema_sync_record *rec,
                                 struct vb_error *err);

/* ---- Reading ---------------------------------------------------------- */

/* Decodes stored data (as vb_xapian_hit_data or vb_xapian_get_document
 * return it) back into a document: every field, body_source, body_text
 * and body_format (source_path is "" and source_line 0: the sync record
 * holds them); `lang` is the indexed language (detected ones included).  *out is owned by the caller
 * (vb_document_free).  Data this module did not write: VB_ECORRUPT. */
enum vb_status vb_schema_decode(const char *data, size_t len,
                                struct vb_document **out,
                                struct vb_error *err);

/* Where a hit's snippet is looked for: the words of the first
 * VB_SCHEMA_SPAN_BYTES of a document's plain text (cut on a character
 * boundary), at most VB_SCHEMA_SPANS_MAX, as vb_scan_token finds them.
 * The record keeps them, so that search does not tokenise the text of a
 * document it has not seen yet (a sixth of a long question's work). */
#define VB_SCHEMA_SPAN_BYTES 4096
#define VB_SCHEMA_SPANS_MAX 4096

struct vb_schema_spans {
    uint32_t (*at)[2]; /* [start, end) in the text; malloc'd, NULL if none */
    size_t count;
    size_t scanned_bytes; /* the text's first bytes they lie in */
    bool kept;            /* the record held them (records of schema 11
                             written before they were do not) */
};

/* The spans of `text`; false when out of memory (*out then empty). */
bool vb_schema_spans_make(const char *text, struct vb_schema_spans *out);

/* vb_schema_decode, and the spans the record keeps into *spans (owned by
 * the caller: free(spans->at)); spans->kept false when it keeps none. */
enum vb_status vb_schema_decode_spans(const char *data, size_t len,
                                      struct vb_document **out,
                                      struct vb_schema_spans *spans,
                                      struct vb_error *err);

/* The term `prefix` + value[0..len) (a VB_SCHEMA_PREFIX_* and a text
 * term, type, customer id, group, or "W" + a language code) into buf,
 * NUL-terminated: the one way both the indexer and search spell a
 * prefixed term.  Returns its length, 0 when it does not fit in `size`
 * (VB_SCHEMA_TERM_BUF always fits what the contract allows). */
#define VB_SCHEMA_TERM_BUF 256
/* A document's translation group as search collapses it: "tenant/group"
 * for a tenant's document, the group for a shared one; its length, 0
 * without a group (or when it does not fit). */
#define VB_SCHEMA_GROUP_KEY_MAX (VB_DOC_TENANT_MAX + 1 + VB_DOC_ID_MAX)
size_t vb_schema_group_key(const struct vb_document *doc, char *buf,
                           size_t size);

/* The filter term of `tenant` ("" for the shared documents) into buf;
 * its length, 0 when it does not fit. */
size_t vb_schema_tenant_term(const char *tenant, char *buf, size_t size);

/* The prefix of the vocabulary terms in `lang_code` of `tenant` ("": the
 * shared documents') into buf; its length, 0 when it does not fit. */
size_t vb_schema_word_prefix(const char *tenant, const char *lang_code,
                             char *buf, size_t size);

size_t vb_schema_term(const char *prefix, const char *value, size_t len,
                      char *buf, size_t size);

/* The pair term of whole-word terms a then b into buf, NUL-terminated;
 * its length, 0 when it does not fit in `size`. */
size_t vb_schema_pair_term(const char *a, size_t a_len, const char *b,
                           size_t b_len, char *buf, size_t size);

/* Writes the id term of `id` into buf (NUL-terminated); returns its length,
 * or 0 when it does not fit (an id longer than the contract allows). */
size_t vb_schema_id_term(const char *id, char *buf, size_t size);

/* The sortable form of an ISO 8601 date or date-time as the document
 * module accepts them (see VB_SCHEMA_SLOT_UPDATED) into buf (>= 21
 * bytes).  Returns its length, 0 for "" or a string that is not such a
 * date. */
size_t vb_schema_sortable_date(const char *iso, char *buf, size_t size);

#endif
