"""Data entry for clerks (forms, JSON Lines upload) and report issuing for directors."""

from __future__ import annotations

from typing import Any

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user

from domain import labels
from domain.metrics import CATALOGUE
from service.documents import keeper
from service.issuing import Signature, issue_report
from service.reporting import ReportInputError
from service.schemas import SCHEMAS
from web import pickers, spreadsheets
from web.auth import requires
from web.describe import describe_target, late_entry_note, record_target
from web.forms import FORM_LIST, FORMS_BY_SLUG, Form, FormInputError, to_command
from web.inspection import REPORT_OPTIONS, runtime
from web.locale import english_mode
from web.writing import Outcome, Writer

bp = Blueprint("entry", __name__)
ISSUE_FIELDS = (
    *REPORT_OPTIONS,
    "number",
    "signed_on",
    "signer",
    "signer_title",
    "signing_form",
    "recipients",
)


def writer() -> Writer:
    """The application's writer (serialised imports as the logged-in user)."""
    return current_app.extensions["ngoaivu_writer"]


@bp.route("/o/<org>/entry/")
@requires("write")
def index(org: str) -> Any:
    """The forms a clerk can fill in."""
    return render_template("entry_index.html", org=org, forms=FORM_LIST)


@bp.route("/o/<org>/entry/<slug>", methods=["GET", "POST"])
@requires("write")
def fill(org: str, slug: str) -> Any:
    """One form: stored and confirmed, or shown again with every error beside its field."""
    form = FORMS_BY_SLUG.get(slug) or abort(404)
    kinds = dict(form.kinds)
    values = {k: v for k, v in request.values.items() if k != "csrf_token"}
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        kind = values.get("kind", form.kinds[0][0])
        if kind not in kinds:
            errors["kind"] = ["loại không hợp lệ cho biểu mẫu này"]
        else:
            try:
                cmd = to_command(form, kind, org, values)
            except FormInputError as exc:
                errors[exc.name] = [str(exc)]
            else:
                outcome = writer().command(current_user, cmd)
                if outcome.ok and outcome.result is not None:
                    recorded(org, cmd, outcome)
                    return redirect(url_for("entry.fill", org=org, slug=slug))
                errors = beside_fields(form, outcome.errors)
    picks = {
        f.name: pickers.choices(org, f.source)
        for f in form.fields
        if f.source and f.widget == "select"
    }
    if request.method == "GET":
        for f in form.fields:
            if f.source.endswith("_code") and not values.get(f.name):
                values[f.name] = pickers.suggestion(org, f.source)
    status = 422 if errors else 200
    return render_template(
        "entry_form.html",
        org=org,
        form=form,
        values=values,
        errors=errors,
        picks=picks,
        metrics=CATALOGUE,
        crumbs=[
            (_("Nhập liệu"), url_for("entry.index", org=org)),
            (_(form.title), None),
        ],
    ), status


def beside_fields(form: Form, errors: dict[str, list[str]]) -> dict[str, list[str]]:
    """Errors moved onto the field that shows them: the task picker's programme and number, a
    table's rows (members.0.name), a sub-count (detail.certified)."""
    names = {f.name for f in form.fields}
    out: dict[str, list[str]] = {}
    for key, messages in errors.items():
        head = key.split(".")[0]
        if key in names:
            name = key
        elif key in ("programme", "no") and "task" in names:
            name = "task"
        elif head in names and head != key:
            name = head
            detail = key[len(head) + 1 :]
            messages = [f"{detail_words(detail)}: {m}" for m in messages]
        else:
            name = key
        out.setdefault(name, []).extend(messages)
    return out


def detail_words(path: str) -> str:
    """members.0.name → "dòng 1, Tên"; certified → its label."""
    parts = path.split(".")
    words = []
    for part in parts:
        if part.isdigit():
            words.append(_("dòng %(n)s", n=int(part) + 1))
        else:
            words.append(labels.SUBCOUNTS.get(part) or labels.field(part))
    return ", ".join(words)


def recorded(org: str, cmd: dict[str, Any], outcome: Outcome) -> None:
    """The success message in words, with a link to the record's history; for a late entry,
    where it shows."""
    result = outcome.result
    assert result is not None
    fact_ids = [f for _n, f in result.fact_ids]
    target = fact_ids[0].partition("#")[0] if fact_ids else record_target(cmd)
    what = labels.KINDS.get(cmd["kind"], cmd["kind"])
    if english_mode():
        what = labels.english(what)
    name = describe_target(target)
    if result.added:
        text = _("Đã ghi nhận: %(what)s — %(name)s.", what=what, name=name)
    else:
        text = _("Bản ghi này đã có (%(name)s), không lưu thêm.", name=name)
    link = url_for("inspection.record_history", org=org, target=target) if target else ""
    flash(f"{text}\n{link}", "recorded")
    late = late_entry_note(cmd)
    if late:
        flash(late, "info")
    if result.behind:
        flash(result.behind, "info")


