"""Validated value types shared by every input model.

Each rule is stated once, here, and quoted in error messages and in the GraphQL descriptions:

- a *name* (org, flow, environment): 1-100 characters from ``A-Z a-z 0-9 . _ -``, starting with a letter or digit;
- a *fingerprint*: the SHA-256 of an artifact, 64 hexadecimal characters (stored lower case);
- a *commit sha*: 40 hexadecimal characters (stored lower case);
- a *prefix*: 5-64 hexadecimal characters;
- a *label* (1-200 characters) and an *observed name* (1-512 characters) are one line of printable text: no control
  characters (tab, newline, carriage return, NEL and the other C0/C1 controls), no line or paragraph separator
  (U+2028, U+2029), and no invisible format character that hides or reorders the text around it (zero-width space
  U+200B, word joiners and invisible operators U+2060-U+2064, bidirectional embeddings, overrides and isolates
  U+202A-U+202E and U+2066-U+2069, U+206A-U+206F, U+180E, U+FEFF, U+FFF9-U+FFFB). The format characters that
  writing needs stay allowed: ZWJ and ZWNJ (emoji sequences, Indic and Persian scripts), the direction marks LRM, RLM
  and ALM, the soft hyphen, tag characters (flag emoji); so do spaces, combining marks and emoji. Leading and
  trailing whitespace is trimmed;
- *text* (descriptions): at most 10,000 characters of multi-line text: printable as a label, except that tabs,
  newlines (``\n`` or ``\r\n``), line and paragraph separators and format characters are allowed; other control
  characters (a lone ``\r`` included) are not;
- a *commit message*: at most 10,000 characters, kept exactly as git holds it — git stores any byte in a message
  (form feeds, escape sequences, NUL from old tools), and a trace must show the commit as it is, so only the
  valid-Unicode rule applies;
- an *attestation kind*: a name (``generic``, ``junit``…), or ``custom:`` followed by the label of a custom
  attestation type (``custom:coverage-metrics``);
- a *URL*: http or https with a host, at most 2,048 characters, without whitespace or control characters;
- every string: valid Unicode, i.e. no lone surrogate (U+D800-U+DFFF), which no database can store.
"""

from __future__ import annotations

import functools
import inspect
import re
from collections.abc import Callable, Coroutine
from datetime import UTC, datetime, timedelta
from typing import Annotated, Any, TypeVar
from urllib.parse import urlsplit

from pydantic import AfterValidator, BeforeValidator, Field, StringConstraints

from tracegraph.errors import InvalidInput

NAME_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$"
NAME_RULE = "1-100 characters from A-Z a-z 0-9 . _ -, starting with a letter or digit"
FINGERPRINT_RULE = "a SHA-256 fingerprint: exactly 64 hexadecimal characters"
SHA_RULE = "a git commit sha: exactly 40 hexadecimal characters"
PREFIX_RULE = "a prefix of 5 to 64 hexadecimal characters"
UNICODE_RULE = "valid Unicode (no lone surrogate U+D800-U+DFFF)"
LINE_RULE = (
    "one line of printable text: no control characters (tab, newline, NEL…), no line or paragraph separators, no "
    "invisible format characters such as U+200B, U+FEFF or bidirectional overrides"
)
LABEL_RULE = f"1-200 characters of {LINE_RULE}"
OBSERVED_NAME_RULE = f"1-512 characters of {LINE_RULE}"
TEXT_RULE = "at most 10,000 characters; tabs and line breaks are allowed, other control characters are not"
KIND_RULE = f"a name ({NAME_RULE}), or custom: followed by a custom attestation type's name ({LABEL_RULE})"
CUSTOM_KIND = "custom:"
URL_RULE = "an http or https URL with a host, at most 2,048 characters, without whitespace or control characters"
MIN_PREFIX = 5

