"""Reads the program's bytes the way `python3 main.py` reads main.py (PEP 263).

A coding declaration in the first two lines (the second only after a comment or blank first line) or a
UTF-8 BOM says how to decode; without one the file must be UTF-8. When Python's own file reader would
refuse the bytes, the same SyntaxError is raised, message for message: compile() on bytes alone differs
(it accepts a bad byte in a comment, and words its errors differently).

Imported by program.start_program only; nothing here runs member code.
"""

_BOM = b"\xef\xbb\xbf"
_PEP = "see https://peps.python.org/pep-0263/ for details"


def read_source(raw, path):
    """(what to compile, the text tracebacks show) for the program's bytes.

    What to compile is text, or for declared UTF-8 the bytes themselves, which compile() then reads exactly
    as the file reader does (a bad byte in a string literal is its own SyntaxError, in a comment it is not).
    Raises SyntaxError as `python3 main.py` does; `path` is the file name its messages give.
    """
    if b"\x00" in raw:
        declared = _declared_encoding(raw[len(_BOM):] if raw.startswith(_BOM) else raw)
        if declared is None or _normal_name(declared) == "utf-8":
            # Python 3.11 reads a UTF-8 file's lines as C strings: a NUL byte ends its line there, end of line
            # included, so the next line continues it. Tracebacks show the file as it is. (Through another
            # codec the NUL reaches the parser, whose messages vary: that case is not copied.)
            import re

            code, _ = read_source(re.sub(b"\x00[^\n]*\n?", b"", raw), path)
            return code, raw.decode("utf-8", "replace")
    bom = raw.startswith(_BOM)
    declared = _declared_encoding(raw[len(_BOM):] if bom else raw)
    if declared is None and not bom:
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as e:
            line = raw.count(b"\n", 0, e.start) + 1
            raise SyntaxError(
                "Non-UTF-8 code starting with '\\x%02x' in file %s on line %d, but no encoding declared; %s"
                % (raw[e.start], path, line, _PEP)
            ) from None
        return text, text
    normal = _normal_name(declared) if declared else "utf-8"
    if bom and normal != "utf-8":
        raise SyntaxError("encoding problem: %s with BOM" % normal)
    if normal == "utf-8":
        return raw, raw.decode("utf-8", "replace")
    import codecs

    try:
        codec = codecs.lookup(declared)
    except LookupError:
        raise SyntaxError("encoding problem: %s" % declared) from None
    try:
        if "#".encode(codec.name) != b"#":  # UTF-16 and the like cannot hold a coding line
            raise UnicodeError
        text = raw.decode(codec.name)
    except UnicodeError:
        raise SyntaxError("encoding problem: %s" % normal) from None
    return text, text


def _declared_encoding(raw):
    """The name in a coding declaration, as written, or None (the tokenizer's rules)."""
    first, _, rest = raw.partition(b"\n")
    if b"coding" not in first and b"coding" not in rest[: rest.find(b"\n") + 1 or len(rest)]:
        return None  # the usual case, without importing re
    import re

    cookie = re.compile(rb"^[ \t\f]*#.*?coding[:=][ \t]*([-\w.]+)", re.ASCII)
    match = cookie.match(first)
    if match is None:
        if not re.match(rb"^[ \t\f]*(?:[#\r\n]|$)", first):
            return None  # code on the first line: a declaration on the second does not count
        match = cookie.match(rest.partition(b"\n")[0])
    return match.group(1).decode("ascii") if match else None


def _normal_name(name):
    """CPython's get_normal_name: utf-8 and latin-1 spellings to one name each, others as written."""
    enc = name[:12].lower().replace("_", "-")
    if enc == "utf-8" or enc.startswith("utf-8-"):
        return "utf-8"
    if enc in ("latin-1", "iso-8859-1", "iso-latin-1") or enc.startswith(("latin-1-", "iso-8859-1-", "iso-latin-1-")):
        return "iso-8859-1"
    return name
