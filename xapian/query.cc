// query.cc — query nodes: each constructor copies the subqueries it is
// given, so the caller frees every node it made.
#include "bridge.h"

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
                                                 uint32_t wqf,
                                                 uint32_t position)
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

extern "C" vb_xapian_query *
vb_xapian_query_synonym(vb_xapian_query *const *subs, size_t n)
{
    return combine(Xapian::Query::OP_SYNONYM, subs, n, 0);
}

extern "C" vb_xapian_query *vb_xapian_query_phrase(vb_xapian_query *const *subs,
                                                   size_t n, uint32_t window)
{
    return combine(Xapian::Query::OP_PHRASE, subs, n, window);
}

extern "C" vb_xapian_query *
vb_xapian_query_value_le(uint32_t slot, const char *bytes, size_t len)
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

extern "C" vb_xapian_query *
vb_xapian_query_scale_weight(const vb_xapian_query *q, double factor)
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