_NAME = re.compile(NAME_PATTERN)
_HEX = re.compile(r"[0-9a-fA-F]*")
# Cc (U+0000-U+001F, U+007F-U+009F), Zl, Zp, and the format characters (Cf) that hide or reorder text; the Cf that
# writing needs (ZWJ, ZWNJ, LRM, RLM, ALM, soft hyphen, tags) are not here. Lone surrogates are refused earlier.
_INVISIBLE = r"\u180e\u200b\u202a-\u202e\u2060-\u206f\ufeff\ufff9-\ufffb"
_NOT_IN_A_LINE = re.compile(rf"[\x00-\x1f\x7f-\x9f\u2028\u2029{_INVISIBLE}]")
# Multi-line text: tab, newline and CR LF allowed; every other control character (a lone CR too) refused.
_NOT_IN_TEXT = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]|\r(?!\n)")
_NOT_IN_A_URL = re.compile(rf"[\s\x00-\x1f\x7f-\x9f{_INVISIBLE}]")


def lone_surrogate(value: str) -> tuple[int, int] | None:
    """The position and code point of the first lone surrogate in `value` (which UTF-8 cannot encode), or None."""
    if value.isascii():
        return None
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as error:
        return error.start, ord(value[error.start])
    return None


def unicode_error(value: str) -> str | None:
    """Why `value` is not valid Unicode (a lone surrogate), or None when it is."""
    found = lone_surrogate(value)
    if found is None:
        return None
    position, code_point = found
    return f"must be {UNICODE_RULE}; got U+{code_point:04X} at position {position}"


def check_unicode(value: str, *, field: str) -> str:
    """`value`, unless it holds a lone surrogate: then `InvalidInput(field, ...)`."""
    problem = unicode_error(value)
    if problem is not None:
        raise InvalidInput(field, problem)
    return value


def _hex_of_length(length: int, rule: str) -> AfterValidator:
    def check(value: str) -> str:
        if len(value) != length or not _HEX.fullmatch(value):
            raise ValueError(f"must be {rule}")
        return value.lower()

    return AfterValidator(check)


def hex_prefix(value: str, *, field: str, longest: int = 64) -> str:
    """A prefix as the edges accept it (commits are at most 40 long, fingerprints 64), lower-cased."""
    text = value.strip()
    if not MIN_PREFIX <= len(text) <= longest or not _HEX.fullmatch(text):
        rule = PREFIX_RULE if longest == 64 else f"a prefix of {MIN_PREFIX} to {longest} hexadecimal characters"
        raise InvalidInput(field, f"must be {rule}; got {value[:80]!r}")
    return text.lower()


def _check_name(value: str) -> str:
    if not _NAME.fullmatch(value):
        raise ValueError(f"must be {NAME_RULE}")
    return value


def _check_kind(value: str) -> str:
    if value.startswith(CUSTOM_KIND):
        type_name = value.removeprefix(CUSTOM_KIND).strip()
        if not 1 <= len(type_name) <= 200 or _NOT_IN_A_LINE.search(type_name):
            raise ValueError(f"must be {KIND_RULE}")
        return CUSTOM_KIND + type_name
    if not _NAME.fullmatch(value):
        raise ValueError(f"must be {KIND_RULE}")
    return value


def _refuse(pattern: re.Pattern[str], value: str, rule: str) -> str:
    found = pattern.search(value)
    if found is not None:
        raise ValueError(f"must be {rule}; got U+{ord(found.group()[0]):04X} at position {found.start()}")
    return value


def _check_line(rule: str) -> AfterValidator:
    return AfterValidator(lambda value: _refuse(_NOT_IN_A_LINE, value, rule))


def _check_text(value: str) -> str:
    return _refuse(_NOT_IN_TEXT, value, f"text of {TEXT_RULE}")


def _check_url(value: str) -> str:
    _refuse(_NOT_IN_A_URL, value, URL_RULE)
    try:
        host = urlsplit(value).hostname if value.startswith(("http://", "https://")) else None
    except ValueError:  # e.g. an unclosed IPv6 bracket
        host = None
    if not host:
        raise ValueError(f"must be {URL_RULE}")
    return value


def _to_utc(value: datetime) -> datetime:
    if value.tzinfo is None:
        raise ValueError("must carry a time zone (e.g. 2022-09-06T14:52:28Z)")
    try:
        return value.astimezone(UTC)
    except OverflowError:
        raise ValueError("is out of range") from None


# How far ahead of the server's clock a reported time may be: a little clock skew, not a time that would pin every
# later report of an environment to the future.
MAX_CLOCK_SKEW = timedelta(minutes=5)


