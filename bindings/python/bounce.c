/*
 * bounce.c - bounce messages for the Python facade (python/smtpcodes/_bounces.py): the core
 * reads the message and renders its records as JSON, the one form every front end shares
 * (docs/schema/smtpcodes.schema.json, "bounce"); the facade makes them objects.
 */
#include "smtpc_py.h"

PyObject *smtpc_py_bounce_json(const smtpc_db *db, const char *s, size_t len)
{
    smtpc_bounce *bounce = NULL;
    smtpc_error err;
    int rc;
    char *text = NULL;
    size_t text_len = 0;
    /* A message may be large (an attachment returned with it): read it without the GIL. */
    Py_BEGIN_ALLOW_THREADS
    rc = smtpc_bounce_parse(&bounce, db, s, len, &err);
    if (rc == 0) {
        const smtpc_bounce *one = bounce;
        rc = smtpc_render_bounces(&text, &text_len, &one, NULL, 1, SMTPC_FORMAT_JSON, &err);
    }
    Py_END_ALLOW_THREADS
    smtpc_bounce_free(bounce);
    if (rc != 0) {
        smtpc_py_raise(&err);
        return NULL;
    }
    PyObject *json = PyUnicode_DecodeUTF8(text, (Py_ssize_t)text_len, "replace");
    smtpc_free(text);
    return json;
}
