"""Which paths of a directory artifact an exclude pattern removes, resolved exactly as `kosli fingerprint` does.

Kosli (internal/digest, `DirSha256`) does not match patterns against the entries it walks. It joins each pattern to
the root with Go's `filepath.Join` (which cleans: `logs/`, `/logs`, `./logs` all become `ROOT/logs`), expands the
result on disk with `filepathx.Glob` (github.com/yargevad/filepathx v1.0.0), and later skips a walked entry when its
path string is one of the expansions. So a pattern is anchored at the root, `*` stops at `/`, and `**` is not a path
segment but a splice: the pattern is cut at every `**`, and each piece is appended, as text, to every path found so
far *and everything beneath it*. A piece that starts with `/` therefore yields `ROOT//name` for a root-level name,
which the walk never emits: such an entry keeps its name in the digest while what lies beneath it is excluded. This
module restates those rules on bytes (POSIX `filepath`), quirks included, because the digest must be Kosli's.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterable, Iterator

from tracegraph.errors import InvalidInput

_SEPARATOR = 0x2F  # "/"
_META = frozenset(b"*?[\\")
_RUNE_ERROR = 0xFFFD
# Go's unicode.IsSpace, which strings.TrimSpace uses (Python's str.strip also trims \x1c-\x1f).
_GO_SPACE = "\t\n\v\f\r \x85\xa0\u1680" + "".join(map(chr, range(0x2000, 0x200B))) + "\u2028\u2029\u202f\u205f\u3000"
IGNORE_FILE = b".kosli_ignore"


class BadPattern(Exception):
    """Go's filepath.ErrBadPattern."""


def _decode_rune(data: bytes, index: int) -> tuple[int, int]:
    """utf8.DecodeRune: (code point, width); an invalid byte decodes as U+FFFD of width 1."""
    lead = data[index]
    if lead < 0x80:
        return lead, 1
    width = 2 if 0xC2 <= lead <= 0xDF else 3 if 0xE0 <= lead <= 0xEF else 4 if 0xF0 <= lead <= 0xF4 else 0
    if width:
        try:
            return ord(data[index : index + width].decode("utf-8")), width
        except UnicodeDecodeError:
            pass
    return _RUNE_ERROR, 1


def _scan_chunk(pattern: bytes) -> tuple[bool, bytes, bytes]:
    star = False
    while pattern[:1] == b"*":
        pattern = pattern[1:]
        star = True
    in_range = False
    i = 0
    while i < len(pattern):
        char = pattern[i]
        if char == 0x5C and i + 1 < len(pattern):  # "\\" escapes the next byte
            i += 1
        elif char == 0x5B:
            in_range = True
        elif char == 0x5D:
            in_range = False
        elif char == 0x2A and not in_range:
            return star, pattern[:i], pattern[i:]
        i += 1
    return star, pattern, b""


def _get_escaped(chunk: bytes) -> tuple[int, bytes]:
    if not chunk or chunk[0] in b"-]":
        raise BadPattern
    if chunk[0] == 0x5C:
        chunk = chunk[1:]
        if not chunk:
            raise BadPattern
    rune, width = _decode_rune(chunk, 0)
    if rune == _RUNE_ERROR and width == 1:
        raise BadPattern
    rest = chunk[width:]
    if not rest:
        raise BadPattern
    return rune, rest


def _match_chunk(chunk: bytes, name: bytes) -> bytes | None:
    """The rest of `name` after `chunk` matched its start, else None; the whole chunk is always checked for syntax."""
    failed = False
    while chunk:
        failed = failed or not name
        lead = chunk[0]
        if lead == 0x5B:  # "[" a class; "^" negates it
            rune = 0
            if not failed:
                rune, width = _decode_rune(name, 0)
                name = name[width:]
            chunk = chunk[1:]
            negated = chunk[:1] == b"^"
            if negated:
                chunk = chunk[1:]
            matched = False
            ranges = 0
            while True:
                if chunk[:1] == b"]" and ranges > 0:
                    chunk = chunk[1:]
                    break
                low, chunk = _get_escaped(chunk)
                high = low
                if chunk[0] == 0x2D:
                    high, chunk = _get_escaped(chunk[1:])
                matched = matched or low <= rune <= high
                ranges += 1
            failed = failed or matched == negated
        elif lead == 0x3F:  # "?" one character, never "/"
            if not failed:
                failed = name[0] == _SEPARATOR
                name = name[_decode_rune(name, 0)[1] :]
            chunk = chunk[1:]
        else:
            if lead == 0x5C:
                chunk = chunk[1:]
                if not chunk:
                    raise BadPattern
            if not failed:
                failed = chunk[0] != name[0]
                name = name[1:]
            chunk = chunk[1:]
    return None if failed else name


def go_match(pattern: bytes, name: bytes) -> bool:
    """filepath.Match on POSIX: `*` and `?` never match `/`; `[...]`, `[^...]`; `\\` escapes; `!` is literal."""
    while pattern:
        star, chunk, pattern = _scan_chunk(pattern)
        if star and not chunk:
            return b"/" not in name
        rest = _match_chunk(chunk, name)
        if rest is not None and (not rest or pattern):
            name = rest
            continue
        if star:
            advanced = False
            for i in range(len(name)):
                if name[i] == _SEPARATOR:
                    break
                rest = _match_chunk(chunk, name[i + 1 :])
                if rest is not None:
                    if not pattern and rest:
                        continue
                    name, advanced = rest, True
                    break
            if advanced:
                continue
        return False
    return not name


