"""The cursor and global-id decoders: every token they did not write is `InvalidInput` naming the argument."""

from __future__ import annotations

import base64
import json
from collections.abc import Callable
from typing import Any, TypeVar

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tracegraph.errors import InvalidInput
from tracegraph.graph.selectors import MAX_INDEX
from tracegraph.resolvers.cursors import (
    CURSOR_RULE,
    ID_RULE,
    SHAPES,
    Key,
    decode_cursor,
    decode_id,
    encode_cursor,
    encode_id,
)

BOUNDED = settings(
    derandomize=True, max_examples=300, deadline=None, database=None, suppress_health_check=list(HealthCheck)
)
FP = "ab" * 32
T = TypeVar("T")


def b64(raw: bytes | str) -> str:
    data = raw.encode("utf-8", "surrogatepass") if isinstance(raw, str) else raw
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def b64json(value: Any) -> str:
    return b64(json.dumps(value, separators=(",", ":")))


def attempt(call: Callable[[], T]) -> tuple[T | None, InvalidInput | None]:
    """What `call` answers, or the `InvalidInput` it raises."""
    try:
        return call(), None
    except InvalidInput as error:
        return None, error


def refused(kind: str, cursor: str, field: str = "after") -> InvalidInput:
    with pytest.raises(InvalidInput) as error:
        decode_cursor(kind, cursor, field=field)
    assert error.value.field == field
    assert CURSOR_RULE in error.value.rule
    return error.value


VALID_KEYS: list[tuple[str, Key]] = [
    ("artifact", (FP,)),
    ("snapshot", (1,)),
    ("snapshot", (MAX_INDEX,)),
    ("running", ("régistre/añil:ü 🚀 \u200f", FP)),
    ("event", ("x" * 512, FP)),
    ("flow", ("web",)),
    ("environment", ("aws-prod.eu_1",)),
    ("webhook_delivery", (812, "commit.arrived")),
]


@pytest.mark.parametrize(("kind", "key"), VALID_KEYS)
def test_every_kind_of_cursor_round_trips(kind: str, key: Key) -> None:
    assert decode_cursor(kind, encode_cursor(kind, key), field="after") == key


MALFORMED: list[tuple[str, str]] = [
    ("artifact", b64json(["artifact"])),  # the reported IndexError: no key at all
    ("artifact", ""),
    ("artifact", "!!!!"),
    ("artifact", "WyJhcnRpZmFjdCJd!"),  # urlsafe_b64decode would silently drop the "!"
    ("artifact", b64json(["artifact"]) + "=="),  # padding: not the token written
    ("artifact", "a"),  # impossible base64 length
    ("artifact", b64(b"\xff\xfe")),  # not UTF-8
    ("artifact", b64("not json")),
    ("artifact", b64json({"artifact": FP})),  # an object
    ("artifact", b64json("artifact")),
    ("artifact", b64json([])),
    ("artifact", b64json(["snapshot", 3])),  # another connection's cursor
    ("artifact", b64json(["artifact", FP, "extra"])),
    ("artifact", b64json(["artifact", 7])),
    ("artifact", b64json(["artifact", FP.upper()])),
    ("artifact", b64json(["artifact", None])),
    ("artifact", b64('["artifact", "' + FP + '"]')),  # whitespace: not canonical
    ("snapshot", b64json(["snapshot"])),
    ("snapshot", b64json(["snapshot", 3, 4])),  # extra keys
    ("snapshot", b64json(["snapshot", 3, {"x": 1}])),
    ("snapshot", b64json(["snapshot", "3"])),
    ("snapshot", b64json(["snapshot", True])),
    ("snapshot", b64json(["snapshot", 3.0])),
    ("snapshot", b64json(["snapshot", 0])),
    ("snapshot", b64json(["snapshot", -1])),
    ("snapshot", b64json(["snapshot", MAX_INDEX + 1])),
    ("snapshot", b64('["snapshot",' + "9" * 5000 + "]")),  # beyond int's string limit
    ("snapshot", b64('["snapshot",1e999]')),
    ("snapshot", b64('["snapshot",NaN]')),
    ("snapshot", b64("[" * 5000 + "]" * 5000)),  # deeper than the JSON parser's recursion
    ("snapshot", b64('["snapshot","\\u0033"]')),
    ("running", b64json(["running", "a"])),
    ("running", b64json(["running", "a", FP, "b"])),
    ("running", b64json(["running", "", FP])),
    ("running", b64json(["running", "x" * 513, FP])),
    ("running", b64json(["running", ["a"], FP])),
    ("running", b64('["running","a\\ud800","' + FP + '"]')),  # a lone surrogate, escaped in JSON
    ("running", b64json(["event", "a", FP])),
    ("event", b64json(["event", FP, "a"])),
    ("flow", b64json(["flow", "we/b"])),
    ("flow", b64json(["flow", "\u202eweb"])),
    ("environment", b64json(["environment", "prod", "prod"])),
    ("environment", "W" * 20_000),  # over the length bound
]


