# cython: language_level=3
"""detector.segment's DOM walk (`_Walk`) over lexbor's own node structs.

The Python walk asks selectolax for every node's tag, next sibling, first child and attribute
dict, creating Python objects for each; here the walk follows lexbor's pointers in C and makes
Python strings only for text, paths and the few attributes it reads. It produces exactly the
Python walk's blocks, links and metas (detector.segment keeps that walk as the reference and
the fallback; tests/test_fastpath.py compares both on every page of ../shared/data).

Nothing here is linked against lexbor: the structs below mirror the layouts of the lexbor
bundled with selectolax (``SELECTOLAX_VERSION``, lexbor ``LEXBOR_VERSION``), and tag and
attribute ids are learnt at run time by parsing a calibration document with selectolax.
`calibrate` checks every layout assumption against selectolax's own API before anything is
dereferenced, and detector.segment then runs a self-test (compiled walk == Python walk on a
calibration page) before the compiled walk is used; any mismatch leaves the Python walk.
"""

from cpython.list cimport PyList_GET_ITEM
from cpython.unicode cimport (PyUnicode_DecodeUTF8, PyUnicode_DATA, PyUnicode_KIND,
                              PyUnicode_READ, PyUnicode_WRITE, Py_UNICODE_ISSPACE)
from libc.stdint cimport uintptr_t
from libc.string cimport memcmp
from libc.stdlib cimport malloc, free

from functools import lru_cache

cdef extern from "Python.h":
    object PyUnicode_FromKindAndData(int kind, const void *buffer, Py_ssize_t size)
    object PyUnicode_New(Py_ssize_t size, Py_UCS4 maxchar)
    bint PyUnicode_IS_ASCII(object o)
    void PyObject_GC_UnTrack(object o)
    ctypedef struct PyMemberDef:
        int type
        Py_ssize_t offset
    ctypedef struct PyMemberDescrObject:
        PyMemberDef* d_member
    int T_OBJECT_EX

from cpython.object cimport PyObject, PyTypeObject
from cpython.ref cimport Py_INCREF

cdef extern from "Python.h":
    object PyType_GenericAlloc(PyTypeObject* t, Py_ssize_t nitems)

# The versions whose layouts are mirrored here (checked in detector.segment before use).
SELECTOLAX_VERSION = "1.0.2"
LEXBOR_VERSION = (3, 1)


cdef struct lexbor_str_t:
    unsigned char *data
    size_t length

cdef struct lxb_dom_node_t:
    void *events  # lxb_dom_event_target_t
    uintptr_t local_name
    uintptr_t prefix
    uintptr_t ns
    void *owner_document
    lxb_dom_node_t *next
    lxb_dom_node_t *prev
    lxb_dom_node_t *parent
    lxb_dom_node_t *first_child
    lxb_dom_node_t *last_child
    void *user
    int type  # lxb_dom_node_type_t

cdef struct lxb_dom_attr_t:
    lxb_dom_node_t node
    uintptr_t upper_name
    uintptr_t qualified_name
    lexbor_str_t *value
    void *owner
    lxb_dom_attr_t *next
    lxb_dom_attr_t *prev

cdef struct lxb_dom_element_t:
    lxb_dom_node_t node
    uintptr_t upper_name
    uintptr_t qualified_name
    lexbor_str_t *is_value
    lxb_dom_attr_t *first_attr
    lxb_dom_attr_t *last_attr
    lxb_dom_attr_t *attr_id
    lxb_dom_attr_t *attr_class

cdef struct lxb_dom_character_data_t:
    lxb_dom_node_t node
    lexbor_str_t data

# lexbor_hash_entry_t: the first member of lxb_tag_data_t and lxb_dom_attr_data_t, which a
# dynamic (not built-in) tag or attribute id points at.
DEF HASH_SHORT_SIZE = 16
cdef union hash_str_u:
    unsigned char *long_str
    unsigned char short_str[HASH_SHORT_SIZE + 1]

cdef struct hash_entry_t:
    hash_str_u u
    size_t length
    void *next

# DOM node types (the DOM standard's nodeType numbers, which lexbor uses).
DEF ELEMENT_NODE = 1
DEF ATTRIBUTE_NODE = 2
DEF TEXT_NODE = 3

# Ids at or above this are pointers to hash entries (names not built into lexbor); built-in
# ids are small enum values. `calibrate` checks both sides on real ids.
DEF DYNAMIC_MIN = 0x10000

