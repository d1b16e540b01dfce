"""The text rules of `tracegraph.graph.rules`: what a label, an observed name, free text and a URL may hold, and the
store-side check of plain string arguments."""

from __future__ import annotations

import unicodedata
from datetime import timedelta
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import BaseModel

from tracegraph.errors import InvalidInput
from tracegraph.graph.inputs import (
    CommitInput,
    CommitsInput,
    FlowInput,
    RunningArtifactInput,
    TokenInput,
    parse,
)
from tracegraph.graph.model import Role
from tracegraph.graph.rules import UNICODE_RULE, checks_unicode, utc_now

BOUNDED = settings(
    derandomize=True, max_examples=300, deadline=None, database=None, suppress_health_check=list(HealthCheck)
)
SHA = "c" * 40
FP = "ab" * 32
# Characters that break a one-line label: controls (Cc), separators (Zl, Zp), invisible or reordering format
# characters (Cf).
NOT_IN_A_LINE = ["\n", "\t", "\r", "\x00", "\x1b", "\x7f", "\x85", "\x9f", "\u2028", "\u2029", "\u200b", "\u2060",
                 "\u202a", "\u202e", "\u2066", "\u2069", "\ufeff", "\u180e", "\ufff9"]  # fmt: skip
# Printable, though some are invisible or combine: must stay accepted.
PERSIAN = "\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645"  # ZWNJ inside a word
SCOTLAND = "\U0001f3f4\U000e0067\U000e0062\U000e0073\U000e0063\U000e0074\U000e007f"  # tag characters
PRINTABLE = ["régistre", "\u05e9\u05dc\u05d5\u05dd", "a\u200fb", "a\u200eb", "\u061cx", "e\u0301", "🚀",
             "👨\u200d👩\u200d👧", PERSIAN, SCOTLAND, "a\u00a0b", "soft\u00adhyphen", "日本語", "\ue000"]  # fmt: skip


def running(name: Any) -> dict[str, Any]:
    return {"fingerprint": FP, "name": name}


@pytest.mark.parametrize("character", NOT_IN_A_LINE)
def test_labels_and_observed_names_are_one_printable_line(character: str) -> None:
    cases: list[tuple[type[BaseModel], dict[str, Any], str]] = [
        (RunningArtifactInput, running(f"a{character}b"), "name"),
        (CommitInput, {"sha": SHA, "author": f"a{character}b"}, "author"),
        (CommitInput, {"sha": SHA, "branch": f"a{character}b"}, "branch"),
    ]
    for model, data, field in cases:
        with pytest.raises(InvalidInput) as error:
            parse(model, data)
        assert error.value.field == field
        assert "one line of printable text" in error.value.rule
        assert f"U+{ord(character):04X} at position 1" in error.value.rule


@pytest.mark.parametrize("text", PRINTABLE)
def test_printable_unicode_is_accepted(text: str) -> None:
    assert parse(RunningArtifactInput, running(text)).name == text
    assert parse(CommitInput, {"sha": SHA, "author": text, "message": text}).author == text


def test_free_text_keeps_tabs_and_line_breaks_but_no_other_controls() -> None:
    description = "subject\r\n\nbody:\tindented\u2028more"
    assert parse(FlowInput, {"org": "acme", "name": "web", "description": description}).description == description
    for bad in ["a\x00b", "a\rb", "a\x1bb", "a\x85b", "a\x7fb", "trailing\r"]:
        with pytest.raises(InvalidInput) as error:
            parse(FlowInput, {"org": "acme", "name": "web", "description": bad})
        assert error.value.field == "description"
        assert "control characters" in error.value.rule


def test_commit_messages_are_kept_as_git_holds_them() -> None:
    for message in ["a\x00b", "a\rb", "colour \x1b[31mred\x1b[0m", "page\x0cbreak", "subject\r\n\nbody"]:
        assert parse(CommitInput, {"sha": SHA, "message": message}).message == message


@pytest.mark.parametrize(
    ("field", "value"),
    [("author", "a\ud800"), ("message", "\udfff"), ("url", "https://x/\ud800"), ("sha", "\ud800" * 40)],
)
def test_lone_surrogates_are_refused_with_their_own_rule(field: str, value: str) -> None:
    with pytest.raises(InvalidInput) as error:
        parse(CommitInput, {"sha": SHA, field: value})
    assert error.value.field == field
    assert UNICODE_RULE in error.value.rule


