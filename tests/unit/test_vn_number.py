"""Numbers on pages: the integer fast path groups digits exactly as Babel does in both
languages (the oracle is Flask-Babel's format_decimal under the same request)."""

from __future__ import annotations

from flask import Flask, session
from flask_babel import Babel, format_decimal
from hypothesis import given
from hypothesis import strategies as st

from web.formatting import vn_number
from web.locale import page_language


def _app() -> Flask:
    app = Flask(__name__)
    app.secret_key = "test"
    Babel(app, locale_selector=page_language)
    return app


APP = _app()


@given(st.integers(min_value=-(10**15), max_value=10**15), st.sampled_from(["vi", "en"]))
def test_an_integer_is_grouped_as_babel_groups_it(value: int, lang: str) -> None:
    with APP.test_request_context():
        session["lang"] = lang
        assert vn_number(value) == format_decimal(value)


def test_vietnamese_groups_with_dots_and_english_with_commas() -> None:
    with APP.test_request_context():
        assert vn_number(1234567) == "1.234.567"
        session["lang"] = "en"
        assert vn_number(1234567) == "1,234,567"
        assert vn_number(2022, "year") == "2022"
        assert vn_number(1234.5) == format_decimal(1234.5)