# Tag kinds of the walk.
DEF K_INLINE = 0
DEF K_SKIP = 1
DEF K_BLOCK = 2
DEF K_META = 3
DEF K_A = 4

# The attributes the walk reads, in slot order.
ATTR_NAMES = ("hidden", "style", "class", "id", "href", "property", "name", "content", "rel")
DEF A_HIDDEN = 0
DEF A_STYLE = 1
DEF A_CLASS = 2
DEF A_ID = 3
DEF A_HREF = 4
DEF A_PROPERTY = 5
DEF A_NAME = 6
DEF A_CONTENT = 7
DEF A_REL = 8
DEF N_ATTRS = 9
# The slots each kind of element reads.
DEF NEED_INLINE = (1 << A_HIDDEN) | (1 << A_STYLE)
DEF NEED_A = NEED_INLINE | (1 << A_HREF)
DEF NEED_BLOCK = NEED_INLINE | (1 << A_CLASS) | (1 << A_ID)
DEF NEED_META = (1 << A_PROPERTY) | (1 << A_NAME) | (1 << A_CONTENT) | (1 << A_REL) | (1 << A_HREF)

class Unsupported(Exception):
    """A node this walk does not mirror: the caller uses the Python walk for the page."""


# --- learnt at calibration -------------------------------------------------------------
cdef uintptr_t TEXT_ID = 0
cdef dict STATIC_TAGS = {}  # built-in tag id -> name
cdef dict STATIC_ATTRS = {}  # built-in attribute id -> slot
# The same two maps as arrays indexed by the id (built-in ids are below DYNAMIC_MIN): a tag's
# name (None where not calibrated) and its kind (`_kind`), and an attribute's slot (-1: not
# read). Looked up without making a Python int a node.
cdef list STATIC_TAG_NAMES = []
cdef signed char STATIC_TAG_KIND[DYNAMIC_MIN]
cdef signed char STATIC_ATTR_SLOT[DYNAMIC_MIN]
cdef list DYNAMIC_ATTRS = []  # (utf-8 name, slot) of the names that are not built in
cdef bint READY = False
# --- settings of detector.segment --------------------------------------------------------
cdef frozenset SKIP_TAGS, BLOCK_TAGS, HEADING_TAGS
cdef int MAX_DEPTH = 0
cdef int MAX_TOKENS = 0
cdef object SPLIT_TOKENS, BLOCK
# `_new_block`: where each of Block's 12 fields lives in the object (its slot's offset), and
# the defaults of its last three; FAST_BLOCK once `_block_layout` checked them.
DEF N_FIELDS = 12
cdef Py_ssize_t BLOCK_OFF[N_FIELDS]
cdef bint FAST_BLOCK = False
cdef object KIND_DEFAULT, CONFIDENCE_DEFAULT
BLOCK_FIELDS = ("index", "text", "path", "tag", "tokens", "link_chars", "depth", "heading",
                "hrefs", "features", "kind", "confidence")
# detector.segment's MAX_OWN_TOKENS and MAX_TOKEN_CHARS (for `split_tokens`).
cdef Py_ssize_t MAX_OWN_TOKENS = 64
cdef Py_ssize_t MAX_TOKEN_CHARS = 64


# Python's whitespace among the 256 Latin-1 characters (Py_UNICODE_ISSPACE).
cdef unsigned char _LATIN1_SPACE[256]
for _c in range(256):
    _LATIN1_SPACE[_c] = Py_UNICODE_ISSPACE(_c)


