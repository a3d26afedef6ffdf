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
