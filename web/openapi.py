"""The OpenAPI 3 document of `/api/v1`, generated from the same marshmallow command schemas."""

from __future__ import annotations

import functools
from typing import Any

from apispec import APISpec
from apispec.ext.marshmallow import MarshmallowPlugin

from domain import labels
from projections.reports import BUILDERS
from service.importing.fields import Day, When
from service.importing.schemas import SCHEMAS

_DATE = r"\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])"
_TIME = r"T([01]\d|2[0-3]):[0-5]\d(:[0-5]\d(\.\d{1,6})?)?(Z|[+-](0\d|1[0-4]):[0-5]\d)"
DAY = f"^{_DATE}$"
WHEN = f"^{_DATE}({_TIME})?$"
PERIOD = r"^\d{4}(-(H[12]|Q[1-4]|9M|0[1-9]|1[0-2]))?$"
RECORDED_BY = f"^(@\\d+|{_DATE}{_TIME})$"


def _times(self: Any, field: Any, **_: Any) -> dict[str, Any]:
    """Dates and instants as the import reads them (apispec attribute function)."""
    if isinstance(field, Day):
        return {"format": "date", "pattern": DAY}
    if isinstance(field, When):
        return {
            "pattern": WHEN,
            "description": "Ngày YYYY-MM-DD hoặc thời điểm ISO 8601 có múi giờ",
        }
    return {}


ERRORS = {
    "type": "object",
    "properties": {
        "errors": {
            "type": "object",
            "additionalProperties": {"type": "array", "items": {"type": "string"}},
            "description": "Thông báo lỗi theo tên trường",
        }
    },
}
STORED = {
    "type": "object",
    "properties": {
        "fact_ids": {"type": "array", "items": {"type": "string"}},
        "added": {"type": "integer"},
        "skipped": {"type": "integer"},
        "position": {"type": "integer", "nullable": True},
        "recorded_at": {"type": "string", "nullable": True},
    },
}


def describe(component: dict[str, Any], kind: str) -> None:
    """Each property's name in words, and the word of each code it takes (domain.labels)."""
    component.setdefault("description", labels.KINDS.get(kind, kind))
    for name, prop in component.get("properties", {}).items():
        if name == "kind" or not isinstance(prop, dict):
            continue
        words = labels.field(name, kind)
        codes = prop.get("enum")
        if isinstance(codes, list) and all(isinstance(c, str) for c in codes):
            words += " (" + "; ".join(f"{c}: {labels.word(c, name)}" for c in codes) + ")"
        prop.setdefault("description", words)


def _query(name: str, description: str, required: bool = False, **schema: Any) -> dict[str, Any]:
    return {
        "in": "query",
        "name": name,
        "required": required,
        "schema": {"type": "string", **schema},
        "description": description,
    }


# Read-your-writes across workers and hosts (web.freshness): a write answers with its position,
# which the client sends back on its next read.
POSITION_OUT = {
    "X-Ngoaivu-Position": {
        "description": (
            "Vị trí trong kho sự kiện của lần ghi này (có khi yêu cầu đã ghi). Gửi lại trong "
            "X-Ngoaivu-Read-After để lần đọc sau thấy lần ghi này"
        ),
        "schema": {"type": "integer", "minimum": 1},
    }
}
READ_AFTER = {
    "in": "header",
    "name": "X-Ngoaivu-Read-After",
    "required": False,
    "schema": {"type": "string", "pattern": r"^@?\d{1,18}$"},
    "description": (
        "Vị trí X-Ngoaivu-Position của một lần ghi trước: yêu cầu chờ đến khi bảng đọc có lần "
        "ghi đó (tối đa NGOAIVU_READ_WAIT giây). Vị trí sau đầu kho không được chờ"
    ),
}


def _org() -> dict[str, Any]:
    return {"in": "path", "name": "org", "required": True, "schema": {"type": "string"}}