def collapse_ws(str s):
    """``" ".join(s.replace(SOFT_HYPHEN, "").split())`` without a string a word: one pass
    copying every character that is not whitespace (Python's own whitespace test) or a soft
    hyphen (U+00AD, detector.segment.SOFT_HYPHEN) and one space for each run of whitespace
    between two words, into a buffer of the text's own kind; ``PyUnicode_FromKindAndData``
    then makes the str (its smallest kind, as Python makes every str)."""
    cdef Py_ssize_t n = len(s), i, o = 0
    cdef int kind = PyUnicode_KIND(s)
    cdef void *data = PyUnicode_DATA(s)
    cdef void *buf
    cdef Py_UCS4 c
    cdef bint gap = False
    if n == 0:
        return ""
    buf = malloc(n * kind)
    if buf == NULL:
        raise MemoryError()
    cdef const unsigned char *src
    cdef unsigned char *dst
    cdef unsigned char b
    try:
        if kind == 1:  # Latin-1 text: the same loop on bytes, whitespace from a table
            src = <const unsigned char *> data
            dst = <unsigned char *> buf
            for i in range(n):
                b = src[i]
                if b == 0xAD:  # a soft hyphen (segment.SOFT_HYPHEN) is not text
                    continue
                if _LATIN1_SPACE[b]:
                    gap = o > 0
                else:
                    if gap:
                        dst[o] = 32
                        o += 1
                        gap = False
                    dst[o] = b
                    o += 1
            if o == 0:
                return ""
            return PyUnicode_FromKindAndData(1, buf, o)
        for i in range(n):
            c = PyUnicode_READ(kind, data, i)
            if c == 0xAD:
                continue
            if Py_UNICODE_ISSPACE(c):
                gap = o > 0
            else:
                if gap:
                    PyUnicode_WRITE(kind, buf, o, 32)
                    o += 1
                    gap = False
                PyUnicode_WRITE(kind, buf, o, c)
                o += 1
        if o == 0:
            return ""
        return PyUnicode_FromKindAndData(kind, buf, o)
    finally:
        free(buf)


def token_cache():
    """The cached `split_tokens` the walk calls (``cache_clear``/``cache_info`` for tests and
    benchmarks)."""
    return SPLIT_TOKENS


cdef inline bint _token_sep(unsigned char c):
    # str.split() after "_" and "-" became spaces; Python's whitespace among ASCII characters:
    # \t \n \v \f \r, \x1c-\x1f and " "
    return c == 32 or (9 <= c <= 13) or (28 <= c <= 31) or c == 95 or c == 45


cdef Py_ssize_t _split_ascii(str val, list out, Py_ssize_t room) except -1:
    """The tokens of an ASCII ``val`` as `detector.segment._split_tokens_reference` makes them
    (lower-cased, cut at whitespace, "_" and "-", at most MAX_TOKEN_CHARS long), appended to
    ``out`` until ``room`` are there; returns how many were appended."""
    cdef const unsigned char *d = <const unsigned char *> PyUnicode_DATA(val)
    cdef Py_ssize_t n = len(val), i = 0, a, k, added = 0
    cdef unsigned char c
    cdef unsigned char *w
    while i < n and added < room:
        while i < n and _token_sep(d[i]):
            i += 1
        if i >= n:
            break
        a = i
        while i < n and not _token_sep(d[i]):
            i += 1
        if i - a > MAX_TOKEN_CHARS:
            continue
        tok = PyUnicode_New(i - a, 127)
        w = <unsigned char *> PyUnicode_DATA(tok)
        for k in range(i - a):
            c = d[a + k]
            w[k] = c + 32 if 65 <= c <= 90 else c  # str.lower() on ASCII: A-Z only
        out.append(tok)
        added += 1
    return added


def split_tokens(str cls, str id_):
    """`detector.segment._split_tokens_reference`, compiled: ASCII values are cut in one scan
    (no lower-cased copy, no replaced copies, no list of every word); others as the reference."""
    cdef list toks = []
    for val in (cls[:16384], id_[:1024]):
        if len(toks) >= MAX_OWN_TOKENS:
            break
        if PyUnicode_IS_ASCII(val):
            _split_ascii(val, toks, MAX_OWN_TOKENS - len(toks))
        else:
            toks.extend([t for t in val.lower().replace("_", " ").replace("-", " ").split()
                         if len(t) <= MAX_TOKEN_CHARS])
    return tuple(toks[:MAX_OWN_TOKENS])


cdef inline str _decode(const unsigned char *data, size_t length):
    return PyUnicode_DecodeUTF8(<const char *> data, length, "replace")


cdef inline hash_entry_t *_entry(uintptr_t ident):
    return <hash_entry_t *> ident


cdef inline const unsigned char *_entry_str(hash_entry_t *e):
    if e.length <= HASH_SHORT_SIZE:
        return &e.u.short_str[0]
    return e.u.long_str


cdef str _dynamic_name(uintptr_t ident):
    cdef hash_entry_t *e = _entry(ident)
    return _decode(_entry_str(e), e.length)


cdef inline lxb_dom_node_t *_node(size_t mem_id):
    return <lxb_dom_node_t *> mem_id


