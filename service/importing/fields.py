"""Marshmallow fields with Vietnamese messages, shared by every command schema."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from typing import Any

from marshmallow import ValidationError, fields, validate

from domain.times import Moment, TimeFormatError, canonical_moment, to_us
from service.limits import FORBIDDEN, FORBIDDEN_IN_LINE, bad_character, vn_number

_BASE = {
    "required": "thiếu trường bắt buộc",
    "null": "không được để trống (null)",
    "validator_failed": "giá trị không hợp lệ",
}


class Text(fields.String):
    """A non-empty string without control characters (tab and newline allowed, unless
    `single_line`: codes, identifiers, document numbers) or lone surrogates."""

    default_error_messages = {**_BASE, "invalid": "phải là chuỗi ký tự"}

    def __init__(self, *, single_line: bool = False, **kwargs: Any) -> None:
        kwargs.setdefault("validate", validate.Length(min=1, error="không được để trống"))
        super().__init__(**kwargs)
        self.single_line = single_line
        self.forbidden = FORBIDDEN_IN_LINE if single_line else FORBIDDEN

    def _deserialize(self, value: Any, attr: Any, data: Any, **kwargs: Any) -> str:
        if not isinstance(value, str):  # JSON gives no bytes: fields.String's other case
            raise self.make_error("invalid")
        # isprintable() (C, no regex) holds for nearly every text; a text with tab, newline or
        # a rarer character is searched for the forbidden ones.
        if not value.isprintable() and self.forbidden.search(value) is not None:
            raise ValidationError(bad_character(value, single_line=self.single_line) or "")
        return value


class Code(Text):
    """A one-line text: an id, a target, a document number, an actor."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(single_line=True, **kwargs)


class Int(fields.Integer):
    """An integer given as a JSON number, never as a string or a boolean."""

    default_error_messages = {**_BASE, "invalid": "phải là số nguyên"}

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(strict=True, **kwargs)

    def _validated(self, value: Any) -> int:
        if isinstance(value, bool):
            raise self.make_error("invalid")
        return super()._validated(value)


class Flag(fields.Boolean):
    """A JSON true or false, nothing else."""

    default_error_messages = {**_BASE, "invalid": "phải là true hoặc false"}

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(truthy={True}, falsy={False}, **kwargs)

    def _deserialize(self, value: Any, attr: Any, data: Any, **kwargs: Any) -> bool:
        if not isinstance(value, bool):  # 1 == True in a set: refuse numbers explicitly
            raise self.make_error("invalid")
        return value


class Items(fields.List):
    """A JSON list."""

    default_error_messages = {**_BASE, "invalid": "phải là danh sách"}


class Mapping(fields.Dict):
    """A JSON object."""

    default_error_messages = {**_BASE, "invalid": "phải là đối tượng JSON"}


class When(fields.String):
    """A date `YYYY-MM-DD` (a whole Vietnam day) or an ISO 8601 instant with offset."""

    default_error_messages = {**_BASE, "invalid": "phải là ngày hoặc thời điểm dạng chuỗi"}

    def __init__(self, *, not_future: bool = False, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.not_future = not_future

    def _deserialize(self, value: Any, attr: Any, data: Any, **kwargs: Any) -> str:
        text = super()._deserialize(value, attr, data, **kwargs)
        try:
            moment = Moment.parse(text)
            canonical = canonical_moment(text)
            day = moment.day
        except TimeFormatError as exc:
            raise ValidationError(str(exc)) from exc
        except (OverflowError, ValueError):
            day = date.min
        if not date.min < day < date.max:  # its Vietnam day, and the next, must exist
            raise ValidationError(f"ngoài khoảng ngày xử lý được: {text!r}")
        if self.not_future and moment.us > to_us(datetime.now(UTC)):
            raise ValidationError("không được ở tương lai")
        return canonical


class Day(fields.String):
    """A calendar date `YYYY-MM-DD`."""

    default_error_messages = {**_BASE, "invalid": "phải là ngày dạng chuỗi YYYY-MM-DD"}

    def _deserialize(self, value: Any, attr: Any, data: Any, **kwargs: Any) -> str:
        text = super()._deserialize(value, attr, data, **kwargs)
        try:
            day = Moment.parse(text).day
        except TimeFormatError as exc:
            raise ValidationError(str(exc)) from exc
        except (OverflowError, ValueError):
            day = date.min
        if not date.min < day < date.max:
            raise ValidationError(f"ngoài khoảng ngày xử lý được: {text!r}")
        if "T" in text:
            raise ValidationError("phải là ngày dạng YYYY-MM-DD, không kèm giờ")
        return text


class FullMatch(validate.Regexp):
    """A pattern the whole value must match (`re.fullmatch`): "ha-tinh\\n" is not a slug,
    though `$` matches before a final newline. Written `^…$` for the OpenAPI document."""

    def __init__(self, pattern: str, error: str) -> None:
        super().__init__(pattern, error=error)
        self.whole = re.compile(pattern)

    def __call__(self, value: Any) -> Any:
        if not isinstance(value, str) or self.whole.fullmatch(value) is None:
            raise ValidationError(self._format_error(value))
        return value


def one_of(choices: tuple[str, ...] | list[str]) -> validate.OneOf:
    """A closed list of codes, named in the message."""
    return validate.OneOf(
        choices, error="giá trị {input!r} không hợp lệ; phải là một trong: {choices}"
    )


def within(minimum: int, maximum: int) -> validate.Range:
    """A documented range (README, "Limits"), both ends named in the message."""
    return validate.Range(
        min=minimum,
        max=maximum,
        error=f"phải từ {vn_number(minimum)} đến {vn_number(maximum)}",
    )