@bp.route("/o/<org>/entry/upload", methods=["GET", "POST"])
@requires("write")
def upload(org: str) -> Any:
    """A JSON Lines file or a filled .xlsx template under the CLI's import rules: all or
    nothing, errors per line (per sheet, row and column for a workbook)."""
    outcome, cells = None, None
    if request.method == "POST":
        file = request.files.get("file")
        if file is None or not file.filename:
            flash(_("Chưa chọn tệp."), "error")
            return render_template("upload.html", org=org, outcome=None, cells=None), 422
        backfill = bool(request.form.get("backfill"))
        if is_workbook(file.stream, file.filename):
            outcome, cells = upload_workbook(org, file.stream, backfill)
        else:
            chunks = iter(lambda: file.stream.read(1 << 20), b"")
            outcome = writer().upload(current_user, chunks, backfill=backfill)
        if outcome.ok:
            flash(_("Đã nhập tệp."), "success")
            if outcome.result is not None and outcome.result.behind:
                flash(outcome.result.behind, "info")
        else:
            return render_template("upload.html", org=org, outcome=outcome, cells=cells), 422
    return render_template("upload.html", org=org, outcome=outcome, cells=cells)


def is_workbook(stream: Any, filename: str) -> bool:
    """An .xlsx (a zip archive) rather than JSON Lines, by its first bytes or its name."""
    head = stream.read(4)
    stream.seek(0)
    return head == b"PK\x03\x04" or filename.lower().endswith(".xlsx")


def upload_workbook(
    org: str, stream: Any, backfill: bool
) -> tuple[Outcome, list[spreadsheets.CellError]]:
    """A filled template: its rows as import lines through the writer; errors by cell."""
    try:
        conversion = spreadsheets.convert(stream, org)
    except spreadsheets.SheetFormatError as exc:
        return Outcome(errors={"_": [str(exc)]}), []
    if conversion.errors:  # the layout itself (a column that is not the kind's): nothing read
        return Outcome(total=len(conversion.errors)), conversion.errors[:100]
    if not conversion.lines:
        message = "bảng tính không có dòng dữ liệu nào (dữ liệu bắt đầu từ dòng 3)"
        return Outcome(errors={"_": [message]}), []
    outcome = writer().upload(current_user, conversion.lines, backfill=backfill)
    cells = [conversion.locate(e.line, e.field, e.message) for e in outcome.lines]
    return outcome, cells


@bp.route("/o/<org>/entry/xlsx-template")
@requires("write")
def xlsx_template(org: str) -> Any:
    """The import workbook: one sheet per kind (`?kind=` repeated for only some)."""
    kinds = [k for k in request.args.getlist("kind") if k in SCHEMAS] or None
    if request.args.getlist("kind") and not kinds:
        abort(404)
    name = "mau-nhap-lieu.xlsx" if kinds is None or len(kinds) > 1 else f"mau-{kinds[0]}.xlsx"
    return Response(
        spreadsheets.template(kinds),
        mimetype=spreadsheets.XLSX_MIME,
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@bp.route("/o/<org>/issue", methods=["GET", "POST"])
@requires("issue")
def issue(org: str) -> Any:
    """Issue a report under a number, signed (directors and administrators)."""
    values = {k: request.form.get(k, "").strip() for k in ISSUE_FIELDS}
    errors: dict[str, str] = {}
    if request.method == "POST":
        sig = Signature(
            values["number"],
            values["signed_on"],
            values["signer"],
            values["signer_title"] or None,
            values["signing_form"] or None,
            tuple(r.strip() for r in values["recipients"].split(";") if r.strip()),
        )
        try:
            with writer().lock:
                content, details = issue_report(
                    runtime(),
                    values["kind"],
                    org,
                    values["period"],
                    sig,
                    actor=current_user.username,
                    window=values["window"] or "nd09",
                    programme=values["programme"] or None,
                    as_of=values["as_of"] or None,
                    known_by=values["known_by"] or None,
                    recorded_by=values["recorded_by"] or None,
                    # The signed DOCX and PDF are kept, as `ngoaivu issue` keeps them.
                    documents=keeper(runtime()),
                )
        except ReportInputError as exc:
            name = exc.option.lstrip("-").replace("-", "_").lower()
            errors[name if name in ISSUE_FIELDS else "_"] = str(exc).split(": ", 1)[-1]
        else:
            flash(
                _(
                    "Đã ban hành %(number)s: %(digest)s",
                    number=values["number"],
                    digest=content["digest"],
                ),
                "success",
            )
            if details.get("views_behind"):
                flash(details["views_behind"], "info")
            year = int(values["signed_on"][:4])
            return redirect(
                url_for("inspection.issued_check", org=org, year=year, number=values["number"])
            )
    return render_template("issue.html", org=org, values=values, errors=errors), (
        422 if errors else 200
    )