def _layout_of(size_t mem_id):
    """(local_name, type, next, prev, parent, first_child, last_child) of a node, for the
    layout check against selectolax's API."""
    cdef lxb_dom_node_t *n = _node(mem_id)
    return (n.local_name, n.type, <size_t> n.next, <size_t> n.prev, <size_t> n.parent,
            <size_t> n.first_child, <size_t> n.last_child)


def _element_attr_ptrs(size_t mem_id):
    """(qualified_name, first_attr, last_attr, attr_id, attr_class) as integers (no deref)."""
    cdef lxb_dom_element_t *e = <lxb_dom_element_t *> _node(mem_id)
    return (e.qualified_name, <size_t> e.first_attr, <size_t> e.last_attr,
            <size_t> e.attr_id, <size_t> e.attr_class)


def _attr_check(size_t attr_ptr, size_t owner):
    """(owner matches, node type, local_name, qualified_name) of an attribute."""
    cdef lxb_dom_attr_t *a = <lxb_dom_attr_t *> attr_ptr
    return (<size_t> a.owner == owner, a.node.type, a.node.local_name, a.qualified_name)


def _attr_value(size_t attr_ptr):
    cdef lxb_dom_attr_t *a = <lxb_dom_attr_t *> attr_ptr
    if a.value == NULL or a.value.data == NULL:
        return None
    return _decode(a.value.data, a.value.length)


def _text_of(size_t mem_id):
    cdef lxb_dom_character_data_t *c = <lxb_dom_character_data_t *> _node(mem_id)
    if c.data.data == NULL:
        return None
    return _decode(c.data.data, c.data.length)


def _entry_length(uintptr_t ident):
    return _entry(ident).length


def _entry_name(uintptr_t ident):
    return _dynamic_name(ident)


def configure(uintptr_t text_id, dict static_tags, dict static_attrs, list dynamic_attrs,
              segment_module):
    """Install what `detector.segment._calibrate_walk` learnt and the walk's settings."""
    global TEXT_ID, STATIC_TAGS, STATIC_ATTRS, DYNAMIC_ATTRS, READY
    global SKIP_TAGS, BLOCK_TAGS, HEADING_TAGS, MAX_DEPTH, MAX_TOKENS, SPLIT_TOKENS, BLOCK
    global STATIC_TAG_NAMES
    TEXT_ID = text_id
    STATIC_TAGS = dict(static_tags)
    STATIC_ATTRS = dict(static_attrs)
    cdef Py_ssize_t i
    for i in range(DYNAMIC_MIN):
        STATIC_TAG_KIND[i] = -1
        STATIC_ATTR_SLOT[i] = -1
    for ident, slot in STATIC_ATTRS.items():
        if not (0 <= ident < DYNAMIC_MIN and 0 <= slot < N_ATTRS):
            raise ValueError(f"attribute id {ident} or slot {slot} out of range")
        STATIC_ATTR_SLOT[ident] = slot
    names = [None] * DYNAMIC_MIN
    for ident in STATIC_TAGS:
        if not 0 <= ident < DYNAMIC_MIN:
            raise ValueError(f"tag id {ident} out of range")
        names[ident] = STATIC_TAGS[ident]
    STATIC_TAG_NAMES = names
    DYNAMIC_ATTRS = [(n.encode("utf-8"), s) for n, s in dynamic_attrs]
    S = segment_module
    SKIP_TAGS, BLOCK_TAGS, HEADING_TAGS = S.SKIP_TAGS, S.BLOCK_TAGS, S.HEADING_TAGS
    global MAX_OWN_TOKENS, MAX_TOKEN_CHARS
    MAX_DEPTH, MAX_TOKENS = S.MAX_DEPTH, S.MAX_TOKENS
    MAX_OWN_TOKENS, MAX_TOKEN_CHARS = S.MAX_OWN_TOKENS, S.MAX_TOKEN_CHARS
    # The compiled `split_tokens` behind a cache of the reference's size (the walk's own).
    SPLIT_TOKENS = lru_cache(maxsize=S._split_tokens.cache_info().maxsize)(split_tokens)
    BLOCK = S.Block
    _block_layout()
    for ident in STATIC_TAGS:
        STATIC_TAG_KIND[ident] = _kind(STATIC_TAGS[ident])
    READY = True


cdef inline int _kind(str tag):
    if tag in SKIP_TAGS or tag[0] == "-":
        return K_SKIP
    if tag == "meta" or tag == "link":
        return K_META
    if tag in BLOCK_TAGS:
        return K_BLOCK
    if tag == "a":
        return K_A
    return K_INLINE