@functools.cache
def openapi_document() -> dict[str, Any]:
    """The document (built once per process)."""
    plugin = MarshmallowPlugin()
    spec = APISpec(
        title="Hồ sơ Sở Ngoại vụ (ngoaivu-records)",
        version="1",
        openapi_version="3.0.3",
        plugins=[plugin],
        info={"description": "Lệnh ghi (như một dòng JSON Lines) và báo cáo."},
        servers=[{"url": "/"}],
    )
    assert plugin.converter is not None
    plugin.converter.add_attribute_function(_times)
    spec.components.security_scheme("bearer", {"type": "http", "scheme": "bearer"})
    refs = []
    kinds: dict[type, list[str]] = {}
    for kind, schema in SCHEMAS.items():  # a class may serve several kinds
        kinds.setdefault(schema, []).append(kind)
    for schema, codes in kinds.items():
        spec.components.schema(schema.__name__, schema=schema)
        component = spec.components.schemas[schema.__name__]
        component["properties"]["kind"] = {
            "type": "string",
            "enum": codes,
            "description": "; ".join(f"{c}: {labels.KINDS.get(c, c)}" for c in codes),
        }
        describe(component, codes[0])
        refs.append({"$ref": f"#/components/schemas/{schema.__name__}"})
    json_body = {"application/json": {"schema": ERRORS}}
    spec.path(
        path="/api/v1/commands",
        operations={
            "post": {
                "summary": "Ghi một sự kiện (cùng khóa như một dòng nhập)",
                "security": [{"bearer": []}],
                "parameters": [READ_AFTER],
                "requestBody": {
                    "required": True,
                    "content": {"application/json": {"schema": {"oneOf": refs}}},
                },
                "responses": {
                    "201": {
                        "description": "Đã lưu",
                        "headers": POSITION_OUT,
                        "content": {"application/json": {"schema": STORED}},
                    },
                    "200": {
                        "description": "Đã có, không lưu thêm",
                        "content": {"application/json": {"schema": STORED}},
                    },
                    "401": {"description": "Chưa xác thực"},
                    "403": {"description": "Vai trò không cho phép ghi"},
                    "404": {"description": "Không phải tổ chức của người dùng"},
                    "422": {"description": "Lỗi theo trường", "content": json_body},
                },
            }
        },
    )
    cutoffs = [
        _query("period", "2020, 2021-H1, 2021-Q3, 2021-9M, 2021-03", True, pattern=PERIOD),
        _query("window", "nd09 hoặc calendar", enum=["nd09", "calendar"]),
        _query("programme", "Chương trình"),
        _query("as_of", "Ngày D (YYYY-MM-DD)", format="date", pattern=DAY),
        _query("known_by", "Ngày, thời điểm hoặc now"),
        _query("recorded_by", "@N hoặc thời điểm", pattern=RECORDED_BY),
    ]
    kind_param = {
        "in": "path",
        "name": "kind",
        "required": True,
        "schema": {"type": "string", "enum": list(BUILDERS)},
        "description": "; ".join(f"{k}: {labels.REPORT_KINDS.get(k, k)}" for k in BUILDERS),
    }
    read_responses = {
        "200": {"description": "OK", "content": {"application/json": {"schema": {}}}},
        "401": {"description": "Chưa xác thực"},
        "404": {"description": "Không tìm thấy"},
        "422": {"description": "Lỗi tham số", "content": json_body},
    }
    spec.path(
        path="/api/v1/orgs/{org}/reports/{kind}",
        operations={
            "get": {
                "summary": "Báo cáo theo ba mốc (as-of, known-by, recorded-by)",
                "security": [{"bearer": []}],
                "parameters": [_org(), kind_param, *cutoffs, READ_AFTER],
                "responses": read_responses,
            }
        },
    )
    spec.path(
        path="/api/v1/orgs/{org}/documents/{draft}",
        operations={
            "get": {
                "summary": "Văn bản từ dự thảo (report document) theo ba mốc",
                "security": [{"bearer": []}],
                "parameters": [
                    _org(),
                    {"in": "path", "name": "draft", "required": True, "schema": {"type": "string"}},
                    *cutoffs[3:],
                    READ_AFTER,
                ],
                "responses": read_responses,
            }
        },
    )
    for path, summary, param in (
        ("history", "Lịch sử một bản ghi", _query("target", "ví dụ task:2020/11", True)),
        ("search", "Tìm kiếm không dấu", _query("q", "từ khóa", True)),
    ):
        spec.path(
            path=f"/api/v1/orgs/{{org}}/{path}",
            operations={
                "get": {
                    "summary": summary,
                    "security": [{"bearer": []}],
                    "parameters": [_org(), param, READ_AFTER],
                    "responses": read_responses,
                }
            },
        )
    return spec.to_dict()
