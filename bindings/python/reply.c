/*
 * reply.c - replies in C: the base type of the facade's Reply, parse_reply (one call per
 * reply) and the stream reader behind ReplyParser (smtpc_reply_stream_*). See smtpc_py.h.
 */
#include "smtpc_py.h"

#include <stddef.h>
#include <string.h>

#include <structmember.h>

/* ---- the context of a database's reply functions ---- */

/* What a database's reply functions need, made once per database by reply_context(): the
 * database, the facade's _Index of it (whose source holds the database, so it lives as long
 * as the context), the Reply class, ReplyError, IncompleteReplyError and
 * UnknownCommandError. Immutable. */
typedef struct {
    PyObject_HEAD
    const smtpc_db *db;
    PyObject *index;
    PyObject *type;
    PyObject *error;
    PyObject *incomplete;
    PyObject *command_error;
} smtpc_py_context;

static int smtpc_py_context_traverse(PyObject *self, visitproc visit, void *arg)
{
    smtpc_py_context *c = (smtpc_py_context *)self;
    Py_VISIT(c->index);
    Py_VISIT(c->type);
    Py_VISIT(c->error);
    Py_VISIT(c->incomplete);
    Py_VISIT(c->command_error);
    return 0;
}

static int smtpc_py_context_clear(PyObject *self)
{
    smtpc_py_context *c = (smtpc_py_context *)self;
    Py_CLEAR(c->index);
    Py_CLEAR(c->type);
    Py_CLEAR(c->error);
    Py_CLEAR(c->incomplete);
    Py_CLEAR(c->command_error);
    return 0;
}

static void smtpc_py_context_dealloc(PyObject *self)
{
    PyObject_GC_UnTrack(self);
    smtpc_py_context_clear(self);
    Py_TYPE(self)->tp_free(self);
}

static PyTypeObject smtpc_py_context_type = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "smtpcodes._core.ReplyContext",
    .tp_basicsize = sizeof(smtpc_py_context),
};

/* The context `ctx`, or NULL with a TypeError for anything else. */
static smtpc_py_context *smtpc_py_ctx(PyObject *ctx)
{
    if (Py_TYPE(ctx) != &smtpc_py_context_type || ((smtpc_py_context *)ctx)->type == NULL) {
        PyErr_SetString(PyExc_TypeError, "not a reply context");
        return NULL;
    }
    return (smtpc_py_context *)ctx;
}

/* ---- the reply ---- */

/* The C part of the facade's Reply. The parse makes only the object: what Python reads of the
 * core's reply (the text, the verdict) is made when it is first read, then kept, so that a
 * caller that reads the code and the action pays for nothing else. The core's reply is kept
 * (owned); the database it points into is kept alive by `index`. Every field but `reply`,
 * `index`, `code` and `given` is NULL until read. */
typedef struct {
    PyObject_HEAD
    smtpc_reply *reply;
    const smtpc_db *db; /* the database the reply was parsed with, kept alive by `index` */
    PyObject *index;
    PyObject *code;
    PyObject *given; /* the canonical name of the command given to the parser, or NULL */
    PyObject *host;  /* the host given to the parser (a str), or NULL */
    PyObject *enhanced;
    PyObject *lines;
    PyObject *text;
    PyObject *command;
    PyObject *verdict; /* (action, rule, explanation, flags, reason) */
    Py_ssize_t consumed;
} smtpc_py_reply;

static PyTypeObject smtpc_py_reply_type = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "smtpcodes._core.ReplyBase",
    .tp_basicsize = sizeof(smtpc_py_reply),
};

/* Reply codes as int objects: 200 to 599, made once. */
static PyObject *smtpc_py_codes[400];

/* Decodes reply text: UTF-8, with U+FFFD for bytes that are not (as the core's renderers show
 * them; the bytes stay in the reply, see _raw_lines). */
static PyObject *smtpc_py_decode(const char *s, size_t len, int invalid)
{
    PyObject *text;
    if (!invalid) {
        text = PyUnicode_DecodeUTF8(s, (Py_ssize_t)len, NULL);
        if (text != NULL || !PyErr_ExceptionMatches(PyExc_UnicodeDecodeError))
            return text;
        PyErr_Clear(); /* the core and Python disagree on a sequence: replace it */
    }
    return PyUnicode_DecodeUTF8(s, (Py_ssize_t)len, "replace");
}

static void smtpc_py_reply_dealloc(PyObject *self)
{
    smtpc_py_reply *r = (smtpc_py_reply *)self;
    smtpc_reply_free(r->reply);
    Py_XDECREF(r->index);
    Py_XDECREF(r->code);
    Py_XDECREF(r->given);
    Py_XDECREF(r->host);
    Py_XDECREF(r->enhanced);
    Py_XDECREF(r->lines);
    Py_XDECREF(r->text);
    Py_XDECREF(r->command);
    Py_XDECREF(r->verdict);
    Py_TYPE(self)->tp_free(self);
}

/* The canonical name of a command argument (None or str) as an interned str, or NULL for
 * None and "". Returns -1 with a TypeError for another type, or with `command_error` (the
 * facade's UnknownCommandError, or NULL for smtpc_py_error) for a name that is no SMTP
 * command. */