cdef str _tag_name(lxb_dom_node_t *n):
    """Tag name of an element node as selectolax's ``tag`` gives it; Unsupported where this
    walk cannot tell it without lexbor's functions."""
    cdef lxb_dom_element_t *e = <lxb_dom_element_t *> n
    cdef uintptr_t ident
    if e.qualified_name != 0:
        raise Unsupported("element with a qualified name")
    ident = n.local_name
    if ident >= DYNAMIC_MIN:
        return _dynamic_name(ident)
    name = <object> PyList_GET_ITEM(STATIC_TAG_NAMES, ident)
    if name is None:
        raise Unsupported(f"tag id {ident} not calibrated")
    return name


cdef inline int _kind_of(lxb_dom_node_t *n, str tag):
    """`_kind` of the element's tag, from the table for built-in ids."""
    cdef uintptr_t ident = n.local_name
    if ident < DYNAMIC_MIN:
        return STATIC_TAG_KIND[ident]
    return _kind(tag)


cdef void _attrs(lxb_dom_node_t *n, list out, int need) except *:
    """Values of the attributes in ATTR_NAMES whose slot bit is set in ``need`` (None where
    absent or valueless); like a dict built over all attributes, a later duplicate wins."""
    cdef lxb_dom_attr_t *a = (<lxb_dom_element_t *> n).first_attr
    cdef uintptr_t ident
    cdef int slot
    cdef hash_entry_t *e
    cdef const unsigned char *s
    cdef bytes name
    cdef Py_ssize_t i
    for i in range(N_ATTRS):  # only the slots read are reset (the others are never read)
        if (need >> i) & 1:
            out[i] = None
    while a != NULL:
        ident = a.qualified_name if a.qualified_name != 0 else a.node.local_name
        slot = -1
        if ident >= DYNAMIC_MIN:
            e = _entry(ident)
            s = _entry_str(e)
            for name, sl in DYNAMIC_ATTRS:
                if <size_t> len(name) == e.length and memcmp(<const char *> name, s,
                                                            e.length) == 0:
                    slot = sl
                    break
        else:
            slot = STATIC_ATTR_SLOT[ident]
        if slot >= 0 and (need >> slot) & 1:
            if a.value == NULL or a.value.data == NULL:
                out[slot] = None
            else:
                out[slot] = _decode(a.value.data, a.value.length)
        a = a.next


cdef str _deep_text(lxb_dom_node_t *root):
    """selectolax's ``node.text(deep=True, separator=" ")``: every descendant text node, in
    document order, joined by a space (template contents are not children)."""
    cdef list parts = []
    cdef lxb_dom_node_t *n = root.first_child
    cdef lxb_dom_character_data_t *c
    while n != NULL:
        if n.local_name == TEXT_ID:
            c = <lxb_dom_character_data_t *> n
            if c.data.data != NULL:
                parts.append((<const char *> c.data.data)[:c.data.length])
        if n.first_child != NULL:
            n = n.first_child
        else:
            while n != root and n.next == NULL:
                n = n.parent
            if n == root:
                break
            n = n.next
    return b" ".join(parts).decode("utf-8", "replace")


cdef inline bint _ascii_space(const unsigned char *data, size_t length):
    """All bytes ASCII whitespace (then the decoded text ``isspace()`` too)."""
    cdef size_t i
    cdef unsigned char ch
    for i in range(length):
        ch = data[i]
        if not (ch == 32 or ch == 9 or ch == 10 or ch == 13 or ch == 11 or ch == 12):
            return False
    return True


cdef bint _hidden(object hidden, object style) except -1:
    if hidden is not None:
        return True
    return bool(style) and "none" in style and "display:none" in style.replace(" ", "").lower()


cdef inline tuple _untracked(tuple t):
    """t, left out of the cyclic collector: a tuple of strings is never part of a cycle (the
    collector itself stops watching such a tuple once it has walked it)."""
    PyObject_GC_UnTrack(t)
    return t


cdef inline void _put(object o, Py_ssize_t off, object v):
    """Store v (a new reference) in the empty slot at ``off`` of o."""
    Py_INCREF(v)
    (<PyObject**> ((<char*> <PyObject*> o) + off))[0] = <PyObject*> v


