"""Validated value types shared by every input model.

Each rule is stated once, here, and quoted in error messages and in the GraphQL descriptions:

- a *name* (org, flow, environment): 1-100 characters from ``A-Z a-z 0-9 . _ -``, starting with a letter or digit;
- a *fingerprint*: the SHA-256 of an artifact, 64 hexadecimal characters (stored lower case);
- a *commit sha*: 40 hexadecimal characters (stored lower case);
- a *prefix*: 5-64 hexadecimal characters;
- *text*: printable, at most 10,000 characters; an *observed name*: 1-512 printable characters;
- a *URL*: http or https, at most 2,048 characters.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import Annotated

from pydantic import AfterValidator, BeforeValidator, Field, StringConstraints

from tracegraph.errors import InvalidInput

NAME_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$"
NAME_RULE = "1-100 characters from A-Z a-z 0-9 . _ -, starting with a letter or digit"
FINGERPRINT_RULE = "a SHA-256 fingerprint: exactly 64 hexadecimal characters"
SHA_RULE = "a git commit sha: exactly 40 hexadecimal characters"
PREFIX_RULE = "a prefix of 5 to 64 hexadecimal characters"
MIN_PREFIX = 5

_HEX = re.compile(r"^[0-9a-fA-F]*$")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _hex_of_length(length: int, rule: str) -> AfterValidator:
    def check(value: str) -> str:
        if len(value) != length or not _HEX.match(value):
            raise ValueError(f"must be {rule}")
        return value.lower()

    return AfterValidator(check)


def hex_prefix(value: str, *, field: str, longest: int = 64) -> str:
    """A prefix as the edges accept it (commits are at most 40 long, fingerprints 64), lower-cased."""
    text = value.strip()
    if not MIN_PREFIX <= len(text) <= longest or not _HEX.match(text):
        rule = PREFIX_RULE if longest == 64 else f"a prefix of {MIN_PREFIX} to {longest} hexadecimal characters"
        raise InvalidInput(field, f"must be {rule}; got {value[:80]!r}")
    return text.lower()


def _check_name(value: str) -> str:
    if not re.match(NAME_PATTERN, value):
        raise ValueError(f"must be {NAME_RULE}")
    return value


def _check_printable(value: str) -> str:
    if _CONTROL.search(value):
        raise ValueError("must not contain control characters")
    return value


def _check_url(value: str) -> str:
    if not value.startswith(("http://", "https://")):
        raise ValueError("must be an http or https URL")
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


def _strip(value: object) -> object:
    return value.strip() if isinstance(value, str) else value


Name = Annotated[str, BeforeValidator(_strip), AfterValidator(_check_name)]
Fingerprint = Annotated[str, BeforeValidator(_strip), _hex_of_length(64, FINGERPRINT_RULE)]
Sha = Annotated[str, BeforeValidator(_strip), _hex_of_length(40, SHA_RULE)]
Text = Annotated[str, StringConstraints(max_length=10_000)]
ObservedName = Annotated[
    str, StringConstraints(min_length=1, max_length=512, strip_whitespace=True), AfterValidator(_check_printable)
]
Label = Annotated[
    str, StringConstraints(min_length=1, max_length=200, strip_whitespace=True), AfterValidator(_check_printable)
]
Url = Annotated[str, StringConstraints(max_length=2048, strip_whitespace=True), AfterValidator(_check_url)]
Timestamp = Annotated[datetime, AfterValidator(_to_utc)]
# When something happened, as reported: not in the future.
ReportedTime = Annotated[datetime, AfterValidator(_to_utc), AfterValidator(_not_in_future)]
Instances = Annotated[int, Field(ge=1, le=1_000_000)]


def utc_now() -> datetime:
    return datetime.now(UTC)


# How many matches `search` returns per kind.
MAX_SEARCH_MATCHES = 20
