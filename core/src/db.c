/*
 * db.c - reading a database: the built-in one, entries, groups and languages.
 */
#include "internal.h"

#include <stdlib.h>
#include <string.h>

const smtpc_db *smtpc_db_builtin(void)
{
    return &smtpc_builtin_db;
}

void smtpc_db_free(const smtpc_db *db)
{
    if (db == NULL || db == &smtpc_builtin_db)
        return;
    /* A loaded database and all it points to live in its arena; the struct itself is the
     * arena's first allocation, so freeing the arena frees everything. */
    smtpc_arena_free(db->arena);
}

int smtpc_db_from_env(const smtpc_db **out, smtpc_error *err)
{
    if (out == NULL)
        return smtpc_set_error(err, SMTPC_EINVAL, "", 0, 0, "NULL argument");
    *out = NULL;
    const char *path = getenv("SMTPCODES_DATA");
    if (path == NULL || path[0] == '\0') {
        *out = &smtpc_builtin_db;
        return 0;
    }
    smtpc_db *db = NULL;
    int rc = smtpc_db_load(&db, path, SMTPC_LOAD_OVERLAY, err);
    if (rc == 0)
        *out = db;
    return rc;
}

size_t smtpc_db_count(const smtpc_db *db)
{
    return db != NULL ? db->n_entries : 0;
}

const smtpc_entry *smtpc_db_entry(const smtpc_db *db, size_t index)
{
    if (db == NULL || index >= db->n_entries)
        return NULL;
    return &db->entries[index];
}

int smtpc_db_load(smtpc_db **out, const char *path, int flags, smtpc_error *err)
{
    if (flags != SMTPC_LOAD_OVERLAY && flags != SMTPC_LOAD_ALONE)
        return smtpc_set_error(err, SMTPC_EINVAL, path, 0, 0, "unknown load flags %d", flags);
    return smtpc_load_file_over(out, flags == SMTPC_LOAD_ALONE ? NULL : &smtpc_builtin_db, path,
                                err);
}

int smtpc_db_load_buffer(smtpc_db **out, const char *data, size_t len, const char *source,
                         int flags, smtpc_error *err)
{
    if (flags != SMTPC_LOAD_OVERLAY && flags != SMTPC_LOAD_ALONE)
        return smtpc_set_error(err, SMTPC_EINVAL, source, 0, 0, "unknown load flags %d", flags);
    return smtpc_load_over(out, flags == SMTPC_LOAD_ALONE ? NULL : &smtpc_builtin_db, data, len,
                           source, err);
}
