/*
 * providers.c - the meanings mail providers give codes of their own (the Provider records of
 * the data file and the entries that name one, docs/data-format.md): which provider a host
 * belongs to, and which of a provider's entries covers a code.
 */
#include "internal.h"

#include <string.h>

static const smtpc_db *or_builtin(const smtpc_db *db)
{
    return db != NULL ? db : smtpc_db_builtin();
}

size_t smtpc_provider_count(const smtpc_db *db)
{
    return or_builtin(db)->n_providers;
}

const smtpc_provider *smtpc_provider_at(const smtpc_db *db, size_t index)
{
    db = or_builtin(db);
    return index < db->n_providers ? &db->providers[index] : NULL;
}

const smtpc_provider *smtpc_provider_find(const smtpc_db *db, const char *slug)
{
    return slug != NULL ? smtpc_provider_named(or_builtin(db), slug) : NULL;
}

/* Whether the domain `name` (`len` bytes) is `host` or ends in "." and `host`, ASCII case
 * ignored. */
static int is_under(const char *name, size_t len, const char *host, size_t host_len)
{
    if (host_len == 0 || host_len > len)
        return 0;
    const char *tail = name + (len - host_len);
    for (size_t i = 0; i < host_len; i++) {
        if (smtpc_to_lower(tail[i]) != smtpc_to_lower(host[i]))
            return 0;
    }
    return host_len == len || tail[-1] == '.';
}

static int provider_has_host(const smtpc_provider *provider, const char *name, size_t len)
{
    for (const char *s = provider->hosts; *s != '\0';) {
        size_t n = strcspn(s, " ");
        if (is_under(name, len, s, n))
            return 1;
        s += n;
        while (*s == ' ')
            s++;
    }
    return 0;
}

/* The domain name in `host`: its first word after a DSN's "dns;" type ("dns; mx.example.
 * (192.0.2.1)" names mx.example), after the last "@" of an address, without angle brackets or
 * a final ".". */
static void domain_of(const char **s, size_t *len)
{
    const char *semicolon = memchr(*s, ';', *len);
    if (semicolon != NULL) {
        *len -= (size_t)(semicolon + 1 - *s);
        *s = semicolon + 1;
    }
    while (*len > 0 && (smtpc_is_space(**s) || **s == '<')) {
        (*s)++;
        (*len)--;
    }
    size_t word = 0;
    while (word < *len && !smtpc_is_space((*s)[word]) && (*s)[word] != '(')
        word++;
    *len = word;
    for (size_t i = *len; i-- > 0;) {
        if ((*s)[i] == '@') {
            *len -= i + 1;
            *s += i + 1;
            break;
        }
    }
    while (*len > 0 && ((*s)[*len - 1] == '>' || (*s)[*len - 1] == '.'))
        (*len)--;
}

const smtpc_provider *smtpc_provider_of_host(const smtpc_db *db, const char *host, size_t len)
{
    db = or_builtin(db);
    if (host == NULL)
        return NULL;
    domain_of(&host, &len);
    if (len == 0 || host[0] == '[')
        return NULL;
    for (size_t i = 0; i < db->n_providers; i++) {
        if (provider_has_host(&db->providers[i], host, len))
            return &db->providers[i];
    }
    return NULL;
}

const smtpc_provider *smtpc_provider_of_record(const smtpc_db *db, const char *remote,
                                               const char *reporting, const char *recipient)
{
    const char *named = remote != NULL && remote[0] != '\0'         ? remote
                        : reporting != NULL && reporting[0] != '\0' ? reporting
                                                                    : recipient;
    return named != NULL ? smtpc_provider_of_host(db, named, strlen(named)) : NULL;
}

int smtpc_provider_argument(const smtpc_provider **out, const smtpc_db *db, const char *slug,
                            smtpc_error *err)
{
    *out = NULL;
    if (slug == NULL || slug[0] == '\0')
        return 0;
    *out = smtpc_provider_named(db, slug);
    if (*out == NULL)
        return smtpc_set_error(err, SMTPC_EINVAL, "", 0, 0, "unknown provider '%.40s'", slug);
    return 0;
}

/* The provider's entry that covers the code in `s`, else the standard one as smtpc_lookup()
 * finds it or, with `closest`, smtpc_lookup_closest(). */
static int lookup_as_provider(const smtpc_entry **out, int *exact, const smtpc_db *db,
                              const char *provider, const char *s, size_t len, int closest,
                              smtpc_error *err)
{
    if (out == NULL)
        return smtpc_set_error(err, SMTPC_EINVAL, "", 0, 0, "NULL argument");
    *out = NULL;
    db = or_builtin(db);
    const smtpc_provider *p;
    int rc = smtpc_provider_argument(&p, db, provider, err);
    if (rc != 0)
        return rc;
    if (p != NULL) {
        smtpc_code code;
        if ((rc = smtpc_code_parse(&code, s, len, err)) != 0)
            return rc;
        *out = smtpc_find_provider_code(db, p, &code);
        if (*out != NULL) {
            if (exact != NULL)
                *exact = 1;
            return 0;
        }
    }
    return closest ? smtpc_lookup_closest(out, exact, db, s, len, err)
                   : smtpc_lookup(out, db, s, len, err);
}

int smtpc_lookup_provider(const smtpc_entry **out, const smtpc_db *db, const char *provider,
                          const char *s, size_t len, smtpc_error *err)
{
    return lookup_as_provider(out, NULL, db, provider, s, len, 0, err);
}

int smtpc_lookup_provider_closest(const smtpc_entry **out, int *exact, const smtpc_db *db,
                                  const char *provider, const char *s, size_t len,
                                  smtpc_error *err)
{
    return lookup_as_provider(out, exact, db, provider, s, len, 1, err);
}

size_t smtpc_provider_meanings(const smtpc_entry **out, size_t cap, const smtpc_db *db,
                               const char *s, size_t len)
{
    db = or_builtin(db);
    smtpc_code code;
    if (s == NULL || smtpc_code_parse(&code, s, len, NULL) != 0 ||
        code.kind != SMTPC_KIND_ENHANCED || code.klass == 0)
        return 0;
    size_t n = 0;
    for (size_t i = 0; i < db->n_providers; i++) {
        const smtpc_entry *e = smtpc_find_provider_code(db, &db->providers[i], &code);
        if (e != NULL && n < cap && out != NULL)
            out[n] = e;
        n += e != NULL;
    }
    return n;
}

size_t smtpc_provider_entry_count(const smtpc_db *db)
{
    return or_builtin(db)->n_provider_entries;
}

const smtpc_entry *smtpc_provider_entry_at(const smtpc_db *db, size_t index)
{
    db = or_builtin(db);
    return index < db->n_provider_entries ? &db->provider_entries[index] : NULL;
}