static int smtpc_py_command(PyObject **out, PyObject *command, PyObject *command_error)
{
    const char *s, *name = NULL;
    Py_ssize_t len;
    smtpc_error err;
    *out = NULL;
    if (command == NULL || command == Py_None)
        return 0;
    if (!PyUnicode_Check(command)) {
        PyErr_Format(PyExc_TypeError, "command must be a str or None, not %.200s",
                     Py_TYPE(command)->tp_name);
        return -1;
    }
    if ((s = PyUnicode_AsUTF8AndSize(command, &len)) == NULL)
        return -1;
    if (len == 0)
        return 0;
    memset(&err, 0, sizeof err);
    if (smtpc_command_parse(&name, s, (size_t)len, &err) != 0) {
        if (err.status == SMTPC_ECOMMAND && command_error != NULL)
            PyErr_SetObject(command_error, command);
        else
            smtpc_py_raise(&err);
        return -1;
    }
    *out = smtpc_py_static_str(name);
    return *out != NULL ? 0 : -1;
}

/* A host argument (None or str) as a str to keep, or NULL for None and "". Returns -1 with a
 * TypeError for another type. The core reads the host when the reply is classified: any text
 * is a host, one of no provider's included. */
static int smtpc_py_host(PyObject **out, PyObject *host)
{
    *out = NULL;
    if (host == NULL || host == Py_None)
        return 0;
    if (!PyUnicode_Check(host)) {
        PyErr_Format(PyExc_TypeError, "host must be a str or None, not %.200s",
                     Py_TYPE(host)->tp_name);
        return -1;
    }
    if (PyUnicode_GET_LENGTH(host) == 0)
        return 0;
    Py_INCREF(host);
    *out = host;
    return 0;
}

/* Builds a Reply (an instance of the context's type) around `reply`, which it takes over
 * (freed on failure too). `given` is the canonical command and `host` the host given (new
 * references taken over), or NULL. */
static PyObject *smtpc_py_reply_object(smtpc_py_context *ctx, smtpc_reply *reply,
                                       size_t consumed, PyObject *given, PyObject *host)
{
    PyTypeObject *type = (PyTypeObject *)ctx->type;
    smtpc_py_reply *r = (smtpc_py_reply *)type->tp_alloc(type, 0);
    int code = smtpc_reply_code(reply);
    if (r == NULL) {
        smtpc_reply_free(reply);
        Py_XDECREF(given);
        Py_XDECREF(host);
        return NULL;
    }
    r->reply = reply;
    r->db = ctx->db;
    r->consumed = (Py_ssize_t)consumed;
    Py_INCREF(ctx->index);
    r->index = ctx->index;
    r->given = given;
    r->host = host;
    if (code >= 200 && code <= 599 && smtpc_py_codes[code - 200] != NULL) {
        r->code = smtpc_py_codes[code - 200];
        Py_INCREF(r->code);
    } else if ((r->code = PyLong_FromLong(code)) == NULL) {
        Py_DECREF(r);
        return NULL;
    }
    return (PyObject *)r;
}

/* Stores `value` (a new reference, or NULL for a failure) in `*field` unless something is
 * there already (another thread was first); returns a new reference to what is there. */
static PyObject *smtpc_py_keep(PyObject **field, PyObject *value)
{
    if (value == NULL)
        return NULL;
    if (*field == NULL)
        *field = value;
    else
        Py_DECREF(value);
    Py_INCREF(*field);
    return *field;
}

static PyObject *smtpc_py_none(void)
{
    Py_INCREF(Py_None);
    return Py_None;
}

static PyObject *smtpc_py_reply_get_enhanced(PyObject *self, void *closure)
{
    smtpc_py_reply *r = (smtpc_py_reply *)self;
    const char *s = smtpc_reply_enhanced(r->reply);
    (void)closure;
    if (r->enhanced != NULL) {
        Py_INCREF(r->enhanced);
        return r->enhanced;
    }
    return smtpc_py_keep(&r->enhanced, s[0] == '\0' ? smtpc_py_none() : PyUnicode_FromString(s));
}

static PyObject *smtpc_py_reply_get_lines(PyObject *self, void *closure)
{
    smtpc_py_reply *r = (smtpc_py_reply *)self;
    int invalid = (smtpc_reply_warnings(r->reply) & SMTPC_WARN_INVALID_UTF8) != 0;
    size_t n = smtpc_reply_line_count(r->reply), i, len;
    PyObject *lines;
    (void)closure;
    if (r->lines != NULL) {
        Py_INCREF(r->lines);
        return r->lines;
    }
    if ((lines = PyTuple_New((Py_ssize_t)n)) == NULL)
        return NULL;
    for (i = 0; i < n; i++) {
        const char *s = smtpc_reply_line(r->reply, i, &len);
        PyObject *line = smtpc_py_decode(s, len, invalid);
        if (line == NULL) {
            Py_DECREF(lines);
            return NULL;
        }
        PyTuple_SET_ITEM(lines, (Py_ssize_t)i, line);
    }
    return smtpc_py_keep(&r->lines, lines);
}

static PyObject *smtpc_py_reply_get_text(PyObject *self, void *closure)
{
    smtpc_py_reply *r = (smtpc_py_reply *)self;
    int invalid = (smtpc_reply_warnings(r->reply) & SMTPC_WARN_INVALID_UTF8) != 0;
    size_t len;
    const char *s;
    (void)closure;
    if (r->text != NULL) {
        Py_INCREF(r->text);
        return r->text;
    }
    if (smtpc_reply_line_count(r->reply) == 1) {
        /* one line: the text is the same str */
        PyObject *lines = smtpc_py_reply_get_lines(self, NULL), *text;
        if (lines == NULL)
            return NULL;
        text = PyTuple_GET_ITEM(lines, 0);
        Py_INCREF(text);
        Py_DECREF(lines);
        return smtpc_py_keep(&r->text, text);
    }
    s = smtpc_reply_text(r->reply, &len);
    return smtpc_py_keep(&r->text, smtpc_py_decode(s, len, invalid));
}