@pytest.mark.parametrize(("kind", "cursor"), MALFORMED)
def test_malformed_cursors_are_refused_naming_the_argument(kind: str, cursor: str) -> None:
    refused(kind, cursor)
    refused(kind, cursor, field="before")


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=5), children, max_size=3),
    max_leaves=12,
)


@BOUNDED
@given(kind=st.sampled_from(sorted(SHAPES)), cursor=st.text(max_size=200))
def test_any_text_is_a_cursor_or_refused(kind: str, cursor: str) -> None:
    key, error = attempt(lambda: decode_cursor(kind, cursor, field="after"))
    if error is not None:
        assert (error.field, error.rule) == ("after", f"must be {CURSOR_RULE}")
    else:
        assert key is not None
        assert encode_cursor(kind, key) == cursor


@BOUNDED
@given(kind=st.sampled_from(sorted(SHAPES)), raw=st.binary(max_size=200))
def test_any_bytes_are_a_cursor_or_refused(kind: str, raw: bytes) -> None:
    key, error = attempt(lambda: decode_cursor(kind, b64(raw), field="before"))
    if error is not None:
        assert error.field == "before"
    else:
        assert key is not None
        assert encode_cursor(kind, key) == b64(raw)


@BOUNDED
@given(kind=st.sampled_from(sorted(SHAPES)), value=json_values, prefix=st.booleans())
def test_any_json_is_a_cursor_or_refused(kind: str, value: Any, prefix: bool) -> None:
    payload = [kind, *value] if prefix and isinstance(value, list) else value
    cursor = b64json(payload)
    key, error = attempt(lambda: decode_cursor(kind, cursor, field="after"))
    if error is not None:
        assert error.field == "after"
    else:
        assert key is not None
        assert len(key) == len(SHAPES[kind])
        assert encode_cursor(kind, key) == cursor


@BOUNDED
@given(
    name=st.text(min_size=1, max_size=40),  # hypothesis' text holds no lone surrogates
    index=st.integers(min_value=1, max_value=MAX_INDEX),
)
def test_cursors_written_here_decode_to_their_key(name: str, index: int) -> None:
    assert decode_cursor("running", encode_cursor("running", (name, FP)), field="after") == (name, FP)
    assert decode_cursor("snapshot", encode_cursor("snapshot", (index,)), field="after") == (index,)


@pytest.mark.parametrize(
    "key",
    ["acme", "acme/web", "acme/prod/12", f"acme/web/{FP}", f"acme/{'c' * 40}"],
)
def test_global_ids_round_trip(key: str) -> None:
    assert decode_id(encode_id("Flow", key)) == ("Flow", key)


BAD_IDS = [
    "",
    "not-an-id!",
    b64("Org"),  # no separator
    b64("Org:"),  # no key
    b64(":acme"),  # no type
    b64("org:acme"),  # not a type name
    b64("Org:acme") + "=",  # padding
    b64("Org:ac me"),
    b64("Org:acme\n"),
    b64("Org:acme//x"),
    b64("Org:\u202eacme"),
    b64(b"Org:\xff"),
    b64("Org:" + "a" * 3000),
]


@pytest.mark.parametrize("value", BAD_IDS)
def test_malformed_global_ids_are_refused(value: str) -> None:
    with pytest.raises(InvalidInput) as error:
        decode_id(value)
    assert (error.value.field, error.value.rule) == ("id", f"must be {ID_RULE}")


@BOUNDED
@given(value=st.text(max_size=120) | st.binary(max_size=120).map(b64))
def test_any_text_is_a_global_id_or_refused(value: str) -> None:
    decoded, error = attempt(lambda: decode_id(value))
    if error is not None:
        assert error.field == "id"
    else:
        assert decoded is not None
        assert encode_id(*decoded) == value