@pytest.mark.parametrize(
    "url", ["http://", "https://", "https:///path", "https://ex ample.com", "https://x/\na", "https://[::1", "ftp://x"]
)
def test_urls_need_a_host_and_no_whitespace(url: str) -> None:
    with pytest.raises(InvalidInput) as error:
        parse(CommitInput, {"sha": SHA, "url": url})
    assert error.value.field == "url"
    assert "http or https URL with a host" in error.value.rule


def test_instances_are_whole_numbers_not_booleans_or_text() -> None:
    for bad in [True, "3", 2.0]:
        with pytest.raises(InvalidInput) as error:
            parse(RunningArtifactInput, {**running("x"), "instances": bad})
        assert error.value.field == "instances"


def test_a_commit_batch_names_each_sha_once() -> None:
    batch = {"org": "acme", "repo_url": "https://x.example/r", "commits": [{"sha": SHA}, {"sha": SHA.upper()}]}
    with pytest.raises(InvalidInput) as error:
        parse(CommitsInput, batch)
    assert error.value.field == "commits"
    assert "appears twice (items 0 and 1)" in error.value.rule


@pytest.mark.parametrize("expires_in", [timedelta(0), timedelta(seconds=-1), timedelta(days=-365)])
def test_a_token_cannot_be_created_already_expired(expires_in: timedelta) -> None:
    data = {"org": "acme", "role": Role.READER, "expires_at": utc_now() + expires_in, "secret_hash": "0" * 64}
    with pytest.raises(InvalidInput) as error:
        parse(TokenInput, data)
    assert error.value.field == "expires_at"
    assert "future" in error.value.rule
    assert parse(TokenInput, {**data, "expires_at": utc_now() + timedelta(minutes=1)}).expires_at is not None


# The format characters (Cf) a line refuses, as documented in tracegraph.graph.rules; every other Cf is allowed.
REFUSED_FORMAT = {chr(code) for code in [0x180E, 0x200B, *range(0x202A, 0x202F), *range(0x2060, 0x2070), 0xFEFF,
                                         *range(0xFFF9, 0xFFFC)]}  # fmt: skip


def refused_in_a_line(character: str) -> bool:
    return unicodedata.category(character) in ("Cc", "Cs", "Zl", "Zp") or character in REFUSED_FORMAT


@BOUNDED
@given(st.text(st.characters(codec=None), min_size=1, max_size=30))
def test_a_label_is_refused_exactly_for_the_documented_characters(text: str) -> None:
    """Across all of Unicode, lone surrogates included: a refusal names the field and has a documented cause."""
    try:
        accepted, error = parse(CommitInput, {"sha": SHA, "author": text}).author, None
    except InvalidInput as refusal:
        accepted, error = None, refusal
    if error is not None:
        assert error.field == "author"
        assert any(refused_in_a_line(character) for character in text) or not text.strip()
    else:
        assert accepted is not None
        assert not any(refused_in_a_line(character) for character in accepted)


class FakeStore:
    async def get_flow(self, org: str, name: str) -> str:
        return f"{org}/{name}"

    async def commits(self, org: str, prefixes: list[str], *, flow: str | None = None) -> list[str]:
        return prefixes

    async def _private(self, value: str) -> str:
        return value


Checked = checks_unicode(type("Checked", (FakeStore,), {}))


@pytest.mark.parametrize(
    ("call", "field"),
    [
        (lambda store: store.get_flow("acme", "w\ud800"), "name"),
        (lambda store: store.get_flow(org="\udc00", name="w"), "org"),
        (lambda store: store.commits("acme", ["abcdef", "abc\ud800"]), "prefixes.1"),
        (lambda store: store.commits("acme", [], flow="\ud800"), "flow"),
    ],
)
async def test_checked_store_methods_refuse_lone_surrogates_naming_the_parameter(call: Any, field: str) -> None:
    with pytest.raises(InvalidInput) as error:
        await call(Checked())
    assert (error.value.field, error.value.rule.split(";")[0]) == (field, f"must be {UNICODE_RULE}")


async def test_checked_store_methods_pass_valid_arguments_through() -> None:
    store = Checked()
    assert await store.get_flow("acme", "wéb 🚀") == "acme/wéb 🚀"
    assert await store.commits("acme", ["abcdef"], flow=None) == ["abcdef"]
    assert await store._private("\ud800") == "\ud800"  # only the public surface is checked
