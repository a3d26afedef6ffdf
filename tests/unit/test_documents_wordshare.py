"""The seed measure: words as compared, the seed's body without what `issue` writes, and the
longest common subsequence of words."""

from __future__ import annotations

import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from documents.markup import parse
from documents.wordshare import document_text, lcs_length, measured, seed_body, share, words


def _dp(a: list[str], b: list[str]) -> int:
    previous = [0] * (len(b) + 1)
    for x in a:
        current = [0]
        for j, y in enumerate(b):
            current.append(previous[j] + 1 if x == y else max(previous[j + 1], current[j]))
        previous = current
    return previous[-1]


@given(st.lists(st.sampled_from("abcd")), st.lists(st.sampled_from("abcd")))
def test_the_bit_parallel_lcs_equals_the_textbook_one(a, b):
    assert lcs_length(a, b) == _dp(a, b)


def test_words_fold_case_and_composition_and_drop_punctuation_and_markup():
    nfd = unicodedata.normalize("NFD", "Hà Tĩnh")
    assert words(f"**{nfd}**, ngày 04/02/2020: 2.139 trang (63%).") == [
        "hà", "tĩnh", "ngày", "04", "02", "2020", "2", "139", "trang", "63",
    ]  # fmt: skip


def test_the_seed_body_leaves_out_number_place_date_and_everything_from_noi_nhan():
    seed = (
        "Số: 849/SNgV-VP  \nV/v báo cáo\n\n*Hà Tĩnh, ngày 11 tháng 12 năm 2020*\n\n"
        "Kính gửi: Ban Giám đốc Sở\n\nNội dung[footnoteRef:2]. [2: Chú thích.]\n\n"
        "***Nơi nhận:***\n- Như trên;\n\n**TL. GIÁM ĐỐC**\n**Lê Thị Khánh Cẩm**"
    )
    assert words(seed_body(seed)) == [
        "v", "v", "báo", "cáo", "kính", "gửi", "ban", "giám", "đốc", "sở",
        "nội", "dung", "chú", "thích",
    ]  # fmt: skip


def test_a_document_reads_type_title_addressees_then_body():
    body = parse("Nội dung[^1].\n\n[^1]: Chú thích.")
    assert document_text("bao_cao", "Hoạt động đối ngoại", ["Văn phòng UBND tỉnh"], body) == (
        "BÁO CÁO\n\nHoạt động đối ngoại\n\nKính gửi: Văn phòng UBND tỉnh\n\nNội dung.\n\nChú thích."
    )
    assert document_text("cong_van", "báo cáo kết quả", [], body).startswith("V/v báo cáo kết quả")


def test_share_is_the_seeds_words_found_in_order():
    assert share(["a", "b", "c", "d"], ["a", "x", "c", "b", "d"]) == 0.75
    assert measured("Một hai ba.", "một ba hai") == {"seed_words": 3, "common": 2, "share": 2 / 3}