static PyObject *smtpc_py_reply_get_command(PyObject *self, void *closure)
{
    smtpc_py_reply *r = (smtpc_py_reply *)self;
    const char *s;
    (void)closure;
    if (r->given != NULL) {
        Py_INCREF(r->given);
        return r->given;
    }
    if (r->command != NULL) {
        Py_INCREF(r->command);
        return r->command;
    }
    s = smtpc_reply_command(r->reply);
    return smtpc_py_keep(&r->command, s[0] == '\0' ? smtpc_py_none() : smtpc_py_static_str(s));
}

static PyObject *smtpc_py_reply_get_warnings(PyObject *self, void *closure)
{
    (void)closure;
    return smtpc_py_name_set(SMTPC_ENUM_WARNING,
                             smtpc_reply_warnings(((smtpc_py_reply *)self)->reply));
}

/* The verdict of smtpc_classify_host() with `cmd` (NULL: the command the reply names) and
 * `host` (a str, or NULL for none). */
static PyObject *smtpc_py_classify(smtpc_reply *reply, const char *cmd, size_t cmd_len,
                                   PyObject *host)
{
    smtpc_verdict v;
    smtpc_error err;
    const char *h = NULL;
    Py_ssize_t h_len = 0;
    if (host != NULL && (h = PyUnicode_AsUTF8AndSize(host, &h_len)) == NULL)
        return NULL;
    memset(&err, 0, sizeof err);
    if (smtpc_classify_host(&v, reply, cmd, cmd_len, h, (size_t)h_len, &err) != 0) {
        smtpc_py_raise(&err);
        return NULL;
    }
    return smtpc_py_verdict_tuple(&v);
}

/* The reply's own verdict (with the command and host given to the parser), made once. */
static PyObject *smtpc_py_reply_verdict(smtpc_py_reply *r)
{
    const char *cmd = NULL;
    Py_ssize_t len = 0;
    if (r->verdict != NULL) {
        Py_INCREF(r->verdict);
        return r->verdict;
    }
    if (r->given != NULL && (cmd = PyUnicode_AsUTF8AndSize(r->given, &len)) == NULL)
        return NULL;
    return smtpc_py_keep(&r->verdict, smtpc_py_classify(r->reply, cmd, (size_t)len, r->host));
}

static PyObject *smtpc_py_reply_get_host(PyObject *self, void *closure)
{
    smtpc_py_reply *r = (smtpc_py_reply *)self;
    (void)closure;
    if (r->host == NULL)
        return smtpc_py_none();
    Py_INCREF(r->host);
    return r->host;
}

static PyObject *smtpc_py_reply_get_verdict_part(PyObject *self, void *closure)
{
    PyObject *verdict = smtpc_py_reply_verdict((smtpc_py_reply *)self), *part;
    if (verdict == NULL)
        return NULL;
    part = PyTuple_GET_ITEM(verdict, (Py_ssize_t)(size_t)closure);
    Py_INCREF(part);
    Py_DECREF(verdict);
    return part;
}

static PyObject *smtpc_py_reply_get_verdict_tuple(PyObject *self, void *closure)
{
    (void)closure;
    return smtpc_py_reply_verdict((smtpc_py_reply *)self);
}

static PyObject *smtpc_py_reply_raw_lines(PyObject *self, PyObject *unused)
{
    smtpc_reply *reply = ((smtpc_py_reply *)self)->reply;
    size_t n = smtpc_reply_line_count(reply), i, len;
    PyObject *lines;
    (void)unused;
    if ((lines = PyTuple_New((Py_ssize_t)n)) == NULL)
        return NULL;
    for (i = 0; i < n; i++) {
        const char *s = smtpc_reply_line(reply, i, &len);
        PyObject *line = PyBytes_FromStringAndSize(s, (Py_ssize_t)len);
        if (line == NULL) {
            Py_DECREF(lines);
            return NULL;
        }
        PyTuple_SET_ITEM(lines, (Py_ssize_t)i, line);
    }
    return lines;
}

/* A command argument as text for the core: (NULL, 0) for None. */
static int smtpc_py_command_text(PyObject *command, const char **s, Py_ssize_t *len)
{
    *s = NULL;
    *len = 0;
    if (command == Py_None)
        return 0;
    if (!PyUnicode_Check(command)) {
        PyErr_Format(PyExc_TypeError, "command must be a str or None, not %.200s",
                     Py_TYPE(command)->tp_name);
        return -1;
    }
    *s = PyUnicode_AsUTF8AndSize(command, len);
    return *s != NULL ? 0 : -1;
}

/* The slug of the provider of the host `host` (a str or None) in `db`, NULL for none. Returns
 * -1 with an exception set for a host that is no str. */
static int smtpc_py_host_provider(const char **out, const smtpc_db *db, PyObject *host)
{
    const char *h;
    Py_ssize_t h_len;
    const smtpc_provider *p;
    PyObject *kept;
    *out = NULL;
    if (smtpc_py_host(&kept, host) < 0)
        return -1;
    if (kept == NULL)
        return 0;
    h = PyUnicode_AsUTF8AndSize(kept, &h_len);
    Py_DECREF(kept); /* `host` still holds it, and its UTF-8 form */
    if (h == NULL)
        return -1;
    p = smtpc_provider_of_host(db, h, (size_t)h_len);
    *out = p != NULL ? p->slug : NULL;
    return 0;
}