def go_clean(path: bytes) -> bytes:
    """filepath.Clean on POSIX."""
    if not path:
        return b"."
    rooted = path.startswith(b"/")
    parts: list[bytes] = []
    for part in path.split(b"/"):
        if part in (b"", b"."):
            continue
        if part == b"..":
            if parts and parts[-1] != b"..":
                parts.pop()
            elif not rooted:
                parts.append(part)
            continue
        parts.append(part)
    cleaned = b"/".join(parts)
    if rooted:
        return b"/" + cleaned
    return cleaned or b"."


def go_join(*elements: bytes) -> bytes:
    """filepath.Join: the non-empty elements joined by `/`, cleaned; empty when all are empty."""
    kept = [element for element in elements if element]
    return go_clean(b"/".join(kept)) if kept else b""


def _lexists(path: bytes) -> bool:
    try:
        os.lstat(path)
    except (OSError, ValueError):
        return False
    return True


def _glob_in(directory: bytes, pattern: bytes) -> list[bytes]:
    try:
        if not stat.S_ISDIR(os.stat(directory).st_mode):
            return []
        names = sorted(os.listdir(directory))
    except (OSError, ValueError):  # Go ignores I/O errors here
        return []
    return [go_join(directory, name) for name in names if go_match(pattern, name)]


def go_glob(pattern: bytes) -> list[bytes]:
    """filepath.Glob: a pattern without meta characters is returned as is when it exists (trailing `/` kept)."""
    go_match(pattern, b"")  # raises on the syntax errors Go reports before touching the disk
    if not _META.intersection(pattern):
        return [pattern] if _lexists(pattern) else []
    cut = pattern.rfind(b"/") + 1
    directory, file_pattern = pattern[:cut], pattern[cut:]
    directory = b"." if not directory else directory if directory == b"/" else directory[:-1]
    if not _META.intersection(directory):
        return _glob_in(directory, file_pattern)
    if directory == pattern:
        raise BadPattern
    return [found for parent in go_glob(directory) for found in _glob_in(parent, file_pattern)]


def _walk(path: bytes) -> Iterator[bytes]:
    """filepath.Walk's visiting order (symbolic links not followed); unreadable directories raise as in filepathx."""
    yield path
    if stat.S_ISDIR(os.lstat(path).st_mode):
        for name in sorted(os.listdir(path)):
            yield from _walk(go_join(path, name))


def expand(pattern: bytes) -> list[bytes]:
    """filepathx.Glob: without `**`, filepath.Glob; with it, the splice described in the module docstring."""
    if b"**" not in pattern:
        return go_glob(pattern)
    matches = [b""]
    for piece in pattern.split(b"**"):
        hits: dict[bytes, None] = {}
        for match in matches:
            for found in go_glob(match + piece):
                hits.update(dict.fromkeys(_walk(found)))
        matches = list(hits)
    return matches


def excluded_paths(root: bytes, patterns: Iterable[bytes]) -> frozenset[bytes]:
    """Every path string a walk of `root` must skip (with everything beneath, for a directory)."""
    found: set[bytes] = set()
    for pattern in patterns:
        try:
            found.update(expand(go_join(root, pattern)))
        except BadPattern:
            raise InvalidInput("exclude", f"{os.fsdecode(pattern)!r}: syntax error in pattern") from None
    return frozenset(found)


def ignore_file_patterns(root: bytes) -> list[bytes]:
    """The rules in ROOT/.kosli_ignore: one per line, `#` starts a comment, blank lines and surrounding space dropped.

    A missing file gives none; a directory of that name gives none (Go's scanner stops at the read error).
    """
    try:
        with open(go_join(root, IGNORE_FILE), "rb") as stream:
            content = stream.read()
    except (FileNotFoundError, IsADirectoryError):
        return []
    rules: list[bytes] = []
    for raw in content.split(b"\n"):
        line = raw.removesuffix(b"\r").split(b"#", 1)[0].rstrip(b" ")
        text = line.decode("utf-8", "surrogateescape").strip(_GO_SPACE)
        if text:
            rules.append(text.encode("utf-8", "surrogateescape"))
    return rules


def split_flag_values(values: Iterable[str]) -> list[str]:
    """Repeated `-x` values, each a comma-separated CSV record, as pflag's StringSlice reads them."""
    patterns: list[str] = []
    for value in values:
        patterns.extend(_csv_record(value))
    return patterns


def _csv_record(value: str) -> list[str]:
    """One record of Go's encoding/csv (not lazy): `"` quotes a whole field, `""` inside it is one quote."""
    if value == "":
        return []
    fields: list[str] = []
    i = 0
    while True:
        if value[i : i + 1] == '"':
            field: list[str] = []
            i += 1
            while True:
                end = value.find('"', i)
                if end < 0:
                    raise InvalidInput("exclude", f'{value!r}: extraneous or missing " in quoted-field')
                field.append(value[i:end])
                i = end + 1
                if value[i : i + 1] == '"':
                    field.append('"')
                    i += 1
                    continue
                break
            if i < len(value) and value[i] != ",":
                raise InvalidInput("exclude", f'{value!r}: extraneous or missing " in quoted-field')
            fields.append("".join(field))
        else:
            end = value.find(",", i)
            end = len(value) if end < 0 else end
            if '"' in value[i:end]:
                raise InvalidInput("exclude", f'{value!r}: bare " in non-quoted-field')
            fields.append(value[i:end])
            i = end
        if i >= len(value):
            return fields
        i += 1  # the comma
