/* names.c — the one rule for each kind of name in Contract 1: document
 * ids (and groups and owners), types, customer ids and tenants.  The
 * document readers, searchd's parameters, the search engine and the
 * indexer's erasure all call these, so a name one accepts the others
 * accept. */
#include "vb_document.h"

/* [A-Za-z0-9._-]{1,max} */
static bool name_ok(const char *s, size_t len, size_t max)
{
    if (!s || len == 0 || len > max)
        return false;
    for (size_t i = 0; i < len; i++) {
        char c = s[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
              (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-'))
            return false;
    }
    return true;
}

bool vb_document_id_ok(const char *s, size_t len)
{
    return name_ok(s, len, VB_DOC_ID_MAX);
}

bool vb_document_customer_ok(const char *s, size_t len)
{
    return name_ok(s, len, VB_DOC_CUSTOMER_MAX);
}

bool vb_document_type_ok(const char *s, size_t len)
{
    if (!s || len == 0 || len > VB_DOC_TYPE_MAX ||
        !(s[0] >= 'a' && s[0] <= 'z'))
        return false;
    for (size_t i = 1; i < len; i++) {
        char c = s[i];
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' ||
              c == '-'))
            return false;
    }
    return true;
}

bool vb_document_tenant_ok(const char *s, size_t len)
{
    if (!s || len == 0 || len > VB_DOC_TENANT_MAX)
        return false;
    for (size_t i = 0; i < len; i++)
        if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') ||
              s[i] == '-'))
            return false;
    return true;
}