/* _render(format, command[, host]): smtpc_render_reply_provider() with the provider of host. */
static PyObject *smtpc_py_reply_render(PyObject *self, PyObject *args)
{
    smtpc_py_reply *r = (smtpc_py_reply *)self;
    int format;
    PyObject *command, *host = Py_None, *text;
    const char *cmd, *provider;
    Py_ssize_t cmd_len;
    char *out = NULL;
    size_t out_len = 0;
    smtpc_error err;
    if (!PyArg_ParseTuple(args, "iO|O:_render", &format, &command, &host) ||
        smtpc_py_command_text(command, &cmd, &cmd_len) < 0 ||
        smtpc_py_host_provider(&provider, r->db, host) < 0)
        return NULL;
    memset(&err, 0, sizeof err);
    if (smtpc_render_reply_provider(&out, &out_len, r->reply, cmd, (size_t)cmd_len, provider,
                                    format, &err) != 0) {
        smtpc_py_raise(&err);
        return NULL;
    }
    text = PyUnicode_DecodeUTF8(out, (Py_ssize_t)out_len, "replace");
    smtpc_free(out);
    return text;
}

/* _classify(command[, host]): smtpc_classify_host() as (action, rule, explanation, flags,
 * reason); None for either is the one given to the parser. */
static PyObject *smtpc_py_reply_classify(PyObject *self, PyObject *args)
{
    smtpc_py_reply *r = (smtpc_py_reply *)self;
    PyObject *command, *host = Py_None, *kept, *verdict;
    const char *cmd;
    Py_ssize_t cmd_len;
    if (!PyArg_ParseTuple(args, "O|O:_classify", &command, &host))
        return NULL;
    if (command == Py_None && r->given != NULL)
        command = r->given;
    if (smtpc_py_command_text(command, &cmd, &cmd_len) < 0 || smtpc_py_host(&kept, host) < 0)
        return NULL;
    if (kept == NULL && host == Py_None && r->host != NULL) {
        Py_INCREF(r->host);
        kept = r->host;
    }
    verdict = smtpc_py_classify(r->reply, cmd, (size_t)cmd_len, kept);
    Py_XDECREF(kept);
    return verdict;
}

static PyMethodDef smtpc_py_reply_methods[] = {
    {"_raw_lines", smtpc_py_reply_raw_lines, METH_NOARGS,
     "The lines' texts as the server sent them (bytes)."},
    {"_render", smtpc_py_reply_render, METH_VARARGS,
     "_render(format, command[, host]): smtpc_render_reply_provider()."},
    {"_classify", smtpc_py_reply_classify, METH_VARARGS,
     "_classify(command[, host]): smtpc_classify_host() as (action, rule, explanation, "
     "flags, reason)."},
    {NULL, NULL, 0, NULL}};

static PyGetSetDef smtpc_py_reply_getset[] = {
    {"enhanced", smtpc_py_reply_get_enhanced, NULL,
     "The enhanced status code as sent (\"5.1.1\"), or None.", NULL},
    {"lines", smtpc_py_reply_get_lines, NULL,
     "The lines' texts (a tuple of str), after the code, the separator and the enhanced "
     "code, without line ends.", NULL},
    {"text", smtpc_py_reply_get_text, NULL, "The lines' texts joined with \"\\n\".", NULL},
    {"command", smtpc_py_reply_get_command, NULL,
     "The command the reply answered, by its canonical name (\"RCPT\", \"DATA-END\"): the "
     "one given to the parser, else the one the text names (Postfix's \"(in reply to RCPT "
     "TO command)\"), else None.", NULL},
    {"host", smtpc_py_reply_get_host, NULL,
     "The host the reply came from, as given to the parser (\"mx.google.com\"), or None: "
     "its provider's meanings decide the reason first.", NULL},
    {"warnings", smtpc_py_reply_get_warnings, NULL,
     "What the reply got away with, a frozenset of names: \"class-mismatch\", "
     "\"nonconforming\", \"invalid-utf8\", \"long-line\", \"bare-lf\", \"enhanced-varies\".",
     NULL},
    {"action", smtpc_py_reply_get_verdict_part, NULL,
     "What a client does about it: \"done\", \"continue\", \"retry\" or \"give-up\".",
     (void *)0},
    {"rule", smtpc_py_reply_get_verdict_part, NULL,
     "The rule that decided the action: \"class\", \"too-many-recipients\", "
     "\"mailbox-full\", \"unknown-code\", \"class-mismatch\".", (void *)1},
    {"explanation", smtpc_py_reply_get_verdict_part, NULL,
     "Why, in one English sentence that cites the RFC.", (void *)2},
    {"reason", smtpc_py_reply_get_verdict_part, NULL,
     "Why a 4xx or 5xx reply failed, in a postmaster's words: \"userunknown\", "
     "\"mailboxfull\", \"blocked\" ... (\"undefined\" when nothing tells); None for a 2xx "
     "or 3xx reply.", (void *)4},
    {"_verdict", smtpc_py_reply_get_verdict_tuple, NULL,
     "(action, rule, explanation, flags, reason).", NULL},
    {NULL, NULL, NULL, NULL, NULL}};