cdef object _new_block(object index, str text, str path, str tag, tuple tokens,
                       object link_chars, object depth, str heading, tuple hrefs):
    """``Block(index, text, ..., hrefs)`` without the dataclass's Python ``__init__``: the
    object allocated as its type allocates it (every slot empty), left out of the cyclic
    collector (`Walker.flush`), each field stored in its slot, the defaults as ``__init__``
    sets them (a new dict for ``features``). Used only after `_block_layout` checked Block."""
    cdef object b = PyType_GenericAlloc(<PyTypeObject*> BLOCK, 0)
    PyObject_GC_UnTrack(b)
    _put(b, BLOCK_OFF[0], index)
    _put(b, BLOCK_OFF[1], text)
    _put(b, BLOCK_OFF[2], path)
    _put(b, BLOCK_OFF[3], tag)
    _put(b, BLOCK_OFF[4], tokens)
    _put(b, BLOCK_OFF[5], link_chars)
    _put(b, BLOCK_OFF[6], depth)
    _put(b, BLOCK_OFF[7], heading)
    _put(b, BLOCK_OFF[8], hrefs)
    _put(b, BLOCK_OFF[9], {})
    _put(b, BLOCK_OFF[10], KIND_DEFAULT)
    _put(b, BLOCK_OFF[11], CONFIDENCE_DEFAULT)
    return b


def _block_layout():
    """FAST_BLOCK when Block is what `_new_block` fills: a slots dataclass whose fields are
    `BLOCK_FIELDS` in that order, each an object slot (a member descriptor of type
    T_OBJECT_EX), no ``__post_init__``, the allocator the generic one, the last three with
    the defaults "unknown"-like constants and a dict factory; and one block made both ways
    is equal, field by field. Otherwise the walk calls Block(...)."""
    global FAST_BLOCK, KIND_DEFAULT, CONFIDENCE_DEFAULT
    import dataclasses
    import types

    FAST_BLOCK = False
    fields = dataclasses.fields(BLOCK)
    if (tuple(f.name for f in fields) != BLOCK_FIELDS or hasattr(BLOCK, "__post_init__")
            or hasattr(BLOCK, "__dict__") and "__dict__" in BLOCK.__dict__
            or type(BLOCK).__call__ is not type.__call__ or BLOCK.__new__ is not object.__new__
            or fields[9].default_factory is not dict
            or fields[10].default is dataclasses.MISSING
            or fields[11].default is dataclasses.MISSING):
        return False
    cdef PyMemberDescrObject* d
    for k, name in enumerate(BLOCK_FIELDS):
        desc = BLOCK.__dict__.get(name)
        if type(desc) is not types.MemberDescriptorType:
            return False
        d = <PyMemberDescrObject*> desc
        if d.d_member.type != T_OBJECT_EX:
            return False
        BLOCK_OFF[k] = d.d_member.offset
    KIND_DEFAULT, CONFIDENCE_DEFAULT = fields[10].default, fields[11].default
    args = (3, "a b", "/html/body/p[1]", "p", ("x", "y"), 1, 2, "head", ("/u",))
    made = new_block(*args)
    want = BLOCK(*args)
    if not (type(made) is BLOCK and made == want
            and all(type(getattr(made, f)) is type(getattr(want, f)) for f in BLOCK_FIELDS)
            and made.features is not new_block(*args).features):
        return False
    FAST_BLOCK = True
    return True


def fast_block():
    """Whether the walk makes its Blocks with `_new_block`."""
    return FAST_BLOCK


def new_block(index, str text, str path, str tag, tuple tokens, link_chars, depth,
              str heading, tuple hrefs):
    """`_new_block` (for `_block_layout` and the tests)."""
    return _new_block(index, text, path, tag, tokens, link_chars, depth, heading, hrefs)