def _not_in_future(value: datetime) -> datetime:
    if value > utc_now() + MAX_CLOCK_SKEW:
        raise ValueError("must not be in the future (more than 5 minutes ahead of the server's clock)")
    return value


def _in_future(value: datetime) -> datetime:
    if value <= utc_now():
        raise ValueError("must be in the future: a token that is already expired could never be used")
    return value


def _valid_unicode(value: object) -> object:
    """Before pydantic's own string check, whose message ("unable to parse raw data") does not say what is wrong."""
    if isinstance(value, str) and (problem := unicode_error(value)) is not None:
        raise ValueError(problem)
    return value


def _strip(value: object) -> object:
    value = _valid_unicode(value)
    return value.strip() if isinstance(value, str) else value


Name = Annotated[str, BeforeValidator(_strip), AfterValidator(_check_name)]
Fingerprint = Annotated[str, BeforeValidator(_strip), _hex_of_length(64, FINGERPRINT_RULE)]
Sha = Annotated[str, BeforeValidator(_strip), _hex_of_length(40, SHA_RULE)]
Text = Annotated[
    str, BeforeValidator(_valid_unicode), StringConstraints(max_length=10_000), AfterValidator(_check_text)
]
CommitMessage = Annotated[str, BeforeValidator(_valid_unicode), StringConstraints(max_length=10_000)]
ObservedName = Annotated[
    str,
    BeforeValidator(_valid_unicode),
    StringConstraints(min_length=1, max_length=512, strip_whitespace=True),
    _check_line(OBSERVED_NAME_RULE),
]
Label = Annotated[
    str,
    BeforeValidator(_valid_unicode),
    StringConstraints(min_length=1, max_length=200, strip_whitespace=True),
    _check_line(LABEL_RULE),
]
AttestationKind = Annotated[str, BeforeValidator(_strip), AfterValidator(_check_kind)]
Url = Annotated[
    str,
    BeforeValidator(_valid_unicode),
    StringConstraints(max_length=2048, strip_whitespace=True),
    AfterValidator(_check_url),
]
Timestamp = Annotated[datetime, AfterValidator(_to_utc)]
# When something happened, as reported: not in the future.
ReportedTime = Annotated[datetime, AfterValidator(_to_utc), AfterValidator(_not_in_future)]
# When a new token stops working: later than now.
ExpiryTime = Annotated[datetime, AfterValidator(_to_utc), AfterValidator(_in_future)]
# Strict: `true` is not one instance, nor "3" three.
Instances = Annotated[int, Field(ge=1, le=1_000_000, strict=True)]


def utc_now() -> datetime:
    return datetime.now(UTC)


# How many matches `search` returns per kind.
MAX_SEARCH_MATCHES = 20

StoreT = TypeVar("StoreT", bound=type)


def checks_unicode(store: StoreT) -> StoreT:
    """Class decorator of a store: each public coroutine method first checks its plain string arguments (and the
    strings in list, tuple or set arguments), raising `InvalidInput(<parameter>, "must be valid Unicode ...")` for a
    lone surrogate, which no database driver can encode. Pydantic inputs check their own strings.

    One line on each backend's class keeps every read safe on both, the same way, before any database work."""
    for name in dir(store):
        method = getattr(store, name)
        if name.startswith("_") or not inspect.iscoroutinefunction(method):
            continue
        setattr(store, name, _checking(method))
    return store


def _checking(method: Callable[..., Coroutine[Any, Any, Any]]) -> Callable[..., Coroutine[Any, Any, Any]]:
    # The parameter names once, here: binding the signature on every call would cost each store call microseconds.
    names = [name for name in inspect.signature(method).parameters if name != "self"]

    @functools.wraps(method)
    async def checked(self: object, *args: Any, **kwargs: Any) -> Any:
        for name, value in zip(names, args, strict=False):
            _check_strings(value, name)
        for name, value in kwargs.items():
            _check_strings(value, name)
        return await method(self, *args, **kwargs)

    return checked


def _check_strings(value: object, field: str) -> None:
    if isinstance(value, str):
        check_unicode(value, field=field)
    elif isinstance(value, list | tuple | set | frozenset):
        for position, item in enumerate(value):
            _check_strings(item, f"{field}.{position}")
