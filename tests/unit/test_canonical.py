"""Canonical JSON and digests (no I/O)."""

import hashlib
import unicodedata

import pytest

from domain.canonical import canonical_bytes, digest, with_digest
from domain.text import fold


def test_keys_sorted_compact_utf8_with_only_required_escapes():
    raw = canonical_bytes({"b": 1, "a": 'Hà\n\u0001"', "Z": [True, None]})
    assert raw == '{"Z":[true,null],"a":"Hà\\n\\u0001\\"","b":1}'.encode()


def test_strings_are_nfc_before_hashing():
    nfd = unicodedata.normalize("NFD", "Hà Tĩnh")
    assert digest({"x": nfd}) == digest({"x": "Hà Tĩnh"})


def test_digest_excludes_itself():
    content = with_digest({"a": 1})
    expected = "sha256:" + hashlib.sha256(b'{"a":1}').hexdigest()
    assert content["digest"] == expected == digest(content)


def test_floats_are_refused():
    with pytest.raises(TypeError):
        canonical_bytes({"rate": 0.63})


@pytest.mark.parametrize(
    ("text", "folded"),
    [("Hà Tĩnh", "ha tinh"), ("ĐOÀN vào", "doan vao"), ("Hội  nghị", "hoi nghi")],
)
def test_fold_ignores_case_and_diacritics(text, folded):
    assert fold(text) == folded
    assert fold(unicodedata.normalize("NFD", text)) == folded


def _normalised_first(content):
    """The definition: every string NFC, then the canonical JSON."""
    import json

    from domain.text import nfc

    text = json.dumps(nfc(content), ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return text.encode("utf-8")


# Letters, combining marks (in and out of canonical order), singletons NFC replaces (Å, Ω),
# the JSON escapes' letters (n, t, u…) and the characters JSON escapes (controls, quote,
# backslash): whatever stands next to what.
_CHARS = 'aenAZ\u0301\u0300\u0323\u0309\u212b\u2126\n\t\u0001"\\ ĩà\u1100\u1161'


def test_the_json_written_as_is_when_nfc_is_the_json_of_the_content_normalised():
    from hypothesis import given, settings
    from hypothesis import strategies as st

    text = st.text(alphabet=_CHARS, max_size=6)
    values = st.recursive(
        st.none() | st.booleans() | st.integers() | text,
        lambda inner: st.lists(inner, max_size=4) | st.dictionaries(text, inner, max_size=4),
        max_leaves=12,
    )

    @settings(max_examples=400, deadline=None, derandomize=True)
    @given(st.dictionaries(text, values, max_size=5))
    def check(content):
        assert canonical_bytes(content) == _normalised_first(content)

    check()


@pytest.mark.parametrize(
    "content",
    [
        {"a": [1, {"b": [2, 0.5]}]},
        {"a": {"b": {"c": float("nan")}}},
        {"a": [[[], [True, None, "x", 2.0]]]},
        {"a": type("Rate", (float,), {})(1.5)},
    ],
)
def test_floats_are_refused_however_deep(content):
    with pytest.raises(TypeError):
        canonical_bytes(content)
