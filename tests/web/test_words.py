"""Words, never codes: pages show the label tables' words, years unbroken, success in words."""

from __future__ import annotations

import html
import re
from typing import Any

import pytest

from domain import labels
from domain.labels_en import EN

PAGES = (
    "/o/ha-tinh/",
    "/o/ha-tinh/?year=2020",
    "/o/ha-tinh/reports?kind=key-tasks&period=2020&as_of=2020-12-11",
    "/o/ha-tinh/reports?kind=emulation&period=2020&window=calendar&as_of=2020-12-31",
    "/o/ha-tinh/reports?kind=award-register&period=2020&window=calendar&as_of=2020-12-31",
    "/o/ha-tinh/reports?kind=foreign-affairs&period=2021&window=calendar",
    "/o/ha-tinh/history?target=task:2020/3",
    "/o/ha-tinh/search?q=hoi+nghi",
    "/o/ha-tinh/issued",
    "/o/ha-tinh/entry/",
    "/o/ha-tinh/entry/award",
    "/o/ha-tinh/entry/task-progress",
)
# Codes that are words of no language (they hold _ . or -): never shown to a person.
CODES = sorted(
    {c for family in labels.FAMILIES.values() for c in family if re.search(r"[_.\-]", c)},
    key=len,
    reverse=True,
)


def visible_text(page: str) -> str:
    """What a person reads: the <main> without tags, attributes, scripts."""
    main = page[page.find("<main") : page.find("</main>")]
    main = re.sub(r"<(script|style)\b.*?</\1>", " ", main, flags=re.S)
    return html.unescape(re.sub(r"<[^>]+>", " ", main))


@pytest.mark.parametrize("url", PAGES)
def test_no_code_is_shown_in_a_page(as_user: Any, url: str) -> None:
    page = as_user("admin").get(url)
    assert page.status_code == 200, url
    text = visible_text(page.get_data(as_text=True))
    shown = [c for c in CODES if re.search(rf"(?<![\w./:-]){re.escape(c)}(?![\w-])", text)]
    assert not shown, (url, shown)


def test_every_label_has_its_english() -> None:
    words = {w for family in labels.FAMILIES.values() for w in family.values()}
    words |= (
        set(labels.FIELDS.values()) | set(labels.KIND_FIELDS.values()) | set(labels.KEYS.values())
    )
    assert sorted(w for w in words if w not in EN and labels.english(w) == w) == []


def test_years_are_never_grouped(as_user: Any) -> None:
    page = as_user("admin").get(
        "/o/ha-tinh/reports?kind=award-register&period=2020&window=calendar&as_of=2020-12-31"
    )
    text = visible_text(page.get_data(as_text=True))
    assert not re.search(r"\b2\.0[0-9]{2}\b", text)


def test_english_mode_shows_english_words(as_user: Any) -> None:
    admin = as_user("admin")
    admin.get("/lang/en")
    page = admin.get("/o/ha-tinh/reports?kind=key-tasks&period=2020&as_of=2020-12-11")
    text = visible_text(page.get_data(as_text=True))
    assert "Key tasks" in text and "completed" in text
    assert "Nhiệm vụ trọng tâm" not in text and "Báo cáo" not in text


def test_the_api_description_gives_the_words_of_the_codes(client: Any) -> None:
    spec = client.get("/api/v1/openapi.json").get_json()
    delegation = spec["components"]["schemas"]["DelegationRecorded"]
    assert delegation["description"] == "Đoàn ra, đoàn vào"
    assert delegation["properties"]["people"]["description"] == "Số người"
    assert "outbound: Đoàn ra" in delegation["properties"]["direction"]["description"]
