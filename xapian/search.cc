// search.cc — running a query: one Enquire per call, the hits copied out
// (documents' data, values, facets) so nothing refers to Xapian after.
#include "bridge.h"

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <new>
#include <string>
#include <utility>
#include <vector>

using namespace vbx;

namespace
{

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

extern "C" void vb_xapian_search_options_init(vb_xapian_search_options *options)
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
    options->min_weight = 0;
    options->bm25_k1 = 1.0; // Xapian::BM25Weight's defaults
    options->bm25_b = 0.5;
}

namespace
{

// The hits' values, slot by slot: one value stream walked in docid order.
// A document's get_value() looks its slot's chunk up from the top of the
// table, a new cursor each time (10,000 instructions per value at 100,000
// documents); skip_to() on one stream moves forward from where it is.
void read_values(const Xapian::Database &db, vb_xapian_hits &hits)
{
    std::vector<size_t> order(hits.hits.size());
    for (size_t i = 0; i < order.size(); i++)
        order[i] = i;
    std::sort(order.begin(), order.end(), [&hits](size_t a, size_t b) {
        return hits.hits[a].docid < hits.hits[b].docid;
    });
    for (hit &h : hits.hits)
        h.values.resize(hits.value_slots.size());
    for (size_t k = 0; k < hits.value_slots.size(); k++) {
        Xapian::ValueIterator v = db.valuestream_begin(hits.value_slots[k]);
        for (size_t i : order) {
            hit &h = hits.hits[i];
            v.skip_to(h.docid);
            if (v == db.valuestream_end(hits.value_slots[k]))
                break;
            if (v.get_docid() == h.docid)
                h.values[k] = *v;
        }
    }
}

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
    if (options.min_weight > 0)
        enquire.set_cutoff(0, options.min_weight);
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

    Xapian::MSet mset =
        enquire.get_mset(options.offset, options.limit, options.check_at_least);
    hits->estimated = mset.get_matches_estimated();
    hits->lower_bound = mset.get_matches_lower_bound();
    hits->value_slots.assign(options.value_slots,
                             options.value_slots + options.value_slot_count);
    hits->hits.reserve(mset.size());
    // Over remote shards, documents not fetched yet at this revision come
    // in one exchange per shard; every one then asked for must be read
    // (each answer waits in its connection), so all are taken from it.
    bool fetched = false;
    for (Xapian::MSetIterator it = mset.begin();
         reader->remote && !fetched && it != mset.end(); ++it)
        fetched = !has_document(reader, *it);
    if (fetched)
        mset.fetch();
    for (Xapian::MSetIterator it = mset.begin(); it != mset.end(); ++it) {
        hit h;
        h.docid = *it;
        h.weight = it.get_weight();
        h.collapse_count = it.get_collapse_count();
        if (reader->remote) {
            Xapian::Document doc =
                fetched ? remember(reader, *it, it.get_document())
                        : document(reader, *it);
            if (!options.without_data)
                h.data = doc.get_data();
            h.values.reserve(hits->value_slots.size());
            for (uint32_t slot : hits->value_slots)
                h.values.push_back(doc.get_value(slot));
        } else if (!options.without_data) {
            h.data = it.get_document().get_data();
        }
        hits->hits.push_back(std::move(h));
    }
    if (!reader->remote)
        read_values(reader->db, *hits);
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

namespace
{

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

extern "C" const char *vb_xapian_hit_value(const vb_xapian_hits *hits, size_t i,
                                           uint32_t slot, size_t *len)
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