static PyMemberDef smtpc_py_reply_members[] = {
    {"code", T_OBJECT, offsetof(smtpc_py_reply, code), READONLY,
     "The reply code, an int: 250."},
    {"_index", T_OBJECT, offsetof(smtpc_py_reply, index), READONLY,
     "The index of the database the reply was parsed with."},
    {"consumed", T_PYSSIZET, offsetof(smtpc_py_reply, consumed), READONLY,
     "The bytes of input the reply took, through its final line end (for a reply in a log "
     "line, through the end of the line): where a next reply starts. 0 for a reply read by "
     "a ReplyParser."},
    {NULL, 0, 0, 0, NULL}};

/* ---- input ---- */

/* Text input of the reply functions: str (as UTF-8; a str decoded with surrogateescape gives
 * its bytes back), bytes, or any contiguous bytes-like object (bytearray, memoryview). */
typedef struct {
    const char *s;
    Py_ssize_t len;
    PyObject *owned; /* a temporary bytes object, or NULL */
    Py_buffer view;  /* when view.obj != NULL */
} smtpc_py_input;

static int smtpc_py_input_get(smtpc_py_input *in, PyObject *data, const char *what)
{
    in->owned = NULL;
    in->view.obj = NULL;
    if (PyBytes_Check(data)) {
        in->s = PyBytes_AS_STRING(data);
        in->len = PyBytes_GET_SIZE(data);
        return 0;
    }
    if (PyUnicode_Check(data)) {
        in->s = PyUnicode_AsUTF8AndSize(data, &in->len);
        if (in->s != NULL)
            return 0;
        if (!PyErr_ExceptionMatches(PyExc_UnicodeEncodeError))
            return -1;
        PyErr_Clear();
        in->owned = PyUnicode_AsEncodedString(data, "utf-8", "surrogateescape");
        if (in->owned == NULL)
            return -1;
        in->s = PyBytes_AS_STRING(in->owned);
        in->len = PyBytes_GET_SIZE(in->owned);
        return 0;
    }
    if (PyObject_CheckBuffer(data)) {
        if (PyObject_GetBuffer(data, &in->view, PyBUF_SIMPLE) < 0)
            return -1;
        in->s = (const char *)in->view.buf;
        in->len = in->view.len;
        return 0;
    }
    PyErr_Format(PyExc_TypeError, "%s must be str or bytes, not %.200s", what,
                 Py_TYPE(data)->tp_name);
    return -1;
}

static void smtpc_py_input_release(smtpc_py_input *in)
{
    Py_XDECREF(in->owned);
    if (in->view.obj != NULL)
        PyBuffer_Release(&in->view);
}

/* Raises the context's ReplyError(reason, line, column), IncompleteReplyError(reason, line,
 * column, needed) for SMTPC_EINCOMPLETE, or what smtpc_py_raise() raises otherwise. */
static void smtpc_py_raise_reply(smtpc_py_context *ctx, const smtpc_error *err, size_t needed,
                                 PyObject *replies)
{
    PyObject *cls, *exc;
    if (err->status != SMTPC_EREPLY && err->status != SMTPC_EINCOMPLETE) {
        if (err->status == SMTPC_ENOMEM)
            PyErr_NoMemory();
        else
            smtpc_py_raise(err);
        return;
    }
    cls = err->status == SMTPC_EREPLY ? ctx->error : ctx->incomplete;
    if (err->status == SMTPC_EREPLY)
        exc = PyObject_CallFunction(cls, "skk", err->text, err->line, err->column);
    else
        exc = PyObject_CallFunction(cls, "skkn", err->text, err->line, err->column,
                                    (Py_ssize_t)needed);
    if (exc != NULL && replies != NULL && PyObject_SetAttrString(exc, "replies", replies) < 0)
        Py_CLEAR(exc);
    if (exc != NULL) {
        PyErr_SetObject(cls, exc);
        Py_DECREF(exc);
    }
}

/* ---- parse_reply ---- */

/* parse_reply(data, /, *, complete=True, strict=False, embedded=False, command=None), bound
 * to a context: the facade's parse_reply, in C because it is called once per reply. */
static PyObject *smtpc_py_kw_complete, *smtpc_py_kw_strict, *smtpc_py_kw_embedded,
    *smtpc_py_kw_command, *smtpc_py_kw_host;

static int smtpc_py_is_kw(PyObject *key, PyObject *name)
{
    return key == name || PyUnicode_Compare(key, name) == 0;
}