cdef class Walker:
    cdef list blocks, buf, hrefs, links, metas
    cdef Py_ssize_t link_chars, flushes
    cdef str heading
    # path, tag, tokens and depth of the element that opened the current block
    cdef str ctx_path, ctx_tag
    cdef tuple ctx_tokens
    cdef int ctx_depth
    cdef list av  # attribute slots, reused

    def __init__(self, list blocks):
        self.blocks = blocks
        self.buf = []
        self.link_chars = 0
        self.hrefs = []
        self.links = []
        self.metas = []
        self.heading = ""
        self.ctx_path, self.ctx_tag, self.ctx_tokens, self.ctx_depth = "/html/body", "body", (), 1
        self.flushes = 0
        self.av = [None] * N_ATTRS

    cdef void flush(self) except *:
        cdef list buf = self.buf
        if not buf:
            return
        text = collapse_ws("".join(buf))  # " ".join("".join(buf).split())
        buf.clear()
        self.flushes += 1
        if text:
            tag = self.ctx_tag
            blocks = self.blocks
            # Block's fields in order: index, text, path, tag, tokens, link_chars, depth,
            # heading, hrefs (positional: no keyword dict a block)
            if FAST_BLOCK:  # the same Block, without a Python call (made untracked)
                blocks.append(_new_block(len(blocks), text, self.ctx_path, tag,
                                         self.ctx_tokens, min(self.link_chars, len(text)),
                                         self.ctx_depth, self.heading,
                                         _untracked(tuple(self.hrefs)) if self.hrefs else ()))
                if tag in HEADING_TAGS:
                    self.heading = text
                self.link_chars = 0
                if self.hrefs:
                    self.hrefs = []
                return
            b = BLOCK(len(blocks), text, self.ctx_path, tag, self.ctx_tokens,
                      min(self.link_chars, len(text)), self.ctx_depth, self.heading,
                      tuple(self.hrefs))
            # A Block holds strings, tuples of strings, ints and a dict of floats: it is never
            # part of a reference cycle, so the cyclic collector need not watch it (freed by its
            # reference count as before). Each collection of the youngest generation then
            # walks ~180 fewer objects a page: collector time in a first pass over the 671
            # benchmark pages 0.08-0.09 ms a page against 0.11-0.16 (docs/fastex6.md).
            PyObject_GC_UnTrack(b)
            blocks.append(b)
            if tag in HEADING_TAGS:
                self.heading = text
        self.link_chars = 0
        if self.hrefs:
            self.hrefs = []

    cdef dict _meta_attrs(self, lxb_dom_node_t *n):
        cdef list av = self.av
        _attrs(n, av, NEED_META)
        return {"property": av[A_PROPERTY], "name": av[A_NAME], "content": av[A_CONTENT],
                "rel": av[A_REL], "href": av[A_HREF]}

    cdef void walk(self, lxb_dom_node_t *child, str path, tuple tokens, int depth,
                   bint in_link) except *:
        cdef dict counts = {}
        cdef lxb_dom_node_t *first
        cdef lxb_dom_character_data_t *c
        cdef int kind
        cdef list av = self.av
        cdef Py_ssize_t mark, flushes
        cdef str o_path, o_tag
        cdef tuple o_tokens
        cdef int o_depth
        while child != NULL:
            if child.local_name == TEXT_ID:
                c = <lxb_dom_character_data_t *> child
                if child.type == TEXT_NODE and c.data.data != NULL and c.data.length:
                    if _ascii_space(c.data.data, c.data.length):  # indentation: no decoding
                        if self.buf:
                            self.buf.append(" ")
                        child = child.next
                        continue
                    t = _decode(c.data.data, c.data.length)
                    if t.isspace():  # keeps words apart, never starts a block
                        if self.buf:
                            self.buf.append(" ")
                    else:
                        self.buf.append(t)
                        if in_link:
                            self.link_chars += len(t.strip())
                child = child.next
                continue
            if child.type != ELEMENT_NODE:  # comments, doctype, processing instructions
                child = child.next
                continue
            tag = _tag_name(child)
            kind = _kind_of(child, tag)
            if kind == K_SKIP:
                pass
            elif kind == K_META:
                self.metas.append((self._meta_attrs(child), tag))
            elif kind == K_BLOCK:
                _attrs(child, av, NEED_BLOCK)
                i = counts[tag] = counts.get(tag, 0) + 1
                if not _hidden(av[A_HIDDEN], av[A_STYLE]):
                    cpath = f"{path}/{tag}[{i}]"
                    cls, id_ = av[A_CLASS], av[A_ID]
                    own = SPLIT_TOKENS(cls or "", id_ or "") if (cls or id_) else ()
                    ctoks = _untracked((tokens + own)[-MAX_TOKENS:]) if own else tokens
                    self.flush()
                    o_path, o_tag, o_tokens, o_depth = (self.ctx_path, self.ctx_tag,
                                                        self.ctx_tokens, self.ctx_depth)
                    self.ctx_path, self.ctx_tag, self.ctx_tokens = cpath, tag, ctoks
                    self.ctx_depth = depth + 1
                    first = child.first_child
                    if first != NULL:
                        if depth < MAX_DEPTH:
                            self.walk(first, cpath, ctoks, depth + 1, in_link)
                        else:  # hostile nesting: flatten the rest into this block
                            self.buf.append(_deep_text(child))
                    self.flush()
                    self.ctx_path, self.ctx_tag, self.ctx_tokens = o_path, o_tag, o_tokens
                    self.ctx_depth = o_depth
            else:
                i = counts[tag] = counts.get(tag, 0) + 1
                first = child.first_child
                if first == NULL:  # img, input, empty icons: no text, nothing to walk
                    if kind == K_A:
                        _attrs(child, av, NEED_A)
                        href = av[A_HREF]
                        if href and not _hidden(av[A_HIDDEN], av[A_STYLE]):
                            self.hrefs.append(href)
                            self.links.append(_untracked((href, "")))
                    child = child.next
                    continue
                cpath = f"{path}/{tag}[{i}]"
                _attrs(child, av, NEED_A if kind == K_A else NEED_INLINE)
                if _hidden(av[A_HIDDEN], av[A_STYLE]):
                    pass
                elif kind == K_A:
                    href = av[A_HREF]
                    mark, flushes = len(self.buf), self.flushes
                    if href:
                        self.hrefs.append(href)
                    self._inline(child, first, cpath, tokens, depth, True)
                    if href:
                        anchor = ("".join(self.buf[mark:]) if flushes == self.flushes
                                  else _deep_text(child))
                        self.links.append(_untracked((href, " ".join(anchor.split())[:200])))
                else:
                    self._inline(child, first, cpath, tokens, depth, in_link)
            child = child.next

    cdef void _inline(self, lxb_dom_node_t *child, lxb_dom_node_t *first, str cpath,
                      tuple tokens, int depth, bint in_link) except *:
        if depth < MAX_DEPTH:
            self.walk(first, cpath, tokens, depth + 1, in_link)
        else:
            t = _deep_text(child)
            self.buf.append(t)
            if in_link:
                self.link_chars += len(t.strip())


