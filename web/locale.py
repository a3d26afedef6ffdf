"""The page's language, read once per request (Vietnamese unless the user chose English)."""

from __future__ import annotations

from flask import has_request_context, session

LANGUAGES = ("vi", "en")


def page_language() -> str:
    """The page's language: Vietnamese unless the user chose English (Flask-Babel's locale,
    without parsing a Locale: a kept page's key needs only its name)."""
    lang = session.get("lang")
    return lang if lang in LANGUAGES else "vi"


def english_mode() -> bool:
    """True when the page is shown in English."""
    return has_request_context() and session.get("lang") == "en"


def N_(text: str) -> str:
    """Marks a text for the catalogue (extracted with `-k N_`); translated where it is shown."""
    return text