static PyObject *smtpc_py_parse_reply(PyObject *self, PyObject *const *args, Py_ssize_t nargs,
                                      PyObject *kwnames)
{
    smtpc_py_context *ctx = (smtpc_py_context *)self; /* checked by bind_parse_reply() */
    int flags = SMTPC_REPLY_COMPLETE, rc;
    PyObject *command = Py_None, *given = NULL, *host = Py_None, *kept = NULL;
    smtpc_py_input in;
    smtpc_error err;
    smtpc_reply *reply = NULL;
    size_t consumed = 0;
    Py_ssize_t i, nkw = kwnames != NULL ? PyTuple_GET_SIZE(kwnames) : 0;

    if (nargs != 1)
        return PyErr_Format(PyExc_TypeError,
                            "parse_reply() takes 1 positional argument (%zd given)", nargs);
    for (i = 0; i < nkw; i++) {
        PyObject *key = PyTuple_GET_ITEM(kwnames, i);
        PyObject *value = args[nargs + i];
        int bit = 0;
        if (smtpc_py_is_kw(key, smtpc_py_kw_command)) {
            command = value;
            continue;
        }
        if (smtpc_py_is_kw(key, smtpc_py_kw_host)) {
            host = value;
            continue;
        }
        if (smtpc_py_is_kw(key, smtpc_py_kw_complete))
            bit = SMTPC_REPLY_COMPLETE;
        else if (smtpc_py_is_kw(key, smtpc_py_kw_strict))
            bit = SMTPC_REPLY_STRICT_LENGTH;
        else if (smtpc_py_is_kw(key, smtpc_py_kw_embedded))
            bit = SMTPC_REPLY_EMBEDDED;
        if (PyErr_Occurred())
            return NULL;
        if (bit == 0)
            return PyErr_Format(PyExc_TypeError,
                                "parse_reply() got an unexpected keyword argument '%U'", key);
        switch (PyObject_IsTrue(value)) {
        case 1: flags |= bit; break;
        case 0: flags &= ~bit; break;
        default: return NULL;
        }
    }
    /* The command and the host decide the verdict, read later: refuse them now. */
    if (smtpc_py_host(&kept, host) < 0)
        return NULL;
    if (smtpc_py_command(&given, command, ctx->command_error) < 0) {
        Py_XDECREF(kept);
        return NULL;
    }
    if (smtpc_py_input_get(&in, args[0], "the reply") < 0) {
        Py_XDECREF(given);
        Py_XDECREF(kept);
        return NULL;
    }
    memset(&err, 0, sizeof err);
    rc = smtpc_reply_parse(&reply, &consumed, ctx->db, in.s, (size_t)in.len, flags, &err);
    smtpc_py_input_release(&in);
    if (rc != 0) {
        Py_XDECREF(given);
        Py_XDECREF(kept);
        err.status = rc;
        smtpc_py_raise_reply(ctx, &err, consumed, NULL);
        return NULL;
    }
    return smtpc_py_reply_object(ctx, reply, consumed, given, kept);
}

static PyMethodDef smtpc_py_parse_reply_def = {
    "parse_reply", (PyCFunction)(void (*)(void))smtpc_py_parse_reply,
    METH_FASTCALL | METH_KEYWORDS,
    "parse_reply($self, data, /, *, complete=True, strict=False, embedded=False, command=None,\n"
    "            host=None)\n"
    "--\n\n"
    "Parse one SMTP reply from the start of `data` and classify it; return a Reply.\n\n"
    "`data` is bytes (as read from the socket; any bytes-like object) or str. It holds\n"
    "one reply of one or more lines (\"250-...\" continuation lines, then a final\n"
    "\"250 ...\" line or a bare \"250\"), CRLF or bare LF, with an optional enhanced\n"
    "status code at the start of each line's text (RFC 5321 section 4.2, RFC 2034).\n"
    "What follows the reply (a next pipelined reply) is left alone; Reply.consumed\n"
    "says where it starts.\n\n"
    "complete: the data is all there is (the default), so a last line without a line\n"
    "    end is complete. With complete=False, a reply that needs more input raises\n"
    "    IncompleteReplyError, whose `needed` is the least number of further bytes.\n"
    "strict: refuse lines over 512 octets (RFC 5321 section 4.5.3.1.5); they are\n"
    "    otherwise accepted, with the warning \"long-line\".\n"
    "embedded: the reply is inside a log or bounce line (Postfix's \"said: 550 ...\",\n"
    "    \"reject: ...: 554 ...\", \"status=sent (250 ...)\", a DSN's \"Diagnostic-Code:\n"
    "    smtp; 550 ...\"): the first line of `data` is searched for it.\n"
    "command: the command the reply answered, as clients write it (\"RCPT\",\n"
    "    \"RCPT TO:<a@example.org>\", \"end of DATA\"), for the classification: a 552\n"
    "    answering RCPT is retried. Default: the command the text names, if any.\n"
    "host: the server the reply came from (\"mx.google.com\", or an address at its\n"
    "    domain): the meanings its provider gives codes and texts decide the reason\n"
    "    first (smtpcodes.providers()). Default: none.\n\n"
    "Raises ReplyError (a ValueError, with `line`, `column` and `reason`) for data that\n"
    "is not a well-formed reply, UnknownCommandError for a command that is no SMTP\n"
    "command, and TypeError for data that is neither str nor bytes."};

PyObject *smtpc_py_bind_parse_reply(PyObject *self, PyObject *args)
{
    PyObject *ctx, *module_name;
    (void)self;
    if (!PyArg_ParseTuple(args, "OU:bind_parse_reply", &ctx, &module_name))
        return NULL;
    if (smtpc_py_ctx(ctx) == NULL)
        return NULL;
    return PyCFunction_NewEx(&smtpc_py_parse_reply_def, ctx, module_name);
}