def walk_body(size_t body_mem_id, list blocks):
    """Walk the children of <body> (its selectolax ``mem_id``): (blocks, links, metas) where
    blocks extends ``blocks`` and metas are (attributes, tag) of the <meta>/<link> elements in
    document order; raises Unsupported for a node this walk does not mirror."""
    if not READY:
        raise Unsupported("not calibrated")
    cdef Walker w = Walker(list(blocks))
    w.walk(_node(body_mem_id).first_child, "/html/body", (), 1, False)
    w.flush()
    return w.blocks, w.links, w.metas


def walk_head(size_t head_mem_id):
    """The children of <head> (its selectolax ``mem_id``) as detector.segment._read_head
    reads them: (metas, title) where metas are (attributes, tag) of the <meta>/<link>
    children in document order and title is the text of the first <title> child with a
    text, its whitespace runs made one space ("" when every <title> child is empty; None
    when there is none). Raises Unsupported for a node this
    walk does not mirror and for a <title> holding anything but one text node (the Python
    reading takes those)."""
    if not READY:
        raise Unsupported("not calibrated")
    cdef Walker w = Walker([])
    cdef list metas = []
    cdef lxb_dom_node_t *n = _node(head_mem_id).first_child
    cdef lxb_dom_node_t *t
    cdef lxb_dom_character_data_t *c
    cdef object title = None
    cdef str tag
    while n != NULL:
        if n.type == ELEMENT_NODE and n.local_name != TEXT_ID:
            tag = _tag_name(n)
            if tag == "meta" or tag == "link":
                metas.append((w._meta_attrs(n), tag))
            elif tag == "title" and not title:
                t = n.first_child
                if t == NULL:
                    title = ""
                elif (t.next == NULL and t.local_name == TEXT_ID and t.type == TEXT_NODE
                        and t.first_child == NULL):
                    c = <lxb_dom_character_data_t *> t
                    title = (" ".join(_decode(c.data.data, c.data.length).split())
                             if c.data.data != NULL and c.data.length else "")
                else:
                    raise Unsupported("a <title> with several nodes")
        n = n.next
    return metas, title


# For the calibration in detector._fast.lexbor_walk.
ELEMENT_NODE_TYPE = ELEMENT_NODE
ATTRIBUTE_NODE_TYPE = ATTRIBUTE_NODE
TEXT_NODE_TYPE = TEXT_NODE
DYNAMIC_ID_MIN = DYNAMIC_MIN