PyObject *smtpc_py_reply_context(const smtpc_db *db, PyObject *index, PyObject *reply_type,
                                 PyObject *error, PyObject *incomplete,
                                 PyObject *command_error)
{
    smtpc_py_context *ctx;
    if (db == NULL || !PyDict_Check(index))
        return PyErr_Format(PyExc_TypeError, "reply_context: not a database and its index");
    if (!PyType_Check(reply_type) ||
        !PyType_IsSubtype((PyTypeObject *)reply_type, &smtpc_py_reply_type))
        return PyErr_Format(PyExc_TypeError, "reply_context: not a ReplyBase subclass");
    if (!PyExceptionClass_Check(error) || !PyExceptionClass_Check(incomplete) ||
        !PyExceptionClass_Check(command_error))
        return PyErr_Format(PyExc_TypeError, "reply_context: not exception classes");
    if ((ctx = PyObject_GC_New(smtpc_py_context, &smtpc_py_context_type)) == NULL)
        return NULL;
    ctx->db = db;
    Py_INCREF(index);
    ctx->index = index;
    Py_INCREF(reply_type);
    ctx->type = reply_type;
    Py_INCREF(error);
    ctx->error = error;
    Py_INCREF(incomplete);
    ctx->incomplete = incomplete;
    Py_INCREF(command_error);
    ctx->command_error = command_error;
    PyObject_GC_Track((PyObject *)ctx);
    return (PyObject *)ctx;
}

/* ---- the stream ---- */

/* A reader of the replies of one stream (smtpc_reply_stream_*): what ReplyParser is made of.
 * One stream is read by one thread at a time; the reader refuses a second caller rather than
 * corrupt the stream. */
typedef struct {
    PyObject_HEAD
    smtpc_reply_stream *stream;
    PyObject *ctx;
    PyObject *given; /* the canonical command, or NULL */
    PyObject *host;  /* the host, or NULL */
    int closed;
    int busy;
} smtpc_py_stream;

static void smtpc_py_stream_dealloc(PyObject *self)
{
    smtpc_py_stream *s = (smtpc_py_stream *)self;
    smtpc_reply_stream_free(s->stream);
    Py_XDECREF(s->ctx);
    Py_XDECREF(s->given);
    Py_XDECREF(s->host);
    Py_TYPE(self)->tp_free(self);
}

static PyTypeObject smtpc_py_stream_type = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "smtpcodes._core.ReplyStream",
    .tp_basicsize = sizeof(smtpc_py_stream),
};

/* Takes every complete reply; raises ReplyError (with the replies taken before it) at the
 * first malformed one. */
static PyObject *smtpc_py_stream_drain(smtpc_py_stream *s)
{
    smtpc_py_context *ctx = (smtpc_py_context *)s->ctx;
    PyObject *replies = PyList_New(0);
    if (replies == NULL)
        return NULL;
    for (;;) {
        smtpc_reply *reply = NULL;
        smtpc_error err;
        PyObject *obj;
        int rc;
        memset(&err, 0, sizeof err);
        rc = smtpc_reply_stream_next(&reply, s->stream, &err);
        if (rc != 0) {
            err.status = rc;
            smtpc_py_raise_reply(ctx, &err, 0, replies);
            Py_DECREF(replies);
            return NULL;
        }
        if (reply == NULL)
            return replies;
        Py_XINCREF(s->given);
        Py_XINCREF(s->host);
        obj = smtpc_py_reply_object(ctx, reply, 0, s->given, s->host);
        if (obj == NULL || PyList_Append(replies, obj) < 0) {
            Py_XDECREF(obj);
            Py_DECREF(replies);
            return NULL;
        }
        Py_DECREF(obj);
    }
}

static int smtpc_py_stream_enter(smtpc_py_stream *s)
{
    if (s->busy) {
        PyErr_SetString(PyExc_RuntimeError, "a ReplyParser is read by one thread at a time");
        return -1;
    }
    s->busy = 1;
    return 0;
}

static PyObject *smtpc_py_stream_feed(PyObject *self, PyObject *data)
{
    smtpc_py_stream *s = (smtpc_py_stream *)self;
    smtpc_py_input in;
    smtpc_error err;
    PyObject *result;
    int rc;
    if (smtpc_py_input_get(&in, data, "data") < 0)
        return NULL;
    if (s->closed) {
        smtpc_py_input_release(&in);
        return PyErr_Format(PyExc_ValueError, "feed() on a closed ReplyParser");
    }
    if (smtpc_py_stream_enter(s) < 0) {
        smtpc_py_input_release(&in);
        return NULL;
    }
    memset(&err, 0, sizeof err);
    rc = smtpc_reply_stream_feed(s->stream, in.s, (size_t)in.len, &err);
    smtpc_py_input_release(&in);
    if (rc != 0) {
        s->busy = 0;
        if (rc == SMTPC_ENOMEM)
            return PyErr_NoMemory();
        smtpc_py_raise(&err);
        return NULL;
    }
    result = smtpc_py_stream_drain(s);
    s->busy = 0;
    return result;
}

static PyObject *smtpc_py_stream_close(PyObject *self, PyObject *unused)
{
    smtpc_py_stream *s = (smtpc_py_stream *)self;
    PyObject *result;
    (void)unused;
    if (smtpc_py_stream_enter(s) < 0)
        return NULL;
    s->closed = 1;
    smtpc_reply_stream_close(s->stream);
    result = smtpc_py_stream_drain(s);
    s->busy = 0;
    return result;
}

static PyObject *smtpc_py_stream_get(PyObject *self, void *closure)
{
    smtpc_py_stream *s = (smtpc_py_stream *)self;
    switch ((int)(size_t)closure) {
    case 0: return PyLong_FromSize_t(smtpc_reply_stream_needed(s->stream));
    case 1: return PyLong_FromSize_t(smtpc_reply_stream_buffered(s->stream));
    case 2: return PyLong_FromUnsignedLongLong(smtpc_reply_stream_line(s->stream));
    case 3: return PyLong_FromUnsignedLongLong(smtpc_reply_stream_skipped(s->stream));
    case 4: return PyLong_FromUnsignedLongLong(smtpc_reply_stream_errors(s->stream));
    default: return PyBool_FromLong(s->closed);
    }
}

static PyMethodDef smtpc_py_stream_methods[] = {
    {"feed", smtpc_py_stream_feed, METH_O,
     "feed(data): appends data; returns the list of the replies it completes."},
    {"close", smtpc_py_stream_close, METH_NOARGS,
     "close(): ends the stream; returns the replies left."},
    {NULL, NULL, 0, NULL}};

static PyGetSetDef smtpc_py_stream_getset[] = {
    {"needed", smtpc_py_stream_get, NULL, "smtpc_reply_stream_needed()", (void *)0},
    {"buffered", smtpc_py_stream_get, NULL, "smtpc_reply_stream_buffered()", (void *)1},
    {"line", smtpc_py_stream_get, NULL, "smtpc_reply_stream_line()", (void *)2},
    {"skipped", smtpc_py_stream_get, NULL, "smtpc_reply_stream_skipped()", (void *)3},
    {"errors", smtpc_py_stream_get, NULL, "smtpc_reply_stream_errors()", (void *)4},
    {"closed", smtpc_py_stream_get, NULL, "True once close() was called.", (void *)5},
    {NULL, NULL, NULL, NULL, NULL}};

PyObject *smtpc_py_reply_stream(PyObject *self, PyObject *args)
{
    PyObject *context, *command, *host = Py_None;
    smtpc_py_context *ctx;
    smtpc_py_stream *s;
    smtpc_error err;
    int flags;
    (void)self;
    if (!PyArg_ParseTuple(args, "OiO|O:reply_stream", &context, &flags, &command, &host))
        return NULL;
    if ((ctx = smtpc_py_ctx(context)) == NULL)
        return NULL;
    if ((s = PyObject_New(smtpc_py_stream, &smtpc_py_stream_type)) == NULL)
        return NULL;
    s->stream = NULL;
    s->given = NULL;
    s->host = NULL;
    s->closed = 0;
    s->busy = 0;
    Py_INCREF(context);
    s->ctx = context;
    if (smtpc_py_command(&s->given, command, ctx->command_error) < 0 ||
        smtpc_py_host(&s->host, host) < 0) {
        Py_DECREF(s);
        return NULL;
    }
    memset(&err, 0, sizeof err);
    if (smtpc_reply_stream_new(&s->stream, ctx->db, flags, &err) != 0) {
        Py_DECREF(s);
        smtpc_py_raise(&err);
        return NULL;
    }
    return (PyObject *)s;
}

int smtpc_py_reply_init(PyObject *module)
{
    int i;
    smtpc_py_reply_type.tp_dealloc = smtpc_py_reply_dealloc;
    smtpc_py_reply_type.tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE;
    smtpc_py_reply_type.tp_doc = "The C part of smtpcodes.Reply.";
    smtpc_py_reply_type.tp_methods = smtpc_py_reply_methods;
    smtpc_py_reply_type.tp_members = smtpc_py_reply_members;
    smtpc_py_reply_type.tp_getset = smtpc_py_reply_getset;
    /* tp_new stays NULL: replies come from the parser only. */
    if (PyType_Ready(&smtpc_py_reply_type) < 0)
        return -1;
    smtpc_py_context_type.tp_dealloc = smtpc_py_context_dealloc;
    smtpc_py_context_type.tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HAVE_GC;
    smtpc_py_context_type.tp_doc = "What a database's reply functions need (private).";
    smtpc_py_context_type.tp_traverse = smtpc_py_context_traverse;
    smtpc_py_context_type.tp_clear = smtpc_py_context_clear;
    if (PyType_Ready(&smtpc_py_context_type) < 0)
        return -1;
    smtpc_py_stream_type.tp_dealloc = smtpc_py_stream_dealloc;
    smtpc_py_stream_type.tp_flags = Py_TPFLAGS_DEFAULT;
    smtpc_py_stream_type.tp_doc = "A stream of replies (private; see smtpcodes.ReplyParser).";
    smtpc_py_stream_type.tp_methods = smtpc_py_stream_methods;
    smtpc_py_stream_type.tp_getset = smtpc_py_stream_getset;
    if (PyType_Ready(&smtpc_py_stream_type) < 0)
        return -1;
    Py_INCREF(&smtpc_py_reply_type);
    if (PyModule_AddObject(module, "ReplyBase", (PyObject *)&smtpc_py_reply_type) < 0) {
        Py_DECREF(&smtpc_py_reply_type);
        return -1;
    }
    for (i = 0; i < 400; i++) {
        if (smtpc_py_codes[i] == NULL && (smtpc_py_codes[i] = PyLong_FromLong(200 + i)) == NULL)
            return -1;
    }
    if (smtpc_py_kw_complete == NULL) {
        smtpc_py_kw_complete = PyUnicode_InternFromString("complete");
        smtpc_py_kw_strict = PyUnicode_InternFromString("strict");
        smtpc_py_kw_embedded = PyUnicode_InternFromString("embedded");
        smtpc_py_kw_command = PyUnicode_InternFromString("command");
        smtpc_py_kw_host = PyUnicode_InternFromString("host");
        if (smtpc_py_kw_complete == NULL || smtpc_py_kw_strict == NULL ||
            smtpc_py_kw_embedded == NULL || smtpc_py_kw_command == NULL ||
            smtpc_py_kw_host == NULL)
            return -1;
    }
    return 0;
}
